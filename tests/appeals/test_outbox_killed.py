"""The sender as a real process (`spravka appeals send-mail`), killed with SIGKILL mid-send, then restarted.

Killed before the mail server took the message: the entry waits out its lease and goes once.
Killed after the server had the whole message but before it answered (so before anything was
recorded): the one unavoidable second copy, with the same Message-ID.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import os
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spravka.appeals.create import create_appeal
from spravka.appeals.outbox import deliver_pending
from tests.appeals.conftest import BILL, LIMITS_SECRET

SPRAVKA = Path(sys.executable).parent / "spravka"


class StallingInbox:
    """An SMTP server's handler that can stall at RCPT (nothing taken) or after DATA (message taken, no reply)."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.stall_at: str | None = None
        self.stalled = threading.Event()
        self.release = threading.Event()

    async def _stall(self, point: str) -> None:
        if self.stall_at == point:
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802
        await self._stall("rcpt")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        import email
        import email.policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        await self._stall("data")
        return "250 OK"


@pytest.fixture
def stalling_smtp() -> Iterator[tuple[str, StallingInbox]]:
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = StallingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}", inbox
    inbox.release.set()
    controller.stop()


def kill_sender_at(point: str, inbox: StallingInbox, settings: Any, tmp_path: Path) -> None:
    """Run `spravka appeals send-mail` until the server stalls at `point`, then SIGKILL it."""
    env = {
        "PATH": os.environ["PATH"],
        "READINGS_STORE": settings.readings_store,
        "LIMITS_SECRET": LIMITS_SECRET,
        "SMTP_URL": settings.smtp_url,
        "SITE_URL": settings.site_url,
        "SPRAVKA_DATA_DIR": str(tmp_path / "data"),
    }
    inbox.stall_at = point
    sender = subprocess.Popen([str(SPRAVKA), "appeals", "send-mail"], env=env, stdout=subprocess.DEVNULL)
    try:
        assert inbox.stalled.wait(60), "the sender never reached the mail server"
    finally:
        sender.kill()
        sender.wait(10)
    inbox.stall_at = None
    inbox.release.set()


def lease_ends(settings: Any, mail_id: str) -> datetime.datetime:
    path = settings.readings_store.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        (until,) = db.execute("SELECT lease_until FROM appeal_mail WHERE id = ?", (mail_id,)).fetchone()
    return datetime.datetime.fromtimestamp(until, datetime.UTC)


@pytest.mark.parametrize(("point", "copies"), [("rcpt", 1), ("data", 2)])
def test_killed_sender_restarts_without_loss(
    point: str,
    copies: int,
    sqlite_appeal_store: Any,
    settings: Any,
    stalling_smtp: Any,
    clock: Any,
    tmp_path: Path,
) -> None:
    # Registered at any instant; the restart's clock is set past the dead sender's lease.
    clock.set("2026-12-03T10:00:00+00:00")
    url, inbox = stalling_smtp
    smtp_settings = dataclasses.replace(settings, smtp_url=url)
    number = create_appeal(sqlite_appeal_store, BILL, settings=smtp_settings)[0]["number"]
    kill_sender_at(point, inbox, smtp_settings, tmp_path)
    (pending,) = sqlite_appeal_store.pending_mail()  # not recorded as sent: the process died first
    clock.set(lease_ends(smtp_settings, pending.id) - datetime.timedelta(seconds=1))
    assert deliver_pending(sqlite_appeal_store, smtp_settings) == 0  # the dead sender's lease still holds
    clock.set(lease_ends(smtp_settings, pending.id) + datetime.timedelta(seconds=1))
    assert deliver_pending(sqlite_appeal_store, smtp_settings) == 1
    assert deliver_pending(sqlite_appeal_store, smtp_settings) == 0
    assert len(inbox.messages) == copies
    assert {m["Message-ID"] for m in inbox.messages} == {f"<appeal-{number}-0@example.ru>"}
