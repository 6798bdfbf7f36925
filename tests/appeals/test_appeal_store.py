"""The appeals' store contract on SQLite and the Firestore emulator: idempotent create, no lost history, no half-writes."""

from __future__ import annotations

import datetime
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest

from spravka.appeals import number as numbers
from spravka.appeals.create import create_appeal
from spravka.appeals.staff import answer, set_status
from spravka.errors import BadRequest, NotFound, StoreUnavailable
from tests.appeals.conftest import BILL, LIMITS_SECRET
from tests.firestore_emulator import PROJECT

T = TypeVar("T")
NOW = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)


def at_once(count: int, work: Callable[[int], T]) -> list[T]:
    """Run work(0..count-1) on `count` threads released together."""
    barrier = threading.Barrier(count)

    def run(index: int) -> T:
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_create_is_idempotent_and_owes_one_mail(appeal_store: Any, settings: Any) -> None:
    first, created = create_appeal(appeal_store, {**BILL, "idempotency_key": "k1"}, settings=settings, now=NOW)
    later = NOW + datetime.timedelta(minutes=3)
    again, replayed = create_appeal(appeal_store, {**BILL, "idempotency_key": "k1"}, settings=settings, now=later)
    assert (created, replayed) == (201, 200) and again == first
    # Without a key, the same submission on the same local day is the same appeal; the next day, a new one.
    plain, _ = create_appeal(appeal_store, BILL, settings=settings, now=NOW)
    assert create_appeal(appeal_store, BILL, settings=settings, now=later)[0]["number"] == plain["number"]
    tomorrow, status = create_appeal(appeal_store, BILL, settings=settings, now=NOW + datetime.timedelta(days=1))
    assert status == 201 and tomorrow["number"] != plain["number"]
    assert len(appeal_store.appeals()) == 3
    assert [mail.event for mail in appeal_store.pending_mail()] == [0, 0, 0]


def test_the_secret_is_not_stored(appeal_store: Any, settings: Any) -> None:
    body, _ = create_appeal(appeal_store, BILL, settings=settings, now=NOW)
    stored = appeal_store.appeal(body["number"])
    assert body["secret"] not in repr(stored) and stored.secret_hash == numbers.secret_hash(body["secret"])


def test_twenty_concurrent_creates_with_one_key_make_one_appeal(
    appeal_store: Any, make_appeal_store: Callable[[], Any], settings: Any
) -> None:
    stores = [make_appeal_store() for _ in range(4)]  # four "instances" of the function
    results = at_once(
        20,
        lambda i: create_appeal(stores[i % 4], {**BILL, "idempotency_key": "same"}, settings=settings, now=NOW),
    )
    assert sorted(status for _, status in results) == [200] * 19 + [201]
    assert len({body["number"] for body, _ in results}) == 1
    assert len(appeal_store.appeals()) == 1 and len(appeal_store.pending_mail()) == 1


def test_twenty_concurrent_status_changes_keep_twenty_entries(
    appeal_store: Any, make_appeal_store: Callable[[], Any], settings: Any
) -> None:
    body, _ = create_appeal(appeal_store, BILL, settings=settings, now=NOW)
    stores = [make_appeal_store() for _ in range(4)]
    at_once(20, lambda i: set_status(stores[i % 4], body["number"], "in_review", note=f"заметка {i}", now=NOW))
    stored = appeal_store.appeal(body["number"])
    assert len(stored.history) == 21
    assert sorted(event.note for event in stored.history[1:]) == sorted(f"заметка {i}" for i in range(20))
    # One change of status among them, so one e-mail besides the registration's.
    assert [mail.event for mail in appeal_store.pending_mail()] == [0, 1]


