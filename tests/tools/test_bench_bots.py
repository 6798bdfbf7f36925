"""`spravka bench bots --quick` runs on its own and prints its figures (the figures are not asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SPRAVKA = Path(sys.executable).parent / "spravka"


@pytest.mark.slow
def test_quick_bots_bench_prints_cold_start_and_cpu() -> None:
    result = subprocess.run([str(SPRAVKA), "bench", "bots", "--quick"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "1. cold start" in out and "2. server CPU per update" in out
    for name in ("trivial", "telegram", "viber"):
        assert out.count(f"   {name} ") == 2
