"""The question as the contract accepts it: text, not empty, not too long."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spravka.errors import BadRequest


def parse_question(payload: Mapping[str, Any], *, max_chars: int = 1000) -> str:
    """The question text; raises BadRequest with a Russian message naming the field."""
    question = payload.get("q")
    if question is None:
        raise BadRequest("question_missing", "Не задан вопрос: поле «q» обязательно.")
    if not isinstance(question, str):
        raise BadRequest("question_not_text", "Вопрос (поле «q») должен быть текстом.")
    if len(question) > max_chars:  # as sent, so that the limit is what openapi.yaml says
        raise BadRequest("question_too_long", f"Вопрос слишком длинный: не больше {max_chars} символов.")
    question = question.strip()
    if not question:
        raise BadRequest("question_empty", "Вопрос пустой: напишите, что вас интересует.")
    return question
