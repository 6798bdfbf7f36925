"""The log in Firestore: top-level `questions` and `events`, random ids, a TTL field `expire_at`.

Imported only when READINGS_STORE=firestore, and then by the log's background writer
or the report, never on `ask`'s request path.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from spravka.questions.records import EventRecord, QuestionRecord, Record
from spravka.questions.store import EVENTS, QUESTIONS, TTL_FIELD, expiry
from spravka.store.firestore_calls import CALL

BATCH_LIMIT = 500  # Firestore's most writes in one batch


class FirestoreLogStore:
    """A LogStore over Cloud Firestore (or its emulator when FIRESTORE_EMULATOR_HOST is set)."""

    def __init__(self, client: firestore.Client | None = None, *, project: str | None = None) -> None:
        self.client = client or firestore.Client(project=project)

    def write(self, records: Sequence[Record], *, retention_days: int) -> None:
        # Plain creates in batches: records are never updated, and a random id never collides.
        for start in range(0, len(records), BATCH_LIMIT):
            batch = self.client.batch()
            for record in records[start : start + BATCH_LIMIT]:
                collection = QUESTIONS if isinstance(record, QuestionRecord) else EVENTS
                doc = {**record.to_doc(), "at": record.at, TTL_FIELD: expiry(record.at, retention_days)}
                batch.set(self.client.collection(collection).document(record.id), doc)
            batch.commit(**CALL)

    def _read(self, collection: str, since: datetime.datetime | None, until: datetime.datetime | None) -> list[Any]:
        query: Any = self.client.collection(collection)
        if since:
            query = query.where(filter=FieldFilter("at", ">=", since))
        if until:
            query = query.where(filter=FieldFilter("at", "<", until))
        snapshots = list(query.order_by("at").stream(timeout=60.0))
        return snapshots

    def questions(
        self, since: datetime.datetime | None = None, until: datetime.datetime | None = None
    ) -> list[QuestionRecord]:
        return [QuestionRecord.from_doc(s.id, s.get("at"), s.to_dict()) for s in self._read(QUESTIONS, since, until)]

    def events(
        self, since: datetime.datetime | None = None, until: datetime.datetime | None = None
    ) -> list[EventRecord]:
        return [EventRecord.from_doc(s.id, s.get("at"), s.to_dict()) for s in self._read(EVENTS, since, until)]

    def purge(self, now: datetime.datetime) -> int:
        return 0  # the TTL policy on expire_at deletes expired documents (docs/editors-loop.md)

    def close(self) -> None:
        self.client.close()
