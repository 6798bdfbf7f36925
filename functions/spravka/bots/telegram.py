"""The Telegram adapter: the webhook's Update in, the dialog's messages out as Bot API calls.

The types are plain dicts of the documented Bot API shapes (core.telegram.org/bots/api), not
aiogram or python-telegram-bot: the webhook needs four fields of an Update and two methods, and
either library costs its own import on every cold start — measured here, aiogram 3 ~4 s (pydantic
models of the whole API, aiohttp), python-telegram-bot 0.25–0.5 s (httpx), against 50–70 ms for
json, hmac and urllib.request (docs/bots.md).

The last message of a turn travels in the webhook's own response (`{"method": "sendMessage", …}`),
so a one-message turn makes no outgoing call; earlier ones, and answerCallbackQuery, go to
TELEGRAM_API_BASE first, in order.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping
from typing import Any

import flask

from spravka.bots.markup import absolute_url, cut, to_telegram_html
from spravka.bots.replies import UPDATE_BYTES, Message, Update
from spravka.config import Settings, get_settings
from spravka.errors import BadRequest, Forbidden, StoreUnavailable
from spravka.http import read_json

log = logging.getLogger(__name__)

CHANNEL = "telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TEXT_LIMIT = 4096  # characters of a message's text after entities are parsed
DATA_LIMIT = 64  # bytes of a button's callback_data
FORBIDDEN = "Запрос не от Telegram."
UNAVAILABLE = "Сервис временно недоступен, ничего не сохранено. Повторите сообщение через минуту."


def handle(request: flask.Request) -> Any:
    """The `telegram` function: authenticate, then one Update through the dialog."""
    settings = get_settings()
    _authenticate(request, settings)
    update = read_json(request, limit=UPDATE_BYTES)
    update_id = update.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        raise BadRequest("update_invalid", "Ожидалось обновление Telegram (Update) с update_id.")
    event = _event(update)
    if event is None:
        return {}  # an update the bot does not act on (an edit, a member change, …)
    chat, turn_update, callback = event
    from spravka.bots.service import handle_update  # the dialog's modules load once there is a turn to take

    try:
        messages = handle_update(CHANNEL, chat, str(update_id), turn_update)
    except StoreUnavailable:
        messages = (Message(UNAVAILABLE),)
    if messages is None:
        return {}  # a retry of an update answered before: no second answer
    if callback is not None:  # stops the button's spinner
        _call(settings, "answerCallbackQuery", {"callback_query_id": callback})
    for message in messages[:-1]:
        _call(settings, "sendMessage", send_message(chat, message, settings))
    return {"method": "sendMessage", **send_message(chat, messages[-1], settings)}


def _authenticate(request: flask.Request, settings: Settings) -> None:
    """403 unless the secret header equals TELEGRAM_SECRET (and the bot is configured at all)."""
    given = request.headers.get(SECRET_HEADER, "")
    if not (settings.telegram_secret and settings.telegram_token) or not hmac.compare_digest(
        given.encode(), settings.telegram_secret.encode()
    ):
        raise Forbidden("webhook_forbidden", FORBIDDEN)


def _event(update: Mapping[str, Any]) -> tuple[str, Update, str | None] | None:
    """(chat id, what the customer did, callback query id) of a message or a pressed button; None otherwise."""
    message = update.get("message")
    if isinstance(message, Mapping):
        chat = _chat_id(message)
        text = message.get("text")
        return (chat, Update(text=text if isinstance(text, str) else None), None) if chat else None
    query = update.get("callback_query")
    if isinstance(query, Mapping) and isinstance(query.get("message"), Mapping):
        chat = _chat_id(query["message"])
        data = query.get("data")
        if chat and isinstance(data, str):
            return chat, Update(data=data), str(query.get("id", ""))
    return None


def _chat_id(message: Mapping[str, Any]) -> str | None:
    """The private chat's id; None for a group or channel, where the bot takes no part (no accounts in a group)."""
    chat = message.get("chat")
    if not isinstance(chat, Mapping) or chat.get("type") != "private":
        return None
    chat_id = chat.get("id")
    return str(chat_id) if isinstance(chat_id, int) and not isinstance(chat_id, bool) else None


def send_message(chat: str, message: Message, settings: Settings) -> dict[str, Any]:
    """sendMessage's parameters: HTML parse mode, the text within 4096 characters, an inline keyboard."""

    def resolve(url: str) -> str | None:
        return absolute_url(url, settings.site_url)

    body: dict[str, Any] = {
        "chat_id": int(chat),
        "text": to_telegram_html(cut(message.text, TEXT_LIMIT), resolve),
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
    }
    rows = [
        [
            {"text": button.text, "url": button.url}
            if button.url
            else {"text": button.text, "callback_data": button.data}
            for button in row
            if button.url or (button.data and len(button.data.encode()) <= DATA_LIMIT)
        ]
        for row in message.buttons
    ]
    if any(rows):
        body["reply_markup"] = {"inline_keyboard": [row for row in rows if row]}
    return body


def _call(settings: Settings, method: str, body: Mapping[str, Any]) -> bool:
    from spravka.bots.outgoing import post_json  # urllib.request (~25 ms) only when there is a call to make

    url = f"{settings.telegram_api_base}/bot{settings.telegram_token}/{method}"
    return post_json(url, body, name=method)
