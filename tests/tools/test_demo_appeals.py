"""The local run's demo appeals (demo/appeals.yaml): statuses, deadlines, a second run, and no e-mail."""

from __future__ import annotations

import datetime
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spravka.appeals.deadlines import add_working_days
from spravka_tools.demo_appeals import DEMO_APPEALS, load_demo_appeals, parse_demo_appeals

# What demo/appeals.yaml promises a clerk, by the customer's name (numbers are drawn at random).
EXPECTED_STATUS = {
    "Ирина Соколова": "in_review",
    "Алексей Морозов": "registered",
    "Наталья Ковалёва": "answered",
    "Сергей Волков": "registered",
    "Павел Лебедев": "waiting_customer",
    "Ольга Никитина": "in_review",
    "Дмитрий Ершов": "answered",
    "Галина Петровна Орлова": "closed",
}


@pytest.fixture
def settings(tmp_path: Path) -> Any:
    """The local run's settings: an SQLite file with its own key file, no LIMITS_SECRET, e-mails as files."""
    from spravka.config import Settings

    return Settings.from_env(
        {"READINGS_STORE": f"sqlite:///{tmp_path / 'spravka.sqlite3'}", "SPRAVKA_DATA_DIR": str(tmp_path / "data")}
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Any]:
    from spravka.appeals.store_sqlite import SqliteAppealStore

    opened = SqliteAppealStore(tmp_path / "spravka.sqlite3")
    yield opened
    opened.close()


def _by_name(store: Any) -> dict[str, Any]:
    return {appeal.name: appeal for appeal in store.appeals()}


def _snapshot(path: Path) -> tuple[list[Any], list[Any], list[Any]]:
    with sqlite3.connect(path) as db:
        return (
            db.execute("SELECT * FROM appeals ORDER BY number").fetchall(),
            db.execute("SELECT * FROM appeal_keys ORDER BY id").fetchall(),
            db.execute("SELECT id, number, event, attempts, sent_at FROM appeal_mail ORDER BY id").fetchall(),
        )


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        ("2026-12-03", 0, "2026-12-03"),
        ("2026-12-03", 3, "2026-11-30"),  # Thursday back to Monday
        ("2026-12-07", 1, "2026-12-04"),  # Monday back over the weekend
        ("2026-01-12", 1, "2025-12-30"),  # back over the New Year holidays and 31 December 2025, a day off
        ("2026-05-12", 1, "2026-05-08"),  # back over May 11, 2026, the day off for Saturday May 9
    ],
)
def test_working_days_before_follows_the_production_calendar(day: str, count: int, expected: str) -> None:
    from spravka.appeals.deadlines import load_calendar

    start = datetime.date.fromisoformat(day)
    assert add_working_days(start, -count, load_calendar()) == datetime.date.fromisoformat(expected)


@pytest.mark.parametrize(
    "now",
    [
        "2026-12-03T22:00:00+03:00",
        "2026-12-07T00:01:00+03:00",  # Monday just after midnight
        "2026-12-05T12:00:00+03:00",  # a Saturday
        "2027-01-01T00:30:00+03:00",  # inside the New Year holidays
        "2026-01-12T08:00:00+03:00",  # the first working day after them
        "2026-05-12T23:59:00+03:00",
    ],
)
def test_every_history_rises_and_ends_before_now_on_any_day(now: str) -> None:
    moment = datetime.datetime.fromisoformat(now)
    demos = parse_demo_appeals(DEMO_APPEALS.read_text(encoding="utf-8"), now=moment, timezone="Europe/Moscow")
    assert len(demos) == len(EXPECTED_STATUS)
    for demo in demos:
        instants = [demo.registered_at, *(step.at for step in demo.steps)]
        assert instants == sorted(set(instants)) and instants[-1] <= moment, demo.id
        assert demo.payload["contact"].get("email", "@example.org").endswith(("@example.org", "@example.com"))


@pytest.mark.parametrize(
    "now",
    [
        "2026-12-03T22:00:00+03:00",  # a Thursday evening: the appeals of the last three weeks
        "2026-01-12T00:30:00+03:00",  # just after the New Year holidays: deadlines count over them
    ],
)
def test_loading_registers_each_appeal_in_its_status_with_its_deadlines(
    now: str, clock: Any, settings: Any, store: Any
) -> None:
    from spravka.appeals.staff import is_overdue

    at = clock.set(now)
    assert load_demo_appeals(store, settings=settings) == len(EXPECTED_STATUS)
    found = _by_name(store)
    assert {name: appeal.status for name, appeal in found.items()} == EXPECTED_STATUS
    # The one appeal still unreviewed past its 48 hours is the clerk's overdue example; nothing else is late.
    overdue = {name for name, appeal in found.items() if is_overdue(appeal, at, at.date())}
    assert overdue == {"Сергей Волков"}
    answered = found["Наталья Ковалёва"]
    assert [event.status for event in answered.history] == ["registered", "in_review", "answered"]
    assert answered.answer.startswith("Здравствуйте, Наталья!")
    assert found["Ирина Соколова"].account == "000000000001"
    assert found["Дмитрий Ершов"].phone == "+79000005206" and not found["Дмитрий Ершов"].email


