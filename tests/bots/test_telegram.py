"""The Telegram bot over HTTP: real-shaped updates in, the webhook's answer and the stand-in's calls out."""

from __future__ import annotations

import html
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.bots.conftest import TELEGRAM_TOKEN, Bots, TelegramChat

ACCOUNT = "000000000002"  # the demo's two-zone meter: day 5 000, night 2 000 (tests/firestore_emulator.py)


@pytest.fixture(autouse=True)
def in_window(clock: Any) -> None:
    clock.set("2026-12-18T12:00:00+03:00")  # inside the readings window (15–25): no outside-window flag


def texts_of(bots: Bots, response: Any) -> list[str]:
    """Every text the customer was sent: the outgoing sendMessage calls, then the webhook's answer."""
    sent = [call.body["text"] for call in bots.telegram_api.calls if call.path.endswith("/sendMessage")]
    body = response.get_json()
    return sent + ([body["text"]] if body.get("method") == "sendMessage" else [])


def buttons(response: Any) -> list[dict[str, str]]:
    markup = response.get_json().get("reply_markup", {})
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def readings_made(bots: Bots) -> int:
    return len(bots.store.history(ACCOUNT, "m2")) - 1  # the import's baseline is the first


def test_start_greets_with_the_three_buttons(bots: Bots) -> None:
    response = bots.tg(TelegramChat().text("/start"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["method"] == "sendMessage" and body["chat_id"] == 7001 and body["parse_mode"] == "HTML"
    assert [b["text"] for b in buttons(response)] == ["Задать вопрос", "Передать показания", "Связаться с нами"]
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons(response))
    assert bots.telegram_api.calls == []  # one message: it travels in the webhook's answer


def test_the_readings_dialog_end_to_end(bots: Bots) -> None:
    chat = TelegramChat()
    response = bots.tg(chat.press("menu:readings"))
    assert "12 цифр" in response.get_json()["text"]
    assert [c.path for c in bots.telegram_api.calls] == [f"/bot{TELEGRAM_TOKEN}/answerCallbackQuery"]

    response = bots.tg(chat.text("0000 0000 0002"))
    text = response.get_json()["text"]
    assert "•••• 0002" in text and ACCOUNT not in text
    assert "День (Т1) — 5\u00a0000 кВт·ч; Ночь (Т2) — 2\u00a0000 кВт·ч" in text
    assert "зоны «День (Т1)»" in text

    response = bots.tg(chat.text("5 1x0"))
    assert "Не получилось прочитать число" in response.get_json()["text"]
    response = bots.tg(chat.text("5 120"))  # digit groups as the widget accepts them
    assert "зоны «Ночь (Т2)»" in response.get_json()["text"]
    last = chat.text("2045,5")
    response = bots.tg(last)

    sent = texts_of(bots, response)
    receipt, offer = sent[-2], sent[-1]
    assert "<b>Показания приняты.</b>" in receipt
    assert "Расход с 20.10.2026:" in receipt
    assert "День (Т1): 120 кВт·ч (5\u00a0120 − 5\u00a0000)" in receipt
    assert "Ночь (Т2): 45,5 кВт·ч (2\u00a0045,5 − 2\u00a0000)" in receipt
    assert "Расчётный период: декабрь 2026." in receipt
    assert "Запомнить номер счёта •••• 0002" in offer
    assert [b["text"] for b in buttons(response)] == ["Запомнить счёт", "Не нужно"]
    assert readings_made(bots) == 1
    everything = str([c.body for c in bots.telegram_api.calls]) + str(sent)
    assert ACCOUNT not in everything  # masked in every reply

    # Telegram resends the same update (it did not get our answer): no second answer, no second reading.
    calls = len(bots.telegram_api.calls)
    again = bots.tg(last)
    assert again.status_code == 200 and again.get_json() == {}
    assert len(bots.telegram_api.calls) == calls
    assert readings_made(bots) == 1


def test_remember_only_on_consent_and_forget(bots: Bots, tmp_path: Path) -> None:
    chat = TelegramChat()
    for step in ("menu:readings", "000000000001"):
        bots.tg(chat.press(step) if step.startswith("menu") else chat.text(step))
    bots.tg(chat.text("1 250"))
    assert saved_accounts(tmp_path) == [None]  # offered, not yet kept
    response = bots.tg(chat.press("account:remember"))
    assert "•••• 0001 сохранён" in response.get_json()["text"]
    assert saved_accounts(tmp_path) == ["000000000001"]

    response = bots.tg(chat.press("menu:readings"))
    assert "Передать показания по счёту •••• 0001?" in response.get_json()["text"]
    response = bots.tg(chat.press("saved:yes"))
    assert "Введите показание, кВт·ч (предыдущее: 1\u00a0250)" in response.get_json()["text"]

    response = bots.tg(chat.text("забыть"))
    assert "удалён" in response.get_json()["text"]
    assert saved_accounts(tmp_path) == [None]
    response = bots.tg(chat.press("menu:readings"))
    assert "12 цифр" in response.get_json()["text"]


def test_no_consent_keeps_nothing(bots: Bots, tmp_path: Path) -> None:
    chat = TelegramChat()
    bots.tg(chat.press("menu:readings"))
    bots.tg(chat.text("000000000001"))
    bots.tg(chat.text("1100"))
    response = bots.tg(chat.press("account:no"))
    assert "не сохранён" in response.get_json()["text"]
    assert saved_accounts(tmp_path) == [None]
    assert chat_states(tmp_path) == ['{"account":null,"meter":null,"meters":[],"step":"","values":{}}']


def saved_accounts(tmp_path: Path) -> list[str | None]:
    with sqlite3.connect(tmp_path / "spravka.sqlite3") as db:
        return [row[0] for row in db.execute("SELECT saved_account FROM bot_chats")]


def chat_states(tmp_path: Path) -> list[str]:
    with sqlite3.connect(tmp_path / "spravka.sqlite3") as db:
        return [row[0] for row in db.execute("SELECT state FROM bot_chats")]


def test_errors_in_plain_russian_with_the_way_on(bots: Bots) -> None:
    chat = TelegramChat()
    bots.tg(chat.press("menu:readings"))
    response = bots.tg(chat.text("12345"))
    assert "Номер лицевого счёта — 12 цифр" in response.get_json()["text"]
    response = bots.tg(chat.text("999999999999"))
    text = response.get_json()["text"]
    assert "•••• 9999 не найден" in text and "(account)" not in text
    assert "Связаться с нами" in [b["text"] for b in buttons(response)]
    bots.tg(chat.text("000000000001"))
    response = bots.tg(chat.text("900"))  # below the previous 1 000
    assert "меньше предыдущего" in response.get_json()["text"]
    assert "Введите показание" in response.get_json()["text"]


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Telegram-Bot-Api-Secret-Token": "forged"}, {"X-Telegram-Bot-Api-Secret-Token": ""}],
    ids=["missing", "forged", "empty"],
)
def test_without_the_secret_403_and_nothing_stored(bots: Bots, tmp_path: Path, headers: dict[str, str]) -> None:
    chat = TelegramChat()
    bots.tg(chat.press("menu:readings"))
    bots.tg(chat.text("000000000001"))
    forged = chat.text("1300")
    response = bots.telegram.post("/", json=forged, headers=headers)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "webhook_forbidden"
    assert len(bots.store.history("000000000001", "m1")) == 1
    with sqlite3.connect(tmp_path / "spravka.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM bot_updates").fetchone()[0] == 2  # the two real updates only


