"""The admin function's appeals routes: the staff commands over HTTP (after admin.authorize).

GET /appeals[?status=S&overdue=1] -> the list; GET /appeals/<number> -> one appeal with its text
and contacts; POST /appeals/<number>/status {"status", "note"}; POST /appeals/<number>/answer
{"text"}; POST /appeals/send-mail -> send what the outbox holds (for a scheduler).
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
        status = request.args.get("status") or None
        overdue = request.args.get("overdue", "") in ("1", "true", "yes")
        today = local_date(clock.now(), settings.timezone)
        found = list_appeals(store, status=status, overdue=overdue, now=clock.now(), today=today)
        return {"appeals": [appeal_for_staff(appeal, now=clock.now(), today=today) for appeal in found]}
    if parts == ["send-mail"]:
        _only(request, "POST")
        return {"sent": deliver_pending(store, settings)}
    number = parse_number(parts[0])
    if len(parts) == 1:
        _only(request, "GET")
        appeal = store.appeal(number)
        if appeal is None:
            raise NotFound("appeal_not_found", "Обращение не найдено.")
        return appeal_for_staff(appeal, now=clock.now(), today=local_date(clock.now(), settings.timezone))
    if len(parts) == 2 and parts[1] in ("status", "answer"):
        _only(request, "POST")
        payload = read_json(request, max_bytes=64 * 1024)
        if parts[1] == "status":
            changed = set_status(store, number, _text(payload, "status"), note=_text(payload, "note"))
        else:
            changed = answer(store, number, _text(payload, "text"))
        deliver_pending(store, settings, only=number)
        return appeal_for_staff(changed, now=clock.now(), today=local_date(clock.now(), settings.timezone))
    raise NotFound("admin_not_found", NO_ROUTE)
