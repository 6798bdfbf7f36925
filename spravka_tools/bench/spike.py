"""`spravka bench spike`: steady load, then a sudden ×20 spike, on functions-framework's production server.

Open loop (a fixed arrival schedule; latency counted from each request's scheduled time), on
loopback, bounded in seconds and in requests. Targets: `trivial` (the baseline), `ask`, and
`readings` on SQLite and on the Firestore emulator, each in its own gunicorn with the settings we
deploy. Readings spreads its GET+POST pairs over many demo accounts, one account per pair, so the
per-account attempt limit is never what answers. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import statistics
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from spravka.paths import PACKAGE_DIR
from spravka.store.base import ReadingStore
from spravka_tools.bench._common import (
    json_body,
    machine,
    peak_rss_mb,
    serve_function,
    sigterm_as_exit,
    throughput,
)
from spravka_tools.bench.openloop import Phase, PhaseFigures, http_request, run_open_loop
from spravka_tools.deploy.config import SERVING_THREADS, SERVING_WORKERS
from spravka_tools.environ import patched_environ

DEFAULT_RATE = 10.0  # steady requests/s to trivial and ask: the spike is 200/s
SPIKE = 20  # the spike's rate as a multiple of the steady rate
TARGET_ASK_P99_MS = 100.0
MAIN_SOURCE = PACKAGE_DIR.parent / "main.py"
TRIVIAL_SOURCE = Path(__file__).with_name("trivial.py")
QUESTIONS = (
    "как передать показания",
    "где оплатить свет",
    "почему большой счет",
    "не работает личный кабинет",
    "как поменять счетчик",
    "тариф день ночь",
    "отключили электричество",
    "как узнать задолженность",
)
ACCOUNT_BASE = 800_000_000_000
PROBE_ACCOUNT = f"{ACCOUNT_BASE - 1:012d}"
HEADER = "account,meter,resource,zones,digits,serial,last_date,last_t1,last_t2,last_t3\n"
IMPORT_CHUNK = 200  # meters per import transaction
CAPACITY_CLIENTS = 8
CAPACITY_ROUNDS = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `bench spike`."""
    parser.add_argument(
        "--spike-stores",
        default="sqlite,firestore",
        metavar="LIST",
        help="stores for `readings` in `bench spike`: sqlite, firestore or both (default: both)",
    )
    parser.add_argument(
        "--spike-servers",
        default=f"{SERVING_WORKERS}x{SERVING_THREADS}",
        metavar="WxT[,WxT…]",
        help="gunicorn workers×threads to compare in `bench spike` "
        f"(default: {SERVING_WORKERS}x{SERVING_THREADS}, what `spravka deploy` sets)",
    )
    parser.add_argument(
        "--spike-rate",
        type=float,
        default=DEFAULT_RATE,
        metavar="N",
        help=f"steady requests/s to trivial and ask in `bench spike`; the spike is ×{SPIKE} "
        f"(default: {DEFAULT_RATE:g})",
    )


def phases(steady: float, *, quick: bool) -> list[Phase]:
    """Steady, a ramp to ×20 within 2 s (1 s quick), the spike held, then steady again."""
    scale = 0.25 if quick else 1.0
    return [
        Phase("steady", 4 * scale, steady),
        Phase("ramp", 2 * scale, steady, steady * SPIKE),
        Phase("spike", 6 * scale, steady * SPIKE),
        Phase("after", 3 * scale, steady),
    ]


def run(args: argparse.Namespace) -> None:
    """Print the figures of every target, then ask's capacity as a share of trivial's."""
    quick = bool(getattr(args, "quick", False))
    servers = [
        _server(text) for text in getattr(args, "spike_servers", f"{SERVING_WORKERS}x{SERVING_THREADS}").split(",")
    ]
    stores = [s.strip() for s in getattr(args, "spike_stores", "sqlite,firestore").split(",") if s.strip()]
    logging.getLogger("spravka").setLevel(logging.WARNING)
    _say(machine())
    _say(
        f"open loop on loopback; phases per target: steady → ramp to ×{SPIKE} → spike → steady; latency from "
        f"each request's scheduled time; failed = no answer in 10 s, or a status ≥ 400"
        + ("; --quick: short phases, low rates" if quick else "")
    )
    with sigterm_as_exit():
        for workers, threads in servers:
            env = {"WORKERS": str(workers), "THREADS": str(threads)}
            _say(f"\n## gunicorn (functions-framework's production server): {workers} worker(s) × {threads} threads")
            rate = float(getattr(args, "spike_rate", DEFAULT_RATE))
            _bench_functions(env, rate, quick=quick)
            for store in stores:
                _bench_readings(store, env, quick=quick)


