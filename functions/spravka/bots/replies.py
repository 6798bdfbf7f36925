"""What the dialog says, as plain data any messenger can show: text, buttons, link buttons.

`text` is the Markdown subset ask's answers use (**bold**, [title](url)); each adapter renders
it in its platform's formatting (markup.py). A button either sends `data` back to the dialog
(Telegram callback_data, Viber reply) or opens `url`.
"""

from __future__ import annotations

import dataclasses
from typing import Any, NamedTuple


class Button(NamedTuple):
    text: str
    data: str | None = None  # sent back to the dialog when pressed (at most 64 bytes: Telegram's limit)
    url: str | None = None  # opened when pressed (absolute http(s) address)


@dataclasses.dataclass(frozen=True)
class Update:
    """What the customer did: typed `text`, or pressed a button that sent `data`."""

    text: str | None = None
    data: str | None = None


@dataclasses.dataclass(frozen=True)
class Message:
    """One message to the customer; `buttons` in rows."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


@dataclasses.dataclass(frozen=True)
class Asked:
    """A question the dialog answered with ask: logged (with its channel) once the update is committed."""

    question: str
    reply: Any  # spravka.ask.answer.Reply


@dataclasses.dataclass(frozen=True)
class Turn:
    """The dialog's answer to one update: the messages, the conversation after it, and what to log."""

    messages: tuple[Message, ...]
    conversation: Any  # spravka.bots.conversations.Conversation
    asked: Asked | None = None


# A platform's update may quote a long message it replies to (Telegram's reply_to_message): more
# than the widget's 16 KiB. Refusing it would make the platform resend it again and again.
UPDATE_BYTES = 64 * 1024

# What a pressed button sends back (short: Telegram's callback_data holds 64 bytes).
MENU_ASK = "menu:ask"
MENU_READINGS = "menu:readings"
MENU_CONTACT = "menu:contact"
ARTICLE = "article:"  # + article id
METER = "meter:"  # + meter id
SAVED_YES = "saved:yes"
SAVED_NO = "saved:no"
REMEMBER = "account:remember"
NO_REMEMBER = "account:no"
FORGET = "account:forget"
CANCEL = "cancel"

MENU = (
    (Button("Задать вопрос", MENU_ASK),),
    (Button("Передать показания", MENU_READINGS),),
    (Button("Связаться с нами", MENU_CONTACT),),
)

# What a Viber reply button's text starts with: such a message is a pressed button, not typed text.
DATA_PREFIXES = ("menu:", ARTICLE, METER, "saved:", "account:", CANCEL)
