"""Editor checks of the knowledge base: every problem as `file:line: message` in Russian."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from spravka_tools.knowledge.articles import Article, ArticleError, article_paths, load_yaml, read_article
from spravka_tools.knowledge.build_index import OUT_OF_SCOPE_FILE
from spravka_tools.knowledge.facts import PLACEHOLDER, load_facts

if TYPE_CHECKING:
    from spravka_tools.knowledge.similarity import PhraseIndex

ID_FORMAT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
MIN_QUESTIONS = 8
SHORT_ANSWER_MAX_CHARS = 700
# A question that scores at least this against another article's question, and
# no less than against its own article's, is a collision editors must resolve.
AMBIGUITY_SCORE = 85.0


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def check_knowledge(knowledge_dir: Path) -> list[Problem]:
    """All problems of the knowledge base, sorted by file and line."""
    problems: list[Problem] = []
    articles: list[Article] = []
    for path in article_paths(knowledge_dir):
        try:
            articles.append(read_article(knowledge_dir, path))
        except ArticleError as error:
            problems.append(Problem(str(error.path), error.line, error.message))
    facts = _check_data_files(knowledge_dir, problems)
    sections = load_yaml(knowledge_dir, "sections.yml") or {}
    for article in articles:
        problems.extend(_check_article(knowledge_dir, article, facts, sections))
    problems.extend(_check_ids(articles))
    problems.extend(_check_topics(knowledge_dir, articles))
    problems.extend(_check_appeals(knowledge_dir))
    if not any(p.message.startswith("front matter") for p in problems):
        problems.extend(check_ambiguity(knowledge_dir, articles))
    return sorted(problems)


def _check_data_files(knowledge_dir: Path, problems: list[Problem]) -> dict[str, str]:
    for name in ("facts.yml", "sections.yml", "synonyms.yml", "intents.yml", OUT_OF_SCOPE_FILE):
        if name == OUT_OF_SCOPE_FILE and not (knowledge_dir / name).is_file():
            continue
        try:
            data = load_yaml(knowledge_dir, name)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            problems.append(Problem(name, (mark.line + 1) if mark else 1, f"файл не читается как YAML: {error}"))
            continue
        if name == OUT_OF_SCOPE_FILE:
            problems.extend(_check_out_of_scope(data))
    try:
        return load_facts(knowledge_dir)
    except (OSError, yaml.YAMLError, AttributeError):
        problems.append(Problem("facts.yml", 1, "нет файла фактов или он повреждён"))
        return {}


def _check_appeals(knowledge_dir: Path) -> list[Problem]:
    """appeals.yml, the virtual reception's categories (only where the knowledge base has one)."""
    from spravka_tools.knowledge.appeals import APPEALS_FILE, check_appeals

    if not (knowledge_dir / APPEALS_FILE).is_file() and not (knowledge_dir / "sections.yml").is_file():
        return []
    return [Problem(APPEALS_FILE, line, message) for line, message in check_appeals(knowledge_dir)]


def _check_out_of_scope(data: object) -> list[Problem]:
    """out-of-scope.yml: groups of non-empty questions, each question once."""
    if not isinstance(data, dict):
        return [Problem(OUT_OF_SCOPE_FILE, 1, "нужны группы вопросов: «группа:» и под ней список «- вопрос»")]
    problems = []
    seen: Counter[str] = Counter()
    for group, questions in data.items():
        if not isinstance(questions, list) or not all(isinstance(q, str) and q.strip() for q in questions):
            problems.append(Problem(OUT_OF_SCOPE_FILE, 1, f"в группе «{group}» должен быть список вопросов-строк"))
            continue
        seen.update(q.strip().lower().replace("ё", "е") for q in questions)
    problems.extend(
        Problem(OUT_OF_SCOPE_FILE, 1, f"вопрос «{q}» повторяется {n} раза") for q, n in seen.items() if n > 1
    )
    return problems


QUOTES = "\"'«»„“”"


