"""The `readings` function through functions-framework, on both stores: contract §3 and every error path."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest

from spravka.config import get_settings

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def assert_error(response: Any, status: int, code: str, *words: str) -> None:
    """The contract's error body, with a Russian message naming the field."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json and set(response.get_json()) == {"error"}
    error = response.get_json()["error"]
    assert set(error) == {"code", "message"} and error["code"] == code
    assert CYRILLIC.search(error["message"]), error["message"]
    for word in words:
        assert word in error["message"], error["message"]


def test_meters_are_listed_with_their_previous_values(readings_app: Any) -> None:
    response = readings_app.client.post("/meters", json={"account": "0000 0000 0006"})
    assert response.status_code == 200
    assert response.get_json() == {
        "account": "********0006",
        "meters": [
            {
                "id": "cw1",
                "resource": "cold_water",
                "unit": "m3",
                "zones": ["t1"],
                "serial_tail": "3002",
                "last_date": "2026-10-20",
                "last_values": {"t1": 234.567},
            },
            {
                "id": "hw1",
                "resource": "hot_water",
                "unit": "m3",
                "zones": ["t1"],
                "serial_tail": "3001",
                "last_date": "2026-10-20",
                "last_values": {"t1": 123.456},
            },
        ],
    }


def test_post_answers_with_the_consumption(readings_app: Any) -> None:
    body = {"account": "000000000002", "values": {"t1": 5120, "t2": "2045,5"}, "idempotency_key": "a1"}
    response = readings_app.client.post("/", json=body)
    assert response.status_code == 201
    receipt = response.get_json()
    assert {key: receipt[key] for key in ("meter", "consumption", "unit", "since")} == {
        "meter": "m2",
        "consumption": {"t1": 120, "t2": 45.5},
        "unit": "kWh",
        "since": "2026-10-20",
    }
    assert re.fullmatch(r"\d{4}-\d{2}", receipt["period"]) and receipt["reading_id"]
    again = readings_app.client.post("/", json=body)
    assert again.status_code == 200 and again.get_json() == receipt
    assert len(readings_app.store.history("000000000002", "m2")) == 2


def test_the_same_values_again_or_a_lower_one_through_http(readings_app: Any) -> None:
    """A fresh key with the values already accepted: 200, that receipt, marked. Lower than the latest: 409."""
    first = readings_app.client.post(
        "/", json={"account": "000000000001", "values": {"t1": 1100}, "idempotency_key": "a"}
    )
    assert first.status_code == 201
    again = readings_app.client.post(
        "/", json={"account": "000000000001", "values": {"t1": 1100}, "idempotency_key": "b"}
    )
    assert again.status_code == 200
    marked = again.get_json()
    assert marked["duplicate"] is True and marked["reading_id"] == first.get_json()["reading_id"]
    assert marked["note"].startswith("Эти показания уже приняты") and marked["consumption"] == {"t1": 100}
    assert readings_app.client.post("/", json={"account": "000000000001", "values": {"t1": 1200}}).status_code == 201
    lower = readings_app.client.post("/", json={"account": "000000000001", "values": {"t1": 1100}})
    assert_error(lower, 409, "below_previous", "1\u202f200", "не принято")
    assert len(readings_app.store.history("000000000001", "m1")) == 3


def test_rollover_is_accepted_and_flagged(readings_app: Any, clock: Any) -> None:
    # Inside the submission window (15th–25th): outside it the receipt would carry outside_window too.
    clock.set("2026-11-20T12:00:00+03:00")
    response = readings_app.client.post("/", json={"account": "000000000005", "values": {"t1": 30}})
    assert response.status_code == 201
    receipt = response.get_json()
    assert receipt["consumption"] == {"t1": 80}
    assert [flag["code"] for flag in receipt["flags"]] == ["rollover"]


@pytest.mark.parametrize(
    "moment, timing, period",
    [
        # Before the default window (15th–25th) opens: this month's period, early.
        ("2026-11-03T10:00:00+03:00", "early", "2026-11"),
        # After it closes: next month's period, late — and across the year's end.
        ("2026-12-31T23:30:00+03:00", "late", "2027-01"),
        # 14 Nov 21:30 UTC is already the 15th in Moscow: inside the window, no flag.
        ("2026-11-14T21:30:00+00:00", None, "2026-11"),
    ],
)
def test_outside_the_window_is_accepted_and_flagged(
    readings_app: Any, clock: Any, moment: str, timing: str | None, period: str
) -> None:
    clock.set(moment)
    response = readings_app.client.post("/", json={"account": "000000000001", "values": {"t1": 1100}})
    assert response.status_code == 201
    receipt = response.get_json()
    assert receipt["period"] == period
    if timing is None:
        assert receipt["flags"] == []
        return
    (flag,) = receipt["flags"]
    assert flag["code"] == "outside_window" and flag["timing"] == timing and "срока приёма" in flag["message"]


