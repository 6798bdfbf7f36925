"""The outbox with a real SMTP server: one e-mail per event, none twice, the same Message-ID on the one unavoidable resend."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import pytest

from spravka.appeals.create import create_appeal
from spravka.appeals.outbox import LEASE_SECONDS, SmtpTransport, deliver_pending
from spravka.appeals.staff import answer, set_status
from tests.appeals.conftest import BILL
from tests.appeals.test_appeal_store import at_once


class Died(Exception):
    """The sender's process dying at this point (nothing after it runs)."""


class DiesAfterSending:
    """The mail server takes the message; then the sender dies before recording it."""

    def __init__(self, transport: Any) -> None:
        self.transport = transport

    def send(self, message: Any) -> None:
        self.transport.send(message)
        raise Died


class DiesBeforeSending:
    def send(self, message: Any) -> None:
        raise Died


@pytest.fixture
def smtp_settings(settings: Any, smtp_server: Any) -> Any:
    return dataclasses.replace(settings, smtp_url=smtp_server[0], mail_from="Энергосбыт <noreply@energo.example>")


def test_one_mail_per_event_through_smtp(appeal_store: Any, smtp_settings: Any, smtp_server: Any, clock: Any) -> None:
    # A Friday afternoon in December 2026 (the deadlines in the first letter depend on it).
    clock.set("2026-12-04T15:00:00+03:00")
    _, inbox = smtp_server
    body, _ = create_appeal(appeal_store, BILL, settings=smtp_settings)
    number = body["number"]
    set_status(appeal_store, number, "in_review", note="Проверяем начисления")
    set_status(appeal_store, number, "in_review", note="Запросили данные у сетевой компании")  # a note: no e-mail
    answer(appeal_store, number, "Начисления пересчитаны, разница 1 234,56 ₽ учтена в декабрьском счёте.")
    set_status(appeal_store, number, "closed")
    assert deliver_pending(appeal_store, smtp_settings) == 4
    assert deliver_pending(appeal_store, smtp_settings) == 0 and appeal_store.pending_mail() == []

    subjects = [str(m["Subject"]) for m in inbox.messages]
    assert subjects == [
        f"Обращение № {number}: зарегистрировано",
        f"Обращение № {number}: на рассмотрении",
        f"Обращение № {number}: дан ответ",
        f"Обращение № {number}: закрыто",
    ]
    ids = [m["Message-ID"] for m in inbox.messages]
    assert ids == [f"<appeal-{number}-{event}@energo.example>" for event in (0, 1, 3, 4)]
    link = f"https://help.example.ru/appeals/status/#{number}.{body['secret']}"
    for message in inbox.messages:
        assert message["To"] == "ivanova@example.ru"
        plain = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert link in plain and f'href="{link}"' in html
    first = inbox.messages[0].get_body(("plain",)).get_content()
    assert "до 6 декабря 2026 года, 15:00" in first and "не позднее 18 декабря 2026 года." in first
    assert "Комментарий специалиста: Проверяем начисления" in inbox.messages[1].get_body(("plain",)).get_content()
    assert "1 234,56 ₽" in inbox.messages[2].get_body(("plain",)).get_content()


def test_death_before_sending_waits_for_the_lease_then_sends_once(
    appeal_store: Any, smtp_settings: Any, smtp_server: Any, clock: Any
) -> None:
    # Any instant: only the lease's length matters.
    start = clock.set("2026-12-03T10:00:00+00:00")
    _, inbox = smtp_server
    create_appeal(appeal_store, BILL, settings=smtp_settings)
    with pytest.raises(Died):
        deliver_pending(appeal_store, smtp_settings, transport=DiesBeforeSending())
    assert deliver_pending(appeal_store, smtp_settings) == 0  # still leased by the dead sender
    clock.set(start + datetime.timedelta(seconds=LEASE_SECONDS + 1))
    assert deliver_pending(appeal_store, smtp_settings) == 1
    assert deliver_pending(appeal_store, smtp_settings) == 0
    assert len(inbox.messages) == 1


def test_death_after_the_server_took_it_resends_with_the_same_message_id(
    appeal_store: Any, smtp_settings: Any, smtp_server: Any, clock: Any
) -> None:
    # Any instant: only the lease's length matters.
    start = clock.set("2026-12-03T10:00:00+00:00")
    url, inbox = smtp_server
    create_appeal(appeal_store, BILL, settings=smtp_settings)
    with pytest.raises(Died):
        deliver_pending(appeal_store, smtp_settings, transport=DiesAfterSending(SmtpTransport(url)))
    clock.set(start + datetime.timedelta(seconds=LEASE_SECONDS + 1))
    assert deliver_pending(appeal_store, smtp_settings) == 1
    assert deliver_pending(appeal_store, smtp_settings) == 0
    first, again = inbox.messages
    assert first["Message-ID"] == again["Message-ID"]
    assert first.get_body(("plain",)).get_content() == again.get_body(("plain",)).get_content()


def test_parallel_senders_send_each_mail_once(
    appeal_store: Any, make_appeal_store: Any, smtp_settings: Any, smtp_server: Any, clock: Any
) -> None:
    # Any instant: the leases are what is tested.
    clock.set("2026-12-03T10:00:00+00:00")
    _, inbox = smtp_server
    for n in range(6):
        create_appeal(appeal_store, {**BILL, "text": f"Обращение {n}: вопрос о перерасчёте"}, settings=smtp_settings)
    stores = [make_appeal_store() for _ in range(4)]
    sent = at_once(4, lambda i: deliver_pending(stores[i], smtp_settings))
    assert sum(sent) == 6 and len(inbox.messages) == 6
    assert len({m["Message-ID"] for m in inbox.messages}) == 6


def test_without_smtp_url_messages_are_files(appeal_store: Any, settings: Any, clock: Any) -> None:
    # Any instant.
    clock.set("2026-12-03T10:00:00+00:00")
    body, _ = create_appeal(appeal_store, BILL, settings=settings)
    assert deliver_pending(appeal_store, settings) == 1
    (eml,) = settings.mail_dir.glob("*.eml")
    assert eml.name == f"appeal-{body['number']}-0.eml"
