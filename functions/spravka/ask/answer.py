"""Deciding what to say: answer, clarify, action, smalltalk or an honest fallback."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Collection, Mapping
from typing import Any, NamedTuple

from spravka.ask.index import RELIABILITY_ANY, ArticleRef, Index, exact_key
from spravka.ask.model import question_probabilities, top_of, weighted_probabilities
from spravka.ask.nearest import reweigh
from spravka.ask.normalise import Analysis, analyse
from spravka.questions.names import without_names


class Calibration(NamedTuple):
    """How sure an answer is: the chance that the model's first choice is right, from what the held-out
    folds showed (a logistic fit over these measures; spravka_tools/eval/thresholds.py). A long question
    or one of unknown words gets a lower chance than its probability alone says: the model's
    probabilities grow with the number of words it reads, its accuracy does not. Nor is it the same for
    every article: a first choice of an article whose neighbours share its words is right less often
    than one of an article with words of its own (`Index.reliability`)."""

    log_p1: float = 1.258  # × ln(first choice's probability)
    log_lead: float = 0.575  # × ln(first / second)
    log_length: float = -0.167  # × ln(1 + the question's stems)
    unknown_share: float = -2.054  # × the share of the question's words the knowledge never uses
    reliability: float = 0.421  # × the first choice's reliability (a logit; `reliability_of`)
    bias: float = -0.105


class Thresholds(NamedTuple):
    """What a reply needs; chosen on held-out folds (spravka_tools/eval/thresholds.py)."""

    answer: float = 0.8  # the calibrated chance that the first choice is right, to answer with it
    clarify: float = 0.2  # the probability the clarification's options hold together
    option: float = 0.05  # an article's probability to be one of those options
    action: float = 0.3  # an intent's (operator, personal, submit-readings, small talk) to act on it


CALIBRATION = Calibration()
# A first choice's reliability when there is no table (`reliability_of`): the logit of the share of the
# held-out first choices of an article that were right (eval/reliability.py).
RELIABILITY_DEFAULT = 2.655
THRESHOLDS = Thresholds()
MAX_SUGGESTIONS = 3
VAGUE = 2  # a question of this many stems or fewer is vague: a likely article not sure enough becomes a choice
RELATED = 0.1  # an article this probable is shown as related under an answer
# One article this probable, not sure enough to answer with, and the out-of-scope class less probable than
# LIKELY_OUTSIDE: a choice of it and the next article instead of «не знаю» («мама умерла, квартира теперь моя,
# а счета приходят на её имя. что делать?»). Chosen on the held-out folds (docs/ask.md): of the 946 fallbacks
# it turns into a choice, 83% hold the right article, 7% are out-of-scope questions (deferral 92.4% → 91.3%).
LIKELY = 0.7
LIKELY_OUTSIDE = 0.1
SMALLTALK = "@smalltalk:"
THANKS = "thanks"  # the small-talk kind of «спасибо за …» (`_thanks_for`)
THANKS_FOR_WORDS = 3
OUT_OF_SCOPE = "@out-of-scope"
PERSONAL = "personal"
# Imperatives that ask («подскажите, как …») and the request formulas of a written appeal that introduce its
# question («прошу разъяснить», «хотелось бы узнать»).
_IMPERATIVES = frozenset({"подскажите", "объясните", "разъясните", "сообщите", "скажите", "помогите"})
_FORMULAS = frozenset(
    {"разъяснить", "разъяснение", "пояснить", "объяснить", "сообщить", "узнать", "уточнить", "интересует"}
)
# Words that ask: after «спасибо за» they make a question of thanks («спасибо, а за что пени»), and with the
# request formulas below (ASKING_WORDS) they mark the sentence of a message that carries the question; the
# other sentences count CONTEXT_WEIGHT (chosen on the held-out folds' story and letter copies: docs/ask.md).
QUESTION_WORDS = _IMPERATIVES | {
    "как",
    "почему",
    "когда",
    "где",
    "куда",
    "откуда",
    "сколько",
    "зачем",
    "какой",
    "какая",
    "какое",
    "какие",
    "каким",
    "какую",
    "можно",
    "ли",
    "нужно",
    "надо",
    "что",
    "прошу",
}
# The words that make a sentence of a message one that asks (`_focused_parts`): the question words and the
# request formulas. «прошу» alone is not one: it closes most letters («Прошу рассмотреть обращение», «Ответ
# прошу направить письменно»).
ASKING_WORDS = (QUESTION_WORDS | _FORMULAS | {"вопрос"}) - {"прошу"}
# The words that ask plainly (`asking_mark`): a sentence with one of them (or a «?», or «вопрос:») is a
# message's question even when another sentence holds a bare question word.
REQUEST_WORDS = _IMPERATIVES | _FORMULAS
WEAK, STRONG = 1, 2  # `asking_mark`
# «что» after a comma joins a clause («УК отвечает, что проблема у вас»), it does not ask: a sentence whose
# only question word is such a «что» tells circumstances.
_ASKING_WHAT = re.compile(r"(?:^|[^,\s]\s*)\bчто\b", re.IGNORECASE)
_PLAIN_QUESTION = re.compile(r"вопрос\s*[:—–-]|\?", re.IGNORECASE)
CONTEXT_WEIGHT = 0.5
MIN_TOPICAL = 2  # topic words the asking sentences need before the others are made lighter
# A short asking sentence that points back («Кто за это отвечает и будет ли перерасчёт?», «Мы должны его
# платить?») asks about the sentence before it, which then counts fully too. Only one of at most this many
# topic words of its own: a longer one names its subject (on the held-out folds 3 beat 5 and no limit,
# which took the letters' first choice from 71% to 66%: the wrapped phrasings' own «это» pulled the
# unrelated opening in).
REFERRING_WORDS = 3
# An appendix of a document («приложение № 2 к Правилам 354», «по приложению 1 к договору»): a part of the
# regulation a letter cites, not the mobile app, which «приложение» names everywhere else.
_APPENDIX = re.compile(
    r"\bприложени[еяюи][мх]?\s*(?:№\s*)?\d+(?:\s+к\b)?|\bприложени[еяюи][мх]?\s+к\s+(?=правил|постановлени|договор|закон|приказ)",
    re.IGNORECASE,
)
_BACK_REFERENCE = re.compile(
    r"\b(?:это|этого|этом|этим|этот|эта|эту|эти|этих|такой|такая|такое|такие|такую|его|её|ее|их)\b", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")
_CLAUSE_END = re.compile(r"[,.!;:]+\s*")  # the end of a leading clause of courtesy
COURTESY_WORDS = 5  # a leading clause this long at most is tried as courtesy
CLARIFY_TEXT = "Уточните, пожалуйста, что именно вас интересует:"
READINGS_STEMS = frozenset({"показан", "т1", "т2", "т3", "ден", "ноч", "пик", "полупик"})
ACCOUNT_NUMBER = re.compile(r"^\d{12}$")
# "почему мне начислили 5600": the person's own sum is something only their account shows.
OWN_WORDS = frozenset({"я", "мне", "меня", "мой", "моя", "мое", "мои", "моем", "моему", "моего"})
MONEY_STEMS = frozenset({"начисл", "насчита", "долж", "задолжен", "сумм", "переплат", "выстав"})
# «проживаю здесь с 2015 года», «в 2024 г.»: with one of these words a number 1900–2099 is a year, not a
# reading or a sum. Without one it may be either («т1 2015»), so it counts.
YEAR_WORDS = frozenset({"год", "года", "году", "годом", "годах", "годы", "г", "гг"})
# A phone number is not a reading or a sum: «тел. 8-913-123-45-67», «+7 913 123 45 67», «89131234567» read
# as the digit groups of these shapes (the first group's first digit in brackets).
PHONE_SHAPES = frozenset({(1, 3, 3, 2, 2), (1, 3, 3, 4), (1, 3, 7), (1, 10), (11,), (3, 3, 2, 2), (3, 7), (10,)})
PHONE_STARTS = frozenset("789")
# «почему показания не приняли 25 числа»: asks about readings, does not type them in (words, not stems:
# «куда», «когда», «почему» have stems of their own).
ASKING_ABOUT = frozenset({"как", "где", "куда", "когда", "почему", "зачем", "сколько"})
# «Прошу проверить начисление. Показания я передавал вовремя: 12345, но …»: a letter that tells of readings
# given before and asks about them does not type them in either (request formulas and the past tense).
TOLD_ABOUT = (
    ASKING_ABOUT
    | REQUEST_WORDS
    | {"проверить", "передавал", "передавала", "передавали", "передал", "передала", "передали"}
)


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


def answer(question: str, index: Index, thresholds: Thresholds = THRESHOLDS) -> Reply:
    """The reply to one question."""
    text, analysis, smalltalk = read(question, index)
    if smalltalk:
        return Reply("smalltalk", index.replies.get(f"smalltalk:{smalltalk}", ""), score=100.0)
    return decide(analysis, score(analysis, index, text), index, thresholds)


def read(question: str, index: Index) -> tuple[str, Analysis, str | None]:
    """The question as the decision reads it: its text and analysis, and its kind of small talk if it is only that.

    A leading clause of courtesy («спасибо за помощь, а как передать показания», «добрый вечер, ещё
    вопрос: …») says nothing about the topic, yet its words («помощь», «вопрос») would count: the rest
    of the message is read alone. A full name the writer signs with is not read (`without_names`), nor is
    the «приложение» of a cited document (`_APPENDIX`).
    """
    question = _APPENDIX.sub(" ", without_names(question))
    analysis = analyse(question, index.lexicon)
    smalltalk = _smalltalk_kind(analysis, index)
    if smalltalk:
        return question, analysis, smalltalk
    head, sep, rest = _split_clause(question)
    if sep and len(head.split()) <= COURTESY_WORDS and _smalltalk_kind(analyse(head, index.lexicon), index):
        rest_analysis = analyse(rest, index.lexicon)
        if rest_analysis.stems:
            return rest, rest_analysis, None
    return question, analysis, None


def _split_clause(text: str) -> tuple[str, str, str]:
    """The text's first clause, the mark that ends it and the rest («», «», text when there is none)."""
    found = _CLAUSE_END.search(text)
    if not found:
        return "", "", text
    return text[: found.start()], found.group(), text[found.end() :]


