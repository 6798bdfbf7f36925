"""`spravka eval FILE`: run a question file through the real `ask` and print the metrics."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from spravka.paths import INDEX_PATH, RELIABILITY_FILE, REPO_DIR
from spravka_tools.eval.labels import LABELS, is_share, shown

RELIABILITY_PATH = INDEX_PATH.with_name(RELIABILITY_FILE)  # beside the shipped index, where load_index reads it


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "eval",
        help="прогнать файл вопросов через ask и показать метрики",
        description="Оценка ассистента: каждый вопрос файла задаётся функции ask так, как её вызывает "
        "виджет (индекс functions/spravka/data/index.json, собранный `spravka build-index` из knowledge/), "
        "и сравнивается с ожидаемой статьёй. Журнал вопросов и хранилище не трогаются: оценка — не вопросы "
        "клиентов. С --cv файл не нужен: проверяются формулировки самой базы знаний.",
    )
    parser.add_argument(
        "file",
        type=Path,
        nargs="?",
        metavar="FILE",
        help="YAML-файл: список {q: вопрос, expect: id статьи или kind ответа}",
    )
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="показать до N промахов")
    parser.add_argument("--json", action="store_true", help="вывести метрики в JSON")
    parser.add_argument(
        "--compare",
        metavar="REF",
        help="прогнать ещё и базу знаний из git REF (или из папки) и перечислить вопросы, "
        "у которых изменился результат",
    )
    parser.add_argument(
        "--cv",
        type=int,
        metavar="K",
        help="вместо файла: перекрёстная проверка на K частях формулировок самой базы знаний "
        "(каждая часть убрана из индекса, по которому её спрашивают; с искажёнными копиями)",
    )
    parser.add_argument(
        "--knowledge", type=Path, metavar="DIR", help="папка базы знаний для --cv (по умолчанию knowledge/)"
    )
    parser.add_argument(
        "--seed", type=int, default=16, help="зерно случайного разбиения и искажений для --cv (по умолчанию 16)"
    )
    parser.add_argument(
        "--tune",
        action="store_true",
        help="с --cv: ещё подобрать калибровку и пороги по правилу spravka_tools/eval/thresholds.py (docs/ask.md)",
    )
    parser.add_argument(
        "--save",
        type=Path,
        nargs="?",
        const=RELIABILITY_PATH,
        metavar="FILE",
        help="с --cv --tune: записать таблицу надёжности статей (как часто первый выбор модели верен) "
        f"в FILE (по умолчанию {RELIABILITY_PATH.relative_to(REPO_DIR)}; её читает ask рядом с индексом)",
    )
    parser.add_argument("--per-topic", action="store_true", help="с --cv: точность top-1 по каждой статье")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from spravka_tools.eval import evaluate
    from spravka_tools.eval.http_ask import make_http_ask

    if args.cv:
        from spravka_tools.cli.eval_cv import run_cv

        return run_cv(args)
    if args.file is None:
        print("нужен файл вопросов или --cv K", file=sys.stderr)
        return 2
    if args.compare:
        return run_compare(args)
    outcomes = evaluate.run(evaluate.load_questions(args.file), make_http_ask())
    figures = evaluate.metrics(outcomes)
    misses = [o for o in outcomes if not o.correct]
    if args.json:
        print(
            json.dumps(
                {
                    "metrics": figures,
                    "errors": [{"q": o.question, "expect": o.expect, "got": o.got} for o in misses[: args.errors]],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for key, value in figures.items():
        print(f"{LABELS[key]:<48} {shown(key, value)}")
    if args.errors:
        print(f"\nПромахи ({len(misses)}):")
        for o in misses[: args.errors]:
            print(f"  ожидалось {o.expect:<26} получено {o.got:<40} «{o.question}»")
    return 0


def run_compare(args: argparse.Namespace) -> int:
    """`spravka eval FILE --compare REF`: both bases side by side, then the questions that changed."""
    from spravka_tools.eval import evaluate
    from spravka_tools.eval.compare import CompareError, compare

    try:
        result = compare(evaluate.load_questions(args.file), args.compare)
    except CompareError as error:
        print(error, file=sys.stderr)
        return 2
    if args.json:
        print(
            json.dumps(
                {
                    "ref": result.ref,
                    "before": result.before,
                    "after": result.after,
                    "changed": [
                        {
                            "q": c.question,
                            "expect": c.expect,
                            "before": c.before,
                            "after": c.after,
                            "verdict": c.verdict,
                        }
                        for c in result.changes
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"{'':<48} {'было (' + result.ref + ')':>16} {'стало':>10} {'разница':>9}")
    for key in result.after:
        before, after = result.before[key], result.after[key]
        delta = after - before
        if is_share(key, after):
            shown_delta = f"{100 * delta:+.1f} п.п."
        else:
            shown_delta = f"{delta:+.2f}" if isinstance(delta, float) else f"{delta:+d}"
        print(f"{LABELS[key]:<48} {shown(key, before):>16} {shown(key, after):>10} {shown_delta:>9}")
    verdicts = [c.verdict for c in result.changes]
    print(
        f"\nИзменили исход: {len(result.changes)} (лучше: {verdicts.count('лучше')}, "
        f"хуже: {verdicts.count('хуже')}, иначе: {verdicts.count('иначе')})"
    )
    for change in result.changes:
        print(
            f"  {change.verdict:<6} «{change.question}»: ожидалось {change.expect}; было {change.before} → "
            f"стало {change.after}"
        )
    return 0
