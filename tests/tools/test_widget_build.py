"""The widget's one file is built from site/widget/src/ and the committed copy is fresh."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from spravka_tools.widget import OUTPUT, SOURCE_DIR, build_widget, write_widget


def test_committed_widget_is_fresh() -> None:
    # After editing a part: .venv/bin/python -m spravka_tools.widget (docs/widget.md).
    assert OUTPUT.read_text(encoding="utf-8") == build_widget(), "run: .venv/bin/python -m spravka_tools.widget"


def test_parts_go_in_name_order_inside_one_iife(tmp_path: Path) -> None:
    (tmp_path / "20-b.js").write_text("  var b = a + 1;\n\n", encoding="utf-8")
    (tmp_path / "00-a.js").write_text("\n  var a = 1;\n", encoding="utf-8")
    text = build_widget(tmp_path)
    assert text.endswith('  "use strict";\n\n  var a = 1;\n\n  var b = a + 1;\n})();\n')
    assert text.count("(function () {") == 1


def test_no_parts_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        build_widget(tmp_path)


def test_write_widget_writes_the_build(tmp_path: Path) -> None:
    output = write_widget(tmp_path / "spravka.js")
    assert output.read_text(encoding="utf-8") == build_widget()


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_built_widget_parses() -> None:
    subprocess.run(["node", "--check", str(OUTPUT)], check=True, timeout=30)


def test_every_part_is_a_fragment_of_the_iife() -> None:
    # A part with its own IIFE or "use strict" would hide its names from the others.
    for part in sorted(SOURCE_DIR.glob("*.js")):
        text = part.read_text(encoding="utf-8")
        assert "(function () {" not in text.splitlines()[0] and '"use strict"' not in text, part.name
