"""Nights and the Russian public holidays, so the report can show when customers ask outside office hours."""

from __future__ import annotations

import datetime

NIGHT_FROM, NIGHT_UNTIL = 22, 6  # local hours: 22:00–6:00
# Non-working public holidays (Labour Code, art. 112) and New Year's Eve, which utilities treat as one.
HOLIDAYS = {
    (12, 31): "канун Нового года",
    **{(1, day): "новогодние каникулы" for day in range(1, 9)},
    (1, 7): "Рождество",
    (2, 23): "День защитника Отечества",
    (3, 8): "Международный женский день",
    (5, 1): "Праздник Весны и Труда",
    (5, 9): "День Победы",
    (6, 12): "День России",
    (11, 4): "День народного единства",
}


def is_night(moment: datetime.datetime) -> bool:
    return is_night_hour(moment.hour)


def is_night_hour(hour: int) -> bool:
    return hour >= NIGHT_FROM or hour < NIGHT_UNTIL


def holiday_name(day: datetime.date) -> str | None:
    return HOLIDAYS.get((day.month, day.day))


def is_day_off(day: datetime.date) -> bool:
    return day.weekday() >= 5 or holiday_name(day) is not None


def holidays_between(first: datetime.date, last: datetime.date) -> dict[datetime.date, str]:
    days = (first + datetime.timedelta(days=n) for n in range((last - first).days + 1))
    return {day: name for day in days if (name := holiday_name(day))}
