"""The customer's e-mails: one per outbox entry, in Russian, plain text and HTML, with the status link.

The link carries the number and the secret after `#` (docs/appeals.md), so they reach no
server's log. The Message-ID is fixed per outbox entry: a resend carries the same one.
"""

from __future__ import annotations

import datetime
import html
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from zoneinfo import ZoneInfo

from spravka.appeals.categories import load_categories
from spravka.appeals.model import ANSWERED, REGISTERED, STATUS_TITLES, WAITING, Appeal, Mail
from spravka.config import Settings

MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря")  # fmt: skip
STATUS_PAGE = "/appeals/status/"


def status_link(site_url: str, number: str, secret: str) -> str:
    """<SITE_URL>/appeals/status/#<number>.<secret>"""
    return f"{site_url}{STATUS_PAGE}#{number}.{secret}"


def message_id(mail: Mail, mail_from: str) -> str:
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "spravka.local"
    return f"<appeal-{mail.id}@{domain}>"


def _date(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year} года"


def _moment(iso: str, timezone: str) -> str:
    local = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(ZoneInfo(timezone))
    return f"{_date(local.date())}, {local:%H:%M}"


def _paragraphs(appeal: Appeal, event: int, settings: Settings) -> list[str]:
    entry = appeal.history[event]
    category = load_categories().get(appeal.category)
    title = category.title if category else appeal.category
    lines = []
    if entry.status == REGISTERED:
        lines.append(f"Ваше обращение зарегистрировано под номером {appeal.number} (тема: «{title}»).")
        lines.append(
            f"Мы рассмотрим его предварительно до {_moment(appeal.review_by, settings.timezone)} "
            f"и дадим ответ не позднее {_date(datetime.date.fromisoformat(appeal.decision_by))}."
        )
    else:
        lines.append(f"Статус обращения № {appeal.number} изменился: {STATUS_TITLES[entry.status]}.")
    if entry.note:
        lines.append(f"Комментарий специалиста: {entry.note}")
    if entry.status == WAITING:
        lines.append("Чтобы мы могли продолжить, ответьте на вопрос специалиста по телефону или новым обращением.")
    if entry.status == ANSWERED and appeal.answer:
        lines.append("Ответ:\n" + appeal.answer)
    return lines


def render(appeal: Appeal, mail: Mail, secret: str, settings: Settings) -> EmailMessage:
    """The e-mail owed for history entry `mail.event` of the appeal."""
    entry = appeal.history[mail.event]
    link = status_link(settings.site_url, appeal.number, secret)
    paragraphs = _paragraphs(appeal, mail.event, settings)
    footer = f"Статус обращения: {link}\nНомер и код доступа в этой ссылке — никому их не сообщайте."
    signature = "АО «Городской энергосбыт». Это письмо отправлено автоматически, отвечать на него не нужно."
    message = EmailMessage()
    message["Subject"] = f"Обращение № {appeal.number}: {STATUS_TITLES[entry.status]}"
    message["From"] = settings.mail_from
    message["To"] = Address(addr_spec=appeal.email)
    message["Date"] = format_datetime(datetime.datetime.fromisoformat(entry.at.replace("Z", "+00:00")))
    message["Message-ID"] = message_id(mail, settings.mail_from)
    message["Auto-Submitted"] = "auto-generated"
    greeting = f"Здравствуйте, {appeal.name}!" if appeal.name else "Здравствуйте!"
    message.set_content("\n\n".join([greeting, *paragraphs, footer, signature]) + "\n")
    body = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in [greeting, *paragraphs])
    message.add_alternative(
        f'<!doctype html><html lang="ru"><body>{body}'
        f'<p><a href="{html.escape(link)}">Посмотреть статус обращения № {appeal.number}</a></p>'
        f"<p><small>{html.escape(signature)}</small></p></body></html>\n",
        subtype="html",
    )
    return message