def test_unconfigured_bot_refuses_everything(bots: Bots, monkeypatch: pytest.MonkeyPatch) -> None:
    from spravka.config import get_settings

    monkeypatch.delenv("TELEGRAM_SECRET")
    get_settings.cache_clear()
    response = bots.tg(TelegramChat().text("/start"), secret="")
    assert response.status_code == 403


def test_a_question_gets_asks_answer_and_is_logged_with_its_channel(bots: Bots) -> None:
    from spravka.questions import writer
    from spravka.questions.open_store import open_log_store

    chat = TelegramChat()
    response = bots.tg(chat.text("какие способы оплатить электричество есть"))
    body = response.get_json()
    links = [b for b in buttons(response) if "url" in b]
    assert links and links[0]["url"].startswith("https://help.example.ru/")
    assert body["text"] and "<" not in body["text"].replace("<b>", "").replace("</b>", "").replace("<a ", "")
    bots.tg(chat.text("почему такая сумма по счёту 000000000001"))
    assert writer.flush_all()
    log = open_log_store(bots.store_url)
    try:
        questions = log.questions()
    finally:
        log.close()
    assert [q.channel for q in questions] == ["telegram", "telegram"]
    assert all("000000000001" not in q.q and q.session is None and q.visitor is None for q in questions)


def test_html_is_escaped_and_long_text_cut() -> None:
    from spravka.bots.replies import Message
    from spravka.bots.telegram import send_message
    from spravka.config import Settings

    settings = Settings.from_env({"SITE_URL": "https://help.example.ru"})
    body = send_message("1", Message("a < b & **c** [d](/x/) " + "слово " * 1000), settings)
    assert body["text"].startswith('a &lt; b &amp; <b>c</b> <a href="https://help.example.ru/x/">d</a> ')
    visible = html.unescape(re.sub(r"<[^>]+>", "", body["text"]))  # Telegram counts the text after parsing
    assert len(visible) <= 4096 and visible.endswith("…")


