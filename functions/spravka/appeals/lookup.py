"""POST /appeals/status: the appeal for its number and secret; a wrong number or secret is the same 404."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from spravka import clock
from spravka.appeals.base import AppealStore
from spravka.appeals.limits import limit_lookups
from spravka.appeals.number import secret_matches
from spravka.appeals.validate import NOT_FOUND, parse_lookup
from spravka.config import Settings
from spravka.errors import NotFound


def look_up(
    store: AppealStore,
    payload: Mapping[str, Any],
    *,
    settings: Settings,
    client: str | None = None,
    now: datetime.datetime | None = None,
) -> dict[str, Any]:
    """The appeal as the customer sees it (charged to the client's lookup budget first)."""
    charge = limit_lookups(store, client=client, settings=settings, now=now or clock.now()) if client else None
    number, secret = parse_lookup(payload)
    appeal = store.appeal(number)
    if appeal is None or not secret_matches(secret, appeal.secret_hash):
        raise NotFound("appeal_not_found", NOT_FOUND)
    if charge is not None:
        charge.found()
    return {**appeal.public(), "secret": secret}  # the same shape as the 201 (contract §7: "the appeal as above")
