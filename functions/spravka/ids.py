"""The opaque ids a client sends (the widget's visitor and chat session): one alphabet, parsed here only."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from spravka.errors import BadRequest

# Matched with fullmatch: "$" would let a trailing newline through.
VISITOR = re.compile(r"[A-Za-z0-9_-]{8,64}")
SESSION = re.compile(r"[A-Za-z0-9_-]{1,128}")
MAX_SESSION = 128


def parse_visitor(payload: Mapping[str, Any], *, required: bool) -> str | None:
    """The anonymous visitor id of the widget (localStorage), or None where it may be left out."""
    visitor = payload.get("visitor")
    if visitor is None and not required:
        return None
    if not isinstance(visitor, str) or not VISITOR.fullmatch(visitor):
        raise BadRequest(
            "visitor_invalid", "Поле «visitor» должно быть строкой из 8–64 латинских букв, цифр, «-» или «_»."
        )
    return visitor


def parse_session(payload: Mapping[str, Any]) -> str | None:
    """The chat session as the question log keeps it: an id of the visitor alphabet, else None.

    Refused (400) only when it is not a string of at most 128 characters (openapi.yaml: opaque);
    a string outside the alphabet is accepted and not kept.
    """
    session = payload.get("session")
    if session is None:
        return None
    if not isinstance(session, str) or len(session) > MAX_SESSION:
        raise BadRequest("session_invalid", "Поле «session» должно быть строкой до 128 символов.")
    return session if SESSION.fullmatch(session) else None
