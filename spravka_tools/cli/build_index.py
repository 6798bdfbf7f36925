"""`spravka build-index`: rebuild the assistant's index from knowledge/."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from spravka.paths import INDEX_PATH, KNOWLEDGE_DIR


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("build-index", help="build the assistant's index from knowledge/")
    parser.add_argument("--knowledge", type=Path, default=KNOWLEDGE_DIR, help="knowledge folder (default: knowledge/)")
    parser.add_argument("--output", type=Path, default=INDEX_PATH, help="where to write the index")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from spravka_tools.knowledge.build_index import build_index, write_index

    started = time.perf_counter()
    index = build_index(args.knowledge)
    write_index(index, args.output)
    model = index["model"]
    print(
        f"{args.output}: {len(index['articles'])} статей, {len(model['classes'])} целей модели, "
        f"{len(model['weights'])} признаков, {time.perf_counter() - started:.0f} с"
    )
    if args.output == INDEX_PATH:  # the appeals' categories and working-day calendar beside the committed index
        from spravka_tools.knowledge.appeals import write_appeals_data

        print(f"категорий обращений: {write_appeals_data(args.knowledge)}")
    return 0
