"""`spravka eval FILE`: run a question file through the real `ask` and print the metrics."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from spravka_tools.eval.labels import LABELS, is_share, shown


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("eval", help="run a question file through ask and print the metrics")
    parser.add_argument("file", type=Path, nargs="?", help="YAML list of {q, expect}")
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="list up to N misses")
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")
    parser.add_argument(
        "--compare",
        metavar="REF",
        help="also run knowledge/ as it is at git REF (or a knowledge folder) and list the "
        "questions whose outcome changed",
    )
    parser.add_argument(
        "--cv",
        type=int,
        metavar="K",
        help="instead of a file: K-fold cross-validation over the knowledge's own phrasings "
        "(each fold held out of the index it is asked against, with perturbed copies)",
    )
    parser.add_argument("--knowledge", type=Path, help="knowledge folder for --cv (default: knowledge/)")
    parser.add_argument("--seed", type=int, default=16, help="seed of the folds and perturbations for --cv")
    parser.add_argument(
        "--tune", action="store_true", help="with --cv: also print the thresholds the rule of eval/thresholds.py picks"
    )
    parser.add_argument("--per-topic", action="store_true", help="with --cv: top-1 of every article")
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
