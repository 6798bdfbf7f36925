"""What a turn of the dialog may call, and who is asking."""

from __future__ import annotations

import dataclasses

from spravka.ask.index import Index
from spravka.config import Settings
from spravka.store.base import ReadingStore


@dataclasses.dataclass(frozen=True)
class Context:
    """The services a turn may call, and who is asking (for the readings limits, never logged)."""

    settings: Settings
    index: Index
    store: ReadingStore
    client: str  # "telegram:<hash of the chat>": the readings' per-client budget
    idempotency_key: str  # the update's: a retried update replays its reading instead of making a second
