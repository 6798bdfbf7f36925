"""The billing period a reading belongs to, from the local date and the submission window."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

# A billing period as given by billing's export requests: "2026-11" (fullmatch).
PERIOD = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


def local_date(moment: datetime.datetime, timezone: str) -> datetime.date:
    """The calendar date at the utility's location (periods follow local days, times are kept in UTC)."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def billing_period(day: datetime.date, window: tuple[int, int]) -> tuple[str, str | None]:
    """(period "YYYY-MM", timing) where timing is None inside the window, "early" or "late" outside it.

    Early (before the window opens) counts for this month's period; late (after it closes, when
    this month's bills are being computed) counts for next month's.
    """
    first, last = window
    if day.day < first:
        return f"{day:%Y-%m}", "early"
    if day.day > last:
        following = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        return f"{following:%Y-%m}", "late"
    return f"{day:%Y-%m}", None


def elapsed_days(since: str, until: datetime.datetime) -> float:
    """Days between two moments, the first an ISO UTC string; never negative."""
    start = datetime.datetime.fromisoformat(since)
    return max((until - start).total_seconds() / 86400, 0.0)


def start_of_day_utc(day: datetime.date, timezone: str) -> datetime.datetime:
    """Local midnight of a date, in UTC (when billing only knows the date of a reading)."""
    return datetime.datetime.combine(day, datetime.time(), ZoneInfo(timezone)).astimezone(datetime.UTC)
