"""The Viber bot over HTTP: signed callbacks in, the welcome in the response and send_message calls out."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.bots.conftest import VIBER_TOKEN, Bots, ViberChat


@pytest.fixture(autouse=True)
def in_window(clock: Any) -> None:
    clock.set("2026-12-18T12:00:00+03:00")  # inside the readings window (15–25)


def sent(bots: Bots) -> list[dict[str, Any]]:
    return [call.body for call in bots.viber_api.calls]


def test_webhook_check_and_welcome(bots: Bots) -> None:
    check = {"event": "webhook", "timestamp": 1796800000000, "chat_hostname": "SN-CHAT-05_", "message_token": 1}
    response = bots.vb(check)
    assert response.status_code == 200 and response.get_json() == {}
    response = bots.vb(ViberChat().started())
    body = response.get_json()
    assert body["type"] == "text" and body["sender"]["name"]
    assert [b["Text"] for b in body["keyboard"]["Buttons"]] == [
        "Задать вопрос",
        "Передать показания",
        "Связаться с нами",
    ]
    assert {b["ActionType"] for b in body["keyboard"]["Buttons"]} == {"reply"}
    assert bots.viber_api.calls == []


def test_the_readings_dialog_end_to_end(bots: Bots) -> None:
    chat = ViberChat()
    for text in ("menu:readings", "000000000002", "5120"):
        assert bots.vb(chat.text(text)).status_code == 200
    last = chat.text("2 045,5")
    bots.vb(last)
    calls = bots.viber_api.calls
    assert all(call.path == "/pa/send_message" and call.headers["X-Viber-Auth-Token"] == VIBER_TOKEN for call in calls)
    assert all(call.body["receiver"] == "01234567890A=" for call in calls)
    texts = [body["text"] for body in sent(bots)]
    assert "12 цифр" in texts[0]
    assert "•••• 0002" in texts[1] and "000000000002" not in str(sent(bots))
    receipt = texts[-2]
    assert receipt.startswith("Показания приняты.")  # plain text: no Markdown marks in Viber
    assert "День (Т1): 120 кВт·ч (5\u00a0120 − 5\u00a0000)" in receipt
    assert "Ночь (Т2): 45,5 кВт·ч" in receipt
    offer = sent(bots)[-1]
    assert [b["ActionBody"] for b in offer["keyboard"]["Buttons"]] == ["account:remember", "account:no"]
    assert [b["Columns"] for b in offer["keyboard"]["Buttons"]] == [3, 3]
    assert len(bots.store.history("000000000002", "m2")) == 2

    # Viber resends the callback: one answer and one reading.
    count = len(calls)
    assert bots.vb(last).status_code == 200
    assert len(bots.viber_api.calls) == count
    assert len(bots.store.history("000000000002", "m2")) == 2


def test_an_answer_has_its_article_as_an_open_url_button(bots: Bots) -> None:
    bots.vb(ViberChat().text("как можно оплатить электроэнергию"))
    (message,) = sent(bots)
    urls = [b["ActionBody"] for b in message.get("keyboard", {}).get("Buttons", []) if b["ActionType"] == "open-url"]
    assert urls and urls[0].startswith("https://help.example.ru/")
    assert "**" not in message["text"] and len(message["text"]) <= 7000


def test_contacts_give_the_virtual_reception(bots: Bots) -> None:
    bots.vb(ViberChat().text("menu:contact"))
    (message,) = sent(bots)
    assert "8 800" in message["text"]
    assert "https://help.example.ru/appeals/" in [b["ActionBody"] for b in message["keyboard"]["Buttons"]]


@pytest.mark.parametrize("signature", ["", "0" * 64, "forged"])
def test_without_the_signature_403_and_nothing_stored(bots: Bots, tmp_path: Path, signature: str) -> None:
    chat = ViberChat()
    bots.vb(chat.text("menu:readings"))
    bots.vb(chat.text("000000000001"))
    response = bots.vb(chat.text("1300"), signature=signature)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "webhook_forbidden"
    assert len(bots.store.history("000000000001", "m1")) == 1
    assert len(bots.viber_api.calls) == 2
    with sqlite3.connect(tmp_path / "spravka.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM bot_updates").fetchone()[0] == 2


def test_a_signature_of_another_body_is_refused(bots: Bots) -> None:
    chat = ViberChat()
    real = bots.vb(chat.text("привет"))
    assert real.status_code == 200
    import hashlib
    import hmac
    import json

    other = json.dumps(chat.text("menu:readings")).encode()
    signed_other = hmac.new(VIBER_TOKEN.encode(), other + b" ", hashlib.sha256).hexdigest()
    response = bots.viber.post(
        "/", data=other, headers={"X-Viber-Content-Signature": signed_other}, content_type="application/json"
    )
    assert response.status_code == 403


@pytest.mark.firestore
def test_the_readings_dialog_on_firestore(firestore_bots: Bots) -> None:
    bots = firestore_bots
    chat = ViberChat()
    for text in ("menu:readings", "0000-0000-0001"):
        bots.vb(chat.text(text))
    last = chat.text("1 250")
    bots.vb(last)
    bots.vb(last)
    texts = [body["text"] for body in sent(bots)]
    assert "Расход с 20.10.2026: 250 кВт·ч (1\u00a0250 − 1\u00a0000)" in texts[-2]
    assert len(bots.store.history("000000000001", "m1")) == 2
    bots.vb(chat.text("account:remember"))
    assert "сохранён" in sent(bots)[-1]["text"]
    bots.vb(chat.text("забыть"))
    assert "удалён" in sent(bots)[-1]["text"]
