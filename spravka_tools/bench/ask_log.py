"""`spravka bench ask-log`: what logging the questions costs `ask` — in process and over HTTP, on and off in one run.

Logging on writes to a throwaway SQLite file through the background writer, as the local run does.
Prints figures and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from spravka.paths import PACKAGE_DIR
from spravka_tools.bench._common import (
    interleaved_rounds,
    json_body,
    machine,
    percentile,
    server_settings,
    sigterm_as_exit,
)

MAIN_SOURCE = PACKAGE_DIR.parent / "main.py"
CLIENTS = 8
SEED = 20240606


def run(args: argparse.Namespace) -> None:
    from spravka_tools.bench.ask import knowledge_questions

    quick = bool(getattr(args, "quick", False))
    questions, described = knowledge_questions(random.Random(SEED))
    _say(machine())
    _say(f"questions: {described}")
    with sigterm_as_exit(), tempfile.TemporaryDirectory(prefix="spravka-bench-log-") as tmp:
        bench_redaction(questions)
        bench_in_process(questions, Path(tmp), passes=2 if quick else 5)
        bench_http(questions, Path(tmp), quick=quick)


def bench_redaction(questions: list[str]) -> None:
    from spravka.questions.redact import redact

    texts = [f"{q}, мой телефон +7 916 123-45-67" if i % 5 == 0 else q for i, q in enumerate(questions)]
    started = time.perf_counter()
    for _ in range(5):
        for text in texts:
            redact(text)
    per = (time.perf_counter() - started) / (5 * len(texts)) * 1e6
    _say(f"\n1. redaction alone: {per:.1f} µs per question (every fifth with a phone number)")


def _set_logging(on: bool, store: str) -> None:
    from spravka.config import get_settings

    os.environ["QUESTION_LOG"] = "on" if on else "off"
    os.environ["READINGS_STORE"] = store
    get_settings.cache_clear()


def bench_in_process(questions: list[str], tmp: Path, *, passes: int) -> None:
    """answer_payload (validation, answer, logging) per question: on and off interleaved, pass by pass."""
    from spravka.ask.service import answer_payload
    from spravka.questions import writer as log_writers
    from spravka_tools.environ import patched_environ

    store = f"sqlite:///{tmp / 'in-process.sqlite3'}"
    times: dict[bool, list[list[float]]] = {True: [], False: []}
    # _set_logging switches the two variables pass by pass; both are as before after the bench.
    with patched_environ(QUESTION_LOG="on", READINGS_STORE=store):
        try:
            for on in (True, False):  # warm-up: lazy imports, the writer's thread and store
                _set_logging(on, store)
                for question in questions[:50]:
                    answer_payload({"q": question})
            for _ in range(passes):
                for on in (False, True):
                    _set_logging(on, store)
                    one_pass = []
                    for question in questions:
                        started = time.perf_counter()
                        answer_payload({"q": question, "session": "0" * 32, "visitor": "1" * 32})
                        one_pass.append((time.perf_counter() - started) * 1000)
                    times[on].append(one_pass)
            log_writers.flush_all(60)
            stats = [writer.stats() for writer in log_writers._writers.values()]
        finally:
            log_writers.close_all()
    _say(
        f"\n2. in process: answer_payload() per question, {len(questions)} questions × {passes} pass(es), "
        f"logging off and on interleaved; per question the median of the passes"
    )
    figures = {}
    for on in (False, True):
        per_question = [statistics.median(values) for values in zip(*times[on])]
        figures[on] = (percentile(per_question, 0.5), percentile(per_question, 0.99), statistics.fmean(per_question))
        _say(
            f"   logging {'on ' if on else 'off'}  p50 {figures[on][0]:.3f} ms  p99 {figures[on][1]:.3f} ms  "
            f"mean {figures[on][2]:.3f} ms"
        )
    _say(
        f"   cost of logging: p50 {figures[True][0] - figures[False][0]:+.3f} ms, "
        f"p99 {figures[True][1] - figures[False][1]:+.3f} ms, mean {figures[True][2] - figures[False][2]:+.3f} ms; "
        f"writer: {stats}"
    )


def bench_http(questions: list[str], tmp: Path, *, quick: bool) -> None:
    rounds, seconds, warmup = (1, 2.0, 0.5) if quick else (3, 4.0, 1.0)
    bodies = [json_body(q) for q in questions]
    _say(
        f'\n3. HTTP: {server_settings()}; {CLIENTS} keep-alive clients, POST {{"q": …}}; {rounds} interleaved '
        f"round(s) of {seconds:.0f} s after {warmup:.1f} s warm-up, median round; cold start = spawn to first 200"
    )
    measured = interleaved_rounds(
        lambda number: {
            mode: (
                "ask",
                MAIN_SOURCE,
                {"QUESTION_LOG": mode, "READINGS_STORE": f"sqlite:///{tmp / f'http-{number}.sqlite3'}"},
            )
            for mode in ("off", "on")
        },
        bodies,
        rounds=rounds,
        seconds=seconds,
        warmup=warmup,
        clients=CLIENTS,
        probe=bodies[0],
    )
    rates = {mode: [r.rate for r in rounds_] for mode, rounds_ in measured.items()}
    starts = {mode: [r.first_answer_ms for r in rounds_] for mode, rounds_ in measured.items()}
    failures = sum(r.failed for rounds_ in measured.values() for r in rounds_)
    for mode in ("off", "on"):
        _say(
            f"   logging {mode:<3} {statistics.median(rates[mode]):>7.0f} req/s (rounds: "
            f"{', '.join(f'{r:.0f}' for r in rates[mode])}); cold start {statistics.median(starts[mode]):.0f} ms"
        )
    ratio = statistics.median(rates["on"]) / statistics.median(rates["off"])
    _say(
        f"   throughput on/off {ratio:.0%}; cold start on − off "
        f"{statistics.median(starts['on']) - statistics.median(starts['off']):+.0f} ms; failed requests: {failures}"
    )


def _say(text: str) -> None:
    print(text, flush=True)  # a benchmark's figures are its output, not log records
