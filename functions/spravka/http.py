"""The HTTP edge shared by every function: JSON in, JSON out, one error body, CORS."""

from __future__ import annotations

import functools
import io
import json
import logging
import traceback
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import flask

from spravka import compact_json
from spravka.config import get_settings
from spravka.errors import ApiError, BadRequest, MethodNotAllowed, PayloadTooLarge, UnsupportedMediaType
from spravka.masking import mask_accounts

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024
MAX_QUERY_BYTES = 4 * 1024
# The headers OWASP's REST Security Cheat Sheet asks of every API response (Content-Type aside).
# Referrer-Policy and Cross-Origin-Opener-Policy act only on documents (links followed, windows
# opened), which a JSON body never is; every header costs the server a few µs a response
# (werkzeug and gunicorn each check and copy it), ~0.5% of ask's throughput (docs/security.md).
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Strict-Transport-Security": "max-age=31536000",
}
SECURITY_ITEMS = list(SECURITY_HEADERS.items())
TOO_LARGE = "Слишком большой запрос."

Handler = Callable[[flask.Request], Any]


def route_path(request: flask.Request, name: str) -> str:
    """The path below the function: `/meters` both called directly and through a Hosting rewrite.

    Firebase Hosting's rewrite of `/api/<name>/**` hands the function the original path
    (`/api/readings/meters`); the local run mounts each function at `/api/<name>` and strips it.
    """
    path = request.path.rstrip("/")
    prefix = "/api/" + name
    if path == prefix or path.startswith(prefix + "/"):
        return path[len(prefix) :]
    return path


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    """The contract's error body, the only shape any 4xx/5xx has."""
    return {"error": {"code": code, "message": message}}


def json_response(body: object, status: int = 200, headers: Mapping[str, str] | None = None) -> flask.Response:
    # Headers given whole to the constructor: cheaper than setting them one by one (each set scans the list).
    return flask.Response(
        compact_json.dumps(body),
        status=status,
        headers=list({**SECURITY_HEADERS, **headers}.items()) if headers else SECURITY_ITEMS,
        mimetype="application/json",
    )


def _refuse(environ: dict[str, Any], error: ApiError) -> ApiError:
    """Leave nothing for anyone to read after us, and close the connection.

    functions-framework reads the whole body after every request (its read_request hook), and a
    keep-alive server drains an unread body before the next request: a 300 MB or never-ending
    body would be read anyway. An empty input and `Connection: close` stop both.
    """
    environ["wsgi.input"] = io.BytesIO()
    environ["CONTENT_LENGTH"] = "0"
    error.headers = {**error.headers, "Connection": "close"}
    return error


def read_body(environ: dict[str, Any], request: flask.Request, *, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request's body, at most `limit` bytes, refused before it is read when it says it is larger.

    From the environ: werkzeug's parsed content_length and mimetype cost more than the checks.
    A body without a length (chunked) is read one byte past the cap at most; a malformed one is a 400.
    """
    declared = environ.get("CONTENT_LENGTH", "")
    if declared:
        if not declared.isdigit() or len(declared) > 9 or int(declared) > limit:
            raise _refuse(environ, PayloadTooLarge("payload_too_large", TOO_LARGE))
        # Cached: functions-framework reads the body again after every request (its read_request hook).
        return request.get_data(cache=True)
    if not environ.get("wsgi.input_terminated"):
        return b""  # no length and no chunked framing: WSGI says there is no body to read
    try:
        raw = environ["wsgi.input"].read(limit + 1)
    except Exception:  # the server's chunked reader: a malformed chunk is the client's error
        raise _refuse(environ, BadRequest("body_invalid", "Тело запроса передано с ошибкой.")) from None
    if len(raw) > limit:
        raise _refuse(environ, PayloadTooLarge("payload_too_large", TOO_LARGE))
    environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(raw), str(len(raw))
    return request.get_data(cache=True)


def read_json(request: flask.Request, *, limit: int = MAX_BODY_BYTES) -> Mapping[str, Any]:
    """The request's parameters: the JSON object of a POST (at most `limit` bytes), the query string of a GET."""
    if len(request.query_string) > MAX_QUERY_BYTES:
        raise PayloadTooLarge("payload_too_large", TOO_LARGE)
    if request.method == "GET":
        return request.args.to_dict()
    environ = request.environ
    raw = read_body(environ, request, limit=limit)
    mimetype = environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower()
    if mimetype and mimetype != "application/json" and not mimetype.endswith("+json") and mimetype != "text/plain":
        raise UnsupportedMediaType("unsupported_media_type", "Запрос должен быть в формате JSON.")
    try:
        payload = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: "[[[[…" nested thousands deep
        raise BadRequest("invalid_json", "Запрос не в формате JSON.") from None
    if not isinstance(payload, dict):
        raise BadRequest("invalid_json", "Ожидался JSON-объект.")
    return payload


def _cors_headers(request: flask.Request, methods: Iterable[str]) -> dict[str, str]:
    origin = (request.environ.get("HTTP_ORIGIN") or "").rstrip("/")
    allowed = get_settings().allowed_origins
    if not origin or not ("*" in allowed or origin in allowed):
        return {}
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": ", ".join(sorted({*methods, "OPTIONS"})),
        "Access-Control-Allow-Headers": "Content-Type, Authorization, Idempotency-Key",
        "Access-Control-Max-Age": "3600",
        "Vary": "Origin",
    }


def json_endpoint(
    *, methods: tuple[str, ...] = ("GET", "POST"), cors: bool = True
) -> Callable[[Handler], Callable[[flask.Request], flask.Response]]:
    """Wrap a handler: preflight, method check, ApiError -> contract body, anything else -> 500.

    A handler returns a JSON-able body (optionally with status and headers) or a ready
    flask.Response (e.g. CSV), which gets the security headers too. cors=False: no browser on
    another origin may call it (admin).
    """

    def decorate(handler: Handler) -> Callable[[flask.Request], flask.Response]:
        @functools.wraps(handler)
        def endpoint(request: flask.Request) -> flask.Response:
            cors_headers = _cors_headers(request, methods) if cors else {}
            return _respond(handler, request, methods, cors_headers)

        return endpoint

    return decorate


def _respond(
    handler: Handler, request: flask.Request, methods: tuple[str, ...], cors: dict[str, str]
) -> flask.Response:
    if request.method == "OPTIONS":
        response = json_response({}, 204, cors)
        response.set_data(b"")
        return response
    try:
        if request.method not in methods:
            raise MethodNotAllowed(
                "method_not_allowed", "Метод не поддерживается.", headers={"Allow": ", ".join((*methods, "OPTIONS"))}
            )
        result = handler(request)
    except ApiError as error:
        return json_response(error_body(error.code, error.message), error.status, {**cors, **error.headers})
    except Exception:
        # The traceback goes to the log with any account-like number masked (a bug's message may carry one).
        log.error("unhandled error in %s\n%s", handler.__name__, mask_accounts(traceback.format_exc()))
        return json_response(error_body("internal", "Внутренняя ошибка. Попробуйте позже."), 500, cors)
    if isinstance(result, flask.Response):
        result.headers.update(SECURITY_HEADERS)
        result.headers.update(cors)
        return result
    status = 200
    headers: Mapping[str, str] = {}
    if isinstance(result, tuple):
        result, status, *rest = result
        headers = rest[0] if rest else {}
    return json_response(result, status, {**cors, **headers})
