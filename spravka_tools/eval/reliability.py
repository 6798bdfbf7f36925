"""How often the model's first choice of each article is right on the held-out folds (`Index.reliability`).

The model's probability says how sure it is; how often it is right when it picks a given article
differs by article: one whose neighbours share its words (tariffs-regulation and tariffs-current) is
picked wrongly more often than one with words of its own (mobile-app). The calibration weighs this
(ask/answer.py, `Calibration.reliability`): per target, the share of held-out first choices that were
right, smoothed toward every article's share by PRIOR questions, as a logit.

In `spravka eval --cv` each fold's questions are judged with a table made from the other folds only
(`cross_fitted`), so the measure never sees a table made from its own answers; the shipped table
(`spravka eval --cv K --tune --save`) is made from every fold.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from spravka.ask.index import RELIABILITY_ANY

PRIOR = 4.0  # held-out questions' worth of the share over all articles that a target's own share starts from


def reliability_table(records: Iterable[Any]) -> dict[str, float]:
    """Per article the model picked first: the logit of how often it was right, rounded to 3 decimals.

    `records` are eval.cv.Scored (not named here: cv imports this module, and imports go one way)."""
    picked: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for record in records:
        if record.smalltalk or not record.scored or record.scored[0][0].startswith("@"):
            continue
        first = record.scored[0][0]
        picked[first] += 1
        right[first] += first == record.held.target
    overall = _share(sum(right.values()), sum(picked.values()), 0.0, 0.5)
    table = {target: round(_logit(_share(right[target], n, PRIOR, overall)), 3) for target, n in picked.items()}
    return {RELIABILITY_ANY: round(_logit(overall), 3), **dict(sorted(table.items()))}


def cross_fitted(records: Sequence[Any], indexes: Sequence[Any]) -> list[Any]:
    """Each fold's index with the table made from the other folds' questions."""
    return [
        dataclasses.replace(index, reliability=reliability_table(r for r in records if r.held.fold != fold))
        for fold, index in enumerate(indexes)
    ]


def save_table(table: dict[str, float], path: Path) -> None:
    path.write_text(json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")


def _share(right: int, n: int, prior: float, base: float) -> float:
    if n + prior == 0:
        return base
    return min(max((right + prior * base) / (n + prior), 0.001), 0.999)


def _logit(p: float) -> float:
    return math.log(p / (1 - p))
