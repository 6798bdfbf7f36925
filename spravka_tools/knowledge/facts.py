"""One source of facts: `{{ key }}` placeholders filled in from knowledge/facts.yml."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import yaml

PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")


def load_facts(knowledge_dir: Path) -> dict[str, str]:
    """The facts file as a flat mapping of key -> text; a fact may use other facts (`{{ key }}`, one level),
    so a number written once serves a sentence and a table."""
    data = yaml.safe_load((knowledge_dir / "facts.yml").read_text(encoding="utf-8")) or {}
    raw = {str(key): str(value).rstrip("\n") for key, value in data.items()}
    return {key: render_facts(value, raw) for key, value in raw.items()}


def render_facts(text: str, facts: Mapping[str, str]) -> str:
    """Replace every known placeholder; unknown ones stay visible (the editor checks report them)."""
    return PLACEHOLDER.sub(lambda m: facts.get(m.group(1), m.group(0)), text)


def unknown_placeholders(text: str, facts: Mapping[str, str]) -> list[str]:
    return [m.group(1) for m in PLACEHOLDER.finditer(text) if m.group(1) not in facts]
