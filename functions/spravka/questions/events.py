"""The `events` function's input: an anonymous visitor id and up to 20 widget events, checked field by field."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from typing import Any

import flask

from spravka.errors import BadRequest
from spravka.http import read_json
from spravka.ids import parse_visitor

MAX_EVENTS = 20
# Matched with fullmatch: "$" would let a trailing newline through.
ARTICLE = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
QUESTION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
# http(s), a host of printable ASCII without brackets (punycode, as browsers give it), no spaces or
# control characters anywhere (openapi.yaml says the same).
URL = re.compile(r"https?://[!\"$-.0->@-Z\\^-~]+([/?#][^\x00-\x20\x7f]*)?")
MAX_URL = 2000
TYPES = ("visit", "click", "helpful")


def parse_events(payload: Mapping[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """(visitor, events as EventRecord fields); raises BadRequest naming the event and its field."""
    visitor = parse_visitor(payload, required=True)
    assert visitor is not None
    events = payload.get("events")
    if not isinstance(events, list) or not events:
        raise BadRequest("events_invalid", "Поле «events» должно быть непустым списком событий.")
    if len(events) > MAX_EVENTS:
        raise BadRequest("events_invalid", f"Слишком много событий: не больше {MAX_EVENTS} за раз.")
    return visitor, [_parse_event(event, number) for number, event in enumerate(events, 1)]


def _parse_event(event: object, number: int) -> dict[str, Any]:
    def bad(what: str) -> BadRequest:
        return BadRequest("event_invalid", f"Событие №{number}: {what}.")

    if not isinstance(event, dict):
        raise bad("ожидался объект")
    kind = event.get("type")
    if kind not in TYPES:
        raise bad("поле «type» должно быть visit, click или helpful")
    fields: dict[str, Any] = {"type": kind}
    if kind == "visit":
        return fields
    article = event.get("article")
    if not isinstance(article, str) or not ARTICLE.fullmatch(article):
        raise bad("поле «article» должно быть id статьи (латинские буквы, цифры, «-»)")
    fields["article"] = article
    question_id = event.get("question_id")
    if question_id is not None:
        if not isinstance(question_id, str) or not QUESTION_ID.fullmatch(question_id):
            raise bad("поле «question_id» должно быть id вопроса из ответа ask")
        fields["question_id"] = question_id
    if kind == "click":
        fields["url"] = _parse_url(event.get("url"), bad)
    else:
        value = event.get("value")
        if not isinstance(value, bool):
            raise bad("поле «value» должно быть true или false")
        fields["value"] = value
    return fields


def _parse_url(url: object, bad: Any) -> str:
    """The link's address without its query and fragment (they may carry personal data)."""
    # URL fixes the scheme (http or https) and a host without brackets, slashes, "?" or "#", so urlsplit
    # cannot fail on it ("http://[" never gets there); a lone surrogate ("\\ud800" in the JSON) can pass
    # the pattern's path and is no text a store can keep.
    if not isinstance(url, str) or len(url) > MAX_URL or not URL.fullmatch(url) or not _encodable(url):
        raise bad("поле «url» должно быть адресом http(s)")
    parts = urllib.parse.urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]  # never a user name or password
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def handle(request: flask.Request) -> tuple[dict[str, int], int]:
    """The entry point's one call: the posted events queued for the log."""
    return accept_events(read_json(request))


def accept_events(payload: Mapping[str, Any]) -> tuple[dict[str, int], int]:
    """Validate and queue the events; the contract's 202 {"accepted": n}."""
    from spravka.questions.recorder import record_events

    visitor, events = parse_events(payload)
    return {"accepted": record_events(visitor, events)}, 202