def score(analysis: Analysis, index: Index, text: str = "") -> list[tuple[str, float]]:
    """The targets the model finds most probable, best first; empty when the question has no word to go by.

    A message of several sentences where some carry the question (`asking_mark`) with at least MIN_TOPICAL
    topic words of their own, and others do not, is read in parts: the other sentences (circumstances,
    greetings, a story) count CONTEXT_WEIGHT of the question's, and the nearest phrasing's second opinion
    compares the asking sentences alone.
    """
    if not analysis.stems:
        return []
    model = index.model
    stopwords = index.lexicon.stopwords
    parts = _focused_parts(text, index) if CONTEXT_WEIGHT < 1.0 and text else None
    if parts:
        ranked = top_of(model, weighted_probabilities(model, parts, stopwords))
        asked = tuple(s for stems, _, weight in parts if weight == 1.0 for s in stems)
        return reweigh(index.nearest, asked, ranked)
    ranked = top_of(model, question_probabilities(model, analysis.stems, analysis.words, stopwords))
    return reweigh(index.nearest, analysis.stems, ranked)


def _focused_parts(text: str, index: Index) -> list[tuple[tuple[str, ...], tuple[str, ...], float]] | None:
    """The message's sentences as (stems, words, weight), or None when focusing changes nothing.

    The sentences that ask most plainly (`asking_mark`) are the question: when one has a «?» or a request
    formula, a question word in another («обращаюсь к вам как собственник», «вопрос так и не решился») does
    not make that one a question too. A short asking sentence that points back (REFERRING_WORDS) makes the
    sentence before it one too.
    """
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    if len(sentences) < 2:
        return None
    reads = [analyse(sentence, index.lexicon) for sentence in sentences]
    marks = [asking_mark(sentence, read.words) for sentence, read in zip(sentences, reads)]
    plainest = max(marks)
    if not plainest:
        return None
    parts = []
    asking = 0
    topical = 0  # the asking sentences' own topic words: «Свет мигает. Что делать?» asks with none
    own = [sum(1 for s in read.stems if s not in ASKING_WORDS) for read in reads]  # each sentence's topic words
    asks_at = [mark == plainest for mark in marks]
    for i in range(len(sentences) - 1, 0, -1):  # «… обещали на две недели, а уже август. Кто за это отвечает?»
        if asks_at[i] and own[i] <= REFERRING_WORDS and _BACK_REFERENCE.search(sentences[i]):
            asks_at[i - 1] = True
    for read, asks, words in zip(reads, asks_at, own):
        if asks:
            asking += 1
            topical += words
        parts.append((read.stems, read.words, 1.0 if asks else CONTEXT_WEIGHT))
    return parts if asking < len(parts) and topical >= MIN_TOPICAL else None


