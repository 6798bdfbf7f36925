"""What the log keeps: one record per question asked and per widget event, as plain documents."""

from __future__ import annotations

import datetime
import os
import threading
from collections.abc import Mapping
from typing import Any, NamedTuple

from spravka import clock

UTC = datetime.timezone.utc


ID_BYTES = 10
_POOL_BYTES = 4096  # os.urandom is read this much at a time


class _Randomness:
    """Bytes from os.urandom, read in blocks and handed out in slices.

    os.urandom (behind secrets.token_hex) releases the GIL: once per answer it let the
    server's other threads in and made this one wait to get it back, a thread switch per
    question. Read in blocks, that happens once per ~400 ids; the ids stay as random.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool = b""
        self._at = 0
        os.register_at_fork(after_in_child=self._forget)  # a forked worker must not repeat its parent's ids

    def _forget(self) -> None:
        self._lock = threading.Lock()
        self._pool, self._at = b"", 0

    def take(self, count: int) -> bytes:
        with self._lock:
            if self._at + count > len(self._pool):
                self._pool, self._at = os.urandom(max(_POOL_BYTES, count)), 0
            start = self._at
            self._at += count
            return self._pool[start : self._at]


_randomness = _Randomness()


def new_id() -> str:
    """A random document id: no ordering, so month-end load spreads over Firestore's key range."""
    return _randomness.take(ID_BYTES).hex()


def now() -> datetime.datetime:
    """The time a record is stamped with (UTC): the product's clock (spravka.clock), set by tests."""
    return clock.now()


class QuestionRecord(NamedTuple):  # a tuple: one is made per answer, cheaper than a frozen dataclass
    """A question as logged: already redacted, with the outcome `ask` gave."""

    id: str
    at: datetime.datetime
    q: str
    kind: str
    article: str | None
    action: str | None
    score: float
    suggestions: tuple[str, ...] = ()
    session: str | None = None
    visitor: str | None = None
    channel: str | None = None  # where it was asked: None for the site's widget, "telegram", "viber"

    def to_doc(self) -> dict[str, Any]:
        doc = {
            "q": self.q,
            "kind": self.kind,
            "article": self.article,
            "action": self.action,
            "score": self.score,
            "suggestions": list(self.suggestions),
            "session": self.session,
            "visitor": self.visitor,
        }
        if self.channel is not None:  # the widget's records stay as they were
            doc["channel"] = self.channel
        return doc

    @classmethod
    def from_doc(cls, id: str, at: datetime.datetime, doc: Mapping[str, Any]) -> "QuestionRecord":
        return cls(
            id,
            at,
            str(doc.get("q", "")),
            str(doc.get("kind", "")),
            doc.get("article"),
            doc.get("action"),
            float(doc.get("score") or 0.0),
            tuple(doc.get("suggestions") or ()),
            doc.get("session"),
            doc.get("visitor"),
            doc.get("channel"),
        )


class EventRecord(NamedTuple):
    """A widget event: a visit, a link click, or a yes/no on "Помог ли ответ?"."""

    id: str
    at: datetime.datetime
    visitor: str
    type: str
    article: str | None = None
    url: str | None = None
    value: bool | None = None
    question_id: str | None = None

    def to_doc(self) -> dict[str, Any]:
        return {
            "visitor": self.visitor,
            "type": self.type,
            "article": self.article,
            "url": self.url,
            "value": self.value,
            "question_id": self.question_id,
        }

    @classmethod
    def from_doc(cls, id: str, at: datetime.datetime, doc: Mapping[str, Any]) -> "EventRecord":
        return cls(
            id,
            at,
            str(doc.get("visitor", "")),
            str(doc.get("type", "")),
            doc.get("article"),
            doc.get("url"),
            doc.get("value"),
            doc.get("question_id"),
        )


Record = QuestionRecord | EventRecord
