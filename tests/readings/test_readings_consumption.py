"""The pure core: consumption per zone, rollover, below-previous, plausibility, billing periods."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from spravka.errors import BadRequest, Conflict
from spravka.readings.consumption import Context, compute, review_reason, zone_consumption
from spravka.readings.period import billing_period
from spravka.readings.validate import Submission
from spravka.store.model import LastReading, Meter, MeterState, Usage

UTC = datetime.UTC
METER = Meter("000000000002", "m2", "electricity", ("t1", "t2"), 6, "EM-1002")
STATE = MeterState(
    METER, LastReading("r0", {"t1": Decimal(5000), "t2": Decimal(2000)}, "2026-10-20", "2026-10-19T21:00:00+00:00", 1)
)
NOW = datetime.datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def context(timing: str | None = None, period: str = "2026-11") -> Context:
    return Context("r1", NOW, NOW.date(), period, timing, (15, 25))


def submission(**values: object) -> Submission:
    return Submission("000000000002", "m2", {zone: Decimal(str(v)) for zone, v in values.items()}, None, "widget")


@pytest.mark.parametrize(
    "new, previous, digits, expected, rolled",
    [
        ("1120.5", "1000", 6, "120.5", False),
        ("1000", "1000", 6, "0", False),
        ("30", "99950", 5, "80", True),
        ("0", "999999.9", 6, "0.1", True),
        ("9", "95", 2, "14", True),
    ],
)
def test_zone_consumption(new: str, previous: str, digits: int, expected: str, rolled: bool) -> None:
    assert zone_consumption("t1", Decimal(new), Decimal(previous), digits) == (Decimal(expected), rolled)


@pytest.mark.parametrize("new, previous", [("900", "1000"), ("50000", "99950"), ("30", "80000")])
def test_below_previous_without_rollover_is_409(new: str, previous: str) -> None:
    with pytest.raises(Conflict) as caught:
        zone_consumption("t2", Decimal(new), Decimal(previous), 5, 2)
    assert caught.value.code == "below_previous" and "зоны «ночь»" in caught.value.message
    assert "t2" not in caught.value.message


def test_compute_builds_reading_state_and_receipt() -> None:
    outcome = compute(STATE, submission=submission(t1=5120, t2="2045.5"), context=context())
    assert outcome.reading.consumption == {"t1": Decimal(120), "t2": Decimal("45.5")}
    assert (outcome.reading.seq, outcome.reading.since, outcome.reading.flags) == (2, "2026-10-20", ())
    assert outcome.state.last.values == {"t1": Decimal(5120), "t2": Decimal("2045.5")}
    assert outcome.state.last.seq == 2 and len(outcome.state.recent) == 1
    assert outcome.receipt == {
        "reading_id": "r1",
        "meter": "m2",
        "period": "2026-11",
        "consumption": {"t1": 120, "t2": 45.5},
        "unit": "kWh",
        "since": "2026-10-20",
        "flags": [],
        "taken_at": NOW.isoformat(),
        "source": "widget",
    }


def test_compute_is_pure() -> None:
    """The store may rerun it when a transaction is retried: same inputs, same outcome, inputs untouched."""
    sent = submission(t1=5120, t2=2045)
    assert compute(STATE, submission=sent, context=context()) == compute(STATE, submission=sent, context=context())
    assert STATE.last.values == {"t1": Decimal(5000), "t2": Decimal(2000)}


def test_compute_checks_zones_against_the_meter() -> None:
    with pytest.raises(BadRequest, match="«ночь»"):
        compute(STATE, submission=submission(t1=5120), context=context())


def test_flags_carry_reasons_in_russian() -> None:
    state = MeterState(
        METER,
        LastReading("r0", {"t1": Decimal(999990), "t2": Decimal(2000)}, "2026-10-20", "2026-10-19T21:00:00+00:00", 1),
    )
    outcome = compute(state, submission=submission(t1=10, t2=9000), context=context("late", "2026-12"))
    assert outcome.reading.flags == ("rollover", "high_consumption", "outside_window")
    assert outcome.reading.review_reason == "above_cap"
    flags = {flag["code"]: flag for flag in outcome.receipt["flags"]}  # type: ignore[attr-defined]
    assert flags["rollover"]["zones"] == ["t1"] and "через ноль" in flags["rollover"]["message"]
    assert flags["high_consumption"]["reason"] == "above_cap"
    assert (
        "за декабрь 2026" in flags["outside_window"]["message"]
        and "после окончания" in flags["outside_window"]["message"]
    )


def test_history_is_kept_short() -> None:
    state = MeterState(METER, STATE.last, tuple(Usage(30, Decimal(100)) for _ in range(6)))
    outcome = compute(state, submission=submission(t1=5100, t2=2000), context=context())
    assert len(outcome.state.recent) == 6 and outcome.state.recent[-1].total == Decimal(100)


HISTORY = (Usage(30.0, Decimal(200)), Usage(31.0, Decimal(220)), Usage(30.0, Decimal(180)))


@pytest.mark.parametrize(
    "resource, total, days, recent, reason",
    [
        ("electricity", "250", 30, HISTORY, None),
        ("electricity", "2500", 30, HISTORY, "above_history"),
        ("electricity", "2500", 30, HISTORY[:2], None),  # too little history to compare with
        ("electricity", "40", 1, HISTORY, None),  # below the review floor
        ("electricity", "6000", 30, (), "above_cap"),
        ("electricity", "6000", 90, (), None),  # three months: under three months' cap
        ("heat", "20", 30, (), "above_cap"),
        ("cold_water", "12", 30, (Usage(30.0, Decimal(3)),) * 3, "above_history"),
    ],
)
def test_review_reason(resource: str, total: str, days: float, recent: tuple[Usage, ...], reason: str | None) -> None:
    assert review_reason(resource, Decimal(total), days, recent) == reason


@pytest.mark.parametrize(
    "day, period, timing",
    [
        (datetime.date(2026, 11, 15), "2026-11", None),
        (datetime.date(2026, 11, 25), "2026-11", None),
        (datetime.date(2026, 11, 3), "2026-11", "early"),
        (datetime.date(2026, 11, 26), "2026-12", "late"),
        (datetime.date(2026, 12, 31), "2027-01", "late"),
    ],
)
def test_billing_period(day: datetime.date, period: str, timing: str | None) -> None:
    assert billing_period(day, (15, 25)) == (period, timing)
