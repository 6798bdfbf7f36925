"""What an appeal is, its statuses and their order, and the e-mail events its history makes."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

REGISTERED, IN_REVIEW, WAITING, ANSWERED, CLOSED = "registered", "in_review", "waiting_customer", "answered", "closed"
STATUSES = (REGISTERED, IN_REVIEW, WAITING, ANSWERED, CLOSED)
# Where staff may move an appeal from each status. Staying in the same status adds a note to the
# history (no e-mail); a closed appeal stays closed.
NEXT = {
    REGISTERED: (REGISTERED, IN_REVIEW, WAITING, ANSWERED, CLOSED),
    IN_REVIEW: (IN_REVIEW, WAITING, ANSWERED, CLOSED),
    WAITING: (WAITING, IN_REVIEW, ANSWERED, CLOSED),
    ANSWERED: (ANSWERED, IN_REVIEW, CLOSED),
    CLOSED: (),
}
STATUS_TITLES = {
    REGISTERED: "зарегистрировано",
    IN_REVIEW: "на рассмотрении",
    WAITING: "ждём ответа от вас",
    ANSWERED: "дан ответ",
    CLOSED: "закрыто",
}


@dataclasses.dataclass(frozen=True)
class Event:
    """One entry of an appeal's history."""

    status: str
    at: str  # ISO 8601 instant, UTC
    note: str = ""

    def to_json(self) -> dict[str, str]:
        return {"status": self.status, "at": self.at, "note": self.note}


@dataclasses.dataclass(frozen=True)
class Appeal:
    """An appeal as stored: what the customer wrote, how to reach them, where it stands."""

    number: str
    category: str
    text: str
    email: str
    phone: str
    name: str
    account: str
    question_id: str
    registered_at: str
    review_by: str
    decision_by: str
    secret_hash: str
    secret_nonce: str
    history: tuple[Event, ...]
    answer: str = ""

    @property
    def status(self) -> str:
        return self.history[-1].status

    def public(self) -> dict[str, Any]:
        """The contract's appeal body (without the secret, which only the create response carries)."""
        return {
            "number": self.number,
            "category": self.category,
            "status": self.status,
            "registered_at": self.registered_at,
            "deadlines": {"review_by": self.review_by, "decision_by": self.decision_by},
            "history": [event.to_json() for event in self.history],
            "answer": self.answer or None,
        }


def appeal_to_doc(appeal: Appeal) -> dict[str, Any]:
    doc = dataclasses.asdict(appeal)
    doc["history"] = [event.to_json() for event in appeal.history]
    doc["status"] = appeal.status  # for listing by status
    return doc


def appeal_from_doc(doc: Mapping[str, Any]) -> Appeal:
    fields = {field.name for field in dataclasses.fields(Appeal)}
    values = {name: doc[name] for name in fields if name in doc}
    values["history"] = tuple(Event(**event) for event in doc["history"])
    return Appeal(**values)


@dataclasses.dataclass(frozen=True)
class Mail:
    """An outbox entry: the e-mail owed for one history entry of one appeal."""

    id: str  # also the Message-ID's left part: the same for every attempt
    number: str
    event: int  # index into the appeal's history


def mail_id(number: str, event: int) -> str:
    return f"{number}-{event}"


def mail_events(before: Sequence[Event], after: Appeal) -> list[Mail]:
    """The e-mails the change from `before` to `after` owes: registration and each change of status."""
    if not after.email:
        return []
    owed = []
    for index in range(len(before), len(after.history)):
        previous = after.history[index - 1].status if index else None
        if previous != after.history[index].status:
            owed.append(Mail(mail_id(after.number, index), after.number, index))
    return owed
