"""POST /appeals: validate, limit, then one store transaction that writes the appeal, its key and its e-mail."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
from collections.abc import Mapping
from typing import Any

from spravka import clock
from spravka.appeals.base import AppealStore, CreateKey, NumberTaken
from spravka.appeals.categories import load_categories
from spravka.appeals.deadlines import deadlines, iso_instant
from spravka.appeals.limits import limit_creates
from spravka.appeals.model import REGISTERED, Appeal, Event
from spravka.appeals.number import derive_secret, new_nonce, new_number, secret_hash
from spravka.appeals.validate import Submission, parse_submission
from spravka.config import Settings, sqlite_path
from spravka.errors import StoreUnavailable
from spravka.readings.limits import limits_key
from spravka.readings.period import local_date
from spravka.store.model import stable_id

log = logging.getLogger(__name__)

NUMBER_DRAWS = 5  # a collision is one in ~600 million a month; five in a row means something else is wrong
NOT_CONFIGURED = "Приём обращений не настроен. Позвоните нам или напишите на e-mail."


def secret_key(settings: Settings) -> bytes:
    """The key appeal secrets are derived with: LIMITS_SECRET (or the SQLite store's key file), appeals' own."""
    if not settings.limits_secret and sqlite_path(settings.readings_store) in (None, "", ":memory:"):
        # A key of this instance only would put wrong secrets into later e-mails: refuse instead.
        log.error("appeals need LIMITS_SECRET on this store (docs/appeals.md)")
        raise StoreUnavailable("appeals_not_configured", NOT_CONFIGURED)
    return hmac.new(limits_key(settings), b"appeal-secrets", hashlib.sha256).digest()


def create_key(submission: Submission, day: datetime.date) -> CreateKey:
    """The client's key, or else the same submission on the same day, is one appeal."""
    fingerprint = stable_id(
        "appeal",
        submission.category.id,
        submission.text,
        submission.email.lower(),
        submission.phone,
        submission.name,
        submission.account,
        submission.question_id,
        length=32,
    )
    if submission.idempotency_key is not None:
        return CreateKey(stable_id("appeal-key", submission.idempotency_key, length=32), fingerprint)
    return CreateKey(stable_id("appeal-same", fingerprint, day.isoformat(), length=32), fingerprint)


def new_appeal(submission: Submission, now: datetime.datetime, day: datetime.date, key: bytes) -> Appeal:
    number, nonce = new_number(day), new_nonce()
    review_by, decision_by = deadlines(now, day, submission.category.decision_days)
    registered_at = iso_instant(now)
    return Appeal(
        number=number,
        category=submission.category.id,
        text=submission.text,
        email=submission.email,
        phone=submission.phone,
        name=submission.name,
        account=submission.account,
        question_id=submission.question_id,
        registered_at=registered_at,
        review_by=review_by,
        decision_by=decision_by,
        secret_hash=secret_hash(derive_secret(key, number, nonce)),
        secret_nonce=nonce,
        history=(Event(REGISTERED, registered_at),),
    )


def create_appeal(
    store: AppealStore,
    payload: Mapping[str, Any],
    *,
    settings: Settings,
    client: str | None = None,
    now: datetime.datetime | None = None,
) -> tuple[dict[str, Any], int]:
    """(the appeal with its secret, 201) for a new one, (the same, 200) for a resend.

    `client` is the caller's address for the rate limits; None outside HTTP (staff, tests): no limits.
    """
    submission = parse_submission(payload, load_categories())
    now = now or clock.now()
    key = secret_key(settings)
    if client is not None:
        contacts = [contact for contact in (submission.email, submission.phone) if contact]
        limit_creates(store, client=client, contacts=contacts, settings=settings, now=now)
    day = local_date(now, settings.timezone)
    create = create_key(submission, day)
    for _ in range(NUMBER_DRAWS):
        try:
            appeal, created = store.create(new_appeal(submission, now, day, key), create)
            break
        except NumberTaken:
            continue
    else:
        raise StoreUnavailable()
    log.info("appeal %s %s category=%s", appeal.number, "registered" if created else "replayed", appeal.category)
    body = {**appeal.public(), "secret": derive_secret(key, appeal.number, appeal.secret_nonce)}
    return body, 201 if created else 200
