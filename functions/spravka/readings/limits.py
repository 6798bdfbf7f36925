"""Rate limits of `readings`, counted in the store so they hold across instances.

Two counters per request, written in one call:
- per account and minute (RATE_LIMIT_PER_MINUTE): nobody hammers one account;
- per client address and hour (CLIENT_LIMIT_PER_HOUR): a budget of account lookups and
  submissions; a lookup of an account that does not exist costs UNKNOWN_ACCOUNT_COST of it, so
  guessing account numbers runs out of budget long before a client's honest use does. Once the
  budget is spent every lookup is refused alike, known account or not: nothing to learn from it.
"""

from __future__ import annotations

import datetime
import logging

from spravka.config import Settings
from spravka.errors import TooManyRequests
from spravka.masking import mask_accounts
from spravka.store.base import Counter, ReadingStore
from spravka.store.model import stable_id

log = logging.getLogger(__name__)

ACCOUNT_WINDOW_SECONDS = 60
CLIENT_WINDOW_SECONDS = 3600
UNKNOWN_ACCOUNT_COST = 10
ACCOUNT_LIMITED = "Слишком много попыток для этого лицевого счёта. Повторите через минуту."
CLIENT_LIMITED = "Слишком много запросов с вашего адреса. Повторите позже."


def _counter(kind: str, subject: str, second: int, window_seconds: int, amount: int = 1) -> Counter:
    # Keys are hashed: the store keeps no account number or address in clear.
    return Counter(f"{kind}:{stable_id('limit', kind, subject)}", second // window_seconds, window_seconds, amount)


def enforce_limits(store: ReadingStore, *, account: str, client: str | None, settings: Settings,
                   now: datetime.datetime) -> None:
    """Count this request for the account and the client; 429 with Retry-After past either limit.

    client None (a call from outside HTTP: CLI, benchmarks) counts the account only.
    """
    second = int(now.timestamp())
    counters = [_counter("account", account, second, ACCOUNT_WINDOW_SECONDS)]
    if client is not None:
        counters.append(_counter("client", client, second, CLIENT_WINDOW_SECONDS))
    by_account, *by_client = store.count_attempts(counters)
    if by_client and by_client[0] > settings.client_limit_per_hour:
        log.info("client limit reached (account %s)", mask_accounts(account))
        raise TooManyRequests("client_rate_limited", CLIENT_LIMITED,
                              retry_after=CLIENT_WINDOW_SECONDS - second % CLIENT_WINDOW_SECONDS)
    if by_account > settings.rate_limit_per_minute:
        log.info("attempt limit reached for account %s", mask_accounts(account))
        raise TooManyRequests("too_many_attempts", ACCOUNT_LIMITED,
                              retry_after=ACCOUNT_WINDOW_SECONDS - second % ACCOUNT_WINDOW_SECONDS)


def charge_unknown_account(store: ReadingStore, *, client: str, now: datetime.datetime) -> None:
    """A lookup of an unknown account costs the client UNKNOWN_ACCOUNT_COST in all (1 was counted already)."""
    second = int(now.timestamp())
    store.count_attempts([_counter("client", client, second, CLIENT_WINDOW_SECONDS, UNKNOWN_ACCOUNT_COST - 1)])
