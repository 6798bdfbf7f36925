"""`spravka bots set-webhook` registers both webhooks, with Telegram's secret token, at the stand-ins."""

from __future__ import annotations

import pytest

from spravka_tools.cli import main
from tests.bots.conftest import TELEGRAM_SECRET, TELEGRAM_TOKEN, VIBER_TOKEN, StandIn

BASE = "https://europe-west1-spravka.cloudfunctions.net"


def test_set_webhook(monkeypatch: pytest.MonkeyPatch, telegram_api: StandIn, viber_api: StandIn) -> None:
    for name, value in {
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_SECRET": TELEGRAM_SECRET,
        "VIBER_TOKEN": VIBER_TOKEN,
        "TELEGRAM_API_BASE": telegram_api.base,
        "VIBER_API_BASE": viber_api.base,
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["bots", "set-webhook", "--url", BASE + "/"]) == 0
    (telegram,) = telegram_api.calls
    assert telegram.path == f"/bot{TELEGRAM_TOKEN}/setWebhook"
    assert telegram.body == {
        "url": f"{BASE}/telegram",
        "secret_token": TELEGRAM_SECRET,
        "allowed_updates": ["message", "callback_query"],
    }
    (viber,) = viber_api.calls
    assert viber.path == "/pa/set_webhook" and viber.headers["X-Viber-Auth-Token"] == VIBER_TOKEN
    assert viber.body["url"] == f"{BASE}/viber"


def test_dry_run_hides_the_secrets(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TELEGRAM_TOKEN", TELEGRAM_TOKEN)
    monkeypatch.setenv("TELEGRAM_SECRET", TELEGRAM_SECRET)
    assert main(["bots", "set-webhook", "--url", BASE, "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "setWebhook" in printed and TELEGRAM_TOKEN not in printed and TELEGRAM_SECRET not in printed


def test_nothing_configured_is_an_error() -> None:
    assert main(["bots", "set-webhook", "--url", BASE]) == 1
