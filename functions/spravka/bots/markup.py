"""The dialog's Markdown subset (**bold**, [title](url), "- " items) in each messenger's formatting.

Telegram: its HTML parse mode, everything else escaped. Viber: plain text (links as "title: url",
which Viber makes clickable). Texts are cut to the platform's limit before rendering: rendering
never makes the visible text longer than the source.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

_TOKEN = re.compile(r"\*\*(?P<bold>.+?)\*\*|\[(?P<title>[^\]\n]+)\]\((?P<url>[^)\s]+)\)", re.S)
_ITEM = re.compile(r"^[-*] ", re.M)

Resolve = Callable[[str], str | None]  # a link's address as a messenger can open it, or None


def absolute_url(url: str, site_url: str) -> str | None:
    """An address a messenger can open: absolute as it is, a site path under SITE_URL, else None."""
    if url.startswith(("https://", "http://")):
        return url
    return site_url + url if site_url and url.startswith("/") else None


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a line or word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    boundary = max(head.rfind("\n"), head.rfind(" "))
    return (head[:boundary] if boundary > limit // 2 else head).rstrip() + "…"


def to_telegram_html(text: str, resolve: Resolve) -> str:
    out: list[str] = []
    at = 0
    text = _ITEM.sub("• ", text)
    for match in _TOKEN.finditer(text):
        out.append(html.escape(text[at : match.start()], quote=False))
        if match["bold"] is not None:
            out.append(f"<b>{html.escape(match['bold'], quote=False)}</b>")
        else:
            url = resolve(match["url"])
            title = html.escape(match["title"], quote=False)
            out.append(f'<a href="{html.escape(url, quote=True)}">{title}</a>' if url else title)
        at = match.end()
    out.append(html.escape(text[at:], quote=False))
    return "".join(out)


def to_plain(text: str, resolve: Resolve) -> str:
    def plain(match: re.Match[str]) -> str:
        if match["bold"] is not None:
            return str(match["bold"])
        url = resolve(match["url"])
        return f"{match['title']}: {url}" if url else str(match["title"])

    return _TOKEN.sub(plain, _ITEM.sub("• ", text))
