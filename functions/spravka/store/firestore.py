"""FirestoreStore: accounts/{id}/meters/{meter}/readings/{id}; one atomic batch per submission.

The meter document carries the last reading, read by id; the submission's batch commits only if
the meter is unchanged since (an update-time precondition) and creates the idempotency record on
a deterministic id, so two writers never both succeed on the same state (optimistic concurrency,
docs/firestore.md).
Imported only when READINGS_STORE=firestore.
"""

from __future__ import annotations

import datetime
import threading
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from spravka.errors import NotFound, StoreUnavailable
from spravka.store.base import METER_UNKNOWN, Compute, Counter, Update, is_stale, replay
from spravka.store.codec import meter_state_from_doc, meter_state_to_doc, reading_from_doc, reading_to_doc
from spravka.store.firestore_calls import CALL, call, commit_unless_changed, read_by_id, run_transaction
from spravka.store.model import MeterState, Reading, Recorded, RecordKey, stable_id

LOCK_STRIPES = 64


class FirestoreStore:
    """A ReadingStore over Cloud Firestore (or its emulator when FIRESTORE_EMULATOR_HOST is set)."""

    def __init__(
        self,
        client: firestore.Client | None = None,
        *,
        project: str | None = None,
        attempts: int = 3,
        contention_timeout: float = 10.0,
    ) -> None:
        self.client = client or firestore.Client(project=project)
        self.attempts = attempts
        self.contention_timeout = contention_timeout
        # Submissions to one meter queue here within an instance instead of contending in Firestore;
        # across instances the transaction alone serialises them.
        self._locks = [threading.Lock() for _ in range(LOCK_STRIPES)]

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

    def _meter_ref(self, account: str, meter: str) -> Any:
        return self._meters(account).document(meter)

    def _meters(self, account: str) -> Any:
        return self.client.collection("accounts").document(stable_id("account", account)).collection("meters")

    def meters(self, account: str) -> list[MeterState]:
        snapshots = call(lambda **kw: list(self._meters(account).stream(**kw)))
        return [meter_state_from_doc(snapshot.to_dict()) for snapshot in snapshots]

    def record(self, key: RecordKey, compute: Compute) -> Recorded:
        meter_ref = self._meter_ref(key.account, key.meter)
        idempotency_ref = self.client.collection("idempotency").document(key.idempotency_id)

        def attempt(batch: Any) -> Recorded:
            found = read_by_id(self.client, [idempotency_ref, meter_ref])
            known, meter = found[idempotency_ref.path], found[meter_ref.path]
            state = meter_state_from_doc(meter.to_dict()) if meter.exists else None
            if known.exists and not is_stale(key, known.get("reading_id"), state):
                return replay(key, known.get("fingerprint"), known.get("receipt"))
            if state is None:
                raise NotFound("meter_unknown", METER_UNKNOWN)
            outcome = compute(state)
            reading = outcome.reading
            batch.create(meter_ref.collection("readings").document(reading.reading_id), reading_to_doc(reading))
            unchanged = self.client.write_option(last_update_time=meter.update_time)
            batch.update(meter_ref, meter_state_to_doc(outcome.state), option=unchanged)
            record = {
                "fingerprint": key.fingerprint,
                "reading_id": reading.reading_id,
                "receipt": dict(outcome.receipt),
            }
            if known.exists:  # a stale values record (is_stale) now names the new reading
                batch.update(
                    idempotency_ref, record, option=self.client.write_option(last_update_time=known.update_time)
                )
            else:
                batch.create(idempotency_ref, record)
            return Recorded(outcome.receipt, created=True)

        with self._queued(meter_ref.path):
            return commit_unless_changed(self.client, attempt, deadline=self.contention_timeout)

    def count_attempts(self, counters: Sequence[Counter]) -> list[int]:
        # Blind increments in one batch, not a transaction (counters must not contend); the commit
        # returns each incremented value, so one call counts and reads atomically. One document per
        # key and window: no document is shared by all clients. expires_at is for a TTL policy.
        batch = self.client.batch()
        for counter in counters:
            ref = self.client.collection("attempts").document(f"{stable_id('attempts', counter.key)}-{counter.window}")
            expires = datetime.datetime.fromtimestamp((counter.window + 2) * counter.window_seconds, datetime.UTC)
            batch.set(ref, {"count": firestore.Increment(counter.amount), "expires_at": expires}, merge=True)
        results = call(batch.commit)
        return [int(result.transform_results[0].integer_value) for result in results]

    def import_meters(self, updates: Mapping[tuple[str, str], Update]) -> int:
        refs = {key: self._meter_ref(*key) for key in updates}

        def body(transaction: Any) -> int:
            by_path = {
                snapshot.reference.path: snapshot for snapshot in transaction.get_all(list(refs.values()), **CALL)
            }
            changed = 0
            for key, update in updates.items():
                snapshot = by_path[refs[key].path]
                change = update(meter_state_from_doc(snapshot.to_dict()) if snapshot.exists else None)
                if change is None:
                    continue
                if change.baseline is not None:
                    baseline = change.baseline
                    transaction.set(
                        refs[key].collection("readings").document(baseline.reading_id), reading_to_doc(baseline)
                    )
                transaction.set(refs[key], meter_state_to_doc(change.state))
                changed += 1
            return changed

        if not refs:
            return 0
        return run_transaction(self.client, body, attempts=self.attempts, deadline=self.contention_timeout)

    def readings(self, period: str) -> list[Reading]:
        query = self.client.collection_group("readings").where(filter=FieldFilter("period", "==", period))
        readings = [reading_from_doc(snapshot.to_dict()) for snapshot in call(lambda **kw: list(query.stream(**kw)))]
        return sorted(readings, key=lambda reading: (reading.account, reading.meter, reading.seq))

    def history(self, account: str, meter: str) -> list[Reading]:
        query = self._meter_ref(account, meter).collection("readings").order_by("seq")
        return [reading_from_doc(snapshot.to_dict()) for snapshot in call(lambda **kw: list(query.stream(**kw)))]

    def close(self) -> None:
        self.client.close()
