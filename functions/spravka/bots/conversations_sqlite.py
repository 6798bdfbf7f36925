"""Conversations in the local SQLite file, two tables beside the readings; expired rows purged on commit."""

from __future__ import annotations

import contextlib
import datetime
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from spravka.bots.conversations import UPDATE_TTL, Committed, Conversation, expiry_of
from spravka.errors import StoreUnavailable
from spravka.store.sqlite_schema import connect, dumps, write_transaction

SCHEMA = """
CREATE TABLE IF NOT EXISTS bot_chats (chat TEXT PRIMARY KEY, state TEXT NOT NULL, state_expires_at TEXT NOT NULL,
    saved_account TEXT, expire_at TEXT NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bot_chats_expire_at ON bot_chats (expire_at);
CREATE TABLE IF NOT EXISTS bot_updates (id TEXT PRIMARY KEY, expire_at TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bot_updates_expire_at ON bot_updates (expire_at);
"""


def _stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds")


class SqliteConversations:
    """A ConversationStore over one SQLite file; one connection shared under a lock."""

    def __init__(self, path: str | Path, *, busy_timeout: float = 5.0) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                if self._connection is None:
                    connection = connect(self.path, busy_timeout=self.busy_timeout)
                    connection.executescript(SCHEMA)
                    self._connection = connection
                yield self._connection
            except (sqlite3.OperationalError, OSError) as error:
                raise StoreUnavailable() from error

    def load(self, chat: str, now: datetime.datetime) -> Conversation:
        with self._db() as db:
            row = db.execute(
                "SELECT state, state_expires_at, saved_account, expire_at, version FROM bot_chats WHERE chat = ?",
                (chat,),
            ).fetchone()
        if row is None:
            return Conversation()
        state, state_expires_at, saved_account, expire_at, version = row
        if expire_at <= _stamp(now):
            return Conversation(version=version)
        live = json.loads(state) if state_expires_at > _stamp(now) else None
        return Conversation.from_docs(live, saved_account, version)

    def handled(self, update: str) -> bool:
        with self._db() as db:
            return db.execute("SELECT 1 FROM bot_updates WHERE id = ?", (update,)).fetchone() is not None

    def commit(
        self, chat: str, update: str, conversation: Conversation, now: datetime.datetime, *, version: int
    ) -> Committed:
        state_expires, expires = expiry_of(conversation, now)
        with self._db() as db, write_transaction(db):
            if db.execute("SELECT 1 FROM bot_updates WHERE id = ?", (update,)).fetchone():
                return "handled"
            stored = db.execute("SELECT version FROM bot_chats WHERE chat = ?", (chat,)).fetchone()
            if (stored[0] if stored else 0) != version:
                return "stale"
            db.execute("INSERT INTO bot_updates (id, expire_at) VALUES (?, ?)", (update, _stamp(now + UPDATE_TTL)))
            db.execute(
                "INSERT INTO bot_chats (chat, state, state_expires_at, saved_account, expire_at, version)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (chat) DO UPDATE SET state = excluded.state,"
                " state_expires_at = excluded.state_expires_at, saved_account = excluded.saved_account,"
                " expire_at = excluded.expire_at, version = excluded.version",
                (
                    chat,
                    dumps(conversation.to_doc()),
                    _stamp(state_expires),
                    conversation.saved_account,
                    _stamp(expires),
                    version + 1,
                ),
            )
            db.execute("DELETE FROM bot_updates WHERE expire_at <= ?", (_stamp(now),))
            # Another chat that expired goes (with its version: its next load and commit start from 0).
            db.execute("DELETE FROM bot_chats WHERE expire_at <= ? AND chat != ?", (_stamp(now), chat))
        return "committed"

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
