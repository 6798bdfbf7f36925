"""Scoring a question against the index: which targets it matches, and how surely (0–100)."""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Mapping

from spravka.ask.index import Index

# An entry's score weighs how much of the entry the question covers (recall)
# against how much of the question the entry explains (precision). Recall
# counts more: a story around the question should not hide it.
RECALL_POWER = 0.65
PRECISION_POWER = 0.35
# A target's score mixes its best entry with how much of the question its
# whole vocabulary explains (all its questions; its page text counts less).
ENTRY_SHARE = 0.6
WEAK_WORD = 0.5
# A word that is only a typo correction's guess counts less than a word typed right.
GUESSED_WORD = 0.6
# A word in more phrasings than this (or 2% of them) is common: it does not
# bring entries into play on its own when the question has a rarer word.
COMMON_POSTINGS = 200


@dataclasses.dataclass(frozen=True)
class Candidate:
    target: str        # article id or "@intent"
    score: float       # 0–100
    coverage: float    # share of the question's weight that the target's vocabulary explains
    entry: int         # the best entry of that target (-1: matched by its page text only)


def query_weights(stems: frozenset[str], index: Index, guessed: frozenset[str] = frozenset()) -> dict[str, float]:
    """How much each word of the question counts."""
    return {s: index.weight(s) * (GUESSED_WORD if s in guessed else 1.0) for s in stems}


def entry_scores(weights: Mapping[str, float], index: Index) -> dict[int, float]:
    """Score of every entry that shares a rarer word with the question (0–100).

    Entries are found through the question's rarer words; its very common words
    ("прибор учёт" in a large base) only add to entries found that way, so the
    cost does not grow with how many phrasings mention a meter.
    """
    query_mass = sum(weights.values()) or 1.0
    known = [(s, w) for s, w in weights.items() if s in index.postings]
    limit = max(COMMON_POSTINGS, len(index.targets) // 50)
    rare = [(s, w) for s, w in known if len(index.postings[s]) <= limit]
    common = [(s, w) for s, w in known if len(index.postings[s]) > limit] if rare else []
    overlap: dict[int, float] = {}
    for s, w in rare or known:
        for entry in index.postings[s]:
            overlap[entry] = overlap.get(entry, 0.0) + w
    for entry in overlap:
        entry_stems = index.entry_stems[entry]
        overlap[entry] += sum(w for s, w in common if s in entry_stems)
    return {entry: 100.0 * ((common / index.entry_mass[entry]) ** RECALL_POWER) * ((common / query_mass) ** PRECISION_POWER)
            for entry, common in overlap.items()}


def rank(stems: frozenset[str], index: Index, *, guessed: frozenset[str] = frozenset(),
         limit: int = 5) -> list[Candidate]:
    """Targets ordered by score; empty when nothing shares a word."""
    if not stems:
        return []
    weights = query_weights(stems, index, guessed)
    query_mass = sum(weights.values())
    coverage: dict[str, float] = {}
    for s, w in weights.items():
        if s in index.idf:
            for target, strong in index.bag_postings.get(s, ()):
                coverage[target] = coverage.get(target, 0.0) + (w if strong else w * WEAK_WORD)
    best_entry: dict[str, tuple[float, int]] = {}
    for entry, score in entry_scores(weights, index).items():
        target = index.targets[entry]
        if target not in best_entry or score > best_entry[target][0]:
            best_entry[target] = (score, entry)
    scored = ((ENTRY_SHARE * best_entry.get(target, (0.0, -1))[0] + (1 - ENTRY_SHARE) * 100.0 * covered / query_mass,
               target, covered) for target, covered in coverage.items())
    top = heapq.nsmallest(limit, scored, key=lambda item: (-item[0], item[1]))
    return [Candidate(target, score, covered / query_mass, best_entry.get(target, (0.0, -1))[1])
            for score, target, covered in top]
