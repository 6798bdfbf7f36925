"""`spravka bench [PART ...]`: the benchmarks; print figures, assert nothing."""

from __future__ import annotations

import argparse
import importlib

# Each part is a module spravka_tools.bench.<name> with `add_arguments(parser)` (optional)
# and `run(args) -> None` that prints its figures.
PARTS = ("ask", "ask-log", "readings", "spike", "bots")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bench", help="run the benchmarks and print figures (asserts nothing)")
    parser.add_argument(
        "parts", nargs="*", metavar="PART", help=f"which benchmarks to run: {', '.join(PARTS)} (default: all)"
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, for a smoke run")
    for name in PARTS:
        module = _load(name)
        if module is not None and hasattr(module, "add_arguments"):
            module.add_arguments(parser)
    parser.set_defaults(func=run)


def _load(name: str):
    try:
        return importlib.import_module(f"spravka_tools.bench.{name.replace('-', '_')}")
    except ModuleNotFoundError as error:
        if error.name != f"spravka_tools.bench.{name.replace('-', '_')}":
            raise
        return None


def run(args: argparse.Namespace) -> int:
    unknown = [name for name in args.parts if name not in PARTS]
    if unknown:
        print(f"unknown benchmark: {', '.join(unknown)}; choose from {', '.join(PARTS)}")
        return 2
    for name in args.parts or PARTS:
        module = _load(name)
        if module is None:
            print(f"# bench {name}: not available")
            continue
        print(f"# bench {name}")
        module.run(args)
    return 0
