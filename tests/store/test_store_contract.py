"""The one contract suite every ReadingStore passes: SQLite and Firestore (emulator)."""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal
from typing import Any

import pytest

from spravka.config import Settings
from spravka.errors import Conflict, NotFound
from spravka.readings.submit import submit
from spravka.store.base import MeterChange
from spravka.store.model import RecordKey
from spravka_tools.accounts import import_accounts, merge_row, parse_accounts
from tests.firestore_emulator import ACCOUNTS_CSV, load_accounts

SETTINGS = Settings.from_env({})
NOV_20 = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)


def send(store: Any, account: str = "000000000001", now: datetime.datetime = NOV_20, **payload: Any) -> tuple[Any, int]:
    return submit(store, {"account": account, **payload}, settings=SETTINGS, now=now)


def values_chain(store: Any, account: str, meter: str) -> list[tuple[int, dict[str, Decimal]]]:
    return [(reading.seq, dict(reading.values)) for reading in store.history(account, meter)]


def test_meters_of_an_account(store: Any) -> None:
    load_accounts(store)
    states = store.meters("000000000006")
    assert [state.meter.meter for state in states] == ["cw1", "hw1"]
    assert states[1].meter.unit == "m3" and states[1].last.values == {"t1": Decimal("123.456")}
    assert store.meters("000000000099") == []


def test_record_moves_the_last_reading(store: Any) -> None:
    load_accounts(store)
    receipt, status = send(store, values={"t1": "1120.5"})
    assert status == 201 and receipt["consumption"] == {"t1": 120.5} and receipt["since"] == "2026-10-20"
    (state,) = store.meters("000000000001")
    assert state.last.values == {"t1": Decimal("1120.5")} and state.last.reading_id == receipt["reading_id"]
    assert state.last.date == "2026-11-20" and len(state.recent) == 1


def test_several_readings_in_a_period_are_all_kept(store: Any) -> None:
    load_accounts(store)
    first, _ = send(store, values={"t1": 1100})
    second, _ = send(store, values={"t1": 1150}, now=NOV_20 + datetime.timedelta(hours=2))
    assert (first["consumption"], second["consumption"]) == ({"t1": 100}, {"t1": 50})
    assert second["since"] == "2026-11-20"
    assert values_chain(store, "000000000001", "m1") == [
        (1, {"t1": Decimal(1000)}),
        (2, {"t1": Decimal(1100)}),
        (3, {"t1": Decimal(1150)}),
    ]


def test_resend_with_the_same_key_returns_the_first_receipt(store: Any) -> None:
    load_accounts(store)
    first, created = send(store, values={"t1": 1100}, idempotency_key="k-1")
    again, replayed = send(
        store, values={"t1": 1100}, idempotency_key="k-1", now=NOV_20 + datetime.timedelta(minutes=5)
    )
    assert (created, replayed) == (201, 200) and dict(again) == dict(first)
    assert len(store.history("000000000001", "m1")) == 2


def test_same_values_without_key_replay_within_the_period_only(store: Any) -> None:
    load_accounts(store)
    first, _ = send(store, values={"t1": 1100})
    again, status = send(store, values={"t1": "1100.0"}, now=NOV_20 + datetime.timedelta(days=1))
    assert status == 200 and again["reading_id"] == first["reading_id"]
    later, status = send(store, values={"t1": 1100}, now=NOV_20 + datetime.timedelta(days=30))
    assert status == 201 and later["period"] == "2026-12" and later["consumption"] == {"t1": 0}


def test_the_same_values_under_a_fresh_key_return_the_reading_already_there(store: Any) -> None:
    """A resending client (a new key each time) gets the reading there is, marked; never a second one with 0."""
    load_accounts(store)
    first, created = send(store, values={"t1": 1100}, idempotency_key="k-1")
    for attempt, key in enumerate(("k-2", "k-3", None), 1):
        extra = {"idempotency_key": key} if key else {}
        again, status = send(store, values={"t1": "1100,0"}, now=NOV_20 + datetime.timedelta(minutes=attempt), **extra)
        assert (created, status) == (201, 200)
        assert again["duplicate"] is True and again["note"].startswith("Эти показания уже приняты 20.11.2026")
        assert {k: v for k, v in again.items() if k not in ("duplicate", "note")} == dict(first)
    assert values_chain(store, "000000000001", "m1") == [(1, {"t1": Decimal(1000)}), (2, {"t1": Decimal(1100)})]
    mine, status = send(store, values={"t1": 1100}, idempotency_key="k-1")  # a retry of its own key: as it was
    assert status == 200 and dict(mine) == dict(first) and "duplicate" not in mine


def test_the_same_values_as_billings_baseline_or_in_a_new_period_are_a_reading(store: Any) -> None:
    load_accounts(store)
    zero, status = send(store, values={"t1": 1000}, idempotency_key="k-1")  # billing's 1 000: nothing used since
    assert status == 201 and zero["consumption"] == {"t1": 0} and "duplicate" not in zero
    december, status = send(store, values={"t1": 1000}, idempotency_key="k-2", now=NOV_20 + datetime.timedelta(days=30))
    assert status == 201 and december["period"] == "2026-12" and "duplicate" not in december


