"""The report as plain text (Russian), for the terminal: `spravka report`."""

from __future__ import annotations

from spravka_tools.plural import OF_ANSWERS, QUESTIONS, plural
from spravka_tools.report.build import Report
from spravka_tools.report.figures import CHANNEL_LABELS, KIND_LABELS

MAX_GROUPS = 20


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}".replace(".", ",")


def render_text(report: Report, *, max_groups: int = MAX_GROUPS) -> str:
    f = report.figures
    lines = [f"Отчёт для редакторов: {f.first_day:%d.%m.%Y}–{f.last_day:%d.%m.%Y} ({f.timezone})", ""]
    lines.append(f"Вопросов: {f.total}")
    peak = f.peak_day
    if peak:
        lines.append(f"Пиковый день: {peak[0]:%d.%m.%Y} — {plural(peak[1], QUESTIONS)}")
    lines.append(f"Ночью (22:00–6:00): {f.night} ({percent(f.share(f.night))})")
    holiday_total = sum(sum(f.by_day.get(day, {}).values()) for day in f.holidays)
    if f.holidays:
        lines.append(f"В праздничные дни: {holiday_total}")
    lines.append(f"«Не знаю» (fallback): {f.kinds.get('fallback', 0)} ({percent(f.fallback_rate)})")
    lines.append(f"Без ответа (fallback + уточнение): {f.unanswered} ({percent(f.share(f.unanswered))})")
    lines.append(
        f"Переходы по ссылкам: {f.answers_clicked} из {plural(f.answers, OF_ANSWERS)} ({percent(f.click_through)}), "
        f"всего кликов {f.clicks}"
    )
    lines.append(f"«Помог ли ответ?»: да {f.helpful_yes}, нет {f.helpful_no} ({percent(f.helpful_rate)} «да»)")
    lines.append(f"Посетителей: {f.visitors}, вернувшихся: {f.returning} ({percent(f.returning_share)})")
    lines += ["", "Виды ответов:"]
    lines += [
        f"  {KIND_LABELS.get(kind, kind):<30} {count:>6} {percent(f.share(count)):>7}"
        for kind, count in f.kinds.items()
    ]
    lines += ["", "Каналы (вопросов; из них ответ статьёй, «не знаю»):"]
    for channel, counts in f.channels.items():
        total = sum(counts.values())
        lines.append(
            f"  {CHANNEL_LABELS.get(channel, channel):<30} {total:>6} {percent(f.share(total)):>7}"
            f"   статьёй {counts.get('answer', 0)}, «не знаю» {counts.get('fallback', 0)}"
        )
    lines += ["", "Темы:"]
    lines += [f"  {label:<45} {count:>6} {percent(f.share(count)):>7}" for _, label, count in f.topics]
    rated = [a for a in f.articles if a.helpful_rate is not None]
    if rated:
        lines += ["", "«Помог ли ответ?»: статьи с самой малой долей «да» (да / нет):"]
        lines += [
            f"  {a.title:<45} {a.helpful_yes:>4} / {a.helpful_no:<4} {percent(a.helpful_rate):>7}"
            for a in sorted(rated, key=lambda a: (a.helpful_rate or 0, -a.helpful_no))[:max_groups]
        ]
    doubtful = [a for a in f.articles if a.doubtful]
    if doubtful:
        lines += ["", "Ответы под сомнением («нет» на «Помог ли ответ?» или победа на грани), по статьям:"]
        for a in doubtful[:max_groups]:
            lines.append(f"  {a.title} ({a.id}):")
            lines += [f"    [{why}] «{q}»" for why, q in a.doubtful]
    lines += ["", f"Вопросы без ответа, по группам (всего групп {len(report.groups)}):"]
    for number, group in enumerate(report.groups[:max_groups], 1):
        nearest = (
            f"ближайшая статья: {group.nearest[1]} ({group.nearest[0]}, {group.nearest[3]:g})"
            if group.nearest
            else "ближайшей статьи нет"
        )
        lines.append(f"{number:>3}. ×{group.count}  «{group.examples[0]}»  — {nearest}")
        for example in group.examples[1:]:
            lines.append(f"       «{example}»")
    return "\n".join(lines) + "\n"
