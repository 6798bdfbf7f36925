"""knowledge/appeals.yml: the editors' categories, checked by `spravka check-knowledge` and built for the function."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spravka.appeals.categories import CATEGORIES_PATH
from spravka.paths import KNOWLEDGE_DIR
from spravka_tools.knowledge.appeals import build_categories, check_appeals, dumps


def test_committed_categories_are_fresh() -> None:
    assert CATEGORIES_PATH.read_text(encoding="utf-8") == dumps(build_categories(KNOWLEDGE_DIR))
    assert check_appeals(KNOWLEDGE_DIR) == []


def test_the_shipped_categories() -> None:
    categories = json.loads(CATEGORIES_PATH.read_text(encoding="utf-8"))["categories"]
    ids = [c["id"] for c in categories]
    assert {"billing", "readings", "meters", "heat-hot-water", "outage", "contract", "payment", "other"} <= set(ids)
    assert ids[-1] == "other" and all(1 <= c["decision_days"] <= 30 for c in categories)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- id: Billing\n  title: Счета\n", "id категории «Billing»: только латиница, цифры и дефисы"),
        ("- id: a\n  title: А\n- id: a\n  title: Б\n", "категория «a» повторяется"),
        ("- id: a\n", "у категории «a» нет названия (title)"),
        ("- id: a\n  title: А\n  decision_days: 0\n", "срок decision_days — целое число рабочих дней от 1 до 30"),
        ("- id: a\n  title: А\n  days: 5\n", "лишние поля: days"),
        ("- id: a\n  title: А: Б\n", "файл не читается как YAML"),
        ("{}\n", "нужен список категорий"),
    ],
)
def test_problems_are_named_in_russian(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "appeals.yml").write_text(text, encoding="utf-8")
    problems = check_appeals(tmp_path)
    assert any(message in problem for _, problem in problems), problems


def test_check_knowledge_reports_appeals_yml(tmp_path: Path) -> None:
    import shutil

    from spravka_tools.knowledge.checks import check_knowledge

    knowledge = Path(shutil.copytree(KNOWLEDGE_DIR, tmp_path / "knowledge"))
    (knowledge / "appeals.yml").write_text("- id: a\n  title: А\n  decision_days: сорок\n", encoding="utf-8")
    problems = [str(p) for p in check_knowledge(knowledge) if p.path == "appeals.yml"]
    assert problems == ["appeals.yml:1: у категории «a» срок decision_days — целое число рабочих дней от 1 до 30"]
