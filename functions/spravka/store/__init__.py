"""open_store(url) -> ReadingStore from READINGS_STORE: "sqlite:///<path>" or "firestore"."""

from __future__ import annotations

import functools

from spravka.config import get_settings, sqlite_path
from spravka.store.base import ReadingStore


def open_store(url: str) -> ReadingStore:
    """The store a READINGS_STORE value names; Firestore's client library is imported only for "firestore"."""
    path = sqlite_path(url)
    if path is not None:
        from spravka.store.sqlite import SqliteStore

        return SqliteStore(path)
    from spravka.store.firestore import FirestoreStore

    return FirestoreStore()


@functools.cache
def get_store() -> ReadingStore:
    """This instance's store, opened on first use from the settings."""
    return open_store(get_settings().readings_store)


__all__ = ["ReadingStore", "get_store", "open_store"]
