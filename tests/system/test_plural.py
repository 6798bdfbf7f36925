"""Russian plural forms wherever numbers meet nouns."""

from __future__ import annotations

import pytest

from spravka_tools.plural import OF_ANSWERS, QUESTIONS, plural


@pytest.mark.parametrize(
    "count, text",
    [
        (0, "0 вопросов"),
        (1, "1 вопрос"),
        (2, "2 вопроса"),
        (4, "4 вопроса"),
        (5, "5 вопросов"),
        (11, "11 вопросов"),
        (12, "12 вопросов"),
        (14, "14 вопросов"),
        (21, "21 вопрос"),
        (22, "22 вопроса"),
        (23, "23 вопроса"),
        (101, "101 вопрос"),
        (111, "111 вопросов"),
        (1_002, "1002 вопроса"),
    ],
)
def test_plural_forms(count: int, text: str) -> None:
    assert plural(count, QUESTIONS) == text


@pytest.mark.parametrize("count, text", [(1, "1 ответа"), (21, "21 ответа"), (2, "2 ответов"), (11, "11 ответов")])
def test_after_iz_the_genitive(count: int, text: str) -> None:
    assert plural(count, OF_ANSWERS) == text
