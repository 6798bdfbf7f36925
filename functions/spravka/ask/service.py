"""The `ask` function's work between the HTTP edge and the matcher."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spravka.ask.answer import answer
from spravka.ask.index import get_index
from spravka.ask.validate import parse_question
from spravka.config import get_settings
from spravka.questions.events import parse_visitor
from spravka.questions.recorder import record_question


def answer_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Validate the request's payload and answer it in the contract's shape."""
    settings = get_settings()
    question = parse_question(payload, max_chars=settings.max_question_chars)
    visitor = parse_visitor(payload, required=False)
    reply = answer(question, get_index())
    body = reply.to_json(settings.site_url)
    # Logged after answering: only queued here, redacted before it is stored (spravka.questions.recorder).
    body["question_id"] = record_question(question, reply, settings=settings, session=payload.get("session"),
                                          visitor=visitor)
    return body
