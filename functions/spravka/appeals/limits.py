"""Rate limits of `appeals`, counted in the store (readings/limits.py's keyed, one-step counters).

- creating: per client address and hour, and per contact (each e-mail and phone) and day;
- looking up a status: per client address and hour, where a miss (wrong number or secret) costs
  MISS_COST and a hit gives all but 1 back: guessing secrets runs out of budget long before honest
  use does. Check and charge are one atomic increment, as for readings.

Counter keys are HMAC-SHA256 under the limits key, so the store keeps no address or contact in them.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import hmac

from spravka.appeals.base import AppealStore
from spravka.config import Settings
from spravka.errors import TooManyRequests
from spravka.readings.limits import limits_key
from spravka.store.base import Counter

CLIENT_CREATES_PER_HOUR = 10
CONTACT_CREATES_PER_DAY = 5
CLIENT_LOOKUPS_PER_HOUR = 60
MISS_COST = 10
HOUR, DAY = 3600, 86400
CLIENT_LIMITED = "Слишком много обращений с вашего адреса. Повторите позже."
CONTACT_LIMITED = "С этими контактами сегодня уже отправлено много обращений. Повторите завтра или позвоните нам."
LOOKUPS_LIMITED = "Слишком много проверок обращений с вашего адреса. Повторите позже."


def _counter(kind: str, subject: str, second: int, window: int, amount: int, key: bytes) -> Counter:
    digest = hmac.new(key, f"{kind}:{subject}".encode(), hashlib.sha256).hexdigest()[:32]
    return Counter(f"{kind}:{digest}", second // window, window, amount)


def _refuse(code: str, message: str, second: int, window: int) -> TooManyRequests:
    return TooManyRequests(code, message, retry_after=window - second % window)


def limit_creates(
    store: AppealStore, *, client: str, contacts: list[str], settings: Settings, now: datetime.datetime
) -> None:
    """429 when the client or any of the contacts has sent too many appeals."""
    second, key = int(now.timestamp()), limits_key(settings)
    counters = [_counter("appeal-client", client, second, HOUR, 1, key)]
    counters += [_counter("appeal-contact", contact.lower(), second, DAY, 1, key) for contact in contacts]
    by_client, *by_contact = store.count_attempts(counters)
    if by_client > CLIENT_CREATES_PER_HOUR:
        raise _refuse("appeal_client_limited", CLIENT_LIMITED, second, HOUR)
    if any(count > CONTACT_CREATES_PER_DAY for count in by_contact):
        raise _refuse("appeal_contact_limited", CONTACT_LIMITED, second, DAY)


@dataclasses.dataclass
class LookupCharge:
    """What a status lookup was charged; found() gives back all but 1 (once)."""

    store: AppealStore
    refund: Counter | None

    def found(self) -> None:
        if self.refund is not None:
            refund, self.refund = self.refund, None
            self.store.count_attempts([refund])


def limit_lookups(store: AppealStore, *, client: str, settings: Settings, now: datetime.datetime) -> LookupCharge:
    """Charge a lookup the cost of a miss; 429 once the client's hourly budget is spent."""
    second, key = int(now.timestamp()), limits_key(settings)
    (count,) = store.count_attempts([_counter("appeal-lookup", client, second, HOUR, MISS_COST, key)])
    if count > CLIENT_LOOKUPS_PER_HOUR:
        raise _refuse("appeal_lookups_limited", LOOKUPS_LIMITED, second, HOUR)
    return LookupCharge(store, _counter("appeal-lookup", client, second, HOUR, 1 - MISS_COST, key))
