"""`spravka import-accounts FILE`: load billing's accounts and meters (contract §4) into the configured store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `import-accounts`."""
    parser = subparsers.add_parser(
        "import-accounts",
        help="load accounts and meters from billing's CSV into the configured store (all rows or none)",
        description="Load accounts and meters from billing's CSV (contract §4). Every row is checked first: "
        "a bad row is reported with its line number and nothing is loaded. Re-importing updates "
        "meters and keeps the readings taken since.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the CSV file (UTF-8, header row first)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Exit 0 when the whole file was loaded, 1 when nothing was."""
    from spravka.config import get_settings
    from spravka.errors import StoreUnavailable
    from spravka.store import get_store
    from spravka_tools.accounts import AccountsFileError, import_accounts

    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"{args.file}: cannot read: {error}", file=sys.stderr)
        return 1
    try:
        rows, changed = import_accounts(get_store(), text, timezone=get_settings().timezone)
    except AccountsFileError as error:
        for problem in error.problems:
            print(f"{args.file}: {problem}", file=sys.stderr)
        print(f"{args.file}: nothing loaded", file=sys.stderr)
        return 1
    except StoreUnavailable:
        print("the readings store is unavailable; nothing loaded, try again", file=sys.stderr)
        return 1
    print(f"{args.file}: {rows} rows, {changed} meters added or updated")
    return 0
