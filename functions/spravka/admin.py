"""The `admin` function: operators' surfaces over HTTP, only with the configured token.

GET /export?period=YYYY-MM -> the period's readings as CSV for billing (as `spravka export-readings`).
/appeals… -> the virtual reception's staff side (spravka/appeals/admin.py, as `spravka appeals`).
Closed when ADMIN_TOKEN is not set; otherwise `Authorization: Bearer <ADMIN_TOKEN>`, compared in
constant time. In production the function is also deployed without public access
(`--no-allow-unauthenticated`), so the platform's IAM checks the caller before this code runs.
"""

from __future__ import annotations

import hmac
import io
import logging
from typing import Any

import flask

from spravka.config import get_settings
from spravka.errors import BadRequest, Forbidden, MethodNotAllowed, NotFound, Unauthorized
from spravka.http import route_path
from spravka.readings.period import PERIOD

log = logging.getLogger(__name__)

CLOSED = "Административный доступ отключён."
DENIED = "Нужен действующий ключ доступа (Authorization: Bearer …)."


def authorize(request: flask.Request, token: str) -> None:
    """403 when no token is configured, 401 unless the request presents it as a Bearer token."""
    if not token:
        raise Forbidden("admin_disabled", CLOSED)
    scheme, _, presented = (request.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(presented.strip().encode(), token.encode()):
        log.warning("admin request refused: %s", "no token" if not presented else "wrong token")
        raise Unauthorized("admin_unauthorized", DENIED, headers={"WWW-Authenticate": 'Bearer realm="spravka-admin"'})


def handle(request: flask.Request) -> Any:
    """Route an authorised request by path."""
    authorize(request, get_settings().admin_token)
    path = route_path(request, "admin")
    if path == "/appeals" or path.startswith("/appeals/"):
        from spravka.appeals import admin as appeals

        return appeals.handle(request, path[len("/appeals") :])
    if request.method != "GET":
        raise MethodNotAllowed("method_not_allowed", "Метод не поддерживается.", headers={"Allow": "GET, OPTIONS"})
    if path == "/export":
        return export(request.args.get("period", ""))
    raise NotFound("admin_not_found", "Нет такого административного запроса.")


def export(period: str) -> flask.Response:
    """The period's readings as CSV, one row per meter (readings.export)."""
    from spravka.readings.export import export_rows, write_csv
    from spravka.store import get_store

    if not PERIOD.fullmatch(period):
        raise BadRequest("period_invalid", "Период (period) нужно указать как ГГГГ-ММ, например 2026-11.")
    stream = io.StringIO()
    rows = export_rows(get_store().readings(period))
    write_csv(rows, stream)
    log.info("admin export of %s: %d rows", period, len(rows))
    return flask.Response(
        stream.getvalue(),
        200,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="readings-{period}.csv"'},
    )
