"""The report page in real headless Chromium: it renders, with its charts as pictures, and no JavaScript errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.month import FIRST_DAY, LAST_DAY, TIMEZONE
from tests.questions.test_editors_loop import REPORT_DAY, replay

pytestmark = pytest.mark.browser


@pytest.fixture
def report_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: Any) -> Path:
    from spravka.config import get_settings
    from spravka_tools.cli import main

    monkeypatch.setenv("READINGS_STORE", f"sqlite:///{tmp_path / 'spravka.sqlite3'}")
    monkeypatch.setenv("SPRAVKA_TIMEZONE", TIMEZONE)
    get_settings.cache_clear()
    clock.set(REPORT_DAY)  # the log purges by the clock: read the month the day after it, not today
    replay(per_day=8)
    page = tmp_path / "report.html"
    assert main(["report", "--html", str(page), "--since", FIRST_DAY.isoformat(), "--until", LAST_DAY.isoformat()]) == 0
    return page


def test_report_page_shows_its_figures_and_charts(page: Any, report_page: Path, artifacts_dir: Path) -> None:
    console_errors: list[str] = []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(report_page.as_uri())
    assert page.title().startswith("Отчёт для редакторов справки")
    assert page.get_by_role("heading", name="Вопросы без ответа, по группам").is_visible()
    charts = page.locator("figure svg[role=img]")
    assert charts.count() == 6
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert box and box["width"] > 400 and box["height"] > 80
        assert chart.locator("path, rect, use").count() > 10  # bars drawn, not an empty frame
    labels = page.locator("#chart-topics svg text").all_text_contents()
    assert any("%" in label for label in labels)
    assert page.locator("#chart-days svg").get_attribute("aria-label") == "Вопросы по дням"
    assert page.locator("table").count() >= 4
    page.screenshot(path=str(artifacts_dir / "report-page.png"), full_page=True)
    assert console_errors == [] and failed == []


def test_report_page_is_readable_at_390px(browser: Any, report_page: Path, artifacts_dir: Path) -> None:
    """A phone's width: no sideways scrolling of the page; wide tables and charts scroll in their own box."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU")
    try:
        page = context.new_page()
        page.goto(report_page.as_uri())
        wide = page.evaluate(
            "[...document.body.querySelectorAll('*')].filter(n => n.getBoundingClientRect().right > 391)"
            ".filter(n => !n.parentElement.closest('[data-wide]') && getComputedStyle(n.parentElement).overflowX !== 'auto')"
            ".map(n => n.tagName + '.' + n.className + ' ' + Math.round(n.getBoundingClientRect().right))"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide[:10]
        font = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert font >= 14
        page.screenshot(path=str(artifacts_dir / "report-page-390px.png"), full_page=True)
    finally:
        context.close()
