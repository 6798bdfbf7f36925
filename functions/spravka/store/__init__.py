"""open_store(url) -> ReadingStore from READINGS_STORE: "sqlite:///<path>" or "firestore"."""

from __future__ import annotations

import functools

from spravka.config import SettingsError, get_settings
from spravka.store.base import ReadingStore

SQLITE_PREFIX = "sqlite:///"


def open_store(url: str) -> ReadingStore:
    """The store a READINGS_STORE value names; Firestore's client library is imported only for "firestore"."""
    if url.startswith(SQLITE_PREFIX):
        from spravka.store.sqlite import SqliteStore

        return SqliteStore(url[len(SQLITE_PREFIX):])
    if url == "firestore":
        from spravka.store.firestore import FirestoreStore

        return FirestoreStore()
    raise SettingsError(f"READINGS_STORE: expected sqlite:///<path> or firestore, got {url!r}")


@functools.cache
def get_store() -> ReadingStore:
    """This instance's store, opened on first use from the settings."""
    return open_store(get_settings().readings_store)


__all__ = ["ReadingStore", "get_store", "open_store"]
