"""The learned scorer at request time: a sparse sum of the question's feature weights, then softmax.

The weights come from a linear model trained at `spravka build-index`
(spravka_tools/knowledge/train.py); here they are plain tuples, so `ask` imports
neither scikit-learn nor numpy (cold start).

Features of a question (`features`): each of its stems, and the letter 3- and
4-grams of each longer word it has, weighing NGRAM_WEIGHT. The stems carry what
the knowledge's phrasings say; the n-grams reach a word form or a compound the
phrasings never used («горячка», «электросчётчик») through the parts it shares
with words they did use.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

NGRAM_WEIGHT = 0.3
NGRAM_SIZES = (3,)
NGRAM_MIN_WORD = 4  # shorter words: the stem says it all
NGRAM_PREFIX = "#"  # n-gram features are told from stems by this (a stem never starts with it)


Pairs = tuple[tuple[int, float], ...]  # (class number, weight)
# A word's summed trigram weights: class numbers and weights side by side in two arrays, ~10 bytes a pair
# where a tuple of pairs takes ~90 (the cache held 57 MB after 9,800 questions, and up to ~200 MB full).
WordPairs = tuple["array[int]", "array[float]"]
Flat = list[Any]  # [class number, weight, class number, weight, …]: index.json's own lists, nothing built at load
WORD_CACHE_LIMIT = 32_768  # words whose summed trigram weights an instance keeps (then the cache is emptied)


class Model(NamedTuple):
    classes: tuple[str, ...]  # targets: article id, "@operator", "@out-of-scope", "@smalltalk:bye"…
    bias: tuple[float, ...]  # per class
    weights: Mapping[str, Flat]  # feature -> its non-zero weights as [class, weight, class, weight…]
    # Per instance: a word -> its trigrams' weights summed per class (× NGRAM_WEIGHT), so a question
    # costs one lookup per word instead of one per trigram. Never by question: by word.
    word_cache: dict[str, WordPairs]
    # Per instance: a stem -> its weights as (class, weight) pairs, made on first use (a tuple of pairs is
    # quicker to walk per question than the flat list, and making them all at load would cost cold start).
    stem_cache: dict[str, Pairs]


def features(stems: Iterable[str], words: Iterable[str], stopwords: frozenset[str]) -> dict[str, float]:
    """The model's features of a question: its stems (1 each) and its longer words' letter n-grams."""
    feats = dict.fromkeys(stems, 1.0)
    for word in words:
        if len(word) < NGRAM_MIN_WORD or word in stopwords or not word.isalpha():
            continue
        marked = f"<{word}>"
        for size in NGRAM_SIZES:
            for start in range(len(marked) - size + 1):
                gram = NGRAM_PREFIX + marked[start : start + size]
                feats[gram] = feats.get(gram, 0.0) + NGRAM_WEIGHT
    return feats


def probabilities(model: Model, feats: Mapping[str, float]) -> list[float]:
    """Each class's probability for these features (softmax of bias + the features' weighted sum)."""
    logits = list(model.bias)
    weights = model.weights
    for feature, value in feats.items():
        flat = weights.get(feature)
        if flat:
            it = iter(flat)
            for number, w in zip(it, it):
                logits[number] += w * value
    return _softmax(logits)


def question_probabilities(
    model: Model, stems: Iterable[str], words: Iterable[str], stopwords: frozenset[str]
) -> list[float]:
    """`probabilities(model, features(stems, words, stopwords))`, with each word's trigrams summed once per instance."""
    return weighted_probabilities(model, ((stems, words, 1.0),), stopwords)


def weighted_probabilities(
    model: Model, parts: Iterable[tuple[Iterable[str], Iterable[str], float]], stopwords: frozenset[str]
) -> list[float]:
    """The probabilities of a text read in parts (stems, words, weight): each part's features count `weight`
    times; a stem in several parts counts once, at its largest weight; each word's trigrams are summed once
    per instance (`Model.word_cache`)."""
    logits = list(model.bias)
    weights = model.weights
    stem_weight: dict[str, float] = {}
    for stems, _, part_weight in parts:
        for s in stems:
            if stem_weight.get(s, 0.0) < part_weight:
                stem_weight[s] = part_weight
    stem_cache = model.stem_cache
    for s, part_weight in stem_weight.items():
        pairs = stem_cache.get(s)
        if pairs is None:
            flat = weights.get(s)
            if not flat:
                continue
            pairs = stem_cache[s] = tuple(zip(flat[::2], flat[1::2]))  # bounded: only the model's features
        for number, w in pairs:
            logits[number] += w * part_weight
    cache = model.word_cache
    for _, words, part_weight in parts:
        for word in words:
            found = cache.get(word)
            if found is None:
                found = _word_pairs(model, word, stopwords)
                if len(cache) >= WORD_CACHE_LIMIT:
                    cache.clear()
                cache[word] = found
            numbers, values = found
            for number, w in zip(numbers, values):
                logits[number] += w * part_weight
    return _softmax(logits)


def _word_pairs(model: Model, word: str, stopwords: frozenset[str]) -> WordPairs:
    if len(word) < NGRAM_MIN_WORD or word in stopwords or not word.isalpha():
        return _NO_PAIRS
    summed: dict[int, float] = {}
    marked = f"<{word}>"
    for size in NGRAM_SIZES:
        for start in range(len(marked) - size + 1):
            it: Iterator[Any] = iter(model.weights.get(NGRAM_PREFIX + marked[start : start + size], ()))
            for number, w in zip(it, it):
                summed[number] = summed.get(number, 0.0) + w * NGRAM_WEIGHT
    return array("H" if len(model.classes) <= 0xFFFF else "I", summed), array("d", summed.values())


_NO_PAIRS: WordPairs = (array("H"), array("d"))


def _softmax(logits: list[float]) -> list[float]:
    top = max(logits)
    exps = [math.exp(v - top) for v in logits]
    total = sum(exps)
    return [e / total for e in exps]


def ranked(model: Model, feats: Mapping[str, float], limit: int = 8) -> list[tuple[str, float]]:
    """The most probable targets, best first (ties by target id)."""
    return top_of(model, probabilities(model, feats), limit)


def top_of(model: Model, probs: list[float], limit: int = 8) -> list[tuple[str, float]]:
    """The `limit` most probable targets of these probabilities, best first (ties by target id: the classes
    are sorted, and `heapq.nlargest` keeps the earlier of equal ones first). A selection, not a sort: at a
    hundred times the knowledge, sorting every class per question cost more than scoring it."""
    classes = model.classes
    return [(classes[i], probs[i]) for i in heapq.nlargest(limit, range(len(probs)), key=probs.__getitem__)]


def model_from_data(data: Mapping[str, Any]) -> Model:
    """The model as index.json stores it: {"classes", "bias", "weights": {feature: [class, weight, class, weight…]}}."""
    return Model(tuple(data["classes"]), tuple(data["bias"]), data["weights"], {}, {})
