"""Read the log for a period and compute the report: figures and groups of unanswered questions."""

from __future__ import annotations

import dataclasses
import datetime

from spravka import clock
from spravka.ask.index import Index
from spravka.paths import KNOWLEDGE_DIR
from spravka.questions.store import LogStore
from spravka.readings.period import start_of_day_utc
from spravka_tools.knowledge.articles import load_yaml
from spravka_tools.report.figures import Figures, compute
from spravka_tools.report.unanswered import Group, group_unanswered

DEFAULT_DAYS = 30


@dataclasses.dataclass(frozen=True)
class Report:
    figures: Figures
    groups: list[Group]
    site_url: str


def period(
    since: datetime.date | None, until: datetime.date | None, *, timezone: str, today: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """The report's days, inclusive: by default the last 30 days up to today."""
    today = today or clock.today(timezone)
    last = until or today
    first = since or last - datetime.timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ValueError(f"--since {first} is after --until {last}")
    return first, last


def section_titles() -> dict[str, str]:
    """Section id -> its name on the help site (knowledge/sections.yml); empty outside a checkout."""
    return {str(k): str(v) for k, v in load_yaml(KNOWLEDGE_DIR, "sections.yml").items()}


def build_report(
    store: LogStore, index: Index, *, first: datetime.date, last: datetime.date, timezone: str, site_url: str = ""
) -> Report:
    """Purge what expired, read the period's records and compute everything the report shows."""
    store.purge(clock.now())
    since = start_of_day_utc(first, timezone)
    until = start_of_day_utc(last + datetime.timedelta(days=1), timezone)
    questions = store.questions(since, until)
    events = store.events(since, until)
    figures = compute(
        questions,
        events,
        first_day=first,
        last_day=last,
        timezone=timezone,
        sections={a.id: a.section for a in index.articles.values()},
        section_titles=section_titles(),
        titles={a.id: a.title for a in index.articles.values()},
    )
    return Report(figures, group_unanswered(questions, index), site_url)
