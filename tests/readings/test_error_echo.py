"""Error messages never echo what could be an account or a phone (issue #18, point 5)."""

from __future__ import annotations

import pytest

from spravka.errors import BadRequest
from spravka.readings.validate import ZONES_HELP, parse_values


@pytest.mark.parametrize(
    "zone", ["123456789012", "89161234567", "тел89161234567", "t" * 13, "ivan@mail.ru", "1", "t1 ", "<b>"]
)
def test_an_unknown_zone_that_is_not_a_plain_name_is_not_echoed(zone: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_values({zone: 1})
    assert caught.value.code == "zone_unknown"
    assert zone.strip() not in caught.value.message.replace(ZONES_HELP, "")
    assert not any(ch.isdigit() for ch in caught.value.message.replace(ZONES_HELP, ""))


@pytest.mark.parametrize("zone", ["t4", "day", "ночь"])
def test_a_plain_unknown_zone_name_is_named(zone: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_values({zone: 1})
    assert f"Неизвестная зона: {zone}." in caught.value.message
