"""Limits that cannot be outrun or reversed: simultaneous guesses get at most the budget, and the
counters' keys are keyed hashes nobody can enumerate without the secret."""

from __future__ import annotations

import datetime
import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from spravka.config import Settings, SettingsError
from spravka.errors import ApiError
from spravka.readings import list_meters
from spravka.readings.limits import UNKNOWN_ACCOUNT_COST, _counter, _key, limits_key
from tests.firestore_emulator import load_accounts
from tests.readings.test_concurrency import at_once
from tests.tally import tally

GUESSES = 300
BUDGET = 300
NOW = datetime.datetime(2026, 11, 20, 9, 0, 10, tzinfo=datetime.UTC)


def test_simultaneous_guesses_get_at_most_the_budget(store: Any, tmp_path: Path) -> None:
    """300 guesses of unknown accounts from one address, released together: at most budget / cost answered."""
    load_accounts(store)
    settings = Settings.from_env(
        {
            "CLIENT_LIMIT_PER_HOUR": str(BUDGET),
            "RATE_LIMIT_PER_MINUTE": "1000",
            "READINGS_STORE": f"sqlite:///{tmp_path / 'keyed.sqlite3'}",
        }
    )

    def guess(number: int) -> int:
        try:
            list_meters(store, {"account": f"99{number:010d}"}, settings=settings, client="203.0.113.66", now=NOW)
        except ApiError as error:
            return error.status
        return 200

    statuses = at_once(GUESSES, guess)
    answered = statuses.count(404)
    tally("rate limits: simultaneous guesses answered (of 300, budget 30)", answered)
    assert set(statuses) <= {404, 429}
    assert answered <= BUDGET // UNKNOWN_ACCOUNT_COST
    assert answered >= 1  # the limit is not simply shut


def test_known_accounts_cost_one_each(store: Any, tmp_path: Path) -> None:
    """An honest client's lookups of its own account cost 1 each; only the last UNKNOWN_ACCOUNT_COST - 1 of the
    budget stays out of reach, as each lookup must fit the reserve for an unknown account when it is checked."""
    load_accounts(store)
    settings = Settings.from_env(
        {
            "CLIENT_LIMIT_PER_HOUR": "20",
            "RATE_LIMIT_PER_MINUTE": "1000",
            "READINGS_STORE": f"sqlite:///{tmp_path / 'keyed.sqlite3'}",
        }
    )
    for _ in range(20 - (UNKNOWN_ACCOUNT_COST - 1)):
        list_meters(store, {"account": "000000000001"}, settings=settings, client="203.0.113.67", now=NOW)
    with pytest.raises(ApiError) as caught:
        list_meters(store, {"account": "000000000001"}, settings=settings, client="203.0.113.67", now=NOW)
    assert caught.value.status == 429


def test_keys_are_keyed_hashes_that_change_with_the_secret() -> None:
    one, two = b"s" * 32, b"t" * 32
    key = _counter("account", "000000000001", 0, 60, 1, one).key
    assert key != _counter("account", "000000000001", 0, 60, 1, two).key
    assert "000000000001" not in key
    plain = hashlib.sha256(b"000000000001").hexdigest()
    assert plain[:16] not in key  # not the unsalted hash the probe could enumerate


def test_the_secret_comes_from_the_configuration(tmp_path: Path) -> None:
    secret = "x" * 40
    settings = Settings.from_env({"LIMITS_SECRET": secret, "READINGS_STORE": f"sqlite:///{tmp_path / 'a.sqlite3'}"})
    assert limits_key(settings) == secret.encode()
    assert not (tmp_path / "a.sqlite3.limits-secret").exists()
    with pytest.raises(SettingsError, match="LIMITS_SECRET"):
        Settings.from_env({"LIMITS_SECRET": "short"})


def test_without_a_secret_the_store_keeps_one_generated_once(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    first = limits_key(Settings.from_env({"READINGS_STORE": store}))
    _key.cache_clear()  # as another process would start
    assert limits_key(Settings.from_env({"READINGS_STORE": store})) == first
    kept = tmp_path / "b.sqlite3.limits-secret"
    assert kept.read_text().strip().encode() == first and len(first) >= 64
    assert kept.stat().st_mode & 0o077 == 0
    assert not [path for path in tmp_path.iterdir() if ".limits-secret." in path.name]  # no draft left


def test_the_store_holds_no_account_and_no_plain_hash(sqlite_store: Any, tmp_path: Path) -> None:
    load_accounts(sqlite_store)
    settings = Settings.from_env({"READINGS_STORE": f"sqlite:///{tmp_path / 'readings.sqlite3'}"})
    list_meters(sqlite_store, {"account": "000000000001"}, settings=settings, client="203.0.113.68", now=NOW)
    with sqlite3.connect(tmp_path / "readings.sqlite3") as db:
        keys = [key for (key,) in db.execute("SELECT key FROM attempts")]
    assert len(keys) == 2
    for subject in ("000000000001", "203.0.113.68"):
        assert not any(subject in key or hashlib.sha256(subject.encode()).hexdigest()[:12] in key for key in keys)
