"""`spravka bench readings`: submissions per second and p50/p99 latency on SQLite and the Firestore emulator.

Sequential, then concurrent clients on different meters and on one meter; each scenario is bounded
in submissions and in seconds. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import itertools
import logging
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from spravka.config import Settings
from spravka.errors import ApiError
from spravka.readings.submit import submit
from spravka.store.base import ReadingStore
from spravka_tools.accounts import import_accounts

SETTINGS = Settings.from_env({"RATE_LIMIT_PER_MINUTE": "1000000000"})
NOW = datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC)
HEADER = "account,meter,resource,zones,digits,serial,last_date,last_t1,last_t2,last_t3\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `bench readings`."""
    parser.add_argument(
        "--readings-stores",
        default="sqlite,firestore",
        metavar="LIST",
        help="stores for `bench readings`: sqlite, firestore or both (default: sqlite,firestore)",
    )
    parser.add_argument(
        "--readings-clients",
        type=int,
        default=8,
        metavar="N",
        help="concurrent clients in `bench readings` (default: 8)",
    )


@contextlib.contextmanager
def open_bench_store(kind: str) -> Iterator[ReadingStore]:
    """A fresh store: an SQLite file in a temporary folder, or a Firestore emulator started for the run."""
    if kind == "sqlite":
        from spravka.store.sqlite import SqliteStore

        with tempfile.TemporaryDirectory() as folder:
            store: ReadingStore = SqliteStore(Path(folder) / "bench.sqlite3")
            yield store
            store.close()
        return
    from spravka.store.firestore import FirestoreStore
    from spravka_tools.emulator import start_emulator
    from spravka_tools.environ import patched_environ

    emulator = start_emulator()
    try:
        # The client library reads the emulator's address from the environment.
        with patched_environ(FIRESTORE_EMULATOR_HOST=emulator.host):
            store = FirestoreStore(project="spravka-bench")
            yield store
            store.close()
    finally:
        emulator.stop()


def run_scenario(
    store: ReadingStore,
    accounts: list[str],
    counters: dict[str, Iterator[int]],
    *,
    clients: int,
    limit: int,
    seconds: float,
) -> dict[str, object]:
    """Submit from `clients` threads, client i on accounts[i % len], until `limit` submissions or `seconds`."""
    lock = threading.Lock()
    latencies: list[float] = []
    outcomes: dict[str, int] = {}
    budget = iter(range(limit))
    stop_at = time.monotonic() + seconds

    def client(index: int) -> None:
        account = accounts[index % len(accounts)]
        while time.monotonic() < stop_at and next(budget, None) is not None:
            with lock:
                value = next(counters[account])
            started = time.perf_counter()
            try:
                outcome = str(
                    submit(
                        store, {"account": account, "meter": "m", "values": {"t1": value}}, settings=SETTINGS, now=NOW
                    )[1]
                )
            except ApiError as error:
                outcome = str(error.status)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1

    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    wall = time.perf_counter() - began
    ordered = sorted(latencies)
    return {
        "n": len(ordered),
        "per_s": len(ordered) / wall if wall else 0.0,
        "p50": statistics.median(ordered) * 1000 if ordered else 0.0,
        "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000 if ordered else 0.0,
        "outcomes": outcomes,
    }


def run(args: argparse.Namespace) -> None:
    """Print one line of figures per store and scenario."""
    limit, seconds = (200, 3.0) if args.quick else (2000, 15.0)
    clients = max(1, args.readings_clients)
    accounts = [f"{900_000_000_000 + i:012d}" for i in range(clients)]
    rows = "".join(f"{account},m,electricity,1,9,B-{account[-4:]},2026-10-20,10000,,\n" for account in accounts)
    scenarios = (
        ("sequential, one meter", 1, accounts[:1]),
        (f"{clients} clients, {clients} meters", clients, accounts),
        (f"{clients} clients, one meter", clients, accounts[:1]),
    )
    logging.getLogger("spravka").setLevel(logging.WARNING)  # one log line per submission would drown the figures
    print(f"{'store':<10} {'scenario':<26} {'n':>6} {'subm/s':>8} {'p50 ms':>8} {'p99 ms':>8}  outcomes")
    for kind in [part.strip() for part in args.readings_stores.split(",") if part.strip()]:
        try:
            context = open_bench_store(kind)
            store = context.__enter__()
        except Exception as error:  # e.g. the emulator is not installed: report and go on
            print(f"{kind:<10} not available: {error}")
            continue
        try:
            import_accounts(store, HEADER + rows, timezone=SETTINGS.timezone)
            counters: dict[str, Iterator[int]] = {account: itertools.count(10_001) for account in accounts}
            for name, count, on in scenarios:
                result = run_scenario(store, on, counters, clients=count, limit=limit, seconds=seconds)
                print(
                    f"{kind:<10} {name:<26} {result['n']:>6} {result['per_s']:>8.1f} {result['p50']:>8.2f} "
                    f"{result['p99']:>8.2f}  {result['outcomes']}"
                )
        finally:
            context.__exit__(None, None, None)
