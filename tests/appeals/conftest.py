"""Fixtures of the appeals: the appeals store on SQLite and on the Firestore emulator, and the function over either."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.firestore_emulator import MAIN, PROJECT, STORES

LIMITS_SECRET = "test-limits-secret-" + "x" * 32
BILL = {
    "category": "billing",
    "text": "Пришёл слишком большой счёт за ноябрь, прошу пересчитать",
    "contact": {"email": "ivanova@example.ru"},
    "consent": True,
}


@pytest.fixture
def sqlite_appeal_store(tmp_path: Path) -> Iterator[Any]:
    from spravka.appeals.store_sqlite import SqliteAppealStore

    store = SqliteAppealStore(tmp_path / "spravka.sqlite3")
    yield store
    store.close()


@pytest.fixture
def firestore_appeal_store(firestore_emulator: Any) -> Iterator[Any]:
    from spravka.appeals.store_firestore import FirestoreAppealStore

    firestore_emulator.wipe(PROJECT)
    store = FirestoreAppealStore(project=PROJECT)
    yield store
    store.close()


@pytest.fixture(params=STORES)
def appeal_store(request: pytest.FixtureRequest) -> Any:
    """Each store in turn: the appeals' contract suite runs against both."""
    return request.getfixturevalue(f"{request.param}_appeal_store")


@pytest.fixture
def make_appeal_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Any]]:
    """Another instance of the current test's store over the same data (another function instance)."""
    opened: list[Any] = []

    def make() -> Any:
        if request.node.callspec.params["appeal_store"] == "sqlite":
            from spravka.appeals.store_sqlite import SqliteAppealStore

            opened.append(SqliteAppealStore(tmp_path / "spravka.sqlite3"))
        else:
            from spravka.appeals.store_firestore import FirestoreAppealStore

            opened.append(FirestoreAppealStore(project=PROJECT))
        return opened[-1]

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def settings(tmp_path: Path) -> Any:
    from spravka.config import Settings

    return Settings.from_env(
        {
            "READINGS_STORE": f"sqlite:///{tmp_path / 'spravka.sqlite3'}",
            "LIMITS_SECRET": LIMITS_SECRET,
            "SPRAVKA_DATA_DIR": str(tmp_path / "data"),
            "SITE_URL": "https://help.example.ru",
        }
    )


@dataclasses.dataclass
class AppealsApp:
    client: Any
    store: Any


@pytest.fixture(params=STORES)
def appeals_app(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[AppealsApp]:
    """The `appeals` function through functions-framework on one store, e-mails written to data/mail."""
    import functions_framework

    from spravka.appeals.store import get_appeal_store
    from spravka.config import get_settings

    if request.param == "firestore":
        request.getfixturevalue("firestore_emulator").wipe(PROJECT)
        monkeypatch.setenv("READINGS_STORE", "firestore")
    else:
        monkeypatch.setenv("READINGS_STORE", f"sqlite:///{tmp_path / 'spravka.sqlite3'}")
    monkeypatch.setenv("LIMITS_SECRET", LIMITS_SECRET)
    monkeypatch.setenv("SITE_URL", "https://help.example.ru")
    get_settings.cache_clear()
    get_appeal_store.cache_clear()
    store = get_appeal_store()
    yield AppealsApp(functions_framework.create_app("appeals", str(MAIN)).test_client(), store)
    store.close()
    get_appeal_store.cache_clear()


class Inbox:
    """What a real SMTP server (aiosmtpd) received: one entry per message accepted."""

    def __init__(self) -> None:
        import threading

        self.messages: list[Any] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        import email
        import email.policy

        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, Inbox]]:
    """A real SMTP server on a free port: (SMTP_URL, its inbox)."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}", inbox
    controller.stop()
