"""`spravka eval --cv K`: cross-validation over the knowledge's own phrasings (eval/cv.py)."""

from __future__ import annotations

import argparse
import json
import time

from spravka_tools.eval.labels import LABELS, shown


def run_cv(args: argparse.Namespace) -> int:
    from spravka.paths import KNOWLEDGE_DIR
    from spravka_tools.eval import cv
    from spravka_tools.knowledge.build_index import read_knowledge

    if args.cv < 2:
        print("--cv: нужно не меньше 2 частей")
        return 2
    if args.save and not args.tune:
        print("--save: только вместе с --tune (таблица и калибровка подбираются вместе)")
        return 2
    started = time.perf_counter()
    knowledge = read_knowledge(args.knowledge or KNOWLEDGE_DIR)
    records, indexes = cv.run_scored(knowledge, args.cv, seed=args.seed)
    results = cv.outcomes(records, indexes)
    figures = cv.cv_metrics(results)
    if args.tune:
        from spravka_tools.eval.thresholds import choose

        calibration, chosen, tuned = choose(records, indexes)
        figures["chosen_calibration"] = calibration._asdict()
        figures["chosen_thresholds"] = chosen._asdict()
        figures["chosen_figures"] = tuned
    if args.save:
        from spravka_tools.eval.reliability import reliability_table, save_table

        save_table(reliability_table(records), args.save)
    seconds = time.perf_counter() - started
    if args.json:
        misses = [
            {"q": o.question, "expect": o.expect, "got": o.got, "variant": h.variant}
            for h, o in results
            if not o.correct
        ]
        print(
            json.dumps(
                {"metrics": figures, "seconds": round(seconds, 1), "errors": misses[: args.errors]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(
        f"Перекрёстная проверка: {args.cv} частей, seed {args.seed}, {len(knowledge.phrases)} формулировок, "
        f"{figures['items']} вопросов с искажёнными копиями, {seconds:.0f} с"
    )
    for key, value in figures.items():
        if key in LABELS:
            print(f"{LABELS[key]:<48} {shown(key, value)}")
    print(f"\n{'вариант':<10} {'вопросов':>8} {'top-1':>7} {'неверно':>8} {'«не знаю»':>10} {'итого':>7}")
    for variant, v in figures["variants"].items():
        print(
            f"{variant:<10} {v['items']:>8} {v['in_scope_top1']:>7.1%} {v['wrong_answer_rate']:>8.1%} "
            f"{v['deferral']:>10.1%} {v['overall']:>7.1%}"
        )
    if args.tune:
        print("\nКалибровка (docs/ask.md):", ", ".join(f"{k}={v}" for k, v in figures["chosen_calibration"].items()))
        print(
            "Пороги по правилу (docs/ask.md):", ", ".join(f"{k}={v}" for k, v in figures["chosen_thresholds"].items())
        )
        print("  на отложенных вопросах:", ", ".join(f"{k} {v:.1%}" for k, v in figures["chosen_figures"].items()))
        if args.save:
            print(f"Таблица надёжности статей записана: {args.save}. Калибровку и пороги перенесите в ask/answer.py.")
    if args.per_topic:
        print("\ntop-1 по статьям (от худших):")
        for topic, share in sorted(figures["topics"].items(), key=lambda item: (item[1], item[0])):
            print(f"  {share:>7.1%}  {topic}")
    if args.errors:
        missed = [(h, o) for h, o in results if not o.correct]
        print(f"\nПромахи ({len(missed)}):")
        for h, o in missed[: args.errors]:
            print(f"  [{h.variant}] ожидалось {o.expect:<26} получено {o.got:<40} «{o.question}»")
    return 0
