"""FirestoreAppealStore: appeals/{number}, appeal_keys/{id}, appeal_mail/{id}; one transaction per change.

Every read inside a transaction is by document id (a query there would lock the collection in
the emulator, docs/firestore.md); the number's uniqueness and the key's are create() preconditions.
Imported only when READINGS_STORE=firestore.
"""

from __future__ import annotations

import random
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from google.api_core import exceptions
from google.cloud.firestore_v1.base_query import FieldFilter

from spravka.appeals.base import Change, CreateKey, NumberTaken, replayed
from spravka.appeals.model import Appeal, Event, Mail, appeal_from_doc, appeal_to_doc, mail_events
from spravka.appeals.validate import NOT_FOUND
from spravka.errors import NotFound, StoreUnavailable
from spravka.store.firestore import LOCK_STRIPES, FirestoreStore
from spravka.store.firestore_calls import CALL, call, raise_unavailable, run_transaction

T = TypeVar("T")


def call_once(function: Callable[..., T]) -> T:
    """A commit with CALL's timeout and no retry of its own; contention is the caller's to retry."""
    try:
        return function(retry=None, timeout=CALL["timeout"])
    except (exceptions.FailedPrecondition, exceptions.Aborted, exceptions.AlreadyExists):
        raise
    except Exception as error:
        raise_unavailable(error)
        raise


class FirestoreAppealStore(FirestoreStore):
    """An AppealStore over Cloud Firestore (or its emulator), beside the readings' collections."""

    def _ref(self, collection: str, document: str) -> Any:
        return self.client.collection(collection).document(document)

    @contextmanager
    def _queued(self, path: str) -> Iterator[None]:
        """Changes to one document queue within the instance instead of contending in Firestore."""
        lock = self._locks[zlib.crc32(path.encode()) % LOCK_STRIPES]
        if not lock.acquire(timeout=self.contention_timeout):
            raise StoreUnavailable()
        try:
            yield
        finally:
            lock.release()

    def create(self, appeal: Appeal, key: CreateKey) -> tuple[Appeal, bool]:
        key_ref = self._ref("appeal_keys", key.idempotency_id)
        appeal_ref = self._ref("appeals", appeal.number)

        def body(transaction: Any) -> tuple[Appeal, bool]:
            snapshots = {s.reference.path: s for s in transaction.get_all([key_ref, appeal_ref], **CALL)}
            known, taken = snapshots[key_ref.path], snapshots[appeal_ref.path]
            if known.exists:
                replayed(key, known.get("fingerprint"))
                first = self._ref("appeals", known.get("number")).get(transaction=transaction, **CALL)
                return appeal_from_doc(first.to_dict()), False
            if taken.exists:
                raise NumberTaken(appeal.number)
            transaction.create(appeal_ref, appeal_to_doc(appeal))
            transaction.create(key_ref, {"fingerprint": key.fingerprint, "number": appeal.number})
            self._owe_mail(transaction, (), appeal)
            return appeal, True

        with self._queued(key_ref.path):
            return run_transaction(self.client, body, attempts=self.attempts, deadline=self.contention_timeout)

    def _owe_mail(self, writes: Any, before: tuple[Event, ...], after: Appeal) -> None:
        for mail in mail_events(before, after):
            writes.create(
                self._ref("appeal_mail", mail.id),
                {"number": mail.number, "event": mail.event, "sent": False, "lease_until": 0.0, "attempts": 0,
                 "created": after.history[mail.event].at},
            )  # fmt: skip

    def appeal(self, number: str) -> Appeal | None:
        snapshot = call(self._ref("appeals", number).get)
        return appeal_from_doc(snapshot.to_dict()) if snapshot.exists else None

    def change(self, number: str, change: Change) -> Appeal:
        ref = self._ref("appeals", number)

        def write(snapshot: Any, batch: Any) -> Appeal:
            if not snapshot.exists:
                raise NotFound("appeal_not_found", NOT_FOUND)
            before = appeal_from_doc(snapshot.to_dict())
            after = change(before)
            batch.update(
                ref, appeal_to_doc(after), option=self.client.write_option(last_update_time=snapshot.update_time)
            )
            self._owe_mail(batch, before.history, after)
            return after

        return self._read_then_write(ref, write)

    def _read_then_write(self, ref: Any, write: Callable[[Any, Any], T]) -> T:
        """Read one document, then commit a batch only if it is unchanged since; reread and redo otherwise.

        Optimistic rather than a transaction: the emulator's transactions on one document livelock
        under parallel load, while an update-time precondition lets every writer through in turn
        (docs/firestore.md); production gets the same guarantee. The batch is atomic.
        """
        give_up = time.monotonic() + self.contention_timeout
        delay = 0.02
        with self._queued(ref.path):
            while True:
                snapshot = call(ref.get)
                batch = self.client.batch()
                result = write(snapshot, batch)
                if not batch._write_pbs:  # noqa: SLF001 - nothing to write
                    return result
                try:
                    call_once(batch.commit)
                    return result
                except (exceptions.FailedPrecondition, exceptions.Aborted, exceptions.AlreadyExists):
                    if time.monotonic() + delay > give_up:
                        raise StoreUnavailable() from None
                time.sleep(random.uniform(delay / 2, delay))
                delay = min(delay * 2, 0.5)

    def appeals(self, status: str | None = None) -> list[Appeal]:
        query: Any = self.client.collection("appeals")
        if status is not None:
            query = query.where(filter=FieldFilter("status", "==", status))
        found = [appeal_from_doc(s.to_dict()) for s in call(lambda **kw: list(query.stream(**kw)))]
        return sorted(found, key=lambda appeal: (appeal.registered_at, appeal.number))

    def pending_mail(self, limit: int = 100) -> list[Mail]:
        query = self.client.collection("appeal_mail").where(filter=FieldFilter("sent", "==", False))
        snapshots = call(lambda **kw: list(query.stream(**kw)))
        pending = sorted(snapshots, key=lambda s: (s.get("created"), s.id))[:limit]
        return [Mail(s.id, s.get("number"), int(s.get("event"))) for s in pending]

    def lease_mail(self, mail_id: str, *, now: float, until: float) -> bool:
        ref = self._ref("appeal_mail", mail_id)

        def write(snapshot: Any, batch: Any) -> bool:
            if not snapshot.exists or snapshot.get("sent") or snapshot.get("lease_until") > now:
                return False
            option = self.client.write_option(last_update_time=snapshot.update_time)
            batch.update(ref, {"lease_until": until, "attempts": snapshot.get("attempts") + 1}, option=option)
            return True

        return self._read_then_write(ref, write)

    def mark_sent(self, mail_id: str, *, at: str) -> None:
        call(self._ref("appeal_mail", mail_id).update, {"sent": True, "sent_at": at})
