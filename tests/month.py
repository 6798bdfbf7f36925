"""A realistic month of questions and widget events, from a seed: what the editors' loop tests replay.

Days from 10 December to 9 January (a readings window, weekends, New Year's night and
the January holidays), hours weighted like a utility's chat (nights quiet, not empty),
sessions of one to three questions by visitors of whom some come back, personal data
sprinkled into the questions, and a few unanswered questions that people keep asking
in slightly different words. Questions come from the knowledge's own phrasings, never
from the evaluation sets.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from zoneinfo import ZoneInfo

TIMEZONE = "Europe/Moscow"
FIRST_DAY = datetime.date(2025, 12, 10)
LAST_DAY = datetime.date(2026, 1, 9)
# Relative weight of each local hour (a help desk's chat: evenings busy, nights quiet).
HOURS = [2, 1, 1, 0.5, 0.5, 1, 2, 4, 7, 9, 10, 10, 9, 9, 9, 9, 9, 9, 10, 10, 8, 6, 4, 3]
NAMES = ["Иван Петров", "Анна Кузнецова", "Мария", "Сергей Иванович", "Ольга Смирнова", "Дмитрий"]
# Unanswered subjects, each asked again and again in slightly different words.
REPEATED = {
    "gas": [
        "сколько стоит подключить газ",
        "сколько стоит подключить газ?",
        "Сколько стоит подключить газ",
        "подключить газ сколько стоит",
        "сколько стоит подключит газ",
    ],
    "lift": [
        "лифт не работает",
        "лифт не работает!",
        "не работает лифт",
        "Лифт не работает уже неделю",
        "почему не работает лифт",
    ],
    "crypto": ["можно ли оплатить криптовалютой", "можно оплатить криптовалютой?", "оплатить криптовалютой можно ли"],
}
SMALLTALK = ["спасибо", "здравствуйте", "добрый день", "спасибо большое"]


@dataclasses.dataclass
class Sent:
    """One question as the generator sends it, and what it put into it."""

    at: datetime.datetime  # UTC
    q: str
    visitor: str
    session: str
    personal: list[str]  # the personal data inside q, as typed
    theme: str | None = None  # a REPEATED subject, if it is one


@dataclasses.dataclass
class Session:
    visitor: str
    session: str
    start: datetime.datetime
    questions: list[Sent]


def personal_fragment(rng: random.Random) -> tuple[str, str]:
    """(text to add, the personal data in it)."""
    kind = rng.choice(["name", "account", "phone", "email", "card", "account_spaced", "phone_plus"])
    if kind == "name":
        name = rng.choice(NAMES)
        return f"меня зовут {name}", name
    if kind == "account":
        number = "".join(rng.choice("0123456789") for _ in range(12))
        return f"лицевой счёт {number}", number
    if kind == "account_spaced":
        number = "".join(rng.choice("0123456789") for _ in range(12))
        spaced = " ".join(number[i : i + 4] for i in range(0, 12, 4))
        return f"мой лс {spaced}", spaced
    if kind == "phone":
        digits = "9" + "".join(rng.choice("0123456789") for _ in range(9))
        phone = f"8 {digits[:3]} {digits[3:6]}-{digits[6:8]}-{digits[8:]}"
        return f"перезвоните на {phone}", phone
    if kind == "phone_plus":
        digits = "9" + "".join(rng.choice("0123456789") for _ in range(9))
        phone = f"+7 ({digits[:3]}) {digits[3:6]}-{digits[6:8]}-{digits[8:]}"
        return f"мой телефон {phone}", phone
    if kind == "email":
        email = f"{rng.choice(['ivan', 'anna.k', 'olga_s', 'd.petrov'])}{rng.randrange(100)}@{rng.choice(['mail.ru', 'yandex.ru', 'gmail.com'])}"
        return f"пишите на {email}", email
    card = " ".join("".join(rng.choice("0123456789") for _ in range(4)) for _ in range(4))
    return f"карта {card} не проходит", card


def day_weight(day: datetime.date) -> float:
    weight = 1.0
    if day.weekday() >= 5:
        weight *= 0.6
    if (day.month, day.day) in ((12, 31),) or (day.month == 1 and day.day <= 8):
        weight *= 0.45
    if 15 <= day.day <= 25:
        weight *= 1.4  # the readings window
    return weight


def generate(seed: int = 6, *, per_day: int = 40, article_questions: list[tuple[str, str]]) -> list[Session]:
    """Sessions of the month; article_questions are (article id, phrasing) from the knowledge."""
    rng = random.Random(seed)
    zone = ZoneInfo(TIMEZONE)
    visitors: list[str] = []
    sessions: list[Session] = []
    days = [FIRST_DAY + datetime.timedelta(days=n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]
    starts: list[datetime.datetime] = []
    for day in days:
        for _ in range(round(per_day * day_weight(day) * rng.uniform(0.8, 1.2))):
            hour = rng.choices(range(24), weights=HOURS)[0]
            starts.append(
                datetime.datetime.combine(day, datetime.time(hour, rng.randrange(60), rng.randrange(60)), zone)
            )
    # New Year's night: people ask between the toasts.
    new_year = datetime.datetime(2026, 1, 1, 0, 0, tzinfo=zone)
    starts += [new_year + datetime.timedelta(minutes=rng.randrange(-60, 180)) for _ in range(15)]
    for start in sorted(starts):
        if visitors and rng.random() < 0.2:
            visitor = rng.choice(visitors)
        else:
            visitor = f"{rng.getrandbits(64):016x}" * 2  # the widget's form: 32 hex digits
            visitors.append(visitor)
        session = f"{rng.getrandbits(64):016x}" * 2
        questions = []
        at = start
        for _ in range(rng.choices([1, 2, 3], weights=[6, 3, 1])[0]):
            questions.append(_question(rng, at, visitor, session, article_questions))
            at += datetime.timedelta(seconds=rng.randrange(20, 240))
        sessions.append(Session(visitor, session, start, questions))
    return sessions


def _question(
    rng: random.Random, at: datetime.datetime, visitor: str, session: str, article_questions: list[tuple[str, str]]
) -> Sent:
    roll = rng.random()
    theme = None
    if roll < 0.12:
        theme = rng.choices(list(REPEATED), weights=[5, 3, 2])[0]
        q = rng.choice(REPEATED[theme])
    elif roll < 0.17:
        q = rng.choice(SMALLTALK)
    elif roll < 0.20:
        q = f"хочу передать показания {rng.randrange(1000, 99999)}"
    else:
        q = rng.choice(article_questions)[1]
    personal: list[str] = []
    if q not in SMALLTALK and rng.random() < 0.15:
        fragment, data = personal_fragment(rng)
        q = f"{fragment}, {q}" if rng.random() < 0.5 else f"{q}, {fragment}"
        personal.append(data)
    return Sent(at.astimezone(datetime.timezone.utc), q, visitor, session, personal, theme)