def asking_mark(sentence: str, words: Collection[str]) -> int:
    """How plainly a sentence asks: STRONG with a «?», «вопрос:» or a request formula (REQUEST_WORDS), WEAK
    with a question word only (ASKING_WORDS: «как», «почему», «вопрос», which also tell circumstances; a «что»
    after a comma is a conjunction, not one), else 0."""
    if _PLAIN_QUESTION.search(sentence) or not REQUEST_WORDS.isdisjoint(words):
        return STRONG
    asking = ASKING_WORDS.intersection(words)
    if asking == {"что"} and not _ASKING_WHAT.search(sentence):
        return 0
    return WEAK if asking else 0


def confidence(
    analysis: Analysis,
    scored: list[tuple[str, float]],
    calibration: Calibration = CALIBRATION,
    reliability: Mapping[str, float] | None = None,
) -> float:
    """The calibrated chance that the first of `scored` is the right target (Calibration), never above
    its probability: the calibration only makes the model more careful (a one-word question such as
    «счётчик», rare among the held-out phrasings, must not look surer than the model finds it)."""
    c = calibration
    z = sum(w * x for w, x in zip(c[:-1], confidence_measures(analysis, scored, reliability or {}))) + c.bias
    return min(scored[0][1], 1.0 / (1.0 + math.exp(-z)))


