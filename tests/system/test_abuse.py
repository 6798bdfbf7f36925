"""Abuse: per-client and per-account limits that hold across instances, bounded account enumeration,
size caps, CORS, security headers, admin credentials, and nothing secret in error bodies or logs."""

from __future__ import annotations

import datetime
import logging
import re
from pathlib import Path
from typing import Any

import flask
import pytest
from werkzeug.test import Client

from spravka.callers import client_address
from spravka.config import Settings, SettingsError, get_settings
from spravka.readings import list_meters
from tests.firestore_emulator import load_accounts
from tests.readings.test_readings_http import assert_error
from tests.tally import tally

ADMIN_TOKEN = "a" * 16 + "-" + "Z" * 23
ACCOUNT_DIGITS = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")


def refused(response: Any, code: str) -> None:
    """A 429 with the contract body and a sensible Retry-After; tallied."""
    assert_error(response, 429, code)
    assert 1 <= int(response.headers["Retry-After"]) <= 3600
    tally("rate limits: requests refused (429)")


# Who the client is


@pytest.mark.parametrize(
    ("forwarded", "hops", "peer", "expected"),
    [
        (None, 1, "198.51.100.9", "198.51.100.9"),  # no proxy header: the socket's peer
        ("203.0.113.7", 1, "10.0.0.1", "203.0.113.7"),  # Cloud Run: the client it saw
        ("6.6.6.6, 203.0.113.7", 1, "10.0.0.1", "203.0.113.7"),  # a spoofed entry on the left is ignored
        ("6.6.6.6, 203.0.113.7, 35.191.0.1", 2, "10.0.0.1", "203.0.113.7"),  # behind a load balancer too
        ("6.6.6.6", 0, "198.51.100.9", "198.51.100.9"),  # no trusted proxy: the header is ignored
        ("2001:db8:1:2:aaaa::1", 1, "10.0.0.1", "2001:db8:1:2::/64"),  # IPv6: the subscriber's /64
        ("::ffff:203.0.113.7", 1, "10.0.0.1", "203.0.113.7"),
        ("not-an-address", 1, "10.0.0.1", "unknown"),
    ],
)
def test_client_address(forwarded: str | None, hops: int, peer: str, expected: str) -> None:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    with flask.Flask(__name__).test_request_context("/", headers=headers, environ_base={"REMOTE_ADDR": peer}):
        assert client_address(flask.request, trusted_hops=hops) == expected


# Rate limits


