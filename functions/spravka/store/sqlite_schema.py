"""The SQLite store's tables and row helpers: documents stored as JSON next to the keys they are found by."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from spravka.store.codec import meter_state_from_doc, meter_state_to_doc, reading_to_doc
from spravka.store.model import MeterState, Reading


def connect(path: Path, *, busy_timeout: float) -> sqlite3.Connection:
    """A connection to the store's file (created with its folder), autocommit, WAL, usable from any thread."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
    except BaseException:
        connection.close()  # a locked or read-only file: nothing keeps this connection
        raise
    return connection


@contextlib.contextmanager
def write_transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE (the write lock before the first read), COMMIT, or ROLLBACK on any error."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):  # the error that got us here is the one to raise
            db.execute("ROLLBACK")
        raise


SCHEMA = """
CREATE TABLE IF NOT EXISTS meters (account TEXT NOT NULL, meter TEXT NOT NULL, doc TEXT NOT NULL,
    PRIMARY KEY (account, meter)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS readings (reading_id TEXT PRIMARY KEY, account TEXT NOT NULL, meter TEXT NOT NULL,
    seq INTEGER NOT NULL, period TEXT NOT NULL, doc TEXT NOT NULL, UNIQUE (account, meter, seq));
CREATE INDEX IF NOT EXISTS readings_by_period ON readings (period);
CREATE TABLE IF NOT EXISTS idempotency (id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, reading_id TEXT NOT NULL,
    receipt TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS attempts (key TEXT NOT NULL, window INTEGER NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (key, window)) WITHOUT ROWID;
"""


def dumps(doc: Mapping[str, Any]) -> str:
    """Compact, key-sorted JSON."""
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def stored_meter(db: sqlite3.Connection, account: str, meter: str) -> MeterState | None:
    """The meter as stored, or None."""
    row = db.execute("SELECT doc FROM meters WHERE account = ? AND meter = ?", (account, meter)).fetchone()
    return meter_state_from_doc(json.loads(row[0])) if row else None


def write_reading(db: sqlite3.Connection, reading: Reading) -> None:
    """Insert a reading (its id and (meter, seq) are unique)."""
    db.execute(
        "INSERT INTO readings (reading_id, account, meter, seq, period, doc) VALUES (?, ?, ?, ?, ?, ?)",
        (
            reading.reading_id,
            reading.account,
            reading.meter,
            reading.seq,
            reading.period,
            dumps(reading_to_doc(reading)),
        ),
    )


def write_meter(db: sqlite3.Connection, state: MeterState) -> None:
    """Insert or replace a meter's document."""
    db.execute(
        "INSERT INTO meters (account, meter, doc) VALUES (?, ?, ?) "
        "ON CONFLICT (account, meter) DO UPDATE SET doc = excluded.doc",
        (state.meter.account, state.meter.meter, dumps(meter_state_to_doc(state))),
    )
