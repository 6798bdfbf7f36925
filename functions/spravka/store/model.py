"""The values a readings store keeps: meters, their last reading, readings and the outcome of a submission."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from decimal import Decimal

ZONES = ("t1", "t2", "t3")
# resource -> unit shown to people and sent to billing
UNITS = {"electricity": "kWh", "heat": "Gcal", "hot_water": "m3", "cold_water": "m3"}
SOURCES = ("widget", "bot", "import")
RECENT_KEPT = 6  # consumption history kept on the meter document for the plausibility check

Values = Mapping[str, Decimal]


@dataclasses.dataclass(frozen=True)
class Meter:
    """A meter as billing loaded it (contract §4)."""

    account: str
    meter: str
    resource: str
    zones: tuple[str, ...]
    digits: int
    serial: str

    @property
    def unit(self) -> str:
        """kWh, Gcal or m3."""
        return UNITS[self.resource]


@dataclasses.dataclass(frozen=True)
class LastReading:
    """The meter's latest reading, kept on the meter itself so a transaction reads it by id."""

    reading_id: str
    values: Values
    date: str  # local calendar date, YYYY-MM-DD
    taken_at: str  # UTC, ISO 8601
    seq: int
    period: str | None = None  # billing period; None on meters stored before it was kept
    receipt: Mapping[str, object] | None = None  # a customer's reading's receipt; None for billing's baseline


@dataclasses.dataclass(frozen=True)
class Usage:
    """One past reading's total consumption over the days it covered."""

    days: float
    total: Decimal


@dataclasses.dataclass(frozen=True)
class MeterState:
    """A meter with its last reading and recent usage: everything the pure computation needs."""

    meter: Meter
    last: LastReading
    recent: tuple[Usage, ...] = ()


@dataclasses.dataclass(frozen=True)
class Reading:
    """One accepted reading (or an import baseline) with its consumption since the one before."""

    reading_id: str
    account: str
    meter: str
    seq: int
    period: str
    values: Values
    consumption: Values
    since: str | None
    date: str
    taken_at: str
    source: str
    resource: str
    unit: str
    flags: tuple[str, ...] = ()
    review_reason: str | None = None


@dataclasses.dataclass(frozen=True)
class RecordKey:
    """Which meter a submission is for and the deterministic id that makes resending it harmless."""

    account: str
    meter: str
    idempotency_id: str
    fingerprint: str
    by_values: bool = False  # no client key: the id stands for "these values, this meter, this period"


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What the pure computation decided: the reading, the meter's new state and the receipt."""

    reading: Reading
    state: MeterState
    receipt: Mapping[str, object]


@dataclasses.dataclass(frozen=True)
class Recorded:
    """The store's answer to a submission: the receipt, and whether this call created it."""

    receipt: Mapping[str, object]
    created: bool


def stable_id(*parts: str, length: int = 20) -> str:
    """A deterministic, evenly spread document id (no hot-spotting on sequential keys)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def canonical_values(values: Values) -> str:
    """The same text for equal values, whatever their notation (12345.60 == 12345.6)."""
    return ";".join(f"{zone}={values[zone].normalize()}" for zone in sorted(values))


def to_number(value: Decimal) -> int | float:
    """A JSON/Firestore number for a reading value (at most 9 + 3 digits, so a float is exact enough)."""
    return int(value) if value == value.to_integral_value() else float(value)


def to_decimal(value: object) -> Decimal:
    """The exact decimal of a stored number."""
    return Decimal(str(value))
