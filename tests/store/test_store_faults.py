"""Store faults: unreachable or locked → 503 with nothing written; a retry afterwards succeeds exactly once."""

from __future__ import annotations

import datetime
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import functions_framework
import pytest

from spravka.config import Settings
from spravka.errors import StoreUnavailable
from spravka.readings.submit import submit
from tests.firestore_emulator import MAIN, PROJECT, load_accounts
from tests.readings.test_concurrency import Paused
from tests.tally import tally

SETTINGS = Settings.from_env({})
NOW = datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC)
PAYLOAD = {"account": "000000000001", "values": {"t1": 1100}, "idempotency_key": "retry-me"}


def test_sqlite_locked_by_another_writer(tmp_path: Path) -> None:
    from spravka.store.sqlite import SqliteStore

    store = SqliteStore(tmp_path / "readings.sqlite3", busy_timeout=0.2)
    load_accounts(store)
    holder = sqlite3.connect(tmp_path / "readings.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    with pytest.raises(StoreUnavailable):
        submit(store, PAYLOAD, settings=SETTINGS, now=NOW)
    holder.execute("ROLLBACK")
    holder.close()
    assert len(store.history("000000000001", "m1")) == 1
    assert submit(store, PAYLOAD, settings=SETTINGS, now=NOW)[1] == 201
    assert submit(store, PAYLOAD, settings=SETTINGS, now=NOW)[1] == 200
    assert len(store.history("000000000001", "m1")) == 2
    tally("faults: injected")
    tally("faults: survived (503, then accepted exactly once)")
    store.close()


def retry_until_answered(send: Callable[[], Any], *, within: float = 30.0) -> Any:
    """Resend while the answer is 503 (gRPC reconnects a few seconds after an outage)."""
    give_up = time.monotonic() + within
    while True:
        response = send()
        if response.status_code != 503 or time.monotonic() > give_up:
            return response
        time.sleep(0.5)


@pytest.mark.firestore
def test_firestore_unreachable(firestore_store: Any, firestore_proxy: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from spravka.store import get_store

    monkeypatch.setenv("READINGS_STORE", "firestore")
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", firestore_proxy.host)
    get_store.cache_clear()
    load_accounts(get_store())
    client = functions_framework.create_app("readings", str(MAIN)).test_client()
    firestore_proxy.cut()
    started = time.monotonic()
    response = client.post("/", json=PAYLOAD)
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "store_unavailable"
    assert time.monotonic() - started < 10
    assert client.post("/meters", json={"account": "000000000001"}).status_code == 503
    assert len(firestore_store.history("000000000001", "m1")) == 1  # through the emulator directly
    firestore_proxy.restore()
    assert retry_until_answered(lambda: client.post("/", json=PAYLOAD)).status_code == 201
    assert client.post("/", json=PAYLOAD).status_code == 200
    assert len(firestore_store.history("000000000001", "m1")) == 2
    tally("faults: injected")
    tally("faults: survived (503, then accepted exactly once)")
    get_store().close()
    get_store.cache_clear()


@pytest.mark.firestore
def test_firestore_lost_before_commit(
    firestore_store: Any, firestore_proxy: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection drops after the reads, before the commit: 503, nothing half-written, then exactly once."""
    from spravka.store.firestore import FirestoreStore

    load_accounts(firestore_store)
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", firestore_proxy.host)
    cut_off = Paused(FirestoreStore(project=PROJECT), lambda call: firestore_proxy.cut() if call == 1 else None)
    with pytest.raises(StoreUnavailable):
        submit(cut_off, PAYLOAD, settings=SETTINGS, now=NOW)
    (state,) = firestore_store.meters("000000000001")
    assert state.last.seq == 1 and len(firestore_store.history("000000000001", "m1")) == 1
    firestore_proxy.restore()
    give_up = time.monotonic() + 30
    while True:
        try:
            receipt, status = submit(cut_off, PAYLOAD, settings=SETTINGS, now=NOW)
            break
        except StoreUnavailable:
            assert time.monotonic() < give_up
            time.sleep(0.5)
    assert status == 201 and receipt["consumption"] == {"t1": 100}
    assert submit(cut_off, PAYLOAD, settings=SETTINGS, now=NOW)[1] == 200
    assert len(firestore_store.history("000000000001", "m1")) == 2
    tally("faults: injected")
    tally("faults: survived (503, then accepted exactly once)")
    cut_off.store.close()


# The store becomes unavailable mid-run, through the HTTP function, on both stores: 503 with the
# contract's body and Retry-After, nothing half-written; once it is back, the client's retry is
# accepted exactly once. Every fault is tallied (tests/tally.py).


def assert_unavailable(response: Any) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.get_json() == {
        "error": {"code": "store_unavailable", "message": response.get_json()["error"]["message"]}
    }
    assert "ничего не сохранено" in response.get_json()["error"]["message"]
    assert int(response.headers["Retry-After"]) > 0


def assert_once(store: Any, account: str, meter: str, readings: int) -> None:
    """The meter's chain has exactly `readings` readings and its state points at the last one."""
    history = store.history(account, meter)
    assert [reading.seq for reading in history] == list(range(1, readings + 1))
    (state,) = [state for state in store.meters(account) if state.meter.meter == meter]
    assert state.last.seq == readings and state.last.reading_id == history[-1].reading_id


def set_immutable(paths: list[Path], on: bool) -> bool:
    """chattr +i/-i (root ignores file modes, not the immutable flag); False where the file system has no such flag."""
    import subprocess

    existing = [str(path) for path in paths if path.exists()]
    result = subprocess.run(["chattr", "+i" if on else "-i", *existing], capture_output=True)
    return result.returncode == 0


@pytest.mark.parametrize("readings_app", ["sqlite"], indirect=True)
def test_sqlite_file_read_only_mid_run(readings_app: Any, tmp_path: Path) -> None:
    client, store = readings_app.client, readings_app.store
    database = tmp_path / "readings.sqlite3"
    assert client.post("/", json={**PAYLOAD, "values": {"t1": 1050}, "idempotency_key": "before"}).status_code == 201
    # The -shm file stays writable: SQLite maps it into memory, and a read-only mapping is a crash, not a fault.
    files = [database, database.with_name(database.name + "-wal")]
    if not set_immutable(files, True):
        pytest.skip("this file system has no immutable flag (chattr)")
    try:
        response = client.post("/", json={**PAYLOAD, "values": {"t1": 1200}})
        tally("faults: injected")
        assert_unavailable(response)
    finally:
        set_immutable(files, False)
    assert_once(store, "000000000001", "m1", 2)  # the import's baseline and "before", nothing of the failed one
    assert client.post("/", json={**PAYLOAD, "values": {"t1": 1200}}).status_code == 201
    assert client.post("/", json={**PAYLOAD, "values": {"t1": 1200}}).status_code == 200
    assert_once(store, "000000000001", "m1", 3)
    tally("faults: survived (503, then accepted exactly once)")


@pytest.mark.parametrize("readings_app", ["sqlite"], indirect=True)
def test_sqlite_locked_mid_run_through_http(readings_app: Any, tmp_path: Path) -> None:
    client, store = readings_app.client, readings_app.store
    store.busy_timeout = 0.2
    store.close()  # reconnect with the short timeout
    holder = sqlite3.connect(tmp_path / "readings.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        tally("faults: injected")
        assert_unavailable(client.post("/", json=PAYLOAD))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_once(store, "000000000001", "m1", 1)
    assert client.post("/", json=PAYLOAD).status_code == 201
    assert client.post("/", json=PAYLOAD).status_code == 200
    assert_once(store, "000000000001", "m1", 2)
    tally("faults: survived (503, then accepted exactly once)")


@pytest.mark.firestore
def test_firestore_emulator_stopped_mid_run(
    firestore_emulator: Any, firestore_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The emulator process is stopped (SIGSTOP: it holds its connections and answers nothing), then continued."""
    import signal

    from spravka.store import get_store

    monkeypatch.setenv("READINGS_STORE", "firestore")
    get_store.cache_clear()
    load_accounts(get_store())
    client = functions_framework.create_app("readings", str(MAIN)).test_client()
    assert client.post("/", json={**PAYLOAD, "values": {"t1": 1050}, "idempotency_key": "before"}).status_code == 201
    firestore_emulator.process.send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        tally("faults: injected")
        assert_unavailable(client.post("/", json=PAYLOAD))
        assert time.monotonic() - started < 15
    finally:
        firestore_emulator.process.send_signal(signal.SIGCONT)
    assert_once(firestore_store, "000000000001", "m1", 2)
    assert retry_until_answered(lambda: client.post("/", json=PAYLOAD)).status_code == 201
    assert client.post("/", json=PAYLOAD).status_code == 200
    assert_once(firestore_store, "000000000001", "m1", 3)
    tally("faults: survived (503, then accepted exactly once)")
    get_store().close()
    get_store.cache_clear()


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("firestore", marks=pytest.mark.firestore)])
def test_a_run_of_submissions_through_repeated_outages(
    kind: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Six customers submit while the store goes away and comes back between them; each retries after a 503.

    At the end every submission is stored exactly once and every chain adds up.
    """
    from spravka.store import get_store
    from tests.readings.test_concurrency import assert_chain_consistent

    if kind == "firestore":
        proxy = request.getfixturevalue("firestore_proxy")
        monkeypatch.setenv("READINGS_STORE", "firestore")
        monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", proxy.host)
        cut, restore = proxy.cut, proxy.restore
    else:
        monkeypatch.setenv("READINGS_STORE", f"sqlite:///{tmp_path / 'readings.sqlite3'}")
        holder: list[sqlite3.Connection] = []

        def cut() -> None:
            holder.append(sqlite3.connect(tmp_path / "readings.sqlite3", isolation_level=None))
            holder[-1].execute("BEGIN EXCLUSIVE")

        def restore() -> None:
            holder.pop().close()

    get_store.cache_clear()
    store = get_store()
    if kind == "sqlite":
        store.busy_timeout = 0.2
    load_accounts(store)
    client = functions_framework.create_app("readings", str(MAIN)).test_client()
    plan = [
        ("000000000001", {"t1": 1100}),
        ("000000000002", {"t1": 5100, "t2": 2050}),
        ("000000000001", {"t1": 1250}),
        ("000000000003", {"t1": 12010, "t2": 8001, "t3": 3000}),
        ("000000000005", {"t1": 20}),
        ("000000000002", {"t1": 5200, "t2": 2100}),
    ]
    refused = 0
    for number, (account, values) in enumerate(plan):
        body = {"account": account, "values": values, "idempotency_key": f"run-{number}"}
        if number % 2 == 0:  # every other submission meets an outage
            cut()
            tally("faults: injected")
            assert_unavailable(client.post("/", json=body))
            refused += 1
            restore()
        response = retry_until_answered(lambda body=body: client.post("/", json=body))
        assert response.status_code == 201, response.get_json()
        if number % 2 == 0:
            tally("faults: survived (503, then accepted exactly once)")
        assert client.post("/", json=body).status_code == 200  # a resend is a replay
    assert refused == 3
    for account, meter, readings in (
        ("000000000001", "m1", 3),
        ("000000000002", "m2", 3),
        ("000000000003", "m3", 2),
        ("000000000005", "m5", 2),
    ):
        assert_once(store, account, meter, readings)
        assert_chain_consistent(store, account, meter) if account == "000000000001" else None
    assert store.history("000000000005", "m5")[-1].consumption == {"t1": 70}  # rolled over 99950 -> 20
    store.close()
    get_store.cache_clear()
