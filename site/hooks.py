"""MkDocs hooks: fill facts into pages, list how customers ask, title the sections."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

_REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(_REPO / "functions"), str(_REPO)]  # the runtime package and the tools, from this checkout

import yaml  # noqa: E402
from mkdocs.structure.files import File, InclusionLevel  # noqa: E402

from spravka.paths import REPO_DIR  # noqa: E402
from spravka_tools.knowledge.api_page import PAGE_URI, SPEC_NAME, api_page_markdown  # noqa: E402
from spravka_tools.knowledge.articles import load_yaml  # noqa: E402
from spravka_tools.knowledge.facts import load_facts, render_facts  # noqa: E402
from spravka_tools.knowledge.render import page_markdown  # noqa: E402
from spravka_tools.widget import build_widget  # noqa: E402

_state: dict[str, Any] = {}


def on_config(config: Any) -> Any:
    # `spravka deploy` builds the site for its public address, with the functions' URL in the
    # widget's tag (site/main.html); plain YAML in mkdocs.yml stays readable by yaml.safe_load.
    if os.environ.get("SITE_URL", "").strip():
        config["site_url"] = os.environ["SITE_URL"].strip().rstrip("/") + "/"
    if os.environ.get("SPRAVKA_FUNCTIONS_URL", "").strip():
        config["extra"]["widget_api"] = os.environ["SPRAVKA_FUNCTIONS_URL"].strip()
    if os.environ.get("SPRAVKA_TIMEZONE", "").strip():  # the functions' zone: appeal times read as in the e-mails
        config["extra"]["timezone"] = os.environ["SPRAVKA_TIMEZONE"].strip()
    knowledge_dir = Path(config["docs_dir"])
    _state["facts"] = load_facts(knowledge_dir)
    _state["sections"] = load_yaml(knowledge_dir, "sections.yml")
    _state["synonyms"] = load_yaml(knowledge_dir, "synonyms.yml")
    return config


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    sections = _state["sections"]
    order = list(sections)
    for item in nav.items:
        if item.is_section:
            folder = _section_folder(item)
            if folder in sections:
                item.title = sections[folder]
            _lift_lone_pages(item)
    nav.items.sort(
        key=lambda item: order.index(_section_folder(item)) + 1
        if item.is_section and _section_folder(item) in order
        else 0
    )
    return nav


def _lift_lone_pages(section: Any) -> None:
    """A sub-folder that holds one page shows as that page, under its own title (appeals/status/)."""
    for position, child in enumerate(section.children):
        if child.is_section and len(child.children) == 1 and child.children[0].is_page:
            page = child.children[0]
            page.parent = section
            section.children[position] = page


def _section_folder(section: Any) -> str:
    for child in section.children:
        file = getattr(child, "file", None)
        if file is not None:
            return str(Path(file.src_uri).parts[0])
    return ""


def on_files(files: Any, config: Any) -> Any:
    """Publish openapi.yaml at the site's root and add the integrators' page generated from it."""
    text = (REPO_DIR / SPEC_NAME).read_text(encoding="utf-8")  # the repository's, whichever mkdocs.yml built
    files.append(
        File.generated(config, SPEC_NAME, content=text, inclusion=InclusionLevel.INCLUDED)
    )  # *.yaml are excluded otherwise
    files.append(File.generated(config, PAGE_URI, content=api_page_markdown(yaml.safe_load(text))))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    return page_markdown(markdown, page.meta, _state["facts"], _state["synonyms"])


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    context["facts"] = _state["facts"]
    return context


def on_post_build(config: Any) -> None:
    """The widget built from its parts (site/widget/src/) into the site; the parts stay out of it."""
    widget_dir = Path(config["site_dir"]) / "widget"
    (widget_dir / "spravka.js").write_text(build_widget(), encoding="utf-8")
    shutil.rmtree(widget_dir / "src", ignore_errors=True)  # the theme's custom_dir copied them as static files


__all__ = ["on_config", "on_files", "on_nav", "on_page_markdown", "on_page_context", "on_post_build", "render_facts"]
