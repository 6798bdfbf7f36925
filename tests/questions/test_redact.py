"""Personal data never reaches the question log: realistic variants, table-driven and generated."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spravka.questions.redact import redact

CASES = [
    ("мой лс 123456789012 какой долг", "мой лс [счёт] какой долг"),
    ("лицевой счёт 1234 5678 9012", "лицевой счёт [счёт]"),
    ("ЛС 1234-5678-9012, передать показания", "ЛС [счёт], передать показания"),
    ("звоните +7 (916) 123-45-67", "звоните [телефон]"),
    ("+79161234567 перезвоните", "[телефон] перезвоните"),
    ("8 916 123 45 67", "[телефон]"),
    ("8(916)1234567", "[телефон]"),
    ("8-800-000-00-00 не отвечает", "[телефон] не отвечает"),
    ("мой номер 916 123 45 67", "мой номер [телефон]"),
    ("тел. 123-45-67", "тел. [телефон]"),
    ("почта ivan.petrov@mail.ru", "почта [e-mail]"),
    ("пишите на Anna_K-1990@Yandex.RU, спасибо", "пишите на [e-mail], спасибо"),
    ("карта 4276 1234 5678 9012 не проходит", "карта [карта] не проходит"),
    ("карта 4276123456789012", "карта [карта]"),
    ("меня зовут Иван Петров, как передать показания", "меня зовут [имя], как передать показания"),
    ("Меня зовут иван как оплатить", "Меня зовут [имя] как оплатить"),
    ("здравствуйте, меня зовут Анна", "здравствуйте, меня зовут [имя]"),
    ("я — Мария Сергеевна Кузнецова, пенсионерка", "я — [имя], пенсионерка"),
    ("Петров Иван Сергеевич просит перерасчёт", "[имя] просит перерасчёт"),
    ("С уважением, Ольга", "С уважением, [имя]"),
    ("ФИО: Сидоров Пётр", "ФИО: [имя]"),
    ("паспорт 4510 123456", "паспорт [номер]"),
]
# Text that carries no personal data stays as it was: readings, sums, dates, ordinary words.
UNTOUCHED = [
    "показания т1 123456 т2 65432",
    "передал показания 12345",
    "оплатил 5600 рублей 10 числа",
    "передал 15.01.2024, не учли",
    "я - пенсионерка, есть ли льготы",
    "как передать показания до 25 числа",
    "тариф 6,43 руб за кВт·ч",
    "счётчик Меркурий 201.5",
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_personal_data_becomes_a_placeholder(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", UNTOUCHED)
def test_questions_without_personal_data_stay_as_typed(text: str) -> None:
    assert redact(text) == text


SEPARATORS = st.sampled_from([" ", "-", ""])


@st.composite
def phones(draw: st.DrawFn) -> str:
    number = "9" + draw(st.text("0123456789", min_size=9, max_size=9))
    prefix = draw(st.sampled_from(["+7", "8", "+7 ", "8 ", "8-", "+7-"]))
    sep = draw(SEPARATORS)
    code = draw(st.sampled_from([f"({number[:3]})", number[:3]]))
    return f"{prefix}{code}{sep}{number[3:6]}{sep}{number[6:8]}{sep}{number[8:]}"


@st.composite
def accounts(draw: st.DrawFn) -> str:
    number = draw(st.text("0123456789", min_size=12, max_size=12))
    sep = draw(SEPARATORS)
    return sep.join(number[i : i + 4] for i in range(0, 12, 4)) if draw(st.booleans()) else number


@st.composite
def cards(draw: st.DrawFn) -> str:
    length = draw(st.sampled_from([13, 15, 16, 18, 19]))
    number = draw(st.text("0123456789", min_size=length, max_size=length))
    sep = draw(SEPARATORS)
    return sep.join(number[i : i + 4] for i in range(0, length, 4))


emails = st.builds(
    lambda user, host, zone: f"{user}@{host}.{zone}",
    st.from_regex(r"[a-z][a-z0-9._-]{0,15}", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True),
    st.sampled_from(["ru", "com", "рф", "org"]),
)
names = st.builds(
    lambda first, last: f"{first} {last}",
    st.sampled_from(["Иван", "Анна", "Мария", "Сергей", "Ольга", "Дмитрий", "Татьяна"]),
    st.sampled_from(["Петров", "Кузнецова", "Смирнов", "Иванова", "Соколов"]),
)
TEMPLATES = [
    "{}",
    "мой номер {} перезвоните",
    "{}, как передать показания?",
    "здравствуйте {} долг",
    "Подскажите пожалуйста ({}) почему начислили",
]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(TEMPLATES), st.one_of(phones(), accounts(), cards()))
def test_no_long_digit_run_survives(template: str, number: str) -> None:
    redacted = redact(template.format(number))
    assert re.sub(r"\D", "", number) not in re.sub(r"\D", "", redacted)
    assert re.search(r"\[(телефон|счёт|карта|номер)\]", redacted)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(TEMPLATES), emails)
def test_no_email_survives(template: str, email: str) -> None:
    redacted = redact(template.format(email))
    assert "@" not in redacted and "[e-mail]" in redacted


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(
        ["меня зовут {}", "Меня зовут {}, как оплатить", "я — {}", "ФИО {}", "с уважением, {}", "моё имя {} подскажите"]
    ),
    names,
)
def test_no_introduced_name_survives(template: str, name: str) -> None:
    redacted = redact(template.format(name))
    assert not any(part in redacted for part in name.split()) and "[имя]" in redacted


def _every_pattern(text: str) -> str:
    """redact() without its substring pre-checks: every pattern applied, in the same order."""
    from spravka.questions import redact as module

    return module.redact_normalised(module.normalise(text), hinted=False)


PIECES = [
    "меня",
    "зовут",
    "Зовут",
    "МЕНЯ ЗОВУТ",
    "моё",
    "мое",
    "имя",
    "Имя",
    "фамилия",
    "ФИО",
    "фио:",
    "мои",
    "на",
    "с",
    "уважением",
    "я",
    "—",
    "–",
    "-",
    "я—",
    "Иван",
    "иван",
    "Петров",
    "Сергеевич",
    "Ивановна",
    "Ильич",
    "Кузьминична",
    "как",
    "передать",
    "показания",
    "счёт",
    "ivan@mail.ru",
    "ivan",
    "собака",
    "(at)",
    "[at]",
    "mail",
    "точка",
    "ru",
    "(dot)",
    "123-45-67",
    "+7",
    "916",
    "1234",
    "5678",
    "9012",
    "4276123456789012",
    "[имя]",
    "[телефон]",
    ",",
    ".",
    ":",
    "Ё",
    "ё",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12), st.lists(st.sampled_from([" ", "", ", ", "\n"]), max_size=12))
def test_the_pre_checks_never_skip_a_pattern_that_would_match(pieces: list[str], gaps: list[str]) -> None:
    text = "".join(piece + (gaps[i] if i < len(gaps) else " ") for i, piece in enumerate(pieces))
    assert redact(text) == _every_pattern(text)


@pytest.mark.parametrize("text", [text for text, _ in CASES] + UNTOUCHED)
def test_the_pre_checks_keep_every_table_case(text: str) -> None:
    assert redact(text) == _every_pattern(text)
