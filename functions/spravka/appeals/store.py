"""open_appeal_store(url) -> AppealStore from READINGS_STORE: "sqlite:///<path>" or "firestore"."""

from __future__ import annotations

import functools

from spravka.appeals.base import AppealStore
from spravka.config import get_settings, sqlite_path


def open_appeal_store(url: str) -> AppealStore:
    path = sqlite_path(url)
    if path is not None:
        from spravka.appeals.store_sqlite import SqliteAppealStore

        return SqliteAppealStore(path)
    from spravka.appeals.store_firestore import FirestoreAppealStore

    return FirestoreAppealStore()


@functools.cache
def get_appeal_store() -> AppealStore:
    """This instance's appeals store, opened on first use from the settings."""
    return open_appeal_store(get_settings().readings_store)


__all__ = ["AppealStore", "get_appeal_store", "open_appeal_store"]