def _server(text: str) -> tuple[int, int]:
    workers, _, threads = text.strip().lower().partition("x")
    return int(workers), int(threads)


def _bench_functions(env: Mapping[str, str], rate: float, *, quick: bool) -> None:
    """Spike figures of `trivial` and `ask`, then their closed-loop capacity in interleaved rounds."""
    steady = rate / 2 if quick else rate
    bodies = [json_body(q) for q in QUESTIONS]
    plan = phases(steady, quick=quick)
    with contextlib.ExitStack() as stack:
        # The served ask logs its questions (QUESTION_LOG's default, as deployed) into a throwaway store.
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="spravka-spike-ask-"))
        env = {**env, "READINGS_STORE": f"sqlite:///{Path(folder) / 'log.sqlite3'}"}
        served = {
            target: stack.enter_context(serve_function(target, source, bodies[0], env=env))
            for target, source in (("trivial", TRIVIAL_SOURCE), ("ask", MAIN_SOURCE))
        }
        for target, server in served.items():
            port = server.port

            def send(i: int, port: int = port) -> Any:
                return http_request("POST", "/", port, bodies[i % len(bodies)])

            figures = run_open_loop(port, plan, send, limit=_limit(plan))
            _print(target, figures, target_p99=TARGET_ASK_P99_MS if target == "ask" else None)
        rounds, seconds = (1, 1.0) if quick else (CAPACITY_ROUNDS, 2.0)
        capacity: dict[str, list[float]] = {"trivial": [], "ask": []}
        failed = 0
        for _ in range(rounds):
            for target, server in served.items():  # interleaved, so a burst of other load hits both
                per_second, _, errors = throughput(server.port, bodies, clients=CAPACITY_CLIENTS, seconds=seconds)
                capacity[target].append(per_second)
                failed += errors
        trivial, ask = statistics.median(capacity["trivial"]), statistics.median(capacity["ask"])
        _say(
            f"\ncapacity: {CAPACITY_CLIENTS} closed-loop keep-alive clients, {rounds} interleaved round(s) of "
            f"{seconds:.0f} s per function, median; {failed} failed"
        )
        for target in served:
            rounds_text = ", ".join(f"{r:.0f}" for r in capacity[target])
            _say(
                f"   {target:<8} {statistics.median(capacity[target]):>6.0f} req/s (rounds: {rounds_text}); "
                f"server peak RSS {peak_rss_mb(served[target].process.pid):.0f} MB"
            )
        _say(f"   ask/trivial capacity {ask / trivial if trivial else 0.0:.0%}")


def _bench_readings(kind: str, env: Mapping[str, str], *, quick: bool) -> None:
    steady = (5.0 if kind == "sqlite" else 3.0) if quick else (10.0 if kind == "sqlite" else 5.0)
    plan = phases(steady, quick=quick)
    limit = _limit(plan)
    accounts = limit // 2 + 1
    try:
        with _readings_store(kind, accounts) as store_env:
            probe = json.dumps({"account": PROBE_ACCOUNT, "meter": "m", "values": {"t1": 10001}}).encode()
            with serve_function("readings", MAIN_SOURCE, probe, env={**env, **store_env}, ready=(200, 201)) as served:
                figures = run_open_loop(served.port, plan, _readings_request(served.port), limit=limit)
                _print(f"readings ({kind})", figures, target_p99=None)
                _say(
                    f"   readings ({kind}): {accounts} demo accounts, the meter list and a reading each; "
                    f"server peak RSS {peak_rss_mb(served.process.pid):.0f} MB"
                )
    except Exception as error:  # e.g. the emulator is not installed: say so and go on
        _say(f"\nreadings ({kind}): not available: {error}")


