"""The report's calendar: Russia's days off from the `holidays` library, moved days off and working Saturdays included."""

from __future__ import annotations

import datetime

from spravka_tools.report.calendar import holiday_name, holidays_between, is_day_off, is_night_hour

D = datetime.date


def test_moved_days_off_are_named_in_russian() -> None:
    assert holiday_name(D(2026, 1, 7)) == "Рождество Христово"
    assert holiday_name(D(2026, 1, 9)) is not None and "перенесено" in holiday_name(D(2026, 1, 9))  # type: ignore[operator]
    assert holiday_name(D(2026, 3, 9)) is not None and holiday_name(D(2026, 12, 31)) is not None
    assert holiday_name(D(2026, 12, 30)) is None


def test_a_working_saturday_is_not_a_day_off() -> None:
    assert not is_day_off(D(2027, 2, 20)) and is_day_off(D(2027, 2, 22))
    assert is_day_off(D(2026, 12, 5)) and not is_day_off(D(2026, 12, 4))


def test_holidays_between_spans_the_new_year() -> None:
    found = holidays_between(D(2025, 12, 29), D(2026, 1, 12))
    assert sorted(found) == [D(2025, 12, 31), *(D(2026, 1, d) for d in range(1, 10))]


def test_nights() -> None:
    assert is_night_hour(23) and is_night_hour(5) and not is_night_hour(6) and not is_night_hour(21)
