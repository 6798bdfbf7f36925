"""A chat's conversation as the store keeps it, and the narrow interface of the stores that keep it.

One document per chat, keyed by a hash of channel and chat id (the store never holds a chat id):
the step of the dialog with what it gathered, which expires STATE_TTL after the last message, and
an account the customer asked to remember, kept SAVED_TTL after the last use until «забыть».
Each handled update leaves a mark (channel and update id hashed, kept UPDATE_TTL) written in the
same transaction as the chat's new state: a platform's retry of that update finds the mark.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any, Literal, Protocol

from spravka.store.model import stable_id

STATE_TTL = datetime.timedelta(minutes=30)
SAVED_TTL = datetime.timedelta(days=365)
UPDATE_TTL = datetime.timedelta(days=2)  # Telegram and Viber retry an undelivered update for hours, not days


@dataclasses.dataclass(frozen=True)
class Conversation:
    """Where a chat is in the dialog. `account` and the flow's fields live only until the step ends or expires."""

    step: str = ""
    account: str | None = None
    meters: tuple[Mapping[str, Any], ...] = ()  # the meters lookup's answer, as readings returned it
    meter: str | None = None
    values: Mapping[str, str] = dataclasses.field(default_factory=dict)
    saved_account: str | None = None  # kept only with the customer's consent
    version: int = dataclasses.field(default=0, compare=False)  # the stored document's, for commit's check

    def to_doc(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "account": self.account,
            "meters": [dict(m) for m in self.meters],
            "meter": self.meter,
            "values": dict(self.values),
        }

    @classmethod
    def from_docs(cls, state: Mapping[str, Any] | None, saved_account: str | None, version: int = 0) -> "Conversation":
        state = state or {}
        return cls(
            step=str(state.get("step") or ""),
            account=state.get("account"),
            meters=tuple(state.get("meters") or ()),
            meter=state.get("meter"),
            values=dict(state.get("values") or {}),
            saved_account=saved_account,
            version=version,
        )


def chat_key(channel: str, chat: str) -> str:
    """The document id of a chat: a hash, so the store keeps no messenger's user id."""
    return stable_id("bot-chat", channel, chat, length=32)


def update_key(channel: str, update: str) -> str:
    return stable_id("bot-update", channel, update, length=32)


Committed = Literal["committed", "handled", "stale"]


class ConversationStore(Protocol):
    """Chats' conversations and handled updates."""

    def load(self, chat: str, now: datetime.datetime) -> Conversation:
        """The chat's conversation (an empty one when none or expired)."""
        ...

    def handled(self, update: str) -> bool:
        """Whether this update was handled already (a cheap look before the work; commit decides)."""
        ...

    def commit(
        self, chat: str, update: str, conversation: Conversation, now: datetime.datetime, *, version: int
    ) -> Committed:
        """In one transaction: mark the update handled and write the conversation as `version` + 1.

        "handled" when the update was marked already, "stale" when the chat's stored version is no
        longer `version` (another update of the chat committed meanwhile): nothing is written then.
        """
        ...

    def close(self) -> None: ...


def expiry_of(conversation: Conversation, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """(when the step's state expires, when the whole document may go)."""
    state_expires = now + STATE_TTL
    return state_expires, (now + SAVED_TTL if conversation.saved_account else state_expires)
