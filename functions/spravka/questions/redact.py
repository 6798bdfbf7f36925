"""Personal data out of a question before it is logged: numbers, phones, e-mails, cards, names, addresses → placeholders.

The text is normalised first (Unicode NFKC, so a full-width ＠ or ９ is an @ or a 9; zero-width
and other invisible characters removed, so they cannot split a number), then each pattern runs
once. Every pattern is anchored where a token starts (a look-behind refuses to start inside a
run), so no input makes one backtrack over the text again and again: redaction is linear in the
text's length, and the text is capped (MAX_QUESTION_CHARS) before it gets here.

The log's writer runs this on every question before anything is stored
(spravka.questions.recorder). When in doubt it redacts: a lost meter value costs the editors
nothing, a kept phone number is a leak.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from spravka.questions.names import _INITIALS, _INITIALS_HINT, _PATRONYMIC, _PATRONYMIC_HINT

ACCOUNT = "[счёт]"
PHONE = "[телефон]"
EMAIL = "[e-mail]"
CARD = "[карта]"
NAME = "[имя]"
NUMBER = "[номер]"
ADDRESS = "[адрес]"
PLACEHOLDERS = (ACCOUNT, PHONE, EMAIL, CARD, NAME, NUMBER, ADDRESS)

# Soft hyphen, zero-width spaces and joiners, direction marks, word joiner, BOM: they split a
# number or a word for the eye of a pattern but not for a reader.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u206a-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
_ODD_SPACE = re.compile("[\u2028\u2029\u0085\u000b\u000c]")

_EMAIL = re.compile(
    r"(?<![\w.+%-])[\w.+%-]+(?:"
    r"\s*@\s*[\w-]+(?:\.[\w-]+)*"  # ivan@mail.ru, ivan @ mail.ru, ivan@localhost
    r"|(?:\s*(?:\(at\)|\[at\]|\(собака\)|\[собака\]|\(@\))\s*|\s+(?:at|собака)\s+)"  # spelled out: needs a dot too
    r"[\w-]+(?:(?:\.|\s*(?:\(dot\)|\[dot\]|\(точка\)|\[точка\])\s*|\s+(?:dot|точка)\s+)[\w-]+)+)",
    re.IGNORECASE,
)

# Dashes of every kind, brackets, dots, slashes, underscores and spaces between digits.
_DIGIT_GAP = r"[\s\-‐‑‒–—―−()./\\_]"
# A run of digits in groups: "+7 (916) 123-45-67", "8.916.123.45.67", "4276_1234_5678_9012", "ЛС000000000001".
_DIGIT_RUN = re.compile(rf"(?<![\d+])\+?\d(?:{_DIGIT_GAP}{{0,3}}\d)+(?!\d)")
# Seven digits as phones are written locally: "123-45-67", "12-34-567", "123 45 67".
_LOCAL_PHONE = re.compile(r"\d{3}[\s\-.]\d{2}[\s\-.]\d{2}|\d{2}[\s\-.]\d{2}[\s\-.]\d{3}")
_PREFIXED_LOCAL = re.compile(r"\D\d{3}[\s\-.]\d{2}[\s\-.]\d{2}$")
# Words just before a number that make it a phone: "тел89161234567", "номер 1234567".
_PHONE_CUE = re.compile(r"(?:тел|phone|моб|сот|звон|номер|whatsapp|вотсап|ватсап|viber|вайбер)\w*\W{0,3}$")

_STREET_WORDS = (
    r"улиц[аеуы]|ул|проспект[аеу]?|пр-т|просп|пр|переул(?:ок|ка|ке)|пер|бульвар[аеу]?|б-р|"
    r"шоссе|ш|площад[ьи]|пл|набережн(?:ая|ой|ую)|наб|проезд[аеу]?|пр-д|микрорайон[аеу]?|мкр|тупик[аеу]?"
)
_HOUSE = (
    r"(?:д\.?|дом)?\s*\d+(?:\s?[а-яё](?![а-яё]))?(?:\s*/\s*\d+)?"
    r"(?:[\s,]*(?:к|корп|корпус|стр|строение)\.?\s*\d+)?(?:[\s,\-]*(?:кв\.?|квартира)?\s*\d+)?"
)
# A street and what follows it ("ул. Ленина, д. 5, кв. 12", "проспект Мира 10-3"), a house or a
# flat on its own ("д. 5 кв. 12", "квартира 7"), and whatever comes after «по адресу».
_ADDRESS = re.compile(
    rf"(?<![\w-])(?:{_STREET_WORDS})(?:\.\s*|\s+)(?:\d{{1,2}}(?:-?[а-яё]{{1,2}})?\s+)?"
    rf"(?:(?-i:[А-ЯЁA-Z])[\w-]*|[^\W\d_][\w-]*(?=[\s,]*(?:д\.?|дом)?\s*\d))(?:\s+(?-i:[А-ЯЁA-Z])[\w-]*){{0,2}}"
    rf"(?:[\s,]*{_HOUSE})?"
    rf"|(?<![\w-])(?:д\.|дом)\s*\d+(?:\s?[а-яё](?![а-яё]))?(?:\s*/\s*\d+)?"
    rf"(?:[\s,]*(?:к|корп|корпус|стр|строение)\.?\s*\d+)?(?:[\s,\-]*(?:кв\.?|квартира)\s*\d+)?"
    rf"|(?<![\w-])(?:кв\.?|квартир[аеуы])\s*№?\s*\d+"
    rf"|(?<![\w-])(?:по\s+)?адрес[уа]?\s*:?\s*[^?!\n]{{0,80}}\d[\w/]*",
    re.IGNORECASE,
)

# Words after which a name follows. Strong cues take any word ("меня зовут иван"); weak ones only
# capitalised words ("я Петрова Анна", not "я хочу"; "абонент Смирнов Алексей").
_STRONG_CUES = (
    r"меня\s+зовут|зовут\s+меня|мо[яеё]\s+имя|мо[яеё]\s+фамилия|мои\s+фио|мо[её]\s+фио|фио|"
    r"с\s+уважением|на\s+имя|имя\s+и\s+фамилия|фамилия\s+имя\s+отчество|my\s+name\s+is|"
    r"full\s+name|regards|sincerely"
)
_WEAK_CUES = (
    r"я\s*[—–-]|я|абонент(?:ка)?|потребитель(?:ница)?|собственни(?:к|ца)|владел(?:ец|ица)|"
    r"плательщи(?:к|ца)|фамилия|имя|i\s+am|i'm|this\s+is"
)
_NAME_CUE = re.compile(
    rf"(?P<cue>(?<!\w)(?:{_STRONG_CUES}|{_WEAK_CUES})(?!\w)[\s:,\-—–]*)(?P<name>[^\W\d_]+(?:[\s\-][^\W\d_]+){{0,2}})",
    re.IGNORECASE,
)
_WEAK_CUE = re.compile(rf"(?:{_WEAK_CUES})(?!\w)[\s:,\-—–]*$", re.IGNORECASE)
# Words that end a name: the question goes on ("меня зовут Иван как передать показания").
_NOT_NAME = frozenset(
    """
