"""Deadlines on Russia's production calendar, checked against the official calendars of 2026 and 2027.

What was checked (docs/appeals.md, "Deadlines"): the non-working days of 2026 from Government
Decree No. 1466 of 24.09.2025 (January 3 and 4 moved to January 9 and December 31; March 8 and
May 9 fall on a weekend and move to March 9 and May 11 by art. 112 of the Labour Code; no working
Saturdays), and those of 2027 from the decree the `holidays` library cites for 2027 (consultant.ru
LAW_544706: January 2 and 3 moved to November 5 and December 31; Saturday February 20 a working
day for Monday February 22; May 1 and 9, June 12 on weekends move to May 3, 10, June 14).
"""

from __future__ import annotations

import datetime

import pytest

from spravka.appeals.deadlines import add_working_days, deadlines, load_calendar
from spravka_tools.knowledge.appeals import build_calendar

D = datetime.date


def days_off(year: int) -> list[datetime.date]:
    """Every non-working day of a year that is not a plain Saturday or Sunday, and the working weekends."""
    calendar = load_calendar()
    first = D(year, 1, 1)
    days = [first + datetime.timedelta(n) for n in range((D(year + 1, 1, 1) - first).days)]
    return [day for day in days if (day.weekday() < 5) != calendar.is_working_day(day)]


OFFICIAL_2026 = [
    *(D(2026, 1, d) for d in (1, 2, 5, 6, 7, 8, 9)),  # Jan 3-4 are a weekend anyway; Jan 9 is theirs moved
    D(2026, 2, 23),
    D(2026, 3, 9),  # March 8 is a Sunday
    D(2026, 5, 1),
    D(2026, 5, 11),  # May 9 is a Saturday
    D(2026, 6, 12),
    D(2026, 11, 4),
    D(2026, 12, 31),  # moved from January 4
]
OFFICIAL_2027 = [
    *(D(2027, 1, d) for d in (1, 4, 5, 6, 7, 8)),  # Jan 2-3 are a weekend; moved to Nov 5 and Dec 31
    D(2027, 2, 20),  # a working Saturday (for Monday, February 22)
    D(2027, 2, 22),
    D(2027, 2, 23),
    D(2027, 3, 8),
    D(2027, 5, 3),  # May 1 is a Saturday
    D(2027, 5, 10),  # May 9 is a Sunday
    D(2027, 6, 14),  # June 12 is a Saturday
    D(2027, 11, 4),
    D(2027, 11, 5),
    D(2027, 12, 31),
]


@pytest.mark.parametrize(("year", "official"), [(2026, OFFICIAL_2026), (2027, OFFICIAL_2027)])
def test_the_calendar_matches_the_official_one(year: int, official: list[datetime.date]) -> None:
    assert days_off(year) == official


def test_working_days_in_a_year() -> None:
    """2026 has 247 working days (the official total, as published); 2027 follows from its days off above."""
    calendar = load_calendar()
    for year, total in ((2026, 247), (2027, 247)):
        first = D(year, 1, 1)
        days = (first + datetime.timedelta(n) for n in range((D(year + 1, 1, 1) - first).days))
        assert sum(calendar.is_working_day(day) for day in days) == total


@pytest.mark.parametrize(
    ("registered", "days", "decision"),
    [
        (D(2026, 12, 3), 10, D(2026, 12, 17)),  # a plain fortnight
        (D(2026, 12, 25), 10, D(2027, 1, 19)),  # Dec 28-30, then Dec 31 2026 .. Jan 10 2027 off, then Jan 11-19
        (D(2026, 12, 30), 1, D(2027, 1, 11)),  # the next working day after Dec 30 is Jan 11
        (D(2027, 2, 18), 2, D(2027, 2, 20)),  # Saturday Feb 20 2027 is a working day
        (D(2027, 2, 19), 2, D(2027, 2, 24)),  # ... and Feb 22-23 are not
        (D(2026, 3, 6), 1, D(2026, 3, 10)),  # March 9, 2026: the day off moved from Sunday March 8
        (D(2026, 5, 8), 5, D(2026, 5, 18)),  # May 11 off (Victory Day on a Saturday)
        (D(2026, 12, 5), 1, D(2026, 12, 7)),  # registered on a Saturday: Monday is the first day
    ],
)
def test_decision_by_counts_working_days(registered: datetime.date, days: int, decision: datetime.date) -> None:
    assert add_working_days(registered, days, load_calendar()) == decision


def test_review_is_48_hours_and_decision_a_local_date() -> None:
    # 22:30 on December 30 in Moscow is 19:30 UTC: review by January 1, 19:30 UTC, in the holidays.
    moment = datetime.datetime(2026, 12, 30, 19, 30, tzinfo=datetime.UTC)
    assert deadlines(moment, D(2026, 12, 30), 10) == ("2027-01-01T19:30:00Z", "2027-01-22")


def test_beyond_the_calendar_file_weekends_and_statutory_holidays_still_count() -> None:
    calendar = load_calendar()
    assert calendar.last_year >= 2027
    far = calendar.last_year + 1
    assert not calendar.is_working_day(D(far, 1, 2)) and not calendar.is_working_day(D(far, 6, 12))


def test_the_committed_calendar_is_what_the_library_builds() -> None:
    calendar = build_calendar()
    loaded = load_calendar()
    assert (calendar["first_year"], calendar["last_year"]) == (loaded.first_year, loaded.last_year)
    assert {D.fromisoformat(d) for d in calendar["days_off"]} == loaded.days_off
    assert {D.fromisoformat(d) for d in calendar["working_weekends"]} == loaded.working_weekends
