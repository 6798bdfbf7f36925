"""Choosing `ask`'s thresholds on the held-out folds of `spravka eval --cv` (never on the public sets).

The rule (docs/ask.md): a wrong article is worse than «не знаю», by WRONG_COST.
0. calibration: a logistic fit, over the held-out questions whose most probable target is
   an article, of "that article is the right one" on ask.answer.confidence_measures;
1. answer and action: the pair on the grid with the most held-out questions
   answered right less WRONG_COST × the wrong answers, keeping the honest
   «не знаю» on at least MIN_DEFERRAL of the out-of-scope questions and wrong
   answers to at most MAX_WRONG of all questions;
2. clarify: with those fixed, the clarify and option thresholds that offer the right
   article in the most clarifications, keeping the same two floors (`keeps_floors`) and
   at least MIN_CLARIFY_HIT of clarifications holding the right article (a clarification
   that does not is worse than «не знаю»).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from spravka.ask.answer import Calibration, Thresholds, confidence_measures
from spravka_tools.eval.cv import Scored, reply_of

WRONG_COST = 4.0
MIN_DEFERRAL = 0.90
MAX_WRONG = 0.02  # a wrong article on at most this share of the held-out questions
MIN_CLARIFY_HIT = 0.5
ANSWER_GRID = tuple(
    round(0.20 + 0.025 * i, 3) for i in range(32)
)  # 0.200 … 0.975: fine enough to meet MAX_WRONG closely
ACTION_GRID = tuple(round(0.30 + 0.10 * i, 2) for i in range(7))  # 0.30 … 0.90
CLARIFY_GRID = tuple(round(0.20 + 0.10 * i, 2) for i in range(7))  # 0.20 … 0.80
OPTION_GRID = (0.05, 0.10, 0.15, 0.20)
NO_CLARIFY = 2.0  # a clarify threshold no probability reaches


def fit_calibration(records: Sequence[Scored], indexes: Sequence[Any]) -> Calibration:
    """Step 0 of the rule: how sure an answer is, fitted on the held-out questions."""
    from sklearn.linear_model import LogisticRegression

    measures, right = [], []
    for record in records:
        if record.smalltalk or not record.scored or record.scored[0][0].startswith("@"):
            continue
        measures.append(confidence_measures(record.analysis, record.scored, indexes[record.held.fold].reliability))
        right.append(record.scored[0][0] == record.held.target)
    fitted = LogisticRegression(C=1.0).fit(measures, right)
    return Calibration._make([*(round(float(w), 3) for w in fitted.coef_[0]), round(float(fitted.intercept_[0]), 3)])


def tally(
    records: Sequence[Scored], indexes: Sequence[Any], thresholds: Thresholds, calibration: Calibration
) -> dict[str, float]:
    """The figures the rule looks at: correct and wrong shares, deferral, clarifications and their hits."""
    correct = wrong = deferred = out_of_scope = clarified = hits = 0
    for record in records:
        reply = reply_of(record, indexes[record.held.fold], thresholds, calibration)
        expect = record.held.expect
        kind = reply.kind
        if expect == "fallback":
            out_of_scope += 1
            deferred += kind == "fallback"
        if kind == "answer":
            right = reply.article is not None and reply.article.id == expect
            correct += right
            wrong += not right
        elif kind == "clarify":
            clarified += 1
            hits += any(a.id == expect for a in reply.suggestions)
        elif kind == "action":
            correct += reply.action == expect
        else:
            correct += kind == expect
    n = len(records) or 1
    return {
        "overall": correct / n,
        "wrong": wrong / n,
        "deferral": deferred / (out_of_scope or 1),
        "clarify_rate": clarified / n,
        "clarify_hit": hits / (clarified or 1),
        "clarify_hits": hits / n,
    }


def utility(figures: dict[str, float]) -> float:
    return figures["overall"] - WRONG_COST * figures["wrong"]


def keeps_floors(figures: dict[str, float]) -> bool:
    return figures["deferral"] >= MIN_DEFERRAL and figures["wrong"] <= MAX_WRONG


def choose(records: Sequence[Scored], indexes: Sequence[Any]) -> tuple[Calibration, Thresholds, dict[str, float]]:
    """The calibration and thresholds the rule picks, with their figures on the held-out questions."""
    calibration = fit_calibration(records, indexes)
    best: tuple[float, Thresholds, dict[str, float]] | None = None
    for answer, action in itertools.product(ANSWER_GRID, ACTION_GRID):
        thresholds = Thresholds(answer=answer, clarify=NO_CLARIFY, option=1.0, action=action)
        figures = tally(records, indexes, thresholds, calibration)
        if keeps_floors(figures) and (best is None or utility(figures) > best[0]):
            best = (utility(figures), thresholds, figures)
    if best is None:  # nothing meets the floor: the most careful pair
        thresholds = Thresholds(answer=ANSWER_GRID[-1], clarify=NO_CLARIFY, option=1.0, action=ACTION_GRID[-1])
        best = (0.0, thresholds, tally(records, indexes, thresholds, calibration))
    _, chosen, chosen_figures = best
    top = (chosen_figures["clarify_hits"], chosen, chosen_figures)
    for clarify, option in itertools.product(CLARIFY_GRID, OPTION_GRID):
        thresholds = chosen._replace(clarify=clarify, option=option)
        figures = tally(records, indexes, thresholds, calibration)
        if keeps_floors(figures) and figures["clarify_hit"] >= MIN_CLARIFY_HIT and figures["clarify_hits"] > top[0]:
            top = (figures["clarify_hits"], thresholds, figures)
    return calibration, top[1], top[2]