def test_enumeration_runs_out_of_budget_and_then_tells_nothing(
    readings_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unknown accounts cost 10 of a client's hourly budget; once spent, known and unknown accounts get the same 429."""
    monkeypatch.setenv("CLIENT_LIMIT_PER_HOUR", "30")
    monkeypatch.setenv("TRUSTED_PROXY_HOPS", "1")  # as behind Cloud Run: the right-most entry is the client
    get_settings.cache_clear()
    prober = {"X-Forwarded-For": "6.6.6.6, 203.0.113.7"}
    for number in range(3):  # budget 30: each lookup is charged 10 as it is checked, so 10 + 10 + 10 fit
        unknown = {"account": f"9999999999{number:02d}"}
        assert_error(readings_app.client.post("/meters", json=unknown, headers=prober), 404, "account_unknown")
    for account in ("000000000001", "999999999990"):
        for spoof in ("1.1.1.1", "8.8.8.8"):  # changing the spoofable part of the header does not help
            headers = {"X-Forwarded-For": f"{spoof}, 203.0.113.7"}
            refused(
                readings_app.client.post("/meters", json={"account": account}, headers=headers), "client_rate_limited"
            )
    refused(
        readings_app.client.post("/", json={"account": "000000000001", "values": {"t1": 1100}}, headers=prober),
        "client_rate_limited",
    )
    other = {"X-Forwarded-For": "203.0.113.8"}
    assert readings_app.client.post("/meters", json={"account": "000000000001"}, headers=other).status_code == 200
    assert len(readings_app.store.history("000000000001", "m1")) == 1  # the refused submission wrote nothing


def test_an_honest_client_is_not_limited_by_others_or_by_its_own_use(
    readings_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRUSTED_PROXY_HOPS", "1")
    get_settings.cache_clear()
    headers = {"X-Forwarded-For": "203.0.113.9"}
    for value in (1100, 1200, 1300):
        body = {"account": "000000000001", "values": {"t1": value}}
        assert readings_app.client.post("/meters", json={"account": "000000000001"}, headers=headers).status_code == 200
        assert readings_app.client.post("/", json=body, headers=headers).status_code == 201
        assert readings_app.client.post("/", json=body, headers=headers).status_code == 200


def test_forged_forwarded_for_is_limited_like_any_client(readings_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """By default (TRUSTED_PROXY_HOPS=0) the socket's peer is the client: a fresh X-Forwarded-For each time buys nothing."""
    monkeypatch.delenv("TRUSTED_PROXY_HOPS", raising=False)
    monkeypatch.setenv("CLIENT_LIMIT_PER_HOUR", "30")
    get_settings.cache_clear()
    assert get_settings().trusted_proxy_hops == 0
    answered = 0
    for guess in range(20):
        forged = {"X-Forwarded-For": f"198.18.{guess}.1"}
        response = readings_app.client.post("/meters", json={"account": f"9999999999{guess:02d}"}, headers=forged)
        if response.status_code == 404:
            answered += 1
        else:
            refused(response, "client_rate_limited")
    assert answered == 3  # the budget (30) over the cost of an unknown account (10)


def test_limits_hold_across_instances(store: Any, make_store: Any) -> None:
    """Two instances (two store clients over the same data) share the counters."""
    load_accounts(store)
    settings = Settings.from_env({"RATE_LIMIT_PER_MINUTE": "4", "CLIENT_LIMIT_PER_HOUR": "1000"})
    instances = [store, make_store()]
    now = datetime.datetime(2026, 11, 20, 9, 0, 10, tzinfo=datetime.UTC)
    for attempt in range(4):
        list_meters(
            instances[attempt % 2], {"account": "000000000002"}, settings=settings, client="203.0.113.1", now=now
        )
    from spravka.errors import TooManyRequests

    for instance in instances:
        with pytest.raises(TooManyRequests) as caught:
            list_meters(instance, {"account": "000000000002"}, settings=settings, client="203.0.113.2", now=now)
        assert caught.value.code == "too_many_attempts" and caught.value.headers["Retry-After"] == "50"
        tally("rate limits: requests refused (429)")
    later = now + datetime.timedelta(minutes=1)
    assert list_meters(instances[1], {"account": "000000000002"}, settings=settings, client="203.0.113.2", now=later)


def test_account_limit_through_http(readings_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "2")
    get_settings.cache_clear()
    for _ in range(2):
        assert readings_app.client.post("/meters", json={"account": "000000000003"}).status_code == 200
    for _ in range(3):
        refused(
            readings_app.client.post("/", json={"account": "000000000003", "values": {"t1": 1, "t2": 1, "t3": 1}}),
            "too_many_attempts",
        )
    assert len(readings_app.store.history("000000000003", "m3")) == 1


# Size and field caps


@pytest.mark.parametrize(
    ("request_args", "status", "code"),
    [
        ({"method": "GET", "query_string": "account=" + "1" * 5000}, 413, "payload_too_large"),
        (
            {"method": "POST", "data": "[" * 10000 + "]" * 10000, "content_type": "application/json"},
            413,
            "payload_too_large",
        ),
        ({"method": "POST", "data": "[" * 8000 + "]" * 8000, "content_type": "application/json"}, 400, "invalid_json"),
        ({"method": "POST", "json": {"account": "1" * 41, "values": {"t1": 1}}}, 400, "account_invalid"),
        ({"method": "POST", "json": {"account": "000000000001", "values": {"t1": "1" * 41}}}, 400, "value_invalid"),
        ({"method": "POST", "json": {"account": "000000000001", "values": {"t1": 10**400}}}, 400, "value_too_large"),
        (
            {"method": "POST", "json": {"account": "000000000001", "meter": "m" * 41, "values": {"t1": 1}}},
            400,
            "meter_invalid",
        ),
        (
            {"method": "POST", "json": {"account": "000000000001", "values": {"t1": 1}, "idempotency_key": "k" * 129}},
            400,
            "idempotency_key_invalid",
        ),
        ({"method": "POST", "json": {"account": "000000000001", "values": {"t" * 5000: 1}}}, 400, "zone_unknown"),
    ],
)
def test_sizes_and_fields_are_capped(request_args: dict[str, Any], status: int, code: str, readings_app: Any) -> None:
    response = readings_app.client.open("/", **request_args)
    assert_error(response, status, code)
    assert len(response.get_data()) < 400


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"q": "в" * 1001}, "question_too_long"),
        ({"q": "вопрос", "session": "s" * 129}, "session_invalid"),
        ({"q": "вопрос", "visitor": "v" * 65}, "visitor_invalid"),
        ({"q": "вопрос", "visitor": "кириллица1"}, "visitor_invalid"),
        ({"q": "вопрос", "visitor": "short"}, "visitor_invalid"),
        ({"q": "вопрос", "visitor": 12345678}, "visitor_invalid"),
        ({"q": "вопрос", "visitor": ""}, "visitor_invalid"),
    ],
)
def test_ask_fields_are_capped(body: dict[str, Any], code: str, make_client: Any) -> None:
    assert_error(make_client("ask").post("/", json=body), 400, code)


