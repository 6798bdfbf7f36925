"""patched_environ: values inside the block, the previous ones (or none) after it."""

from __future__ import annotations

import os

import pytest

from spravka_tools.environ import patched_environ


def test_values_inside_and_restored_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPRAVKA_TEST_SET", "before")
    monkeypatch.delenv("SPRAVKA_TEST_UNSET", raising=False)
    with patched_environ(SPRAVKA_TEST_SET="inside", SPRAVKA_TEST_UNSET="new"):
        assert os.environ["SPRAVKA_TEST_SET"] == "inside" and os.environ["SPRAVKA_TEST_UNSET"] == "new"
        os.environ["SPRAVKA_TEST_UNSET"] = "changed again"
    assert os.environ["SPRAVKA_TEST_SET"] == "before"
    assert "SPRAVKA_TEST_UNSET" not in os.environ


def test_restored_when_the_block_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SPRAVKA_TEST_UNSET", raising=False)
    with pytest.raises(RuntimeError), patched_environ(SPRAVKA_TEST_UNSET="x"):
        raise RuntimeError
    assert "SPRAVKA_TEST_UNSET" not in os.environ
