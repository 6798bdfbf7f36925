"""Typo correction: a word the knowledge never uses -> the nearest word it does (OSA distance, rapidfuzz)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Protocol

from rapidfuzz import process
from rapidfuzz.distance import OSA


class Lexicon(Protocol):
    """What typo correction reads of ask.normalise.Lexicon (a protocol, so this module imports nothing of it)."""

    @property
    def words(self) -> frozenset[str]: ...
    @property
    def by_length(self) -> Mapping[int, tuple[str, ...]]: ...
    @property
    def _pools(self) -> dict[tuple[int, int], list[str]]: ...
    @property
    def _deletions(self) -> dict[str, list[str]]: ...
    def __hash__(self) -> int: ...


def forget_corrections() -> None:
    """Forget every correction made so far (benchmarks time the first reading of a question's words)."""
    _correct_cached.cache_clear()


def correct_typo(word: str, lexicon: Lexicon) -> str | None:
    """The nearest known word within the edits its length allows, or None."""
    if len(word) < 5 or not re.fullmatch(r"[а-я]+", word):
        return None
    return _correct_cached(word, lexicon)


@functools.lru_cache(maxsize=16384)
def _correct_cached(word: str, lexicon: Lexicon) -> str | None:
    # Fewest edits first; on a tie, a word that keeps the typed first letter
    # ("пверки" is "поверки", not "сверки"): people rarely miss the first key;
    # then the alphabet. So a one-edit word with the same first letter is the
    # answer when there is one (looked up); otherwise the pool is searched.
    close = one_edit_words(lexicon, word)
    if close:
        return min(close)
    max_edits = 1 if len(word) < 8 else 2
    found = process.extract(
        word,
        words_of_length(lexicon, len(word) - max_edits, len(word) + max_edits),
        scorer=OSA.distance,
        score_cutoff=max_edits,
        limit=None,
    )
    if not found:
        return None
    return min(found, key=lambda hit: (hit[1], hit[0][0] != word[0], hit[0]))[0]


def one_edit_words(lexicon: Lexicon, word: str) -> list[str]:
    """Known words one edit (OSA) from `word` that keep its first letter.

    Looked up, not searched: every known word of 5+ letters is filed under each of
    its one-letter deletions (built on the first call, ~20 ms). A word one edit away
    is then the typed word with a letter dropped or two swapped, or is filed under
    the typed word (a letter missing) or under one of its deletions (a letter
    changed); OSA then keeps those that really are one edit away.
    """
    deletions = lexicon._deletions
    if not deletions:
        built: dict[str, list[str]] = {}
        for length, known in lexicon.by_length.items():
            if length >= 5:
                for known_word in known:
                    for i in range(length):
                        built.setdefault(known_word[:i] + known_word[i + 1 :], []).append(known_word)
        deletions.update(built)  # two threads building at once file the same lists
    found = set(deletions.get(word, ()))
    for i in range(len(word)):
        shorter = word[:i] + word[i + 1 :]
        if shorter in lexicon.words:
            found.add(shorter)
        found.update(deletions.get(shorter, ()))
    for i in range(len(word) - 1):
        swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if swapped in lexicon.words:
            found.add(swapped)
    return [w for w in found if w[0] == word[0] and OSA.distance(word, w) == 1]


def words_of_length(lexicon: Lexicon, shortest: int, longest: int) -> list[str]:
    """Known words of these lengths: the typo corrector's pools, built once each."""
    pool = lexicon._pools.get((shortest, longest))
    if pool is None:
        pool = [w for n in range(shortest, longest + 1) for w in lexicon.by_length.get(n, ())]
        lexicon._pools[(shortest, longest)] = pool
    return pool