def confidence_measures(
    analysis: Analysis, scored: list[tuple[str, float]], reliability: Mapping[str, float]
) -> tuple[float, float, float, float, float]:
    """What the calibration weighs, in Calibration's order."""
    p1 = scored[0][1]
    p2 = scored[1][1] if len(scored) > 1 else 0.0
    return (
        math.log(p1 + 1e-9),
        math.log((p1 + 1e-9) / (p2 + 1e-9)),
        math.log(1 + len(analysis.stems)),
        len(analysis.unknown) / max(1, len(analysis.words)),
        reliability_of(reliability, scored[0][0]),
    )


def reliability_of(reliability: Mapping[str, float], target: str) -> float:
    """The logit of how often a first choice of `target` was right on the held-out folds: the table's
    entry, else its "*" (every article together), else RELIABILITY_DEFAULT (no table)."""
    found = reliability.get(target)
    if found is None:
        found = reliability.get(RELIABILITY_ANY, RELIABILITY_DEFAULT)
    return found


def decide(
    analysis: Analysis,
    scored: list[tuple[str, float]],
    index: Index,
    thresholds: Thresholds = THRESHOLDS,
    calibration: Calibration = CALIBRATION,
) -> Reply:
    """Pick the kind of reply from the model's probabilities."""
    action = _rule_action(analysis)
    if action and (action != PERSONAL or not scored):  # the personal account's signs wait for the model
        return _action(action, index, 90.0)
    if not scored:
        return _fallback(index, 0.0)
    best, p = scored[0]
    sure = confidence(analysis, scored, calibration, index.reliability)
    if index.exact.get(exact_key(analysis.stems)) == best:
        p = sure = max(p, thresholds.answer, thresholds.action)  # word for word one of its phrasings, the model agrees
    # The rule's action, unless the model is sure of one of our articles; and an account number (a letter
    # signs with it) yields to a likely article too.
    if action and (best[0] == "@" or sure < thresholds.answer) and not (action == PERSONAL and p >= LIKELY):
        return _action(action, index, 90.0)
    if best == OUT_OF_SCOPE:
        ours = _ours_by_words(analysis, scored, index, thresholds)
        if ours:
            return Reply("clarify", CLARIFY_TEXT, None, tuple(index.articles[t] for t in ours), score=100 * p)
        return _fallback(index, 100 * p)
    if best[0] == "@":
        if p < thresholds.action:
            return _fallback(index, 100 * p)
        if best.startswith(SMALLTALK):
            if best == SMALLTALK + THANKS and _did_not_help(analysis.words):
                return _fallback(index, 100 * p)
            return Reply("smalltalk", index.replies.get(best[1:], ""), score=100 * p)
        return _action(best[1:], index, 100 * p)
    articles = [(t, q) for t, q in scored if t[0] != "@"]
    if sure >= thresholds.answer:
        related = tuple(index.articles[t] for t, q in articles[1 : MAX_SUGGESTIONS + 1] if q >= RELATED)
        return Reply("answer", index.articles[best].text, index.articles[best], related, score=100 * p)
    close = [(t, q) for t, q in articles[:MAX_SUGGESTIONS] if q >= thresholds.option]
    if len(close) == 1 and len(articles) > 1 and close[0][1] >= thresholds.clarify and len(analysis.stems) <= VAGUE:
        close = articles[:2]  # a word or two («счётчик») with one likely article not sure enough: a choice of two
    elif len(close) == 1 and len(articles) > 1 and close[0][1] >= LIKELY and _outside(scored) < LIKELY_OUTSIDE:
        close = articles[:2]  # one likely article not sure enough, nothing says it is not ours: a choice, not «не знаю»
    if len(close) >= 2 and sum(q for _, q in close) >= thresholds.clarify:
        return Reply("clarify", CLARIFY_TEXT, None, tuple(index.articles[t] for t, _ in close), score=100 * p)
    return _fallback(index, 100 * p)


