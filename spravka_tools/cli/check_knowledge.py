"""`spravka check-knowledge [DIR]`: the editor checks; exit 1 on problems."""

from __future__ import annotations

import argparse
from pathlib import Path

from spravka.paths import KNOWLEDGE_DIR


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check-knowledge",
        help="проверить базу знаний (код 1, если есть проблемы)",
        description="Проверки редактора: статьи knowledge/<раздел>/<id>.md (заголовок, формулировки, "
        "краткий ответ, ссылки), facts.yml, synonyms.yml, intents.yml, sections.yml, topics.yml "
        "и неоднозначные формулировки. Ничего не меняет и не читает хранилище.",
    )
    parser.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=KNOWLEDGE_DIR,
        help="папка базы знаний (по умолчанию knowledge/ этого репозитория)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from spravka_tools.knowledge.checks import check_knowledge

    if not args.dir.is_dir():
        print(f"{args.dir}: папка не найдена")
        return 1
    problems = check_knowledge(args.dir)
    for problem in problems:
        print(problem)
    if problems:
        print(f"Найдено проблем: {len(problems)}")
        return 1
    print("База знаний в порядке.")
    return 0