# CORS


def test_cors_wildcard_only_for_local_development() -> None:
    with pytest.raises(SettingsError, match="SPRAVKA_LOCAL_DEV"):
        Settings.from_env({"ALLOWED_ORIGINS": "*"})
    with pytest.raises(SettingsError, match="ALLOWED_ORIGINS"):
        Settings.from_env({"ALLOWED_ORIGINS": "https://ok.example, evil.example/path"})
    assert Settings.from_env({"ALLOWED_ORIGINS": "*", "SPRAVKA_LOCAL_DEV": "1"}).allowed_origins == ("*",)
    assert Settings.from_env({"ALLOWED_ORIGINS": "https://help.example.ru/"}).allowed_origins == (
        "https://help.example.ru",
    )
    with pytest.raises(SettingsError, match="ADMIN_TOKEN"):
        Settings.from_env({"ADMIN_TOKEN": "short"})
    with pytest.raises(SettingsError, match="TRUSTED_PROXY_HOPS"):
        Settings.from_env({"TRUSTED_PROXY_HOPS": "-1"})


def test_an_origin_not_listed_gets_no_cors(make_client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://help.example.ru")
    response = make_client("ask").post("/", json={"q": "тариф"}, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


# Security headers on every response, the static site of `spravka serve` included

FUNCTION_HEADERS = (
    "X-Content-Type-Options",
    "Content-Security-Policy",
    "X-Frame-Options",
    "Cache-Control",
    "Strict-Transport-Security",
)


def test_security_headers_on_every_function_response(
    make_client: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("READINGS_STORE", f"sqlite:///{tmp_path / 'a-file' / 'x.sqlite3'}")
    (tmp_path / "a-file").write_text("")  # the store cannot open: 503
    from spravka.store import get_store

    get_store.cache_clear()
    ask, readings, admin = make_client("ask"), make_client("readings"), make_client("admin")
    responses = [
        ask.get("/", query_string={"q": "тариф"}),
        ask.post("/", json={}),
        ask.put("/"),
        ask.options("/"),
        ask.post("/", data="x" * 20000),
        readings.post("/meters", json={"account": "1"}),
        readings.post("/meters", json={"account": "000000000001"}),
        admin.get("/export"),
    ]
    get_store.cache_clear()
    assert sorted({r.status_code for r in responses}) == [200, 204, 400, 403, 405, 413, 503]
    for response in responses:
        for header in FUNCTION_HEADERS:
            assert header in response.headers, (response.status_code, header)
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_security_headers_on_the_static_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from spravka_tools.serve import SITE_HEADERS, make_app

    monkeypatch.setenv("READINGS_STORE", f"sqlite:///{tmp_path / 'readings.sqlite3'}")
    site = tmp_path / "site"
    (site / "page").mkdir(parents=True)
    (site / "index.html").write_text("<p>справка</p>", encoding="utf-8")
    (site / "404.html").write_text("<p>нет</p>", encoding="utf-8")
    client = Client(make_app(site))
    responses = [
        client.get("/"),
        client.get("/missing"),
        client.get("/page"),
        client.post("/"),
        client.get("/api/ask", query_string={"q": "тариф"}),
    ]
    assert [r.status_code for r in responses] == [200, 404, 301, 405, 200]
    for response in responses:
        for header in SITE_HEADERS:
            assert header in response.headers, (response.status_code, header)
    assert responses[-1].headers["Content-Security-Policy"].startswith("default-src 'none'")  # the function's own


# Admin surfaces


@pytest.fixture
def admin(make_client: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The admin function with a token configured; a test that exports asks for readings_app first (its store)."""
    monkeypatch.setenv("ADMIN_TOKEN", ADMIN_TOKEN)
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://help.example.ru")
    get_settings.cache_clear()
    return make_client("admin")


def test_admin_is_closed_without_a_configured_token(make_client: Any) -> None:
    client = make_client("admin")
    for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": f"Bearer {ADMIN_TOKEN}"}):
        assert_error(client.get("/export", query_string={"period": "2026-11"}, headers=headers), 403, "admin_disabled")


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        f"Basic {ADMIN_TOKEN}",
        f"Bearer {ADMIN_TOKEN[:-1]}",
        f"Bearer {ADMIN_TOKEN}x",
        f"Bearer {ADMIN_TOKEN.upper()}",
    ],
)
def test_admin_refuses_a_missing_or_wrong_token(admin: Any, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = admin.get("/export", query_string={"period": "2026-11"}, headers=headers)
    assert_error(response, 401, "admin_unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_admin_export_with_the_token(readings_app: Any, admin: Any) -> None:
    assert readings_app.client.post("/", json={"account": "000000000001", "values": {"t1": 1100}}).status_code == 201
    period = readings_app.store.history("000000000001", "m1")[-1].period
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}", "Origin": "https://help.example.ru"}
    response = admin.get("/export", query_string={"period": period}, headers=headers)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("account,meter,") and lines[1].startswith("000000000001,m1,")
    assert "Access-Control-Allow-Origin" not in response.headers  # no browser page may read it
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert_error(admin.get("/export", query_string={"period": "2026-13"}, headers=headers), 400, "period_invalid")
    assert_error(admin.get("/report", headers=headers), 404, "admin_not_found")
    assert_error(admin.post("/export", headers=headers), 405, "method_not_allowed")


# Nothing secret in error bodies or logs

SECRET_ACCOUNT = "987654321012"


def test_no_trace_query_text_or_account_in_error_bodies_and_logs(
    readings_app: Any, make_client: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Every path, successful or not: bodies carry no account number, question text or traceback; logs mask accounts."""
    caplog.set_level(logging.DEBUG)
    ask = make_client("ask")
    client = readings_app.client
    known = "000000000002"
    bodies = [
        ask.post("/", json={"q": "секретный вопрос " + "щ" * 1000}),
        ask.post("/", json={"q": 12}),
        ask.get("/", query_string={"q": "тариф " + SECRET_ACCOUNT}),
        client.post("/meters", json={"account": SECRET_ACCOUNT}),
        client.post("/meters", json={"account": SECRET_ACCOUNT + "1"}),
        client.post("/", json={"account": SECRET_ACCOUNT, "values": {"t1": 1}}),
        client.post("/", json={"account": SECRET_ACCOUNT, "meter": "m1", "values": {"t1": 1}}),
        client.post("/meters", json={"account": known}),
        client.post("/", json={"account": known, "values": {"t1": 5100, "t2": 2100}}),
        client.post("/", json={"account": known, "values": {"t1": 4000, "t2": 2100}}),  # 409
        client.post("/", json={"account": known, "values": {"t1": 5100}}),  # zone missing
        client.post("/", json={"account": known, "meter": "nope", "values": {"t1": 1}}),
    ]
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "1")
    get_settings.cache_clear()
    bodies.append(client.post("/meters", json={"account": known}))  # 429
    monkeypatch.setenv("ADMIN_TOKEN", ADMIN_TOKEN)
    get_settings.cache_clear()
    bodies.append(make_client("admin").get("/export", headers={"Authorization": "Bearer " + SECRET_ACCOUNT * 3}))

    def broken(store: Any, payload: Any, **kwargs: Any) -> Any:  # a bug that puts the account into an exception
        raise RuntimeError(f"bug while reading {payload['account']}")

    monkeypatch.setattr("spravka.readings.service.list_meters", broken)
    bodies.append(client.post("/meters", json={"account": SECRET_ACCOUNT}))  # 500
    statuses = sorted({response.status_code for response in bodies})
    assert statuses == [200, 201, 400, 401, 404, 409, 429, 500], statuses
    for response in bodies:
        text = response.get_data(as_text=True)
        if response.status_code >= 400:
            assert not ACCOUNT_DIGITS.search(text) and SECRET_ACCOUNT not in text, text
            assert "секретный" not in text and "тариф" not in text and "Traceback" not in text and "File " not in text
    ours = [record for record in caplog.records if record.name.startswith("spravka")]
    logged = "\n".join(f"{record.getMessage()} {record.exc_text or ''}" for record in ours)
    assert "bug while reading ********1012" in logged  # the bug is logged with its traceback, the account masked
    assert not ACCOUNT_DIGITS.search(logged), ACCOUNT_DIGITS.search(logged)
    assert "********0002" in logged  # accounts appear masked


@pytest.mark.parametrize(
    "body",
    [
        {"visitor": "abcdefgh\n", "events": [{"type": "visit"}]},  # "$" lets "\n" through
        {
            "visitor": "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14",
            "events": [{"type": "click", "article": "a", "url": "http://["}],
        },  # was a 500
        {
            "visitor": "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14",
            "events": [{"type": "click", "article": "a", "url": " http://x.ru/"}],
        },
        {
            "visitor": "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14",
            "events": [{"type": "click", "article": "a\n", "url": "http://x.ru/"}],
        },
        {
            "visitor": "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14",
            "events": [{"type": "helpful", "article": "a", "value": True, "question_id": "q\n"}],
        },
    ],
)
def test_events_fields_are_checked_whole(body: dict[str, Any], make_client: Any) -> None:
    response = make_client("events").post("/", json=body)
    assert response.status_code == 400 and response.get_json()["error"]["code"] in ("visitor_invalid", "event_invalid")
