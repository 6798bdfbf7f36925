"""`ask` through functions-framework: the contract's fields, errors and CORS."""

from __future__ import annotations

import pytest

CONTRACT_FIELDS = {"kind", "text", "article", "suggestions", "action", "score"}


@pytest.fixture
def client(make_client):
    return make_client("ask")


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    message = body["error"]["message"]
    assert message and any("а" <= ch <= "я" for ch in message.lower())  # Russian, for people


def test_post_answers_with_the_contract_fields(client) -> None:
    response = client.post("/", json={"q": "как оплатить без комиссии", "session": "abc"})
    assert response.status_code == 200
    body = response.get_json()
    # The contract's fields, plus the id of the logged question (the editors' loop; may be null).
    assert set(body) == CONTRACT_FIELDS | {"question_id"}
    assert body["kind"] == "answer"
    assert body["article"]["id"] == "payment-no-commission"
    assert body["article"]["url"] == "/payment/payment-no-commission/"
    assert 0 <= body["score"] <= 100
    assert "{{" not in body["text"]


def test_get_answers_the_same_as_post(client) -> None:
    question = "где найти номер лицевого счета"
    by_get = client.get("/", query_string={"q": question}).get_json()
    by_post = client.post("/", json={"q": question}).get_json()
    # Each question logged is a new record with its own id; everything else is the same.
    assert by_get.pop("question_id") != by_post.pop("question_id")
    assert by_get == by_post


def test_answer_text_carries_facts_from_the_facts_file(client) -> None:
    body = client.post("/", json={"q": "телефон горячей линии"}).get_json()
    assert "8 800 000-00-00" in body["text"]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({}, "question_missing"),
        ({"q": ""}, "question_empty"),
        ({"q": "   "}, "question_empty"),
        ({"q": 42}, "question_not_text"),
        ({"q": ["как", "оплатить"]}, "question_not_text"),
        ({"q": "а" * 1001}, "question_too_long"),
        ({"q": "привет", "session": 5}, "session_invalid"),
    ],
)
def test_bad_questions_get_a_clear_400(client, payload, code) -> None:
    assert_error(client.post("/", json=payload), 400, code)


def test_get_without_q_is_a_400(client) -> None:
    assert_error(client.get("/"), 400, "question_missing")


def test_not_json_is_a_400(client) -> None:
    assert_error(client.post("/", data="q=привет", content_type="application/json"), 400, "invalid_json")
    assert_error(client.post("/", data=b"\xff\xfe", content_type="application/json"), 400, "invalid_json")
    assert_error(client.post("/", data="[1, 2]", content_type="application/json"), 400, "invalid_json")


def test_other_media_types_are_refused(client) -> None:
    assert_error(
        client.post("/", data="q=привет", content_type="application/x-www-form-urlencoded"),
        415,
        "unsupported_media_type",
    )


def test_oversized_body_is_a_413(client) -> None:
    assert_error(
        client.post("/", data='{"q": "' + "а" * 20000 + '"}', content_type="application/json"), 413, "payload_too_large"
    )


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_wrong_method_is_a_405(client, method) -> None:
    response = client.open("/", method=method, json={"q": "привет"})
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "GET, POST, OPTIONS"


def test_responses_carry_security_headers(client) -> None:
    response = client.post("/", json={"q": "привет"})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_for_allowed_origins_only(client, monkeypatch) -> None:
    from spravka.config import get_settings

    monkeypatch.setenv("ALLOWED_ORIGINS", "https://example.ru, https://help.example.ru")
    get_settings.cache_clear()
    allowed = client.options(
        "/", headers={"Origin": "https://help.example.ru", "Access-Control-Request-Method": "POST"}
    )
    assert allowed.status_code == 204
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://help.example.ru"
    assert "POST" in allowed.headers["Access-Control-Allow-Methods"]
    answered = client.post("/", json={"q": "привет"}, headers={"Origin": "https://example.ru"})
    assert answered.headers["Access-Control-Allow-Origin"] == "https://example.ru"
    foreign = client.post("/", json={"q": "привет"}, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in foreign.headers


def test_site_url_prefixes_article_links(client, monkeypatch) -> None:
    from spravka.config import get_settings

    monkeypatch.setenv("SITE_URL", "https://help.example.ru/")
    get_settings.cache_clear()
    body = client.post("/", json={"q": "как оплатить без комиссии"}).get_json()
    assert body["article"]["url"] == "https://help.example.ru/payment/payment-no-commission/"
