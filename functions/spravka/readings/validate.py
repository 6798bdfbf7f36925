"""Validate at the edge: account numbers, submissions and reading values into typed values (400 otherwise)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from spravka.errors import BadRequest
from spravka.masking import ACCOUNT_DIGITS
from spravka.store.model import ZONES, Meter, Values

MAX_DECIMALS = 3
MAX_KEY_CHARS = 128
MAX_FIELD_CHARS = 40  # an account as typed (with separators), a value as text
HTTP_SOURCES = ("widget", "bot")
# People type accounts as "0000 0000 0001" or "000-000-000-001" (or paste them with a no-break
# space or a dash); those separators are dropped. openapi.yaml's AccountNumber has the same set.
_SEPARATORS = re.compile(r"[ \t\u00a0\u2010-\u2015-]")
_ACCOUNT = re.compile(r"[0-9]{%d}" % ACCOUNT_DIGITS)
METER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")
_NUMBER_TEXT = re.compile(r"[0-9]+([.,][0-9]+)?")

ACCOUNT_INVALID = "Номер лицевого счёта должен состоять из 12 цифр."
# Zones as customers know them (the widget's labels): by how many zones the meter has.
ZONE_NAMES = {2: {"t1": "день", "t2": "ночь"}, 3: {"t1": "пик", "t2": "ночь", "t3": "полупик"}}
ANY_COUNT = {"t1": "день или пик", "t2": "ночь", "t3": "полупик"}  # the meter is not known yet
ZONES_HELP = "t1 (день или пик), t2 (ночь), t3 (полупик)"


def zone_name(zone: str, count: int) -> str:
    """«день», «ночь», «пик», «полупик» for a meter of `count` zones (0: not known yet)."""
    return ZONE_NAMES.get(count, ANY_COUNT).get(zone, zone)


def of_zone(zone: str, count: int) -> str:
    """' зоны «день»' to follow «Показание»; '' for a meter with one zone (its only value)."""
    return "" if count == 1 else f" зоны «{zone_name(zone, count)}»"


def zones_list(zones: tuple[str, ...]) -> str:
    """«день» и «ночь»; «пик», «ночь» и «полупик»."""
    names = [f"«{zone_name(zone, len(zones))}»" for zone in zones]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " и " + names[-1]


@dataclasses.dataclass(frozen=True)
class Submission:
    """A POST /readings body after validation; the meter is None when the account has one meter."""

    account: str
    meter: str | None
    values: Values
    idempotency_key: str | None
    source: str


def parse_account(raw: object) -> str:
    """The 12-digit account number, spaces and dashes removed."""
    if not isinstance(raw, str) or len(raw) > MAX_FIELD_CHARS:
        raise BadRequest("account_invalid", ACCOUNT_INVALID)
    account = _SEPARATORS.sub("", raw)
    if not _ACCOUNT.fullmatch(account):
        raise BadRequest("account_invalid", ACCOUNT_INVALID)
    return account


def parse_submission(payload: Mapping[str, Any]) -> Submission:
    """Check the shape of a submission; zones and digits are checked against the meter later."""
    account = parse_account(payload.get("account"))
    meter = payload.get("meter")
    if meter is not None and not (isinstance(meter, str) and METER_ID.fullmatch(meter)):
        raise BadRequest("meter_invalid", "Счётчик указан неверно: нужен его идентификатор из списка счётчиков.")
    key = payload.get("idempotency_key")
    if key is not None and not (isinstance(key, str) and 0 < len(key) <= MAX_KEY_CHARS and key.isprintable()):
        raise BadRequest(
            "idempotency_key_invalid", "Ключ повтора (idempotency_key) должен быть строкой до 128 символов."
        )
    source = payload.get("source", "widget")
    if source not in HTTP_SOURCES:
        raise BadRequest("source_invalid", "Источник (source) может быть только widget или bot.")
    return Submission(account, meter, parse_values(payload.get("values")), key, source)


def parse_values(raw: object) -> dict[str, Decimal]:
    """{"t1": 12345, "t2": "6789,5"} -> exact decimals; every zone known, every value a non-negative number."""
    if not isinstance(raw, Mapping) or not raw:
        raise BadRequest("values_invalid", "Показания не переданы: нужно показание каждой зоны счётчика.")
    values = {}
    for zone, value in raw.items():
        if zone not in ZONES:  # only a client other than the widget sends one: it is named as sent
            raise BadRequest(
                "zone_unknown",
                f"Неизвестная зона{_echoed(zone)}. Зоны показаний: {ZONES_HELP}.",
            )
        values[zone] = parse_value(zone, value, count=len(raw))
    return values


# A field name the client sent is echoed only when it looks like a name ("t4", "day"): never a
# number that could be an account or a phone, nor anything long.
_ECHOABLE = re.compile(r"[^\W\d_]{1,12}\d{0,2}")


def _echoed(name: object) -> str:
    """': t4' for a name worth showing back, '' for anything else (digits, long or odd text)."""
    return f": {name}" if isinstance(name, str) and _ECHOABLE.fullmatch(name) else ""


def parse_value(zone: str, raw: object, *, count: int = 0) -> Decimal:
    """One reading value: a JSON number or a numeric string (comma allowed), >= 0, at most 3 decimals.

    `count`: how many zones were sent, to name the zone as customers know it (0: by its code alone).
    """
    invalid = BadRequest("value_invalid", f"Показание{of_zone(zone, count)} должно быть неотрицательным числом.")
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise invalid
    if isinstance(raw, str) and (len(raw) > MAX_FIELD_CHARS or not _NUMBER_TEXT.fullmatch(raw.strip())):
        raise invalid
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise invalid from None
    if not value.is_finite() or value < 0:
        raise invalid
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMALS:
        raise BadRequest(
            "value_invalid", f"Показание{of_zone(zone, count)}: не больше {MAX_DECIMALS} знаков после запятой."
        )
    return value


def check_values(values: Values, meter: Meter) -> None:
    """Every zone of the meter given, no other zone, and no more whole digits than the meter has."""
    count = len(meter.zones)
    for zone in values:
        if zone not in meter.zones:
            raise BadRequest(
                "zone_unknown",
                f"У этого счётчика нет зоны «{zone_name(zone, 0)}»: его зоны — {zones_list(meter.zones)}."
                if count > 1
                else f"У этого счётчика одна зона: показание «{zone_name(zone, 0)}» лишнее.",
            )
    for zone in meter.zones:
        if zone not in values:
            raise BadRequest(
                "zone_missing",
                f"Не указано показание зоны «{zone_name(zone, count)}»: у счётчика зоны {zones_list(meter.zones)}.",
            )
        if values[zone] >= Decimal(10) ** meter.digits:
            raise BadRequest(
                "value_too_large",
                f"Показание{of_zone(zone, count)} длиннее, чем может показать счётчик: "
                f"не больше {meter.digits} цифр до запятой.",
            )
