"""FirestoreAppealStore: appeals/{number}, appeal_keys/{id}, appeal_mail/{id}; one atomic batch per change.

Every change reads by document id and commits a batch guarded by preconditions (optimistic
concurrency, docs/firestore.md): the number's uniqueness and the key's are create() preconditions,
a change of an appeal or a mail lease an update-time one.
Imported only when READINGS_STORE=firestore.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from google.cloud.firestore_v1.base_query import FieldFilter

from spravka.appeals.base import Change, CreateKey, NumberTaken, replayed
from spravka.appeals.model import Appeal, Event, Mail, appeal_from_doc, appeal_to_doc, mail_events
from spravka.appeals.validate import NOT_FOUND
from spravka.errors import NotFound
from spravka.store.firestore import FirestoreStore
from spravka.store.firestore_calls import call, commit_unless_changed, read_by_id

T = TypeVar("T")


class FirestoreAppealStore(FirestoreStore):
    """An AppealStore over Cloud Firestore (or its emulator), beside the readings' collections."""

    def _ref(self, collection: str, document: str) -> Any:
        return self.client.collection(collection).document(document)

    def create(self, appeal: Appeal, key: CreateKey) -> tuple[Appeal, bool]:
        key_ref = self._ref("appeal_keys", key.idempotency_id)
        appeal_ref = self._ref("appeals", appeal.number)

        def attempt(batch: Any) -> tuple[Appeal, bool]:
            found = read_by_id(self.client, [key_ref, appeal_ref])
            known, taken = found[key_ref.path], found[appeal_ref.path]
            if known.exists:
                replayed(key, known.get("fingerprint"))
                first = call(self._ref("appeals", known.get("number")).get)
                return appeal_from_doc(first.to_dict()), False
            if taken.exists:
                raise NumberTaken(appeal.number)
            # create() fails if either exists by the commit: the batch is then read and decided again.
            batch.create(appeal_ref, appeal_to_doc(appeal))
            batch.create(key_ref, {"fingerprint": key.fingerprint, "number": appeal.number})
            self._owe_mail(batch, (), appeal)
            return appeal, True

        with self._queued(key_ref.path):
            return commit_unless_changed(self.client, attempt, deadline=self.contention_timeout)

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
        """Read one document, then commit a batch only if it is unchanged since; reread and redo otherwise."""
        with self._queued(ref.path):
            return commit_unless_changed(
                self.client, lambda batch: write(call(ref.get), batch), deadline=self.contention_timeout
            )

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
