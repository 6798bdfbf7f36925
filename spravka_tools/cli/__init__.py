"""The `spravka` command line (contract §6): one module per subcommand."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

# Each module defines `register(subparsers)` that adds its subcommand and sets
# `func` (args -> exit code). Heavy imports stay inside the functions.
SUBCOMMANDS = (
    "check_knowledge",
    "build_index",
    "eval",
    "import_accounts",
    "export_readings",
    "bench",
    "serve",
    "report",
    "deploy",
    "appeals",
    "bots",
)


def version() -> str:
    """The installed distribution's version (pyproject.toml), or "dev" in a checkout that is not installed."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("spravka")
    except PackageNotFoundError:
        return "dev"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="spravka", description="Spravka: help site, assistant and meter readings.")
    parser.add_argument("--version", action="version", version=f"spravka {version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"spravka_tools.cli.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"spravka_tools.cli.{name}":
                raise
            continue  # not written yet
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
