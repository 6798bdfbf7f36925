"""Log lines on the production server (functions-framework + gunicorn) as Cloud Logging reads them:
JSON objects with severity, message and the request's trace, INFO kept, no account in clear."""

from __future__ import annotations

import http.client
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from spravka.logs import CloudFormatter
from spravka_tools.emulator import free_port

REPO = Path(__file__).resolve().parents[2]
MAIN = REPO / "functions" / "main.py"
TRACE_ID = "0123456789abcdef0123456789abcdef"


def test_a_record_becomes_one_json_line_with_the_account_masked() -> None:
    try:
        raise ValueError("счёт 000000000001 не прочитан")
    except ValueError:
        record = logging.LogRecord(
            "spravka.test", logging.ERROR, __file__, 1, "failed for %s", ("000000000002",), sys.exc_info()
        )
    line = CloudFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["severity"] == "ERROR" and entry["logger"] == "spravka.test"
    assert entry["message"].startswith("failed for ********0002\nTraceback")
    assert "000000000001" not in line and "000000000002" not in line
    assert "logging.googleapis.com/trace" not in entry  # no request, no trace


def test_the_production_server_logs_info_as_json_with_the_trace(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "READINGS_STORE": f"sqlite:///{tmp_path / 'spravka.sqlite3'}",
        "PYTHONPATH": str(MAIN.parent),
        "GOOGLE_CLOUD_PROJECT": "demo-project",
        "READINGS_WINDOW": "1-31",
    }
    spravka = Path(sys.executable).parent / "spravka"
    subprocess.run(
        [str(spravka), "import-accounts", str(REPO / "demo" / "accounts.csv")], env=env, check=True, capture_output=True
    )
    port = free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "functions-framework"),
                "--target",
                "readings",
                "--source",
                str(MAIN),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        try:
            body = json.dumps({"account": "000000000001", "values": {"t1": 1100}})
            status = 0
            for _ in range(300):
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    connection.request(
                        "POST",
                        "/",
                        body,
                        {"Content-Type": "application/json", "X-Cloud-Trace-Context": f"{TRACE_ID}/1;o=1"},
                    )
                    status = connection.getresponse().status
                    connection.close()
                    break
                except OSError:
                    time.sleep(0.05)
            assert status == 201
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(15)
    text = log_path.read_text(encoding="utf-8")
    assert "000000000001" not in text
    entries = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    accepted = [entry for entry in entries if entry["message"].startswith("reading accepted")]
    assert len(accepted) == 1, text
    assert accepted[0]["severity"] == "INFO" and "********0001" in accepted[0]["message"]
    assert accepted[0]["logging.googleapis.com/trace"] == f"projects/demo-project/traces/{TRACE_ID}"
