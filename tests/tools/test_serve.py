"""`spravka serve`: the help site at /, the functions at /api/<name>, and the README's `make run`."""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.test import Client

from spravka_tools.cli import build_parser
from spravka_tools.serve import bind, build_site, load_demo_accounts, make_app
from tests.browser import REPO_DIR, start_process


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("site")
    build_site(site_dir)
    return site_dir


@pytest.fixture
def client(built_site: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Client:
    monkeypatch.setenv("READINGS_STORE", f"sqlite:///{tmp_path / 'readings.sqlite3'}")
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://partner.example")
    return Client(make_app(built_site))


def test_serve_has_host_port_and_defaults() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    args = build_parser().parse_args(["serve", "--host", "0.0.0.0", "--port", "9000"])
    assert (args.host, args.port) == ("0.0.0.0", 9000)


def test_site_pages_carry_the_widget(client: Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    assert 'src="widget/spravka.js"' in page.get_data(as_text=True)
    article = client.get("/readings/readings-deadline/")
    assert article.status_code == 200
    assert "../../widget/spravka.js" in article.get_data(as_text=True)
    script = client.get("/widget/spravka.js")
    assert script.status_code == 200
    assert script.mimetype in ("text/javascript", "application/javascript")
    # One file built from site/widget/src/ (the parts themselves are not served).
    from spravka_tools.widget import build_widget

    assert script.get_data(as_text=True) == build_widget()
    assert client.get("/widget/src/00-core.js").status_code == 404


@pytest.mark.parametrize(
    ("path", "status", "location"),
    [
        ("/readings/readings-deadline", 301, "/readings/readings-deadline/"),
        ("/no-such-page/", 404, None),
        ("/../pyproject.toml", 404, None),
    ],
)
def test_site_redirects_directories_and_answers_misses_with_404(
    client: Client, path: str, status: int, location: str | None
) -> None:
    response = client.get(path)
    assert response.status_code == status
    if location:
        assert response.headers["Location"] == location


def test_functions_answer_under_api(client: Client) -> None:
    answer = client.post("/api/ask", json={"q": "до какого числа передавать показания"})
    assert answer.status_code == 200
    assert answer.json["kind"] == "answer"
    assert answer.json["article"]["url"] == "/readings/readings-deadline/"
    again = client.get("/api/ask", query_string={"q": "до какого числа передавать показания"}).json
    assert {**again, "question_id": None} == {**answer.json, "question_id": None}  # each asking is logged anew
    invalid = client.post("/api/readings/meters", json={"account": "123"})
    assert invalid.status_code == 400
    assert set(invalid.json["error"]) == {"code", "message"}
    events = client.post(
        "/api/events", json={"visitor": "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14", "events": [{"type": "visit"}]}
    )
    assert events.status_code == 202 and events.json == {"accepted": 1}


def test_functions_answer_cors_preflight_for_allowed_origins_only(client: Client) -> None:
    allowed = client.options(
        "/api/ask", headers={"Origin": "https://partner.example", "Access-Control-Request-Method": "POST"}
    )
    assert allowed.status_code == 204
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://partner.example"
    other = client.options("/api/readings", headers={"Origin": "https://other.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


@pytest.fixture
def local_run(client: Client, built_site: Path) -> Iterator[str]:
    """The local run's app behind its own threaded server on a free port: its base URL."""
    load_demo_accounts()
    server = bind("127.0.0.1", 0, make_app(built_site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _call(url: str, body: dict[str, object] | None = None, headers: dict[str, str] | None = None) -> int:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_access_log_has_paths_without_query_strings_or_bodies(local_run: str, caplog: pytest.LogCaptureFixture) -> None:
    question = "мой тел 89161234567 не работает свет"
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        assert _call(local_run + "/api/ask?q=" + urllib.request.quote(question)) == 200
        assert _call(local_run + "/api/ask", {"q": question}) == 200
        assert _call(local_run + "/api/readings?account=000000000001") == 410
        assert _call(local_run + "/api/readings/meters", {"account": "000000000001"}) == 200
        assert _call(local_run + "/?q=000000000001") == 200  # the site search page keeps its query in the URL
        with socket.create_connection(("127.0.0.1", int(local_run.rsplit(":", 1)[1])), timeout=10) as raw:
            raw.sendall(b"GET /api/ask?q=000000000001 HTTP/1.1 junk\r\n\r\n")  # a malformed request line
            assert b" 400 " in raw.recv(1024)
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert len(lines) >= 7, lines
    written = "\n".join(lines)
    assert '"GET /api/ask HTTP/1.1" 200' in written and '"POST /api/readings/meters HTTP/1.1" 200' in written
    for secret in ("?", "000000000001", "89161234567", "тел", "%D1", "account"):
        assert secret not in written, written


def test_forged_forwarded_for_against_the_local_run_is_limited_like_any_client(
    local_run: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The local run trusts the socket (TRUSTED_PROXY_HOPS=0 by default): a new forged address each time buys nothing."""
    from spravka.config import get_settings

    monkeypatch.setenv("CLIENT_LIMIT_PER_HOUR", "30")
    get_settings.cache_clear()
    statuses = [
        _call(
            local_run + "/api/readings/meters",
            {"account": f"9999999999{guess:02d}"},
            {"X-Forwarded-For": f"198.18.{guess}.1"},
        )
        for guess in range(12)
    ]
    assert statuses == [404] * 3 + [429] * 9


@pytest.mark.slow
def test_readme_run_command_serves_a_site_where_the_widget_answers_on_a_fresh_clone(tmp_path: Path) -> None:
    if not shutil.which("make") or not shutil.which("git"):
        pytest.skip("needs make and git")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO_DIR), str(clone)], check=True)
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("READINGS_STORE", "SPRAVKA_DATA_DIR", "ALLOWED_ORIGINS", "PYTHONPATH", "MAKEFLAGS")
    }
    env["NO_MKDOCS_2_WARNING"] = "1"
    # The README's command, reusing this test run's environment instead of installing a new one.
    command = ["make", "run", f"VENV={sys.prefix}", "PORT=0"]
    plan = subprocess.run([*command, "--dry-run"], cwd=clone, env=env, capture_output=True, text=True, check=True)
    # A Makefile that would install into the shared environment must not run: it would repoint it at the clone.
    assert "pip" not in plan.stdout and "--port 0" in plan.stdout, plan.stdout
    served = start_process(command, cwd=clone, env=env, log_path=tmp_path / "make-run.log")
    try:
        with urllib.request.urlopen(served.url, timeout=10) as page:
            assert page.status == 200
            assert "widget/spravka.js" in page.read().decode("utf-8")
        request = urllib.request.Request(
            served.url + "api/ask",
            method="POST",
            data=json.dumps({"q": "как передать показания счетчика"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            reply = json.load(response)
        assert reply["kind"] in ("answer", "clarify", "action")
        assert reply["text"]
        meters = urllib.request.Request(
            served.url + "api/readings/meters",
            method="POST",
            data=json.dumps({"account": "000000000001"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(meters, timeout=10) as response:
            assert json.load(response)["meters"]  # the demo accounts were loaded
    finally:
        served.stop()
    assert (clone / "build" / "site" / "index.html").is_file()
