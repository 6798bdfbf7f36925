"""How the Firestore store calls Firestore: explicit retry and timeout on every call, bounded contention.

Imported only when READINGS_STORE=firestore (it imports google.cloud).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from google.api_core import exceptions
from google.api_core import retry as retries
from google.cloud.firestore_v1.transaction import Transaction, transactional

from spravka.errors import StoreUnavailable

log = logging.getLogger(__name__)

T = TypeVar("T")

CALL_TIMEOUT = 5.0  # seconds, per RPC
TRANSIENT = (
    exceptions.ServiceUnavailable,
    exceptions.DeadlineExceeded,
    exceptions.InternalServerError,
    exceptions.ResourceExhausted,
)
# The library's defaults retry for 60-300 s, which an HTTP function cannot wait for; 3 s rides out a
# blip (gRPC reconnects within that) and then the caller gets 503 and may retry safely.
CALL_RETRY = retries.Retry(
    predicate=retries.if_exception_type(*TRANSIENT), initial=0.1, maximum=1.0, multiplier=2.0, timeout=3.0
)
CALL: dict[str, Any] = {"retry": CALL_RETRY, "timeout": CALL_TIMEOUT}
# Failures after which nothing was written and a retry may succeed: the contract's 503.
UNAVAILABLE = (*TRANSIENT, exceptions.Aborted, exceptions.Unknown, exceptions.Cancelled, exceptions.RetryError)


class BoundedTransaction(Transaction):
    """A Transaction whose begin, commit and rollback carry CALL_RETRY and CALL_TIMEOUT.

    The library gives these three calls no retry/timeout parameters and falls back to a
    60 s retry (with the store down a transaction then fails after ~50 s with a misleading
    ValueError). These overrides repeat the library's own bodies (pinned 2.34.1) with ours.
    """

    def _begin(self, retry_id: bytes | None = None) -> None:
        if self.in_progress:
            raise ValueError(f"The transaction has already begun. Current transaction ID: {self._id!r}.")
        response = self._client._firestore_api.begin_transaction(
            request={"database": self._client._database_string, "options": self._options_protobuf(retry_id)},
            metadata=self._client._rpc_metadata,
            **CALL,
        )
        self._id = response.transaction

    def _commit(self) -> list[Any]:
        if not self.in_progress:
            raise ValueError("The transaction has no transaction ID, so it cannot be committed.")
        response = self._client._firestore_api.commit(
            request={"database": self._client._database_string, "writes": self._write_pbs, "transaction": self._id},
            metadata=self._client._rpc_metadata,
            **CALL,
        )
        self._clean_up()
        self.write_results = list(response.write_results)
        self.commit_time = response.commit_time
        return self.write_results

    def _rollback(self) -> None:
        # A failed rollback must not hide the error that caused it; its locks would block the
        # meter until the transaction expires, so it is retried before this client's next transaction.
        transaction_id = self._id  # set while in progress
        try:
            if self.in_progress and transaction_id is not None:
                _roll_back(self._client, transaction_id)
        except exceptions.GoogleAPICallError as error:
            log.warning("firestore rollback failed (%s); retried later", type(error).__name__)
            with _abandoned_lock:
                if transaction_id is not None:
                    _abandoned.append((self._client, transaction_id))
                del _abandoned[:-MAX_ABANDONED]
        finally:
            self._clean_up()


MAX_ABANDONED = 100
_abandoned: list[tuple[Any, bytes]] = []
_abandoned_lock = threading.Lock()


def _roll_back(client: Any, transaction_id: bytes) -> None:
    client._firestore_api.rollback(
        request={"database": client._database_string, "transaction": transaction_id},
        metadata=client._rpc_metadata,
        retry=None,
        timeout=CALL_TIMEOUT,
    )


def release_abandoned(client: Any) -> None:
    """Roll back this client's transactions whose rollback failed earlier (best effort), freeing their locks."""
    with _abandoned_lock:
        pending = [item for item in _abandoned if item[0] is client]
    for item in pending:
        try:
            _roll_back(*item)
        except exceptions.GoogleAPICallError as error:
            if not isinstance(error, exceptions.InvalidArgument | exceptions.NotFound | exceptions.FailedPrecondition):
                return  # still unreachable: keep it for next time
        with _abandoned_lock:
            if item in _abandoned:
                _abandoned.remove(item)


