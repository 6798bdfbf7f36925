"""How alike two phrasings of the knowledge are (0–100): `spravka check-knowledge`'s ambiguity check.

This was `ask`'s scorer before the learned one (docs/ask.md); it now only finds the
questions of one article that read like another article's, so editors can fix the
border. It is built from the knowledge at check time and never deployed.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from operator import itemgetter
from typing import NamedTuple

from spravka.ask.normalise import Lexicon

# An entry's score weighs how much of the entry the question covers (recall)
# against how much of the question the entry explains (precision). Recall
# counts more: a story around the question should not hide it. They sum to 1,
# which lets match.rank compute the score with one multiplication per entry.
RECALL_POWER = 0.65
PRECISION_POWER = 1 - RECALL_POWER
# The weight of a word the knowledge never uses. Lower than a rare known word:
# stories around a question are full of them ("переехали", "сентябре").
UNKNOWN_WEIGHT = 1.0
# A word only article pages use (never a question) is more often the story
# around a question than its subject.
PAGE_ONLY_WEIGHT = 0.3
# A word in more phrasings than this (or 2% of them) is common: it does not
# bring entries into play on its own when the question has a rarer word.
COMMON_POSTINGS = 200


class StemFacts(NamedTuple):
    """What the index knows of one stem, in one place: a question's stem is looked up once."""

    weight: float  # how much the word counts in a question (rare question words most)
    entries: tuple[int, ...]  # the entries (phrasings) that contain it
    common: frozenset[int] | None  # the same entries as a set when the word is so common that it only adds
    #                                to entries found through rarer words; None for a rarer word


# A stem the knowledge never uses.
UNKNOWN_STEM = StemFacts(UNKNOWN_WEIGHT, (), None)


@dataclasses.dataclass(frozen=True, eq=False)
class PhraseIndex:
    targets: tuple[str, ...]  # per entry: article id, "@operator", ...
    entry_stems: tuple[frozenset[str], ...]
    entry_norm: tuple[float, ...]  # (sum of the entry's stem weights) ** -RECALL_POWER
    stems: Mapping[str, StemFacts]
    lexicon: Lexicon  # what the phrasings were read with


def phrase_index(
    entries: list[tuple[str, list[str]]], bags: Mapping[str, Mapping[str, list[str]]], lexicon: Lexicon
) -> PhraseIndex:
    """The similarity's index of (target, stems) phrasings and each target's bag: "strong" (its
    questions' stems) and "weak" (stems only its page uses)."""
    targets_by_stem: dict[str, set[str]] = {}
    for target, bag in bags.items():
        for s in (*bag["strong"], *bag["weak"]):
            targets_by_stem.setdefault(s, set()).add(target)
    idf = {s: round(math.log((len(bags) + 1) / (len(ts) + 0.5)), 4) for s, ts in targets_by_stem.items()}
    targets = tuple(t for t, _ in entries)
    entry_stems = tuple(frozenset(stems) for _, stems in entries)
    entry_mass = tuple(sum(idf.get(s, 0.0) for s in stems) or 1.0 for stems in entry_stems)
    postings: dict[str, list[int]] = {}
    for i, entry_stem_set in enumerate(entry_stems):
        for s in entry_stem_set:
            postings.setdefault(s, []).append(i)
    common_limit = max(COMMON_POSTINGS, len(targets) // 50)
    question_stems = frozenset(s for b in bags.values() for s in b["strong"])
    weights = {
        s: value if s in question_stems else min(value, UNKNOWN_WEIGHT) * PAGE_ONLY_WEIGHT for s, value in idf.items()
    }
    stems: dict[str, StemFacts] = {}
    for s in sorted({*weights, *postings}):
        found = tuple(postings.get(s, ()))
        stems[s] = StemFacts(
            weights.get(s, UNKNOWN_WEIGHT), found, frozenset(found) if len(found) > common_limit else None
        )
    return PhraseIndex(
        targets,
        entry_stems,
        tuple(m**-RECALL_POWER for m in entry_mass),
        stems,
        lexicon,
    )


def query_weights(stems: frozenset[str], index: PhraseIndex) -> dict[str, float]:
    """How much each word of the question counts."""
    facts = index.stems.get
    return {s: facts(s, UNKNOWN_STEM).weight for s in stems}


def entry_scores(weights: Mapping[str, float], index: PhraseIndex) -> dict[int, float]:
    """Score of every entry that shares a rarer word with the question (0–100)."""
    scale = 100.0 * (sum(weights.values()) or 1.0) ** -PRECISION_POWER
    norm = index.entry_norm
    rare: list[Posting] = []
    common: list[Posting] = []
    facts = index.stems.get
    for s, w in weights.items():
        _, entries, common_set = facts(s, UNKNOWN_STEM)
        if entries:
            (rare if common_set is None else common).append((len(entries), entries, common_set, w))
    return {entry: scale * shared * norm[entry] for entry, shared in _overlaps(rare, common).items()}


# A question word as the entry search sees it: (how many entries, the entries, the same as a set
# when the word is common, its weight).
Posting = tuple[int, tuple[int, ...], "frozenset[int] | None", float]


def _overlaps(rare: list[Posting], common: list[Posting]) -> dict[int, float]:
    """The question's weight each entry shares with it, for entries that share a rarer word.

    Entries are found through the question's rarer words; its very common words
    ("прибор учёт" in a large base) only add to entries found that way, so the
    cost does not grow with how many phrasings mention a meter.
    """
    if not rare:  # only common words: they find the entries themselves
        rare, common = common, []
    if not rare:
        return {}
    # The word with the most entries fills the dict in C; the others add to it.
    rare.sort(key=itemgetter(0), reverse=True)  # stable: equal counts keep the question's order
    _, first, _, first_weight = rare[0]
    overlap: dict[int, float] = dict.fromkeys(first, first_weight)
    get = overlap.get
    for _, entries, _, w in rare[1:]:
        for entry in entries:
            overlap[entry] = get(entry, 0.0) + w
    for _, _, common_set, w in common:
        for entry in common_set.intersection(overlap):  # type: ignore[union-attr]  # the intersection in C
            overlap[entry] += w
    return overlap
