"""knowledge/appeals.yml (the appeal categories) and the working-day calendar, built into functions' data.

Both are written deterministically (sorted keys, compact separators) by `spravka build-index`;
tests/appeals/test_appeals_data.py checks the committed files are fresh.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import yaml

from spravka.appeals.categories import CATEGORIES_PATH, DEFAULT_DECISION_DAYS
from spravka.appeals.deadlines import CALENDAR_PATH
from spravka_tools.knowledge.articles import load_yaml

APPEALS_FILE = "appeals.yml"
CALENDAR_YEARS = (2024, 2030)
ID_FORMAT_HELP = "только латиница, цифры и дефисы"


def check_appeals(knowledge_dir: Path) -> list[tuple[int, str]]:
    """(line, Russian message) for each problem of appeals.yml; [] when it is fine."""
    path = knowledge_dir / APPEALS_FILE
    if not path.is_file():
        return [(1, "нет файла категорий обращений")]
    lines = path.read_text(encoding="utf-8").splitlines()

    def line_of(needle: str) -> int:
        return next((n for n, line in enumerate(lines, 1) if needle in line), 1)

    try:
        data = load_yaml(knowledge_dir, APPEALS_FILE)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return [((mark.line + 1) if mark else 1, f"файл не читается как YAML: {error}")]
    if not isinstance(data, list) or not data:
        return [(1, "нужен список категорий: «- id: …», «title: …», «decision_days: …»")]
    problems = []
    seen: set[str] = set()
    for item in data:
        if not isinstance(item, dict):
            problems.append((1, "каждая категория — это «id», «title» и «decision_days»"))
            continue
        cid, title, days = item.get("id"), item.get("title"), item.get("decision_days", DEFAULT_DECISION_DAYS)
        where = line_of(f"id: {cid}")
        if not isinstance(cid, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", cid):
            problems.append((where, f"id категории «{cid}»: {ID_FORMAT_HELP}"))
        elif cid in seen:
            problems.append((where, f"категория «{cid}» повторяется"))
        seen.add(str(cid))
        if not isinstance(title, str) or not title.strip():
            problems.append((where, f"у категории «{cid}» нет названия (title)"))
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 30:
            problems.append((where, f"у категории «{cid}» срок decision_days — целое число рабочих дней от 1 до 30"))
        extra = set(item) - {"id", "title", "decision_days"}
        if extra:
            problems.append((where, f"у категории «{cid}» лишние поля: {', '.join(sorted(map(str, extra)))}"))
    return problems


def build_categories(knowledge_dir: Path) -> dict[str, Any]:
    data = load_yaml(knowledge_dir, APPEALS_FILE) or []
    return {
        "categories": [
            {
                "id": item["id"],
                "title": item["title"].strip(),
                "decision_days": item.get("decision_days", DEFAULT_DECISION_DAYS),
            }
            for item in data
        ]
    }


def build_calendar(years: tuple[int, int] = CALENDAR_YEARS) -> dict[str, Any]:
    """Russia's days off and working weekends from the `holidays` library, for the functions."""
    import holidays
    from holidays.countries.russia import Russia

    calendar = Russia(years=range(years[0], years[1] + 1))
    return {
        "source": f"holidays {holidays.__version__}, Russia",
        "first_year": years[0],
        "last_year": years[1],
        "days_off": sorted(day.isoformat() for day in calendar),
        "working_weekends": sorted(day.isoformat() for day in calendar.weekend_workdays),
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def write_appeals_data(
    knowledge_dir: Path, *, categories: Path = CATEGORIES_PATH, calendar: Path = CALENDAR_PATH
) -> int:
    """Write both data files; the number of categories."""
    built = build_categories(knowledge_dir)
    categories.write_text(dumps(built), encoding="utf-8")
    calendar.write_text(dumps(build_calendar()), encoding="utf-8")
    return len(built["categories"])


def days_off_between(first: datetime.date, last: datetime.date) -> dict[datetime.date, str]:
    """Russia's holidays and transferred days off in [first, last], with their Russian names (for the report)."""
    from holidays.countries.russia import Russia

    calendar = Russia(years=range(first.year, last.year + 1), language="ru")
    return {day: name for day, name in sorted(calendar.items()) if first <= day <= last}
