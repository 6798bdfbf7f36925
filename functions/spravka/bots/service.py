"""One update through the dialog, whatever the messenger: load the chat, respond, commit, log.

The update's mark and the chat's new state are committed together (ConversationStore.commit);
a retry of an update already committed gets no second answer. A reading made in the turn
carries the update's idempotency key, so a retry that comes before the commit (the first
attempt died after the reading) replays that reading and never makes a second one.
"""

from __future__ import annotations

import functools
import logging

from spravka import clock
from spravka.ask.index import get_index
from spravka.bots.context import Context
from spravka.bots.conversations import ConversationStore, chat_key, update_key
from spravka.bots.dialog import respond
from spravka.bots.replies import Message, Update
from spravka.config import get_settings, sqlite_path
from spravka.errors import StoreUnavailable
from spravka.questions.recorder import record_question
from spravka.store import get_store

log = logging.getLogger(__name__)

ATTEMPTS = 3  # turns taken again when another update of the same chat committed first


def open_conversations(url: str) -> ConversationStore:
    """The conversation store beside the readings (a READINGS_STORE value); Firestore imported only for it."""
    path = sqlite_path(url)
    if path is not None:
        from spravka.bots.conversations_sqlite import SqliteConversations

        return SqliteConversations(path)
    from spravka.bots.conversations_firestore import FirestoreConversations

    return FirestoreConversations()


@functools.cache
def get_conversations() -> ConversationStore:
    """This instance's conversation store, opened on first use."""
    return open_conversations(get_settings().readings_store)


def handle_update(channel: str, chat: str, update_id: str, update: Update) -> tuple[Message, ...] | None:
    """The messages to send for one update; None when this update was handled before (a platform's retry).

    Raises StoreUnavailable when the chat cannot be loaded or committed (the adapter says so politely).
    """
    conversations = get_conversations()
    settings = get_settings()
    update_id = update_key(channel, update_id)
    if conversations.handled(update_id):
        log.info("%s update already handled", channel)
        return None
    chat = chat_key(channel, chat)
    context = Context(
        settings=settings,
        index=get_index(),
        store=get_store(),
        client=f"{channel}:{chat}",
        idempotency_key=f"{channel}:{update_id}",
    )
    for _ in range(ATTEMPTS):
        now = clock.now()
        conversation = conversations.load(chat, now)
        turn = respond(conversation, update, context)
        outcome = conversations.commit(chat, update_id, turn.conversation, now, version=conversation.version)
        if outcome == "handled":
            log.info("%s update handled meanwhile by another instance", channel)
            return None
        if outcome == "committed":
            if turn.asked is not None:
                # Only the question and ask's reply, with the channel: no chat id, no account (redacted by the writer).
                record_question(turn.asked.question, turn.asked.reply, settings=settings, channel=channel)
            return turn.messages
        # "stale": another update of this chat committed first; take this one again from its state
        # (a reading in the turn replays by its idempotency key, so taking it again makes no second one).
    log.warning("%s update: the chat stayed contended after %d attempts", channel, ATTEMPTS)
    raise StoreUnavailable()
