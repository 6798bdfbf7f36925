"""Full names in a text («Петров Иван Сергеевич», «Иванов И. И.»): the question log's redaction replaces them
(redact.py), the assistant does not read them (ask/answer.py `read`). A module of its own so that `ask` imports
two patterns at a cold start, not the whole redaction."""

from __future__ import annotations

import re

# Patronymics name a person even without a cue: "Петров Иван Сергеевич", "Анна Петровна", "Ivan Sergeevich".
_PATRONYMIC = re.compile(
    r"\b(?:[А-ЯЁ][а-яё]+[\s]+){1,2}[А-ЯЁ][а-яё]+(?:ович|евич|ьич|овна|евна|ична|инична)\b"
    r"(?:\s+[А-ЯЁ][а-яё]+(?:ов|ев|ин|ын|ова|ева|ина|ына|ский|ская|ко|ук|юк)\b)?"
    r"|\b(?:[A-Z][a-z]+\s+){1,2}[A-Z][a-z]+(?:ovich|evich|ovna|evna|ichna)\b(?:\s+[A-Z][a-z]+)?"
)
# A surname with initials: "Иванов И.И.", "Иванов И. И.", "И.И. Иванов", "Ivanov I.I.".
_INITIALS = re.compile(
    r"\b[А-ЯЁA-Z][а-яёa-z]+(?:-[А-ЯЁA-Z][а-яёa-z]+)?\s*[А-ЯЁA-Z]\.\s?[А-ЯЁA-Z]\.?"
    r"|\b[А-ЯЁA-Z]\.\s?[А-ЯЁA-Z]\.\s?[А-ЯЁA-Z][а-яёa-z]+"
)

# Substrings without which a pattern cannot match, on the text as typed: most questions have none.
_PATRONYMIC_HINT = re.compile(r"вич|ьич|вна|ична|vich|vna|ichna")
_INITIALS_HINT = re.compile(r"[А-ЯЁA-Z]\.")


def without_names(text: str) -> str:
    """The text less the full names it signs with («Я, Петрова Анна Сергеевна, …», «Иванов И. И.»): for
    the assistant they are words it does not know, and a letter that names its writer is no less clear."""
    if _PATRONYMIC_HINT.search(text):
        text = _PATRONYMIC.sub(" ", text)
    if _INITIALS_HINT.search(text):
        text = _INITIALS.sub(" ", text)
    return text
