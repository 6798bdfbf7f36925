"""The demo accounts of the local run (demo/accounts.csv, described in docs/readings.md)."""

from __future__ import annotations

import logging
from pathlib import Path

from spravka.config import get_settings
from spravka.paths import REPO_DIR
from spravka.store.base import ReadingStore
from spravka_tools.accounts import import_accounts

log = logging.getLogger(__name__)

DEMO_ACCOUNTS = REPO_DIR / "demo" / "accounts.csv"


def load_demo_accounts(store: ReadingStore | None = None, *, path: Path = DEMO_ACCOUNTS) -> int:
    """Load the demo accounts into `store` (default: the configured one); the number of rows, 0 if no file.

    Loading twice changes nothing: the import keeps readings taken since.
    """
    if not path.is_file():
        log.warning("no demo accounts at %s", path)
        return 0
    if store is None:
        from spravka.store import get_store

        store = get_store()
    rows, changed = import_accounts(store, path.read_text(encoding="utf-8"), timezone=get_settings().timezone)
    log.info("demo accounts: %d rows, %d meters changed", rows, changed)
    return rows
