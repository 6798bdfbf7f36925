"""Entry points of the deployed functions: one-line adapters, each to its capability's service `handle(request)`.

Each imports its service on first call, so a function's cold start loads only its own modules.
"""

from __future__ import annotations

from typing import Any

import flask
import functions_framework

from spravka import logs
from spravka.http import json_endpoint

logs.configure()  # JSON lines for Cloud Logging, INFO and above (unless the local run set up its own)


@functions_framework.http
@json_endpoint(methods=("GET", "POST"))
def ask(request: flask.Request) -> Any:
    from spravka.ask import service

    return service.handle(request)


@functions_framework.http
@json_endpoint(methods=("GET", "POST"))
def readings(request: flask.Request) -> Any:
    from spravka.readings import service

    return service.handle(request)


@functions_framework.http
@json_endpoint(methods=("POST",))
def events(request: flask.Request) -> Any:
    from spravka.questions import events as service

    return service.handle(request)


@functions_framework.http
@json_endpoint(methods=("GET", "POST"))
def appeals(request: flask.Request) -> Any:
    from spravka.appeals import service

    return service.handle(request)


@functions_framework.http
@json_endpoint(methods=("GET", "POST"), cors=False)
def admin(request: flask.Request) -> Any:
    from spravka import admin as service

    return service.handle(request)


@functions_framework.http
@json_endpoint(methods=("POST",), cors=False)
def telegram(request: flask.Request) -> Any:
    from spravka.bots import telegram as service

    return service.handle(request)


@functions_framework.http
@json_endpoint(methods=("POST",), cors=False)
def viber(request: flask.Request) -> Any:
    from spravka.bots import viber as service

    return service.handle(request)
