"""The bots' wording of values: the widget's digit groups, ru-RU numbers, zones."""

from __future__ import annotations

from decimal import Decimal

import pytest

from spravka.bots import texts
from spravka.errors import BadRequest
from spravka.readings.validate import parse_value


@pytest.mark.parametrize(
    ("typed", "value"),
    [("12 345", "12345"), ("12345,6", "12345.6"), ("12\u00a0345", "12345"), ("12'345,25", "12345.25"), ("7", "7")],
)
def test_the_values_the_widget_accepts(typed: str, value: str) -> None:
    assert parse_value("t1", texts.compact_value(typed)) == Decimal(value)


@pytest.mark.parametrize("typed", ["12-345", "abc", "12,3,4", "-5", "1e5"])
def test_what_the_readings_rule_refuses(typed: str) -> None:
    with pytest.raises(BadRequest):
        parse_value("t1", texts.compact_value(typed))


@pytest.mark.parametrize(
    ("value", "shown"),
    [(1250, "1\u00a0250"), (45.5, "45,5"), (123.456, "123,456"), (0, "0"), (1000000, "1\u00a0000\u00a0000")],
)
def test_numbers_as_the_widget_shows_them(value: object, shown: str) -> None:
    assert texts.number(value) == shown


def test_zone_labels() -> None:
    assert [texts.zone_label(z, 2) for z in ("t1", "t2")] == ["День (Т1)", "Ночь (Т2)"]
    assert [texts.zone_label(z, 3) for z in ("t1", "t2", "t3")] == ["Пик (Т1)", "Ночь (Т2)", "Полупик (Т3)"]
    assert texts.mask("000000000001") == "•••• 0001"
