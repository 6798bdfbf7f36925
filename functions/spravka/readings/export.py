"""The period's readings for billing: per meter, the latest values and the period's whole consumption."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable
from decimal import Decimal
from typing import TextIO

from spravka.store.model import ZONES, Reading, to_number

COLUMNS = (
    "account",
    "meter",
    "resource",
    "unit",
    "period",
    "reading_id",
    "date",
    "taken_at",
    "source",
    "readings",
    *(f"value_{zone}" for zone in ZONES),
    *(f"consumption_{zone}" for zone in ZONES),
    "flags",
    "review",
)


def export_rows(readings: Iterable[Reading]) -> list[dict[str, object]]:
    """One row per meter: the latest reading's values, the sum of the period's consumptions, all flags.

    Import baselines are billing's own numbers and are left out.
    """
    submitted = sorted((r for r in readings if r.source != "import"), key=lambda r: (r.account, r.meter, r.seq))
    rows = []
    for (account, meter), group in itertools.groupby(submitted, key=lambda r: (r.account, r.meter)):
        chain = list(group)
        latest = chain[-1]
        total = {zone: sum((r.consumption.get(zone, Decimal(0)) for r in chain), Decimal(0)) for zone in latest.values}
        flags = sorted({flag for r in chain for flag in r.flags})
        reviews = sorted({r.review_reason for r in chain if r.review_reason})
        row: dict[str, object] = {
            "account": account,
            "meter": meter,
            "resource": latest.resource,
            "unit": latest.unit,
            "period": latest.period,
            "reading_id": latest.reading_id,
            "date": latest.date,
            "taken_at": latest.taken_at,
            "source": latest.source,
            "readings": len(chain),
            "flags": ";".join(flags),
            "review": ";".join(reviews),
        }
        for zone in ZONES:
            row[f"value_{zone}"] = to_number(latest.values[zone]) if zone in latest.values else ""
            row[f"consumption_{zone}"] = to_number(total[zone]) if zone in total else ""
        rows.append(row)
    return rows


def write_csv(rows: Iterable[dict[str, object]], stream: TextIO) -> None:
    """CSV with a header row, as the billing system reads it."""
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
