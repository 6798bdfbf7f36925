"""The `appeals` function through functions-framework on both stores: contract §7 and its error paths."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path
from typing import Any

import pytest

from spravka.appeals.number import NUMBER
from tests.appeals.conftest import BILL

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def assert_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json and set(response.get_json()) == {"error"}
    error = response.get_json()["error"]
    assert set(error) == {"code", "message"} and error["code"] == code
    assert CYRILLIC.search(error["message"]), error["message"]


def test_categories_for_the_form(appeals_app: Any) -> None:
    response = appeals_app.client.get("/categories")
    assert response.status_code == 200
    categories = response.get_json()["categories"]
    assert {"id": "billing", "title": "Начисления и счета", "decision_days": 10} in categories
    assert all(set(c) == {"id", "title", "decision_days"} for c in categories)


def test_register_then_follow(appeals_app: Any, clock: Any, tmp_path: Path) -> None:
    # Thursday 3 December 2026, 12:00 in Moscow: ten working days later is Thursday 17 December.
    clock.set("2026-12-03T12:00:00+03:00")
    response = appeals_app.client.post("/", json={**BILL, "idempotency_key": "form-1"})
    assert response.status_code == 201, response.get_json()
    appeal = response.get_json()
    assert NUMBER.fullmatch(appeal["number"]) and appeal["number"].startswith("2612-")
    assert appeal["status"] == "registered" and appeal["category"] == "billing"
    assert appeal["registered_at"] == "2026-12-03T09:00:00Z"
    assert appeal["deadlines"] == {"review_by": "2026-12-05T09:00:00Z", "decision_by": "2026-12-17"}
    assert appeal["history"] == [{"status": "registered", "at": "2026-12-03T09:00:00Z", "note": ""}]
    assert appeal["answer"] is None and len(appeal["secret"]) == 22

    again = appeals_app.client.post("/", json={**BILL, "idempotency_key": "form-1"})
    assert again.status_code == 200 and again.get_json() == appeal

    typed = appeal["number"].lower().replace("-", " ")
    status = appeals_app.client.post("/status", json={"number": typed, "secret": appeal["secret"]})
    assert status.status_code == 200
    assert status.get_json() == appeal

    # The registration e-mail went out at once (no SMTP_URL: a file), with the status link.
    (eml,) = (tmp_path / "data" / "mail").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["To"] == "ivanova@example.ru" and appeal["number"] in message["Subject"]
    text = message.get_body(("plain",)).get_content()  # type: ignore[attr-defined]
    assert f"https://help.example.ru/appeals/status/#{appeal['number']}.{appeal['secret']}" in text


def test_wrong_number_and_wrong_secret_are_the_same_404(appeals_app: Any) -> None:
    appeal = appeals_app.client.post("/", json=BILL).get_json()
    wrong_secret = appeals_app.client.post("/status", json={"number": appeal["number"], "secret": "A" * 22})
    wrong_number = appeals_app.client.post("/status", json={"number": "2612-2222-22", "secret": appeal["secret"]})
    malformed = appeals_app.client.post("/status", json={"number": "12", "secret": 5})
    for response in (wrong_secret, wrong_number, malformed):
        assert_error(response, 404, "appeal_not_found")
    assert wrong_secret.get_json() == wrong_number.get_json() == malformed.get_json()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"category": "weather"}, "category_unknown"),
        ({"text": "коротко"}, "text_too_short"),
        ({"text": "я" * 4001}, "text_too_long"),
        ({"text": 5}, "text_invalid"),
        ({"contact": {}}, "contact_required"),
        ({"contact": None}, "contact_required"),
        ({"contact": {"email": "ivanova@"}}, "email_invalid"),
        ({"contact": {"phone": "12-34"}}, "phone_invalid"),
        ({"consent": False}, "consent_required"),
        ({"consent": "yes"}, "consent_required"),
        ({"account": "123"}, "account_invalid"),
        ({"name": "x" * 101}, "name_invalid"),
        ({"idempotency_key": ""}, "idempotency_key_invalid"),
    ],
)
def test_every_bad_field_is_a_400_in_russian(appeals_app: Any, change: dict[str, Any], code: str) -> None:
    assert_error(appeals_app.client.post("/", json={**BILL, **change}), 400, code)
    assert appeals_app.store.appeals() == []


def test_a_phone_alone_is_a_contact_and_gets_no_mail(appeals_app: Any, tmp_path: Path) -> None:
    response = appeals_app.client.post("/", json={**BILL, "contact": {"phone": "8 (900) 123-45-67"}})
    assert response.status_code == 201
    (stored,) = appeals_app.store.appeals()
    assert stored.phone == "+79001234567" and stored.email == ""
    assert appeals_app.store.pending_mail() == [] and not (tmp_path / "data" / "mail").exists()


def test_a_reused_key_with_another_text_is_a_conflict(appeals_app: Any) -> None:
    assert appeals_app.client.post("/", json={**BILL, "idempotency_key": "k"}).status_code == 201
    other = appeals_app.client.post("/", json={**BILL, "text": "Совсем другой вопрос о пени", "idempotency_key": "k"})
    assert_error(other, 409, "idempotency_key_reused")


def test_methods_and_paths(appeals_app: Any) -> None:
    assert_error(appeals_app.client.get("/"), 405, "method_not_allowed")
    assert_error(appeals_app.client.post("/categories"), 405, "method_not_allowed")
    assert_error(appeals_app.client.get("/status?number=1&secret=2"), 405, "method_not_allowed")
    assert_error(appeals_app.client.post("/elsewhere", json={}), 404, "appeals_not_found")


def test_creates_are_limited_per_client_and_per_contact(appeals_app: Any) -> None:
    for n in range(5):
        body = {**BILL, "text": f"Обращение номер {n} о перерасчёте"}
        assert appeals_app.client.post("/", json=body).status_code == 201
    sixth = appeals_app.client.post("/", json={**BILL, "text": "Шестое обращение о перерасчёте"})
    assert_error(sixth, 429, "appeal_contact_limited")
    assert sixth.headers["Retry-After"].isdigit()
    for n in range(4):
        body = {**BILL, "text": f"Другой человек, обращение {n}", "contact": {"email": f"p{n}@example.ru"}}
        assert appeals_app.client.post("/", json=body).status_code == 201
    eleventh = appeals_app.client.post("/", json={**BILL, "contact": {"email": "new@example.ru"}})
    assert_error(eleventh, 429, "appeal_client_limited")


def test_guessing_secrets_runs_out_of_budget(appeals_app: Any) -> None:
    appeal = appeals_app.client.post("/", json=BILL).get_json()
    for _ in range(5):
        assert (
            appeals_app.client.post("/status", json={"number": appeal["number"], "secret": "B" * 22}).status_code == 404
        )
    right = {"number": appeal["number"], "secret": appeal["secret"]}
    # Each miss costs 10 of the hour's 60; a hit is charged 10 and given back 9.
    assert appeals_app.client.post("/status", json=right).status_code == 200  # 60 of 60, then 51
    assert_error(appeals_app.client.post("/status", json={**right, "secret": "C" * 22}), 429, "appeal_lookups_limited")


def test_the_local_run_serves_it_at_api_appeals(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`spravka serve`'s WSGI app: the form's categories and a registration under /api/appeals."""
    from werkzeug.test import Client

    from spravka.appeals.store import get_appeal_store
    from spravka.config import get_settings
    from spravka_tools.serve import make_app

    monkeypatch.setenv("READINGS_STORE", f"sqlite:///{tmp_path / 'spravka.sqlite3'}")
    get_settings.cache_clear()
    get_appeal_store.cache_clear()
    client = Client(make_app(tmp_path / "site"))
    categories = client.get("/api/appeals/categories")
    assert categories.status_code == 200 and categories.json["categories"][0]["id"] == "billing"  # type: ignore[index]
    created = client.post("/api/appeals", json=BILL)
    assert created.status_code == 201
    lookup = {"number": created.json["number"], "secret": created.json["secret"]}  # type: ignore[index]
    assert client.post("/api/appeals/status", json=lookup).status_code == 200
    get_appeal_store().close()
    get_appeal_store.cache_clear()
