"""open_log_store(url): the question log's store for a READINGS_STORE value (the same URL as the readings store)."""

from __future__ import annotations

from spravka.config import sqlite_path
from spravka.questions.store import LogStore


def open_log_store(url: str) -> LogStore:
    """The log store for a READINGS_STORE value; Firestore's library is imported only for "firestore"."""
    path = sqlite_path(url)
    if path is not None:
        from spravka.questions.store_sqlite import SqliteLogStore

        return SqliteLogStore(path)
    from spravka.questions.store_firestore import FirestoreLogStore

    return FirestoreLogStore()
