"""`spravka export-readings --period YYYY-MM`: the period's readings as CSV on stdout, for billing."""

from __future__ import annotations

import argparse
import sys

from spravka.readings.period import PERIOD


def _period(raw: str) -> str:
    if not PERIOD.fullmatch(raw):
        raise argparse.ArgumentTypeError(f"expected YYYY-MM, got {raw!r}")
    return raw


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `export-readings`."""
    parser = subparsers.add_parser(
        "export-readings",
        help="write a billing period's readings as CSV to stdout",
        description="Write a billing period's readings as CSV to stdout: one row per meter with the latest "
        "values, the period's consumption per zone, the number of readings and their flags.",
    )
    parser.add_argument("--period", required=True, type=_period, metavar="YYYY-MM", help="the billing period")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the CSV; exit 1 when the store is unavailable."""
    from spravka.errors import StoreUnavailable
    from spravka.readings.export import export_rows, write_csv
    from spravka.store import get_store

    try:
        readings = get_store().readings(args.period)
    except StoreUnavailable:
        print("the readings store is unavailable; try again", file=sys.stderr)
        return 1
    write_csv(export_rows(readings), sys.stdout)
    return 0