def test_a_drawn_number_that_exists_is_drawn_again(
    appeal_store: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    draws = iter(["2612-2345-67", "2612-2345-67", "2612-2345-68"])
    monkeypatch.setattr("spravka.appeals.create.new_number", lambda day: next(draws))
    first, _ = create_appeal(appeal_store, BILL, settings=settings, now=NOW)
    second, _ = create_appeal(appeal_store, {**BILL, "text": "Ещё один вопрос о пени"}, settings=settings, now=NOW)
    assert (first["number"], second["number"]) == ("2612-2345-67", "2612-2345-68")


def test_statuses_move_only_forward(appeal_store: Any, settings: Any) -> None:
    body, _ = create_appeal(appeal_store, BILL, settings=settings, now=NOW)
    number = body["number"]
    set_status(appeal_store, number, "waiting_customer", note="Пришлите фото счётчика", now=NOW)
    answer(appeal_store, number, "Перерасчёт сделан.", now=NOW)
    set_status(appeal_store, number, "closed", now=NOW)
    with pytest.raises(BadRequest) as refused:
        set_status(appeal_store, number, "in_review", now=NOW)
    assert refused.value.code == "status_not_allowed"
    with pytest.raises(BadRequest):
        set_status(appeal_store, number, "lost", now=NOW)
    with pytest.raises(NotFound):
        set_status(appeal_store, "2612-2222-22", "in_review", now=NOW)
    stored = appeal_store.appeal(number)
    assert [e.status for e in stored.history] == ["registered", "waiting_customer", "answered", "closed"]
    assert stored.answer == "Перерасчёт сделан." and stored.public()["answer"] == "Перерасчёт сделан."


def test_sqlite_fault_mid_write_leaves_nothing(sqlite_appeal_store: Any, settings: Any, tmp_path: Path) -> None:
    """The outbox write fails after the appeal's row was written: 503, and neither is kept."""
    create_appeal(sqlite_appeal_store, BILL, settings=settings, now=NOW)  # creates the tables
    db = sqlite3.connect(tmp_path / "spravka.sqlite3")
    db.execute("CREATE TRIGGER cut BEFORE INSERT ON appeal_mail BEGIN SELECT RAISE(ABORT, 'disk cut'); END")
    db.commit()
    other = {**BILL, "text": "Второе обращение о перерасчёте"}
    with pytest.raises(StoreUnavailable):
        create_appeal(sqlite_appeal_store, other, settings=settings, now=NOW)
    (only,) = sqlite_appeal_store.appeals()
    with pytest.raises(StoreUnavailable):
        set_status(sqlite_appeal_store, only.number, "in_review", now=NOW)
    assert len(sqlite_appeal_store.appeal(only.number).history) == 1
    db.execute("DROP TRIGGER cut")
    db.commit()
    db.close()
    assert create_appeal(sqlite_appeal_store, other, settings=settings, now=NOW)[1] == 201
    assert len(sqlite_appeal_store.appeals()) == 2 and len(sqlite_appeal_store.pending_mail()) == 2


@pytest.mark.firestore
def test_firestore_lost_mid_change_leaves_nothing(
    firestore_appeal_store: Any, firestore_proxy: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection drops after the appeal was read, before the commit: 503, no entry, no e-mail owed."""
    from spravka.appeals.store_firestore import FirestoreAppealStore

    body, _ = create_appeal(firestore_appeal_store, BILL, settings=settings, now=NOW)
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", firestore_proxy.host)
    through_proxy = FirestoreAppealStore(project=PROJECT)

    def cut_then_change(appeal: Any) -> Any:
        firestore_proxy.cut()
        from spravka.appeals.staff import moved

        return moved(appeal, "in_review", "", "2026-12-03T09:00:00Z")

    with pytest.raises(StoreUnavailable):
        through_proxy.change(body["number"], cut_then_change)
    assert len(firestore_appeal_store.appeal(body["number"]).history) == 1
    assert len(firestore_appeal_store.pending_mail()) == 1
    with pytest.raises(StoreUnavailable):
        create_appeal(through_proxy, {**BILL, "text": "Второе обращение"}, settings=settings, now=NOW)
    assert len(firestore_appeal_store.appeals()) == 1
    firestore_proxy.restore()
    give_up = time.monotonic() + 30
    while True:
        try:
            set_status(through_proxy, body["number"], "in_review", now=NOW)
            break
        except StoreUnavailable:
            assert time.monotonic() < give_up
            time.sleep(0.5)
    assert [e.status for e in firestore_appeal_store.appeal(body["number"]).history] == ["registered", "in_review"]
    through_proxy.close()


def test_firestore_without_limits_secret_refuses(settings: Any) -> None:
    import dataclasses

    from spravka.appeals.create import secret_key

    with pytest.raises(StoreUnavailable) as refused:
        secret_key(dataclasses.replace(settings, readings_store="firestore", limits_secret=""))
    assert refused.value.code == "appeals_not_configured"
    assert secret_key(dataclasses.replace(settings, readings_store="firestore", limits_secret=LIMITS_SECRET))