def _outside(scored: list[tuple[str, float]]) -> float:
    """The out-of-scope class's probability (0 when it is not among the scored targets)."""
    return next((q for t, q in scored if t == OUT_OF_SCOPE), 0.0)


def _ours_by_words(
    analysis: Analysis, scored: list[tuple[str, float]], index: Index, thresholds: Thresholds
) -> list[str] | None:
    """A vague question («долг», «пришёл долг») that «не знаю» takes only by its prior: its words point to
    our first articles at least as much as to another institution's business; the out-of-scope class is
    first because it is the largest. A choice of our two most probable articles, then."""
    if len(analysis.stems) > VAGUE:
        return None
    articles = [(t, q) for t, q in scored if t[0] != "@"][:2]
    if len(articles) < 2 or articles[0][1] < thresholds.option:
        return None
    model = index.model
    oos, first = model.classes.index(OUT_OF_SCOPE), model.classes.index(articles[0][0])
    # log(p_oos / p_first) = (evidence_oos + bias_oos) − (evidence_first + bias_first)
    lead_by_words = math.log(scored[0][1] / articles[0][1]) - (model.bias[oos] - model.bias[first])
    return [t for t, _ in articles] if lead_by_words <= 0 else None


def _rule_action(analysis: Analysis) -> str | None:
    """Sure signs: meter values typed in, or an account number with a question about it."""
    if not analysis.numbers:  # every sign is a number (most questions have none)
        return None
    stems = set(analysis.stems)
    years = not YEAR_WORDS.isdisjoint(analysis.words)
    values = [
        n
        for n in _without_phones(analysis.numbers)
        if len(n) >= 3 and not ACCOUNT_NUMBER.match(n) and not (years and _year(n))
    ]
    readings = _without(values, analysis.sums)  # «начисляют около 300 рублей»: a sum is not a reading
    if readings and stems & READINGS_STEMS and TOLD_ABOUT.isdisjoint(analysis.words):
        return "submit-readings"
    if any(ACCOUNT_NUMBER.match(n) for n in analysis.numbers) and not values:
        return PERSONAL
    if values and stems & MONEY_STEMS and OWN_WORDS & set(analysis.words):
        return PERSONAL
    return None


