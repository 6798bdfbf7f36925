"""The appeals in the editors' report: how many, on what, how fast, how late, and who writes again.

Counts only: no appeal's text, contact or account ever appears in the report. A repeated appeal
is one whose account, e-mail or phone matches an earlier appeal of the 30 days before it —
the analysis the utilities do to find what keeps going wrong.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from spravka.appeals.model import ANSWERED, CLOSED, REGISTERED, Appeal

REPEAT_DAYS = 30


def _instant(iso: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(iso.replace("Z", "+00:00"))


@dataclasses.dataclass(frozen=True)
class AppealFigures:
    total: int
    by_category: list[tuple[str, str, int]]  # (id, title, count), most first
    by_day: dict[datetime.date, int]
    review_hours_median: float | None  # registration -> the staff's first action
    decision_days_median: float | None  # registration -> the answer, in calendar days
    review_late: int  # first action after review_by, or none yet and review_by passed
    decision_late: int  # answered after decision_by, or still open past it
    repeated: int
    repeated_by_category: list[tuple[str, str, int]]

    def share(self, count: int) -> float | None:
        return count / self.total if self.total else None


def _keys(appeal: Appeal) -> set[str]:
    keys = {f"email:{appeal.email.lower()}"} if appeal.email else set()
    if appeal.phone:
        keys.add(f"phone:{appeal.phone}")
    if appeal.account:
        keys.add(f"account:{appeal.account}")
    return keys


def repeated_numbers(appeals: Iterable[Appeal]) -> set[str]:
    """Numbers of the appeals with an earlier one from the same account or contact within REPEAT_DAYS."""
    last_seen: dict[str, datetime.datetime] = {}
    repeated = set()
    for appeal in sorted(appeals, key=lambda a: (a.registered_at, a.number)):
        at = _instant(appeal.registered_at)
        keys = _keys(appeal)
        if any(key in last_seen and at - last_seen[key] <= datetime.timedelta(days=REPEAT_DAYS) for key in keys):
            repeated.add(appeal.number)
        for key in keys:
            last_seen[key] = at
    return repeated


def _first_action(appeal: Appeal) -> datetime.datetime | None:
    return next((_instant(e.at) for e in appeal.history[1:] if e.status != REGISTERED or e.note), None)


def _answered(appeal: Appeal) -> datetime.datetime | None:
    return next((_instant(e.at) for e in appeal.history if e.status in (ANSWERED, CLOSED)), None)


def compute_appeals(
    appeals: Iterable[Appeal],
    *,
    first_day: datetime.date,
    last_day: datetime.date,
    timezone: str,
    titles: Mapping[str, str],
    now: datetime.datetime,
) -> AppealFigures:
    """The figures of the appeals registered on the period's local days (earlier ones count for repeats)."""
    zone = ZoneInfo(timezone)
    everything = list(appeals)
    repeated = repeated_numbers(everything)
    chosen = [a for a in everything if first_day <= _instant(a.registered_at).astimezone(zone).date() <= last_day]
    categories = Counter(a.category for a in chosen)
    review_hours, decision_days = [], []
    review_late = decision_late = 0
    for appeal in chosen:
        registered, acted, answered = _instant(appeal.registered_at), _first_action(appeal), _answered(appeal)
        if acted is not None:
            review_hours.append((acted - registered).total_seconds() / 3600)
        if (acted or now) > _instant(appeal.review_by):
            review_late += 1
        if answered is not None:
            decision_days.append((answered - registered).total_seconds() / 86400)
        if (answered or now).astimezone(zone).date().isoformat() > appeal.decision_by:
            decision_late += 1
    repeats = Counter(a.category for a in chosen if a.number in repeated)
    return AppealFigures(
        total=len(chosen),
        by_category=[(c, titles.get(c, c), n) for c, n in categories.most_common()],
        by_day=dict(sorted(Counter(_instant(a.registered_at).astimezone(zone).date() for a in chosen).items())),
        review_hours_median=statistics.median(review_hours) if review_hours else None,
        decision_days_median=statistics.median(decision_days) if decision_days else None,
        review_late=review_late,
        decision_late=decision_late,
        repeated=sum(repeats.values()),
        repeated_by_category=[(c, titles.get(c, c), n) for c, n in repeats.most_common()],
    )


def render_appeals_text(f: AppealFigures) -> str:
    """The report's appeals section (Russian)."""

    def percent(count: int) -> str:
        share = f.share(count)
        return "—" if share is None else f"{share:.1%}".replace(".", ",")

    def number(value: float | None, unit: str) -> str:
        return "—" if value is None else f"{value:.1f} {unit}".replace(".", ",")

    lines = ["", f"Обращения в виртуальную приёмную: {f.total}"]
    if not f.total:
        return "\n".join(lines) + "\n"
    lines.append(f"Медиана до первого действия специалиста: {number(f.review_hours_median, 'ч')}")
    lines.append(f"Медиана до ответа: {number(f.decision_days_median, 'дн.')}")
    lines.append(f"Рассмотрены позже 48 часов: {f.review_late} ({percent(f.review_late)})")
    lines.append(f"Ответ позже срока: {f.decision_late} ({percent(f.decision_late)})")
    lines.append(f"Повторные (тот же счёт или контакт за {REPEAT_DAYS} дней): {f.repeated} ({percent(f.repeated)})")
    lines += ["", "Обращения по темам (всего / повторные):"]
    repeats = {c: n for c, _, n in f.repeated_by_category}
    lines += [f"  {title:<45} {count:>6} / {repeats.get(c, 0):<4}" for c, title, count in f.by_category]
    lines += ["", "Обращения по дням:"]
    lines += [f"  {day:%d.%m.%Y}  {count:>4}" for day, count in f.by_day.items()]
    return "\n".join(lines) + "\n"


def render_appeals_html(f: AppealFigures) -> str:
    """The report page's appeals section: the main figures and a table by category."""

    def percent(count: int) -> str:
        share = f.share(count)
        return "—" if share is None else f"{share:.1%}".replace(".", ",")

    def number(value: float | None, unit: str) -> str:
        return "—" if value is None else f"{value:.1f} {unit}".replace(".", ",")

    items = [
        ("обращений", str(f.total)),
        ("медиана до первого действия", number(f.review_hours_median, "ч")),
        ("медиана до ответа", number(f.decision_days_median, "дн.")),
        ("рассмотрены позже 48 часов", f"{f.review_late} ({percent(f.review_late)})"),
        ("ответ позже срока", f"{f.decision_late} ({percent(f.decision_late)})"),
        (f"повторные (за {REPEAT_DAYS} дней)", f"{f.repeated} ({percent(f.repeated)})"),
    ]
    figures = "".join(f"<tr><th>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>" for label, value in items)
    repeats = {c: n for c, _, n in f.repeated_by_category}
    rows = "".join(
        f"<tr><td>{html.escape(title)}</td><td>{count}</td><td>{repeats.get(c, 0)}</td></tr>"
        for c, title, count in f.by_category
    )
    return (
        '<section aria-labelledby="appeals"><h2 id="appeals">Обращения в виртуальную приёмную</h2>'
        f"<table>{figures}</table>"
        f"<table><tr><th>тема</th><th>обращений</th><th>повторных</th></tr>{rows}</table></section>"
    )
