"""Seeded copies of a phrasing as customers write it: a typo, the wrong keyboard layout, translit, a story or a formal letter around it.

Cross-validation (eval/cv.py) asks these copies of the held-out phrasings too, so
the measure covers how people write, not only what the editors wrote.
"""

from __future__ import annotations

import random

# ЙЦУКЕН keys typed on QWERTY: the inverse of ask.normalise.LAYOUT for the letters.
_JCUKEN = "йцукенгшщзхъфывапролджэячсмитьбюё"
_QWERTY = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
TO_QWERTY = str.maketrans(_JCUKEN, _QWERTY)

_TRANSLIT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}

# Keys next to each other on ЙЦУКЕН: the letter a finger slips to.
_ROWS = ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю")
NEIGHBOURS = {row[i]: row[max(i - 1, 0) : i] + row[i + 1 : i + 2] for row in _ROWS for i in range(len(row))}

GREETINGS = ("Здравствуйте!", "Добрый день.", "Добрый вечер,", "Доброе утро!", "Извините за беспокойство.", "")
STORIES = (
    "Мы недавно переехали в эту квартиру и ещё не разобрались.",
    "Пишу за маму, ей 80 лет, сама она в интернете не сидит.",
    "Живу одна, пенсионерка, в этом всём разбираюсь плохо.",
    "Раньше всем занимался муж, а теперь приходится мне.",
    "Вчера весь вечер искала на сайте и так и не нашла.",
    "Я сейчас в командировке, а квартира осталась без присмотра.",
    "Купили дом в прошлом году, до этого жили у родителей.",
    "Соседка посоветовала написать сюда.",
    "Звонила вам утром, но не дождалась ответа.",
    "Сын уехал учиться, теперь сам плачу за всё.",
)
CLOSINGS = ("Спасибо!", "Заранее благодарю.", "Подскажите, пожалуйста.", "Буду признательна за ответ.", "")

# A formal letter around the question, as residents write to a utility: long, with circumstances that
# name other things (the flat, the management company, an earlier call) before the question itself.
LETTER_OPENINGS = (
    "Уважаемые сотрудники!",
    "Здравствуйте.",
    "Добрый день, обращаюсь к вам как собственник квартиры.",
    "В АО «Городской энергосбыт» от жильца дома по улице Садовой.",
    "",
)
LETTER_CIRCUMSTANCES = (
    "Проживаю по указанному адресу с 2015 года, все платежи вношу вовремя.",
    "Ранее я уже звонил на горячую линию, но вопрос так и не решился.",
    "Пишу от имени своей матери, она пенсионерка и сама обратиться не может.",
    "В нашем доме в прошлом году сменилась управляющая компания.",
    "Квартира досталась мне по наследству, до этого в ней жил отец.",
    "Мы с семьёй прописаны здесь вчетвером, дети школьного возраста.",
    "Это уже второе моё обращение по данному вопросу.",
    "Дом старый, пятиэтажный, капитальный ремонт в нём не проводился.",
)
LETTER_REQUESTS = (
    "Прошу разъяснить:",
    "В связи с этим прошу сообщить,",
    "Прошу дать ответ на вопрос:",
    "Хотелось бы получить разъяснение,",
)
LETTER_CLOSINGS = (
    "Ответ прошу направить в письменной форме.",
    "С уважением, Иванова.",
    "Заранее благодарю за ответ.",
    "Прошу рассмотреть обращение в установленный срок.",
)

KINDS = ("typo", "layout", "translit", "story", "letter")


def perturb(phrase: str, kind: str, rng: random.Random) -> str:
    """One copy of the phrasing, changed the way `kind` says."""
    if kind == "typo":
        return typo(phrase, rng)
    if kind == "layout":
        return phrase.lower().translate(TO_QWERTY)
    if kind == "translit":
        return "".join(_TRANSLIT.get(ch, ch) for ch in phrase.lower())
    if kind == "story":
        parts = (
            rng.choice(GREETINGS),
            rng.choice(STORIES),
            phrase[:1].upper() + phrase[1:] + "?",
            rng.choice(CLOSINGS),
        )
        return " ".join(p for p in parts if p)
    if kind == "letter":
        circumstances = rng.sample(LETTER_CIRCUMSTANCES, 2)
        letter = (
            rng.choice(LETTER_OPENINGS),
            *circumstances,
            rng.choice(LETTER_REQUESTS),
            phrase[:1].lower() + phrase[1:] + ".",
            rng.choice(LETTER_CLOSINGS),
        )
        return " ".join(p for p in letter if p)
    raise ValueError(f"unknown kind of change: {kind}")


def typo(phrase: str, rng: random.Random) -> str:
    """The phrasing with one slip in one of its longer words (never the first letter)."""
    words = phrase.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return phrase
    i = rng.choice(long)
    word = words[i]
    at = rng.randrange(1, len(word) - 1)
    slip = rng.choice(("drop", "swap", "neighbour", "double"))
    if slip == "drop":
        word = word[:at] + word[at + 1 :]
    elif slip == "swap":
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif slip == "neighbour" and NEIGHBOURS.get(word[at].lower()):
        word = word[:at] + rng.choice(NEIGHBOURS[word[at].lower()]) + word[at + 1 :]
    else:
        word = word[:at] + word[at] + word[at:]
    words[i] = word
    return " ".join(words)
