"""The conversation store's contract, on SQLite and on the Firestore emulator: marks, state, TTLs."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spravka.bots.conversations import SAVED_TTL, STATE_TTL, Conversation, ConversationStore, chat_key, update_key
from tests.firestore_emulator import PROJECT, STORES

NOW = datetime.datetime(2026, 12, 18, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(params=STORES)
def conversations(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ConversationStore]:
    store: Any
    if request.param == "firestore":
        request.getfixturevalue("firestore_emulator").wipe(PROJECT)
        from spravka.bots.conversations_firestore import FirestoreConversations

        store = FirestoreConversations(project=PROJECT)
    else:
        from spravka.bots.conversations_sqlite import SqliteConversations

        store = SqliteConversations(tmp_path / "spravka.sqlite3")
    yield store
    store.close()


def test_an_update_is_committed_once(conversations: ConversationStore) -> None:
    chat, update = chat_key("telegram", "7001"), update_key("telegram", "1")
    assert conversations.load(chat, NOW) == Conversation()
    assert not conversations.handled(update)
    first = Conversation(step="account")
    assert conversations.commit(chat, update, first, NOW)
    assert conversations.handled(update)
    assert not conversations.commit(chat, update, Conversation(step="values"), NOW)  # a retry changes nothing
    assert conversations.load(chat, NOW) == first


def test_the_state_expires_the_remembered_account_stays(conversations: ConversationStore) -> None:
    chat = chat_key("viber", "user==")
    kept = Conversation(
        step="values", account="000000000001", meter="m1", values={"t1": "5"}, saved_account="000000000001"
    )
    assert conversations.commit(chat, update_key("viber", "1"), kept, NOW)
    assert conversations.load(chat, NOW + STATE_TTL - datetime.timedelta(seconds=1)) == kept
    assert conversations.load(chat, NOW + STATE_TTL + datetime.timedelta(seconds=1)) == Conversation(
        saved_account="000000000001"
    )
    assert conversations.load(chat, NOW + SAVED_TTL + datetime.timedelta(seconds=1)) == Conversation()


def test_without_a_remembered_account_everything_expires_with_the_state(conversations: ConversationStore) -> None:
    chat = chat_key("telegram", "7002")
    assert conversations.commit(chat, update_key("telegram", "2"), Conversation(step="account"), NOW)
    assert conversations.load(chat, NOW + STATE_TTL + datetime.timedelta(seconds=1)) == Conversation()


def test_the_store_keeps_no_chat_id() -> None:
    assert "7001" not in chat_key("telegram", "7001") and len(chat_key("telegram", "7001")) == 32
