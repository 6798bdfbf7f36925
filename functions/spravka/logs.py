"""Log lines as Cloud Logging reads them: one JSON object a line on stderr, INFO and above.

On Cloud Functions / Cloud Run a JSON line on stderr becomes a structured entry: `severity`
sets its level, `message` its text, `logging.googleapis.com/trace` ties it to the request's
trace (from the X-Cloud-Trace-Context header the platform's front end adds). functions-framework
under gunicorn leaves Python's root logger unconfigured, so without this INFO lines are dropped
and the rest arrive as bare text. Account-like numbers are masked in every line as a last guard;
modules log accounts masked and never log question texts or reading values themselves.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import sys

from spravka import compact_json
from spravka.masking import mask_accounts

_TRACE = re.compile(r"[0-9a-f]{32}")
SEVERITY = {"DEBUG": "DEBUG", "INFO": "INFO", "WARNING": "WARNING", "ERROR": "ERROR", "CRITICAL": "CRITICAL"}


def _trace() -> str | None:
    """The trace of the request being served, as Cloud Logging names it; None outside a request."""
    flask = sys.modules.get("flask")
    if flask is None or not flask.has_request_context():
        return None
    header = flask.request.headers.get("X-Cloud-Trace-Context", "")
    trace_id = header.split("/", 1)[0].lower()
    project = os.environ.get("GOOGLE_CLOUD_PROJECT", "")
    if not project or not _TRACE.fullmatch(trace_id):
        return None
    return f"projects/{project}/traces/{trace_id}"


class CloudFormatter(logging.Formatter):
    """One JSON object a record: severity, message (with the traceback, if any), logger, time, trace."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info:
            message = f"{message}\n{self.formatException(record.exc_info)}"
        entry: dict[str, object] = {
            "severity": SEVERITY.get(record.levelname, "DEFAULT"),
            "message": mask_accounts(message),
            "logger": record.name,
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
        }
        trace = _trace()
        if trace:
            entry["logging.googleapis.com/trace"] = trace
        return compact_json.dumps(entry).decode("utf-8")


def configure(stream: object = None) -> bool:
    """Send INFO and above as JSON lines to stderr, unless logging is configured already (the local
    run and the CLI configure their own). True when this installed the handler."""
    root = logging.getLogger()
    if root.handlers:
        return False
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.setFormatter(CloudFormatter())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return True
