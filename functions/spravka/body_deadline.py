"""A deadline for reading a request's body: a client that stalls mid-body is cut off, not waited for.

gunicorn's gthread worker hands a connection to a thread once the request's headers arrive; the
thread then blocks in the body's read for as long as the client cares to wait, with no timeout of
its own. Eight clients that send half a body hold all eight threads (docs/scale.md, «Slow
clients»). One watchdog thread per process keeps the deadlines of the bodies being read; at a
deadline it shuts the reading side of that socket, so the blocked read returns at once and the
request is answered 408 (the response can still be written).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time

BODY_SECONDS = 10.0  # a 16 KiB body over a poor mobile link (~50 kbit/s) takes ~3 s


class Armed:
    """One body being read: `fired` once its deadline cut the socket, `done` once it was read."""

    __slots__ = ("done", "fired", "sock")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.done = False
        self.fired = False


class Watchdog:
    """Deadlines in a heap, served by one lazily started daemon thread."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Armed]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def arm(self, sock: socket.socket, seconds: float = BODY_SECONDS) -> Armed:
        armed = Armed(sock)
        with self._wake:
            if self._thread is None or not self._thread.is_alive():  # lazily, and again in a forked worker
                self._thread = threading.Thread(target=self._run, name="body-deadline", daemon=True)
                self._thread.start()
            was_empty = not self._heap
            heapq.heappush(self._heap, (time.monotonic() + seconds, next(self._order), armed))
            if was_empty:  # later deadlines never come before the head: no need to wake the thread
                self._wake.notify()
        return armed

    def _run(self) -> None:
        with self._wake:
            while True:
                if not self._heap:
                    self._wake.wait()
                    continue
                deadline, _, armed = self._heap[0]
                delay = deadline - time.monotonic()
                if delay > 0:
                    self._wake.wait(delay)
                    continue
                heapq.heappop(self._heap)
                if not armed.done:
                    armed.fired = True
                    with contextlib.suppress(OSError):
                        armed.sock.shutdown(socket.SHUT_RD)


WATCHDOG = Watchdog()
