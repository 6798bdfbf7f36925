"""The appeal categories: built from knowledge/appeals.yml into data/appeals.json by `spravka build-index`."""

from __future__ import annotations

import dataclasses
import functools
import json

from spravka.paths import PACKAGE_DIR

CATEGORIES_PATH = PACKAGE_DIR / "data" / "appeals.json"
DEFAULT_DECISION_DAYS = 10


@dataclasses.dataclass(frozen=True)
class Category:
    id: str
    title: str
    decision_days: int = DEFAULT_DECISION_DAYS

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "decision_days": self.decision_days}


@functools.cache
def load_categories() -> dict[str, Category]:
    """The categories by id, in the editors' order."""
    data = json.loads(CATEGORIES_PATH.read_text(encoding="utf-8"))
    return {item["id"]: Category(**item) for item in data["categories"]}
