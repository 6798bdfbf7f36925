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
    assert conversations.commit(chat, update, first, NOW, version=0) == "committed"
    assert conversations.handled(update)
    # A retry changes nothing.
    assert conversations.commit(chat, update, Conversation(step="values"), NOW, version=1) == "handled"
    assert conversations.load(chat, NOW) == first and conversations.load(chat, NOW).version == 1


def test_two_updates_of_one_chat_at_once_cannot_both_write(conversations: ConversationStore) -> None:
    chat = chat_key("telegram", "7003")
    read = conversations.load(chat, NOW)  # both updates read the same state …
    assert (
        conversations.commit(chat, update_key("telegram", "a"), Conversation(step="account"), NOW, version=read.version)
        == "committed"
    )
    later = conversations.commit(
        chat, update_key("telegram", "b"), Conversation(step="meter"), NOW, version=read.version
    )
    assert later == "stale"  # … the later one is taken again from the new state
    assert not conversations.handled(update_key("telegram", "b"))
    assert conversations.load(chat, NOW) == Conversation(step="account")


def test_the_state_expires_the_remembered_account_stays(conversations: ConversationStore) -> None:
    chat = chat_key("viber", "user==")
    kept = Conversation(
        step="values", account="000000000001", meter="m1", values={"t1": "5"}, saved_account="000000000001"
    )
    assert conversations.commit(chat, update_key("viber", "1"), kept, NOW, version=0) == "committed"
    assert conversations.load(chat, NOW + STATE_TTL - datetime.timedelta(seconds=1)) == kept
    assert conversations.load(chat, NOW + STATE_TTL + datetime.timedelta(seconds=1)) == Conversation(
        saved_account="000000000001"
    )
    assert conversations.load(chat, NOW + SAVED_TTL + datetime.timedelta(seconds=1)) == Conversation()


def test_without_a_remembered_account_everything_expires_with_the_state(conversations: ConversationStore) -> None:
    chat = chat_key("telegram", "7002")
    assert (
        conversations.commit(chat, update_key("telegram", "2"), Conversation(step="account"), NOW, version=0)
        == "committed"
    )
    assert conversations.load(chat, NOW + STATE_TTL + datetime.timedelta(seconds=1)) == Conversation()


def test_the_store_keeps_no_chat_id() -> None:
    assert "7001" not in chat_key("telegram", "7001") and len(chat_key("telegram", "7001")) == 32
