"""`spravka eval --cv K`: how `ask` does on wording it has never seen, measured on the knowledge itself.

The knowledge's phrasings (article titles and questions, the intents' examples, the
out-of-scope questions, small talk) are split into K folds, stratified by target and
seeded. Each fold is held out: an index is built (lexicon and model) from the rest,
and the held-out phrasings, with seeded perturbed copies of each (a typo, the wrong
keyboard layout, translit, a story around it), are asked through the whole `answer`
pipeline of that index. Thresholds are chosen on these folds (knowledge/thresholds.py),
never on the public question sets.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Sequence
from typing import Any

from spravka_tools.eval import evaluate
from spravka_tools.eval.perturb import KINDS, perturb
from spravka_tools.knowledge.build_index import SMALLTALK, Knowledge, index_data

PLAIN = "plain"


@dataclasses.dataclass(frozen=True)
class Held:
    """One held-out question: a phrasing of the knowledge or a perturbed copy of it."""

    fold: int
    variant: str  # "plain" or a kind of perturbation
    target: str  # the phrasing's target: article id, "@operator", "@out-of-scope", "@smalltalk:bye"
    question: str

    @property
    def expect(self) -> str:
        """The target in the vocabulary of the question files (evaluate.Outcome.got)."""
        if self.target == "@out-of-scope":
            return "fallback"
        if self.target.startswith(SMALLTALK):
            return "smalltalk"
        return self.target.removeprefix("@")


def assign_folds(phrases: Sequence[tuple[str, str]], k: int, seed: int) -> list[int]:
    """Each phrasing's fold: per target, shuffled with the seed and dealt round-robin from a random start."""
    rng = random.Random(seed)
    by_target: dict[str, list[int]] = {}
    for i, (target, _) in enumerate(phrases):
        by_target.setdefault(target, []).append(i)
    folds = [0] * len(phrases)
    for target in sorted(by_target):
        members = by_target[target]
        rng.shuffle(members)
        start = rng.randrange(k)
        for n, i in enumerate(members):
            folds[i] = (start + n) % k
    return folds


def held_out(
    phrases: Sequence[tuple[str, str]], folds: Sequence[int], fold: int, seed: int, variants: Sequence[str] = KINDS
) -> list[Held]:
    """The fold's phrasings as asked, each followed by its perturbed copies."""
    rng = random.Random(f"{seed}:{fold}")
    asked: list[Held] = []
    for (target, phrase), f in zip(phrases, folds):
        if f != fold:
            continue
        asked.append(Held(fold, PLAIN, target, phrase))
        for kind in variants:
            changed = perturb(phrase, kind, rng)
            if changed != phrase:
                asked.append(Held(fold, kind, target, changed))
    return asked


def fold_index(knowledge: Knowledge, phrases: Sequence[tuple[str, str]]) -> Any:
    """The index (lexicon, model) built from these phrasings only."""
    from spravka.ask.index import index_from_data

    return index_from_data(index_data(dataclasses.replace(knowledge, phrases=list(phrases))))


@dataclasses.dataclass(frozen=True)
class Scored:
    """A held-out question as the decision sees it: read, small talk or not, and the model's candidates."""

    held: Held
    analysis: Any
    smalltalk: str | None
    scored: list[tuple[str, float]]
    seconds: float


def run_scored(
    knowledge: Knowledge, k: int, *, seed: int = 16, variants: Sequence[str] = KINDS
) -> tuple[list[Scored], list[Any]]:
    """Every held-out question, read and scored by its fold's index; thresholds are then tried on these.

    Returns the records and the fold indexes (a record's index is `indexes[record.held.fold]`), each with
    the reliability table of the other folds' first choices (eval/reliability.py).
    """
    from spravka.ask.answer import read, score
    from spravka_tools.eval.reliability import cross_fitted

    phrases = knowledge.phrases
    folds = assign_folds(phrases, k, seed)
    records: list[Scored] = []
    indexes = []
    for fold in range(k):
        index = fold_index(knowledge, [p for p, f in zip(phrases, folds) if f != fold])
        indexes.append(index)
        for held in held_out(phrases, folds, fold, seed, variants):
            started = time.perf_counter()
            text, analysis, kind = read(held.question, index)
            scored = [] if kind else score(analysis, index, text)
            records.append(Scored(held, analysis, kind, scored, time.perf_counter() - started))
    return records, cross_fitted(records, indexes)


def reply_of(record: Scored, index: Any, thresholds: Any, calibration: Any = None) -> Any:
    """What `answer` replies to this held-out question with these thresholds (an ask.answer.Reply)."""
    from spravka.ask.answer import CALIBRATION, Reply, decide

    if record.smalltalk:
        return Reply("smalltalk", "", score=100.0)
    return decide(record.analysis, record.scored, index, thresholds, calibration or CALIBRATION)


def outcomes(
    records: Sequence[Scored], indexes: Sequence[Any], thresholds: Any = None
) -> list[tuple[Held, evaluate.Outcome]]:
    """What `answer` replied to each held-out question (with these thresholds; default: the shipped ones)."""
    from spravka.ask.answer import THRESHOLDS

    results = []
    for record in records:
        started = time.perf_counter()
        reply = reply_of(record, indexes[record.held.fold], thresholds or THRESHOLDS).to_json()
        seconds = record.seconds + time.perf_counter() - started
        results.append((record.held, evaluate.Outcome(record.held.question, record.held.expect, reply, seconds)))
    return results


def run_cv(
    knowledge: Knowledge, k: int, *, seed: int = 16, variants: Sequence[str] = KINDS, thresholds: Any = None
) -> list[tuple[Held, evaluate.Outcome]]:
    """Every held-out question of every fold with what the index built without its fold replied."""
    records, indexes = run_scored(knowledge, k, seed=seed, variants=variants)
    return outcomes(records, indexes, thresholds)


def cv_metrics(results: Sequence[tuple[Held, evaluate.Outcome]]) -> dict[str, Any]:
    """`spravka eval`'s figures over every held-out question, then top-1 per variant and per topic."""
    outcomes = [o for _, o in results]
    figures: dict[str, Any] = dict(evaluate.metrics(outcomes))
    by_variant: dict[str, list[evaluate.Outcome]] = {}
    by_topic: dict[str, list[evaluate.Outcome]] = {}
    for held, outcome in results:
        by_variant.setdefault(held.variant, []).append(outcome)
        if outcome.in_scope:
            by_topic.setdefault(outcome.expect, []).append(outcome)
    figures["variants"] = {variant: _variant_figures(items) for variant, items in sorted(by_variant.items())}
    figures["topics"] = {
        topic: round(sum(o.correct for o in items) / len(items), 4) for topic, items in sorted(by_topic.items())
    }
    return figures


def _variant_figures(outcomes: Sequence[evaluate.Outcome]) -> dict[str, float | int]:
    figures = evaluate.metrics(outcomes)
    return {key: figures[key] for key in ("items", "in_scope_top1", "wrong_answer_rate", "deferral", "overall")}
