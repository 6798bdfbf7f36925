"""`spravka eval FILE --compare REF`: the same questions on two knowledge bases through the real `ask`."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from spravka.paths import KNOWLEDGE_DIR
from spravka_tools.cli import main as cli

QUESTIONS = """
- q: "как оплатить электроэнергию"
  expect: payment-methods
- q: "до какого числа передавать показания"
  expect: readings-deadline
- q: "рецепт пиццы"
  expect: fallback
"""


@pytest.fixture
def question_file(tmp_path: Path) -> Path:
    path = tmp_path / "questions.yaml"
    path.write_text(QUESTIONS, encoding="utf-8")
    return path


def test_compare_with_a_base_that_lacks_an_article_lists_the_question_it_answers(
    question_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    older = tmp_path / "older-knowledge"
    shutil.copytree(KNOWLEDGE_DIR, older)
    (older / "readings" / "readings-deadline.md").unlink()

    assert cli(["eval", str(question_file), "--compare", str(older), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["before"]["overall"] < result["after"]["overall"]
    assert [(c["q"], c["verdict"], c["after"]) for c in result["changed"]] == [
        ("до какого числа передавать показания", "лучше", "readings-deadline")
    ]
    assert result["changed"][0]["before"] != "readings-deadline"

    assert cli(["eval", str(question_file), "--compare", str(older)]) == 0
    out = capsys.readouterr().out
    assert "итого верно" in out and "Изменили исход: 1 (лучше: 1, хуже: 0" in out
    assert "«до какого числа передавать показания»" in out


def test_compare_with_a_git_ref_takes_knowledge_from_git(
    question_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["eval", str(question_file), "--compare", "HEAD", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ref"] == "HEAD" and result["before"]["items"] == 3
    edited = subprocess.run(
        ["git", "-C", str(KNOWLEDGE_DIR), "status", "--porcelain", "."], capture_output=True, text=True, check=True
    ).stdout
    if not edited:  # knowledge/ as committed: the same base on both sides
        assert result["changed"] == [] and result["before"]["overall"] == result["after"]["overall"]


def test_compare_with_an_unknown_ref_says_so(question_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["eval", str(question_file), "--compare", "no-such-branch-xyz"]) == 2
    assert "Не удалось взять базу знаний из 'no-such-branch-xyz'" in capsys.readouterr().err


def test_an_evaluation_does_not_fill_the_question_log(
    question_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spravka.config import get_settings
    from spravka.questions import writer as log_writers

    db = tmp_path / "log.sqlite3"
    monkeypatch.setenv("READINGS_STORE", f"sqlite:///{db}")
    get_settings.cache_clear()
    assert cli(["eval", str(question_file)]) == 0
    log_writers.flush_all()
    if db.exists():
        with sqlite3.connect(db) as connection:
            tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            assert "questions" not in tables or connection.execute("SELECT COUNT(*) FROM questions").fetchone() == (0,)
