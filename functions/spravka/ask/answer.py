"""Deciding what to say: answer, clarify, action, smalltalk or an honest fallback."""

from __future__ import annotations

import functools
import re
from typing import Any, NamedTuple

from spravka.ask.index import UNKNOWN_STEM, ArticleRef, Index
from spravka.ask.match import Candidate, rank
from spravka.ask.normalise import Analysis, analyse

# Thresholds on the 0–100 match score. A wrong article is worse than "не знаю",
# so answering needs both a good score and a clear lead over the runner-up.
ANSWER_SCORE = 45.0
ANSWER_MARGIN = 8.0
# A question that is, word for word (after normalisation), one of the article's own
# phrasings and fully explained by it needs a smaller lead: "как передать показания"
# must not become a choice because another title shares its words.
EXACT_SCORE = 99.5
EXACT_MARGIN = 3.0
CLARIFY_SCORE = 30.0
CLARIFY_BAND = 12.0
ACTION_SCORE = 50.0
RELATED_SCORE = 40.0
# At least this share of the question must be explained by the article's
# vocabulary; otherwise the question is about something else ("билет до сочи").
MIN_COVERAGE = 0.3
MAX_SUGGESTIONS = 3

CLARIFY_TEXT = "Уточните, пожалуйста, что именно вас интересует:"
READINGS_STEMS = frozenset({"показан", "т1", "т2", "т3", "ден", "ноч", "пик", "полупик"})
ACCOUNT_NUMBER = re.compile(r"^\d{12}$")
# "почему мне начислили 5600": the person's own sum is something only their account shows.
OWN_WORDS = frozenset({"я", "мне", "меня", "мой", "моя", "мое", "мои", "моем", "моему", "моего"})
MONEY_STEMS = frozenset({"начисл", "насчита", "долж", "задолжен", "сумм", "переплат", "выстав"})


class Reply(NamedTuple):  # a tuple: one is made per question, cheaper than a frozen dataclass
    kind: str
    text: str
    article: ArticleRef | None = None
    suggestions: tuple[ArticleRef, ...] = ()
    action: str | None = None
    score: float = 0.0

    def to_json(self, site_url: str = "") -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "article": _ref_json(self.article, site_url) if self.article else None,
            "suggestions": [_ref_json(a, site_url) for a in self.suggestions] if self.suggestions else [],
            "action": self.action,
            "score": self.shown_score(),
        }

    def shown_score(self) -> float:
        """The score as replies show it (and the question log keeps it): 0–100, one decimal."""
        return round(max(0.0, min(100.0, self.score)), 1)


@functools.lru_cache(maxsize=4096)
def _ref_json(article: ArticleRef, site_url: str) -> dict[str, str]:
    """The article as replies show it, made once per article (shared: read, never changed)."""
    return {"id": article.id, "title": article.title, "url": site_url + article.url}


def answer(question: str, index: Index) -> Reply:
    """The reply to one question."""
    analysis = analyse(question, index.lexicon)
    smalltalk = _smalltalk_kind(analysis, index)
    if smalltalk:
        return Reply("smalltalk", index.replies.get(f"smalltalk:{smalltalk}", ""), score=100.0)
    candidates = rank(frozenset(analysis.stems), index, guessed=analysis.guessed, limit=8)
    return decide(analysis, candidates, index)


def decide(analysis: Analysis, candidates: list[Candidate], index: Index) -> Reply:
    """Pick the kind of reply from the ranked candidates."""
    articles: list[Candidate] = []
    best_intent = None
    for c in candidates:  # one loop, not two comprehensions: each is a function call of its own in 3.11
        if c.target[0] != "@":
            articles.append(c)
        elif best_intent is None:
            best_intent = c
    best_article = articles[0] if articles else None
    article_score = best_article.score if best_article else 0.0

    action = _rule_action(analysis)
    if action:
        return _action(action, index, 90.0)
    if best_intent and best_intent.score >= ACTION_SCORE and best_intent.score > article_score:
        name = best_intent.target[1:]
        if name == "out-of-scope":
            return _fallback(index, best_intent.score)
        return _action(name, index, best_intent.score)
    if best_article is None or best_article.coverage < MIN_COVERAGE or _out_of_scope(analysis, best_article, index):
        return _fallback(index, article_score)
    runner_up = articles[1].score if len(articles) > 1 else 0.0
    margin = EXACT_MARGIN if article_score >= EXACT_SCORE else ANSWER_MARGIN
    if article_score >= ANSWER_SCORE and article_score - runner_up >= margin:
        related = tuple(index.articles[c.target] for c in articles[1 : MAX_SUGGESTIONS + 1] if c.score >= RELATED_SCORE)
        return Reply(
            "answer",
            index.articles[best_article.target].text,
            index.articles[best_article.target],
            related,
            score=article_score,
        )
    if article_score >= CLARIFY_SCORE:
        close = [c for c in articles if c.score >= article_score - CLARIFY_BAND][:MAX_SUGGESTIONS]
        if len(close) == 1:
            close = articles[:2]
        return Reply("clarify", CLARIFY_TEXT, None, tuple(index.articles[c.target] for c in close), score=article_score)
    return _fallback(index, article_score)


def _rule_action(analysis: Analysis) -> str | None:
    """Sure signs: meter values typed in, or an account number with a question about it."""
    if not analysis.numbers:  # every sign is a number (most questions have none)
        return None
    stems = set(analysis.stems)
    values = [n for n in analysis.numbers if len(n) >= 3 and not ACCOUNT_NUMBER.match(n)]
    if values and stems & READINGS_STEMS and not stems & {"как", "где", "куда", "когда", "почему"}:
        return "submit-readings"
    if any(ACCOUNT_NUMBER.match(n) for n in analysis.numbers) and not values:
        return "personal"
    if values and stems & MONEY_STEMS and OWN_WORDS & set(analysis.words):
        return "personal"
    return None


def _smalltalk_kind(analysis: Analysis, index: Index) -> str | None:
    """The kind of small talk when every word of the message is small talk."""
    words = set(analysis.words)
    if not words or analysis.numbers:
        return None
    if not words <= index.chatter:
        return None
    hits = {kind: len(words & kind_words) for kind, kind_words in index.smalltalk.items()}
    kind, count = max(hits.items(), key=lambda item: (item[1], item[0]))
    return kind if count else None


def _out_of_scope(analysis: Analysis, best: Candidate, index: Index) -> bool:
    """Another company's business that the best article's questions never mention (gas, water utility, internet)."""
    if index.out_of_scope.isdisjoint(analysis.stems):  # most questions: no other company's words
        return False
    foreign = set(analysis.stems) & index.out_of_scope
    number = index.target_numbers[best.target]
    return any(number not in index.stems.get(s, UNKNOWN_STEM).strong for s in foreign)


def _action(name: str, index: Index, score: float) -> Reply:
    return Reply("action", index.replies.get(name, ""), action=name, score=score)


def _fallback(index: Index, score: float) -> Reply:
    return Reply("fallback", index.replies.get("fallback", ""), score=score)
