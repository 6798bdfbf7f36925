"""The editors' figures from the logged questions and widget events: pure, no store, no drawing."""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from spravka.ask.answer import THRESHOLDS
from spravka.questions.records import EventRecord, QuestionRecord
from spravka_tools.report.calendar import holidays_between, is_night

KINDS = ("answer", "clarify", "action", "smalltalk", "fallback")
KIND_LABELS = {
    "answer": "ответ статьёй",
    "clarify": "уточнение",
    "action": "действие",
    "smalltalk": "приветствия и благодарности",
    "fallback": "«не знаю»",
}
# Topics beyond the sections of the help site.
SPECIAL_TOPICS = {
    "@personal": "Личные данные по счёту (личный кабинет)",
    "@operator": "Просьба соединить со специалистом",
    "@smalltalk": "Приветствия и благодарности",
    "@unanswered": "Без ответа («не знаю»)",
    "@other": "Другое",
}
# Where questions were asked: the site's widget (records without a channel) and the messenger bots.
CHANNELS = ("widget", "telegram", "viber")
CHANNEL_LABELS = {"widget": "сайт (виджет)", "telegram": "Telegram", "viber": "Viber"}
ACTION_TOPICS = {"submit-readings": "readings", "personal": "@personal", "operator": "@operator"}


def _helpful_rate(yes: int, no: int) -> float | None:
    """Share of "yes" among the answers to "Помог ли ответ?"; None without votes."""
    return yes / (yes + no) if yes + no else None


@dataclasses.dataclass(frozen=True)
class ArticleFigures:
    id: str
    title: str
    answers: int  # times given as the answer
    clicks: int  # link clicks from its answers
    helpful_yes: int
    helpful_no: int
    # Questions it answered that the customer rated «Нет» ("нет") or that it won only just ("на грани").
    doubtful: tuple[tuple[str, str], ...] = ()

    @property
    def helpful_rate(self) -> float | None:
        return _helpful_rate(self.helpful_yes, self.helpful_no)


# An answer whose score (the model's probability × 100) is under this won only just: within 10
# points of the answer threshold (docs/ask.md), the answers nearest to a clarification.
THIN_SCORE = 100 * THRESHOLDS.answer + 10
MAX_DOUBTFUL = 5


@dataclasses.dataclass(frozen=True)
class Figures:
    first_day: datetime.date
    last_day: datetime.date
    timezone: str
    total: int
    kinds: Mapping[str, int]
    topics: list[tuple[str, str, int]]  # (topic key, label, questions), most first
    by_day: Mapping[datetime.date, Mapping[str, int]]  # every day of the period -> kind -> questions
    by_hour: list[int]  # 24 counts, local time
    night: int  # questions between 22:00 and 6:00
    holidays: Mapping[datetime.date, str]
    answers: int  # questions answered with an article
    answers_clicked: int  # of them, how many got a link click
    clicks: int
    helpful_yes: int
    helpful_no: int
    articles: list[ArticleFigures]  # every article answered, clicked or rated
    visitors: int
    returning: int  # visitors active on two or more days
    channels: Mapping[str, Mapping[str, int]] = dataclasses.field(default_factory=dict)  # channel -> kind -> questions

    def share(self, count: int) -> float:
        return count / self.total if self.total else 0.0

    @property
    def fallback_rate(self) -> float:
        return self.share(self.kinds.get("fallback", 0))

    @property
    def unanswered(self) -> int:
        return self.kinds.get("fallback", 0) + self.kinds.get("clarify", 0)

    @property
    def click_through(self) -> float:
        return self.answers_clicked / self.answers if self.answers else 0.0

    @property
    def helpful_rate(self) -> float | None:
        return _helpful_rate(self.helpful_yes, self.helpful_no)

    @property
    def returning_share(self) -> float:
        return self.returning / self.visitors if self.visitors else 0.0

    @property
    def peak_day(self) -> tuple[datetime.date, int] | None:
        if not self.total:
            return None
        day = max(self.by_day, key=lambda d: (sum(self.by_day[d].values()), d))
        return day, sum(self.by_day[day].values())


def topic_of(question: QuestionRecord, sections: Mapping[str, str]) -> str:
    """The topic a question counts under: its article's section, an action's, or a special topic."""
    if question.kind == "answer" and question.article:
        return sections.get(question.article, "@other")
    if question.kind == "clarify" and question.suggestions:
        return sections.get(question.suggestions[0], "@other")
    if question.kind == "action":
        return ACTION_TOPICS.get(question.action or "", "@other")
    if question.kind == "smalltalk":
        return "@smalltalk"
    if question.kind == "fallback":
        return "@unanswered"
    return "@other"


