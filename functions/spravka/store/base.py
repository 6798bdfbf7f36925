"""The narrow interface every readings store implements, and what crosses it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from spravka.errors import Conflict
from spravka.store.model import MeterState, Outcome, Reading, Recorded, RecordKey

# The pure computation run inside the store's transaction; it may run more than
# once when the transaction is retried, so it must not have side effects.
Compute = Callable[[MeterState], Outcome]


@dataclasses.dataclass(frozen=True)
class MeterChange:
    """What an import does to one meter: its new state and, if billing's reading is newer, a baseline reading."""

    state: MeterState
    baseline: Reading | None


@dataclasses.dataclass(frozen=True)
class Counter:
    """One rate-limit counter: what is counted (e.g. "account:…", "client:…") in which time window.

    A counter is one document/row per key and window, so no counter is shared by everyone.
    """

    key: str
    window: int  # index of the window: unix seconds // window_seconds
    window_seconds: int
    amount: int = 1


# Given the meter as stored (or None), the change an import makes; None leaves it as it is.
Update = Callable[[MeterState | None], MeterChange | None]


class ReadingStore(Protocol):
    """Meters, readings, idempotency records and attempt counters, behind one transaction per submission."""

    def meters(self, account: str) -> list[MeterState]:
        """The account's meters with their last readings, ordered by meter id."""
        ...

    def record(self, key: RecordKey, compute: Compute) -> Recorded:
        """In one transaction: replay a known idempotency id, else read the meter, compute, write all.

        Raises NotFound for an unknown meter, whatever ApiError `compute` raises (nothing is written
        then), and StoreUnavailable when the store cannot be reached or stays contended.
        """
        ...

    def count_attempts(self, counters: Sequence[Counter]) -> list[int]:
        """Add each counter's amount in one write (atomic, no read-then-write) and return the new counts."""
        ...

    def import_meters(self, updates: Mapping[tuple[str, str], Update]) -> int:
        """Apply every (account, meter) update in one transaction; return how many meters changed."""
        ...

    def readings(self, period: str) -> list[Reading]:
        """Every reading of a billing period (for the export)."""
        ...

    def history(self, account: str, meter: str) -> list[Reading]:
        """Every reading of one meter, oldest first."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


METER_UNKNOWN = "Счётчик не найден на этом лицевом счёте."
KEY_REUSED = (
    "Ключ повтора (idempotency_key) уже использован для других показаний. Для новых показаний нужен новый ключ."
)


def replay(key: RecordKey, fingerprint: str, receipt: Mapping[str, object]) -> Recorded:
    """The first receipt of a resent submission; a key reused for different values is a conflict."""
    if fingerprint != key.fingerprint:
        raise Conflict("idempotency_key_reused", KEY_REUSED)
    return Recorded(receipt, created=False)


def is_stale(key: RecordKey, known_reading: object, state: MeterState | None) -> bool:
    """A values record (no client key) for a reading that is no longer the meter's latest.

    Sending 1 100 after 1 200 in the same period matches the record of the earlier 1 100, but it is
    no resend of the latest reading: it is computed anew (409 below_previous), never answered with
    the old receipt as if a correction had been applied. A client's own key always replays.
    """
    return key.by_values and state is not None and known_reading != state.last.reading_id
