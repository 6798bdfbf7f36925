#!/usr/bin/env python3
"""Measure how well the help site's own search box finds articles.

For every configuration the script builds the site into a temporary directory
(the repository's mkdocs.yml with the search plugin, theme or hook replaced),
serves it on 127.0.0.1 (a free port), opens it in headless Chromium, types each
question of a YAML question file into the real search box and reads the result
list the page renders. A question is a hit@k when one of the first k results
links to the expected article's page (/<section>/<id>/).

Question file: a YAML list of ``- q: ...`` / ``expect: <article id>`` items.
Items whose ``expect`` is not an article id (smalltalk, fallback, operator,
personal, submit-readings) are skipped.

    .venv/bin/python scripts/measure_site_search.py /work/shared/eval/dev.yaml
    .venv/bin/python scripts/measure_site_search.py Q.yaml --config material --config shipped
    .venv/bin/python scripts/measure_site_search.py Q.yaml --list

The real build is never changed: configurations only differ in the temporary
mkdocs.yml (and, for the "no questions" variants, in a temporary hook that
wraps site/hooks.py and drops the "Как ещё спрашивают" list).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "functions"), str(ROOT)]  # spravka_tools' article loader, when run as a script
CHROMIUM = os.environ.get("SPRAVKA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Word separators for Material's search: a JavaScript RegExp that splits the
# indexed text and every query word into terms (the text it matches is dropped).
# Material appends a trailing wildcard to every query word, and lunr skips the
# pipeline (so the stemmer, if enabled) for wildcard terms: query words are
# never stemmed, they only match indexed terms that start with them.
_CYR = "а-яёА-ЯЁ"
_NONWORD = rf"[^\w{_CYR}]"  # \w is ASCII in a JavaScript RegExp without /u
SEP_PUNCT = rf"{_NONWORD}+"

# Short function words: prepositions, conjunctions, particles, pronouns. As
# prefixes ("в*", "на*", "не*", "за*") they match a large part of the index and
# drown the words that matter, so the separators below drop them as whole words
# from the index and from the query.
FUNCTION_WORDS = (
    "а и но да или ли же бы ни не нет ну вот то это так как что кто где чем уже еще ещё там тут "
    "в во на за по под над о об обо от до из к ко с со у для при без про через "
    "я мы ты вы он она оно они мне меня мой моя мои нам нас вам вас ваш его ее её их им ей"
).split()


def _function_words() -> str:
    """The function words as a RegExp alternation, first letter in either case ("Не", "не")."""
    words = sorted(set(FUNCTION_WORDS), key=lambda w: (-len(w), w))
    return "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in words)


# Non-letters, and runs of function words with the non-letters around them.
# No lookbehind, so it compiles in every browser Material supports.
SEP_FW = rf"(?:^|{_NONWORD}+)(?:(?:{_function_words()})(?![{_CYR}]){_NONWORD}*)+|{_NONWORD}+"


# The same job done only where it is safe for Material's on-page highlighter
# (search.highlight): the worker splits the query into words and applies the
# separator to each word alone, while the highlighter applies it to the whole
# query and turns every match into "|" of a RegExp alternation (an empty
# alternative there marks the whole page). So: drop a word only when it is a
# function word from ^ to the end (true for a query word alone, false inside the
# whole query), and split trailing punctuation off with a pure lookahead (the
# highlighter replaces pure lookaround alternatives with a never-matching "�").
# No lookbehind either.
SEP_SAFE = (
    rf"[\s\-]+|^(?:{_function_words()})(?={_NONWORD}*$)"
    rf"|(?=[^\w{_CYR}\s]+$)"
)


def sep_truncate(n: int, base: str = SEP_FW) -> str:
    """base, and the rest of every Cyrillic word after its first n letters (needs lookbehind)."""
    return rf"{base}|(?<=(?:^|[^{_CYR}])[{_CYR}]{{{n}}})[{_CYR}]+"


# Suffix stripping: drop one common inflection ending from a word that keeps at
# least 3 letters (a crude stemmer written as a separator; needs lookbehind).
_ENDINGS = (
    "иями|ями|ами|ого|его|ому|ему|ыми|ими|ешь|ете|ите|ить|ать|ять|еть|ия|ию|ии|ий|ой|ей|ый|ая|яя|ое|ее"
    "|ые|ие|ую|юю|ов|ев|ам|ям|ах|ях|ом|ем|ет|ют|ут|ит|ат|ят|ть|ла|ло|ли|а|я|о|е|ы|и|у|ю|ь|й"
)
SEP_SUFFIX = rf"{SEP_FW}|(?<=[{_CYR}]{{3}})(?:{_ENDINGS})(?![{_CYR}])"

TITLE1 = {"title": {"boost": 1}}


@dataclass
class Variant:
    """One configuration to measure."""

    name: str
    description: str
    search: dict[str, Any] | None = None  # options of the search plugin
    plugin: str = "search"  # plugin name as written in mkdocs.yml
    theme: str = "material"  # material | mkdocs
    questions: bool = True  # keep the "Как ещё спрашивают" list
    shipped: bool = False  # use mkdocs.yml's plugins block as it is


def _v(name: str, description: str, questions: bool = True, **search: Any) -> Variant:
    return Variant(name, description, {"lang": "ru", **search}, questions=questions)


VARIANTS: list[Variant] = [
    Variant("shipped", "mkdocs.yml as it is now", shipped=True),
    _v("material", "Material, lang: ru, defaults (separator [\\s\\-]+, pipeline stopWordFilter, title boost 1000)"),
    _v("material-noq", "as material, without the 'Как ещё спрашивают' list", questions=False),
    _v("stemmer", "+ pipeline: stemmer, stopWordFilter, trimmer", pipeline=["stemmer", "stopWordFilter", "trimmer"]),
    Variant("ru-en", "lang: [ru, en]", {"lang": ["ru", "en"]}),
    _v("punct", "separator: any non-letter", separator=SEP_PUNCT),
    _v("title1", "fields: title boost 1", fields=TITLE1),
    _v(
        "prefix5",
        "separator: non-letters + cut words after 5 letters (lookbehind)",
        separator=sep_truncate(5, SEP_PUNCT),
    ),
    _v("fw", "separator: non-letters + function words (breaks search.highlight)", separator=SEP_FW),
    _v("fw-title10", "as fw; title boost 10", separator=SEP_FW, fields={"title": {"boost": 10}}),
    _v("fw-title1", "as fw; title boost 1", separator=SEP_FW, fields=TITLE1),
    _v(
        "fw-title1-noq",
        "as fw-title1, without the 'Как ещё спрашивают' list",
        questions=False,
        separator=SEP_FW,
        fields=TITLE1,
    ),
    _v(
        "safe",
        "separator: drop query words that are function words, split off trailing punctuation",
        separator=SEP_SAFE,
    ),
    _v("safe-title1", "as safe; title boost 1", separator=SEP_SAFE, fields=TITLE1),
    _v(
        "safe-title1-noq",
        "as safe-title1, without the 'Как ещё спрашивают' list",
        questions=False,
        separator=SEP_SAFE,
        fields=TITLE1,
    ),
    _v(
        "fw-stemmer-title1",
        "as fw-title1 + pipeline: stemmer, stopWordFilter, trimmer",
        separator=SEP_FW,
        fields=TITLE1,
        pipeline=["stemmer", "stopWordFilter", "trimmer"],
    ),
    _v("suffix-fw-title1", "as fw-title1 + strip one ending (lookbehind)", separator=SEP_SUFFIX, fields=TITLE1),
    _v(
        "prefix4-fw-title1",
        "as fw-title1 + cut words after 4 letters (lookbehind)",
        separator=sep_truncate(4),
        fields=TITLE1,
    ),
    _v(
        "prefix5-fw-title1",
        "as fw-title1 + cut words after 5 letters (lookbehind)",
        separator=sep_truncate(5),
        fields=TITLE1,
    ),
    _v(
        "prefix5-fw-title1-noq",
        "as prefix5-fw-title1, without the 'Как ещё спрашивают' list",
        questions=False,
        separator=sep_truncate(5),
        fields=TITLE1,
    ),
    _v(
        "prefix6-fw-title1",
        "as fw-title1 + cut words after 6 letters (lookbehind)",
        separator=sep_truncate(6),
        fields=TITLE1,
    ),
    Variant(
        "mkdocs-on-material",
        "MkDocs' own search plugin forced on Material ('/search')",
        {"lang": "ru"},
        plugin="/search",
    ),
    Variant(
        "mkdocs-theme", "MkDocs' own search (lunr + ru stemmer) with theme: mkdocs", {"lang": "ru"}, theme="mkdocs"
    ),
    Variant(
        "mkdocs-theme-noq",
        "as mkdocs-theme, without the 'Как ещё спрашивают' list",
        {"lang": "ru"},
        theme="mkdocs",
        questions=False,
    ),
]
DEFAULT_PROBES = ["не пришла квитанция", "пакозания"]
NON_ARTICLE = {"smalltalk", "fallback", "operator", "personal", "submit-readings"}

# Records the search worker's traffic so the driver knows when the page has the
# answer to the query it typed (Material: type 1 = ready, 2 = query, 3 = result;
# MkDocs: {allowSearch}, {query}, {results}).
WORKER_PROBE = """
(() => {
  const Native = window.Worker;
  const s = window.__siteSearch = {ready: false, posted: 0, answered: 0, last: null};
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", ev => {
        const d = ev.data || {};
        if (d.type === 1 || d.allowSearch) s.ready = true;
        if (d.type === 3 || "results" in d) {
          const items = d.type === 3 ? [].concat(...(d.data.items || [])) : d.results;
          s.pages = items.map(i => i.location.split("#")[0]);
          s.answered += 1;
        }
      });
    }
    postMessage(msg, ...rest) {
      if (msg && (msg.type === 2 || typeof msg.query === "string")) {
        s.posted += 1;
        s.last = msg.type === 2 ? (msg.typed || msg.data) : msg.query;  // typed: before search-latin.js read it
        s.sent = msg.type === 2 ? msg.data : msg.query;
      }
      return super.postMessage(msg, ...rest);
    }
  };
})();
"""

THEMES = {
    "material": {
        "input": "input.md-search__input",
        "links": ".md-search-result__list > .md-search-result__item > a.md-search-result__link",
        "open": None,
    },
    "mkdocs": {
        "input": "#mkdocs-search-query",
        "links": "#mkdocs-search-results article h3 a",
        "open": "a[data-bs-target='#mkdocs_search_modal']",
    },
}


# ---------------------------------------------------------------- articles, questions


def article_pages(knowledge: Path) -> dict[str, str]:
    """Article id -> its page path on the site (/<section>/<id>/)."""
    from spravka_tools.knowledge.articles import load_articles

    return {article.id: article.url_path for article in load_articles(knowledge)}


def load_questions(path: Path, pages: dict[str, str]) -> tuple[list[dict[str, str]], int]:
    """The measurable items (expect is an article id) and how many were skipped."""
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    kept, skipped = [], 0
    for item in items:
        expect = str(item.get("expect", ""))
        if expect in pages and expect not in NON_ARTICLE:
            kept.append({"q": str(item["q"]), "expect": expect})
        else:
            skipped += 1
    return kept, skipped


# ---------------------------------------------------------------- build and serve

NOQ_HOOK = '''\
"""site/hooks.py for a measurement build: the same, minus the 'Как ещё спрашивают' list."""
import importlib.util as _u

_spec = _u.spec_from_file_location("spravka_site_hooks_measured", {hooks!r})
_hooks = _u.module_from_spec(_spec)
_spec.loader.exec_module(_hooks)

on_config = _hooks.on_config
on_nav = _hooks.on_nav
on_page_context = _hooks.on_page_context


def on_page_markdown(markdown, page, config, files):
    meta = {{k: v for k, v in page.meta.items() if k != "questions"}}
    return _hooks.page_markdown(markdown, meta, _hooks._state["facts"])
'''


def _absolute(value: str) -> str:
    return str((ROOT / value).resolve())


def write_config(variant: Variant, workdir: Path, base: Path = ROOT / "mkdocs.yml") -> Path:
    """A temporary mkdocs.yml for the variant, with every path made absolute."""
    config = yaml.safe_load(base.read_text(encoding="utf-8"))
    config["docs_dir"] = _absolute(config.get("docs_dir", "docs"))
    config["site_dir"] = str(workdir / "site")
    hooks = [_absolute(h) for h in config.get("hooks") or []]
    if not variant.questions:
        repo_hook = _absolute("site/hooks.py")
        wrapper = workdir / "hooks_noq.py"
        wrapper.write_text(NOQ_HOOK.format(hooks=repo_hook), encoding="utf-8")
        hooks = [str(wrapper) if h == repo_hook else h for h in hooks]
    config["hooks"] = hooks
    theme = config.get("theme") or {}
    if isinstance(theme, str):
        theme = {"name": theme}
    if variant.theme == "material":
        if theme.get("custom_dir"):
            theme["custom_dir"] = _absolute(theme["custom_dir"])
    else:
        language = theme.get("language", "en")
        theme = {"name": variant.theme, "locale": language}
    config["theme"] = theme
    if not variant.shipped:
        others = [
            p for p in config.get("plugins") or [] if not (p == "search" or (isinstance(p, dict) and "search" in p))
        ]
        config["plugins"] = [{variant.plugin: dict(variant.search or {})}, *others]
    path = workdir / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build(config_path: Path, site_dir: Path, timeout: float = 300) -> None:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config_path), "-d", str(site_dir)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{done.stdout}\n{done.stderr}")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 at a free port, for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def built_site(variant: Variant) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="site-search-") as tmp:
        workdir = Path(tmp)
        config = write_config(variant, workdir)
        build(config, workdir / "site")
        yield workdir / "site"


# ---------------------------------------------------------------- browser


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


class SearchBox:
    """The search box of one built site, driven like a visitor does."""

    def __init__(self, browser: Any, base_url: str, theme: str, timeout_ms: int = 10_000) -> None:
        self.theme = THEMES[theme]
        self.base_url = base_url
        self.mismatches = 0  # queries where the page showed other pages than the worker answered
        self.timeout_ms = timeout_ms
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="ru-RU", service_workers="block"
        )
        # Only the site itself: no fonts or anything else from outside.
        self.context.route(
            "**/*", lambda route: route.continue_() if route.request.url.startswith(base_url) else route.abort()
        )
        self.context.add_init_script(WORKER_PROBE)
        self.page = self.context.new_page()
        self.page.set_default_timeout(timeout_ms)
        self.page.goto(base_url + "/", wait_until="domcontentloaded")
        self.available = self.page.locator(self.theme["input"]).count() > 0
        if not self.available:
            return
        self.page.wait_for_function("window.__siteSearch && window.__siteSearch.ready", timeout=timeout_ms * 3)
        if self.theme["open"]:
            self.page.click(self.theme["open"])
        self.input = self.page.locator(self.theme["input"])
        self.input.wait_for(state="visible")
        self.last_query: str | None = None
        self.last_links: list[str] = []

    def close(self) -> None:
        self.context.close()

    def search(self, query: str) -> list[str]:
        """Type the query and return the paths the result list links to, best first."""
        if not self.available:
            return []
        if query == self.last_query:
            return self.last_links
        self.input.fill(query)
        self.input.press("End")  # both themes start the search on keyup
        self.page.wait_for_function(
            "q => { const s = window.__siteSearch; return s.last === q && s.answered >= s.posted; }",
            arg=query,
            timeout=self.timeout_ms,
        )
        # One more frame, so that everything the page does with the answer is done.
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
        hrefs = self.page.eval_on_selector_all(self.theme["links"], "els => els.map(a => a.href)")
        answered = self.page.evaluate("() => window.__siteSearch.pages")
        links: list[str] = []  # distinct pages in the order shown (sections fold into their page)
        for href in hrefs:
            path = urlsplit(href).path
            if path not in links:
                links.append(path)
        worker_pages: list[str] = []
        for location in answered or []:
            path = urlsplit(self.base_url + "/" + location.lstrip("/")).path
            if path not in worker_pages:
                worker_pages.append(path)
        if worker_pages[:5] != links[:5]:
            self.mismatches += 1
        self.last_query, self.last_links = query, links
        return links


# ---------------------------------------------------------------- measuring


@dataclass
class Result:
    variant: Variant
    n: int = 0
    hit1: int = 0
    hit5: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    probes: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0
    note: str = ""


def page_to_id(pages: dict[str, str]) -> dict[str, str]:
    return {path: article_id for article_id, path in pages.items()}


def measure(
    variant: Variant,
    browser: Any,
    questions: list[dict[str, str]],
    pages: dict[str, str],
    probes: list[str],
    deadline: float,
) -> Result:
    result = Result(variant)
    started = time.monotonic()
    ids = page_to_id(pages)
    with built_site(variant) as site, serve(site) as base_url:
        box = SearchBox(browser, base_url, variant.theme)
        try:
            if not box.available:
                result.note = "no search box on the built pages"
            for item in questions:
                if time.monotonic() > deadline:
                    result.note = "stopped: time limit"
                    break
                try:
                    links = box.search(item["q"])
                except Exception as exc:  # a query that never got an answer counts as a miss
                    links = []
                    result.note = f"some queries timed out ({type(exc).__name__})"
                want = pages[item["expect"]]
                result.n += 1
                result.hit1 += links[:1] == [want]
                result.hit5 += want in links[:5]
                if want not in links[:5]:
                    result.misses.append({**item, "got": [ids.get(p, p) for p in links[:3]]})
            if box.mismatches:
                result.note += f" {box.mismatches} result lists differ from the worker's answer"
            for probe in probes:
                with contextlib.suppress(Exception):
                    result.probes[probe] = [ids.get(p, p) for p in box.search(probe)[:5]]
        finally:
            box.close()
    result.seconds = time.monotonic() - started
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", type=Path, nargs="?", help="YAML list of {q, expect}")
    parser.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="NAME",
        help="measure only these configurations (repeatable); see --list",
    )
    parser.add_argument(
        "--probe",
        action="append",
        default=None,
        metavar="QUERY",
        help=f"extra queries whose top results are printed (default: {DEFAULT_PROBES})",
    )
    parser.add_argument("--list", action="store_true", help="list the configurations and exit")
    parser.add_argument("--misses", action="store_true", help="print the missed questions")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--max-seconds", type=float, default=1200, help="bound on the whole run")
    args = parser.parse_args(argv)

    if args.list or args.questions is None:
        for v in VARIANTS:
            print(f"{v.name:20} {v.description}")
        return 0 if args.list else 2
    chosen = [v for v in VARIANTS if not args.config or v.name in args.config]
    unknown = set(args.config) - {v.name for v in VARIANTS}
    if unknown:
        parser.error(f"unknown configuration(s): {', '.join(sorted(unknown))}")
    probes = DEFAULT_PROBES if args.probe is None else args.probe

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    pages = article_pages(ROOT / config.get("docs_dir", "docs"))
    questions, skipped = load_questions(args.questions, pages)
    print(f"{args.questions}: {len(questions)} questions with an article answer, {skipped} skipped (not an article)")
    deadline = time.monotonic() + args.max_seconds

    results: list[Result] = []
    with chromium() as browser:
        for variant in chosen:
            res = measure(variant, browser, questions, pages, probes, deadline)
            results.append(res)
            n = max(res.n, 1)
            print(
                f"{variant.name:20} hit@1 {res.hit1:3}/{res.n} = {res.hit1 / n:6.1%}   "
                f"hit@5 {res.hit5:3}/{res.n} = {res.hit5 / n:6.1%}   {res.seconds:5.1f}s"
                f"{'   ' + res.note if res.note else ''}",
                flush=True,
            )
            for probe, got in res.probes.items():
                print(f"{'':22}{probe!r}: {', '.join(got[:3]) or '(nothing)'}")
            if args.misses:
                for miss in res.misses:
                    print(f"{'':22}miss {miss['q']!r} -> {miss['expect']} (got {miss['got']})")

    print()
    print("| configuration | hit@1 | hit@5 | description |")
    print("| --- | ---: | ---: | --- |")
    for res in results:
        n = max(res.n, 1)
        print(
            f"| {res.variant.name} | {res.hit1 / n:.1%} | {res.hit5 / n:.1%} | "
            f"{res.variant.description}{' (' + res.note + ')' if res.note else ''} |"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "config": r.variant.name,
                        "description": r.variant.description,
                        "search": r.variant.search,
                        "n": r.n,
                        "hit1": r.hit1,
                        "hit5": r.hit5,
                        "probes": r.probes,
                        "note": r.note,
                        "misses": r.misses,
                    }
                    for r in results
                ],
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
