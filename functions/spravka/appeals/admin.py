"""The admin function's appeals routes: the staff commands over HTTP (after admin.authorize).

GET /appeals[?status=S&overdue=1] -> the list; GET /appeals/show?number=N -> one appeal with its
text and contacts; POST /appeals/status {"number", "status", "note"}; POST /appeals/answer
{"number", "text"}; POST /appeals/send-mail -> send what the outbox holds (for a scheduler).
The number travels in the query or the body, never in the path (the framework's router answers a
path it cannot match with an HTML page, and paths are what access logs keep).
"""

from __future__ import annotations

from typing import Any

import flask

from spravka import clock
from spravka.appeals.outbox import deliver_pending
from spravka.appeals.staff import answer, appeal_for_staff, list_appeals, parse_number, set_status
from spravka.appeals.store import get_appeal_store
from spravka.config import get_settings
from spravka.errors import BadRequest, MethodNotAllowed, NotFound
from spravka.http import read_json
from spravka.readings.period import local_date

NO_ROUTE = "Нет такого административного запроса."


def _only(request: flask.Request, method: str) -> None:
    if request.method != method:
        raise MethodNotAllowed(
            "method_not_allowed", "Метод не поддерживается.", headers={"Allow": f"{method}, OPTIONS"}
        )


def _text(payload: Any, name: str) -> str:
    value = payload.get(name, "")
    if not isinstance(value, str):
        raise BadRequest(f"{name}_invalid", f"Поле {name} должно быть строкой.")
    return value


def handle(request: flask.Request, path: str) -> Any:
    """`path` is what follows /appeals."""
    store, settings = get_appeal_store(), get_settings()
    parts = [part for part in path.split("/") if part]
    if not parts:
        _only(request, "GET")
        status = request.args.get("status")  # "" is not a status: 400, as any other unknown one
        overdue_flag = request.args.get("overdue", "0")
        if overdue_flag not in ("0", "1"):
            raise BadRequest("overdue_invalid", "Параметр overdue — 0 или 1.")
        overdue = overdue_flag == "1"
        today = local_date(clock.now(), settings.timezone)
        found = list_appeals(store, status=status, overdue=overdue, now=clock.now(), today=today)
        return {"appeals": [appeal_for_staff(appeal, now=clock.now(), today=today) for appeal in found]}
    if parts == ["send-mail"]:
        _only(request, "POST")
        return {"sent": deliver_pending(store, settings)}
    today = local_date(clock.now(), settings.timezone)
    if parts == ["show"]:
        _only(request, "GET")
        appeal = store.appeal(parse_number(request.args.get("number", "")))
        if appeal is None:
            raise NotFound("appeal_not_found", "Обращение не найдено.")
        return appeal_for_staff(appeal, now=clock.now(), today=today)
    if parts in (["status"], ["answer"]):
        _only(request, "POST")
        payload = read_json(request, limit=64 * 1024)
        number = _text(payload, "number")
        if parts == ["status"]:
            changed = set_status(store, number, _text(payload, "status"), note=_text(payload, "note"))
        else:
            changed = answer(store, number, _text(payload, "text"))
        deliver_pending(store, settings, only=changed.number)
        return appeal_for_staff(changed, now=clock.now(), today=today)
    raise NotFound("admin_not_found", NO_ROUTE)
