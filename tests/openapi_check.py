"""Every response the HTTP tests get is checked against openapi.yaml (schemathesis' own response checks).

An autouse fixture wraps functions_framework.create_app so that each test client of a function of
main.py validates what it receives: status documented, media type, body schema, required headers.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.tally import tally

OPENAPI = Path(__file__).resolve().parent.parent / "openapi.yaml"


@functools.cache
def load_schema() -> Any:
    import schemathesis

    return schemathesis.openapi.from_path(OPENAPI)


def documented_path(target: str, path: str) -> str:
    """The openapi.yaml path of a request to a function's app (mounted at /api/<target> by serve)."""
    return f"/api/{target}" + ("" if path in ("", "/") else path.rstrip("/"))


def check_response(target: str, method: str, path: str, response: Any) -> None:
    """Fail when a response does not match openapi.yaml; errors always must have the contract body."""
    schema = load_schema()
    if response.status_code >= 400:
        body = json.loads(response.get_data())
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    operations = {p: {m.upper() for m in ops} for p, ops in schema.raw_schema["paths"].items()}
    api_path = documented_path(target, path)
    if method.upper() not in operations.get(api_path, ()):
        return  # an undocumented method (405) or path (404): only the error body is checked above
    schema[api_path][method.upper()].validate_response(response)
    tally("openapi: responses of the HTTP tests validated")


class _ValidatingClient:
    """Mixin for the Flask test client: validate each response of the function `target`."""

    target = ""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        response = super().open(*args, **kwargs)  # type: ignore[misc]
        request = response.request
        check_response(self.target, request.method, request.path, response)
        return response


@pytest.fixture(autouse=True)
def validate_function_responses(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    import functions_framework

    create_app = functions_framework.create_app

    def validating_create_app(target: str | None = None, source: str | None = None, *args: Any, **kwargs: Any) -> Any:
        app = create_app(target, source, *args, **kwargs)
        app.test_client_class = type(
            "ValidatingClient", (_ValidatingClient, app.test_client_class or _flask_client()), {"target": target}
        )
        return app

    monkeypatch.setattr(functions_framework, "create_app", validating_create_app)
    yield


def _flask_client() -> type:
    from flask.testing import FlaskClient

    return FlaskClient
