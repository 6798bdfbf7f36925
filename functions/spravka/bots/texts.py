"""How the bots word meters, values and receipts: the widget's words (site/widget/src), in Russian."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from spravka.readings.consumption import period_in_words

RESOURCES = {
    "electricity": "Электроэнергия",
    "heat": "Тепловая энергия",
    "hot_water": "Горячая вода",
    "cold_water": "Холодная вода",
}
UNITS = {"kwh": "кВт·ч", "gcal": "Гкал", "m3": "м³"}
# Digit groups people type ("12 345", "12'345", a no-break or narrow space): the widget's parseValue drops them.
_GROUPS = re.compile(r"[\s\u00a0\u202f']")


def mask(account: str) -> str:
    """•••• 0001: the last four digits, as every reply shows an account."""
    return "•••• " + account[-4:]


def compact_value(text: str) -> str:
    """A typed value without digit groups ("12 345,6" -> "12345,6"); readings.validate judges the rest."""
    return _GROUPS.sub("", text)


def number(value: object) -> str:
    """1 250 or 123,456: groups of three with a no-break space, a decimal comma (ru-RU, up to 3 decimals)."""
    amount = Decimal(str(value)).quantize(Decimal("0.001")).normalize()
    whole, _, fraction = f"{amount:f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + "\u00a0".join(groups or ["0"]) + ("," + fraction if fraction else "")


def date(iso: str | None) -> str:
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    return f"{match[3]}.{match[2]}.{match[1]}" if match else (iso or "")


def unit_name(unit: str) -> str:
    return UNITS.get(unit.lower(), unit)


def zone_label(zone: str, count: int) -> str:
    """Показание / День (Т1) / Пик (Т1): the widget's zoneLabel."""
    if count <= 1:
        return "Показание"
    names = {"t1": "День", "t2": "Ночь"} if count == 2 else {"t1": "Пик", "t2": "Ночь", "t3": "Полупик"}
    code = zone.upper().replace("T", "Т")
    return f"{names[zone]} ({code})" if zone in names else code


def meter_name(meter: Mapping[str, Any]) -> str:
    name = RESOURCES.get(str(meter.get("resource")), "Счётчик")
    tail = str(meter.get("serial_tail") or "")
    return f"{name}, счётчик № …{tail}" if tail else name


def previous_values(meter: Mapping[str, Any]) -> str:
    """ "Предыдущие показания приняты 20.10.2026: 1 000 кВт·ч." (zone by zone for a multi-zone meter)."""
    zones = list(meter.get("zones") or ["t1"])
    last = meter.get("last_values") or {}
    unit = unit_name(str(meter.get("unit", "")))
    parts = [
        (f"{zone_label(zone, len(zones))} — " if len(zones) > 1 else "") + f"{number(last[zone])} {unit}"
        for zone in zones
        if zone in last
    ]
    if not parts:
        return ""
    when = f" {date(meter.get('last_date'))}" if meter.get("last_date") else ""
    return f"Предыдущие показания приняты{when}: {'; '.join(parts)}."


def value_hint(unit: str) -> str:
    """One rule with the article «Как снять показания со счётчика» and the widget's hint."""
    if unit.lower() == "kwh":
        return "Введите число с табло счётчика, например 12345 или 12 345 — цифры после запятой можно не вводить."
    return "Введите число с табло счётчика вместе с цифрами после запятой, например 123,456."


def value_prompt(meter: Mapping[str, Any], zone: str) -> str:
    zones = list(meter.get("zones") or ["t1"])
    unit = unit_name(str(meter.get("unit", "")))
    previous = (meter.get("last_values") or {}).get(zone)
    label = zone_label(zone, len(zones))
    what = "Введите показание" if len(zones) == 1 else f"Введите показание зоны «{label}»"
    return f"{what}, {unit}" + (f" (предыдущее: {number(previous)})" if previous is not None else "") + "."


def receipt_text(account: str, meter: Mapping[str, Any], typed: Mapping[str, str], receipt: Mapping[str, Any]) -> str:
    """The widget's receipt: the consumption with the subtraction a customer can check, flags, the period."""
    unit = unit_name(str(receipt.get("unit", "")))
    consumption: Mapping[str, Any] = receipt.get("consumption") or {}
    previous: Mapping[str, Any] = meter.get("last_values") or {}
    since = f" с {date(receipt.get('since'))}" if receipt.get("since") else ""
    lines = ["**Показания приняты.**", f"Счёт {mask(account)}, {meter_name(meter)}."]

    def used(zone: str) -> str:
        text = f"{number(consumption[zone])} {unit}"
        if zone in typed and zone in previous:
            new, old = Decimal(typed[zone].replace(",", ".")), Decimal(str(previous[zone]))
            if abs(new - old - Decimal(str(consumption[zone]))) < Decimal("0.0005"):  # not after a rollover
                text += f" ({number(new)} − {number(old)})"
        return text

    zones = list(consumption)
    if len(zones) == 1:
        lines.append(f"Расход{since}: {used(zones[0])}")
    elif zones:
        lines.append(f"Расход{since}:")
        lines += [f"— {zone_label(zone, len(zones))}: {used(zone)}" for zone in zones]
    lines += [str(flag.get("message")) for flag in receipt.get("flags") or () if flag.get("message")]
    if receipt.get("period"):
        lines.append(f"Расчётный период: {period_in_words(str(receipt['period']))}.")
    return "\n".join(lines)