@pytest.mark.parametrize("keys", [(None, None, None), ("k-1", "k-2", "k-3")], ids=["without keys", "fresh keys"])
def test_a_value_below_the_latest_of_the_period_is_refused_not_answered_with_its_old_receipt(
    store: Any, keys: tuple[str | None, ...]
) -> None:
    """1 100, then 1 200, then 1 100 again: a 409 saying so, not the first receipt as if a correction was taken."""
    load_accounts(store)
    for step, (value, key) in enumerate(zip((1100, 1200), keys, strict=False)):
        extra = {"idempotency_key": key} if key else {}
        assert send(store, values={"t1": value}, now=NOV_20 + datetime.timedelta(minutes=step), **extra)[1] == 201
    extra = {"idempotency_key": keys[2]} if keys[2] else {}
    with pytest.raises(Conflict) as caught:
        send(store, values={"t1": 1100}, now=NOV_20 + datetime.timedelta(minutes=5), **extra)
    assert caught.value.code == "below_previous"
    assert "1\u202f100" in caught.value.message and "1\u202f200" in caught.value.message
    assert "не принято" in caught.value.message
    assert len(store.history("000000000001", "m1")) == 3


def test_a_key_reused_for_other_values_is_a_conflict(store: Any) -> None:
    load_accounts(store)
    send(store, values={"t1": 1100}, idempotency_key="k-1")
    with pytest.raises(Conflict) as caught:
        send(store, values={"t1": 1200}, idempotency_key="k-1")
    assert caught.value.code == "idempotency_key_reused"


def test_unknown_meter_in_the_transaction(store: Any) -> None:
    load_accounts(store)
    with pytest.raises(NotFound) as caught:
        store.record(RecordKey("000000000001", "nope", "id-1", "fp"), lambda state: pytest.fail("computed"))
    assert caught.value.code == "meter_unknown"


def test_a_rejected_computation_writes_nothing(store: Any) -> None:
    load_accounts(store)
    with pytest.raises(Conflict):
        send(store, values={"t1": 900}, idempotency_key="k-1")
    assert values_chain(store, "000000000001", "m1") == [(1, {"t1": Decimal(1000)})]
    receipt, status = send(store, values={"t1": 1001}, idempotency_key="k-1")  # the key was not spent
    assert status == 201 and receipt["consumption"] == {"t1": 1}


def test_attempts_are_counted_per_key_and_window(store: Any) -> None:
    from spravka.store.base import Counter

    counts = [store.count_attempts([Counter("account:1", 100, 60)])[0] for _ in range(3)]
    assert counts == [1, 2, 3]
    assert store.count_attempts([Counter("account:2", 100, 60), Counter("client:a", 2, 3600, 5)]) == [1, 5]
    assert store.count_attempts([Counter("account:1", 101, 60), Counter("client:a", 2, 3600, 9)]) == [1, 14]
    assert store.count_attempts([Counter("client:a", 3, 3600)]) == [1]


def test_an_import_is_all_or_nothing(store: Any) -> None:
    def broken(existing: Any) -> MeterChange:
        raise RuntimeError("boom")

    rows = parse_accounts(ACCOUNTS_CSV)
    updates: dict[tuple[str, str], Any] = {
        (row.meter.account, row.meter.meter): functools.partial(merge_row, row=row, timezone="UTC") for row in rows[:2]
    }
    updates[("000000000099", "bad")] = broken
    with pytest.raises(RuntimeError):
        store.import_meters(updates)
    assert store.meters("000000000001") == [] and store.meters("000000000002") == []
    del updates[("000000000099", "bad")]
    assert store.import_meters(updates) == 2


def test_reimport_keeps_readings(store: Any) -> None:
    load_accounts(store)
    send(store, values={"t1": 1100})
    assert import_accounts(store, ACCOUNTS_CSV, timezone="Europe/Moscow") == (6, 0)
    renamed = ACCOUNTS_CSV.replace("EM-1001,2026-10-20", "EM-9001,2026-10-20")
    assert import_accounts(store, renamed, timezone="Europe/Moscow") == (6, 1)
    (state,) = store.meters("000000000001")
    assert state.meter.serial == "EM-9001" and state.last.values == {"t1": Decimal(1100)}
    newer = ACCOUNTS_CSV.replace("EM-1001,2026-10-20,1000", "EM-1001,2026-11-21,1180")
    import_accounts(store, newer, timezone="Europe/Moscow")
    history = store.history("000000000001", "m1")
    assert [(r.seq, r.source) for r in history] == [(1, "import"), (2, "widget"), (3, "import")]
    receipt, _ = send(store, values={"t1": 1200}, now=NOV_20 + datetime.timedelta(days=2))
    assert receipt["consumption"] == {"t1": 20} and receipt["since"] == "2026-11-21"


def test_readings_of_a_period(store: Any) -> None:
    load_accounts(store)
    send(store, values={"t1": 1100})
    send(store, "000000000002", values={"t1": 5100, "t2": 2100})
    send(store, values={"t1": 1200}, now=NOV_20 + datetime.timedelta(days=8))  # late: December
    assert [(r.account, r.seq) for r in store.readings("2026-11")] == [("000000000001", 2), ("000000000002", 2)]
    assert [r.values["t1"] for r in store.readings("2026-12")] == [Decimal(1200)]
    assert {r.source for r in store.readings("2026-10")} == {"import"}
