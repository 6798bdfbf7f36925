"""Logging off the request path: `ask` and `events` only enqueue (the writer, questions/writer.py, stores in batches).

`ask` queues the question as asked, with its id and time; the writer redacts it and
builds the record, in its batch loop, before anything is stored. On a busy server the
code and data of redaction are rarely in the CPU's caches between two answers, so on
the request path the same work cost ~6× what it costs in a loop over a batch.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Iterator
from typing import Any

from spravka.config import Settings, get_settings
from spravka.questions import records
from spravka.questions.asked import Asked, Reply
from spravka.questions.records import EventRecord, new_id
from spravka.questions.writer import writer_for

log = logging.getLogger(__name__)

_paused: contextvars.ContextVar[bool] = contextvars.ContextVar("spravka_log_paused", default=False)


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Within this block, questions are answered but not logged (evaluation runs must not fill the log)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def logging_on(settings: Settings) -> bool:
    return settings.question_log and not _paused.get()


def record_question(
    question: str,
    reply: Reply,
    *,
    settings: Settings,
    session: str | None = None,
    visitor: str | None = None,
    channel: str | None = None,
) -> str | None:
    """Queue the question with the reply it got; its id, or None when logging is off or it was dropped.

    Redacted by the writer before it is stored (Asked.record), never here: see the module's doc.
    """
    if not settings.question_log or _paused.get():
        return None
    try:
        asked = Asked(new_id(), records.now(), question, reply, session, visitor, channel)
        return asked.id if writer_for(settings).put(asked) else None
    except Exception:  # logging never fails the answer
        log.exception("question log: question not queued")
        return None


def record_events(visitor: str, events: list[dict[str, Any]]) -> int:
    """Queue validated widget events; how many were accepted (all of them, unless logging is off or full)."""
    settings = get_settings()
    if not logging_on(settings):
        return 0
    writer = writer_for(settings)
    at = records.now()
    accepted = 0
    for event in events:
        if writer.put(EventRecord(id=new_id(), at=at, visitor=visitor, **event)):
            accepted += 1
    return accepted
