"""Unanswered questions grouped by similarity, most frequent first, each with the nearest article.

Questions are read with the assistant's own `analyse` (typos, word forms, synonyms), so
"когда дадут горячую воду" and "когда включат горячую воду?" meet in one key of stems;
keys are then joined with RapidFuzz when they are close enough.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence

from rapidfuzz import fuzz, process

from spravka.ask.index import Index
from spravka.ask.model import features, ranked
from spravka.ask.normalise import analyse
from spravka.questions.records import QuestionRecord
from spravka.questions.redact import PLACEHOLDERS

UNANSWERED_KINDS = ("fallback", "clarify")
# Two keys join one group at this similarity (0–100) of their sorted stems, compared word by
# word (RapidFuzz's Indel ratio over token lists): word order and one extra word do not split
# a group, another subject does ("лк не работает" and "лифт не работает" share one word of two).
GROUP_SIMILARITY = 70.0
# A key of two or more words inside another counts as this similar ("лифт не работает" in
# "лицевой счёт [счёт], лифт не работает").
CONTAINED = 90.0
PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS))


@dataclasses.dataclass
class Group:
    key: str
    count: int = 0
    kinds: Counter[str] = dataclasses.field(default_factory=Counter)
    texts: Counter[str] = dataclasses.field(default_factory=Counter)
    nearest: tuple[str, str, str, float] | None = None  # (article id, title, url, score)

    @property
    def examples(self) -> list[str]:
        return [text for text, _ in self.texts.most_common(3)]


def question_key(text: str, index: Index) -> str:
    """The question as its sorted stems (placeholders of redacted data left out)."""
    stems = sorted(set(analyse(PLACEHOLDER.sub(" ", text), index.lexicon).stems))
    return " ".join(stems) or " ".join(PLACEHOLDER.sub(" ", text).lower().split())


def _similarity(a: str, b: str, **_: object) -> float:
    """Word-level, order-free similarity of two keys (each a sorted, space-separated set of stems)."""
    words_a, words_b = a.split(), b.split()
    score = fuzz.ratio(words_a, words_b)
    smaller, larger = sorted((set(words_a), set(words_b)), key=len)
    if len(smaller) >= 2 and smaller <= larger:
        score = max(score, CONTAINED)
    return score


def group_unanswered(questions: Sequence[QuestionRecord], index: Index) -> list[Group]:
    """Groups of similar unanswered questions, the most frequent first."""
    by_key: dict[str, list[QuestionRecord]] = {}
    for question in questions:
        if question.kind in UNANSWERED_KINDS:
            by_key.setdefault(question_key(question.q, index), []).append(question)
    groups: list[Group] = []
    keys: list[str] = []
    for key, members in sorted(by_key.items(), key=lambda item: (-len(item[1]), item[0])):
        found = process.extractOne(key, keys, scorer=_similarity, score_cutoff=GROUP_SIMILARITY) if keys else None
        group = groups[found[2]] if found else None
        if group is None:
            group = Group(key)
            groups.append(group)
            keys.append(key)
        for question in members:
            group.count += 1
            group.kinds[question.kind] += 1
            group.texts[question.q] += 1
    for group in groups:
        group.nearest = nearest_article(group.key, index)
    groups.sort(key=lambda g: (-g.count, g.key))
    return groups


def nearest_article(key: str, index: Index) -> tuple[str, str, str, float] | None:
    """The article the learned scorer finds most probable for the group's stems, however low (score: % probability)."""
    for target, probability in ranked(
        index.model, features(key.split(), (), frozenset()), limit=len(index.model.classes)
    ):
        if not target.startswith("@"):
            article = index.articles[target]
            return article.id, article.title, article.url, round(100 * probability, 1)
    return None
