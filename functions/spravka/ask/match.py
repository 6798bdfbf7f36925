"""Scoring a question against the index: which targets it matches, and how surely (0–100)."""

from __future__ import annotations

import dataclasses

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


@dataclasses.dataclass(frozen=True)
class Candidate:
    target: str        # article id or "@intent"
    score: float       # 0–100
    entry: int         # the best entry of that target (-1: matched by its page text only)


def entry_scores(stems: frozenset[str], index: Index) -> dict[int, float]:
    """Score of every entry that shares a word with the question (0–100)."""
    query_mass = sum(index.weight(s) for s in stems) or 1.0
    overlap: dict[int, float] = {}
    for s in stems:
        w = index.idf.get(s)
        if w is not None:
            for entry in index.postings.get(s, ()):
                overlap[entry] = overlap.get(entry, 0.0) + w
    return {entry: _entry_score(common, index.entry_mass[entry], query_mass) for entry, common in overlap.items()}


def _entry_score(common: float, entry_mass: float, query_mass: float) -> float:
    return 100.0 * ((common / entry_mass) ** RECALL_POWER) * ((common / query_mass) ** PRECISION_POWER)


def rank(stems: frozenset[str], index: Index, *, limit: int = 5) -> list[Candidate]:
    """Targets ordered by score; empty when nothing shares a word."""
    query = set(stems)
    if not query:
        return []
    query_mass = sum(index.weight(s) for s in query)
    coverage: dict[str, float] = {}
    for s in query:
        w = index.idf.get(s)
        if w is not None:
            for target, strong in index.bag_postings.get(s, ()):
                coverage[target] = coverage.get(target, 0.0) + (w if strong else w * WEAK_WORD)
    best_entry: dict[str, tuple[float, int]] = {}
    for entry, score in entry_scores(query, index).items():
        target = index.targets[entry]
        if target not in best_entry or score > best_entry[target][0]:
            best_entry[target] = (score, entry)
    candidates = []
    for target, covered in coverage.items():
        entry_score, entry = best_entry.get(target, (0.0, -1))
        score = ENTRY_SHARE * entry_score + (1 - ENTRY_SHARE) * 100.0 * covered / query_mass
        candidates.append(Candidate(target, score, entry))
    return sorted(candidates, key=lambda c: (-c.score, c.target))[:limit]
