"""The report's charts, drawn with matplotlib as SVG text to put inline in the page.

Text stays text in the SVG (svg.fonttype "none"): the browser draws the Cyrillic with
its own fonts, the page stays small, and a reader can search and copy the labels.
"""

from __future__ import annotations

import io
import re
from typing import Any

from spravka_tools.report.calendar import is_day_off
from spravka_tools.report.figures import KIND_LABELS, KINDS, Figures

COLOURS = {
    "answer": "#3f51b5",
    "clarify": "#f9a825",
    "action": "#26a69a",
    "smalltalk": "#9e9e9e",
    "fallback": "#e53935",
}
ACCENT, MUTED, HOLIDAY, NIGHT = "#3f51b5", "#9fa8da", "#e53935", "#283593"
WIDTH = 9.0  # inches; the page scales the SVG to its column


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # no display; the SVG backend writes the files
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.fonttype": "none",
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.family": "sans-serif",
        }
    )
    return plt


def _svg(figure: Any, title: str) -> str:
    """The figure as an SVG element with an accessible title, and the figure closed."""
    plt = _pyplot()
    buffer = io.StringIO()
    # Ids inside each SVG differ from chart to chart: they share one page.
    plt.rcParams["svg.hashsalt"] = title
    figure.tight_layout()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<svg ", f'<svg role="img" aria-label="{_attr(title)}" ', svg, count=1)
    return svg


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def topics_chart(figures: Figures) -> str:
    plt = _pyplot()
    topics = figures.topics[:12][::-1]
    figure, axes = plt.subplots(figsize=(WIDTH, 0.35 * len(topics) + 1))
    shares = [100 * figures.share(count) for _, _, count in topics]
    bars = axes.barh([label for _, label, _ in topics], shares, color=ACCENT)
    axes.bar_label(bars, labels=[f"{s:.1f}%".replace(".", ",") for s in shares], padding=3)
    axes.set_xlabel("доля вопросов, %")
    return _svg(figure, "Доли тем")


def kinds_chart(figures: Figures) -> str:
    plt = _pyplot()
    days = list(figures.by_day)
    figure, axes = plt.subplots(figsize=(WIDTH, 3.6))
    bottom = [0] * len(days)
    for kind in KINDS:
        values = [figures.by_day[day].get(kind, 0) for day in days]
        axes.bar(range(len(days)), values, bottom=bottom, color=COLOURS[kind], label=KIND_LABELS[kind], width=0.85)
        bottom = [b + v for b, v in zip(bottom, values)]
    _day_axis(axes, days)
    axes.set_ylabel("вопросов")
    axes.legend(fontsize=8, ncols=3, loc="lower left", bbox_to_anchor=(0.0, 1.0), frameon=False)
    return _svg(figure, "Виды ответов по дням")


def hours_chart(figures: Figures) -> str:
    from spravka_tools.report.calendar import is_night_hour

    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(WIDTH, 2.8))
    colours = [NIGHT if is_night_hour(hour) else MUTED for hour in range(24)]
    axes.bar(range(24), figures.by_hour, color=colours)
    axes.set_xticks(range(24), [f"{h}" for h in range(24)])
    axes.set_xlabel("час суток (тёмные столбцы — ночь, 22:00–6:00)")
    axes.set_ylabel("вопросов")
    return _svg(figure, "Вопросы по часам суток")


def days_chart(figures: Figures) -> str:
    plt = _pyplot()
    days = list(figures.by_day)
    totals = [sum(figures.by_day[day].values()) for day in days]
    colours = [HOLIDAY if day in figures.holidays else (MUTED if is_day_off(day) else ACCENT) for day in days]
    figure, axes = plt.subplots(figsize=(WIDTH, 3.0))
    axes.bar(range(len(days)), totals, color=colours, width=0.85)
    peak = figures.peak_day
    if peak:
        at = days.index(peak[0])
        axes.annotate(
            f"пик: {peak[1]}", (at, peak[1]), xytext=(0, 4), textcoords="offset points", ha="center", fontsize=9
        )
    _day_axis(axes, days)
    axes.set_ylim(0, max(totals + [1]) * 1.15)
    axes.set_ylabel("вопросов")
    axes.set_title("синие — будни, светлые — выходные, красные — праздники", fontsize=9, loc="left")
    return _svg(figure, "Вопросы по дням")


def helpful_chart(figures: Figures) -> str:
    plt = _pyplot()
    rated = sorted(
        (a for a in figures.articles if a.helpful_rate is not None),
        key=lambda a: (a.helpful_yes + a.helpful_no),
        reverse=True,
    )[:15][::-1]
    figure, axes = plt.subplots(figsize=(WIDTH, 0.35 * max(len(rated), 1) + 1))
    rates = [100 * (a.helpful_rate or 0.0) for a in rated]
    bars = axes.barh([a.title for a in rated], rates, color=[HOLIDAY if r < 50 else ACCENT for r in rates])
    axes.bar_label(
        bars,
        labels=[f"{r:.0f}% ({a.helpful_yes} из {a.helpful_yes + a.helpful_no})" for r, a in zip(rates, rated)],
        padding=3,
        fontsize=8,
    )
    axes.set_xlim(0, 115)
    axes.set_xlabel("ответили «да», %")
    return _svg(figure, "«Помог ли ответ?» по статьям")


def visitors_chart(figures: Figures) -> str:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(WIDTH, 1.6))
    new = figures.visitors - figures.returning
    axes.barh(["посетители"], [new], color=MUTED, label=f"пришли один день: {new}")
    axes.barh(
        ["посетители"],
        [figures.returning],
        left=[new],
        color=ACCENT,
        label=f"вернулись в другой день: {figures.returning}",
    )
    axes.legend(fontsize=8, loc="lower right", frameon=False, bbox_to_anchor=(1.0, 1.0), ncols=2)
    axes.set_xlabel("посетителей")
    return _svg(figure, "Новые и вернувшиеся посетители")


def _day_axis(axes: Any, days: list[Any]) -> None:
    step = max(1, len(days) // 15)
    axes.set_xticks(range(0, len(days), step), [f"{d:%d.%m}" for d in days[::step]], rotation=45, fontsize=8)
    axes.set_xlim(-0.6, len(days) - 0.4)


def all_charts(figures: Figures) -> list[tuple[str, str, str]]:
    """(id, caption, svg) of every chart, in the page's order."""
    return [
        ("topics", "Доли тем: о чём спрашивают", topics_chart(figures)),
        ("kinds", "Виды ответов по дням", kinds_chart(figures)),
        ("days", "Вопросы по дням (выходные и праздники видны)", days_chart(figures)),
        ("hours", "Вопросы по часам суток (ночь видна)", hours_chart(figures)),
        ("helpful", "«Помог ли ответ?» по статьям", helpful_chart(figures)),
        ("visitors", "Вернувшиеся посетители", visitors_chart(figures)),
    ]
