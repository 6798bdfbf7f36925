"""`spravka bench spike --quick` runs on its own and prints its figures (the figures are not asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SPRAVKA = Path(sys.executable).parent / "spravka"


@pytest.mark.slow
def test_quick_spike_prints_every_target_and_phase() -> None:
    result = subprocess.run(
        [str(SPRAVKA), "bench", "spike", "--quick", "--spike-stores", "sqlite"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    for label in ("\ntrivial\n", "\nask\n", "\nreadings (sqlite)\n"):
        assert label in out
    for phase in ("steady", "ramp", "spike", "after"):
        assert out.count(f"   {phase} ") == 3
    assert "ask/trivial capacity" in out and "ramp+spike:" in out
    assert "not available" not in out
