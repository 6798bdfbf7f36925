"""GET /readings?account=…: the account's meters without values; the per-account attempts limit of both methods."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from typing import Any

from spravka.config import Settings
from spravka.errors import NotFound, TooManyRequests
from spravka.readings.validate import mask_account, parse_account
from spravka.store.base import ReadingStore
from spravka.store.model import MeterState

log = logging.getLogger(__name__)

ACCOUNT_UNKNOWN = "Лицевой счёт (account) не найден. Проверьте номер."
ATTEMPT_WINDOW_SECONDS = 60


def enforce_attempt_limit(store: ReadingStore, account: str, *, limit: int, now: datetime.datetime) -> None:
    """Count this attempt in the store (so it holds across instances); 429 past `limit` a minute."""
    second = int(now.timestamp())
    count = store.count_attempt(account, second // ATTEMPT_WINDOW_SECONDS, window_seconds=ATTEMPT_WINDOW_SECONDS)
    if count > limit:
        log.info("attempt limit reached for account %s", mask_account(account))
        raise TooManyRequests("too_many_attempts",
                              "Слишком много попыток для этого лицевого счёта. Повторите через минуту.",
                              retry_after=ATTEMPT_WINDOW_SECONDS - second % ATTEMPT_WINDOW_SECONDS)


def account_meters(store: ReadingStore, account: str) -> list[MeterState]:
    """The account's meters; 404 when the utility has none for it."""
    states = store.meters(account)
    if not states:
        raise NotFound("account_unknown", ACCOUNT_UNKNOWN)
    return states


def list_meters(store: ReadingStore, payload: Mapping[str, Any], *, settings: Settings,
                now: datetime.datetime | None = None) -> dict[str, object]:
    """The contract's meter list: id, resource, unit, zones, serial_tail, last_date; the account masked."""
    account = parse_account(payload.get("account"))
    enforce_attempt_limit(store, account, limit=settings.rate_limit_per_minute, now=now or datetime.datetime.now(datetime.UTC))
    return {
        "account": mask_account(account),
        "meters": [
            {
                "id": state.meter.meter,
                "resource": state.meter.resource,
                "unit": state.meter.unit,
                "zones": list(state.meter.zones),
                "serial_tail": state.meter.serial[-4:],
                "last_date": state.last.date,
            }
            for state in account_meters(store, account)
        ],
    }