def test_deadlines_are_those_of_an_appeal_registered_on_that_day(clock: Any, settings: Any, store: Any) -> None:
    # Thursday 3 December 2026: the disputed bill came six working days earlier, Wednesday 25 November at 09:42
    # in Moscow; its decision is due ten working days after that day.
    clock.set("2026-12-03T22:00:00+03:00")
    load_demo_appeals(store, settings=settings)
    bill = _by_name(store)["Ирина Соколова"]
    assert bill.number.startswith("2611-")
    assert (bill.registered_at, bill.review_by, bill.decision_by) == (
        "2026-11-25T06:42:00Z",
        "2026-11-27T06:42:00Z",
        "2026-12-09",
    )
    assert bill.history[1].at == "2026-11-26T07:15:00Z"
    assert bill.history[1].note.startswith("Запросили у сетевой компании")


def test_loading_twice_adds_nothing_even_days_later(clock: Any, settings: Any, store: Any, tmp_path: Path) -> None:
    clock.set("2026-12-03T22:00:00+03:00")
    load_demo_appeals(store, settings=settings)
    first = _snapshot(tmp_path / "spravka.sqlite3")
    assert load_demo_appeals(store, settings=settings) == 0
    clock.set("2026-12-10T09:00:00+03:00")  # the next run, a week later
    assert load_demo_appeals(store, settings=settings) == 0
    assert _snapshot(tmp_path / "spravka.sqlite3") == first


def test_an_appeal_the_staff_moved_on_is_left_as_it_is(clock: Any, settings: Any, store: Any) -> None:
    from spravka.appeals.staff import set_status

    clock.set("2026-12-03T22:00:00+03:00")
    load_demo_appeals(store, settings=settings)
    number = _by_name(store)["Сергей Волков"].number
    set_status(store, number, "closed", note="Напряжение восстановлено")
    load_demo_appeals(store, settings=settings)
    assert [event.status for event in store.appeal(number).history] == ["registered", "closed"]


def test_no_e_mail_is_owed_or_sent_for_the_demo_appeals(clock: Any, settings: Any, store: Any) -> None:
    from spravka.appeals.create import create_appeal
    from spravka.appeals.outbox import deliver_pending

    clock.set("2026-12-03T22:00:00+03:00")
    customer = {
        "category": "billing",
        "text": "Прошу прислать копию счёта за ноябрь",
        "contact": {"email": "customer@example.org"},
        "consent": True,
    }
    real, _ = create_appeal(store, customer, settings=settings)
    load_demo_appeals(store, settings=settings)
    # Only the real customer's registration e-mail waits; the demo ones are settled, never sent.
    assert [mail.number for mail in store.pending_mail()] == [real["number"]]
    assert deliver_pending(store, settings) == 1
    assert [path.name for path in settings.mail_dir.iterdir()] == [f"appeal-{real['number']}-0.eml"]


def test_the_local_run_loads_them_where_the_admin_function_lists_them(
    clock: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, make_client: Any
) -> None:
    from spravka.appeals.store import get_appeal_store
    from spravka.config import get_settings
    from spravka_tools.serve import load_demo_appeals as load_on_serve

    token = "local-admin-token-" + "x" * 32
    monkeypatch.setenv("READINGS_STORE", f"sqlite:///{tmp_path / 'spravka.sqlite3'}")
    monkeypatch.setenv("ADMIN_TOKEN", token)
    get_settings.cache_clear()
    get_appeal_store.cache_clear()
    clock.set("2026-12-03T22:00:00+03:00")
    try:
        assert load_on_serve() == len(EXPECTED_STATUS)
        client = make_client("admin")
        listed = client.get("/appeals", headers={"Authorization": f"Bearer {token}"})
        assert listed.status_code == 200
        appeals = json.loads(listed.get_data(as_text=True))["appeals"]
        assert sorted(appeal["status"] for appeal in appeals) == sorted(EXPECTED_STATUS.values())
        assert [appeal["overdue"] for appeal in appeals].count(True) == 1
    finally:
        get_appeal_store().close()
        get_appeal_store.cache_clear()
