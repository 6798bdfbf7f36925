"""The appeals in the editors' report: counts, medians, late shares and repeats, without any text or contact."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from typing import Any

import pytest

from spravka.appeals.create import create_appeal
from spravka.appeals.staff import answer, set_status
from spravka_tools.cli import main
from spravka_tools.report.appeals import compute_appeals, render_appeals_text
from tests.appeals.conftest import BILL, LIMITS_SECRET

D = datetime.date
MSK = datetime.timezone(datetime.timedelta(hours=3))


def at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, tzinfo=MSK)


@pytest.fixture
def appeals(sqlite_appeal_store: Any, settings: Any) -> Any:
    """Four appeals of early December 2026; two from the same e-mail, one late on both deadlines."""
    store = sqlite_appeal_store

    def make(text: str, when: datetime.datetime, **extra: Any) -> str:
        body = {**BILL, "text": text, **extra}
        return create_appeal(store, body, settings=settings, now=when)[0]["number"]

    first = make("Первый вопрос о счёте за ноябрь", at(1, 10))
    set_status(store, first, "in_review", now=at(1, 16))  # 6 hours
    answer(store, first, "Ответ.", now=at(3, 10))  # 2 days
    again = make("Снова о счёте за ноябрь, не пересчитали", at(8, 10))  # the same e-mail: repeated
    set_status(store, again, "in_review", now=at(9, 10))  # 24 hours
    make("Нет горячей воды второй день", at(2, 9), category="heat-hot-water", contact={"phone": "+79001234567"})
    outside = make("Вопрос из ноября о договоре", datetime.datetime(2026, 11, 20, 12, tzinfo=MSK), category="contract")
    return store, first, again, outside


def test_figures(appeals: Any) -> None:
    store, *_ = appeals
    figures = compute_appeals(
        store.appeals(),
        first_day=D(2026, 12, 1),
        last_day=D(2026, 12, 31),
        timezone="Europe/Moscow",
        titles={"billing": "Начисления и счета"},
        now=at(20, 12),
    )
    assert figures.total == 3
    assert figures.by_category == [("billing", "Начисления и счета", 2), ("heat-hot-water", "heat-hot-water", 1)]
    assert figures.by_day == {D(2026, 12, 1): 1, D(2026, 12, 2): 1, D(2026, 12, 8): 1}
    assert figures.review_hours_median == 15.0  # 6 and 24 hours; the third not yet reviewed
    assert figures.decision_days_median == 2.0
    # Late review: the heat appeal (never acted on, 48 h long past). Late decision: the heat appeal
    # (decision_by Dec 16) — the repeated one's is Dec 22, after "now".
    assert (figures.review_late, figures.decision_late) == (1, 1)
    # Both billing appeals repeat: the first follows the November one (same e-mail, 11 days before,
    # outside the period but within 30 days), the second follows the first.
    assert figures.repeated == 2 and figures.repeated_by_category == [("billing", "Начисления и счета", 2)]


def test_the_report_carries_no_text_or_contact(
    appeals: Any, settings: Any, monkeypatch: Any, capsys: Any, clock: Any, tmp_path: Path
) -> None:
    # 20 December 2026: the default period (30 days up to today, from November 21) has three of the four.
    clock.set(at(20, 12))
    from spravka.config import get_settings

    monkeypatch.setenv("READINGS_STORE", settings.readings_store)
    monkeypatch.setenv("LIMITS_SECRET", LIMITS_SECRET)
    get_settings.cache_clear()
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert "Обращения в виртуальную приёмную: 3" in out and "Повторные (тот же счёт или контакт за 30 дней): 2" in out
    page_file = tmp_path / "report.html"
    assert main(["report", "--html", str(page_file)]) == 0
    page = page_file.read_text(encoding="utf-8")
    assert "Обращения в виртуальную приёмную</h2>" in page and page.rstrip().endswith("</section></main></body></html>")
    for private in ("ivanova@example.ru", "+79001234567", "счёте за ноябрь", "горячей воды"):
        assert private not in out and private not in page


def test_an_empty_period(settings: Any) -> None:
    empty = dataclasses.replace(
        compute_appeals([], first_day=D(2026, 12, 1), last_day=D(2026, 12, 2), timezone="UTC", titles={}, now=at(2, 1))
    )
    assert render_appeals_text(empty) == "\nОбращения в виртуальную приёмную: 0\n"
