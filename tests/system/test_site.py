"""The help site: strict build, every article a page, facts filled in, site/ untouched."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from spravka.paths import KNOWLEDGE_DIR, REPO_DIR
from spravka_tools.knowledge.articles import load_articles
from spravka_tools.knowledge.facts import load_facts


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    before = tree_digest(REPO_DIR / "site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert tree_digest(REPO_DIR / "site") == before, "the build must not touch site/"
    return out


def test_every_article_is_a_page(built_site: Path) -> None:
    articles = load_articles(KNOWLEDGE_DIR)
    assert len(articles) == 71
    for article in articles:
        page = built_site / article.url_path.strip("/") / "index.html"
        assert page.is_file(), article.url_path
        html = page.read_text(encoding="utf-8")
        assert article.title in html
        # The customers' phrasings are on the page (the search indexes them) but folded away, not a wall of text.
        assert '<details class="spravka-asked">\n<summary>Как ещё спрашивают</summary>' in html
        assert '<details class="spravka-asked" open' not in html


def test_facts_are_filled_in(built_site: Path) -> None:
    facts = load_facts(KNOWLEDGE_DIR)
    contacts = (built_site / "service/contacts/index.html").read_text(encoding="utf-8")
    assert facts["hotline"] in contacts
    for page in built_site.rglob("*.html"):
        assert "{{" not in page.read_text(encoding="utf-8").split("<script")[0], page


def test_home_page_leads_with_most_asked_topics_and_contacts(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    for link in ("lk/lk-registration/", "readings/readings-how-to-submit/", "payment/payment-methods/"):
        assert link in home
    assert home.index("lk/lk-registration/") < home.index("heat/heating-billing/"), (
        "the heat section follows the most asked"
    )
    assert load_facts(KNOWLEDGE_DIR)["hotline"] in home


def test_russian_ui_and_search(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ru"' in home
    assert (built_site / "search" / "search_index.json").is_file()


def test_data_files_are_not_published(built_site: Path) -> None:
    assert not list(built_site.rglob("*.yml"))


def test_the_api_description_is_published_for_integrators(built_site: Path) -> None:
    import yaml

    published = built_site / "openapi.yaml"
    assert published.read_bytes() == (REPO_DIR / "openapi.yaml").read_bytes()
    page = (built_site / "developers" / "index.html").read_text(encoding="utf-8")
    assert "Для разработчиков" in page and 'href="../openapi.yaml"' in page
    for path in yaml.safe_load(published.read_text(encoding="utf-8"))["paths"]:
        assert f"<code>{path}</code>" in page, path
    assert "Для разработчиков" not in (built_site / "search" / "search_index.json").read_text(encoding="utf-8")
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="developers/"' in home


def test_the_widget_is_published_as_one_file_built_from_its_parts(built_site: Path) -> None:
    from spravka_tools.widget import build_widget

    assert (built_site / "widget" / "spravka.js").read_text(encoding="utf-8") == build_widget()
    assert not (built_site / "widget" / "src").exists()


def test_the_reception_pages_host_the_forms_and_the_status_page_is_in_the_menu(built_site: Path) -> None:
    reception = (built_site / "appeals" / "index.html").read_text(encoding="utf-8")
    status = (built_site / "appeals" / "status" / "index.html").read_text(encoding="utf-8")
    assert 'data-spravka-appeals="form"' in reception and 'data-spravka-appeals="status"' in status
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "Виртуальная приёмная" in home and "Проверить обращение" in home  # the menu: the section and its page


def test_the_functions_time_zone_reaches_the_widget_tag(tmp_path: Path) -> None:
    env = {**os.environ, "SPRAVKA_TIMEZONE": "Asia/Yekaterinburg", "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)]
    result = subprocess.run(command, cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert 'data-timezone="Asia/Yekaterinburg"' in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_the_search_reads_latin_before_materials_worker_starts(built_site: Path) -> None:
    """search-latin.js is in the site, carries ask's tables and loads before Material's bundle."""
    from spravka.ask import normalise

    script = (built_site / "search-latin.js").read_text(encoding="utf-8")
    assert normalise._JCUKEN in script and '["shch", ["щ"]]' in script
    page = (built_site / "readings" / "readings-how-to-submit" / "index.html").read_text(encoding="utf-8")
    assert page.index("search-latin.js") < page.index("assets/javascripts/bundle.")


def test_addresses_are_links_and_phone_numbers_stay_on_one_line(built_site: Path) -> None:
    facts = load_facts(KNOWLEDGE_DIR)
    page = (built_site / "bills" / "bill-electronic" / "index.html").read_text(encoding="utf-8")
    assert f'личный кабинет <a href="{facts["lk_url"]}"' in page  # named in the text (not only under «Полезные ссылки»)
    unbroken = facts["hotline"].replace(" ", "\u00a0").replace("-", "\u2011")
    pages = [p.read_text(encoding="utf-8") for p in built_site.rglob("index.html")]
    with_phone = [p for p in pages if unbroken in p]
    assert with_phone, "the hotline appears on the pages"
    assert not any(facts["hotline"] in p.split("<main", 1)[-1].split("</main>", 1)[0] for p in with_phone)