def _readings_request(port: int) -> Callable[[int], bytes]:
    """Request i: the meters of account i//2 (even i), then its reading (odd i): the widget's two calls.

    The meter list is a POST (contract §3: an account never travels in a URL; GET answers 410).
    """

    def make(i: int) -> bytes:
        account = f"{ACCOUNT_BASE + i // 2:012d}"
        if i % 2 == 0:
            return http_request("POST", "/meters", port, json.dumps({"account": account}).encode())
        body = json.dumps({"account": account, "meter": "m", "values": {"t1": 10_000 + 1 + i % 97}}).encode()
        return http_request("POST", "/", port, body)

    return make


@contextlib.contextmanager
def _readings_store(kind: str, accounts: int) -> Iterator[dict[str, str]]:
    """A fresh store with `accounts` demo accounts (and the probe's); yields the server's environment for it."""
    from spravka_tools.accounts import import_accounts

    numbers = [PROBE_ACCOUNT] + [f"{ACCOUNT_BASE + i:012d}" for i in range(accounts)]
    rows = [f"{n},m,electricity,1,9,B-{n[-4:]},2026-10-20,10000,,\n" for n in numbers]
    with contextlib.ExitStack() as stack:
        if kind == "sqlite":
            from spravka.store.sqlite import SqliteStore

            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="spravka-spike-"))
            path = Path(folder) / "spike.sqlite3"
            store: ReadingStore = SqliteStore(path)
            server_env = {"READINGS_STORE": f"sqlite:///{path}"}
        elif kind == "firestore":
            from spravka_tools.emulator import start_emulator

            emulator = start_emulator()
            stack.callback(emulator.stop)
            stack.enter_context(patched_environ(FIRESTORE_EMULATOR_HOST=emulator.host))  # the Firestore client reads it
            from spravka.store.firestore import FirestoreStore

            store = FirestoreStore(project="spravka-spike")
            server_env = {
                "READINGS_STORE": "firestore",
                "GOOGLE_CLOUD_PROJECT": "spravka-spike",
                "FIRESTORE_EMULATOR_HOST": emulator.host,
            }
        else:
            raise ValueError(f"unknown store {kind!r}; choose sqlite or firestore")
        try:
            for start in range(0, len(rows), IMPORT_CHUNK):
                import_accounts(store, HEADER + "".join(rows[start : start + IMPORT_CHUNK]), timezone="Europe/Moscow")
        finally:
            store.close()
        yield server_env


def _limit(plan: list[Phase]) -> int:
    """The request budget: the schedule's own count (plus rounding), never more than 20,000."""
    expected = sum(p.seconds * (p.rate + (p.rate if p.end_rate is None else p.end_rate)) / 2 for p in plan)
    return min(20_000, int(expected) + len(plan) + 2)


def _print(label: str, figures: list[PhaseFigures], *, target_p99: float | None) -> None:
    _say(f"\n{label}")
    _say(
        f"   {'phase':<7} {'sent':>6} {'ok':>6} {'failed':>6} {'ok/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'max ms':>7}  statuses"
    )
    for f in figures:
        _say(
            f"   {f.name:<7} {f.sent:>6} {f.ok:>6} {f.failed:>6} {f.per_second:>7.1f} {f.p50_ms:>7.1f} "
            f"{f.p99_ms:>7.1f} {f.max_ms:>7.1f}  {dict(sorted(f.statuses.items()))}"
        )
    spike = [f for f in figures if f.name in ("ramp", "spike")]
    failed = sum(f.failed for f in spike)
    line = f"   ramp+spike: {failed} failed"
    if target_p99 is not None:
        worst = max(f.p99_ms for f in spike)
        line += (
            f"; p99 {worst:.1f} ms (worse of ramp and spike)   target < {target_p99:g} ms   "
            f"{'met' if worst < target_p99 and not failed else 'MISSED'}"
        )
    _say(line)


def _say(text: str) -> None:
    print(text, flush=True)  # a benchmark's figures are its output, not log records
