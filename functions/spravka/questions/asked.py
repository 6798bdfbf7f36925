"""A question as `ask` queues it for the log: not yet redacted; the writer's thread makes the record."""

from __future__ import annotations

import datetime
from typing import NamedTuple, Protocol

from spravka.questions.records import QuestionRecord, Record


class Article(Protocol):
    @property
    def id(self) -> str: ...


class Reply(Protocol):
    """What the log keeps of ask's reply (spravka.ask.answer.Reply has it); the log does not import ask."""

    @property
    def kind(self) -> str: ...
    @property
    def article(self) -> Article | None: ...
    @property
    def suggestions(self) -> tuple[Article, ...]: ...
    @property
    def action(self) -> str | None: ...
    def shown_score(self) -> float: ...


class Asked(NamedTuple):
    """A question as `ask` queues it: not yet redacted; the writer makes the record."""

    id: str
    at: datetime.datetime
    question: str
    reply: Reply
    session: str | None  # already an id of its alphabet or None (spravka.ids.parse_session)
    visitor: str | None
    channel: str | None = None  # a messenger bot's name; None for the widget

    def record(self) -> QuestionRecord:
        # Imported here, in the writer's thread: compiling redaction's patterns (~3 ms) stays out of ask's cold start.
        from spravka.questions.redact import redact

        reply = self.reply
        session = self.session
        return QuestionRecord(
            self.id,
            self.at,
            _utf8(redact(self.question)),
            reply.kind,
            reply.article.id if reply.article else None,
            reply.action,
            reply.shown_score(),
            tuple([a.id for a in reply.suggestions]),
            session,
            self.visitor,
            self.channel,
        )


Queued = Record | Asked


def _utf8(text: str) -> str:
    """The text as a store can keep it: a lone surrogate (JSON may carry "\\ud800") becomes "?"."""
    return text.encode("utf-8", "replace").decode("utf-8")
