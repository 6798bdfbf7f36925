"""The one clock of the product: every reading of the current time goes through `now()`.

Production reads the system clock. Tests set a fixed or moving instant with `use(...)` (the
`clock` fixture in tests/conftest.py), so no test depends on the day it runs; Debian's
`faketime` proves it (scripts/test-any-day.sh). Dates and billing periods are taken in the
utility's time zone (`SPRAVKA_TIMEZONE`) from this instant: `today(timezone)`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

UTC = datetime.UTC

_source: Callable[[], datetime.datetime] | None = None


def now() -> datetime.datetime:
    """The current instant, timezone-aware UTC."""
    if _source is None:
        return datetime.datetime.now(UTC)
    return _source().astimezone(UTC)


def today(timezone: str) -> datetime.date:
    """The calendar date now at the utility's location (periods and report days follow local days)."""
    return now().astimezone(ZoneInfo(timezone)).date()


def use(source: Callable[[], datetime.datetime] | None) -> Callable[[], datetime.datetime] | None:
    """Read time from `source` (None: the system clock again); returns the source it replaces."""
    global _source
    previous, _source = _source, source
    return previous
