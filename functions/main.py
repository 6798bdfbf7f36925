"""Entry points of the deployed functions: adapters only (read the request, call one function, render)."""

from __future__ import annotations

from typing import Any

import flask
import functions_framework

from spravka.http import json_endpoint, read_json


@functions_framework.http
@json_endpoint(methods=("GET", "POST"))
def ask(request: flask.Request) -> Any:
    from spravka.ask.service import answer_payload

    return answer_payload(read_json(request))


@functions_framework.http
@json_endpoint(methods=("GET", "POST"))
def readings(request: flask.Request) -> Any:
    from spravka.callers import client_address
    from spravka.config import get_settings
    from spravka.readings import list_meters, submit
    from spravka.store import get_store

    settings = get_settings()
    client = client_address(request, trusted_hops=settings.trusted_proxy_hops)
    if request.method == "GET":
        return list_meters(get_store(), read_json(request), settings=settings, client=client)
    return submit(get_store(), read_json(request), settings=settings, client=client)


@functions_framework.http
@json_endpoint(methods=("POST",))
def events(request: flask.Request) -> Any:
    from spravka.questions.events import accept_events

    return accept_events(read_json(request))


@functions_framework.http
@json_endpoint(methods=("GET",), cors=False)
def admin(request: flask.Request) -> Any:
    from spravka.admin import handle

    return handle(request)