def _line_of(article: Article, knowledge_dir: Path, needle: str) -> int:
    for number, line in enumerate((knowledge_dir / article.path).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    return 1


def _question_line(article: Article, knowledge_dir: Path, question: str) -> int:
    """The line of the list item that is this question: «переплата» is not the first line that contains it."""
    wanted = question.strip().lower()
    for number, line in enumerate((knowledge_dir / article.path).read_text(encoding="utf-8").splitlines(), 1):
        item = line.strip()
        if item.startswith("- ") and item[2:].strip().strip("'\"").strip().lower() == wanted:
            return number
    return _line_of(article, knowledge_dir, question[:40])


# A short answer is shown alone in a chat bubble: "the table below" or "this page" is not there.
PAGE_REFERENCE = re.compile(
    r"\b(?:(?:в|из|по|на)\s+(?:таблиц[аеуы]|списк[еау]|разделе|перечне)\s+ниже|см\.\s*ниже|ниже\s+(?:в|на)\s+"
    r"\w+|(?:на|в)\s+(?:этой|данной)\s+(?:странице|статье)|(?:в|из)\s+(?:таблиц[аеыу]|списк[еау])\s+на\s+этой"
    r"|перечисленн\w+\s+ниже|приведённ\w+\s+ниже|приведенн\w+\s+ниже|указанн\w+\s+ниже|следующ\w+\s+таблиц\w*)",
    re.IGNORECASE,
)


def _check_article(
    knowledge_dir: Path, article: Article, facts: dict[str, str], sections: dict[str, str]
) -> list[Problem]:
    path = str(article.path)
    found: list[Problem] = []

    def report(line: int, message: str) -> None:
        found.append(Problem(path, line, message))

    for field in ("id", "title", "questions"):
        if not article.meta.get(field):
            report(1, f"в front matter нет обязательного поля «{field}»")
    if article.id and not ID_FORMAT.match(article.id):
        report(_line_of(article, knowledge_dir, "id:"), f"id «{article.id}»: только латиница, цифры и дефисы")
    if article.id and article.id != article.path.stem:
        report(
            _line_of(article, knowledge_dir, "id:"),
            f"id «{article.id}» не совпадает с именем файла «{article.path.name}»",
        )
    if article.section not in sections:
        report(1, f"папка «{article.section}» не описана в sections.yml")
    questions = article.meta.get("questions")
    if questions is not None and not isinstance(questions, list):
        report(_line_of(article, knowledge_dir, "questions:"), "«questions» должен быть списком")
    elif questions and not all(isinstance(q, str) for q in questions):
        # An unquoted "слово: слово" is a YAML mapping, not a question.
        for q in questions:
            if not isinstance(q, str):
                start = str(next(iter(q), "")) if isinstance(q, dict) else str(q)
                report(
                    _line_of(article, knowledge_dir, start[:30]),
                    f"вопрос «{q}» прочитан не как текст: возьмите его в кавычки (внутри двоеточие с пробелом)",
                )
    elif article.meta.get("questions") and len(article.questions) < MIN_QUESTIONS:
        report(
            _line_of(article, knowledge_dir, "questions:"),
            f"мало вопросов: {len(article.questions)}, нужно не меньше {MIN_QUESTIONS}",
        )
    for question, count in Counter(q.strip().lower() for q in article.questions).items():
        if count > 1:
            report(_question_line(article, knowledge_dir, question), f"вопрос повторяется: «{question}»")
    for question in article.questions:
        text = question.strip()
        if len(text) > 2 and text[0] in QUOTES and text[-1] in QUOTES:
            # YAML's quotes are the file's; quotes inside them end up in the question («Как ещё спрашивают»).
            report(
                _question_line(article, knowledge_dir, question),
                f"вопрос в лишних кавычках: «{text[:60]}…» — оставьте одни кавычки YAML или уберите их",
            )
    links = article.meta.get("links")
    if links is not None and not (
        isinstance(links, list) and all(isinstance(l, dict) and l.get("title") and l.get("url") for l in links)
    ):
        report(_line_of(article, knowledge_dir, "links:"), "«links»: нужен список из пар title и url")
    if not article.short_answer:
        report(article.body_line, "нет короткого ответа: первый абзац после front matter пуст")
    elif article.short_answer.lstrip().startswith(("-", "*", "|", "1.")):
        report(article.body_line, "короткий ответ должен быть абзацем текста, а не списком или таблицей")
    elif len(article.short_answer) > SHORT_ANSWER_MAX_CHARS:
        report(article.body_line, f"короткий ответ длиннее {SHORT_ANSWER_MAX_CHARS} символов: для чата это много")
    elif (reference := PAGE_REFERENCE.search(article.short_answer)) is not None:
        report(
            article.body_line,
            f"короткий ответ ссылается на страницу («{reference.group()}»), которой в чате "
            "не видно: он должен быть понятен сам по себе",
        )
    text = (knowledge_dir / article.path).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        for match in PLACEHOLDER.finditer(line):
            if match.group(1) not in facts:
                report(number, f"неизвестный факт {{{{ {match.group(1)} }}}}: добавьте его в facts.yml")
        for target in MARKDOWN_LINK.findall(line):
            if not _link_ok(knowledge_dir, article.path, target):
                report(number, f"битая ссылка: {target}")
    return found


def _link_ok(knowledge_dir: Path, page: Path, target: str) -> bool:
    if re.match(r"^(?:[a-z]+:|#|\{\{)", target):
        return True
    file_part = target.split("#", 1)[0]
    if not file_part:
        return True
    resolved = (knowledge_dir / page.parent / file_part).resolve()
    return resolved.is_file() and knowledge_dir.resolve() in resolved.parents


def _check_ids(articles: list[Article]) -> list[Problem]:
    by_id: dict[str, list[Article]] = {}
    for article in articles:
        if article.id:
            by_id.setdefault(article.id, []).append(article)
    return [
        Problem(str(a.path), 1, f"id «{a.id}» уже занят: {', '.join(str(b.path) for b in same if b is not a)}")
        for same in by_id.values()
        if len(same) > 1
        for a in same
    ]


def _check_topics(knowledge_dir: Path, articles: list[Article]) -> list[Problem]:
    topics = load_yaml(knowledge_dir, "topics.yml").get("topics") or []
    present = {a.id for a in articles}
    return [
        Problem(
            "topics.yml",
            1,
            f"нет статьи для темы «{t['id']}» ({t.get('title', '')}): создайте {t.get('section', '?')}/{t['id']}.md",
        )
        for t in topics
        if t.get("id") not in present
    ]


def check_ambiguity(knowledge_dir: Path, articles: list[Article]) -> list[Problem]:
    """Questions of one article that match another article's questions at least as well as their own."""
    from spravka_tools.knowledge.build_index import read_knowledge, similarity_index
    from spravka_tools.knowledge.similarity import entry_scores, query_weights

    index = similarity_index(read_knowledge(knowledge_dir))
    by_id = {a.id: a for a in articles}
    problems = []
    for entry, stems in enumerate(index.entry_stems):
        own = index.targets[entry]
        if own not in by_id:
            continue
        best_own, best_other, other_entry = 0.0, 0.0, -1
        for other, score in entry_scores(query_weights(stems, index), index).items():
            if other == entry:
                continue
            if index.targets[other] == own:
                best_own = max(best_own, score)
            elif not index.targets[other].startswith("@smalltalk") and score > best_other:
                best_other, other_entry = score, other
        if best_other >= AMBIGUITY_SCORE and best_other >= best_own:
            rival = index.targets[other_entry]
            question = _phrase_of(by_id[own], stems, index)
            problems.append(
                Problem(
                    str(by_id[own].path),
                    _question_line(by_id[own], knowledge_dir, question),
                    f"вопрос «{question}» похож на вопросы «{rival}» не меньше, чем на свои "
                    f"({best_other:.0f} против {best_own:.0f}): уточните формулировку или перенесите вопрос",
                )
            )
    return problems


def _phrase_of(article: Article, stems: frozenset[str], index: PhraseIndex) -> str:
    from spravka.ask.normalise import analyse

    lexicon = index.lexicon
    for phrase in (article.title, *article.questions):
        if frozenset(analyse(phrase, lexicon).stems) == stems:
            return phrase
    return article.title
