"""From what a customer typed to canonical stems: case, ё, layout, translit, typos (ask/typos.py), synonyms, word forms.

The same `analyse` builds the index and reads the questions, so both sides meet
in one vocabulary of Snowball stems.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import snowballstemmer

from spravka.ask.typos import correct_typo, forget_corrections

_STEMMER = snowballstemmer.stemmer("russian")
# "т1", "т2", "т3" are tariff zones, kept whole; otherwise letters and digits part.
WORD = re.compile(r"т[1-3](?!\d)|[а-я]+|[a-z]+|\d+")
LATIN = re.compile(r"[a-z]")

# ЙЦУКЕН typed on a QWERTY layout (lowercase text, so shifted keys map as well).
_QWERTY = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`{}:\"<>~"
_JCUKEN = "йцукенгшщзхъфывапролджэячсмитьбюёхъжэбюё"
LAYOUT = str.maketrans(_QWERTY, _JCUKEN)

# Translit, longest sequence first; several readings where people write both.
_TRANSLIT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("shch", ("щ",)),
    ("sch", ("сч", "щ")),
    ("zh", ("ж",)),
    ("kh", ("х",)),
    ("ch", ("ч",)),
    ("sh", ("ш",)),
    ("ts", ("ц", "тс")),
    ("tz", ("ц",)),
    ("yu", ("ю",)),
    ("ju", ("ю",)),
    ("ya", ("я",)),
    ("ja", ("я",)),
    ("yo", ("ё", "йо")),
    ("jo", ("ё",)),
    ("ye", ("е",)),
    ("je", ("е",)),
    ("iy", ("ий",)),
    ("yy", ("ый",)),
    ("ij", ("ий",)),
    ("ii", ("ии",)),
    ("a", ("а",)),
    ("b", ("б",)),
    ("v", ("в",)),
    ("g", ("г",)),
    ("d", ("д",)),
    ("e", ("е", "э")),
    ("z", ("з",)),
    ("i", ("и",)),
    ("j", ("й",)),
    ("k", ("к",)),
    ("l", ("л",)),
    ("m", ("м",)),
    ("n", ("н",)),
    ("o", ("о",)),
    ("p", ("п",)),
    ("r", ("р",)),
    ("s", ("с",)),
    ("t", ("т",)),
    ("u", ("у",)),
    ("f", ("ф",)),
    ("h", ("х",)),
    ("c", ("ц", "к")),
    ("y", ("ы", "й")),
    ("w", ("в",)),
    ("x", ("кс",)),
    ("q", ("к",)),
    ("'", ("ь",)),
)
_MAX_VARIANTS = 32


# Words whose Snowball stems collide with a word of another meaning:
# "почём" (what price) and "почему" (why) both stem to "поч".
_STEM_EXCEPTIONS = {"почем": "почем"}


def clear_caches(lexicon: Lexicon) -> None:
    """Forget every word read so far (benchmarks time the first reading of a question's words)."""
    _stem_cached.cache_clear()
    forget_corrections()
    lexicon._readings.clear()


def fold(text: str) -> str:
    """Lowercase, ё→е, unify dashes and spaces."""
    return text.lower().replace("ё", "е").replace("\u00a0", " ")


def stem(word: str) -> str:
    return _stem_cached(word)


@functools.lru_cache(maxsize=65536)
def _stem_cached(word: str) -> str:
    # Words of three letters or fewer are mostly abbreviations (ипу, лк, одн):
    # stemming would merge "ипу" with "ип".
    if word.isdigit() or len(word) <= 3:
        return word
    return _STEM_EXCEPTIONS.get(word) or _STEMMER.stemWord(word)


def translit_variants(chunk: str) -> list[str]:
    """Cyrillic readings of a Latin chunk ("scheta" -> "счета", "щета")."""
    variants = [""]
    i = 0
    while i < len(chunk):
        for latin, cyrillic in _TRANSLIT:
            if chunk.startswith(latin, i):
                variants = [v + c for v in variants for c in cyrillic][:_MAX_VARIANTS]
                i += len(latin)
                break
        else:
            variants = [v + chunk[i] for v in variants]
            i += 1
    return variants


@dataclasses.dataclass(frozen=True, eq=False)  # hashed by identity: one per index
class Lexicon:
    """What the index knows about words: vocabulary, synonyms and words to ignore."""

    words: frozenset[str]  # folded words seen in the knowledge
    stems: frozenset[str]  # their stems (after synonyms)
    synonyms: Mapping[tuple[str, ...], tuple[str, ...]]  # variant stems -> canonical stems
    stopwords: frozenset[str]  # folded words that carry no topic
    by_length: Mapping[int, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    # First stem of a variant -> the lengths of the variants it starts, longest first.
    synonym_sizes: Mapping[str, tuple[int, ...]] = dataclasses.field(default_factory=dict)
    _pools: dict[tuple[int, int], list[str]] = dataclasses.field(default_factory=dict, repr=False)
    _deletions: dict[str, list[str]] = dataclasses.field(default_factory=dict, repr=False)
    # How each chunk of text reads (analyse), kept per lexicon: see READINGS_KEPT.
    _readings: dict[str, "ChunkReading"] = dataclasses.field(default_factory=dict, repr=False)

    @classmethod
    def create(
        cls,
        words: Iterable[str],
        stems: Iterable[str],
        synonyms: Mapping[tuple[str, ...], tuple[str, ...]],
        stopwords: Iterable[str],
    ) -> "Lexicon":
        words = frozenset(words)
        by_length: dict[int, list[str]] = {}
        for word in sorted(words):
            if not word.isdigit():
                by_length.setdefault(len(word), []).append(word)
        sizes: dict[str, set[int]] = {}
        for variant in synonyms:
            sizes.setdefault(variant[0], set()).add(len(variant))
        return cls(
            words,
            frozenset(stems),
            dict(synonyms),
            frozenset(stopwords),
            {n: tuple(ws) for n, ws in by_length.items()},
            {head: tuple(sorted(ns, reverse=True)) for head, ns in sizes.items()},
        )

    def knows(self, word: str) -> bool:
        return word in self.words or stem(word) in self.stems


class Analysis(NamedTuple):  # a tuple: one is made per question, cheaper than a frozen dataclass
    words: tuple[str, ...]  # folded words after layout/translit/typo fixes
    stems: tuple[str, ...]  # canonical stems, stopwords dropped, synonyms applied
    numbers: tuple[str, ...]  # digit runs as typed (readings, account numbers)
    unknown: tuple[str, ...]  # words the knowledge never uses (after corrections)
    corrected: int  # how many words were typo-corrected
    guessed: frozenset[str] = frozenset()  # stems that come from a typo correction only
    sums: tuple[str, ...] = ()  # the numbers among `numbers` written as money («300 рублей», «300р», «300 ₽»)


def analyse(text: str, lexicon: Lexicon) -> Analysis:
    """Read a question (or a knowledge phrase) into canonical stems."""
    fixed: list[str] = []
    numbers: list[str] = []
    unknown: list[str] = []
    guessed: set[str] = set()
    stems: list[str] = []
    sums: list[str] = []
    before: tuple[str, ...] = ()  # the numbers of the chunk before, when it held no word: «300 рублей»
    kept = lexicon._readings
    for chunk in fold(text).split():
        known = kept.get(chunk)
        if known is None:
            known = _read_chunk(chunk, lexicon)
            if _DIGIT.search(chunk) is None:  # chunks with digits are not kept: account and phone numbers
                if len(kept) >= READINGS_KEPT:
                    kept.clear()
                kept[chunk] = known
        readings, digits = known
        numbers.extend(digits)
        if (digits or before) and ("₽" in chunk or any(reading[0] in CURRENCY_WORDS for reading in readings)):
            if before and (not readings or readings[0][0] in CURRENCY_WORDS):
                sums.extend(before)
            sums.extend(digits)
        before = digits if not readings else ()
        for word, word_stem, typed_unknown, guess in readings:
            fixed.append(word)
            if word_stem is not None:
                stems.append(word_stem)
            if typed_unknown is not None:
                unknown.append(typed_unknown)
            if guess is not None:
                guessed.add(guess)
    canonical = apply_synonyms(stems, lexicon)
    return Analysis(
        tuple(fixed),
        canonical,
        tuple(numbers),
        tuple(unknown),
        len(guessed),
        frozenset(guessed & set(canonical)),
        tuple(sums),
    )


_DIGIT = re.compile(r"\d")
# The words after a number that make it a sum of money, not a meter reading («около 300 рублей»).
CURRENCY_WORDS = frozenset(
    {"р", "руб", "рубль", "рубля", "рублей", "тыс", "тысяча", "тысячи", "тысяч", "коп", "копеек"}
)
# (word as read, its stem or None for a stopword, the word as typed when unknown, the stem a typo fix guessed)
Reading = tuple[str, "str | None", "str | None", "str | None"]
# A chunk's words as read, and its numbers.
ChunkReading = tuple[tuple[Reading, ...], tuple[str, ...]]
# Questions repeat their words far more than their wording, so each chunk is read once per
# instance and kept in a plain dict on the lexicon, emptied when it reaches this size (a
# flood of odd words cannot grow it without bound). Not an lru_cache: its bookkeeping on
# every hit touches list nodes scattered in memory, and on a busy server the memory a
# request touches, more than the instructions it runs, is what its time is made of.
READINGS_KEPT = 32768


def _read_chunk(chunk: str, lexicon: Lexicon) -> ChunkReading:
    """How one whitespace-separated chunk reads: its words with their fixes and stems, and its numbers."""
    out: list[Reading] = []
    numbers: list[str] = []
    for word in _convert_chunk(chunk, lexicon):
        if word.isdigit():
            numbers.append(word)
            continue
        typed_unknown = guess = None
        if not lexicon.knows(word):
            candidate = correct_typo(word, lexicon)
            if candidate is None:
                typed_unknown = word
            else:
                word = candidate
                guess = stem(candidate)
        out.append((word, None if word in lexicon.stopwords else stem(word), typed_unknown, guess))
    return tuple(out), tuple(numbers)


def _convert_chunk(chunk: str, lexicon: Lexicon) -> list[str]:
    """Words of one whitespace-separated chunk, reading Latin as wrong layout or translit when that makes sense."""
    if not LATIN.search(chunk):
        return WORD.findall(chunk)
    as_is = WORD.findall(chunk)
    if all(lexicon.knows(w) for w in as_is if not w.isdigit()):
        return as_is
    options = [WORD.findall(fold(chunk.translate(LAYOUT)))]
    options += [WORD.findall(fold(v)) for v in translit_variants(chunk)]
    best = max(options, key=lambda ws: _plausibility(ws, lexicon))
    return best if _plausibility(best, lexicon) > 0 else as_is


def _plausibility(words: list[str], lexicon: Lexicon) -> float:
    known = sum(2.0 if lexicon.knows(w) else 1.0 if correct_typo(w, lexicon) else 0.0 for w in words)
    return known / max(len(words), 1)


def apply_synonyms(stems: list[str], lexicon: Lexicon) -> tuple[str, ...]:
    """Replace each variant (longest first) by its canonical stems."""
    synonyms, sizes = lexicon.synonyms, lexicon.synonym_sizes
    if sizes.keys().isdisjoint(stems):  # no stem starts a variant: nothing to replace (most questions)
        return tuple(stems)
    out: list[str] = []
    i = 0
    while i < len(stems):
        for size in sizes.get(stems[i], ()):  # only the lengths of variants that start with this stem
            key = tuple(stems[i : i + size])
            if len(key) == size and key in synonyms:
                out.extend(synonyms[key])
                i += size
                break
        else:
            out.append(stems[i])
            i += 1
    return tuple(out)
