"""The question log's writer: a queue per store and the background thread that drains it in batches.

Nothing here may fail an answer: a full queue or a store fault drops records (counted and
logged), never raises. The queues are flushed at exit (atexit runs on a normal exit, on
SIGTERM in `spravka serve` and in gunicorn's workers, which leave through SystemExit).
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import logging
import threading
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING

from spravka.config import Settings
from spravka.questions.asked import Asked, Queued
from spravka.questions.records import Record

if TYPE_CHECKING:
    from spravka.questions.store import LogStore

log = logging.getLogger(__name__)

MAX_QUEUE = 20_000  # records waiting at most; beyond that new ones are dropped (a stalled store)
BATCH = 400  # records per write at most
LINGER = 0.2  # seconds between the writer's looks at the queue: records gather into a batch
MIN_LINGER = 0.01  # a writer told not to linger still sleeps between looks (no busy loop)


class LogWriter:
    """A queue and the thread that drains it into a LogStore, opened lazily in that thread.

    The queue is a deque: `put` is one append (no lock, no wake-up), which keeps the
    cost of logging on ask's request thread near zero; the writer looks every `linger`
    seconds and writes what gathered, in batches. `flush` and `close` wake it at once.
    """

    def __init__(
        self,
        open_store: Callable[[], LogStore],
        *,
        retention_days: int,
        max_queue: int = MAX_QUEUE,
        batch: int = BATCH,
        linger: float = LINGER,
    ) -> None:
        self._open_store = open_store
        self._store: LogStore | None = None
        self.retention_days = retention_days
        self.max_queue = max_queue
        self.batch = batch
        self.linger = max(linger, MIN_LINGER)
        self._queue: collections.deque[Queued] = collections.deque()
        self._in_flight = 0  # records taken from the queue and not yet written or dropped
        self._done = threading.Condition()
        self._hurry = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.written = 0
        self.dropped = 0

    def put(self, record: Queued) -> bool:
        """Queue one record; False (and counted as dropped) when the queue is full.

        The length check and the append are not one step, so concurrent puts may
        pass `max_queue` by a few records: it bounds memory, not an exact count.
        """
        if self._thread is None:
            self._start()
        if len(self._queue) >= self.max_queue:
            with self._done:
                self.dropped += 1
            return False
        self._queue.append(record)
        return True

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is None and not self._stop.is_set():
                self._thread = threading.Thread(target=self._run, name="spravka-log-writer", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            self._hurry.wait(self.linger)  # records gather meanwhile; flush and close cut the wait short
            self._drain()
            if self._stop.is_set() and not self._queue:
                return

    def _drain(self) -> None:
        """Write what is queued at this look, in batches; what arrives meanwhile waits for the next
        look (one batch a look on a busy server, not a trickle of small ones), unless a flush hurries."""
        left = len(self._queue)
        while True:
            with self._done:  # taking a batch and counting it in flight is one step for flush's check
                if self._hurry.is_set():
                    left = len(self._queue)
                taken = [self._queue.popleft() for _ in range(min(left, len(self._queue), self.batch))]
                if not taken:
                    if not self._queue:
                        self._hurry.clear()
                        self._done.notify_all()
                    return
                self._in_flight = len(taken)
                left -= len(taken)
            self._write(taken)

    def _write(self, queued: list[Queued]) -> None:
        ready = self._records(queued)
        try:
            if self._store is None:
                self._store = self._open_store()
            self._store.write(ready, retention_days=self.retention_days)
        except Exception as error:  # a store fault loses these records, never an answer
            if self.dropped == 0 or self.dropped // 1000 != (self.dropped + len(queued)) // 1000:
                log.warning("question log: %d record(s) dropped, store fault: %r", len(queued), error)
            self._finish(0, len(queued))
            return
        self._finish(len(ready), len(queued) - len(ready))

    @staticmethod
    def _records(queued: list[Queued]) -> list[Record]:
        """The records to store: questions redacted now. One that fails to convert is dropped, not its batch."""
        records: list[Record] = []
        for item in queued:
            if type(item) is Asked:
                try:
                    item = item.record()
                except Exception as error:  # a bug in redaction loses this question, never the batch or the writer
                    # Where it failed, not the message: a message might quote the question, not yet redacted.
                    frame = traceback.extract_tb(error.__traceback__)[-1]
                    log.error(
                        "question log: question %s dropped: %s in %s:%d",
                        item.id,
                        type(error).__name__,
                        frame.filename,
                        frame.lineno,
                    )
                    continue
            records.append(item)  # type: ignore[arg-type]
        return records

    def _finish(self, written: int, dropped: int) -> None:
        with self._done:
            self.written += written
            self.dropped += dropped
            self._in_flight = 0

    def _idle(self) -> bool:
        return not self._queue and not self._in_flight

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every record queued so far is written or dropped; False on timeout."""
        with self._done:
            if self._idle():
                return True
            self._hurry.set()
            return self._done.wait_for(self._idle, timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Flush, stop the thread and close the store."""
        self.flush(timeout)
        self._stop.set()
        self._hurry.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._store is not None:
            with contextlib.suppress(Exception):
                self._store.close()
            self._store = None

    def stats(self) -> dict[str, int]:
        return {"written": self.written, "dropped": self.dropped, "pending": len(self._queue) + self._in_flight}


_writers: dict[tuple[str, int], LogWriter] = {}
_writers_lock = threading.Lock()


def writer_for(settings: Settings) -> LogWriter:
    """This instance's writer for the configured store (one per store URL)."""
    key = (settings.readings_store, settings.log_retention_days)
    writer = _writers.get(key)
    if writer is None:
        with _writers_lock:
            writer = _writers.get(key)
            if writer is None:
                url = settings.readings_store

                def open_store() -> LogStore:
                    from spravka.questions.open_store import open_log_store

                    return open_log_store(url)

                writer = _writers[key] = LogWriter(open_store, retention_days=settings.log_retention_days)
    return writer


def flush_all(timeout: float = 10.0) -> bool:
    """Flush every writer of this process (tests and benchmarks read the store after this)."""
    return all([writer.flush(timeout) for writer in list(_writers.values())])


def close_all(timeout: float = 10.0) -> None:
    """Flush and stop every writer: at exit, and between tests."""
    with _writers_lock:
        writers = list(_writers.values())
        _writers.clear()
    for writer in writers:
        writer.close(timeout)


atexit.register(close_all)
