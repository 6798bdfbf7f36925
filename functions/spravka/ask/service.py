"""The `ask` function's work between the HTTP edge and the matcher."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spravka.ask.answer import answer
from spravka.ask.index import get_index
from spravka.ask.validate import parse_question
from spravka.config import get_settings


def answer_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Validate the request's payload and answer it in the contract's shape."""
    settings = get_settings()
    question = parse_question(payload, max_chars=settings.max_question_chars)
    return answer(question, get_index()).to_json(settings.site_url)