def test_logs_show_masked_accounts_and_no_values(readings_app: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    readings_app.client.post("/", json={"account": "000000000003", "values": {"t1": 12345, "t2": 8123, "t3": 3456}})
    readings_app.client.post("/", json={"account": "000000000003", "values": {"t1": 11111, "t2": 8123, "t3": 3456}})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "********0003" in logged and "000000000003" not in logged
    for value in ("12345", "8123", "3456", "11111"):
        assert value not in logged


POST_ERRORS = [
    ({"account": "12345", "values": {"t1": 1}}, 400, "account_invalid", "12 цифр"),
    ({"values": {"t1": 1}}, 400, "account_invalid", "лицевого счёта"),
    ({"account": "000000000001"}, 400, "values_invalid", "Показания не переданы"),
    ({"account": "000000000001", "values": {"t1": -5}}, 400, "value_invalid", "неотрицательным"),
    ({"account": "000000000001", "values": {"t1": "много"}}, 400, "value_invalid", "Показание должно"),
    ({"account": "000000000001", "values": {"t1": 1.00001}}, 400, "value_invalid", "3 знаков"),
    ({"account": "000000000001", "values": {"t1": 1100, "t4": 1}}, 400, "zone_unknown", "t4"),
    ({"account": "000000000002", "values": {"t1": 5100, "t2": 2100, "t3": 1}}, 400, "zone_unknown", "«полупик»"),
    ({"account": "000000000002", "values": {"t1": 5100}}, 400, "zone_missing", "«ночь»"),
    ({"account": "000000000001", "values": {"t1": 1000000}}, 400, "value_too_large", "6 цифр"),
    ({"account": "000000000006", "values": {"t1": 300}}, 400, "meter_required", "несколько счётчиков"),
    ({"account": "000000000001", "meter": "m 1", "values": {"t1": 1100}}, 400, "meter_invalid", "Счётчик указан"),
    (
        {"account": "000000000001", "values": {"t1": 1100}, "idempotency_key": 7},
        400,
        "idempotency_key_invalid",
        "idempotency_key",
    ),
    ({"account": "000000000001", "values": {"t1": 1100}, "source": "import"}, 400, "source_invalid", "source"),
    ({"account": "000000000077", "values": {"t1": 1}}, 404, "account_unknown", "Лицевой счёт не найден"),
    ({"account": "000000000001", "meter": "m9", "values": {"t1": 1}}, 404, "meter_unknown", "Счётчик не найден"),
    ({"account": "000000000001", "values": {"t1": 999}}, 409, "below_previous", "меньше последнего"),
]


# Only a client other than the widget can cause these: they name the JSON field for its developer.
FOR_DEVELOPERS = {"zone_unknown", "idempotency_key_invalid", "idempotency_key_reused", "source_invalid"}
LATIN = re.compile("[A-Za-z]")


@pytest.mark.parametrize("body, status, code, word", POST_ERRORS, ids=[case[2] for case in POST_ERRORS])
def test_post_errors(readings_app: Any, body: dict[str, Any], status: int, code: str, word: str) -> None:
    response = readings_app.client.post("/", json=body)
    assert_error(response, status, code, word)
    message = response.get_json()["error"]["message"]
    if code not in FOR_DEVELOPERS:  # no t1/t2, no account/meter/values: zones and fields in Russian
        assert not LATIN.search(message), message


ZONE_MESSAGES = [
    # 2 zones: день and ночь
    ({"account": "000000000002", "values": {"t1": 5100}}, "zone_missing", ["«ночь»", "«день» и «ночь»"]),
    ({"account": "000000000002", "values": {"t1": 5100, "t2": 1999}}, "below_previous", ["зоны «ночь»", "2\u202f000"]),
    ({"account": "000000000002", "values": {"t1": -1, "t2": 2100}}, "value_invalid", ["зоны «день»"]),
    ({"account": "000000000002", "values": {"t1": 5100, "t2": 1e7}}, "value_too_large", ["зоны «ночь»"]),
    # 3 zones: пик, ночь and полупик
    (
        {"account": "000000000003", "values": {"t1": 1, "t2": 1, "t3": 1.23456}},
        "value_invalid",
        ["зоны «полупик»", "3 знаков"],
    ),
    (
        {"account": "000000000003", "values": {"t1": 1, "t2": 1}},
        "zone_missing",
        ["«полупик»", "«пик», «ночь» и «полупик»"],
    ),
]


@pytest.mark.parametrize(
    "body, code, words", ZONE_MESSAGES, ids=[f"{c[1]}-{len(c[0]['values'])}" for c in ZONE_MESSAGES]
)
def test_zones_are_named_as_customers_know_them(
    readings_app: Any, body: dict[str, Any], code: str, words: list[str]
) -> None:
    response = readings_app.client.post("/", json=body)
    assert response.get_json()["error"]["code"] == code
    message = response.get_json()["error"]["message"]
    for word in words:
        assert word in message, message
    assert not LATIN.search(message), message


def test_a_key_reused_for_other_values(readings_app: Any) -> None:
    body = {"account": "000000000001", "values": {"t1": 1100}, "idempotency_key": "k"}
    assert readings_app.client.post("/", json=body).status_code == 201
    body["values"] = {"t1": 1200}
    assert_error(readings_app.client.post("/", json=body), 409, "idempotency_key_reused", "idempotency_key")


@pytest.mark.parametrize(
    "query, status, code",
    [
        ({"account": "0001"}, 400, "account_invalid"),
        ({}, 400, "account_invalid"),
        ({"account": "000000000077"}, 404, "account_unknown"),
    ],
)
def test_meters_errors(readings_app: Any, query: dict[str, str], status: int, code: str) -> None:
    response = readings_app.client.post("/meters", json=query)
    assert_error(response, status, code, "Лицевой счёт" if status == 404 else "лицевого счёта")
    assert not LATIN.search(response.get_json()["error"]["message"])


def test_the_meter_list_by_get_is_gone(readings_app: Any) -> None:
    """Contract §3: an account number never travels in a URL; the old GET answers 410 naming the new request."""
    assert_error(
        readings_app.client.get("/", query_string={"account": "000000000001"}),
        410,
        "meters_moved",
        "POST /readings/meters",
    )
    assert_error(readings_app.client.get("/meters"), 405, "method_not_allowed")
    assert_error(readings_app.client.post("/other", json={}), 404, "readings_not_found")


def test_body_that_is_not_json(readings_app: Any) -> None:
    response = readings_app.client.post("/", data="account=1", content_type="application/json")
    assert_error(response, 400, "invalid_json", "JSON")


def test_body_too_large_or_not_json(readings_app: Any) -> None:
    big = {"account": "000000000001", "values": {"t1": 1100}, "pad": "x" * 20000}
    assert_error(readings_app.client.post("/", json=big), 413, "payload_too_large", "Слишком большой")
    response = readings_app.client.post("/", data="<p>", content_type="text/html")
    assert_error(response, 415, "unsupported_media_type", "JSON")


def test_other_methods(readings_app: Any) -> None:
    assert_error(readings_app.client.put("/", json={}), 405, "method_not_allowed")


def test_too_many_attempts(readings_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "3")
    get_settings.cache_clear()
    for value in (1100, 1200, 1300):
        assert (
            readings_app.client.post("/", json={"account": "000000000001", "values": {"t1": value}}).status_code == 201
        )
    response = readings_app.client.post("/meters", json={"account": "000000000001"})
    assert_error(response, 429, "too_many_attempts", "попыток")
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert readings_app.client.post("/meters", json={"account": "000000000002"}).status_code == 200


def test_store_unavailable(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """An SQLite file that cannot be opened: 503 with the contract body (Firestore: test_store_faults)."""
    import functions_framework

    from spravka.store import get_store
    from tests.firestore_emulator import MAIN

    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("READINGS_STORE", f"sqlite:///{tmp_path / 'a-file' / 'readings.sqlite3'}")
    get_store.cache_clear()
    client = functions_framework.create_app("readings", str(MAIN)).test_client()
    response = client.post("/", json={"account": "000000000001", "values": {"t1": 1100}})
    get_store.cache_clear()
    assert_error(response, 503, "store_unavailable", "ничего не сохранено")
    assert response.headers["Retry-After"]


@pytest.mark.parametrize("prefix", ["", "/api/readings"])
def test_routes_with_and_without_the_hosting_prefix(readings_app: Any, prefix: str) -> None:
    # Firebase Hosting's rewrite of /api/readings/** passes the original path to the function.
    response = readings_app.client.post(prefix + "/meters", json={"account": "000000000001"})
    assert response.status_code == 200
    assert response.get_json()["account"] == "********0001"
    assert_error(readings_app.client.get(prefix + "/", query_string={"account": "000000000001"}), 410, "meters_moved")
    assert_error(readings_app.client.post(prefix + "/other", json={}), 404, "readings_not_found")
    assert_error(readings_app.client.post("/api/readingsx/meters", json={}), 404, "readings_not_found")
