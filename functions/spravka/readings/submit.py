"""POST /readings: validate, limit attempts, then one store transaction around the pure computation."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import logging
from collections.abc import Mapping
from typing import Any, cast

from spravka import clock
from spravka.config import Settings
from spravka.errors import BadRequest, NotFound
from spravka.masking import mask_accounts
from spravka.readings.consumption import AlreadyAccepted, Context, compute, repeat_receipt
from spravka.readings.limits import Charge, enforce_limits
from spravka.readings.meters import account_meters
from spravka.readings.period import billing_period, local_date
from spravka.readings.validate import Submission, parse_submission
from spravka.store.base import ReadingStore
from spravka.store.model import Recorded, RecordKey, canonical_values, stable_id

log = logging.getLogger(__name__)


def record_key(submission: Submission, meter: str, period: str) -> RecordKey:
    """The idempotency id: the client's key, or else the same values for the same meter and period."""
    values = canonical_values(submission.values)
    fingerprint = stable_id("fingerprint", meter, values, length=32)
    if submission.idempotency_key is not None:
        idempotency_id = stable_id("key", submission.account, submission.idempotency_key, length=32)
        return RecordKey(submission.account, meter, idempotency_id, fingerprint)
    idempotency_id = stable_id("values", submission.account, meter, period, values, length=32)
    return RecordKey(submission.account, meter, idempotency_id, fingerprint, by_values=True)


def choose_meter(store: ReadingStore, submission: Submission, charge: Charge) -> str:
    """The meter id: as given, or the account's only meter (404 unknown account, 400 if there are several)."""
    if submission.meter is not None:
        return submission.meter  # checked inside the transaction, which reads the meter anyway
    states = account_meters(store, submission.account, charge)
    if len(states) > 1:
        raise BadRequest(
            "meter_required", "На лицевом счёте несколько счётчиков: выберите, для какого передаёте показания."
        )
    return states[0].meter.meter


def submit(
    store: ReadingStore,
    payload: Mapping[str, Any],
    *,
    settings: Settings,
    client: str | None = None,
    now: datetime.datetime | None = None,
) -> tuple[Mapping[str, object], int]:
    """(receipt, 201) for a new reading, (the first receipt, 200) for a resent one.

    `client` is the caller's address for the per-client limit; None outside HTTP (no client limit).
    """
    submission = parse_submission(payload)
    now = now or clock.now()
    charge = enforce_limits(store, account=submission.account, client=client, settings=settings, now=now)
    meter = choose_meter(store, submission, charge)
    day = local_date(now, settings.timezone)
    period, timing = billing_period(day, settings.readings_window)
    key = record_key(submission, meter, period)
    context = Context(
        reading_id=stable_id("reading", key.idempotency_id),
        taken_at=now.astimezone(datetime.UTC),
        date=day,
        period=period,
        timing=timing,
        window=settings.readings_window,
    )
    try:
        recorded = store.record(key, functools.partial(compute, submission=submission, context=context))
    except NotFound:
        account_meters(store, submission.account, charge)  # 404 account_unknown when the account has no meters at all
        raise
    except AlreadyAccepted as repeat:  # the same values under a new key: the reading there is, nothing written
        recorded = Recorded(repeat.receipt, created=False)
        key = dataclasses.replace(key, by_values=True)
    charge.account_exists()
    receipt = recorded.receipt
    if not recorded.created and key.by_values:  # not a retry of the client's own key: say it was already there
        receipt = repeat_receipt(receipt, settings.timezone)
    flags = cast("list[Mapping[str, object]]", receipt.get("flags", []))
    log.info(
        "reading %s account=%s meter=%s period=%s source=%s flags=%s",
        "accepted" if recorded.created else "replayed",
        mask_accounts(submission.account),
        meter,
        receipt.get("period"),
        submission.source,
        [flag["code"] for flag in flags],
    )
    return receipt, 201 if recorded.created else 200
