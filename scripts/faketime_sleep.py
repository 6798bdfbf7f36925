"""Loaded into every Python process of scripts/test-any-day.sh (through a .pth file in .venv).

Debian's libfaketime 0.9.10 and Python 3.11 disagree on two calls: with the monotonic clock
faked, `sem_clockwait` (every lock or event wait with a timeout) waits for decades; with it
left alone (FAKETIME_DONT_FAKE_MONOTONIC=1, what the script uses), `clock_nanosleep` with an
absolute monotonic deadline (time.sleep) fails with EINVAL (libfaketime issue #426, fixed after
0.9.10). So time.sleep waits on an event instead, which uses the real monotonic clock. Only the
wall clock is faked, which is what the tests are about.
"""

import threading
import time


def _sleep(seconds: float) -> None:
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    threading.Event().wait(seconds)


time.sleep = _sleep