def test_a_store_fault_is_a_polite_retry_and_nothing_half_written(bots: Bots) -> None:
    from spravka.bots.service import get_conversations

    chat = TelegramChat()
    bots.tg(chat.press("menu:readings"))
    bots.tg(chat.text("000000000001"))
    conversations = get_conversations()

    def broken(*args: Any, **kwargs: Any) -> str:
        from spravka.errors import StoreUnavailable

        raise StoreUnavailable()

    retried = chat.text("1400")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(conversations, "commit", broken)  # the store fails at the commit, after the reading
        response = bots.tg(retried)
    assert "временно недоступен" in response.get_json()["text"]
    response = bots.tg(retried)  # the platform's retry of the same update: the reading replays, one only
    assert "Показания приняты" in str(texts_of(bots, response))
    assert len(bots.store.history("000000000001", "m1")) == 2


def test_a_group_chat_is_left_alone(bots: Bots) -> None:
    update = TelegramChat().text("/start")
    update["message"]["chat"] = {"id": -100123, "title": "Соседи", "type": "supergroup"}
    response = bots.tg(update)
    assert response.status_code == 200 and response.get_json() == {}


def test_a_locked_store_is_a_polite_retry_and_nothing_written(bots: Bots, tmp_path: Path) -> None:
    chat = TelegramChat()
    bots.tg(chat.press("menu:readings"))
    bots.tg(chat.text("000000000001"))
    update = chat.text("1400")
    lock = sqlite3.connect(tmp_path / "spravka.sqlite3", isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")  # another writer holds the file: every write waits, then gives up
    try:
        response = bots.tg(update)
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert "временно недоступен, ничего не сохранено" in response.get_json()["text"]
    assert len(bots.store.history("000000000001", "m1")) == 1
    with sqlite3.connect(tmp_path / "spravka.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM bot_updates").fetchone()[0] == 2
    response = bots.tg(update)  # Telegram's retry, the store back: the reading, once
    assert "Расход с 20.10.2026: 400 кВт·ч" in str(texts_of(bots, response))
    assert len(bots.store.history("000000000001", "m1")) == 2


def test_an_update_quoting_a_long_message_is_taken(bots: Bots) -> None:
    chat = TelegramChat()
    update = chat.text("спасибо")
    quoted = chat.text("ы" * 4096)["message"]
    quoted["reply_markup"] = {"inline_keyboard": [[{"text": "ж" * 60, "callback_data": "menu:ask"}]] * 40}
    update["message"]["reply_to_message"] = quoted
    update["message"]["entities"] = [{"type": "bold", "offset": n, "length": 1} for n in range(200)]
    assert len(json.dumps(update).encode()) > 16 * 1024  # over the widget's limit, under the bots' 64 KiB
    response = bots.tg(update)
    assert response.status_code == 200 and response.get_json()["method"] == "sendMessage"


def test_a_chat_changed_meanwhile_takes_the_update_again(bots: Bots) -> None:
    """Telegram delivers a chat's updates in parallel: one committed between another's load and commit."""
    from spravka.bots.replies import Update
    from spravka.bots.service import get_conversations, handle_update

    chat = TelegramChat()
    bots.tg(chat.press("menu:readings"))
    bots.tg(chat.text(ACCOUNT))
    conversations = get_conversations()
    load = conversations.load
    interleaved: list[Any] = []

    def load_while_another_commits(*args: Any) -> Any:
        loaded = load(*args)
        if not interleaved:  # the other update (the day value) is taken and committed right after this read
            interleaved.append(None)
            interleaved[0] = handle_update("telegram", str(chat.chat_id), "parallel-update", Update(text="5 100"))
        return loaded

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(conversations, "load", load_while_another_commits)
        response = bots.tg(chat.text("5 200"))
    assert "зоны «Ночь (Т2)»" in interleaved[0][0].text  # the day value, committed first
    assert "Запомнить номер счёта" in response.get_json()["text"]  # this one taken again: the night value
    assert readings_made(bots) == 1
    assert "Ночь (Т2): 3\u00a0200 кВт·ч (5\u00a0200 − 2\u00a0000)" in "\n".join(texts_of(bots, response))


def test_an_account_number_on_its_own_starts_the_readings(bots: Bots) -> None:
    response = bots.tg(TelegramChat().text("0000 0000 0001"))
    text = response.get_json()["text"]
    assert "Счёт •••• 0001" in text and "Введите показание, кВт·ч (предыдущее: 1\u00a0000)" in text


@pytest.mark.firestore
def test_the_readings_dialog_on_firestore(firestore_bots: Bots) -> None:
    bots = firestore_bots
    chat = TelegramChat()
    bots.tg(chat.press("menu:readings"))
    bots.tg(chat.text(ACCOUNT))
    bots.tg(chat.text("5 120"))
    last = chat.text("2 045,5")
    response = bots.tg(last)
    assert "День (Т1): 120 кВт·ч (5\u00a0120 − 5\u00a0000)" in "\n".join(texts_of(bots, response))
    assert bots.tg(last).get_json() == {}
    assert readings_made(bots) == 1
