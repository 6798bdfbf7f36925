"""`ask`'s request, parsed once: the question, the chat session and the visitor."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from spravka.ask.validate import parse_question
from spravka.ids import parse_session, parse_visitor


class AskRequest(NamedTuple):
    question: str
    session: str | None  # as the question log keeps it (spravka.ids.parse_session)
    visitor: str | None


def parse_ask_request(payload: Mapping[str, Any], *, max_chars: int) -> AskRequest:
    """The request's fields, checked in this order; raises BadRequest naming the first bad one."""
    question = parse_question(payload, max_chars=max_chars)
    return AskRequest(question, parse_session(payload), parse_visitor(payload, required=False))
