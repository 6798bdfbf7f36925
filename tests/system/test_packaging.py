"""pyproject's [project.dependencies]: the runtime's pins and the tools', so `pip install .` gives a working `spravka`."""

from __future__ import annotations

import tomllib

from spravka.paths import REPO_DIR

# Only the tests and the checks of `make test` use these; `spravka` runs without them.
TEST_ONLY = {
    "pytest",
    "hypothesis",
    "schemathesis",
    "playwright",
    "axe-playwright-python",
    "ruff",
    "mypy",
    "aiosmtpd",
    "pytest-timeout",
}


def _requirement_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_project_dependencies_are_the_runtime_pins_then_the_tools() -> None:
    declared = tomllib.loads((REPO_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    runtime = _requirement_lines((REPO_DIR / "functions" / "requirements.in").read_text(encoding="utf-8"))
    development = _requirement_lines((REPO_DIR / "requirements.txt").read_text(encoding="utf-8"))
    tools = [line for line in development if line.partition("==")[0] not in TEST_ONLY]
    assert declared[: len(runtime)] == runtime
    assert sorted(declared[len(runtime) :]) == sorted(tools)
