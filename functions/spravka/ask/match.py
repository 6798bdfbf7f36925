"""Scoring a question against the index: which targets it matches, and how surely (0–100)."""

from __future__ import annotations

from collections.abc import Mapping
from operator import itemgetter
from typing import NamedTuple

from spravka.ask.index import PRECISION_POWER, UNKNOWN_STEM, Index

# A target's score mixes its best entry with how much of the question its
# whole vocabulary explains (all its questions; its page text counts less).
ENTRY_SHARE = 0.6
WEAK_WORD = 0.5
# A word that is only a typo correction's guess counts less than a word typed right.
GUESSED_WORD = 0.6


class Candidate(NamedTuple):  # a tuple: eight of them are made per question
    target: str  # article id or "@intent"
    score: float  # 0–100
    coverage: float  # share of the question's weight that the target's vocabulary explains
    entry: int  # the best entry of that target (-1: matched by its page text only)


def query_weights(stems: frozenset[str], index: Index, guessed: frozenset[str] = frozenset()) -> dict[str, float]:
    """How much each word of the question counts."""
    facts = index.stems.get
    return {s: facts(s, UNKNOWN_STEM).weight * (GUESSED_WORD if s in guessed else 1.0) for s in stems}


def entry_scores(weights: Mapping[str, float], index: Index) -> dict[int, float]:
    """Score of every entry that shares a rarer word with the question (0–100)."""
    scale = 100.0 * (sum(weights.values()) or 1.0) ** -PRECISION_POWER
    norm = index.entry_norm
    rare: list[Posting] = []
    common: list[Posting] = []
    facts = index.stems.get
    for s, w in weights.items():
        _, entries, common_set, _, _ = facts(s, UNKNOWN_STEM)
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


def rank(
    stems: frozenset[str], index: Index, *, guessed: frozenset[str] = frozenset(), limit: int = 5
) -> list[Candidate]:
    """Targets ordered by score; empty when nothing shares a word.

    The entry score (common/entry)^R · (common/question)^P is computed as
    common · entry^-R · question^-P with entry^-R precomputed per entry
    (R + P = 1): one multiplication per entry instead of two powers. Per-target
    sums live in lists indexed by target number (cheaper than dicts keyed by id).
    Each stem of the question is looked up once (index.stems holds all its facts):
    on a busy server the index is rarely in the CPU's caches, and every lookup
    saved is a cache miss saved.
    """
    if not stems:
        return []
    facts = index.stems.get
    size = len(index.target_ids)
    # Word weights are positive (idf > 0), so a target is in play exactly when covered > 0.
    covered = [0.0] * size
    rare: list[Posting] = []
    common: list[Posting] = []
    query_mass = 0.0
    for s in stems:
        w, entries, common_set, strong, weak = facts(s, UNKNOWN_STEM)
        if s in guessed:
            w *= GUESSED_WORD
        query_mass += w
        for number in strong:
            covered[number] += w
        if weak:
            w_weak = w * WEAK_WORD
            for number in weak:
                covered[number] += w_weak
        if entries:
            (rare if common_set is None else common).append((len(entries), entries, common_set, w))
    norm, target_of = index.entry_norm, index.target_number
    best = [0.0] * size
    best_at = [-1] * size
    for entry, shared in _overlaps(rare, common).items():
        score = shared * norm[entry]
        number = target_of[entry]
        if score > best[number]:
            best[number], best_at[number] = score, entry
    entry_scale = ENTRY_SHARE * 100.0 * query_mass**-PRECISION_POWER
    cover_scale = (1 - ENTRY_SHARE) * 100.0 / query_mass
    scores = [entry_scale * b + cover_scale * c for b, c in zip(best, covered)]
    # Numbers sorted by score, best first; the sort is stable, so ties stay by number (= by target id).
    # Float keys sort faster than tuples (list.sort compares them specially).
    target_ids = index.target_ids
    ranked: list[Candidate] = []
    for number in sorted(range(size), key=scores.__getitem__, reverse=True)[:limit]:
        if covered[number]:
            ranked.append(
                _candidate(
                    Candidate, (target_ids[number], scores[number], covered[number] / query_mass, best_at[number])
                )
            )
    return ranked


_candidate = tuple.__new__  # a Candidate from a ready tuple, without NamedTuple's __new__ frame
