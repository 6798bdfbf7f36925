"""compute(state, submission, context) -> Outcome: consumption per zone, rollover, flags. Pure.

It runs inside the store's transaction and may run again when the transaction is retried, so it
reads nothing but its arguments and returns the same outcome for the same inputs.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from spravka.errors import Conflict
from spravka.readings.plausibility import review_reason
from spravka.readings.period import elapsed_days
from spravka.readings.receipt import make_receipt
from spravka.readings.validate import Submission, check_values
from spravka.store.model import RECENT_KEPT, LastReading, MeterState, Outcome, Reading, Usage

ROLLOVER_MARGIN = Decimal("0.1")  # "near" capacity / zero: within a tenth of the display's range


@dataclasses.dataclass(frozen=True)
class Context:
    """Everything about a submission decided before the transaction: ids, time and period."""

    reading_id: str
    taken_at: datetime.datetime  # UTC
    date: datetime.date  # local
    period: str
    timing: str | None  # None inside the submission window, "early" or "late" outside it
    window: tuple[int, int]


def zone_consumption(zone: str, new: Decimal, previous: Decimal, digits: int) -> tuple[Decimal, bool]:
    """(consumption, rolled over) for one zone; 409 when the value went down without a rollover."""
    if new >= previous:
        return new - previous, False
    capacity = Decimal(10) ** digits
    if previous >= capacity * (1 - ROLLOVER_MARGIN) and new < capacity * ROLLOVER_MARGIN:
        return capacity - previous + new, True
    raise Conflict("below_previous", f"Показание {zone} меньше предыдущего. Проверьте цифры до запятой; "
                                     "если счётчик заменили, обратитесь к специалисту.")


def compute(state: MeterState, *, submission: Submission, context: Context) -> Outcome:
    """The reading, the meter's new state and the receipt for a submission against the meter as stored."""
    meter, last = state.meter, state.last
    check_values(submission.values, meter)
    consumption: dict[str, Decimal] = {}
    rolled_over = []
    for zone in meter.zones:
        consumption[zone], rolled = zone_consumption(zone, submission.values[zone], last.values[zone], meter.digits)
        if rolled:
            rolled_over.append(zone)
    days = elapsed_days(last.taken_at, context.taken_at)
    total = sum(consumption.values(), Decimal(0))
    reason = review_reason(meter.resource, total, days, state.recent)
    flags = tuple(flag for flag, on in (("rollover", rolled_over), ("high_consumption", reason),
                                        ("outside_window", context.timing)) if on)
    reading = Reading(
        reading_id=context.reading_id, account=meter.account, meter=meter.meter, seq=last.seq + 1,
        period=context.period, values=dict(submission.values), consumption=consumption, since=last.date,
        date=context.date.isoformat(), taken_at=context.taken_at.isoformat(), source=submission.source,
        resource=meter.resource, unit=meter.unit, flags=flags, review_reason=reason,
    )
    new_last = LastReading(reading.reading_id, reading.values, reading.date, reading.taken_at, reading.seq)
    recent = (*state.recent, Usage(round(days, 4), total))[-RECENT_KEPT:]
    receipt = make_receipt(reading, rolled_over=rolled_over, timing=context.timing, window=context.window)
    return Outcome(reading, MeterState(meter, new_last, recent), receipt)
