"""Conversations in Firestore: `bot_chats` and `bot_updates`, each with a TTL field `expire_at`.

Imported only when READINGS_STORE=firestore. The TTL policy on `expire_at` (docs/deploy.md)
deletes what expired; loading also ignores an expired state, so a late deletion changes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from google.cloud import firestore

from spravka.bots.conversations import UPDATE_TTL, Conversation, expiry_of
from spravka.store.firestore_calls import CALL, call, run_transaction

CHATS = "bot_chats"
UPDATES = "bot_updates"


class FirestoreConversations:
    """A ConversationStore over Cloud Firestore (or its emulator when FIRESTORE_EMULATOR_HOST is set)."""

    def __init__(self, client: firestore.Client | None = None, *, project: str | None = None) -> None:
        self.client = client or firestore.Client(project=project)

    def load(self, chat: str, now: datetime.datetime) -> Conversation:
        snapshot = call(self.client.collection(CHATS).document(chat).get)
        if not snapshot.exists or snapshot.get("expire_at") <= now:
            return Conversation()
        doc = snapshot.to_dict() or {}
        state = doc.get("state") if doc.get("state_expires_at") and doc["state_expires_at"] > now else None
        return Conversation.from_docs(state, doc.get("saved_account"))

    def handled(self, update: str) -> bool:
        return bool(call(self.client.collection(UPDATES).document(update).get).exists)

    def commit(self, chat: str, update: str, conversation: Conversation, now: datetime.datetime) -> bool:
        state_expires, expires = expiry_of(conversation, now)
        update_ref = self.client.collection(UPDATES).document(update)
        chat_ref = self.client.collection(CHATS).document(chat)

        def body(transaction: Any) -> bool:
            if update_ref.get(transaction=transaction, **CALL).exists:
                return False
            transaction.create(update_ref, {"expire_at": now + UPDATE_TTL})
            transaction.set(
                chat_ref,
                {
                    "state": conversation.to_doc(),
                    "state_expires_at": state_expires,
                    "saved_account": conversation.saved_account,
                    "expire_at": expires,
                },
            )
            return True

        return run_transaction(self.client, body, attempts=3, deadline=10.0)

    def close(self) -> None:
        self.client.close()
