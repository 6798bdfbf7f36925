"""Shared fixtures. Fixture plugins of each part register themselves in pytest_plugins."""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "functions" / "main.py"

pytest_plugins: list[str] = ["tests.browser", "tests.firestore_emulator", "tests.tally", "tests.openapi_check"]


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Every test reads settings anew, with its own data folder."""
    from spravka.config import get_settings

    monkeypatch.setenv("SPRAVKA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
    if "spravka.questions.writer" in sys.modules:  # the question log's writers of this test's stores
        sys.modules["spravka.questions.writer"].close_all()


class Clock:
    """The product's clock in a test: a fixed instant that the test sets and may move."""

    def __init__(self) -> None:
        self.at: datetime.datetime | None = None

    def set(self, moment: str | datetime.datetime) -> datetime.datetime:
        """Stop the clock at `moment` (ISO 8601 with its offset, or an aware datetime)."""
        at = datetime.datetime.fromisoformat(moment) if isinstance(moment, str) else moment
        if at.tzinfo is None:
            raise ValueError("a test's clock needs an offset: say which time zone the instant is in")
        self.at = at
        return at

    def now(self) -> datetime.datetime:
        if self.at is None:
            raise RuntimeError("the test asked for the clock fixture but never set it")
        return self.at


@pytest.fixture
def clock() -> Iterator[Clock]:
    """Set the product's clock (spravka.clock) for one test; the system clock again afterwards.

    A test that depends on the date takes this fixture and says in a comment why its instant.
    """
    from spravka import clock as product_clock

    fixed = Clock()
    previous = product_clock.use(fixed.now)
    yield fixed
    product_clock.use(previous)


@pytest.fixture
def make_client() -> Callable[[str], object]:
    """A functions-framework test client for one entry point of functions/main.py."""
    import functions_framework

    def make(target: str) -> object:
        return functions_framework.create_app(target, str(MAIN)).test_client()

    return make
