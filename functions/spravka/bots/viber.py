"""The Viber adapter: the REST Bot API's callbacks in, the dialog's messages out through /pa/send_message.

A small client of the documented REST API (developers.viber.com/docs/api/rest-bot-api/), not the
official viberbot SDK: the SDK has had no release since 2021, pulls in `requests` and its own
model classes for three callbacks and one call, and would load them on every cold start.

Callbacks are signed: X-Viber-Content-Signature is the hex HMAC-SHA256 of the raw body under
VIBER_TOKEN. The welcome on conversation_started travels in the callback's response (Viber's
one callback that allows it); every other message is a send_message call.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from typing import Any

import flask

from spravka.bots.markup import absolute_url, cut, to_plain
from spravka.bots.replies import DATA_PREFIXES, UPDATE_BYTES, Message, Update
from spravka.config import Settings, get_settings
from spravka.errors import BadRequest, Forbidden, StoreUnavailable
from spravka.http import read_body

log = logging.getLogger(__name__)

CHANNEL = "viber"
SIGNATURE_HEADER = "X-Viber-Content-Signature"
TEXT_LIMIT = 7000  # characters of a text message
COLUMNS = 6  # a keyboard row is six columns wide
FORBIDDEN = "Запрос не от Viber."
UNAVAILABLE = "Сервис временно недоступен, ничего не сохранено. Повторите сообщение через минуту."


def handle(request: flask.Request) -> Any:
    """The `viber` function: check the signature over the raw body, then one callback through the dialog."""
    settings = get_settings()
    raw = read_body(request.environ, request, limit=UPDATE_BYTES)
    _authenticate(request, raw, settings)
    try:
        callback = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest("invalid_json", "Запрос не в формате JSON.") from None
    if not isinstance(callback, Mapping):
        raise BadRequest("invalid_json", "Ожидался JSON-объект.")
    event = callback.get("event")
    token = callback.get("message_token")
    if event == "conversation_started":
        user = _user_id(callback.get("user"))
        if user is None or token is None:
            return {}
        messages = _turn(user, str(token), Update(text="/start"))
        return _send_body(messages[-1], settings) if messages else {}  # the welcome, in the response
    if event == "message" and token is not None:
        user = _user_id(callback.get("sender"))
        if user is not None:
            for message in _turn(user, str(token), _update(callback.get("message"))) or ():
                _send(settings, user, message)
    return {}  # "webhook" (the address check), delivered, seen, subscribed, …: 200 and nothing else


def _authenticate(request: flask.Request, raw: bytes, settings: Settings) -> None:
    given = request.headers.get(SIGNATURE_HEADER, "")
    if not settings.viber_token:
        raise Forbidden("webhook_forbidden", FORBIDDEN)
    expected = hmac.new(settings.viber_token.encode(), raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(given.lower().encode(), expected.encode()):
        raise Forbidden("webhook_forbidden", FORBIDDEN)


def _user_id(user: object) -> str | None:
    user_id = user.get("id") if isinstance(user, Mapping) else None
    return user_id if isinstance(user_id, str) and user_id else None


def _update(message: object) -> Update:
    """A text message; a reply button sends its ActionBody as the text (a known prefix: a pressed button)."""
    text = message.get("text") if isinstance(message, Mapping) and message.get("type") == "text" else None
    if isinstance(text, str) and text.startswith(DATA_PREFIXES):
        return Update(data=text)
    return Update(text=text if isinstance(text, str) else None)


def _turn(user: str, token: str, update: Update) -> tuple[Message, ...] | None:
    from spravka.bots.service import handle_update  # the dialog's modules load once there is a turn to take

    try:
        return handle_update(CHANNEL, user, token, update)
    except StoreUnavailable:
        return (Message(UNAVAILABLE),)


def _send_body(message: Message, settings: Settings) -> dict[str, Any]:
    """A text message with its keyboard, as send_message (without the receiver) and the welcome take it."""
    body: dict[str, Any] = {
        "min_api_version": 1,
        "sender": {"name": settings.viber_sender_name},
        "type": "text",
        "text": to_plain(cut(message.text, TEXT_LIMIT), lambda url: absolute_url(url, settings.site_url)),
    }
    buttons = [
        {
            "Columns": COLUMNS // len(row),
            "Rows": 1,
            "Text": button.text,
            "ActionType": "open-url" if button.url else "reply",
            "ActionBody": button.url or button.data,
            **({} if button.url else {"Silent": True}),
        }
        for row in message.buttons
        for button in row
    ]
    if buttons:
        body["keyboard"] = {"Type": "keyboard", "DefaultHeight": False, "Buttons": buttons}
    return body


def _send(settings: Settings, user: str, message: Message) -> bool:
    from spravka.bots.outgoing import post_json  # urllib.request (~25 ms) only when there is a call to make

    return post_json(
        f"{settings.viber_api_base}/pa/send_message",
        {"receiver": user, **_send_body(message, settings)},
        headers={"X-Viber-Auth-Token": settings.viber_token},
        name="send_message",
    )
