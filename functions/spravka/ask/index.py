"""The assistant's index in memory: loaded once per instance from spravka/data/index.json."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from spravka.ask.normalise import Lexicon
from spravka.ask.stopwords import STOPWORDS

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


@dataclasses.dataclass(frozen=True, eq=False)  # one per article per index: hashed by identity (answer._ref_json)
class ArticleRef:
    id: str
    title: str
    section: str
    url: str
    text: str
    links: tuple[Mapping[str, str], ...]


class StemFacts(NamedTuple):
    """What the index knows of one stem, in one place: a question's stem is looked up once, not in five maps."""

    weight: float  # how much the word counts in a question (rare question words most)
    entries: tuple[int, ...]  # the entries (phrasings) that contain it
    common: frozenset[int] | None  # the same entries as a set when the word is so common that it only adds
    #                                to entries found through rarer words; None for a rarer word
    strong: tuple[int, ...]  # numbers of the targets whose questions use it
    weak: tuple[int, ...]  # numbers of the targets whose page text only uses it


# A stem the knowledge never uses.
UNKNOWN_STEM = StemFacts(UNKNOWN_WEIGHT, (), None, (), ())


@dataclasses.dataclass(frozen=True, eq=False)
class Index:
    articles: Mapping[str, ArticleRef]
    replies: Mapping[str, str]
    lexicon: Lexicon
    idf: Mapping[str, float]
    targets: tuple[str, ...]  # per entry: article id, "@operator", "@smalltalk:thanks", ...
    target_ids: tuple[str, ...]  # every target once, sorted: a target's number is its place here
    target_numbers: Mapping[str, int]  # target -> its number
    target_number: tuple[int, ...]  # per entry: its target's number
    entry_stems: tuple[frozenset[str], ...]
    entry_norm: tuple[float, ...]  # (sum of the entry's stem weights) ** -RECALL_POWER
    out_of_scope: frozenset[str]  # stems that mark another company's business
    smalltalk: Mapping[str, frozenset[str]]  # kind of small talk -> words it is made of
    chatter: frozenset[str]  # every small-talk word and stopword: a message of these only
    # stem -> its weight, entries and targets; a stem not here (never in the knowledge) is UNKNOWN_STEM.
    # Rare question words weigh most, page-only words less.
    stems: Mapping[str, StemFacts]


def index_from_data(data: Mapping[str, Any]) -> Index:
    lex = data["lexicon"]
    lexicon = Lexicon.create(lex["words"], lex["stems"], {tuple(k): tuple(v) for k, v in lex["synonyms"]}, STOPWORDS)
    idf: dict[str, float] = data["idf"]
    targets = tuple(str(t) for t, _ in data["entries"])
    entry_stems = tuple(frozenset(stems) for _, stems in data["entries"])
    # Numbered in sorted order, so that ordering by number is ordering by id (match.rank's ties).
    target_ids = tuple(sorted({*targets, *data["bags"]}))
    numbers = {t: i for i, t in enumerate(target_ids)}
    entry_mass = tuple(sum(idf.get(s, 0.0) for s in stems) or 1.0 for stems in entry_stems)
    postings: dict[str, list[int]] = {}
    for i, entry_stem_set in enumerate(entry_stems):
        for s in entry_stem_set:
            postings.setdefault(s, []).append(i)
    bags: dict[bool, dict[str, list[int]]] = {True: {}, False: {}}
    for target, bag in sorted(data["bags"].items()):
        for strong in (True, False):
            for s in bag["strong" if strong else "weak"]:
                bags[strong].setdefault(s, []).append(numbers[target])
    common_limit = max(COMMON_POSTINGS, len(targets) // 50)
    question_stems = frozenset(s for b in data["bags"].values() for s in b["strong"])
    weights = {
        s: value if s in question_stems else min(value, UNKNOWN_WEIGHT) * PAGE_ONLY_WEIGHT for s, value in idf.items()
    }
    stems: dict[str, StemFacts] = {}
    for s in sorted({*weights, *postings, *bags[True], *bags[False]}):
        entries = tuple(postings.get(s, ()))
        stems[s] = StemFacts(
            weights.get(s, UNKNOWN_WEIGHT),
            entries,
            frozenset(entries) if len(entries) > common_limit else None,
            tuple(bags[True].get(s, ())),
            tuple(bags[False].get(s, ())),
        )
    smalltalk = {kind: frozenset(words) for kind, words in data.get("smalltalk", {}).items()}
    return Index(
        articles={
            a["id"]: ArticleRef(a["id"], a["title"], a["section"], a["url"], a["text"], tuple(a["links"]))
            for a in data["articles"]
        },
        replies=dict(data["replies"]),
        lexicon=lexicon,
        idf=idf,
        targets=targets,
        target_ids=target_ids,
        target_numbers=numbers,
        target_number=tuple(numbers[t] for t in targets),
        entry_stems=entry_stems,
        entry_norm=tuple(m**-RECALL_POWER for m in entry_mass),
        out_of_scope=frozenset(data.get("out_of_scope_stems", ())),
        stems=stems,
        smalltalk=smalltalk,
        chatter=frozenset().union(*smalltalk.values(), lexicon.stopwords),
    )


def load_index(path: Path) -> Index:
    return index_from_data(json.loads(path.read_text(encoding="utf-8")))


@functools.cache
def get_index() -> Index:
    """The index of this instance, loaded on first use."""
    from spravka.config import get_settings

    return load_index(get_settings().index_path)
