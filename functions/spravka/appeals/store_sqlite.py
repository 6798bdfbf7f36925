"""SqliteAppealStore: appeals in the readings' SQLite file, every change in one BEGIN IMMEDIATE transaction."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator, Sequence

from spravka.appeals.base import Change, CreateKey, NumberTaken, replayed
from spravka.appeals.model import Appeal, Event, Mail, appeal_from_doc, appeal_to_doc, mail_events
from spravka.appeals.validate import NOT_FOUND
from spravka.errors import NotFound, StoreUnavailable
from spravka.store.sqlite import SqliteStore
from spravka.store.sqlite_schema import dumps

SCHEMA = """
CREATE TABLE IF NOT EXISTS appeals (number TEXT PRIMARY KEY, status TEXT NOT NULL, registered_at TEXT NOT NULL,
    doc TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS appeal_keys (id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, number TEXT NOT NULL)
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS appeal_mail (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, number TEXT NOT NULL,
    event INTEGER NOT NULL, lease_until REAL NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0, sent_at TEXT);
CREATE INDEX IF NOT EXISTS appeal_mail_pending ON appeal_mail (sent_at, seq);
"""


class SqliteAppealStore(SqliteStore):
    """An AppealStore over the same SQLite file as the readings."""

    _appeals_schema_ready = False

    def _connection(self) -> sqlite3.Connection:
        connection = super()._connection()
        if not self._appeals_schema_ready:
            connection.executescript(SCHEMA)
            self._appeals_schema_ready = True
        return connection

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction in which any SQLite failure is a 503 with everything rolled back."""
        try:
            with self._transaction() as db:
                yield db
        except sqlite3.Error as error:  # e.g. a constraint or I/O error mid-write: rolled back above
            raise StoreUnavailable() from error

    def create(self, appeal: Appeal, key: CreateKey) -> tuple[Appeal, bool]:
        with self._write() as db:
            known = db.execute(
                "SELECT fingerprint, number FROM appeal_keys WHERE id = ?", (key.idempotency_id,)
            ).fetchone()
            if known is not None:
                replayed(key, known[0])
                return _stored(db, known[1]), False
            if db.execute("SELECT 1 FROM appeals WHERE number = ?", (appeal.number,)).fetchone():
                raise NumberTaken(appeal.number)
            _write_appeal(db, appeal, before=())
            db.execute(
                "INSERT INTO appeal_keys (id, fingerprint, number) VALUES (?, ?, ?)",
                (key.idempotency_id, key.fingerprint, appeal.number),
            )
        return appeal, True

    def appeal(self, number: str) -> Appeal | None:
        found = self._documents("SELECT doc FROM appeals WHERE number = ?", number)
        return appeal_from_doc(found[0]) if found else None

    def change(self, number: str, change: Change) -> Appeal:
        with self._write() as db:
            before = _stored(db, number)
            after = change(before)
            _write_appeal(db, after, before=before.history)
        return after

    def appeals(self, status: str | None = None) -> list[Appeal]:
        if status is None:
            docs = self._documents("SELECT doc FROM appeals ORDER BY registered_at, number")
        else:
            docs = self._documents("SELECT doc FROM appeals WHERE status = ? ORDER BY registered_at, number", status)
        return [appeal_from_doc(doc) for doc in docs]

    def pending_mail(self, limit: int = 100) -> list[Mail]:
        with self._transaction("BEGIN") as db:
            rows = db.execute(
                "SELECT id, number, event FROM appeal_mail WHERE sent_at IS NULL ORDER BY seq LIMIT ?", (limit,)
            ).fetchall()
        return [Mail(*row) for row in rows]

    def lease_mail(self, mail_id: str, *, now: float, until: float) -> bool:
        with self._write() as db:
            taken = db.execute(
                "UPDATE appeal_mail SET lease_until = ?, attempts = attempts + 1 "
                "WHERE id = ? AND sent_at IS NULL AND lease_until <= ?",
                (until, mail_id, now),
            ).rowcount
        return taken == 1

    def mark_sent(self, mail_id: str, *, at: str) -> None:
        with self._write() as db:
            db.execute("UPDATE appeal_mail SET sent_at = ? WHERE id = ? AND sent_at IS NULL", (at, mail_id))


def _stored(db: sqlite3.Connection, number: str) -> Appeal:
    row = db.execute("SELECT doc FROM appeals WHERE number = ?", (number,)).fetchone()
    if row is None:
        raise NotFound("appeal_not_found", NOT_FOUND)
    return appeal_from_doc(json.loads(row[0]))


def _write_appeal(db: sqlite3.Connection, appeal: Appeal, *, before: Sequence[Event]) -> None:
    db.execute(
        "INSERT INTO appeals (number, status, registered_at, doc) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (number) DO UPDATE SET status = excluded.status, doc = excluded.doc",
        (appeal.number, appeal.status, appeal.registered_at, dumps(appeal_to_doc(appeal))),
    )
    for mail in mail_events(before, appeal):
        db.execute("INSERT INTO appeal_mail (id, number, event) VALUES (?, ?, ?)", (mail.id, mail.number, mail.event))
