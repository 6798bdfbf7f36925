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
from tests.test_concurrency import Paused

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
    assert client.get("/", query_string={"account": "000000000001"}).status_code == 503
    assert len(firestore_store.history("000000000001", "m1")) == 1  # through the emulator directly
    firestore_proxy.restore()
    assert retry_until_answered(lambda: client.post("/", json=PAYLOAD)).status_code == 201
    assert client.post("/", json=PAYLOAD).status_code == 200
    assert len(firestore_store.history("000000000001", "m1")) == 2
    get_store().close()
    get_store.cache_clear()


@pytest.mark.firestore
def test_firestore_lost_before_commit(firestore_store: Any, firestore_proxy: Any,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
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
    cut_off.store.close()
