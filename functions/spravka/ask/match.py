"""Scoring a question against the index: which targets it matches, and how surely (0–100)."""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Mapping

from spravka.ask.index import PRECISION_POWER, Index

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
    """Score of every entry that shares a rarer word with the question (0–100)."""
    scale = 100.0 * (sum(weights.values()) or 1.0) ** -PRECISION_POWER
    norm = index.entry_norm
    return {entry: scale * common * norm[entry] for entry, common in _overlaps(weights, index).items()}


def _overlaps(weights: Mapping[str, float], index: Index) -> dict[int, float]:
    """The question's weight each entry shares with it, for entries that share a rarer word.

    Entries are found through the question's rarer words; its very common words
    ("прибор учёт" in a large base) only add to entries found that way, so the
    cost does not grow with how many phrasings mention a meter.
    """
    postings = index.postings
    known = [(s, w) for s, w in weights.items() if s in postings]
    limit = max(COMMON_POSTINGS, len(index.targets) // 50)
    rare = [(s, w) for s, w in known if len(postings[s]) <= limit]
    common = [(s, w) for s, w in known if len(postings[s]) > limit] if rare else []
    finders = sorted(rare or known, key=lambda item: -len(postings[item[0]]))
    if not finders:
        return {}
    # The word with the most entries fills the dict in C; the others add to it.
    first, first_weight = finders[0]
    overlap: dict[int, float] = dict.fromkeys(postings[first], first_weight)
    get = overlap.get
    for s, w in finders[1:]:
        for entry in postings[s]:
            overlap[entry] = get(entry, 0.0) + w
    entry_stems = index.entry_stems
    for s, w in common:
        for entry, value in overlap.items():
            if s in entry_stems[entry]:
                overlap[entry] = value + w
    return overlap


def rank(stems: frozenset[str], index: Index, *, guessed: frozenset[str] = frozenset(),
         limit: int = 5) -> list[Candidate]:
    """Targets ordered by score; empty when nothing shares a word.

    The entry score (common/entry)^R · (common/question)^P is computed as
    common · entry^-R · question^-P with entry^-R precomputed per entry
    (R + P = 1): one multiplication per entry instead of two powers.
    """
    if not stems:
        return []
    weights = query_weights(stems, index, guessed)
    query_mass = sum(weights.values())
    coverage: dict[str, float] = {}
    get = coverage.get
    for s, w in weights.items():
        for target, strong in index.bag_postings.get(s, ()):
            coverage[target] = get(target, 0.0) + (w if strong else w * WEAK_WORD)
    norm, target_of = index.entry_norm, index.target_number
    best = [0.0] * len(index.target_numbers)
    best_at = [-1] * len(index.target_numbers)
    for entry, common in _overlaps(weights, index).items():
        score = common * norm[entry]
        number = target_of[entry]
        if score > best[number]:
            best[number], best_at[number] = score, entry
    entry_scale = ENTRY_SHARE * 100.0 * query_mass ** -PRECISION_POWER
    cover_scale = (1 - ENTRY_SHARE) * 100.0 / query_mass
    numbers = index.target_numbers
    # Negated scores: tuples compare in C, best first, ties by target id.
    top = heapq.nsmallest(limit, [(-entry_scale * best[numbers[target]] - cover_scale * covered, target, covered)
                                  for target, covered in coverage.items()])
    return [Candidate(target, -negated, covered / query_mass, best_at[numbers[target]])
            for negated, target, covered in top]
