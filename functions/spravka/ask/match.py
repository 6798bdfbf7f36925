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
# A word that is only a typo correction's guess counts less than a word typed right.
GUESSED_WORD = 0.6


@dataclasses.dataclass(frozen=True)
class Candidate:
    target: str        # article id or "@intent"
    score: float       # 0–100
    coverage: float    # share of the question's weight that the target's vocabulary explains
    entry: int         # the best entry of that target (-1: matched by its page text only)


def query_weights(stems: frozenset[str], index: Index, guessed: frozenset[str] = frozenset()) -> dict[str, float]:
    """How much each word of the question counts."""
    return {s: index.weight(s) * (GUESSED_WORD if s in guessed else 1.0) for s in stems}


def entry_scores(stems: frozenset[str], index: Index, guessed: frozenset[str] = frozenset()) -> dict[int, float]:
    """Score of every entry that shares a word with the question (0–100)."""
    weights = query_weights(stems, index, guessed)
    query_mass = sum(weights.values()) or 1.0
    overlap: dict[int, float] = {}
    for s, w in weights.items():
        if s in index.idf:
            for entry in index.postings.get(s, ()):
                overlap[entry] = overlap.get(entry, 0.0) + w
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
    for entry, score in entry_scores(stems, index, guessed).items():
        target = index.targets[entry]
        if target not in best_entry or score > best_entry[target][0]:
            best_entry[target] = (score, entry)
    candidates = []
    for target, covered in coverage.items():
        entry_score, entry = best_entry.get(target, (0.0, -1))
        score = ENTRY_SHARE * entry_score + (1 - ENTRY_SHARE) * 100.0 * covered / query_mass
        candidates.append(Candidate(target, score, covered / query_mass, entry))
    return sorted(candidates, key=lambda c: (-c.score, c.target))[:limit]
