"""The learned scorer at request time: a sparse sum of the question's feature weights, then softmax.

The weights come from a linear model trained at `spravka build-index`
(knowledge/train.py); here they are plain lists, so `ask` imports neither
scikit-learn nor numpy (cold start).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

class Model(NamedTuple):
    classes: tuple[str, ...]                              # targets: article id, "@operator", "@smalltalk:bye"…
    bias: tuple[float, ...]                               # per class
    weights: Mapping[str, tuple[tuple[int, float], ...]]  # feature -> (class number, weight) for its non-zero weights


def features(stems: Sequence[str]) -> list[str]:
    """The model's features of a question's stems: each stem once (adjacent stem pairs lost on held-out folds)."""
    return list(dict.fromkeys(stems))


def probabilities(model: Model, feats: Iterable[str]) -> list[float]:
    """Each class's probability for these features (softmax of bias + the features' weights)."""
    logits = list(model.bias)
    weights = model.weights
    for f in feats:
        for number, w in weights.get(f, ()):
            logits[number] += w
    top = max(logits)
    exps = [math.exp(v - top) for v in logits]
    total = sum(exps)
    return [e / total for e in exps]


def ranked(model: Model, feats: Iterable[str], limit: int = 8) -> list[tuple[str, float]]:
    """The most probable targets, best first (ties by target id)."""
    probs = probabilities(model, feats)
    order = sorted(range(len(probs)), key=lambda i: (-probs[i], model.classes[i]))[:limit]
    return [(model.classes[i], probs[i]) for i in order]


def model_from_data(data: Mapping[str, Any]) -> Model:
    """The model as index.json stores it: {"classes", "bias", "weights": {feature: [class, weight, class, weight…]}}."""
    weights = {f: tuple(zip(flat[::2], flat[1::2])) for f, flat in data["weights"].items()}
    return Model(tuple(data["classes"]), tuple(data["bias"]), weights)
