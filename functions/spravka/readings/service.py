"""The `readings` function's work between the HTTP edge and the readings domain: route, wire, call.

POST /meters -> the account's meters; POST / -> submit a reading; GET / -> 410: an account
number never travels in a URL (contract §3), the meter list moved to POST /meters.
"""

from __future__ import annotations

from typing import Any

import flask

from spravka.callers import client_address
from spravka.config import get_settings
from spravka.errors import Gone, MethodNotAllowed, NotFound
from spravka.http import read_json, route_path
from spravka.readings.meters import list_meters
from spravka.readings.submit import submit
from spravka.store import get_store

MOVED = (
    "Список счётчиков запрашивается методом POST /readings/meters: номер лицевого счёта не передаётся в адресе запроса."
)


def handle(request: flask.Request) -> Any:
    """The entry point's one call: the request routed by path and method to the readings domain."""
    path = route_path(request, "readings")
    if path == "/meters":
        if request.method != "POST":
            raise MethodNotAllowed("method_not_allowed", "Метод не поддерживается.", headers={"Allow": "POST, OPTIONS"})
        return list_meters(get_store(), read_json(request), settings=get_settings(), client=_client(request))
    if path:
        raise NotFound("readings_not_found", "Нет такого запроса к показаниям.")
    payload = read_json(request)  # a GET's query is size-checked (413) like any request
    if request.method == "GET":
        raise Gone("meters_moved", MOVED)
    return submit(get_store(), payload, settings=get_settings(), client=_client(request))


def _client(request: flask.Request) -> str:
    return client_address(request, trusted_hops=get_settings().trusted_proxy_hops)
