"""Plain-dict documents for meters and readings, the same in SQLite (as JSON) and in Firestore."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spravka.store.model import LastReading, Meter, MeterState, Reading, Usage, Values, to_decimal, to_number


def values_to_doc(values: Values) -> dict[str, int | float]:
    """Zone -> number, zones sorted."""
    return {zone: to_number(value) for zone, value in sorted(values.items())}


def values_from_doc(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Zone -> exact Decimal."""
    return {zone: to_decimal(value) for zone, value in sorted(doc.items())}


def meter_state_to_doc(state: MeterState) -> dict[str, Any]:
    """The meter document: billing's attributes plus the last reading and recent usage."""
    meter, last = state.meter, state.last
    return {
        "account": meter.account,
        "meter": meter.meter,
        "resource": meter.resource,
        "zones": list(meter.zones),
        "digits": meter.digits,
        "serial": meter.serial,
        "last": {
            "reading_id": last.reading_id,
            "values": values_to_doc(last.values),
            "date": last.date,
            "taken_at": last.taken_at,
            "seq": last.seq,
            **({"period": last.period} if last.period is not None else {}),
            **({"receipt": dict(last.receipt)} if last.receipt is not None else {}),
        },
        "recent": [{"days": usage.days, "total": to_number(usage.total)} for usage in state.recent],
    }


def meter_state_from_doc(doc: Mapping[str, Any]) -> MeterState:
    """The meter document back as a MeterState."""
    last = doc["last"]
    return MeterState(
        meter=Meter(
            account=doc["account"],
            meter=doc["meter"],
            resource=doc["resource"],
            zones=tuple(doc["zones"]),
            digits=int(doc["digits"]),
            serial=doc["serial"],
        ),
        last=LastReading(
            reading_id=last["reading_id"],
            values=values_from_doc(last["values"]),
            date=last["date"],
            taken_at=last["taken_at"],
            seq=int(last["seq"]),
            period=last.get("period"),
            receipt=last.get("receipt"),
        ),
        recent=tuple(Usage(float(item["days"]), to_decimal(item["total"])) for item in doc.get("recent", [])),
    )


def reading_to_doc(reading: Reading) -> dict[str, Any]:
    """The reading document."""
    return {
        "reading_id": reading.reading_id,
        "account": reading.account,
        "meter": reading.meter,
        "seq": reading.seq,
        "period": reading.period,
        "values": values_to_doc(reading.values),
        "consumption": values_to_doc(reading.consumption),
        "since": reading.since,
        "date": reading.date,
        "taken_at": reading.taken_at,
        "source": reading.source,
        "resource": reading.resource,
        "unit": reading.unit,
        "flags": list(reading.flags),
        "review_reason": reading.review_reason,
    }


def reading_from_doc(doc: Mapping[str, Any]) -> Reading:
    """The reading document back as a Reading."""
    return Reading(
        reading_id=doc["reading_id"],
        account=doc["account"],
        meter=doc["meter"],
        seq=int(doc["seq"]),
        period=doc["period"],
        values=values_from_doc(doc["values"]),
        consumption=values_from_doc(doc["consumption"]),
        since=doc.get("since"),
        date=doc["date"],
        taken_at=doc["taken_at"],
        source=doc["source"],
        resource=doc["resource"],
        unit=doc["unit"],
        flags=tuple(doc.get("flags") or ()),
        review_reason=doc.get("review_reason"),
    )
