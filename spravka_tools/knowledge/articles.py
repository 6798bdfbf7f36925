"""Reading the knowledge base: articles (contract §1), sections, synonyms and intents."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import yaml

# libyaml's parser when present: the index build reads every front matter.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)---[ \t]*\r?\n?", re.S)
# Files in the knowledge folder that are data, not pages.
DATA_FILES = ("facts.yml", "sections.yml", "synonyms.yml", "intents.yml")


class ArticleError(ValueError):
    """An article that cannot be read at all; carries the line for `file:line: message`."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclasses.dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclasses.dataclass(frozen=True)
class Article:
    id: str
    title: str
    section: str
    path: Path  # relative to the knowledge folder, e.g. payment/payment-methods.md
    questions: tuple[str, ...]
    links: tuple[Link, ...]
    short_answer: str  # the first paragraph of the body, raw Markdown
    body: str  # the whole body after the front matter, raw Markdown
    meta: dict[str, Any]
    body_line: int  # line number where the body starts (1-based)

    @property
    def url_path(self) -> str:
        """The article's page on the help site, relative to the site root."""
        return "/" + self.path.with_suffix("").as_posix() + "/"


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """(front matter, body, line where the body starts); raises ValueError when absent or not YAML."""
    match = FRONT_MATTER.match(text)
    if not match:
        raise ValueError("нет блока front matter (--- … ---) в начале файла")
    meta = yaml.load(match.group(1), Loader=_LOADER) or {}
    if not isinstance(meta, dict):
        raise ValueError("front matter должен быть словарём YAML")
    return meta, text[match.end() :], text[: match.end()].count("\n") + 1


def first_paragraph(body: str) -> str:
    """The short answer: the first block of text that is not a heading."""
    for block in re.split(r"\n\s*\n", body.strip()):
        block = block.strip()
        if block and not block.startswith("#"):
            return block
    return ""


def read_article(knowledge_dir: Path, path: Path) -> Article:
    """One article; raises ArticleError when the file is not an article at all."""
    rel = path.relative_to(knowledge_dir)
    text = path.read_text(encoding="utf-8")
    try:
        meta, body, body_line = split_front_matter(text)
    except (ValueError, yaml.YAMLError) as error:
        raise ArticleError(rel, 1, f"front matter не читается: {error}") from None
    questions = meta.get("questions") or []
    links = meta.get("links") or []
    return Article(
        id=str(meta.get("id", "")),
        title=str(meta.get("title", "")),
        section=rel.parts[0] if len(rel.parts) > 1 else "",
        path=rel,
        questions=tuple(str(q) for q in questions) if isinstance(questions, list) else (),
        links=tuple(Link(str(l.get("title", "")), str(l.get("url", ""))) for l in links if isinstance(l, dict))
        if isinstance(links, list)
        else (),
        short_answer=first_paragraph(body),
        body=body,
        meta=meta,
        body_line=body_line,
    )


def article_paths(knowledge_dir: Path) -> list[Path]:
    """Every article file: Markdown inside a section folder, except section index pages."""
    return sorted(p for p in knowledge_dir.glob("*/*.md") if p.name != "index.md")


def load_articles(knowledge_dir: Path) -> list[Article]:
    return [read_article(knowledge_dir, p) for p in article_paths(knowledge_dir)]


def load_yaml(knowledge_dir: Path, name: str) -> Any:
    path = knowledge_dir / name
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
