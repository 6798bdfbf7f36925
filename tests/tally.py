"""Counts the tests report for the record (inputs tried, faults injected, requests refused).

Tests call tally("name", n); at the end of the session the totals are printed and written to
test-artifacts/tally.json (the figures the closing notes quote).
"""

from __future__ import annotations

import collections
import json
from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
COUNTS: collections.Counter[str] = collections.Counter()


def tally(name: str, n: int = 1) -> None:
    COUNTS[name] += n


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not COUNTS:
        return
    terminalreporter.section("tally")
    for name in sorted(COUNTS):
        terminalreporter.write_line(f"{name}: {COUNTS[name]}")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "tally.json").write_text(json.dumps(dict(sorted(COUNTS.items())), indent=1) + "\n", encoding="utf-8")
