"""The edge checks of readings: accounts, submissions, values against the meter."""

from __future__ import annotations

from decimal import Decimal

import pytest

from spravka.errors import BadRequest
from spravka.masking import mask_accounts
from spravka.readings.validate import check_values, parse_account, parse_submission, parse_values
from spravka.store.model import Meter

METER = Meter("000000000002", "m2", "electricity", ("t1", "t2"), 6, "EM-1002")


@pytest.mark.parametrize(
    "raw, account",
    [
        ("000000000001", "000000000001"),
        ("0000 0000 0001", "000000000001"),
        ("000-000-000-001", "000000000001"),
        (" 0000\u00a00000\u20130001 ", "000000000001"),
    ],
)
def test_account_separators_are_stripped(raw: str, account: str) -> None:
    assert parse_account(raw) == account


@pytest.mark.parametrize("raw", ["", "00000000001", "0000000000012", "00000000000a", "٠٠٠٠٠٠٠٠٠٠٠١", 1, None, ["1"]])
def test_account_must_be_twelve_digits(raw: object) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_account(raw)
    assert caught.value.code == "account_invalid" and "12 цифр" in caught.value.message


def test_mask_keeps_last_four() -> None:
    assert mask_accounts("000012341234") == "********1234"


@pytest.mark.parametrize(
    "raw, value",
    [
        (12345, Decimal("12345")),
        (12345.6, Decimal("12345.6")),
        ("12345,6", Decimal("12345.6")),
        ("0", Decimal(0)),
        (" 7.125 ", Decimal("7.125")),
        ("1.2500", Decimal("1.25")),
    ],
)
def test_values_are_exact_decimals(raw: object, value: Decimal) -> None:
    assert parse_values({"t1": raw}) == {"t1": value}


@pytest.mark.parametrize("raw", [-1, "-1", "1e3", "abc", "", True, None, float("nan"), float("inf"), [1], "1.2.3"])
def test_value_must_be_a_non_negative_number(raw: object) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_values({"t1": raw})
    assert caught.value.code == "value_invalid" and caught.value.message.startswith("Показание должно")


def test_at_most_three_decimals() -> None:
    with pytest.raises(BadRequest, match="знаков после запятой"):
        parse_values({"t1": "1.0001"})


@pytest.mark.parametrize(
    "raw, code",
    [
        (None, "values_invalid"),
        ({}, "values_invalid"),
        ([1], "values_invalid"),
        ({"t4": 1}, "zone_unknown"),
        ({"day": 1}, "zone_unknown"),
    ],
)
def test_values_shape(raw: object, code: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_values(raw)
    assert caught.value.code == code


@pytest.mark.parametrize(
    "values, code, field",
    [
        ({"t1": Decimal(1)}, "zone_missing", "«ночь»"),
        ({"t1": Decimal(1), "t2": Decimal(1), "t3": Decimal(1)}, "zone_unknown", "«полупик»"),
        ({"t1": Decimal(1000000), "t2": Decimal(1)}, "value_too_large", "«день»"),
    ],
)
def test_values_against_the_meter(values: dict[str, Decimal], code: str, field: str) -> None:
    with pytest.raises(BadRequest) as caught:
        check_values(values, METER)
    assert caught.value.code == code and field in caught.value.message


def test_six_digits_with_decimals_fit() -> None:
    check_values({"t1": Decimal("999999.999"), "t2": Decimal(0)}, METER)


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"account": "000000000001", "values": {"t1": 1}, "meter": "../x"}, "meter_invalid"),
        ({"account": "000000000001", "values": {"t1": 1}, "meter": 5}, "meter_invalid"),
        ({"account": "000000000001", "values": {"t1": 1}, "idempotency_key": ""}, "idempotency_key_invalid"),
        ({"account": "000000000001", "values": {"t1": 1}, "idempotency_key": "k" * 129}, "idempotency_key_invalid"),
        ({"account": "000000000001", "values": {"t1": 1}, "source": "import"}, "source_invalid"),
    ],
)
def test_submission_fields(payload: dict[str, object], code: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_submission(payload)
    assert caught.value.code == code


def test_submission_defaults() -> None:
    submission = parse_submission({"account": "0000 0000 0001", "values": {"t1": "5"}})
    assert (submission.account, submission.meter, submission.source, submission.idempotency_key) == (
        "000000000001",
        None,
        "widget",
        None,
    )
