"""The outbox's sender: every pending e-mail sent once, the same Message-ID on a resend.

Each entry was written in the same transaction as the event it reports, so no event is without
its message. A sender leases an entry (one transaction), sends it, then marks it sent; a second
sender skips a leased entry. Dying before the send leaves the entry to the next run after the
lease; dying after the mail server took it but before it was marked is the one case where it is
sent again — with the same Message-ID, so mail clients show it once.

Triggers: right after an appeal is registered or changed (best effort, in the same request or
command), and `spravka appeals send-mail` / admin `POST /appeals/send-mail` run by a scheduler.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from spravka import clock
from spravka.appeals.base import AppealStore
from spravka.appeals.create import secret_key
from spravka.appeals.deadlines import iso_instant
from spravka.appeals.mail import render
from spravka.appeals.number import derive_secret
from spravka.config import Settings

log = logging.getLogger(__name__)

LEASE_SECONDS = 120  # longer than one SMTP exchange can take (SMTP_TIMEOUT) with room to spare
SMTP_TIMEOUT = 20


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class FolderTransport:
    """Without SMTP_URL: each message as <Message-ID>.eml in a folder (a resend replaces the same file)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = str(message["Message-ID"]).strip("<>").partition("@")[0]
        draft = self.folder / f".{name}.{os.getpid()}.tmp"
        draft.write_bytes(message.as_bytes())
        os.replace(draft, self.folder / f"{name}.eml")


class SmtpTransport:
    """smtp://user:password@host:port (STARTTLS when offered) or smtps://… (TLS from the start)."""

    def __init__(self, url: str) -> None:
        self.url = urlsplit(url)

    def send(self, message: EmailMessage) -> None:
        host, secure = self.url.hostname or "localhost", self.url.scheme == "smtps"
        port = self.url.port or (465 if secure else 25)
        smtp = smtplib.SMTP_SSL if secure else smtplib.SMTP
        with smtp(host, port, timeout=SMTP_TIMEOUT) as server:
            if not secure and server.has_extn("starttls"):
                server.starttls(context=ssl.create_default_context())
            if self.url.username:
                server.login(unquote(self.url.username), unquote(self.url.password or ""))
            server.send_message(message)


def open_transport(settings: Settings) -> Transport:
    return SmtpTransport(settings.smtp_url) if settings.smtp_url else FolderTransport(settings.mail_dir)


def deliver_pending(
    store: AppealStore, settings: Settings, *, transport: Transport | None = None, only: str | None = None
) -> int:
    """Send what the outbox holds (of one appeal with `only`); how many were sent by this call."""
    transport = transport or open_transport(settings)
    key = secret_key(settings)
    sent = 0
    for mail in store.pending_mail():
        if only is not None and mail.number != only:
            continue
        now = clock.now().timestamp()
        if not store.lease_mail(mail.id, now=now, until=now + LEASE_SECONDS):
            continue  # another sender has it, or it was sent meanwhile
        appeal = store.appeal(mail.number)
        if appeal is None or not appeal.email:
            store.mark_sent(mail.id, at=iso_instant(clock.now()))
            continue
        message = render(appeal, mail, derive_secret(key, appeal.number, appeal.secret_nonce), settings)
        transport.send(message)
        store.mark_sent(mail.id, at=iso_instant(clock.now()))
        log.info("appeal e-mail %s sent (%s)", mail.id, _recipient_tag(appeal.email, key))
        sent += 1
    return sent


def _recipient_tag(email: str, key: bytes) -> str:
    """A short keyed tag of the address, so logs can tell recipients apart without naming them."""
    return hmac.new(key, email.lower().encode(), hashlib.sha256).hexdigest()[:8]
