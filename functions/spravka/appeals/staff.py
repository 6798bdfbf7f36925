"""What the staff do to an appeal: change its status with a note, answer it. Each change is one history entry."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from spravka import clock
from spravka.appeals.base import AppealStore
from spravka.appeals.deadlines import iso_instant
from spravka.appeals.model import ANSWERED, CLOSED, NEXT, STATUS_TITLES, STATUSES, Appeal, Event
from spravka.appeals.number import normalise_number
from spravka.appeals.validate import NOT_FOUND
from spravka.errors import BadRequest, NotFound

MAX_NOTE = 1000
MAX_ANSWER = 20000


def parse_number(raw: str) -> str:
    number = normalise_number(raw)
    if number is None:
        raise NotFound("appeal_not_found", NOT_FOUND)
    return number


def moved(appeal: Appeal, status: str, note: str, at: str, *, answer: str | None = None) -> Appeal:
    """The appeal with one more history entry (pure: the store may run it again on a retry)."""
    if status not in NEXT[appeal.status]:
        raise BadRequest(
            "status_not_allowed",
            f"Нельзя перевести обращение из статуса «{STATUS_TITLES[appeal.status]}» в «{STATUS_TITLES[status]}».",
        )
    changes: dict[str, object] = {"history": (*appeal.history, Event(status, at, note))}
    if answer is not None:
        changes["answer"] = answer
    return dataclasses.replace(appeal, **changes)  # type: ignore[arg-type]


def set_status(
    store: AppealStore, number: str, status: str, *, note: str = "", now: datetime.datetime | None = None
) -> Appeal:
    """Move the appeal to `status` (staying in it adds a note); the e-mail goes with it."""
    if status not in STATUSES:
        raise BadRequest("status_unknown", f"Неизвестный статус: допустимы {', '.join(STATUSES)}.")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise BadRequest("note_too_long", f"Заметка длиннее {MAX_NOTE} символов.")
    at = iso_instant(now or clock.now())
    return store.change(parse_number(number), lambda appeal: moved(appeal, status, note, at))


def answer(store: AppealStore, number: str, text: str, *, now: datetime.datetime | None = None) -> Appeal:
    """Record the answer's text and move the appeal to `answered`."""
    text = text.strip()
    if not text:
        raise BadRequest("answer_empty", "Текст ответа пуст.")
    if len(text) > MAX_ANSWER:
        raise BadRequest("answer_too_long", f"Ответ длиннее {MAX_ANSWER} символов.")
    at = iso_instant(now or clock.now())
    return store.change(parse_number(number), lambda appeal: moved(appeal, ANSWERED, "", at, answer=text))


def list_appeals(
    store: AppealStore, *, status: str | None, overdue: bool, now: datetime.datetime, today: datetime.date
) -> list[Appeal]:
    """The appeals of one status (all with None), only the overdue ones with `overdue`."""
    if status is not None and status not in STATUSES:
        raise BadRequest("status_unknown", f"Неизвестный статус: допустимы {', '.join(STATUSES)}.")
    found = store.appeals(status)
    return [appeal for appeal in found if is_overdue(appeal, now, today)] if overdue else found


def appeal_for_staff(appeal: Appeal, *, now: datetime.datetime, today: datetime.date) -> dict[str, Any]:
    """Everything about the appeal the staff need, the customer's text and contacts included."""
    return {
        **appeal.public(),
        "text": appeal.text,
        "contact": {"email": appeal.email, "phone": appeal.phone},
        "name": appeal.name,
        "account": appeal.account,
        "question_id": appeal.question_id,
        "overdue": is_overdue(appeal, now, today),
    }


def is_overdue(appeal: Appeal, now: datetime.datetime, today: datetime.date) -> bool:
    """Past its review deadline still registered, or past its decision date not yet answered."""
    if appeal.status in (ANSWERED, CLOSED):
        return False
    if appeal.status == "registered" and iso_instant(now) > appeal.review_by:
        return True
    return today.isoformat() > appeal.decision_by
