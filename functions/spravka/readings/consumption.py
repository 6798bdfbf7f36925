"""compute(state, submission, context) -> Outcome: consumption, rollover, plausibility, flags, receipt. Pure.

It runs inside the store's transaction and may run again when the transaction is retried, so it
reads nothing but its arguments and returns the same outcome for the same inputs.
"""

from __future__ import annotations

import dataclasses
import datetime
import zoneinfo
from collections.abc import Mapping, Sequence
from decimal import Decimal

from spravka.errors import Conflict
from spravka.readings.period import elapsed_days
from spravka.readings.validate import Submission, check_values, of_zone, zone_name
from spravka.store.model import RECENT_KEPT, LastReading, MeterState, Outcome, Reading, Usage, to_number

ROLLOVER_MARGIN = Decimal("0.1")  # "near" capacity / zero: within a tenth of the display's range
MONTH_DAYS = Decimal("30.4")
# A month's consumption no household meter plausibly shows (kWh, Gcal, m3).
MONTHLY_CAP = {"electricity": Decimal(5000), "heat": Decimal(15), "hot_water": Decimal(30), "cold_water": Decimal(50)}
# Below these a consumption is never worth a review, however it compares with the history.
REVIEW_FLOOR = {"electricity": Decimal(50), "heat": Decimal("0.5"), "hot_water": Decimal(3), "cold_water": Decimal(5)}
HISTORY_FACTOR = 3  # "far above": more than this many times the meter's usual rate
MIN_HISTORY = 3  # readings of history needed before comparing with it
MIN_DAYS_COMPARED = 7  # a reading a day after the last is compared with a week of usual usage
REVIEW_MESSAGES = {
    "above_history": "Расход заметно больше обычного для этого счётчика. Показания приняты и будут проверены "
    "специалистом; если ошиблись в цифрах, передайте показания ещё раз.",
    "above_cap": "Расход больше, чем бывает у бытового счётчика. Показания приняты и будут проверены "
    "специалистом; если ошиблись в цифрах, передайте показания ещё раз.",
}


class AlreadyAccepted(Exception):  # noqa: N818 (not an error: the answer to a repeated submission)
    """The values are the meter's latest reading of this period: answer with its receipt, write nothing."""

    def __init__(self, receipt: Mapping[str, object]) -> None:
        super().__init__("already accepted")
        self.receipt = receipt


ALREADY_ACCEPTED_NOTE = (
    "Эти показания уже приняты{date}, повторно их передавать не нужно. "
    "Если ошиблись в цифрах, передайте исправленные показания."
)


@dataclasses.dataclass(frozen=True)
class Context:
    """Everything about a submission decided before the transaction: ids, time and period."""

    reading_id: str
    taken_at: datetime.datetime  # UTC
    date: datetime.date  # local
    period: str
    timing: str | None  # None inside the submission window, "early" or "late" outside it
    window: tuple[int, int]


# The billing period as a customer reads it: "2026-12" -> "декабрь 2026" («учтены … за декабрь 2026»).
MONTHS = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)


def period_in_words(period: str) -> str:
    year, _, month = period.partition("-")
    return f"{MONTHS[int(month) - 1]} {year}" if month.isdigit() and 1 <= int(month) <= 12 else period


def zone_consumption(zone: str, new: Decimal, previous: Decimal, digits: int, count: int = 1) -> tuple[Decimal, bool]:
    """(consumption, rolled over) for one zone; 409 when the value went down without a rollover."""
    if new >= previous:
        return new - previous, False
    capacity = Decimal(10) ** digits
    if previous >= capacity * (1 - ROLLOVER_MARGIN) and new < capacity * ROLLOVER_MARGIN:
        return capacity - previous + new, True
    raise Conflict(
        "below_previous",
        f"Показание{of_zone(zone, count)} ({plain(new)}) меньше последнего принятого ({plain(previous)}), "
        "поэтому не принято. Проверьте цифры до запятой; если счётчик заменили, обратитесь к специалисту.",
    )


def plain(value: Decimal) -> str:
    """A reading value as people write it: 1 250 or 1 250,5 (narrow no-break space, decimal comma)."""
    whole, _, fraction = f"{value.normalize():f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", "\u202f")
    return f"{grouped},{fraction}" if fraction else grouped


