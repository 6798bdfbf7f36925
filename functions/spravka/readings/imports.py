"""Load parsed account rows into a store: new meters, updated attributes, billing's newer readings."""

from __future__ import annotations

import functools

from spravka.readings.accounts import AccountRow, parse_accounts
from spravka.readings.period import start_of_day_utc
from spravka.readings.submit import canonical_values
from spravka.store.base import MeterChange, ReadingStore
from spravka.store.model import LastReading, MeterState, Reading, stable_id


def merge_row(existing: MeterState | None, *, row: AccountRow, timezone: str) -> MeterChange | None:
    """What a row does to the stored meter. Pure.

    Billing's reading becomes a baseline (source "import") when the meter is new, its zones
    changed, or billing's date is later than our last reading; otherwise our readings stand and
    only the attributes change. Re-importing the same row changes nothing.
    """
    meter, date = row.meter, row.last_date.isoformat()
    newer = existing is None or existing.meter.zones != meter.zones or date > existing.last.date
    if not newer:
        assert existing is not None
        return None if existing.meter == meter else MeterChange(MeterState(meter, existing.last, existing.recent), None)
    seq = existing.last.seq + 1 if existing else 1
    baseline = Reading(
        reading_id=stable_id("import", meter.account, meter.meter, str(seq), date, canonical_values(row.last_values)),
        account=meter.account, meter=meter.meter, seq=seq, period=date[:7], values=row.last_values,
        consumption={}, since=None, date=date, taken_at=start_of_day_utc(row.last_date, timezone).isoformat(),
        source="import", resource=meter.resource, unit=meter.unit,
    )
    last = LastReading(baseline.reading_id, baseline.values, date, baseline.taken_at, seq)
    keep_recent = existing is not None and existing.meter.zones == meter.zones
    return MeterChange(MeterState(meter, last, existing.recent if keep_recent and existing else ()), baseline)


def import_accounts(store: ReadingStore, text: str, *, timezone: str) -> tuple[int, int]:
    """(rows in the file, meters changed); all or nothing. Raises AccountsFileError for bad rows."""
    rows = parse_accounts(text)
    updates = {(row.meter.account, row.meter.meter): functools.partial(merge_row, row=row, timezone=timezone)
               for row in rows}
    return len(rows), store.import_meters(updates)
