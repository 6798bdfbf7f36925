"""Validate at the edge: an appeal's submission and a status lookup into typed values (400 otherwise)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from spravka.appeals.categories import Category
from spravka.appeals.number import SECRET, normalise_number
from spravka.errors import BadRequest, NotFound
from spravka.readings.validate import MAX_KEY_CHARS, parse_account

MIN_TEXT, MAX_TEXT = 10, 4000
MAX_NAME = 100
MAX_EMAIL = 254
# A plain address: no display names, comments or quoted parts (it goes into a To: header).
EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+"
)
_PHONE_SEPARATORS = re.compile(r"[\s\u00a0()\u2010-\u2015-]")
PHONE = re.compile(r"\+?[0-9]{10,15}")
QUESTION_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
# Control characters other than line breaks and tabs have no place in a letter.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

NOT_FOUND = "Обращение не найдено: проверьте номер и код доступа."


@dataclasses.dataclass(frozen=True)
class Submission:
    category: Category
    text: str
    email: str
    phone: str
    name: str
    account: str
    question_id: str
    idempotency_key: str | None


def parse_submission(payload: Mapping[str, Any], categories: Mapping[str, Category]) -> Submission:
    """Check a POST /appeals body; every problem is a 400 naming the field."""
    category = payload.get("category")
    if not isinstance(category, str) or category not in categories:
        raise BadRequest("category_unknown", "Выберите тему обращения (category) из списка.")
    text = payload.get("text")
    if not isinstance(text, str):
        raise BadRequest("text_invalid", "Текст обращения (text) должен быть строкой.")
    text = _CONTROL.sub("", text).strip()
    if len(text) < MIN_TEXT:
        raise BadRequest("text_too_short", f"Опишите вопрос подробнее: не меньше {MIN_TEXT} символов.")
    if len(text) > MAX_TEXT:
        raise BadRequest("text_too_long", f"Текст обращения длиннее {MAX_TEXT} символов: сократите его.")
    email, phone = _parse_contact(payload.get("contact"))
    if payload.get("consent") is not True:
        raise BadRequest(
            "consent_required",
            "Нужно согласие на обработку персональных данных (consent): без него обращение не принять.",
        )
    name = _optional(payload, "name")
    if not isinstance(name, str) or len(name) > MAX_NAME:
        raise BadRequest("name_invalid", f"Имя (name) — строка не длиннее {MAX_NAME} символов.")
    account = _optional(payload, "account")
    if account != "":
        account = parse_account(account)
    question_id = _optional(payload, "question_id")
    if question_id != "" and not (isinstance(question_id, str) and QUESTION_ID.fullmatch(question_id)):
        raise BadRequest("question_id_invalid", "Идентификатор вопроса (question_id) указан неверно.")
    key = payload.get("idempotency_key")
    if key is not None and not (isinstance(key, str) and 0 < len(key) <= MAX_KEY_CHARS and key.isprintable()):
        raise BadRequest(
            "idempotency_key_invalid", "Ключ повтора (idempotency_key) должен быть строкой до 128 символов."
        )
    return Submission(
        categories[category], text, email, phone, _CONTROL.sub("", name).strip(), account, question_id, key
    )


def _optional(payload: Mapping[str, Any], name: str) -> Any:
    """The field's value; "" when it is absent or null (any other non-string stays, to be refused)."""
    value = payload.get(name)
    return "" if value is None else value


def _parse_contact(raw: object) -> tuple[str, str]:
    """(email, phone), at least one of them, each well-formed."""
    if not isinstance(raw, Mapping):
        raise BadRequest("contact_required", "Укажите e-mail или телефон (contact), чтобы мы могли ответить.")
    email, phone = _optional(raw, "email"), _optional(raw, "phone")
    if not isinstance(email, str):
        raise BadRequest("email_invalid", "Адрес e-mail указан неверно, например: ivanova@example.ru.")
    if not isinstance(phone, str):
        raise BadRequest("phone_invalid", "Телефон указан неверно: нужны 10–15 цифр, например +7 900 123-45-67.")
    email = email.strip()
    if email and (len(email) > MAX_EMAIL or not EMAIL.fullmatch(email)):
        raise BadRequest("email_invalid", "Адрес e-mail указан неверно, например: ivanova@example.ru.")
    if phone:
        phone = _PHONE_SEPARATORS.sub("", phone)
        if not PHONE.fullmatch(phone):
            raise BadRequest("phone_invalid", "Телефон указан неверно: нужны 10–15 цифр, например +7 900 123-45-67.")
        if len(phone) == 11 and phone[0] == "8":
            phone = "+7" + phone[1:]
        elif len(phone) == 10 and not phone.startswith("+"):
            phone = "+7" + phone
    if not email and not phone:
        raise BadRequest("contact_required", "Укажите e-mail или телефон (contact), чтобы мы могли ответить.")
    return email, phone


def parse_lookup(payload: Mapping[str, Any]) -> tuple[str, str]:
    """(number, secret) of POST /appeals/status; anything malformed is the same 404 as a wrong pair."""
    number, secret = payload.get("number"), payload.get("secret")
    normalised = normalise_number(number) if isinstance(number, str) and len(number) <= 40 else None
    if normalised is None or not isinstance(secret, str) or not SECRET.fullmatch(secret.strip()):
        raise NotFound("appeal_not_found", NOT_FOUND)
    return normalised, secret.strip()
