"""The bots' dialog, the same in every messenger: states and replies as plain data (replies.py).

`respond(conversation, update, context)` is pure but for the two services it calls: `ask`'s
answer over the index, and the readings service (readings_flow.py) with its own rules and limits.
Nothing here knows a platform; the adapters turn updates into `Update`s and `Message`s into calls.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from spravka.ask.answer import Reply, answer
from spravka.ask.validate import parse_question
from spravka.bots import readings_flow
from spravka.bots.context import Context
from spravka.bots.conversations import Conversation
from spravka.bots.markup import absolute_url
from spravka.bots.replies import (
    ARTICLE,
    CANCEL,
    FORGET,
    MENU,
    MENU_ASK,
    MENU_CONTACT,
    MENU_READINGS,
    Asked,
    Button,
    Message,
    Turn,
    Update,
)
from spravka.errors import ApiError

GREETING = "Здравствуйте! Я помощник службы поддержки. Отвечу на вопрос, приму показания счётчиков или подскажу, как связаться со специалистом."
ASK_PROMPT = "Напишите вопрос одним сообщением — я найду ответ в справке."
CANCELLED = "Хорошо, отменил. Чем ещё помочь?"
NOT_UNDERSTOOD = "Не понял сообщение. Напишите вопрос словами или выберите действие:"
CONTACTS = "Связаться с нами"
RECEPTION = "Виртуальная приёмная"
START_WORDS = frozenset({"/start", "/menu", "/help", "меню", "начать", "старт", "помощь"})
CANCEL_WORDS = frozenset({"/cancel", "отмена", "отменить", "стоп"})
FORGET_WORDS = frozenset({"/forget", "забыть", "забудь", "забыть счёт", "забыть счет", "забудь счёт", "забудь счет"})


def respond(conversation: Conversation, update: Update, context: Context) -> Turn:
    """The replies to one update and the conversation after it."""
    command = _command(update)
    if command in START_WORDS:
        return _turn(_greeting(context), _idle(conversation))
    if command in CANCEL_WORDS or update.data == CANCEL:
        return _turn(Message(CANCELLED, MENU), _idle(conversation))
    if command in FORGET_WORDS or update.data == FORGET:
        return readings_flow.forget(conversation)
    if update.data == MENU_ASK:
        return _turn(Message(ASK_PROMPT), _idle(conversation))
    if update.data == MENU_CONTACT:
        return _turn(contacts(context), _idle(conversation))
    if update.data == MENU_READINGS:
        return readings_flow.start(_idle(conversation), context)
    if update.data and update.data.startswith(ARTICLE):
        return _turn(_article(update.data[len(ARTICLE) :], context), _idle(conversation))
    if conversation.step:
        turn = readings_flow.step(conversation, update, context)
        if turn is not None:
            return turn
        conversation = _idle(conversation)  # a question in the middle of the flow leaves it
    if update.text and update.text.strip():
        account = readings_flow.account_in(update.text)
        if account is not None:  # a bare account number: the customer came to pass readings
            return readings_flow.with_account(conversation, account, context)
        return _question(update.text, conversation, context)
    return _turn(Message(NOT_UNDERSTOOD, MENU), conversation)


def _command(update: Update) -> str:
    text = (update.text or "").strip().lower()
    return re.sub(r"@\w+$", "", text)  # "/start@gorenergosbyt_bot" in a group


def _turn(message: Message, conversation: Conversation, asked: Asked | None = None) -> Turn:
    return Turn((message,), conversation, asked)


def _idle(conversation: Conversation) -> Conversation:
    """The conversation with the flow's state dropped; a remembered account stays."""
    return Conversation(saved_account=conversation.saved_account)


def _greeting(context: Context) -> Message:
    return Message(GREETING, MENU)


def link(url: str, context: Context) -> str | None:
    """An absolute address for a link button (the site's own paths need SITE_URL), or None."""
    return absolute_url(url, context.settings.site_url)


def reception_button(context: Context) -> tuple[Button, ...]:
    url = link("/appeals/", context)
    return (Button(RECEPTION, url=url),) if url else ()


def contacts(context: Context) -> Message:
    """The operator hand-over: the contacts from the facts (ask's `operator` reply) and the virtual reception."""
    text = context.index.replies.get("operator", "")
    buttons = tuple(row for row in (reception_button(context), (Button("Задать вопрос", MENU_ASK),)) if row)
    return Message(text, buttons)


def _article(article_id: str, context: Context) -> Message:
    article = context.index.articles.get(article_id)
    if article is None:
        return Message(context.index.replies.get("fallback", ""), _fallback_buttons(context))
    return Message(article.text, _article_buttons(article, (), context))


def _article_buttons(article: Any, related: tuple[Any, ...], context: Context) -> tuple[tuple[Button, ...], ...]:
    rows: list[tuple[Button, ...]] = []
    url = link(article.url, context)
    if url:
        rows.append((Button(f"Подробнее: {article.title}", url=url),))
    rows += [(Button(other.title, ARTICLE + other.id),) for other in related if len(ARTICLE + other.id) <= 64]
    return tuple(rows)


def _fallback_buttons(context: Context) -> tuple[tuple[Button, ...], ...]:
    return tuple(row for row in ((Button(CONTACTS, MENU_CONTACT),), reception_button(context)) if row)


def _question(text: str, conversation: Conversation, context: Context) -> Turn:
    try:
        question = parse_question({"q": text}, max_chars=context.settings.max_question_chars)
    except ApiError as error:
        return _turn(Message(error.message), conversation)
    reply = answer(question, context.index)
    asked = Asked(question, reply)
    if reply.kind == "action" and reply.action == "submit-readings":
        turn = readings_flow.start(conversation, context)
        return dataclasses.replace(turn, asked=asked)
    return _turn(_reply_message(reply, context), conversation, asked)


def _reply_message(reply: Reply, context: Context) -> Message:
    """ask's reply in the dialog's terms: link and choices as buttons, the way to a specialist when unsure."""
    if reply.kind == "answer" and reply.article is not None:
        return Message(reply.text, _article_buttons(reply.article, reply.suggestions, context))
    if reply.kind == "clarify":
        choices = tuple((Button(a.title, ARTICLE + a.id),) for a in reply.suggestions if len(ARTICLE + a.id) <= 64)
        return Message(reply.text, choices + ((Button(CONTACTS, MENU_CONTACT),),))
    if reply.kind == "action" and reply.action == "operator":
        return contacts(context)
    if reply.kind == "action":  # personal: the customer's own data is in the personal account or with a specialist
        return Message(reply.text, ((Button(CONTACTS, MENU_CONTACT),),))
    if reply.kind == "smalltalk":
        return Message(reply.text, MENU if reply.text == context.index.replies.get("smalltalk:greeting") else ())
    return Message(reply.text, _fallback_buttons(context))
