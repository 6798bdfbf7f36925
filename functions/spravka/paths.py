"""Where the repository's parts are when running from a checkout."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent.parent
KNOWLEDGE_DIR = REPO_DIR / "knowledge"
INDEX_PATH = PACKAGE_DIR / "data" / "index.json"
# Beside whichever index is loaded (SPRAVKA_INDEX): ask/index.py `load_index`, docs/ask.md.
RELIABILITY_FILE = "reliability.json"
