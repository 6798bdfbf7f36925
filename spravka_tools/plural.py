"""Russian plural forms: «1 вопрос», «2 вопроса», «5 вопросов», «21 вопрос», «11 вопросов»."""

from __future__ import annotations


def plural(count: int, forms: tuple[str, str, str]) -> str:
    """`count` with the noun in the form Russian grammar asks: (one, few, many)."""
    tail, tens = abs(count) % 10, abs(count) % 100
    if tail == 1 and tens != 11:
        form = forms[0]
    elif 2 <= tail <= 4 and not 12 <= tens <= 14:
        form = forms[1]
    else:
        form = forms[2]
    return f"{count} {form}"


QUESTIONS = ("вопрос", "вопроса", "вопросов")
# After «из»: the genitive, singular only for 1, 21, 31… («из 21 ответа», «из 5 ответов»).
OF_ANSWERS = ("ответа", "ответов", "ответов")
