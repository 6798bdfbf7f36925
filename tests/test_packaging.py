"""pyproject's [project.dependencies] are the runtime's pins, so `pip install .` gives a working `spravka`."""

from __future__ import annotations

import tomllib

from spravka.paths import REPO_DIR


def _requirement_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_project_dependencies_are_the_functions_pins() -> None:
    project = tomllib.loads((REPO_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = _requirement_lines((REPO_DIR / "functions" / "requirements.in").read_text(encoding="utf-8"))
    assert project["dependencies"] == pins
