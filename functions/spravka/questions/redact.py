"""Personal data out of a question before it is logged: numbers, phones, e-mails, cards, names → placeholders.

Pure and fast (a handful of precompiled patterns): the log's writer runs it on every
question before anything is stored (spravka.questions.recorder). When in doubt it
redacts: a lost meter value costs the editors nothing, a kept phone number is a leak.
"""

from __future__ import annotations

import re

ACCOUNT = "[счёт]"
PHONE = "[телефон]"
EMAIL = "[e-mail]"
CARD = "[карта]"
NAME = "[имя]"
NUMBER = "[номер]"
PLACEHOLDERS = (ACCOUNT, PHONE, EMAIL, CARD, NAME, NUMBER)

_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}|[\w.+%-]+\s*(?:@|\(at\)|\[at\]|собака)\s*[\w-]+\s*"
                    r"(?:\.|\(dot\)|\[dot\]|точка)\s*[^\W\d_]{2,}", re.IGNORECASE)
# A run of digits in groups: "+7 (916) 123-45-67", "0000 0000 0001", "4276-1234-5678-9012".
_DIGIT_RUN = re.compile(r"(?<![\w+])\+?\d(?:[\s\-()]{0,3}\d)+(?!\w)")
# Seven digits as phones are written locally: "123-45-67", "12-34-567".
_LOCAL_PHONE = re.compile(r"(?<![\d\w])\d{2,3}-\d{2}-\d{2,3}(?![\d\w])")

# Words after which a name follows ("меня зовут Иван Петров", "ФИО: ...").
_NAME_CUE = re.compile(
    r"(?P<cue>\b(?:меня\s+зовут|зовут\s+меня|мо[её]\s+имя|мо[её]\s+фамилия|мои\s+фио|мо[её]\s+фио|фио|"
    r"с\s+уважением|на\s+имя|имя\s+и\s+фамилия|фамилия\s+имя\s+отчество|я\s*[—–-])"
    r"[\s:,\-—–]*)(?P<name>[^\W\d_]+(?:[\s\-][^\W\d_]+){0,2})", re.IGNORECASE)
# "я — пенсионерка" is not a name: after "я —" only capitalised words count.
_DASH_CUE = re.compile(r"^я\s*[—–-]", re.IGNORECASE)
# Words that end a name: the question goes on ("меня зовут Иван как передать показания").
_NOT_NAME = frozenset("""
а и но или да нет не ни же ли бы вот это этот эта как где куда когда почему зачем что чем сколько какой какая
какие кто можно нужно надо хочу хотел хотела хотим подскажите скажите помогите пожалуйста прошу спасибо
здравствуйте добрый день вечер утро у я мне меня мой моя мое моё мои по на в во с со за для из от до о об про
живу проживаю пишу звоню обращаюсь являюсь вопрос счет счёт лицевой показания оплата оплатил оплатила
""".split())
# Patronymics name a person even without a cue: "Петров Иван Сергеевич", "Анна Петровна".
_PATRONYMIC = re.compile(
    r"\b(?:[А-ЯЁ][а-яё]+[\s]+){1,2}[А-ЯЁ][а-яё]+(?:ович|евич|ьич|овна|евна|ична|инична)\b"
    r"(?:\s+[А-ЯЁ][а-яё]+(?:ов|ев|ин|ын|ова|ева|ина|ына|ский|ская|ко|ук|юк)\b)?")


_DIGIT = re.compile(r"\d")
# Substrings without which a pattern cannot match (checked on the lowercased text, the
# patronymic's on the text as typed): most questions have none, and a substring test
# costs a fraction of a pattern's scan.
_EMAIL_HINT = re.compile(r"@|\(at\)|\[at\]|собака")
_NAME_CUE_HINT = re.compile(r"зовут|имя|фамили|фио|уважением|[-—–]")
_PATRONYMIC_HINT = re.compile(r"вич|ьич|вна|ична")


def redact(text: str) -> str:
    """The text with personal data replaced by placeholders such as [телефон] and [счёт]."""
    lowered = text.lower()
    if _EMAIL_HINT.search(lowered):
        text = _EMAIL.sub(EMAIL, text)
    if _DIGIT.search(text):
        text = _DIGIT_RUN.sub(_classify_digits, text)
        text = _LOCAL_PHONE.sub(PHONE, text)
    if _NAME_CUE_HINT.search(lowered):
        text = _NAME_CUE.sub(_name, text)
    if _PATRONYMIC_HINT.search(text):
        text = _PATRONYMIC.sub(NAME, text)
    return text


def _classify_digits(match: re.Match[str]) -> str:
    raw = match.group(0)
    digits = re.sub(r"\D", "", raw)
    count = len(digits)
    grouped = raw != digits
    if raw.startswith("+") and count >= 10:
        return PHONE
    if count == 11 and digits[0] in "78":
        return PHONE
    if count == 10 and (digits[0] == "9" or "(" in raw):
        return PHONE
    if count == 12:
        return ACCOUNT
    if 13 <= count <= 19:
        return CARD
    if count >= 9:
        return NUMBER
    if count == 7 and grouped and re.fullmatch(r"\d{3}[\s-]\d{2}[\s-]\d{2}", raw):
        return PHONE
    return raw


def _name(match: re.Match[str]) -> str:
    cue, name = match.group("cue"), match.group("name")
    words = re.split(r"([\s\-])", name)
    kept: list[str] = []
    for i in range(0, len(words), 2):
        word = words[i]
        if word.lower() in _NOT_NAME:
            break
        if _DASH_CUE.match(cue) and not word[:1].isupper():
            break
        kept.append(word)
    if not kept:
        return match.group(0)
    taken = "".join(words[: 2 * len(kept) - 1])
    return cue + NAME + name[len(taken):]