а и но или да нет не ни же ли бы вот это этот эта как где куда когда почему зачем что чем сколько какой какая
какие кто можно нужно надо хочу хотел хотела хотим подскажите скажите помогите пожалуйста прошу спасибо
здравствуйте добрый день вечер утро у я мне меня мой моя мое моё мои по на в во с со за для из от до о об про
живу проживаю пишу звоню обращаюсь являюсь вопрос счет счёт лицевой показания оплата оплатил оплатила
не передал передала хотел хотела могу можете уже тоже ещё еще
""".split()
)
# Substrings without which a pattern cannot match (checked on the lowercased text, the
# capitalised patterns' on the text as typed): most questions have none, and a substring test
# costs a fraction of a pattern's scan.
_EMAIL_HINT = re.compile(r"@|\bat\b|собака")
_ADDRESS_HINT = re.compile(r"ул|пр|пер|б-р|бульв|шоссе|ш[.\s]|пл|наб|мкр|микрор|тупик|д\.|дом|кв|адрес")
_NAME_CUE_HINT = re.compile(
    r"зовут|имя|фамили|фио|уважением|\bя\b|абонент|потребител|собственни|владел|"
    r"плательщи|name|regards|sincerely|\bi\b|this"
)


def normalise(text: str) -> str:
    """NFKC (a sign "№" kept as typed), invisible characters removed, odd line breaks as spaces."""
    text = "№".join(unicodedata.normalize("NFKC", part) for part in text.split("№"))
    return _ODD_SPACE.sub(" ", _INVISIBLE.sub("", text))


def redact(text: str) -> str:
    """The text with personal data replaced by placeholders such as [телефон] and [счёт]."""
    return redact_normalised(normalise(text))


def redact_normalised(text: str, *, hinted: bool = True) -> str:
    """Every pattern in turn on normalised text; `hinted` skips those whose hint is absent."""
    for hint, lowered, pattern, replacement in _STEPS:
        if not hinted or hint.search(text.lower() if lowered else text):
            text = pattern.sub(replacement, text)
    return text


def _classify_digits(match: re.Match[str]) -> str:
    raw = match.group(0)
    digits = re.sub(r"\D", "", raw)
    count = len(digits)
    cued = bool(_PHONE_CUE.search(match.string[max(0, match.start() - 20) : match.start()].lower()))
    if raw.startswith("+") and count >= 7:
        return PHONE
    if count == 8 and _PREFIXED_LOCAL.search(raw):
        return PHONE  # "8 123-45-67": a local number after a prefix
    if count == 11 and digits[0] in "78":
        return PHONE
    if count == 10 and (digits[0] == "9" or "(" in raw or cued):
        return PHONE
    if count == 12:
        return ACCOUNT
    if 13 <= count <= 19:
        return CARD
    if count >= 9:
        return NUMBER
    if 5 <= count <= 7 and cued:
        return PHONE
    if count == 7 and (raw.isdigit() or _LOCAL_PHONE.fullmatch(raw)):
        return PHONE if _LOCAL_PHONE.fullmatch(raw) else NUMBER
    return raw


def _name(match: re.Match[str]) -> str:
    cue, name = match.group("cue"), match.group("name")
    weak = bool(_WEAK_CUE.fullmatch(cue))
    words = re.split(r"([\s\-])", name)
    kept: list[str] = []
    for i in range(0, len(words), 2):
        word = words[i]
        if word.lower() in _NOT_NAME:
            break
        if weak and not word[:1].isupper():
            break
        kept.append(word)
    if not kept:
        return match.group(0)
    taken = "".join(words[: 2 * len(kept) - 1])
    return cue + NAME + name[len(taken) :]


_Replacement = str | Callable[[re.Match[str]], str]
_STEPS: tuple[tuple[re.Pattern[str], bool, re.Pattern[str], _Replacement], ...] = (
    (_EMAIL_HINT, True, _EMAIL, EMAIL),
    (_ADDRESS_HINT, True, _ADDRESS, ADDRESS),
    (re.compile(r"\d"), False, _DIGIT_RUN, _classify_digits),
    (_NAME_CUE_HINT, True, _NAME_CUE, _name),
    (_PATRONYMIC_HINT, False, _PATRONYMIC, NAME),
    (_INITIALS_HINT, False, _INITIALS, NAME),
)
