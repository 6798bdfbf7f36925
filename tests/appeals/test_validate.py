"""Appeal validation and numbers: table-driven rows and properties (any input is a 400 or a value, never a crash)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spravka.appeals.categories import load_categories
from spravka.appeals.number import ALPHABET, NUMBER, derive_secret, new_number, normalise_number
from spravka.appeals.validate import parse_lookup, parse_submission
from spravka.errors import BadRequest, NotFound
from tests.appeals.conftest import BILL

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)


def test_numbers_are_readable_over_the_phone() -> None:
    assert not set("01OILUV") & set(ALPHABET)
    numbers = {new_number(datetime.date(2026, 12, 3)) for _ in range(2000)}
    assert len(numbers) == 2000 and all(NUMBER.fullmatch(n) and n.startswith("2612-") for n in numbers)


@pytest.mark.parametrize("typed", ["2612-7KQ4-M9", "2612 7kq4 m9", " 26127KQ4M9 ", "2612–7KQ4–M9"])
def test_a_number_as_typed(typed: str) -> None:
    assert normalise_number(typed) == "2612-7KQ4-M9"


@pytest.mark.parametrize("typed", ["2612-7KQ4-M0", "2612-OKQ4-M9", "2612-7KQ4", "26127KQ4M9X", ""])
def test_not_a_number(typed: str) -> None:
    assert normalise_number(typed) is None


def test_secrets_differ_per_nonce_and_key() -> None:
    key = b"k" * 32
    one = derive_secret(key, "2612-7KQ4-M9", "a")
    assert len(one) == 22 and one == derive_secret(key, "2612-7KQ4-M9", "a")
    assert one != derive_secret(key, "2612-7KQ4-M9", "b") != derive_secret(b"x" * 32, "2612-7KQ4-M9", "a")


@pytest.mark.parametrize(
    ("contact", "email", "phone"),
    [
        ({"email": " Ivanova@Example.ru "}, "Ivanova@Example.ru", ""),
        ({"phone": "8 (900) 123-45-67"}, "", "+79001234567"),
        ({"phone": "9001234567"}, "", "+79001234567"),
        ({"phone": "+7 900 123 45 67", "email": None}, "", "+79001234567"),
    ],
)
def test_contacts_are_normalised(contact: dict[str, Any], email: str, phone: str) -> None:
    submission = parse_submission({**BILL, "contact": contact}, load_categories())
    assert (submission.email, submission.phone) == (email, phone)


def test_text_is_trimmed_and_control_characters_dropped() -> None:
    submission = parse_submission({**BILL, "text": "  Счёт\x00 за ноябрь\r\nслишком большой  "}, load_categories())
    assert submission.text == "Счёт за ноябрь\r\nслишком большой"


@settings(max_examples=300, deadline=None)
@given(payload=st.dictionaries(st.sampled_from([*BILL, "name", "account", "question_id", "idempotency_key"]), JSON))
def test_any_payload_is_a_submission_or_a_400(payload: dict[str, Any]) -> None:
    try:
        parse_submission({**BILL, **payload}, load_categories())
    except BadRequest as error:
        assert error.message and error.code


@settings(max_examples=200, deadline=None)
@given(payload=st.dictionaries(st.sampled_from(["number", "secret"]), JSON))
def test_any_lookup_is_a_pair_or_the_one_404(payload: dict[str, Any]) -> None:
    try:
        parse_lookup(payload)
    except NotFound as error:
        assert error.code == "appeal_not_found"
