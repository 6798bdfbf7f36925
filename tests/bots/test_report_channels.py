"""The editors' report shows the widget and the bots side by side."""

from __future__ import annotations

import datetime

from spravka.questions.records import QuestionRecord
from spravka_tools.report.build import Report
from spravka_tools.report.figures import compute
from spravka_tools.report.html import render_html
from spravka_tools.report.text import render_text

AT = datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC)


def question(n: int, kind: str, channel: str | None) -> QuestionRecord:
    return QuestionRecord(f"q{n}", AT, "вопрос", kind, "a" if kind == "answer" else None, None, 80.0, channel=channel)


def test_channels_side_by_side() -> None:
    questions = [
        question(1, "answer", None),
        question(2, "fallback", None),
        question(3, "answer", "telegram"),
        question(4, "answer", "telegram"),
        question(5, "fallback", "viber"),
    ]
    figures = compute(
        questions,
        [],
        first_day=datetime.date(2026, 12, 1),
        last_day=datetime.date(2026, 12, 31),
        timezone="Europe/Moscow",
        sections={"a": "payment"},
        section_titles={"payment": "Оплата"},
        titles={"a": "Статья"},
    )
    assert figures.channels == {
        "widget": {"answer": 1, "fallback": 1},
        "telegram": {"answer": 2},
        "viber": {"fallback": 1},
    }
    report = Report(figures, [], "")
    text = render_text(report)
    assert "Telegram" in text and "Viber" in text and "сайт (виджет)" in text
    assert "  Telegram                            2   40,0%   статьёй 2, «не знаю» 0" in text
    assert "<h2>Каналы</h2>" in render_html(report, generated=AT)


def test_a_record_keeps_its_channel_through_the_store_document() -> None:
    record = question(1, "answer", "viber")
    assert QuestionRecord.from_doc(record.id, record.at, record.to_doc()) == record
    assert "channel" not in question(2, "answer", None).to_doc()  # the widget's documents as before
