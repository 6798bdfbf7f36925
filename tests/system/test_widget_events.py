"""Widget events in real headless Chromium against the real `spravka serve`: visit, link click,
"Помог ли ответ?", the anonymous visitor id in localStorage, and what the store receives."""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

import pytest

from tests.browser import Served
from tests.system.test_widget import HELP_PAGE, ask, expect, last_reply, open_widget

pytestmark = pytest.mark.browser

QUESTION = "как оплатить электроэнергию"


def stored(served: Served, table: str, visitor: str, *, until: int, timeout: float = 15.0) -> list[dict[str, Any]]:
    """The visitor's rows of the served store once at least `until` are there (the log is written in the background)."""
    db_path = served.log_path.parent / "data" / "readings.sqlite3"
    deadline = time.monotonic() + timeout
    rows: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        if db_path.exists():
            with sqlite3.connect(db_path) as db:
                try:
                    docs = [json.loads(doc) | {"id": id} for id, doc in db.execute(f"SELECT id, doc FROM {table}")]
                except sqlite3.OperationalError:  # the table is not created yet
                    docs = []
            rows = [doc for doc in docs if doc.get("visitor") == visitor]
            if len(rows) >= until:
                return rows
        time.sleep(0.1)
    return rows


def test_answer_feedback_and_link_click_reach_the_store_with_an_anonymous_visitor(page: Any, served: Served) -> None:
    sent: list[dict[str, Any]] = []
    asked: list[dict[str, Any]] = []
    page.on(
        "request",
        lambda r: sent.append(json.loads(r.post_data))
        if r.url.endswith("/api/events")
        else (asked.append(json.loads(r.post_data)) if r.url.endswith("/api/ask") and r.method == "POST" else None),
    )

    dialog = open_widget(page, served.url + HELP_PAGE)
    ask(dialog, QUESTION)
    reply = last_reply(dialog)
    feedback = reply.get_by_role("group", name="Помог ли ответ?")
    expect(feedback).to_be_visible()
    visitor = page.evaluate("localStorage.getItem('spravka-visitor')")
    assert visitor and 8 <= len(visitor) <= 64
    assert asked[-1]["visitor"] == visitor

    feedback.get_by_role("button", name="Нет").click()
    expect(reply).to_contain_text("Спасибо за отзыв!")
    # After «Нет», the way on: other words, the specialists' phone, a written appeal.
    ways = reply.get_by_role("group", name="Помог ли ответ?")
    expect(ways).to_contain_text("Попробуйте спросить другими словами")
    expect(ways.get_by_role("button", name="Написать обращение")).to_be_visible()
    expect(ways.locator("a[href^='tel:']")).to_have_count(1)
    expect(dialog.get_by_label("Ваш вопрос")).to_be_focused()

    article = reply.get_by_role("link", name="Подробнее: Способы оплаты")
    href = article.get_attribute("href")
    article.click()
    page.wait_for_url(served.url + "payment/payment-methods/")
    expect(last_reply(page.get_by_role("dialog"))).to_contain_text("Спасибо за отзыв!")  # kept across pages

    questions = stored(served, "questions", visitor, until=1)
    assert [q["q"] for q in questions] == [QUESTION]
    events = stored(served, "events", visitor, until=3)
    by_type = {event["type"]: event for event in events}
    assert sorted(by_type) == ["click", "helpful", "visit"] and len(events) == 3
    question_id = questions[0]["id"]
    assert by_type["helpful"] == by_type["helpful"] | {
        "article": "payment-methods",
        "value": False,
        "question_id": question_id,
    }
    assert by_type["click"] | {"url": href} == by_type["click"]
    assert by_type["click"]["article"] == "payment-methods" and by_type["click"]["question_id"] == question_id
    assert all(batch["visitor"] == visitor for batch in sent)
    assert page.context.cookies() == []


def test_the_same_browser_keeps_its_visitor_id_and_a_new_one_gets_another(browser: Any, served: Served) -> None:
    ids = []
    for _ in range(2):
        context = browser.new_context(locale="ru-RU")
        tab = context.new_page()
        dialog = open_widget(tab, served.url + HELP_PAGE)
        expect(dialog).to_be_visible()
        first = tab.evaluate("localStorage.getItem('spravka-visitor')")
        tab.reload()
        assert tab.evaluate("localStorage.getItem('spravka-visitor')") == first
        ids.append(first)
        context.close()
    assert ids[0] != ids[1]
