"""The help site's own search box finds articles by the words customers use.

Builds the site with the shipped mkdocs.yml, serves it on 127.0.0.1 and types
queries into the search box of the built page in headless Chromium. The queries
are written for this test (not taken from the evaluation sets); how the search
settings were chosen is in docs/site-search.md.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml

from scripts.measure_site_search import SearchBox, article_pages, serve
from spravka.paths import KNOWLEDGE_DIR, REPO_DIR

pytestmark = pytest.mark.browser

# Customer-style queries: word forms other than the article's, function words,
# a capital letter and a question mark, as people type them.
QUERIES = [
    ("Квитанцию не принесли?", "bill-not-received"),
    ("деньги списались а оплата не отразилась", "payment-not-credited"),
    ("поменять старый счетчик на новый", "meter-replacement"),
    ("отключат электричество если не платить", "disconnection-for-debt"),
    ("забыл пароль от личного кабинета", "lk-login-problems"),
    ("купил квартиру, как сменить владельца счета", "account-owner-change"),
    ("двухтарифный учет день ночь выгодно ли", "tariffs-multi-zone"),
    ("когда нужна поверка электросчётчика", "meter-verification"),
    # A misspelling from synonyms.yml, indexed through the page's hidden search terms.
    ("передать пакозания", "readings-how-to-submit"),
    # Latin: translit, and Russian typed with the English keyboard layout (spravka_tools/search_latin.py).
    ("peredat pokazaniya", "readings-how-to-submit"),
    ("gthtlfnm gjrfpfybz", "readings-how-to-submit"),
    # A query is typed one way throughout: «ne» is «не» in translit, though «ту» (its layout reading) is a word too.
    ("kvitanciya ne prishla", "bill-not-received"),
    ("yt ghbikf rdbnfywbz", "bill-not-received"),  # «не пришла квитанция», wrong layout
    ("rfr jgkfnbnm ,tp rjvbccbb", "payment-no-commission"),
]


@pytest.fixture(scope="module")
def search_box(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> Iterator[SearchBox]:
    out = tmp_path_factory.mktemp("site-search")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    with serve(out) as base_url:
        box = SearchBox(browser, base_url, "material")
        errors: list[str] = []
        box.page.on("pageerror", lambda error: errors.append(str(error)))
        assert box.available, "no search box on the built home page"
        yield box
        box.close()
        assert errors == [], "JavaScript errors on the page"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return article_pages(Path(KNOWLEDGE_DIR))


def test_bill_not_received(search_box: SearchBox, pages: dict[str, str]) -> None:
    found = search_box.search("не пришла квитанция")
    assert pages["bill-not-received"] in found[:3], found[:5]


@pytest.mark.parametrize(("query", "article"), QUERIES)
def test_customer_queries_find_their_article(
    search_box: SearchBox, pages: dict[str, str], query: str, article: str
) -> None:
    found = search_box.search(query)
    assert pages[article] in found[:5], (query, found[:5])


def test_results_are_rendered_in_the_box(search_box: SearchBox) -> None:
    """The links come from the result list the visitor sees, not only from the worker."""
    search_box.search("пароль от личного кабинета")
    items = search_box.page.locator(".md-search-result__list > .md-search-result__item")
    assert items.count() > 0
    assert search_box.page.locator(".md-search-result__meta").inner_text().strip()


def test_separator_works_in_every_browser_material_supports() -> None:
    """RegExp lookbehind needs Safari 16.4+: in older ones the search worker would not start."""
    config = yaml.safe_load((REPO_DIR / "mkdocs.yml").read_text(encoding="utf-8"))
    search = next(p["search"] for p in config["plugins"] if isinstance(p, dict) and "search" in p)
    assert "(?<" not in (search.get("separator") or "")


@pytest.mark.parametrize("query", ["не пришла квитанция", "Квитанция не пришла, что делать?"])
def test_highlight_on_the_found_page_marks_only_words(search_box: SearchBox, pages: dict[str, str], query: str) -> None:
    """search.highlight reuses the separator: it must not mark empty strings all over the page."""
    tab = search_box.context.new_page()
    try:
        tab.goto(f"{search_box.base_url}{pages['bill-not-received']}?h={quote(query)}", wait_until="domcontentloaded")
        tab.wait_for_selector("article mark[data-md-highlight]", timeout=10_000)
        marks = tab.eval_on_selector_all("article mark[data-md-highlight]", "els => els.map(e => e.textContent)")
        assert all(m.strip() for m in marks), marks[:20]
        assert any("пришла" in m.lower() for m in marks), marks[:20]
    finally:
        tab.close()
