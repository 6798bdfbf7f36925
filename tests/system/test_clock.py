"""The one clock: every reading of the time goes through spravka.clock, dates in the utility's zone."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path
from typing import Any

import pytest

from spravka import clock as product_clock
from spravka.readings.period import billing_period

ROOT = Path(__file__).resolve().parents[2]
# (owner, call) pairs that read the wall clock; datetime.time() only builds a time of day.
CLOCK_CALLS = {
    (owner, call)
    for owner in ("datetime", "datetime.datetime", "datetime.date", "date")
    for call in ("now", "utcnow", "today")
} | {("time", call) for call in ("time", "time_ns", "localtime", "gmtime", "ctime")}


def clock_readers(path: Path) -> list[str]:
    """Calls like datetime.now(), date.today(), time.time() in one module: `module:line call`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = ast.unparse(node.func.value)
            if (owner, node.func.attr) in CLOCK_CALLS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {owner}.{node.func.attr}")
    return found


def test_only_the_clock_module_reads_the_time() -> None:
    # Benchmarks time themselves with perf_counter/monotonic, which are not the wall clock.
    modules = [
        p for folder in ("functions", "spravka_tools") for p in (ROOT / folder).rglob("*.py") if p.name != "clock.py"
    ]
    assert modules
    assert [hit for path in modules for hit in clock_readers(path)] == []


@pytest.mark.parametrize(
    "moment, day",
    [
        # 20:59 UTC on the 14th is still the 14th in Moscow (UTC+3); 21:01 is already the 15th.
        ("2027-01-14T20:59:00+00:00", datetime.date(2027, 1, 14)),
        ("2027-01-14T21:01:00+00:00", datetime.date(2027, 1, 15)),
        # New Year's night in Moscow is still 31 December in UTC.
        ("2026-12-31T21:30:00+00:00", datetime.date(2027, 1, 1)),
        ("2028-02-29T12:00:00+00:00", datetime.date(2028, 2, 29)),
    ],
)
def test_today_is_the_utility_s_date(clock: Any, moment: str, day: datetime.date) -> None:
    clock.set(moment)
    assert product_clock.today("Europe/Moscow") == day
    assert product_clock.now() == datetime.datetime.fromisoformat(moment)
    assert product_clock.now().tzinfo == datetime.UTC


@pytest.mark.parametrize(
    "moment, period, timing",
    [
        ("2027-01-14T20:59:00+00:00", "2027-01", "early"),
        ("2027-01-14T21:01:00+00:00", "2027-01", None),
        ("2027-01-25T20:59:00+00:00", "2027-01", None),
        ("2027-01-25T21:01:00+00:00", "2027-02", "late"),
        ("2026-12-31T21:30:00+00:00", "2027-01", "early"),
        ("2026-12-31T20:59:00+00:00", "2027-01", "late"),
    ],
)
def test_the_window_turns_at_local_midnight(clock: Any, moment: str, period: str, timing: str | None) -> None:
    clock.set(moment)
    assert billing_period(product_clock.today("Europe/Moscow"), (15, 25)) == (period, timing)


def test_a_test_s_clock_needs_a_zone(clock: Any) -> None:
    with pytest.raises(ValueError):
        clock.set("2027-01-03T10:00:00")


def test_without_a_source_the_system_clock_is_read() -> None:
    before = datetime.datetime.now(datetime.UTC)
    assert before <= product_clock.now() <= datetime.datetime.now(datetime.UTC)
