"""How an article becomes a page: facts filled in, links and customers' phrasings appended."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from spravka_tools.knowledge.facts import render_facts

ASKED_HEADING = "Как ещё спрашивают"
# A phone number as the facts write it ("8 800 000-00-00"): kept on one line on the page.
PHONE = re.compile(r"\b8 800 \d{3}-\d{2}-\d{2}\b")
LINKS_HEADING = "Полезные ссылки"


def page_markdown(
    markdown: str, meta: Mapping[str, Any], facts: Mapping[str, str], synonyms: Mapping[str, list[str]] | None = None
) -> str:
    """The page body the help site shows for an article (front matter already removed)."""
    parts = [markdown.rstrip()]
    links = [l for l in meta.get("links") or [] if isinstance(l, dict)]
    if links:
        parts.append(f"## {LINKS_HEADING}\n")
        parts.append("\n".join(f"- [{l.get('title', '')}]({l.get('url', '')})" for l in links))
    questions = [str(q) for q in meta.get("questions") or []]
    if questions:
        # Part of the page (and so of the site search index) on purpose: visitors
        # search with the words customers use, not the words of the title. Folded
        # away (a collapsed <details>), so the page does not end in a wall of
        # phrasings that reads like training data (docs/site-search.md).
        items = "".join(f"<li>{html.escape(_sentence(q), quote=False)}</li>" for q in questions)
        parts.append(
            f'<details class="spravka-asked">\n<summary>{ASKED_HEADING}</summary>\n<ul>{items}</ul>\n</details>'
        )
        variants = search_variants(questions, synonyms or {})
        if variants:
            # Abbreviations and frequent misspellings from synonyms.yml, so the
            # site search finds the page for "лк" or "пакозания" as well.
            parts.append(f'<p class="spravka-search-terms" hidden>{" ".join(variants)}</p>')
    return PHONE.sub(_unbroken, render_facts("\n\n".join(parts) + "\n", facts))


def _unbroken(match: re.Match[str]) -> str:
    """The number with no-break spaces and no-break hyphens: a line never ends inside it."""
    return match.group().replace(" ", "\u00a0").replace("-", "\u2011")


def search_variants(questions: list[str], synonyms: Mapping[str, list[str]]) -> list[str]:
    """The variants of every synonym whose canonical term the page's questions use."""
    text = " " + " ".join(q.lower().replace("ё", "е") for q in questions) + " "
    found: list[str] = []
    for canonical, variants in synonyms.items():
        if f" {str(canonical).lower()}" in text:
            found.extend(str(v) for v in variants or [] if str(v) not in found)
    return found


def _sentence(question: str) -> str:
    question = question.strip()
    return question[:1].upper() + question[1:]
