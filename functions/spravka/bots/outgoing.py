"""The bots' outgoing calls: one JSON POST with the standard library (no HTTP client on the cold start).

A failed call is logged and reported as False, never raised: the customer's turn is committed
already, and the platform's own webhook answer must still go out.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)

TIMEOUT = 5.0  # seconds: the platforms wait for the webhook's answer longer than this, but not much


def post_json(url: str, body: Mapping[str, Any], *, headers: Mapping[str, str] | None = None, name: str) -> bool:
    """POST body as JSON; True on a 2xx answer. `name` (the API method) is what the log shows, never the URL."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (http(s) base from settings)
            response.read()
            return True
    except (urllib.error.URLError, OSError, ValueError) as error:
        # The URL carries Telegram's token: only the method and the error's kind are logged.
        log.warning("bot call %s failed: %s", name, type(error).__name__)
        return False
