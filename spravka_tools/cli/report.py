"""`spravka report [--html FILE] [--since D] [--until D]`: the editors' report from the question log."""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path
from typing import Any


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ожидалась дата ГГГГ-ММ-ДД, получено {text!r}") from None


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="отчёт для редакторов по журналу вопросов (текст или --html страница)",
        description="Отчёт для редакторов: вопросы и события виджета за период из журнала вопросов в хранилище "
        "READINGS_STORE (по умолчанию файл SQLite в папке данных; firestore — Firestore проекта "
        "GOOGLE_CLOUD_PROJECT). Дни считаются в часовом поясе SPRAVKA_TIMEZONE. Названия разделов — "
        "из knowledge/sections.yml, статьи — из индекса помощника.",
    )
    parser.add_argument(
        "--html",
        type=Path,
        metavar="FILE",
        help="записать страницу с графиками в файл FILE (одна страница, без внешних ссылок)",
    )
    parser.add_argument(
        "--since", type=_date, metavar="YYYY-MM-DD", help="первый день (по умолчанию за 30 дней до --until)"
    )
    parser.add_argument(
        "--until",
        type=_date,
        metavar="YYYY-MM-DD",
        help="последний день включительно (по умолчанию сегодня по SPRAVKA_TIMEZONE)",
    )
    parser.add_argument(
        "--groups",
        type=int,
        default=20,
        metavar="N",
        help="сколько групп вопросов без ответа показать в тексте (по умолчанию 20)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from spravka.ask.index import get_index
    from spravka.config import get_settings
    from spravka.questions.open_store import open_log_store
    from spravka_tools.report.build import build_report, period
    from spravka_tools.report.text import render_text

    settings = get_settings()
    try:
        first, last = period(args.since, args.until, timezone=settings.timezone)
    except ValueError:
        sys.stderr.write("Начало периода (--since) позже его конца (--until).\n")
        return 2
    store = open_log_store(settings.readings_store)
    try:
        report = build_report(
            store, get_index(), first=first, last=last, timezone=settings.timezone, site_url=settings.site_url
        )
    finally:
        store.close()
    if args.html:
        from spravka_tools.report.appeals import render_appeals_html
        from spravka_tools.report.html import render_html

        args.html.parent.mkdir(parents=True, exist_ok=True)
        appeals = _appeals_figures(first, last, settings)
        page = render_html(report)
        if appeals is not None:  # the appeals' section closes the page's main part
            page = page.replace("</main></body></html>", render_appeals_html(appeals) + "</main></body></html>")
        args.html.write_text(page, encoding="utf-8")
        print(f"{args.html}: отчёт за {first:%d.%m.%Y}–{last:%d.%m.%Y}, вопросов {report.figures.total}")
        return 0
    sys.stdout.write(render_text(report, max_groups=args.groups))
    appeals = _appeals_figures(first, last, settings)
    if appeals is None:
        sys.stdout.write("\nОбращения: хранилище недоступно.\n")
    else:
        from spravka_tools.report.appeals import render_appeals_text

        sys.stdout.write(render_appeals_text(appeals))
    return 0


def _appeals_figures(first: datetime.date, last: datetime.date, settings: Any) -> Any:
    """The appeals' figures of the period (counts only); None when the store cannot be read."""
    from spravka import clock
    from spravka.appeals.categories import load_categories
    from spravka.appeals.store import open_appeal_store
    from spravka.errors import StoreUnavailable
    from spravka_tools.report.appeals import compute_appeals

    store = open_appeal_store(settings.readings_store)
    try:
        appeals = store.appeals()
    except StoreUnavailable:
        return None
    finally:
        store.close()
    titles = {c.id: c.title for c in load_categories().values()}
    return compute_appeals(
        appeals, first_day=first, last_day=last, timezone=settings.timezone, titles=titles, now=clock.now()
    )
