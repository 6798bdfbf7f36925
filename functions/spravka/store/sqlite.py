"""SqliteStore: the embedded default, one file in WAL mode, every write in a BEGIN IMMEDIATE transaction."""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from spravka.errors import NotFound, StoreUnavailable
from spravka.store.base import METER_UNKNOWN, Compute, Counter, Update, is_stale, replay
from spravka.store.codec import meter_state_from_doc, reading_from_doc
from spravka.store.model import MeterState, Reading, Recorded, RecordKey
from spravka.store.sqlite_schema import SCHEMA, connect, dumps, stored_meter, write_meter, write_reading

log = logging.getLogger(__name__)

ATTEMPTS_KEPT_SECONDS = 2 * 3600  # longer than the longest rate-limit window


class SqliteStore:
    """A ReadingStore over one SQLite file; one connection per thread, all of them closed by close()."""

    def __init__(self, path: str | Path, *, busy_timeout: float = 5.0) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._schema_ready = False

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = connect(self.path, busy_timeout=self.busy_timeout)
            with self._lock:
                self._connections.append(connection)
            self._local.connection = connection
        if not self._schema_ready:
            connection.executescript(SCHEMA)
            self._schema_ready = True
        return connection

    @contextlib.contextmanager
    def _transaction(self, begin: str = "BEGIN IMMEDIATE") -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE takes the write lock before the first read, so read-compute-write is serialised."""
        try:
            connection = self._connection()
            connection.execute(begin)
        except (sqlite3.OperationalError, OSError) as error:
            log.warning("sqlite store unavailable: %s", error)
            raise StoreUnavailable() from error
        try:
            yield connection
            connection.execute("COMMIT")
        except BaseException as error:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            if isinstance(error, sqlite3.OperationalError):
                log.warning("sqlite transaction failed: %s", error)
                raise StoreUnavailable() from error
            raise

    def _documents(self, query: str, *parameters: str) -> list[dict[str, Any]]:
        """A read in a deferred transaction: WAL readers never wait for the writer."""
        with self._transaction("BEGIN") as db:
            return [json.loads(doc) for (doc,) in db.execute(query, parameters).fetchall()]

    def meters(self, account: str) -> list[MeterState]:
        return [
            meter_state_from_doc(doc)
            for doc in self._documents("SELECT doc FROM meters WHERE account = ? ORDER BY meter", account)
        ]

    def record(self, key: RecordKey, compute: Compute) -> Recorded:
        with self._transaction() as db:
            known = db.execute(
                "SELECT fingerprint, receipt, reading_id FROM idempotency WHERE id = ?", (key.idempotency_id,)
            ).fetchone()
            state = stored_meter(db, key.account, key.meter)
            if known is not None and not is_stale(key, known[2], state):
                return replay(key, known[0], json.loads(known[1]))
            if state is None:
                raise NotFound("meter_unknown", METER_UNKNOWN)
            outcome = compute(state)
            write_reading(db, outcome.reading)
            write_meter(db, outcome.state)
            db.execute(  # REPLACE: a stale values record (is_stale) now names the new reading
                "INSERT OR REPLACE INTO idempotency (id, fingerprint, reading_id, receipt) VALUES (?, ?, ?, ?)",
                (key.idempotency_id, key.fingerprint, outcome.reading.reading_id, dumps(outcome.receipt)),
            )
        return Recorded(outcome.receipt, created=True)

    def count_attempts(self, counters: Sequence[Counter]) -> list[int]:
        # The window column holds the window's first second, so windows of any length expire alike.
        counts = []
        with self._transaction() as db:
            for counter in counters:
                start = counter.window * counter.window_seconds
                (count,) = db.execute(
                    "INSERT INTO attempts (key, window, count) VALUES (?, ?, ?) "
                    "ON CONFLICT (key, window) DO UPDATE SET count = count + excluded.count RETURNING count",
                    (counter.key, start, counter.amount),
                ).fetchone()
                if count == counter.amount:  # first of its window: forget windows that ended long ago
                    db.execute("DELETE FROM attempts WHERE window < ?", (start - ATTEMPTS_KEPT_SECONDS,))
                counts.append(int(count))
        return counts

    def import_meters(self, updates: Mapping[tuple[str, str], Update]) -> int:
        changed = 0
        with self._transaction() as db:
            for (account, meter), update in updates.items():
                change = update(stored_meter(db, account, meter))
                if change is not None:
                    if change.baseline is not None:
                        write_reading(db, change.baseline)
                    write_meter(db, change.state)
                    changed += 1
        return changed

    def readings(self, period: str) -> list[Reading]:
        return [
            reading_from_doc(doc)
            for doc in self._documents("SELECT doc FROM readings WHERE period = ? ORDER BY account, meter, seq", period)
        ]

    def history(self, account: str, meter: str) -> list[Reading]:
        return [
            reading_from_doc(doc)
            for doc in self._documents(
                "SELECT doc FROM readings WHERE account = ? AND meter = ? ORDER BY seq", account, meter
            )
        ]

    def close(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()
        self._local = threading.local()
