"""Redaction against the forms an attacker's probe kept in the log (issue #18): every form the
probe used, then thousands of generated questions with personal data written every which way,
then the worst-case inputs for time."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st

from spravka.questions.redact import ACCOUNT, ADDRESS, CARD, EMAIL, NAME, NUMBER, PHONE, redact
from tests.tally import tally

ZW = "\u200b"  # zero-width space
PROBED = [
    ("тел89161234567 перезвоните", "тел[телефон] перезвоните"),
    ("8.916.123.45.67", "[телефон]"),
    ("8/916/123/45/67", "[телефон]"),
    (f"8{ZW}9{ZW}1{ZW}6{ZW}1{ZW}2{ZW}3{ZW}4{ZW}5{ZW}6{ZW}7", "[телефон]"),
    ("домашний 1234567", "домашний [номер]"),
    ("звоните 123 45 67", "звоните [телефон]"),
    ("+7 123-45-67", "[телефон]"),
    ("карта 4276.1234.5678.9012", "карта [карта]"),
    ("карта 4276_1234_5678_9012", "карта [карта]"),
    (f"карта 4276{ZW}1234{ZW}5678{ZW}9012", "карта [карта]"),
    ("пишите ivan at mail dot ru", "пишите [e-mail]"),
    ("пишите ivan＠mail.ru", "пишите [e-mail]"),
    ("пишите ivan@localhost", "пишите [e-mail]"),
    ("иван собака мейл точка ру", "[e-mail]"),
    ("ivan (at) mail (dot) ru", "[e-mail]"),
    ("ЛС000000000001 долг", "ЛС[счёт] долг"),
    ("лицевой_000000000001", "лицевой_[счёт]"),
    ("000000000001а", "[счёт]а"),
    ("0000.0000.0001", "[счёт]"),
    ("я Петрова Анна, долг", "я [имя], долг"),
    ("Иванов И.И. просит перерасчёт", "[имя] просит перерасчёт"),
    ("И. И. Иванов просит", "[имя] просит"),
    ("абонент Смирнов Алексей, оплата", "абонент [имя], оплата"),
    ("my name is John Smith", "my name is [имя]"),
    ("ФИО: Ivanov Ivan", "ФИО: [имя]"),
    ("Petrov Ivan Sergeevich", "[имя]"),
    ("моя фамилия Волков", "моя фамилия [имя]"),
    ("живу ул. Ленина, д. 5, кв. 12", "живу [адрес]"),
    ("проспект Мира 10-3 нет света", "[адрес] нет света"),
    ("пр-т Победы д.7", "[адрес]"),
    ("дом 5 квартира 12", "[адрес]"),
    ("по адресу Садовая 5-12 нет света", "[адрес] нет света"),
]
# Ordinary words near the new patterns stay as typed.
KEPT = [
    "на улице холодно, счётчик замёрз",
    "look at this",
    "я хочу передать показания",
    "Я Не могу оплатить",
    "тариф 6,43 руб за кВт·ч",
    "передал 15.01.2024, не учли",
    "показания т1 123456 т2 65432",
    "какой адрес офиса?",
    "счёт №5 за март",
]


@pytest.mark.parametrize(("text", "expected"), PROBED)
def test_every_probed_form_is_redacted(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_words_near_the_patterns_stay(text: str) -> None:
    assert redact(text) == text


# Generated personal data

TEMPLATES = [
    "{}",
    "{} как передать показания",
    "здравствуйте, {}, почему такой долг?",
    "Подскажите пожалуйста ({}) почему начислили",
    "добрый день! {}. не пришла квитанция",
    "{} — оплатил, но не учли",
    "перезвоните мне {} спасибо",
    "вопрос по перерасчёту {}\nжду ответа",
    "Не могу передать показания, {}!",
    "как оплатить картой? {}",
]
GAPS = [" ", "-", ".", "/", "_", "", ZW, "\u00a0", " - ", "\u2011", "\u2009"]


def _join(draw: st.DrawFn, digits: str, sizes: list[int]) -> str:
    parts, start = [], 0
    for size in sizes:
        parts.append(digits[start : start + size])
        start += size
    gap = draw(st.sampled_from(GAPS))
    return gap.join(part for part in parts if part)


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in text)


@st.composite
def phone(draw: st.DrawFn) -> tuple[str, list[str]]:
    digits = "9" + draw(st.text("0123456789", min_size=9, max_size=9))
    body = _join(draw, digits, draw(st.sampled_from([[3, 3, 2, 2], [3, 3, 4], [10], [3, 7], [1, 2, 3, 2, 2]])))
    prefix = draw(st.sampled_from(["+7", "8", "+7 ", "8 ", "8-", "+7-", "тел", "тел.", "тел ", "моб. 8", "т.8", "8("]))
    local = draw(st.text("0123456789", min_size=7, max_size=7))
    written, number = draw(
        st.sampled_from(
            [
                (prefix + body, digits),
                ("тел " + _join(draw, local, [3, 2, 2]), local),
                ("тел" + local, local),
                ("звоните " + _join(draw, local, [3, 2, 2]), local),
            ]
        )
    )
    if draw(st.booleans()):
        written = _fullwidth(written)
    return written, [number[-7:]]


@st.composite
def account(draw: st.DrawFn) -> tuple[str, list[str]]:
    digits = draw(st.text("0123456789", min_size=12, max_size=12))
    body = _join(draw, digits, draw(st.sampled_from([[12], [4, 4, 4], [3, 3, 3, 3], [6, 6]])))
    form = draw(st.sampled_from(["ЛС{}", "лс {}", "лицевой_{}", "лицевой счёт {}", "{}а", "счет№{}", "{}"]))
    return form.format(body), [digits]


@st.composite
def card(draw: st.DrawFn) -> tuple[str, list[str]]:
    length = draw(st.sampled_from([13, 15, 16, 18, 19]))
    digits = draw(st.sampled_from("2345")) + draw(st.text("0123456789", min_size=length - 1, max_size=length - 1))
    return _join(draw, digits, [4] * 5), [digits]


LATIN = st.from_regex(r"[a-z][a-z0-9_]{1,10}", fullmatch=True)


@st.composite
def email(draw: st.DrawFn) -> tuple[str, list[str]]:
    user, host = draw(LATIN), draw(st.from_regex(r"[a-z][a-z0-9-]{1,8}[a-z]", fullmatch=True))
    zone = draw(st.sampled_from(["ru", "com", "рф", "org", "net"]))
    at = draw(st.sampled_from(["@", " @ ", "＠", " at ", " AT ", " (at) ", "[at]", " собака ", "(собака)"]))
    dot = draw(st.sampled_from([".", " dot ", " (dot) ", "[dot]", " точка "]))
    written = (
        f"{user}{at}{host}"
        if at.strip() in "@＠" and draw(st.booleans()) and zone == "ru"
        else f"{user}{at}{host}{dot}{zone}"
    )
    if at.strip() in "@＠" and "." not in written:
        written = f"{user}{at}localhost"
        host = "localhost"
    return written, [user, host]


FIRST = ["Иван", "Анна", "Мария", "Сергей", "Ольга", "Дмитрий", "Татьяна", "Алексей", "Ivan", "Anna", "Olga"]
LAST = ["Петров", "Кузнецова", "Смирнов", "Иванова", "Соколов", "Волков", "Петрова", "Smirnov", "Volkova"]
PATRONYMIC = ["Сергеевич", "Ивановна", "Петрович", "Ильич", "Кузьминична", "Sergeevich", "Ivanovna"]


@st.composite
def name(draw: st.DrawFn) -> tuple[str, list[str]]:
    latin = draw(st.booleans())
    first, last, patronymic = (
        draw(st.sampled_from([w for w in words if w.isascii() == latin])) for words in (FIRST, LAST, PATRONYMIC)
    )
    strong = draw(
        st.sampled_from(
            [
                "меня зовут",
                "Меня зовут",
                "МЕНЯ ЗОВУТ",
                "моё имя",
                "мое имя",
                "моя фамилия",
                "ФИО:",
                "фио",
                "с уважением,",
                "на имя",
                "my name is",
            ]
        )
    )
    weak = draw(st.sampled_from(["я", "Я", "я —", "я -", "абонент", "Абонент", "собственник", "плательщик"]))
    cased = draw(st.sampled_from([str, str.lower, str.upper])) if strong != "my name is" else str
    written = draw(
        st.sampled_from(
            [
                f"{strong} {cased(first)} {cased(last)}",
                f"{strong} {cased(last)}",
                f"{weak} {last} {first}",
                f"{last} {first[0]}.{patronymic[0]}.",
                f"{first[0]}. {patronymic[0]}. {last}",
                f"{last} {first} {patronymic}",
                f"{first} {patronymic}",
            ]
        )
    )
    tokens = [token for token in (first, last, patronymic) if token in written]
    return written, tokens


STREETS = ["Ленина", "Садовая", "Маршала Жукова", "Мира", "Победы", "8 Марта", "Заречная"]


@st.composite
def address(draw: st.DrawFn) -> tuple[str, list[str]]:
    street = draw(st.sampled_from(STREETS))
    house, flat = str(draw(st.integers(1, 250))), str(draw(st.integers(1, 999)))
    kind = draw(
        st.sampled_from(
            [
                "ул.",
                "улица",
                "ул",
                "проспект",
                "пр-т",
                "пр.",
                "переулок",
                "пер.",
                "бульвар",
                "шоссе",
                "набережная",
                "по адресу",
                "по адресу:",
            ]
        )
    )
    house_part = draw(
        st.sampled_from(
            [
                f"д. {house}, кв. {flat}",
                f"дом {house} квартира {flat}",
                f"{house}-{flat}",
                f"д.{house} кв.{flat}",
                f"{house}, кв {flat}",
                f"{house}/{flat}",
            ]
        )
    )
    return f"{kind} {street} {house_part}", [street.split()[-1], f"{house}", f"{flat}"]


PERSONAL = st.one_of(phone(), account(), card(), email(), name(), address())
QUESTIONS_PER_EXAMPLE = 50
EXAMPLES = 110  # 5,500 generated questions per run


# What redaction writes in place of personal data: a token found inside one of these did not survive
# («ai» of «ai @ localhost» is in «[e-mail]»).
MARKS = (ACCOUNT, PHONE, EMAIL, CARD, NAME, NUMBER, ADDRESS)


def _survives(token: str, redacted: str) -> bool:
    for mark in MARKS:
        redacted = redacted.replace(mark, " ")
    if token.isdigit() and len(token) <= 3:  # a house or a flat: only as a separate number
        return re.search(rf"(?<!\d){token}(?!\d)", redacted) is not None
    if token.isdigit():
        return token in re.sub(r"\D", "", redacted)
    return token.lower() in redacted.lower()


@settings(
    max_examples=EXAMPLES, deadline=None, phases=(Phase.explicit, Phase.generate)
)  # the message names the question
@given(
    st.lists(
        st.tuples(st.sampled_from(TEMPLATES), PERSONAL), min_size=QUESTIONS_PER_EXAMPLE, max_size=QUESTIONS_PER_EXAMPLE
    )
)
@example(
    [("перезвоните мне {} спасибо", ("ai @ localhost", ["ai", "localhost"]))]
)  # found by a run: «ai» in «[e-mail]»
def test_no_generated_personal_data_survives(questions: list[tuple[str, tuple[str, list[str]]]]) -> None:
    for template, (written, tokens) in questions:
        question = template.format(written)
        redacted = redact(question)
        for token in tokens:
            assert not _survives(token, redacted), (question, redacted, token)
        assert "@" not in redacted and "＠" not in redacted
    tally("redaction: generated questions with personal data checked", len(questions))


# Time: worst cases against an ordinary question of the same length, measured in the same run

ORDINARY = ("как передать показания счётчика до 25 числа и где посмотреть долг по квитанции? " * 20)[:999]
WORST = {
    "dots then @": "a." * 499 + "@",
    "letters then @": "a" * 998 + "@",
    "dashes then @": "a-" * 499 + "@",
    "spelled at": "a at " * 199 + "a",
    "digit groups": "1 " * 499,
    "digits and dots": "1." * 499,
    "capitalised words": "Аа " * 333,
    "initials": "А.Б. " * 199,
    "street words": "ул. " * 249,
    "address cue": "адрес " * 166,
    "name cues": "я Я " * 249,
}


def _best_of(text: str, repeats: int = 15) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        redact(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("kind", sorted(WORST))
def test_worst_case_inputs_cost_about_what_an_ordinary_question_does(kind: str) -> None:
    text = WORST[kind]
    assert len(text) <= 1000
    baseline = _best_of(ORDINARY)
    assert _best_of(text) <= 20 * baseline, kind