def _without_phones(numbers: tuple[str, ...]) -> list[str]:
    """The numbers less the digit groups that make a phone number (PHONE_SHAPES)."""
    kept: list[str] = []
    at = 0
    while at < len(numbers):
        for size in (5, 4, 3, 2, 1):
            run = numbers[at : at + size]
            if len(run) == size and tuple(map(len, run)) in PHONE_SHAPES and run[0][0] in PHONE_STARTS:
                at += size
                break
        else:
            kept.append(numbers[at])
            at += 1
    return kept


def _without(numbers: list[str], sums: tuple[str, ...]) -> list[str]:
    """The numbers less the sums of money, each once (the same digits may be a sum and a reading)."""
    if not sums:
        return numbers
    left = list(sums)
    kept = []
    for number in numbers:
        if number in left:
            left.remove(number)
        else:
            kept.append(number)
    return kept


def _year(number: str) -> bool:
    return len(number) == 4 and number[:2] in ("19", "20")


def _smalltalk_kind(analysis: Analysis, index: Index) -> str | None:
    """The kind of small talk when every word of the message is small talk."""
    words = set(analysis.words)
    if not words or analysis.numbers:
        return None
    if not words <= index.chatter:
        return THANKS if _thanks_for(analysis.words, index) else None
    hits = {kind: len(words & kind_words) for kind, kind_words in index.smalltalk.items()}
    kind, count = max(hits.items(), key=lambda item: (item[1], item[0]))
    if kind == THANKS and _did_not_help(analysis.words):  # not thanks (and the model must not say it either)
        return None
    return kind if count else None


def _did_not_help(words: tuple[str, ...]) -> bool:
    """«спасибо, но не помогло», «не помогли, спасибо»: a complaint in thanks words."""
    return any(w == "не" and nxt.startswith("помог") for w, nxt in zip(words, words[1:]))


def _thanks_for(words: tuple[str, ...], index: Index) -> bool:
    """«спасибо за помощь», «благодарю за быстрый ответ»: thanks words, «за» and what for (THANKS_FOR_WORDS
    words at most), nothing else. What one thanks for is any word, so it is not a small-talk word of its own
    («помощь» alone is not thanks)."""
    thanks = index.smalltalk.get(THANKS)
    if not thanks or "за" not in words:
        return False
    at = words.index("за")
    said = words[:at]
    return (
        0 < at
        and len(words) - at - 1 <= THANKS_FOR_WORDS
        and all(w in thanks for w in said)
        and QUESTION_WORDS.isdisjoint(words[at + 1 :])  # «спасибо, а за что пени»: a question
    )


def _action(name: str, index: Index, score: float) -> Reply:
    return Reply("action", index.replies.get(name, ""), action=name, score=score)


def _fallback(index: Index, score: float) -> Reply:
    return Reply("fallback", index.replies.get("fallback", ""), score=score)
