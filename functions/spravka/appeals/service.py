"""The `appeals` function between the HTTP edge and the appeals domain: route, wire, call.

POST / -> register an appeal; GET /categories -> the form's categories; POST /status -> the
appeal for its number and secret (never in a URL: they would reach access logs).
"""

from __future__ import annotations

import logging
from typing import Any

import flask

from spravka.appeals.categories import load_categories
from spravka.appeals.create import create_appeal
from spravka.appeals.lookup import look_up
from spravka.appeals.store import get_appeal_store
from spravka.callers import client_address
from spravka.config import get_settings
from spravka.errors import MethodNotAllowed, NotFound
from spravka.http import read_json, route_path

log = logging.getLogger(__name__)

# 4000 characters of Cyrillic written as \uXXXX escapes (as some JSON encoders do) are 24 KB.
MAX_APPEAL_BYTES = 64 * 1024


def _only(request: flask.Request, method: str) -> None:
    if request.method != method:
        raise MethodNotAllowed(
            "method_not_allowed", "Метод не поддерживается.", headers={"Allow": f"{method}, OPTIONS"}
        )


def handle(request: flask.Request) -> Any:
    """The entry point's one call: the request routed by path and method."""
    path = route_path(request, "appeals")
    settings = get_settings()
    client = client_address(request, trusted_hops=settings.trusted_proxy_hops)
    if path == "/categories":
        _only(request, "GET")
        return {"categories": [category.to_json() for category in load_categories().values()]}
    if path == "/status":
        _only(request, "POST")
        return look_up(get_appeal_store(), read_json(request), settings=settings, client=client)
    if path:
        raise NotFound("appeals_not_found", "Нет такого запроса к обращениям.")
    _only(request, "POST")
    payload = read_json(request, limit=MAX_APPEAL_BYTES)
    body, status = create_appeal(get_appeal_store(), payload, settings=settings, client=client)
    if status == 201:
        _send_now(body["number"])
    return body, status


def _send_now(number: str) -> None:
    """Send the registration e-mail right away; whatever fails here stays in the outbox for the next run."""
    from spravka.appeals.outbox import deliver_pending

    try:
        deliver_pending(get_appeal_store(), get_settings(), only=number)
    except Exception as error:  # no traceback: an SMTP error's text may carry the customer's address
        log.warning("appeal %s: e-mail left in the outbox (%s)", number, type(error).__name__)