def doubtful_answers(
    questions: Sequence[QuestionRecord], events: Sequence[EventRecord]
) -> dict[str, tuple[tuple[str, str], ...]]:
    """Per article, the questions it answered that were rated «Нет» (first) or that it won only just."""
    answers = {q.id: q for q in questions if q.kind == "answer" and q.article}
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for event in events:
        question = answers.get(event.question_id or "")
        if event.type == "helpful" and event.value is False and question and question.article == event.article:
            found[str(question.article)].append(("нет", question.q))
    for question in answers.values():
        if question.score < THIN_SCORE:
            found[str(question.article)].append(("на грани", question.q))
    return {article: tuple(items[:MAX_DOUBTFUL]) for article, items in found.items()}


def compute(
    questions: Sequence[QuestionRecord],
    events: Sequence[EventRecord],
    *,
    first_day: datetime.date,
    last_day: datetime.date,
    timezone: str,
    sections: Mapping[str, str],
    section_titles: Mapping[str, str],
    titles: Mapping[str, str],
) -> Figures:
    """Every figure of the report for the days first_day..last_day (local dates, inclusive).

    sections: article id -> section id; section_titles: section id -> its Russian name;
    titles: article id -> title.
    """
    zone = ZoneInfo(timezone)
    days = [first_day + datetime.timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    by_day: dict[datetime.date, Counter[str]] = {day: Counter() for day in days}
    by_hour = [0] * 24
    kinds: Counter[str] = Counter()
    channels: dict[str, Counter[str]] = {channel: Counter() for channel in CHANNELS}
    topics: Counter[str] = Counter()
    night = 0
    active_days: dict[str, set[datetime.date]] = defaultdict(set)
    answered: dict[str, str] = {}
    per_article: dict[str, Counter[str]] = defaultdict(Counter)
    for question in questions:
        local = question.at.astimezone(zone)
        by_day.setdefault(local.date(), Counter())[question.kind] += 1
        by_hour[local.hour] += 1
        night += is_night(local)
        kinds[question.kind] += 1
        channels.setdefault(question.channel or "widget", Counter())[question.kind] += 1
        topics[topic_of(question, sections)] += 1
        if question.visitor:
            active_days[question.visitor].add(local.date())
        if question.kind == "answer" and question.article:
            answered[question.id] = question.article
            per_article[question.article]["answers"] += 1
    clicked: set[str] = set()
    helpful: Counter[bool] = Counter()
    clicks = 0
    for event in events:
        active_days[event.visitor].add(event.at.astimezone(zone).date())
        if event.type == "click" and event.article:
            clicks += 1
            per_article[event.article]["clicks"] += 1
            if event.question_id in answered:
                clicked.add(event.question_id)
        elif event.type == "helpful" and event.article and event.value is not None:
            helpful[bool(event.value)] += 1
            per_article[event.article]["yes" if event.value else "no"] += 1
    labels = {**SPECIAL_TOPICS, **section_titles}
    doubtful = doubtful_answers(questions, events)
    articles = [
        ArticleFigures(id, titles.get(id, id), c["answers"], c["clicks"], c["yes"], c["no"], doubtful.get(id, ()))
        for id, c in per_article.items()
    ]
    articles.sort(key=lambda a: (-a.answers, -a.clicks, a.id))
    return Figures(
        first_day=first_day,
        last_day=last_day,
        timezone=timezone,
        total=len(questions),
        kinds={kind: kinds.get(kind, 0) for kind in (*KINDS, *sorted(set(kinds) - set(KINDS)))},
        topics=[
            (key, labels.get(key, key), count)
            for key, count in sorted(topics.items(), key=lambda item: (-item[1], item[0]))
        ],
        by_day={day: dict(counts) for day, counts in sorted(by_day.items())},
        by_hour=by_hour,
        night=night,
        holidays=holidays_between(first_day, last_day),
        answers=len(answered),
        answers_clicked=len(clicked),
        clicks=clicks,
        helpful_yes=helpful[True],
        helpful_no=helpful[False],
        articles=articles,
        visitors=len(active_days),
        returning=sum(1 for days in active_days.values() if len(days) >= 2),
        channels={channel: dict(counts) for channel, counts in channels.items()},
    )
