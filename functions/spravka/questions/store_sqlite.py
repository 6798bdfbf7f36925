"""The log in the local SQLite file: two tables beside the readings, expired rows purged on write and by the report."""

from __future__ import annotations

import datetime
import json
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from spravka import clock, compact_json
from spravka.questions.records import UTC, EventRecord, QuestionRecord, Record
from spravka.questions.store import EVENTS, QUESTIONS, expiry
from spravka.store.sqlite_schema import connect, write_transaction

# Rows are kept in (at, id) order, WITHOUT ROWID: a batch of the log appends at the right edge
# of one B-tree instead of landing on a random page each (the ids are random), so a commit
# writes a few pages to the WAL, not one per row; reads by time need no other index.
TABLE = """CREATE TABLE IF NOT EXISTS {table} (id TEXT NOT NULL, at TEXT NOT NULL, expire_at TEXT NOT NULL,
    doc TEXT NOT NULL, PRIMARY KEY (at, id)) WITHOUT ROWID"""
SCHEMA = "".join(
    f"{TABLE.format(table=table)};\nCREATE INDEX IF NOT EXISTS {table}_expire_at ON {table} (expire_at);\n"
    for table in (QUESTIONS, EVENTS)
)
PURGE_EVERY = 3600.0  # seconds between purges done by the writer
INSERT_CHUNK = 64  # rows per INSERT at most (a power of two; 256 values, far under SQLite's limit)


def _stamp(moment: datetime.datetime) -> str:
    """A sortable UTC text stamp (microseconds, fixed width): 2026-01-01T00:00:00.000000Z."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds")[:-6] + "Z"  # "+00:00" off: isoformat is C, strftime is not


def _parse(stamp: str) -> datetime.datetime:
    return datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _insert(db: sqlite3.Connection, table: str, rows: list[tuple[str, str, str, str]]) -> None:
    """Insert rows by many at a time: sqlite3 releases the GIL once a statement, and executemany is a
    statement a row (a thread switch a logged question on a busy server). Chunks of 64, 32, …, 1 rows
    keep the distinct statements few (sqlite3 caches prepared statements by their text)."""
    at = 0
    size = INSERT_CHUNK
    while at < len(rows):
        while at + size > len(rows):
            size //= 2
        chunk = rows[at : at + size]
        db.execute(
            f"INSERT OR IGNORE INTO {table} VALUES " + ",".join(("(?, ?, ?, ?)",) * size),
            [value for row in chunk for value in row],
        )
        at += size


def _old_tables(db: sqlite3.Connection) -> list[str]:
    """Log tables still in the first layout (a rowid table keyed by the random id, an index on at)."""
    found = []
    for table in (QUESTIONS, EVENTS):
        row = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
        if row is not None and "WITHOUT ROWID" not in row[0].upper():
            found.append(table)
    return found


def _migrate(db: sqlite3.Connection) -> None:
    """Move tables of the first layout to (at, id) order, rows kept; nothing to do costs one read."""
    if not _old_tables(db):
        return
    with write_transaction(db):  # one process migrates; another opening the file waits, then finds it done
        for table in _old_tables(db):
            db.execute(TABLE.format(table=f"{table}_new"))
            db.execute(
                f"INSERT OR IGNORE INTO {table}_new (id, at, expire_at, doc) SELECT id, at, expire_at, doc FROM {table}"
            )
            db.execute(f"DROP TABLE {table}")  # its indexes go with it
            db.execute(f"ALTER TABLE {table}_new RENAME TO {table}")


class SqliteLogStore:
    """A LogStore over one SQLite file (WAL); one connection shared under a lock (one writer thread uses it)."""

    def __init__(self, path: str | Path, *, busy_timeout: float = 5.0) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._last_purge: float | None = None  # never yet: the first write purges (monotonic may start near 0)

    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            connection = connect(self.path, busy_timeout=self.busy_timeout)
            try:
                _migrate(connection)
                connection.executescript(SCHEMA)
            except BaseException:
                connection.close()
                raise
            self._connection = connection
        return self._connection

    def write(self, records: Sequence[Record], *, retention_days: int) -> None:
        rows: dict[str, list[tuple[str, str, str, str]]] = {QUESTIONS: [], EVENTS: []}
        for record in records:
            table = QUESTIONS if isinstance(record, QuestionRecord) else EVENTS
            rows[table].append(
                (
                    record.id,
                    _stamp(record.at),
                    _stamp(expiry(record.at, retention_days)),
                    compact_json.dumps(record.to_doc()).decode("utf-8"),
                )
            )
        with self._lock:
            with write_transaction(self._db()) as db:
                for table, values in rows.items():
                    _insert(db, table, values)
        if self._last_purge is None or time.monotonic() - self._last_purge > PURGE_EVERY:
            self.purge(clock.now())

    def _read(
        self, table: str, since: datetime.datetime | None, until: datetime.datetime | None
    ) -> list[tuple[str, str, str]]:
        low = _stamp(since) if since else ""
        high = _stamp(until) if until else "~"
        with self._lock:
            return (
                self._db()
                .execute(f"SELECT id, at, doc FROM {table} WHERE at >= ? AND at < ? ORDER BY at, id", (low, high))
                .fetchall()
            )

    def questions(
        self, since: datetime.datetime | None = None, until: datetime.datetime | None = None
    ) -> list[QuestionRecord]:
        return [
            QuestionRecord.from_doc(id, _parse(at), json.loads(doc))
            for id, at, doc in self._read(QUESTIONS, since, until)
        ]

    def events(
        self, since: datetime.datetime | None = None, until: datetime.datetime | None = None
    ) -> list[EventRecord]:
        return [
            EventRecord.from_doc(id, _parse(at), json.loads(doc)) for id, at, doc in self._read(EVENTS, since, until)
        ]

    def purge(self, now: datetime.datetime) -> int:
        self._last_purge = time.monotonic()
        with self._lock:
            db = self._db()
            removed = sum(
                db.execute(f"DELETE FROM {table} WHERE expire_at < ?", (_stamp(now),)).rowcount
                for table in (QUESTIONS, EVENTS)
            )
        return removed

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
