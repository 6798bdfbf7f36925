"""Set environment variables for a block and put the previous values back after it."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator


@contextlib.contextmanager
def patched_environ(**values: str) -> Iterator[None]:
    """Within this block os.environ has values; afterwards each name is as before (or unset again).

    For the tools only (bench, eval): libraries such as the Firestore client read their settings
    from os.environ, and the runtime's Settings.from_env reads it once per cache_clear().
    A name changed again inside the block is restored too.
    """
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
