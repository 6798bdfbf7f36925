"""Acceptance of the editors' loop: a month of questions and events through the real functions,
then the report's figures checked against what was sent, on SQLite and on the Firestore emulator."""

from __future__ import annotations

import dataclasses
import datetime
import json
import random
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from spravka.questions.redact import redact
from tests.firestore_emulator import MAIN, PROJECT, STORES
from tests.month import FIRST_DAY, LAST_DAY, REPEATED, TIMEZONE, Sent, generate

SITE = "https://help.example.ru"
# When the report is read: the day after the replayed month. The question log keeps records
# LOG_RETENTION_DAYS and purges by the clock, so the test fixes it rather than read today's date.
REPORT_DAY = datetime.datetime.combine(LAST_DAY + datetime.timedelta(days=1), datetime.time(12), ZoneInfo(TIMEZONE))


@pytest.fixture(scope="module", autouse=True)
def report_day() -> Any:
    """The product's clock at REPORT_DAY for the whole module (the month fixture is module-scoped)."""
    from spravka import clock as product_clock

    previous = product_clock.use(lambda: REPORT_DAY)
    yield REPORT_DAY
    product_clock.use(previous)


@dataclasses.dataclass
class Clock:
    at: datetime.datetime

    def now(self) -> datetime.datetime:
        return self.at


@dataclasses.dataclass
class Month:
    """What was sent through the functions, what they answered, and the store it went to."""

    kind: str
    answered: list[tuple[Sent, dict[str, Any]]]
    events: list[tuple[datetime.datetime, str, dict[str, Any]]]
    store_url: str
    db_path: Path | None


def article_questions() -> list[tuple[str, str]]:
    from spravka.paths import KNOWLEDGE_DIR
    from spravka_tools.knowledge.articles import load_articles

    return [(a.id, q) for a in load_articles(KNOWLEDGE_DIR) for q in a.questions]


def replay(
    per_day: int, seed: int = 6
) -> tuple[list[tuple[Sent, dict[str, Any]]], list[tuple[datetime.datetime, str, dict[str, Any]]]]:
    """Send the generated month through `ask` and `events` (functions-framework apps of main.py)."""
    import functions_framework

    from spravka import clock as product_clock
    from spravka.questions import writer as log_writers

    ask = functions_framework.create_app("ask", str(MAIN)).test_client()
    events = functions_framework.create_app("events", str(MAIN)).test_client()
    clock = Clock(REPORT_DAY)
    original = product_clock.use(clock.now)
    rng = random.Random(seed + 1)
    answered: list[tuple[Sent, dict[str, Any]]] = []
    sent_events: list[tuple[datetime.datetime, str, dict[str, Any]]] = []

    def send(at: datetime.datetime, visitor: str, batch: list[dict[str, Any]]) -> None:
        clock.at = at
        response = events.post("/", json={"visitor": visitor, "events": batch})
        assert response.status_code == 202, response.get_json()
        assert response.get_json() == {"accepted": len(batch)}
        sent_events.extend((at, visitor, event) for event in batch)

    try:
        for session in generate(seed, per_day=per_day, article_questions=article_questions()):
            send(session.start.astimezone(datetime.timezone.utc), session.visitor, [{"type": "visit"}])
            for question in session.questions:
                clock.at = question.at
                response = ask.post(
                    "/", json={"q": question.q, "session": question.session, "visitor": question.visitor}
                )
                assert response.status_code == 200, response.get_json()
                reply = response.get_json()
                assert reply["question_id"]
                answered.append((question, reply))
                batch = []
                if reply["kind"] == "answer":
                    article = reply["article"]
                    if rng.random() < 0.45:
                        batch.append(
                            {
                                "type": "click",
                                "article": article["id"],
                                "url": SITE + article["url"],
                                "question_id": reply["question_id"],
                            }
                        )
                    if reply["suggestions"] and rng.random() < 0.1:
                        other = reply["suggestions"][0]
                        batch.append(
                            {
                                "type": "click",
                                "article": other["id"],
                                "url": SITE + other["url"],
                                "question_id": reply["question_id"],
                            }
                        )
                    if rng.random() < 0.3:
                        batch.append(
                            {
                                "type": "helpful",
                                "article": article["id"],
                                "value": rng.random() < 0.75,
                                "question_id": reply["question_id"],
                            }
                        )
                if batch:
                    send(question.at + datetime.timedelta(seconds=30), question.visitor, batch)
        assert log_writers.flush_all(30)
        stats = [writer.stats() for writer in log_writers._writers.values()]
        assert sum(s["dropped"] for s in stats) == 0, stats
    finally:
        product_clock.use(original)
    return answered, sent_events


