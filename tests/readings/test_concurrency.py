"""Concurrent submissions: nothing lost, nothing doubled, never a 500, on both stores."""

from __future__ import annotations

import datetime
import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import functions_framework
import pytest

from spravka.config import Settings
from spravka.errors import ApiError
from spravka.readings.submit import submit
from tests.firestore_emulator import MAIN, load_accounts

T = TypeVar("T")
CLIENTS = 20
SETTINGS = Settings.from_env({"RATE_LIMIT_PER_MINUTE": "1000"})


def at_once(count: int, work: Callable[[int], T]) -> list[T]:
    """Run work(0..count-1) on `count` threads released together."""
    barrier = threading.Barrier(count)

    def run(index: int) -> T:
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


_app_lock = threading.Lock()
_apps: list[Any] = []


def post(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    # One app, a test client per call. Apps are not built on the racing threads: building
    # one compiles werkzeug's routing rules with ast.parse, and CPython 3.11.7's parser is not
    # safe to call from several threads at once ("AST constructor recursion depth mismatch").
    with _app_lock:
        if not _apps:
            _apps.append(functions_framework.create_app("readings", str(MAIN)))
    response = _apps[0].test_client().post("/", json=body)
    return response.status_code, response.get_json()


def assert_chain_consistent(store: Any, account: str, meter: str) -> list[Any]:
    """Each stored consumption equals its value minus the previous stored value; seqs have no gaps."""
    history = store.history(account, meter)
    assert [reading.seq for reading in history] == list(range(1, len(history) + 1))
    for previous, reading in zip(history, history[1:]):
        assert reading.since == previous.date
        assert reading.consumption == {zone: reading.values[zone] - previous.values[zone] for zone in reading.values}
    return history


def assert_outcomes(outcomes: list[tuple[int, dict[str, Any]]], values: list[int], store: Any) -> None:
    """Receipt, a rightful 409, or a retryable 503; every receipt's reading is stored."""
    history = assert_chain_consistent(store, "000000000001", "m1")
    stored = {reading.reading_id: int(reading.values["t1"]) for reading in history}
    accepted = [value for (status, _), value in zip(outcomes, values) if status == 201]
    assert accepted, outcomes
    for (status, body), value in zip(outcomes, values):
        assert status in (201, 409, 503), body
        if status == 201:
            assert stored[body["reading_id"]] == value
        elif status == 409:  # rightly refused: a higher value got in first
            assert body["error"]["code"] == "below_previous" and value < max(accepted)
        else:
            assert body["error"]["code"] == "store_unavailable"
    assert len(history) == 1 + len(accepted)


def test_twenty_clients_on_one_meter(readings_app: Any) -> None:
    values = [1001 + index for index in range(CLIENTS)]
    outcomes = at_once(
        CLIENTS, lambda i: post({"account": "000000000001", "values": {"t1": values[i]}, "idempotency_key": f"k{i}"})
    )
    assert_outcomes(outcomes, values, readings_app.store)


def test_twenty_clients_on_twenty_meters(readings_app: Any) -> None:
    rows = "".join(f"{100 + i:012d},m,electricity,1,6,EM-{i},2026-10-20,1000,,\n" for i in range(CLIENTS))
    load_accounts(
        readings_app.store, "account,meter,resource,zones,digits,serial,last_date,last_t1,last_t2,last_t3\n" + rows
    )
    outcomes = at_once(CLIENTS, lambda i: post({"account": f"{100 + i:012d}", "values": {"t1": 1100 + i}}))
    assert [status for status, _ in outcomes] == [201] * CLIENTS
    assert [body["consumption"] for _, body in outcomes] == [{"t1": 100 + i} for i in range(CLIENTS)]


def test_twenty_clients_resending_one_submission(readings_app: Any) -> None:
    body = {"account": "000000000002", "values": {"t1": 5100, "t2": 2100}, "idempotency_key": "same"}
    outcomes = at_once(CLIENTS, lambda i: post(body))
    statuses = sorted(status for status, _ in outcomes)
    assert statuses == [200] * (CLIENTS - 1) + [201]
    assert len({json.dumps(receipt, sort_keys=True) for _, receipt in outcomes}) == 1
    assert len(readings_app.store.history("000000000002", "m2")) == 2


def test_twenty_resends_without_a_key(readings_app: Any) -> None:
    outcomes = at_once(CLIENTS, lambda i: post({"account": "000000000001", "values": {"t1": 1234}}))
    assert sorted(status for status, _ in outcomes) == [200] * (CLIENTS - 1) + [201]
    assert len(readings_app.store.history("000000000001", "m1")) == 2


def test_clients_of_several_instances_on_one_meter(store: Any, make_store: Callable[[], Any]) -> None:
    """Four instances (no shared in-process lock), five clients each: only the store's transaction serialises."""
    load_accounts(store)
    instances = [make_store() for _ in range(4)]
    values = [1001 + index for index in range(CLIENTS)]
    now = datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC)

    def work(index: int) -> tuple[int, dict[str, Any]]:
        payload = {"account": "000000000001", "values": {"t1": values[index]}, "idempotency_key": f"k{index}"}
        try:
            receipt, status = submit(instances[index % 4], payload, settings=SETTINGS, now=now)
        except ApiError as error:
            return error.status, {"error": {"code": error.code, "message": error.message}}
        return status, dict(receipt)

    assert_outcomes(at_once(CLIENTS, work), values, store)


class Paused:
    """A real store whose computation calls `pause(call_number)` before returning (to order two instances)."""

    def __init__(self, store: Any, pause: Callable[[int], None]) -> None:
        self.store, self.pause, self.calls = store, pause, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def record(self, key: Any, compute: Callable[[Any], Any]) -> Any:
        def paused(state: Any) -> Any:
            outcome = compute(state)
            self.calls += 1
            self.pause(self.calls)
            return outcome

        return self.store.record(key, paused)


@pytest.mark.firestore
def test_a_write_between_read_and_commit_makes_the_submission_rerun(firestore_store: Any) -> None:
    """Another instance commits on the meter after this one read it: this commit's precondition fails,
    it reads again and computes on the new last reading; nothing doubles, nothing is lost."""
    from spravka.store.firestore import FirestoreStore
    from tests.firestore_emulator import PROJECT

    load_accounts(firestore_store)
    now = datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC)
    other = FirestoreStore(project=PROJECT)  # no in-process lock shared with ours
    results: dict[str, Any] = {}

    def send(store: Any, name: str, value: int) -> None:
        payload = {"account": "000000000001", "values": {"t1": value}, "idempotency_key": name}
        results[name] = submit(store, payload, settings=SETTINGS, now=now)

    ours = Paused(firestore_store, lambda call: send(other, "b", 1100) if call == 1 else None)
    send(ours, "a", 1200)
    other.close()
    assert ours.calls == 2  # computed on 1000, then again on 1100
    history = assert_chain_consistent(firestore_store, "000000000001", "m1")
    assert [int(reading.values["t1"]) for reading in history] == [1000, 1100, 1200]
    assert {name: (receipt["reading_id"], status) for name, (receipt, status) in results.items()} == {
        "b": (history[1].reading_id, 201),
        "a": (history[2].reading_id, 201),
    }
    assert results["a"][0]["consumption"] == {"t1": 100}
