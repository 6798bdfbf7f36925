"""Shared fixtures. Fixture plugins of each part register themselves in pytest_plugins."""

from __future__ import annotations

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


@pytest.fixture
def make_client() -> Callable[[str], object]:
    """A functions-framework test client for one entry point of functions/main.py."""
    import functions_framework

    def make(target: str) -> object:
        return functions_framework.create_app(target, str(MAIN)).test_client()

    return make