def compute(state: MeterState, *, submission: Submission, context: Context) -> Outcome:
    """The reading, the meter's new state and the receipt for a submission against the meter as stored."""
    meter, last = state.meter, state.last
    check_values(submission.values, meter)
    if is_repeat(state, submission.values, context.period):
        assert last.receipt is not None
        raise AlreadyAccepted(last.receipt)
    consumption: dict[str, Decimal] = {}
    rolled_over = []
    for zone in meter.zones:
        consumption[zone], rolled = zone_consumption(
            zone, submission.values[zone], last.values[zone], meter.digits, len(meter.zones)
        )
        if rolled:
            rolled_over.append(zone)
    days = elapsed_days(last.taken_at, context.taken_at)
    total = sum(consumption.values(), Decimal(0))
    reason = review_reason(meter.resource, total, days, state.recent)
    flags = tuple(
        flag
        for flag, on in (("rollover", rolled_over), ("high_consumption", reason), ("outside_window", context.timing))
        if on
    )
    reading = Reading(
        reading_id=context.reading_id,
        account=meter.account,
        meter=meter.meter,
        seq=last.seq + 1,
        period=context.period,
        values=dict(submission.values),
        consumption=consumption,
        since=last.date,
        date=context.date.isoformat(),
        taken_at=context.taken_at.isoformat(),
        source=submission.source,
        resource=meter.resource,
        unit=meter.unit,
        flags=flags,
        review_reason=reason,
    )
    recent = (*state.recent, Usage(round(days, 4), total))[-RECENT_KEPT:]
    receipt = make_receipt(reading, rolled_over=rolled_over, timing=context.timing, window=context.window)
    new_last = LastReading(
        reading.reading_id, reading.values, reading.date, reading.taken_at, reading.seq, reading.period, receipt
    )
    return Outcome(reading, MeterState(meter, new_last, recent), receipt)


def is_repeat(state: MeterState, values: Mapping[str, Decimal], period: str) -> bool:
    """The same values as the meter's latest customer reading, in the same period: nothing new to record.

    Billing's baseline (no receipt) does not count: a reading equal to it is a real zero consumption.
    Nor does another period: a month without consumption is a reading of its own.
    """
    last = state.last
    return (
        last.receipt is not None
        and last.period == period
        and all(values[zone] == last.values[zone] for zone in state.meter.zones)
    )


def repeat_receipt(receipt: Mapping[str, object], timezone: str) -> dict[str, object]:
    """The earlier receipt, marked: `duplicate: true` and a note (with the day it was accepted) to show as it is."""
    try:
        taken_at = datetime.datetime.fromisoformat(str(receipt.get("taken_at")))
        day = " " + taken_at.astimezone(zoneinfo.ZoneInfo(timezone)).strftime("%d.%m.%Y")
    except ValueError:  # a receipt from before `taken_at` was kept
        day = ""
    return {**receipt, "duplicate": True, "note": ALREADY_ACCEPTED_NOTE.format(date=day)}


def review_reason(resource: str, total: Decimal, days: float, recent: Sequence[Usage]) -> str | None:
    """ "above_cap", "above_history" or None (plausible) for a total consumption over `days` days."""
    covered = Decimal(str(round(days, 4)))
    if total > MONTHLY_CAP[resource] * max(covered / MONTH_DAYS, Decimal(1)):
        return "above_cap"
    history = [usage for usage in recent if usage.days > 0]
    if len(history) < MIN_HISTORY or total <= REVIEW_FLOOR[resource]:
        return None
    history_days = Decimal(str(round(sum(usage.days for usage in history), 4)))
    rate = sum((usage.total for usage in history), Decimal(0)) / history_days
    if total > HISTORY_FACTOR * rate * max(covered, Decimal(MIN_DAYS_COMPARED)):
        return "above_history"
    return None


def make_receipt(
    reading: Reading, *, rolled_over: Sequence[str], timing: str | None, window: tuple[int, int]
) -> dict[str, object]:
    """The contract's receipt: reading_id, meter, period, consumption, unit, since, flags."""
    flags: list[dict[str, object]] = []
    if rolled_over:
        count = len(reading.values)
        where = "" if count == 1 else " (" + ", ".join(f"зона «{zone_name(z, count)}»" for z in rolled_over) + ")"
        flags.append(
            {
                "code": "rollover",
                "zones": list(rolled_over),
                "message": f"Счётчик{where} прошёл через ноль — расход посчитан с учётом перехода.",
            }
        )
    if reading.review_reason:
        flags.append(
            {
                "code": "high_consumption",
                "reason": reading.review_reason,
                "message": REVIEW_MESSAGES[reading.review_reason],
            }
        )
    if timing:
        first, last = window
        when = "до начала" if timing == "early" else "после окончания"
        flags.append(
            {
                "code": "outside_window",
                "timing": timing,
                "message": f"Показания переданы {when} срока приёма (с {first} по {last} число) — "
                f"они учтены в расчётном периоде за {period_in_words(reading.period)}.",
            }
        )
    return {
        "reading_id": reading.reading_id,
        "meter": reading.meter,
        "period": reading.period,
        "consumption": {zone: to_number(value) for zone, value in reading.consumption.items()},
        "unit": reading.unit,
        "since": reading.since,
        "flags": flags,
        "taken_at": reading.taken_at,
        "source": reading.source,
    }
