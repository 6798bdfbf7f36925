"""The appeal's deadlines: review within 48 hours, a decision within N working days.

Working days follow Russia's production calendar, holidays and transferred days off included.
The calendar is computed by the tools from the `holidays` library into data/calendar.json
(`spravka build-index`), so a function reads a small file instead of importing the library
(~60 ms and ~75 ms more to build Russia's years: docs/appeals.md). A year beyond the file counts
weekends and the statutory holidays of the Labour Code (art. 112) without transfers.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json

from spravka.paths import PACKAGE_DIR

CALENDAR_PATH = PACKAGE_DIR / "data" / "calendar.json"
REVIEW_HOURS = 48
STATUTORY = {
    (1, 1),
    (1, 2),
    (1, 3),
    (1, 4),
    (1, 5),
    (1, 6),
    (1, 7),
    (1, 8),
    (2, 23),
    (3, 8),
    (5, 1),
    (5, 9),
    (6, 12),
    (11, 4),
}


@dataclasses.dataclass(frozen=True)
class Calendar:
    first_year: int
    last_year: int
    days_off: frozenset[datetime.date]  # holidays and transferred days off (weekdays among them matter)
    working_weekends: frozenset[datetime.date]  # Saturdays or Sundays made working days

    def is_working_day(self, day: datetime.date) -> bool:
        if self.first_year <= day.year <= self.last_year:
            if day in self.working_weekends:
                return True
            return day.weekday() < 5 and day not in self.days_off
        return day.weekday() < 5 and (day.month, day.day) not in STATUTORY


@functools.cache
def load_calendar() -> Calendar:
    data = json.loads(CALENDAR_PATH.read_text(encoding="utf-8"))
    return Calendar(
        data["first_year"],
        data["last_year"],
        frozenset(map(datetime.date.fromisoformat, data["days_off"])),
        frozenset(map(datetime.date.fromisoformat, data["working_weekends"])),
    )


def add_working_days(start: datetime.date, days: int, calendar: Calendar) -> datetime.date:
    """The `days`-th working day after `start`, or before it when `days` is negative (`start` itself
    does not count: the day of registration)."""
    step = datetime.timedelta(days=1 if days >= 0 else -1)
    day = start
    for _ in range(abs(days)):
        day += step
        while not calendar.is_working_day(day):
            day += step
    return day


def deadlines(registered: datetime.datetime, local_day: datetime.date, decision_days: int) -> tuple[str, str]:
    """(review_by as an ISO instant in UTC, decision_by as the last local date YYYY-MM-DD)."""
    review_by = registered.astimezone(datetime.UTC) + datetime.timedelta(hours=REVIEW_HOURS)
    decision_by = add_working_days(local_day, decision_days, load_calendar())
    return iso_instant(review_by), decision_by.isoformat()


def iso_instant(moment: datetime.datetime) -> str:
    """2026-12-03T10:15:00Z: UTC, whole seconds."""
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
