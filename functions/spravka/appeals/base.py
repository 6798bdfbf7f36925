"""The appeals' store interface: the same READINGS_STORE as the readings.

Each implementation extends the readings store of its kind (sharing its connection handling,
transactions and rate-limit counters) with appeals, idempotency keys and the e-mail outbox.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Protocol

from spravka.appeals.model import Appeal, Mail
from spravka.errors import Conflict
from spravka.store.base import Counter

# Given the appeal as stored, the appeal after a staff action (pure; may run more than once).
Change = Callable[[Appeal], Appeal]

KEY_REUSED = (
    "Ключ повтора (idempotency_key) уже использован для другого обращения. Для нового обращения нужен новый ключ."
)


class NumberTaken(Exception):
    """The drawn number exists already; the caller draws another (nothing was written)."""


@dataclasses.dataclass(frozen=True)
class CreateKey:
    """The idempotency record of a submission: the same id for a resend, the fingerprint of what was sent."""

    idempotency_id: str
    fingerprint: str


def replayed(key: CreateKey, fingerprint: str) -> None:
    if fingerprint != key.fingerprint:
        raise Conflict("idempotency_key_reused", KEY_REUSED)


class AppealStore(Protocol):
    """Appeals, their idempotency keys and the outbox, each change in one transaction with its e-mails."""

    def create(self, appeal: Appeal, key: CreateKey) -> tuple[Appeal, bool]:
        """(the new appeal, True), or (the appeal this key made before, False); NumberTaken, Conflict."""
        ...

    def appeal(self, number: str) -> Appeal | None: ...

    def change(self, number: str, change: Change) -> Appeal:
        """Read, change and write one appeal with the e-mails its new history entries owe; NotFound."""
        ...

    def appeals(self, status: str | None = None) -> list[Appeal]:
        """Every appeal (of one status), oldest first."""
        ...

    def pending_mail(self, limit: int = 100) -> list[Mail]:
        """Outbox entries not yet sent, oldest first."""
        ...

    def lease_mail(self, mail_id: str, *, now: float, until: float) -> bool:
        """Take an unsent entry whose lease has run out (True), so one sender at a time sends it."""
        ...

    def mark_sent(self, mail_id: str, *, at: str) -> None: ...

    def count_attempts(self, counters: list[Counter]) -> list[int]: ...

    def close(self) -> None: ...