def _contended(error: BaseException) -> bool:
    """Aborted by a concurrent transaction (directly, or as the library's 'failed in N attempts')."""
    if isinstance(error, exceptions.Aborted | exceptions.AlreadyExists):
        return True
    return isinstance(error, ValueError) and isinstance(error.__cause__, exceptions.Aborted)


def run_transaction(client: Any, body: Callable[[Transaction], T], *, attempts: int, deadline: float) -> T:
    """Run body in a transaction (the library retries aborted commits); back off and rerun on contention.

    Raises StoreUnavailable when Firestore cannot be reached or the contention outlasts `deadline` seconds.
    AlreadyExists counts as contention: another instance created the same idempotency record, and
    the rerun finds it and replays it.
    """
    release_abandoned(client)
    pauses = backoff(deadline, first=0.05, longest=1.0)
    wrapped = transactional(body)
    while True:
        try:
            return wrapped(BoundedTransaction(client, max_attempts=attempts))
        except Exception as error:
            if not _contended(error):
                raise_unavailable(error)
            pause = next(pauses, None)
            if pause is None:
                log.warning("firestore transaction still contended after %.1f s", deadline)
                raise StoreUnavailable() from error
        time.sleep(pause)


def backoff(deadline: float, *, first: float, longest: float) -> Iterator[float]:
    """Jittered pauses between reruns, doubling from `first` to `longest`; none once `deadline` seconds would pass."""
    give_up = time.monotonic() + deadline
    delay = first
    while time.monotonic() + delay <= give_up:
        yield random.uniform(delay / 2, delay)
        delay = min(delay * 2, longest)


# A write's precondition failed: another writer changed (or created) a document since it was read.
CONFLICT = (exceptions.FailedPrecondition, exceptions.Aborted, exceptions.AlreadyExists)


def read_by_id(client: Any, refs: list[Any]) -> dict[str, Any]:
    """Snapshots of documents by id (outside any transaction), keyed by path; a missing one has exists False."""
    snapshots = call(lambda **kw: list(client.get_all(refs, **kw)))
    return {snapshot.reference.path: snapshot for snapshot in snapshots}


def commit_unless_changed(client: Any, attempt: Callable[[Any], T], *, deadline: float) -> T:
    """Optimistic concurrency: read, decide, commit a batch guarded by preconditions; on conflict do it all again.

    `attempt(batch)` reads what it needs by id, adds its writes to the batch, each guarded by a
    precondition (create() for a document that must not exist yet, an update-time option for one
    it read), and returns its result. The batch commits atomically or not at all; when another
    writer got there first, the attempt runs again on fresh reads, with jittered backoff, for up to
    `deadline` seconds, then StoreUnavailable (nothing written, a retry is safe).

    Preferred over a transaction for one contended document: transactions lock pessimistically
    (the emulator's livelock under parallel load across instances, docs/firestore.md), while
    preconditions let every writer through in turn.
    """
    pauses = backoff(deadline, first=0.02, longest=0.5)
    while True:
        batch = client.batch()
        result = attempt(batch)
        if not batch._write_pbs:  # noqa: SLF001 - nothing to write (a replay, a refusal)
            return result
        try:
            batch.commit(retry=None, timeout=CALL_TIMEOUT)
            return result
        except CONFLICT:
            pause = next(pauses, None)
            if pause is None:
                log.warning("firestore writes still conflicting after %.1f s", deadline)
                raise StoreUnavailable() from None
        except Exception as error:
            raise_unavailable(error)
            raise  # unreachable: raise_unavailable always raises
        time.sleep(pause)


def raise_unavailable(error: Exception) -> None:
    """Re-raise a Firestore failure as StoreUnavailable; anything else (ApiError, bugs) as it is."""
    if isinstance(error, UNAVAILABLE):
        log.warning("firestore unavailable: %s", type(error).__name__)
        raise StoreUnavailable() from error
    raise error


def call(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a Firestore method with CALL_RETRY/CALL_TIMEOUT, mapping failures to StoreUnavailable."""
    try:
        return function(*args, **CALL, **kwargs)
    except Exception as error:
        raise_unavailable(error)
        raise  # unreachable: raise_unavailable always raises
