"""The `ask` function's work between the HTTP edge and the matcher."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import flask

from spravka.ask.answer import answer
from spravka.ask.index import get_index
from spravka.ask.request import parse_ask_request
from spravka.config import get_settings
from spravka.http import read_json
from spravka.questions.recorder import record_question


def handle(request: flask.Request) -> dict[str, Any]:
    """The entry point's one call: the request's parameters answered in the contract's shape."""
    return answer_payload(read_json(request))


def answer_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Validate the request's payload and answer it in the contract's shape."""
    settings = get_settings()
    asked = parse_ask_request(payload, max_chars=settings.max_question_chars)
    reply = answer(asked.question, get_index())
    body = reply.to_json(settings.site_url)
    # Logged after answering: only queued here, redacted before it is stored (spravka.questions.recorder).
    body["question_id"] = record_question(
        asked.question, reply, settings=settings, session=asked.session, visitor=asked.visitor
    )
    return body
