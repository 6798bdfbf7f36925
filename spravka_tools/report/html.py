"""The report as one self-contained HTML page (Russian): figures, SVG charts inline, tables; no scripts."""

from __future__ import annotations

import datetime
from html import escape

from spravka import clock
from spravka_tools.plural import OF_ANSWERS, plural
from spravka_tools.report.build import Report
from spravka_tools.report.charts import all_charts
from spravka_tools.report.figures import CHANNEL_LABELS, KIND_LABELS
from spravka_tools.report.text import MAX_GROUPS, percent

STYLE = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#212121;margin:0;background:#fafafa}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:12px;margin:16px 0}
.card{background:#fff;border:1px solid #e0e0e0;border-radius:8px;padding:12px}
.card b{display:block;font-size:24px;color:#3f51b5}.card span{color:#616161;font-size:13px}
figure{background:#fff;border:1px solid #e0e0e0;border-radius:8px;margin:12px 0;padding:8px}
figure svg{width:100%;height:auto;display:block}figcaption{font-weight:600;margin:4px 8px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
th,td{border:1px solid #e0e0e0;padding:6px 8px;text-align:left;vertical-align:top}th{background:#f5f5f5}
td.n{text-align:right;white-space:nowrap}.muted{color:#757575;font-size:13px}ol.ex{margin:0;padding-left:18px}
"""


def render_html(report: Report, *, generated: datetime.datetime | None = None) -> str:
    f = report.figures
    generated = generated or clock.now()
    peak = f.peak_day
    cards = [
        (str(f.total), "вопросов за период"),
        (f"{peak[1]} ({peak[0]:%d.%m})" if peak else "—", "пиковый день"),
        (percent(f.fallback_rate), "«не знаю» (fallback)"),
        (percent(f.share(f.unanswered)), "без ответа: «не знаю» и уточнения"),
        (percent(f.click_through), f"переходы по ссылкам: {f.answers_clicked} из {plural(f.answers, OF_ANSWERS)}"),
        (percent(f.helpful_rate), f"«помог ли ответ?» — «да»: {f.helpful_yes} из {f.helpful_yes + f.helpful_no}"),
        (percent(f.returning_share), f"вернувшиеся посетители: {f.returning} из {f.visitors}"),
        (percent(f.share(f.night)), f"ночью, 22:00–6:00: {f.night}"),
    ]
    parts = [
        "<!doctype html>",
        '<html lang="ru"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Отчёт для редакторов справки: {f.first_day:%d.%m.%Y}–{f.last_day:%d.%m.%Y}</title>",
        f"<style>{STYLE}</style></head><body><main>",
        "<h1>Отчёт для редакторов справки</h1>",
        f'<p class="muted">Период: {f.first_day:%d.%m.%Y}–{f.last_day:%d.%m.%Y}, время — {escape(f.timezone)}. '
        f"Сформирован {generated:%d.%m.%Y %H:%M} UTC. Личные данные в вопросах заменены метками вроде [телефон].</p>",
        '<section class="cards" aria-label="Главные цифры">',
        *(f'<div class="card"><b>{escape(value)}</b><span>{escape(label)}</span></div>' for value, label in cards),
        "</section>",
        "<h2>Графики</h2>",
    ]
    for chart_id, caption, svg in all_charts(f):
        parts.append(f'<figure id="chart-{chart_id}">{svg}<figcaption>{escape(caption)}</figcaption></figure>')
    parts += (
        _topics_table(report),
        _kinds_table(report),
        _channels_table(report),
        _helpful_table(report),
        _groups_table(report),
    )
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


def _topics_table(report: Report) -> str:
    f = report.figures
    rows = "".join(
        f"<tr><td>{escape(label)}</td><td class=n>{count}</td><td class=n>{percent(f.share(count))}</td></tr>"
        for _, label, count in f.topics
    )
    return f"<h2>Темы</h2><table><tr><th>тема</th><th>вопросов</th><th>доля</th></tr>{rows}</table>"


def _kinds_table(report: Report) -> str:
    f = report.figures
    rows = "".join(
        f"<tr><td>{escape(KIND_LABELS.get(kind, kind))}</td><td class=n>{count}</td>"
        f"<td class=n>{percent(f.share(count))}</td></tr>"
        for kind, count in f.kinds.items()
    )
    return f"<h2>Виды ответов</h2><table><tr><th>вид</th><th>вопросов</th><th>доля</th></tr>{rows}</table>"


def _channels_table(report: Report) -> str:
    """Channels side by side: the widget and each messenger bot, with how their questions were answered."""
    f = report.figures
    rows = "".join(
        f"<tr><td>{escape(CHANNEL_LABELS.get(channel, channel))}</td><td class=n>{sum(counts.values())}</td>"
        f"<td class=n>{percent(f.share(sum(counts.values())))}</td><td class=n>{counts.get('answer', 0)}</td>"
        f"<td class=n>{counts.get('fallback', 0)}</td></tr>"
        for channel, counts in f.channels.items()
    )
    return (
        "<h2>Каналы</h2><table><tr><th>канал</th><th>вопросов</th><th>доля</th><th>ответ статьёй</th>"
        f"<th>«не знаю»</th></tr>{rows}</table>"
    )


def _helpful_table(report: Report) -> str:
    rows = "".join(
        f"<tr><td>{escape(a.title)} <span class=muted>({escape(a.id)})</span></td><td class=n>{a.answers}</td>"
        f"<td class=n>{a.clicks}</td><td class=n>{a.helpful_yes}</td><td class=n>{a.helpful_no}</td>"
        f"<td class=n>{percent(a.helpful_rate)}</td></tr>"
        for a in report.figures.articles
    )
    return (
        "<h2>Статьи: ответы, переходы, «помог ли ответ?»</h2><table><tr><th>статья</th><th>ответов</th>"
        f"<th>кликов</th><th>да</th><th>нет</th><th>доля «да»</th></tr>{rows}</table>"
    )


def _groups_table(report: Report) -> str:
    rows = []
    for number, group in enumerate(report.groups[: MAX_GROUPS * 2], 1):
        examples = "".join(f"<li>{escape(text)}</li>" for text in group.examples)
        if group.nearest:
            article_id, title, url, score = group.nearest
            link = (
                f'<a href="{escape(report.site_url + url)}">{escape(title)}</a>' if report.site_url else escape(title)
            )
            nearest = f"{link} <span class=muted>({escape(article_id)}, совпадение {score:g})</span>"
        else:
            nearest = "—"
        kinds = ", ".join(f"{KIND_LABELS.get(k, k)}: {n}" for k, n in group.kinds.most_common())
        rows.append(
            f"<tr><td class=n>{number}</td><td class=n>{group.count}</td><td><ol class=ex>{examples}</ol>"
            f"<span class=muted>{escape(kinds)}</span></td><td>{nearest}</td></tr>"
        )
    return (
        "<h2>Вопросы без ответа, по группам</h2>"
        "<p>Самые частые — сверху. Если ближайшая статья отвечает на вопрос, добавьте формулировку в её "
        "<code>questions</code>; если нет — напишите новую статью (см. руководство редактора).</p>"
        "<table><tr><th>№</th><th>сколько</th><th>как спрашивали</th><th>ближайшая статья</th></tr>"
        f"{''.join(rows)}</table>"
    )
