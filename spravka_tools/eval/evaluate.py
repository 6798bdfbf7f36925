"""Scoring the assistant on a question file (the format of shared/eval/dev.yaml)."""

from __future__ import annotations

import dataclasses
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

ACTIONS = frozenset({"submit-readings", "operator", "personal"})
Ask = Callable[[str], Mapping[str, Any]]


@dataclasses.dataclass(frozen=True)
class Outcome:
    question: str
    expect: str
    reply: Mapping[str, Any]
    seconds: float

    @property
    def got(self) -> str:
        """What the reply amounts to, in the expect vocabulary."""
        kind = self.reply["kind"]
        if kind == "answer":
            return str(self.reply["article"]["id"])
        if kind == "action":
            return str(self.reply["action"])
        if kind == "clarify":
            return "clarify:" + ",".join(s["id"] for s in self.reply["suggestions"])
        return str(kind)

    @property
    def correct(self) -> bool:
        return self.got == self.expect

    @property
    def in_scope(self) -> bool:
        return self.expect not in ACTIONS and self.expect not in ("smalltalk", "fallback")

    @property
    def top3(self) -> bool:
        ids = [self.reply["article"]["id"]] if self.reply.get("article") else []
        ids += [s["id"] for s in self.reply.get("suggestions") or []]
        return self.expect in ids[:3]

    @property
    def clarify_hit(self) -> bool:
        """A clarification whose options hold the expected article."""
        return self.reply["kind"] == "clarify" and self.expect in [s["id"] for s in self.reply["suggestions"]]

    @property
    def wrong_answer(self) -> bool:
        return self.reply["kind"] == "answer" and self.reply["article"]["id"] != self.expect


def load_questions(path: Path) -> list[tuple[str, str]]:
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [(str(item["q"]), str(item["expect"])) for item in items]


def run(questions: Sequence[tuple[str, str]], ask: Ask) -> list[Outcome]:
    outcomes = []
    for question, expect in questions:
        started = time.perf_counter()
        reply = ask(question)
        outcomes.append(Outcome(question, expect, reply, time.perf_counter() - started))
    return outcomes


def metrics(outcomes: Sequence[Outcome]) -> dict[str, float | int]:
    """The figures the issue asks for, as fractions 0–1 (latency in ms)."""

    def share(items: Sequence[Outcome], test: Callable[[Outcome], bool]) -> float:
        return sum(map(test, items)) / len(items) if items else 0.0

    in_scope = [o for o in outcomes if o.in_scope]
    fallback = [o for o in outcomes if o.expect == "fallback"]
    actions = [o for o in outcomes if o.expect in ACTIONS]
    smalltalk = [o for o in outcomes if o.expect == "smalltalk"]
    latencies = sorted(o.seconds * 1000 for o in outcomes)
    return {
        "items": len(outcomes),
        "in_scope_top1": share(in_scope, lambda o: o.correct),
        "in_scope_top3": share(in_scope, lambda o: o.top3),
        "deferral": share(fallback, lambda o: o.reply["kind"] == "fallback"),
        "action_accuracy": share(actions, lambda o: o.correct),
        "smalltalk_accuracy": share(smalltalk, lambda o: o.correct),
        "wrong_answer_rate": share(outcomes, lambda o: o.wrong_answer),
        "clarify_rate": share(outcomes, lambda o: o.reply["kind"] == "clarify"),
        "clarify_hit": share([o for o in outcomes if o.reply["kind"] == "clarify"], lambda o: o.clarify_hit),
        "overall": share(outcomes, lambda o: o.correct),
        "latency_p50_ms": statistics.median(latencies) if latencies else 0.0,
        "latency_p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0.0,
    }