@pytest.fixture(scope="module", params=STORES)
def month(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Month:
    """The month, replayed once per store for the tests of this module."""
    from spravka.config import get_settings
    from spravka.questions import writer as log_writers

    db_path = None
    if request.param == "firestore":
        request.getfixturevalue("firestore_emulator").wipe(PROJECT)
        url = "firestore"
        per_day = 25  # a lighter month: the emulator is slower than a file
    else:
        db_path = tmp_path_factory.mktemp("month") / "spravka.sqlite3"
        url = f"sqlite:///{db_path}"
        per_day = 40
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPRAVKA_TIMEZONE", TIMEZONE)
        patch.setenv("READINGS_STORE", url)
        get_settings.cache_clear()
        try:
            answered, events = replay(per_day)
        finally:
            log_writers.close_all()
            get_settings.cache_clear()
    return Month(request.param, answered, events, url, db_path)


def build(month: Month) -> Any:
    from spravka.ask.index import get_index
    from spravka.questions.open_store import open_log_store
    from spravka_tools.report.build import build_report

    store = open_log_store(month.store_url)
    try:
        return build_report(store, get_index(), first=FIRST_DAY, last=LAST_DAY, timezone=TIMEZONE)
    finally:
        store.close()


def stored_texts(month: Month) -> list[str]:
    """Every stored question and event document, raw, as the store holds it."""
    if month.db_path is not None:
        with sqlite3.connect(month.db_path) as db:
            return [doc for table in ("questions", "events") for (doc,) in db.execute(f"SELECT doc FROM {table}")]
    from google.cloud import firestore

    client = firestore.Client(project=PROJECT)
    try:
        return [
            json.dumps(s.to_dict(), ensure_ascii=False, default=str)
            for name in ("questions", "events")
            for s in client.collection(name).stream()
        ]
    finally:
        client.close()


def test_month_report_figures_match_what_was_sent(month: Month) -> None:
    zone = ZoneInfo(TIMEZONE)
    report = build(month)
    f = report.figures
    answered = month.answered
    assert len(answered) > 500
    kinds = Counter(reply["kind"] for _, reply in answered)

    assert f.total == len(answered)
    assert {k: v for k, v in f.kinds.items() if v} == dict(kinds)
    assert f.fallback_rate == pytest.approx(kinds["fallback"] / len(answered))
    by_day = Counter(sent.at.astimezone(zone).date() for sent, _ in answered)
    assert {day: sum(c.values()) for day, c in f.by_day.items() if c} == dict(by_day)
    assert len(f.by_day) == (LAST_DAY - FIRST_DAY).days + 1
    assert f.peak_day == (max(by_day, key=lambda d: (by_day[d], d)), max(by_day.values()))
    by_hour = Counter(sent.at.astimezone(zone).hour for sent, _ in answered)
    assert f.by_hour == [by_hour[h] for h in range(24)]
    night = sum(1 for sent, _ in answered if not 6 <= sent.at.astimezone(zone).hour < 22)
    assert f.night == night > 0
    new_year_night = sum(
        1
        for sent, _ in answered
        if datetime.datetime(2026, 1, 1, tzinfo=zone) <= sent.at < datetime.datetime(2026, 1, 1, 4, tzinfo=zone)
    )
    assert new_year_night >= 10 and f.by_day[datetime.date(2026, 1, 1)]
    assert datetime.date(2026, 1, 1) in f.holidays and datetime.date(2025, 12, 31) in f.holidays

    # Topics: the sections of the articles answered add up as sent.
    from spravka.ask.index import get_index

    sections = {a.id: a.section for a in get_index().articles.values()}
    readings_answers = sum(
        1 for _, r in answered if r["kind"] == "answer" and sections[r["article"]["id"]] == "readings"
    )
    readings_actions = sum(1 for _, r in answered if r["action"] == "submit-readings")
    readings_clarify = sum(
        1 for _, r in answered if r["kind"] == "clarify" and sections[r["suggestions"][0]["id"]] == "readings"
    )
    topics = {key: count for key, _, count in f.topics}
    assert topics["readings"] == readings_answers + readings_actions + readings_clarify
    assert topics["@unanswered"] == kinds["fallback"]
    assert sum(topics.values()) == len(answered)
    assert [count for _, _, count in f.topics] == sorted(topics.values(), reverse=True)

    # Clicks, click-through and "helpful" per article, as sent.
    clicks = [event for _, _, event in month.events if event["type"] == "click"]
    answer_ids = {r["question_id"] for _, r in answered if r["kind"] == "answer"}
    assert f.clicks == len(clicks)
    assert f.answers == len(answer_ids)
    assert f.answers_clicked == len({e["question_id"] for e in clicks} & answer_ids) > 0
    votes: dict[str, Counter[bool]] = defaultdict(Counter)
    for _, _, event in month.events:
        if event["type"] == "helpful":
            votes[event["article"]][event["value"]] += 1
    rated = {a.id: (a.helpful_yes, a.helpful_no) for a in f.articles if a.helpful_yes + a.helpful_no}
    assert rated == {article: (c[True], c[False]) for article, c in votes.items()}
    assert f.helpful_yes == sum(c[True] for c in votes.values())

    # Answers in doubt: every question an article answered that got «Нет» is listed under it (up to five).
    asked = {r["question_id"]: (r["article"]["id"], sent.q) for sent, r in answered if r["kind"] == "answer"}
    said_no: dict[str, list[str]] = defaultdict(list)
    for _, _, event in month.events:
        if event["type"] == "helpful" and not event["value"] and event["question_id"] in asked:
            article, question = asked[event["question_id"]]
            if article == event["article"]:
                said_no[article].append(redact(question))  # as the log keeps it
    assert said_no, "the month has «Нет» on answers"
    listed = {a.id: [q for why, q in a.doubtful if why == "нет"] for a in f.articles}
    for article, questions in said_no.items():
        assert listed[article] == questions[: len(listed[article])] and len(listed[article]) == min(5, len(questions))

    # Returning visitors: active (asked or sent an event) on two local days or more.
    days: dict[str, set[datetime.date]] = defaultdict(set)
    for sent, _ in answered:
        days[sent.visitor].add(sent.at.astimezone(zone).date())
    for at, visitor, _ in month.events:
        days[visitor].add(at.astimezone(zone).date())
    assert f.visitors == len(days)
    assert f.returning == sum(1 for d in days.values() if len(d) >= 2) > 0

    # Unanswered questions people keep asking: one group per subject, the most frequent first,
    # each with its count as sent and a nearest article.
    unanswered = Counter(sent.theme for sent, r in answered if sent.theme and r["kind"] in ("fallback", "clarify"))
    assert len(unanswered) == len(REPEATED)
    top = report.groups[: len(REPEATED)]
    assert [g.count for g in top] == sorted(unanswered.values(), reverse=True)
    for group in top:
        themes = {
            sent.theme
            for sent, r in answered
            if sent.q in group.texts or any(text.endswith(sent.q) for text in group.texts)
        }
        theme = next(t for t in REPEATED if any(example.endswith(tuple(REPEATED[t])) for example in group.examples))
        assert group.count == unanswered[theme], (theme, group.examples)
        assert theme in themes
        assert group.nearest is not None
    counts = [g.count for g in report.groups]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) == f.unanswered


