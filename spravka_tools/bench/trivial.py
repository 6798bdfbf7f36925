"""The baseline the `ask` benchmarks compare with: an HTTP function that does nothing, served the same way."""

from __future__ import annotations

from typing import Any

import flask
import functions_framework


@functions_framework.http
def trivial(request: flask.Request) -> Any:
    return {"ok": True}
