"""The widget's one file: site/widget/src/*.js, in name order, inside one IIFE -> site/widget/spravka.js.

No npm, no bundler: the parts share the IIFE's scope, as the single file did. The output is
committed (the embed URL stays a plain file; tests/test_widget_build.py checks it is fresh) and
written again by the site build (site/hooks.py), so a built site always has the current parts.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from spravka.paths import REPO_DIR

WIDGET_DIR = REPO_DIR / "site" / "widget"
SOURCE_DIR = WIDGET_DIR / "src"
OUTPUT = WIDGET_DIR / "spravka.js"
HEADER = """\
/* Spravka help widget: a chat with the help desk, a meter-readings form and the appeals form.
 * Plain JavaScript, no globals. Embed with one tag:
 *   <script src="https://help.example.ru/widget/spravka.js" data-title="…" defer></script>
 * Settings come from the tag's data-* attributes (docs/widget.md). Server text is
 * never inserted as HTML: it is turned into DOM nodes with textContent.
 * Generated from site/widget/src/*.js by spravka_tools/widget.py: edit the parts, not this file. */
(function () {
  "use strict";
"""
FOOTER = "})();\n"


def build_widget(source_dir: Path = SOURCE_DIR) -> str:
    """The parts, in name order, each ending in one newline, a blank line between, inside the IIFE."""
    parts = [path.read_text(encoding="utf-8").strip("\n") + "\n" for path in sorted(source_dir.glob("*.js"))]
    if not parts:
        raise FileNotFoundError(f"no widget parts (*.js) in {source_dir}")
    return HEADER + "\n" + "\n".join(parts) + FOOTER


def write_widget(output: Path = OUTPUT, source_dir: Path = SOURCE_DIR) -> Path:
    """Write the built widget to output (unchanged bytes leave the file untouched)."""
    text = build_widget(source_dir)
    if not output.is_file() or output.read_text(encoding="utf-8") != text:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    return output


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="build site/widget/spravka.js from site/widget/src/")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    print(write_widget(parser.parse_args().output))  # noqa: T201 (a command's one line of output)
