"""Scoring a question against the index: which targets it matches, and how surely (0–100)."""

from __future__ import annotations

import dataclasses

from spravka.ask.index import Index

# How an entry's score weighs its two sides: how much of the entry the question
# covers (recall) and how much of the question the entry explains (precision).
# Recall counts more: a story around the question should not hide it.
RECALL_POWER = 0.65
PRECISION_POWER = 0.35


@dataclasses.dataclass(frozen=True)
class Candidate:
    target: str        # article id or "@intent"
    score: float       # 0–100
    entry: int         # the best entry of that target


def rank(stems: tuple[str, ...], index: Index, *, limit: int = 5) -> list[Candidate]:
    """Targets ordered by their best entry's score; empty when nothing shares a word."""
    query = set(stems)
    if not query:
        return []
    query_mass = sum(index.weight(s) for s in query)
    overlap: dict[int, float] = {}
    for s in query:
        w = index.idf.get(s)
        if w is None:
            continue
        for entry in index.postings.get(s, ()):
            overlap[entry] = overlap.get(entry, 0.0) + w
    best: dict[str, Candidate] = {}
    for entry, common in overlap.items():
        recall = common / index.entry_mass[entry]
        precision = common / query_mass
        score = 100.0 * (recall ** RECALL_POWER) * (precision ** PRECISION_POWER)
        target = index.targets[entry]
        if target not in best or score > best[target].score:
            best[target] = Candidate(target, score, entry)
    return sorted(best.values(), key=lambda c: (-c.score, c.target))[:limit]
