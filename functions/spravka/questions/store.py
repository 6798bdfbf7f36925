"""The question and event log behind one narrow interface: SQLite locally, Firestore in production.

Kept apart from the readings store: the log is written in batches by a background
writer and read whole by the editors' report, never inside a readings transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Protocol

from spravka.questions.records import EventRecord, QuestionRecord, Record

# Firestore collections (and SQLite tables) of the log, and the TTL field on every document.
QUESTIONS = "questions"
EVENTS = "events"
TTL_FIELD = "expire_at"


class LogStore(Protocol):
    """Append-only records with a time and an expiry; read back by time range."""

    def write(self, records: Sequence[Record], *, retention_days: int) -> None:
        """Store the records (each expires retention_days after its time); raises on a store fault."""
        ...

    def questions(
        self, since: datetime.datetime | None = None, until: datetime.datetime | None = None
    ) -> list[QuestionRecord]:
        """Questions with since <= at < until, oldest first."""
        ...

    def events(
        self, since: datetime.datetime | None = None, until: datetime.datetime | None = None
    ) -> list[EventRecord]:
        """Widget events with since <= at < until, oldest first."""
        ...

    def purge(self, now: datetime.datetime) -> int:
        """Delete what expired before now; how many records went (Firestore's TTL does this itself: 0)."""
        ...

    def close(self) -> None: ...


def expiry(at: datetime.datetime, retention_days: int) -> datetime.datetime:
    return at + datetime.timedelta(days=retention_days)
