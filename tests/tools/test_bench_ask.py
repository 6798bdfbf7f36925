"""`spravka bench ask --quick` runs on its own and prints every part (the figures are not asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SPRAVKA = Path(sys.executable).parent / "spravka"


@pytest.mark.slow
def test_quick_ask_bench_prints_every_part() -> None:
    result = subprocess.run([str(SPRAVKA), "bench", "ask", "--quick"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    for part in ("1. in process", "2. at scale", "3. HTTP throughput", "4. cold start", "5. peak memory"):
        assert part in out
    assert "ask/trivial" in out and "server CPU per request: trivial" in out
    assert "failed requests: 0" in out
