"""Nights and Russia's non-working days, so the report can show when customers ask outside office hours.

The days off come from the `holidays` library's production calendar of Russia: the public
holidays of the Labour Code (art. 112) and the days off the Government moves each year (e.g.
December 31, 2026, moved from January 4), in Russian; a working Saturday is not a day off.
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

NIGHT_FROM, NIGHT_UNTIL = 22, 6  # local hours: 22:00–6:00


@functools.cache
def _calendar() -> Any:
    from holidays.countries.russia import Russia

    return Russia(language="ru")  # years are filled in on first lookup


def is_night(moment: datetime.datetime) -> bool:
    return is_night_hour(moment.hour)


def is_night_hour(hour: int) -> bool:
    return hour >= NIGHT_FROM or hour < NIGHT_UNTIL


def holiday_name(day: datetime.date) -> str | None:
    """The day's holiday or moved day off, in Russian; None on an ordinary day."""
    name: str | None = _calendar().get(day)
    return name


def is_day_off(day: datetime.date) -> bool:
    calendar = _calendar()
    if day in calendar:  # also fills in the day's year, working weekends included
        return True
    return day.weekday() >= 5 and day not in calendar.weekend_workdays


def holidays_between(first: datetime.date, last: datetime.date) -> dict[datetime.date, str]:
    days = (first + datetime.timedelta(days=n) for n in range((last - first).days + 1))
    return {day: name for day in days if (name := holiday_name(day))}
