"""Training the learned scorer at `spravka build-index` (scikit-learn: a build and test dependency only).

The model reads a phrasing through the same `analyse` and `features` as a
question (ask/model.py), so it learns over stems after layout, translit, typo
and synonym fixes, plus letter n-grams. Its weights are written into index.json:
per feature shifted by their median over the classes (softmax does not change
when every class gets the same addend), rounded, and those that round to
nothing dropped. docs/ask.md has the comparison that chose the model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# Multinomial logistic regression, this much inverse regularisation (held-out folds: docs/ask.md).
LOGREG_C = 10.0
# Weights are written with this many decimals; those under MIN_WEIGHT after the median shift are dropped.
DECIMALS = 2
MIN_WEIGHT = 0.1
# A feature keeps its weights in at most this many classes, the largest by size: a question's cost is the
# (class, weight) pairs its features carry, and at a hundred times the knowledge a common trigram would
# otherwise weigh in thousands of classes (docs/ask.md, Speed).
MAX_FANOUT = 48


def fit(samples: Sequence[tuple[str, Mapping[str, float]]], c: float = LOGREG_C) -> tuple[Any, list[str]]:
    """Train on (target, features) samples; returns the estimator and its feature names (column order)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict(f) for _, f in samples])
    estimator = LogisticRegression(C=c, max_iter=3000)
    estimator.fit(x, [target for target, _ in samples])
    return estimator, [str(n) for n in vectorizer.get_feature_names_out()]


def export(
    estimator: Any,
    names: Sequence[str],
    *,
    decimals: int | None = DECIMALS,
    min_weight: float = MIN_WEIGHT,
    max_fanout: int | None = MAX_FANOUT,
) -> dict[str, Any]:
    """The model as index.json stores it (ask.model.model_from_data); `decimals=None, min_weight=0,
    max_fanout=None` keeps it exact."""
    import numpy as np

    weights = np.asarray(estimator.coef_)
    bias = np.asarray(estimator.intercept_)
    weights = weights - np.median(weights, axis=0, keepdims=True)
    bias = bias - np.median(bias)
    out: dict[str, list[float | int]] = {}
    for column, name in enumerate(names):
        kept = []
        for number, w in enumerate(weights[:, column]):
            value = float(w) if decimals is None else round(float(w), decimals)
            if value and abs(value) >= min_weight:
                kept.append((number, value))
        if kept:
            out[name] = _flat(kept, max_fanout)
    return {
        "classes": [str(c) for c in estimator.classes_],
        "bias": [float(b) if decimals is None else round(float(b), decimals) for b in bias],
        "weights": out,
    }


def train_model(samples: Iterable[tuple[str, Mapping[str, float]]]) -> dict[str, Any]:
    estimator, names = fit(list(samples))
    return export(estimator, names)


def counting_model(samples: Iterable[tuple[str, Mapping[str, float]]]) -> dict[str, Any]:
    """A model of the shipped one's shape without its training: per class and feature, the log share of the
    class's samples that have the feature. Only `spravka bench` uses it, to measure request-time cost on
    knowledge 10 and 100 times larger, where logistic regression would train for hours."""
    import math

    counts: dict[str, dict[str, float]] = {}
    sizes: dict[str, int] = {}
    for target, feats in samples:
        sizes[target] = sizes.get(target, 0) + 1
        per = counts.setdefault(target, {})
        for f in feats:
            per[f] = per.get(f, 0.0) + 1.0
    classes = sorted(sizes)
    per_feature: dict[str, list[tuple[int, float]]] = {}
    for number, target in enumerate(classes):
        for f, n in sorted(counts[target].items()):
            per_feature.setdefault(f, []).append((number, round(math.log1p(10 * n / sizes[target]), DECIMALS)))
    weights = {f: _flat(kept, MAX_FANOUT) for f, kept in per_feature.items()}
    return {"classes": classes, "bias": [0.0] * len(classes), "weights": weights}


def _flat(kept: list[tuple[int, float]], max_fanout: int | None) -> list[float | int]:
    """(class, weight) pairs as index.json's flat list in class order, only the `max_fanout` largest by size."""
    if max_fanout is not None and len(kept) > max_fanout:
        kept = sorted(sorted(kept, key=lambda pair: -abs(pair[1]))[:max_fanout])
    return [x for pair in kept for x in pair]
