"""Conversations in Firestore: `bot_chats` and `bot_updates`, each with a TTL field `expire_at`.

Imported only when READINGS_STORE=firestore. The TTL policy on `expire_at` (docs/deploy.md)
deletes what expired; loading also ignores an expired state, so a late deletion changes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from google.cloud import firestore

from spravka.bots.conversations import UPDATE_TTL, Committed, Conversation, expiry_of
from spravka.store.firestore_calls import call, commit_unless_changed, read_by_id

CHATS = "bot_chats"
UPDATES = "bot_updates"


class FirestoreConversations:
    """A ConversationStore over Cloud Firestore (or its emulator when FIRESTORE_EMULATOR_HOST is set)."""

    def __init__(self, client: firestore.Client | None = None, *, project: str | None = None) -> None:
        self.client = client or firestore.Client(project=project)

    def load(self, chat: str, now: datetime.datetime) -> Conversation:
        snapshot = call(self.client.collection(CHATS).document(chat).get)
        if not snapshot.exists:
            return Conversation()
        doc = snapshot.to_dict() or {}
        version = int(doc.get("version") or 0)
        if doc["expire_at"] <= now:  # the TTL policy deletes it some time later
            return Conversation(version=version)
        state = doc.get("state") if doc.get("state_expires_at") and doc["state_expires_at"] > now else None
        return Conversation.from_docs(state, doc.get("saved_account"), version)

    def handled(self, update: str) -> bool:
        return bool(call(self.client.collection(UPDATES).document(update).get).exists)

    def commit(
        self, chat: str, update: str, conversation: Conversation, now: datetime.datetime, *, version: int
    ) -> Committed:
        state_expires, expires = expiry_of(conversation, now)
        update_ref = self.client.collection(UPDATES).document(update)
        chat_ref = self.client.collection(CHATS).document(chat)

        def attempt(batch: Any) -> Committed:
            found = read_by_id(self.client, [update_ref, chat_ref])
            marked, stored = found[update_ref.path], found[chat_ref.path]
            if marked.exists:
                return "handled"
            if (int(stored.get("version") or 0) if stored.exists else 0) != version:
                return "stale"
            batch.create(update_ref, {"expire_at": now + UPDATE_TTL})
            doc = {
                "state": conversation.to_doc(),
                "state_expires_at": state_expires,
                "saved_account": conversation.saved_account,
                "expire_at": expires,
                "version": version + 1,
            }
            if stored.exists:  # every field is replaced, only if nobody wrote the chat since it was read
                batch.update(chat_ref, doc, option=self.client.write_option(last_update_time=stored.update_time))
            else:
                batch.create(chat_ref, doc)
            return "committed"

        return commit_unless_changed(self.client, attempt, deadline=10.0)

    def close(self) -> None:
        self.client.close()
