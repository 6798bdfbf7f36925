"""Training the learned scorer at `spravka build-index` (scikit-learn: a build and test dependency only).

The model reads a phrasing through the same `analyse` as the questions, so it
learns over stems after layout, translit, typo and synonym fixes. Its weights
are written into index.json for ask/model.py: per feature the weights are
shifted by their median over the classes (softmax does not change when every
class gets the same addend), rounded, and those that round to nothing dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spravka.ask.model import features

# What held-out cross-validation preferred (docs/ask.md has the comparison).
MODEL = "logreg"
# Weights are written with this many decimals, and those smaller than MIN_WEIGHT dropped
# (after the median shift): 14 of the 47 thousand non-zero weights remain, held-out figures the same.
DECIMALS = 2
MIN_WEIGHT = 0.05


def make_estimator(kind: str) -> Any:
    """A linear classifier of this kind, seeded where it has randomness."""
    if kind == "logreg":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=LOGREG_C, max_iter=2000)
    if kind == "cnb":
        from sklearn.naive_bayes import ComplementNB

        return ComplementNB(alpha=0.3)
    if kind == "svm":
        from sklearn.svm import LinearSVC

        return LinearSVC(C=0.5, random_state=0)
    raise ValueError(f"unknown model kind: {kind}")


LOGREG_C = 10.0
# Sentences of an article's page are samples of it too, weighing this much of a phrasing:
# a word only the page uses then counts for the article. 0: held-out folds preferred the pages out (docs/ask.md).
PAGE_WEIGHT = 0.0


def fit(samples: Sequence[tuple[str, Sequence[str]]], kind: str = MODEL,
        weights: Sequence[float] | None = None) -> tuple[Any, list[str]]:
    """Train on (target, stems) samples (weighted); returns the estimator and its feature names (column order)."""
    from sklearn.feature_extraction import DictVectorizer

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict.fromkeys(features(stems), 1) for _, stems in samples]).tocsr()
    x.indices, x.indptr = x.indices.astype("int32"), x.indptr.astype("int32")  # what LinearSVC accepts
    estimator = make_estimator(kind)
    estimator.fit(x, [target for target, _ in samples], sample_weight=weights)
    return estimator, list(vectorizer.get_feature_names_out())


def linear_parts(estimator: Any) -> tuple[Any, Any]:
    """(weights: classes × features, bias per class) of a fitted linear classifier."""
    import numpy as np

    if hasattr(estimator, "feature_log_prob_"):  # naive Bayes: its log-likelihoods are the weights
        return np.asarray(estimator.feature_log_prob_), np.zeros(len(estimator.classes_))
    return np.asarray(estimator.coef_), np.asarray(estimator.intercept_)


def export(estimator: Any, names: Sequence[str], *, decimals: int | None = DECIMALS,
           min_weight: float = MIN_WEIGHT) -> dict[str, Any]:
    """The model as index.json stores it (ask.model.model_from_data); `decimals=None, min_weight=0` keeps it exact."""
    import numpy as np

    weights, bias = linear_parts(estimator)
    weights = weights - np.median(weights, axis=0, keepdims=True)
    bias = bias - np.median(bias)
    out: dict[str, list[float | int]] = {}
    for column, name in enumerate(names):
        flat: list[float | int] = []
        for number, w in enumerate(weights[:, column]):
            value = float(w) if decimals is None else round(float(w), decimals)
            if value and abs(value) >= min_weight:
                flat += [number, value]
        if flat:
            out[str(name)] = flat
    return {
        "classes": [str(c) for c in estimator.classes_],
        "bias": [float(b) if decimals is None else round(float(b), decimals) for b in bias],
        "weights": out,
    }


def train_model(samples: Sequence[tuple[str, Sequence[str]]], weights: Sequence[float] | None = None, *,
                kind: str = MODEL) -> dict[str, Any]:
    estimator, names = fit(samples, kind, weights)
    return export(estimator, names)