def test_no_stored_question_holds_the_personal_data_sent(month: Month) -> None:
    sent_personal = [data for sent, _ in month.answered for data in sent.personal]
    assert len(sent_personal) > 50
    texts = stored_texts(month)
    assert len(texts) == len(month.answered) + len(month.events)
    leaks = [(data, text) for text in texts for data in sent_personal if data in text]
    assert leaks == []
    digits_sent = {"".join(ch for ch in data if ch.isdigit()) for data in sent_personal}
    for text in texts:
        compact = "".join(ch for ch in text if ch.isdigit())
        assert not any(len(d) >= 10 and d in compact for d in digits_sent)
    placeholders = sum(text.count("[") for text in texts)
    assert placeholders >= len(sent_personal)


def test_report_command_prints_the_figures_and_writes_the_page(
    month: Month, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spravka.config import get_settings
    from spravka_tools.cli import main

    monkeypatch.setenv("READINGS_STORE", month.store_url)
    monkeypatch.setenv("SPRAVKA_TIMEZONE", TIMEZONE)
    get_settings.cache_clear()

    assert main(["report", "--since", FIRST_DAY.isoformat(), "--until", LAST_DAY.isoformat()]) == 0
    out = capsys.readouterr().out
    report = build(month)
    assert f"Вопросов: {len(month.answered)}" in out
    assert "Пиковый день:" in out and "Вопросы без ответа, по группам" in out
    assert f"×{report.groups[0].count}" in out
    html = tmp_path / "report.html"
    assert main(["report", "--html", str(html), "--since", FIRST_DAY.isoformat(), "--until", LAST_DAY.isoformat()]) == 0
    page = html.read_text(encoding="utf-8")
    assert page.count("<svg") == 6 and "<script" not in page
    assert main(["report", "--since", "2026-02-01", "--until", "2026-01-01"]) == 2
