"""The opaque ids a client sends (the widget's visitor and chat session): one format, parsed here only.

The widget makes both with `crypto.randomUUID()` (or, without it, 16 random bytes as 32 hex
digits): nothing else is an id it made. An account or a phone number sent as an id would be
stored for 400 days beside the questions, so a value of any other form is never kept:
a `visitor` (the project's own field) is refused with 400 `visitor_invalid`; a `session`
(contract §2: "opaque id, optional") is accepted, since the customer's question must still be
answered, and stored as null.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from spravka.errors import BadRequest

# Matched with fullmatch: "$" would let a trailing newline through.
OPAQUE_ID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32}")
MAX_SESSION = 128


def parse_visitor(payload: Mapping[str, Any], *, required: bool) -> str | None:
    """The anonymous visitor id of the widget (localStorage), or None where it may be left out."""
    visitor = payload.get("visitor")
    if visitor is None and not required:
        return None
    if not isinstance(visitor, str) or not OPAQUE_ID.fullmatch(visitor):
        raise BadRequest(
            "visitor_invalid",
            "Поле «visitor» должно быть случайным идентификатором, который создаёт виджет "
            "(UUID или 32 шестнадцатеричные цифры).",
        )
    return visitor


def parse_session(payload: Mapping[str, Any]) -> str | None:
    """The chat session as the question log keeps it: an id of the widget's form, else None.

    Refused (400) only when it is not a string of at most 128 characters (openapi.yaml: opaque);
    any other string is accepted and not kept (an account or a phone never reaches the store).
    """
    session = payload.get("session")
    if session is None:
        return None
    if not isinstance(session, str) or len(session) > MAX_SESSION:
        raise BadRequest("session_invalid", "Поле «session» должно быть строкой до 128 символов.")
    return session if OPAQUE_ID.fullmatch(session) else None
