"""The per-account attempts limit, counted in the store so it holds across function instances."""

from __future__ import annotations

import datetime
import logging

from spravka.errors import TooManyRequests
from spravka.readings.validate import mask_account
from spravka.store.base import ReadingStore

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60


def enforce_attempt_limit(store: ReadingStore, account: str, *, limit: int, now: datetime.datetime) -> None:
    """Count this attempt; 429 with Retry-After when the account made more than `limit` this minute."""
    second = int(now.timestamp())
    count = store.count_attempt(account, second // WINDOW_SECONDS, window_seconds=WINDOW_SECONDS)
    if count > limit:
        log.info("attempt limit reached for account %s", mask_account(account))
        raise TooManyRequests("too_many_attempts",
                              "Слишком много попыток для этого лицевого счёта. Повторите через минуту.",
                              retry_after=WINDOW_SECONDS - second % WINDOW_SECONDS)
