"""Rate limits of `readings`, counted in the store so they hold across instances.

Two counters per request, written in one call:
- per account and minute (RATE_LIMIT_PER_MINUTE): nobody hammers one account;
- per client address and hour (CLIENT_LIMIT_PER_HOUR): a budget of account lookups and
  submissions; a lookup of an account that does not exist costs UNKNOWN_ACCOUNT_COST of it, so
  guessing account numbers runs out of budget long before a client's honest use does. Once the
  budget is spent every lookup is refused alike, known account or not: nothing to learn from it.

Check and charge are one step: every request adds the full cost of an unknown account in the
store's atomic increment, which returns the new count the check compares, and gives back all but
1 once the account turns out to exist (Charge.account_exists). So requests that arrive together
cannot all pass the check before any of them is charged: 300 simultaneous guesses get at most
budget / UNKNOWN_ACCOUNT_COST answers.

Counter keys are HMAC-SHA256 of the account or address under LIMITS_SECRET (see limits_key), so
the store holds nothing that enumeration of accounts or addresses can reverse without the secret.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from spravka.config import Settings, sqlite_path
from spravka.errors import StoreUnavailable, TooManyRequests
from spravka.masking import mask_accounts
from spravka.store.base import Counter, ReadingStore

log = logging.getLogger(__name__)

ACCOUNT_WINDOW_SECONDS = 60
CLIENT_WINDOW_SECONDS = 3600
UNKNOWN_ACCOUNT_COST = 10
ACCOUNT_LIMITED = "Слишком много попыток для этого лицевого счёта. Повторите через минуту."
CLIENT_LIMITED = "Слишком много запросов с вашего адреса. Повторите позже."


def limits_key(settings: Settings) -> bytes:
    """The HMAC key of the counters: LIMITS_SECRET, else one generated for this store (see docs/security.md)."""
    return _key(settings.limits_secret, settings.readings_store)


@functools.cache
def _key(secret: str, store: str) -> bytes:
    if secret:
        return secret.encode()
    path = sqlite_path(store)
    if path is None or path in ("", ":memory:"):
        # Firestore without LIMITS_SECRET: each instance has its own key, so limits count per
        # instance. Production sets LIMITS_SECRET (docs/operators.md).
        log.warning("LIMITS_SECRET is not set: rate-limit counters use a key of this instance only")
        return secrets.token_bytes(32)
    try:
        return _stored_key(Path(path + ".limits-secret"))
    except OSError as error:  # beside a store that cannot open: the request gets the store's 503
        log.warning("cannot keep the limits key beside the store: %s", error)
        raise StoreUnavailable() from error


def _stored_key(file: Path) -> bytes:
    """The key kept beside the SQLite file, created once (atomically: the first writer wins)."""
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        draft = file.with_name(f"{file.name}.{os.getpid()}.{secrets.token_hex(4)}")
        draft.write_text(secrets.token_hex(32), encoding="ascii")
        draft.chmod(0o600)
        try:
            os.link(draft, file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return file.read_text(encoding="ascii").strip().encode()


def _counter(kind: str, subject: str, second: int, window_seconds: int, amount: int, key: bytes) -> Counter:
    # Keys are keyed hashes: the store keeps no account number or address, nor a hash one can reverse.
    digest = hmac.new(key, f"{kind}:{subject}".encode(), hashlib.sha256).hexdigest()[:32]
    return Counter(f"{kind}:{digest}", second // window_seconds, window_seconds, amount)


@dataclasses.dataclass
class Charge:
    """What enforce_limits charged; account_exists() gives back the reserve for an unknown account."""

    store: ReadingStore
    refund: Counter | None = None

    def account_exists(self) -> None:
        """The account is known: it costs 1 of the client's budget, not UNKNOWN_ACCOUNT_COST (once)."""
        if self.refund is not None:
            refund, self.refund = self.refund, None
            self.store.count_attempts([refund])


def enforce_limits(
    store: ReadingStore, *, account: str, client: str | None, settings: Settings, now: datetime.datetime
) -> Charge:
    """Charge this request to the account and the client; 429 with Retry-After past either limit.

    The client is charged the cost of an unknown account in the same atomic increment the check
    reads; the caller calls account_exists() on the result once the account is found.
    client None (a call from outside HTTP: CLI, benchmarks) counts the account only.
    """
    second = int(now.timestamp())
    key = limits_key(settings)
    counters = [_counter("account", account, second, ACCOUNT_WINDOW_SECONDS, 1, key)]
    charge = Charge(store)
    if client is not None:
        counters.append(_counter("client", client, second, CLIENT_WINDOW_SECONDS, UNKNOWN_ACCOUNT_COST, key))
        charge.refund = _counter("client", client, second, CLIENT_WINDOW_SECONDS, 1 - UNKNOWN_ACCOUNT_COST, key)
    by_account, *by_client = store.count_attempts(counters)
    if by_client and by_client[0] > settings.client_limit_per_hour:
        log.info("client limit reached (account %s)", mask_accounts(account))
        raise TooManyRequests(
            "client_rate_limited", CLIENT_LIMITED, retry_after=CLIENT_WINDOW_SECONDS - second % CLIENT_WINDOW_SECONDS
        )
    if by_account > settings.rate_limit_per_minute:
        charge.account_exists()  # refused before the lookup: the client is charged 1, as before
        log.info("attempt limit reached for account %s", mask_accounts(account))
        raise TooManyRequests(
            "too_many_attempts", ACCOUNT_LIMITED, retry_after=ACCOUNT_WINDOW_SECONDS - second % ACCOUNT_WINDOW_SECONDS
        )
    return charge
