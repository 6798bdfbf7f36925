"""The bots' fixtures: local stand-ins of the Telegram and Viber APIs (real HTTP servers that record
every call), and the two functions over a real store with the demo accounts loaded."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.firestore_emulator import MAIN, PROJECT, load_accounts

TELEGRAM_TOKEN = "123456:stand-in-token"
TELEGRAM_SECRET = "stand-in-secret_0123456789"
VIBER_TOKEN = "4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f"
SITE = "https://help.example.ru"


@dataclasses.dataclass
class Call:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class StandIn:
    """A platform's API on a local port: records each POST and answers like the platform does."""

    def __init__(self, answer: dict[str, Any]) -> None:
        self.calls: list[Call] = []
        calls, reply = self.calls, json.dumps(answer).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", "0"))
                calls.append(Call(self.path, dict(self.headers), json.loads(self.rfile.read(length))))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def telegram_api() -> Iterator[StandIn]:
    stand_in = StandIn({"ok": True, "result": True})
    yield stand_in
    stand_in.close()


@pytest.fixture
def viber_api() -> Iterator[StandIn]:
    stand_in = StandIn({"status": 0, "status_message": "ok"})
    yield stand_in
    stand_in.close()


@dataclasses.dataclass
class Bots:
    """Both bot functions through functions-framework, the store they use, the stand-ins they call."""

    telegram: Any
    viber: Any
    store: Any
    telegram_api: StandIn
    viber_api: StandIn
    store_url: str

    def tg(self, update: dict[str, Any], *, secret: str | None = TELEGRAM_SECRET) -> Any:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return self.telegram.post("/", json=update, headers=headers)

    def vb(self, callback: dict[str, Any], *, signature: str | None = None) -> Any:
        raw = json.dumps(callback, ensure_ascii=False).encode()
        signed = hmac.new(VIBER_TOKEN.encode(), raw, hashlib.sha256).hexdigest()
        headers = {"X-Viber-Content-Signature": signed if signature is None else signature}
        return self.viber.post("/", data=raw, headers=headers, content_type="application/json")


def open_bots(
    monkeypatch: pytest.MonkeyPatch, store_url: str, telegram_api: StandIn, viber_api: StandIn
) -> Iterator[Bots]:
    import functions_framework

    from spravka.bots.service import get_conversations
    from spravka.config import get_settings
    from spravka.store import get_store

    for name, value in {
        "READINGS_STORE": store_url,
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_SECRET": TELEGRAM_SECRET,
        "VIBER_TOKEN": VIBER_TOKEN,
        "TELEGRAM_API_BASE": telegram_api.base,
        "VIBER_API_BASE": viber_api.base,
        "SITE_URL": SITE,
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    get_store.cache_clear()
    get_conversations.cache_clear()
    store = get_store()
    load_accounts(store)
    yield Bots(
        functions_framework.create_app("telegram", str(MAIN)).test_client(),
        functions_framework.create_app("viber", str(MAIN)).test_client(),
        store,
        telegram_api,
        viber_api,
        store_url,
    )
    get_conversations().close()
    get_conversations.cache_clear()
    store.close()
    get_store.cache_clear()


@pytest.fixture
def bots(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, telegram_api: StandIn, viber_api: StandIn) -> Iterator[Bots]:
    """The bots over SQLite."""
    yield from open_bots(monkeypatch, f"sqlite:///{tmp_path / 'spravka.sqlite3'}", telegram_api, viber_api)


@pytest.fixture
def firestore_bots(
    monkeypatch: pytest.MonkeyPatch, firestore_emulator: Any, telegram_api: StandIn, viber_api: StandIn
) -> Iterator[Bots]:
    """The bots over the Firestore emulator."""
    firestore_emulator.wipe(PROJECT)
    yield from open_bots(monkeypatch, "firestore", telegram_api, viber_api)


Updates = Callable[..., dict[str, Any]]


class TelegramChat:
    """Real-shaped Bot API updates (core.telegram.org/bots/api#update) from one private chat."""

    def __init__(self, chat_id: int = 7001, first_update: int = 500100) -> None:
        self.chat_id = chat_id
        self.next_update = first_update
        self.next_message = 1

    def _ids(self) -> tuple[int, int]:
        self.next_update += 1
        self.next_message += 1
        return self.next_update, self.next_message

    def _user(self) -> dict[str, Any]:
        return {"id": self.chat_id, "is_bot": False, "first_name": "Анна", "language_code": "ru"}

    def _message(self, message_id: int, text: str | None) -> dict[str, Any]:
        message = {
            "message_id": message_id,
            "from": self._user(),
            "chat": {"id": self.chat_id, "first_name": "Анна", "type": "private"},
            "date": 1796800000 + message_id,
        }
        if text is not None:
            message["text"] = text
        return message

    def text(self, text: str) -> dict[str, Any]:
        update_id, message_id = self._ids()
        return {"update_id": update_id, "message": self._message(message_id, text)}

    def press(self, data: str) -> dict[str, Any]:
        update_id, message_id = self._ids()
        return {
            "update_id": update_id,
            "callback_query": {
                "id": f"4382bfdwdsb323b2d{update_id}",
                "from": self._user(),
                "message": self._message(message_id - 1, "…"),
                "chat_instance": "-28877349850293",
                "data": data,
            },
        }


class ViberChat:
    """Real-shaped Viber REST Bot API callbacks (developers.viber.com/docs/api/rest-bot-api/#callbacks)."""

    def __init__(self, user_id: str = "01234567890A=", first_token: int = 4912661846655238000) -> None:
        self.user = {"id": user_id, "name": "Анна", "language": "ru", "country": "RU", "api_version": 8}
        self.token = first_token

    def _next(self) -> int:
        self.token += 1
        return self.token

    def started(self) -> dict[str, Any]:
        return {
            "event": "conversation_started",
            "timestamp": 1796800000000,
            "message_token": self._next(),
            "type": "open",
            "context": "",
            "user": self.user,
            "subscribed": False,
        }

    def text(self, text: str) -> dict[str, Any]:
        return {
            "event": "message",
            "timestamp": 1796800000000,
            "chat_hostname": "SN-CHAT-05_",
            "message_token": self._next(),
            "sender": self.user,
            "message": {"type": "text", "text": text},
            "silent": False,
        }
