"""Billing's accounts-and-meters CSV (contract §4): parse every row or report the bad lines; merge into a store."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import functools
import io
from decimal import Decimal

from spravka.errors import ApiError
from spravka.readings.period import start_of_day_utc
from spravka.readings.validate import METER_ID, parse_account, parse_value
from spravka.store.base import MeterChange, ReadingStore
from spravka.store.model import UNITS, ZONES, LastReading, Meter, MeterState, Reading, canonical_values, stable_id

HEADER = ("account", "meter", "resource", "zones", "digits", "serial", "last_date", "last_t1", "last_t2", "last_t3")
MAX_DIGITS = 9


class AccountsFileError(ValueError):
    """The file has bad rows; nothing of it was loaded. `problems` are "line N: what" strings."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclasses.dataclass(frozen=True)
class AccountRow:
    """One row: the meter and billing's last reading of it."""

    line: int
    meter: Meter
    last_date: datetime.date
    last_values: dict[str, Decimal]


def parse_accounts(text: str) -> list[AccountRow]:
    """Every row of the file, or AccountsFileError listing each bad line (1-based, the header is line 1)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None or tuple(cell.strip() for cell in header) != HEADER:
        raise AccountsFileError([f"line 1: expected the header {','.join(HEADER)}"])
    rows: list[AccountRow] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        try:
            row = _parse_row(line, cells)
        except ValueError as error:
            problems.append(f"line {line}: {error}")
            continue
        key = (row.meter.account, row.meter.meter)
        if key in seen:
            problems.append(f"line {line}: meter {key[1]} of this account is already on line {seen[key]}")
        seen[key] = line
        rows.append(row)
    if problems:
        raise AccountsFileError(problems)
    return rows


def _parse_row(line: int, cells: list[str]) -> AccountRow:
    if len(cells) != len(HEADER):
        raise ValueError(f"expected {len(HEADER)} columns, found {len(cells)}")
    field = dict(zip(HEADER, (cell.strip() for cell in cells), strict=True))
    try:
        account = parse_account(field["account"])
    except ApiError:
        raise ValueError("account: expected 12 digits") from None
    if not METER_ID.fullmatch(field["meter"]):
        raise ValueError("meter: expected an id of letters, digits, '.', '_' or '-' (up to 40)")
    if field["resource"] not in UNITS:
        raise ValueError(f"resource: expected one of {', '.join(UNITS)}")
    zones = _whole(field, "zones", 1, len(ZONES))
    digits = _whole(field, "digits", 1, MAX_DIGITS)
    if not 0 < len(field["serial"]) <= 40:
        raise ValueError("serial: expected 1-40 characters")
    try:
        last_date = datetime.date.fromisoformat(field["last_date"])
    except ValueError:
        raise ValueError("last_date: expected a date YYYY-MM-DD") from None
    values = {}
    for number, zone in enumerate(ZONES, start=1):
        raw = field[f"last_{zone}"]
        if number > zones:
            if raw:
                raise ValueError(f"last_{zone}: must be empty for a meter with {zones} zone(s)")
            continue
        try:
            values[zone] = parse_value(zone, raw)
        except ApiError:
            raise ValueError(f"last_{zone}: expected a non-negative number") from None
        if values[zone] >= Decimal(10) ** digits:
            raise ValueError(f"last_{zone}: more than {digits} whole digits")
    meter = Meter(account, field["meter"], field["resource"], ZONES[:zones], digits, field["serial"])
    return AccountRow(line, meter, last_date, values)


def _whole(field: dict[str, str], name: str, low: int, high: int) -> int:
    if not field[name].isdigit() or not low <= int(field[name]) <= high:
        raise ValueError(f"{name}: expected a whole number from {low} to {high}")
    return int(field[name])


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
        account=meter.account,
        meter=meter.meter,
        seq=seq,
        period=date[:7],
        values=row.last_values,
        consumption={},
        since=None,
        date=date,
        taken_at=start_of_day_utc(row.last_date, timezone).isoformat(),
        source="import",
        resource=meter.resource,
        unit=meter.unit,
    )
    last = LastReading(baseline.reading_id, baseline.values, date, baseline.taken_at, seq)
    keep_recent = existing is not None and existing.meter.zones == meter.zones
    return MeterChange(MeterState(meter, last, existing.recent if keep_recent and existing else ()), baseline)


def import_accounts(store: ReadingStore, text: str, *, timezone: str) -> tuple[int, int]:
    """(rows in the file, meters changed); all or nothing. Raises AccountsFileError for bad rows."""
    rows = parse_accounts(text)
    updates = {
        (row.meter.account, row.meter.meter): functools.partial(merge_row, row=row, timezone=timezone) for row in rows
    }
    return len(rows), store.import_meters(updates)
