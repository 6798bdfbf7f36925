"""Training copies of the phrasings inside the talk customers wrap a question in.

Customers rarely ask in one clean sentence: a chat message starts with a greeting and
a bit of their story, a letter to the utility with who is writing, what happened
before and a formal closing. Those sentences are the same whatever the question, and
some of their words are topic words elsewhere («обращение», «управляющая компания»,
«наследство»). Trained only on clean phrasings, the model takes them for evidence; a
seeded wrapped copy of each phrasing teaches it that they say little about the topic.

These sentences are deliberately not the ones `spravka eval --cv` wraps its held-out
copies in (spravka_tools/eval/perturb.py): the measure must see wording the model
never trained on.
"""

from __future__ import annotations

import random

OPENINGS = (
    "Добрый день!",
    "Здравствуйте, уважаемая служба поддержки.",
    "Приветствую.",
    "Уважаемый энергосбыт!",
    "Доброго времени суток.",
    "Обращаюсь к вам за помощью.",
    "Вопрос к специалистам.",
    "Уважаемые господа!",
    "",
)
CIRCUMSTANCES = (
    "Я собственник квартиры в многоквартирном доме.",
    "Живу в частном доме за городом.",
    "Квартиру снимаю, хозяин живёт в другом городе.",
    "Мне 72 года, я инвалид второй группы.",
    "У нас трое детей, живём в двухкомнатной квартире.",
    "Дому больше сорока лет, проводка старая.",
    "В прошлом месяце я лежал в больнице.",
    "Позвонить не получается, линия всё время занята.",
    "По телефону мне ничего толком не объяснили.",
    "Соседи говорят, что у них то же самое.",
    "Председатель ТСЖ посоветовал написать вам.",
    "Недавно мы закончили ремонт в квартире.",
    "Я работаю вахтой и дома бываю редко.",
    "Пишу уже третий раз, ответа так и не получил.",
    "Дочь помогла мне зайти на ваш сайт.",
    "Мы въехали в новостройку этой весной.",
    "Бабушка оформила на меня доверенность.",
    "Ситуация тянется с лета.",
    "Нахожусь в отпуске, пишу с телефона.",
    "Раньше таких проблем никогда не было.",
)
REQUESTS = (
    "Мой вопрос такой:",
    "Хочу узнать,",
    "Интересует следующее:",
    "Скажите,",
    "Прошу пояснить,",
    "Объясните мне, пожалуйста,",
    "",
)
CLOSINGS = (
    "Жду ответа.",
    "Очень надеюсь на вашу помощь.",
    "Прошу ответить как можно скорее.",
    "Спасибо за понимание.",
    "Ответ пришлите, пожалуйста, на почту.",
    "Прошу принять меры.",
    "Благодарю заранее!",
    "С уважением, Петров А. В.",
    "Прошу дать письменный ответ по существу.",
    "Надеюсь на быстрое решение.",
    "Прошу рассмотреть мою жалобу.",
    "",
)


def wrapped(phrase: str, rng: random.Random) -> str:
    """The phrasing as a customer's longer message: an opening, one or two sentences of
    circumstances, a lead-in, the question and a closing (any of them may be missing)."""
    story = rng.sample(CIRCUMSTANCES, rng.choice((1, 2)))
    question = phrase.strip().rstrip(".?!")
    parts = (rng.choice(OPENINGS), *story, rng.choice(REQUESTS), question + "?", rng.choice(CLOSINGS))
    return " ".join(p for p in parts if p)
