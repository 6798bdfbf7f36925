"""Fixtures for the browser tests: a real `spravka serve`, a page on another origin, headless Chromium."""

from __future__ import annotations

import dataclasses
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

REPO_DIR = Path(__file__).resolve().parent.parent
ARTIFACTS_DIR = REPO_DIR / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
# Debian's Chromium, never a downloaded one; no background traffic on a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT = 90.0


@dataclasses.dataclass
class Served:
    """A running `spravka serve`: its address, process and output log."""

    url: str
    process: subprocess.Popen[str]
    log_path: Path
    pump: threading.Thread

    def stop(self, sig: int = signal.SIGINT, timeout: float = 15.0) -> int:
        """Stop it the way a person does (Ctrl-C); the exit code."""
        if self.process.poll() is None:
            # The whole process group, as a terminal's Ctrl-C does (make and its child alike).
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.pump.join(5)
        return self.process.returncode


def start_process(
    command: list[str], *, cwd: Path, env: dict[str, str], log_path: Path, timeout: float = START_TIMEOUT
) -> Served:
    """Start a command that prints `Spravka: http://…` once it serves; wait for that address."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("w", encoding="utf-8")
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        encoding="utf-8",
        start_new_session=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        with log, process.stdout:
            for line in process.stdout:
                log.write(line)
                log.flush()
                lines.put(line)
        lines.put(None)

    pumping = threading.Thread(target=pump, daemon=True)
    pumping.start()
    try:
        while True:
            line = lines.get(timeout=timeout)
            if line is None:
                break
            if "Spravka: http://" in line:
                url = line[line.index("http://") :].split()[0]
                return Served(url, process, log_path, pumping)
    except queue.Empty:
        pass
    process.kill()
    process.wait()
    pumping.join(5)
    raise RuntimeError(f"{' '.join(command)} did not print its address:\n{log_path.read_text(encoding='utf-8')}")


def start_serve(workdir: Path, *, allowed_origins: str = "") -> Served:
    """`spravka serve` on a free port with its own site folder and store under workdir."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_DIR / "functions"),
        "SPRAVKA_DATA_DIR": str(workdir / "data"),
        "READINGS_STORE": f"sqlite:///{workdir / 'data' / 'readings.sqlite3'}",
        # Any day of the month: the tests must not depend on the calendar.
        "READINGS_WINDOW": "1-31",
        "ALLOWED_ORIGINS": allowed_origins,
        "NO_MKDOCS_2_WARNING": "1",
    }
    command = [
        sys.executable,
        "-c",
        "import sys; from spravka_tools.cli import main; sys.exit(main())",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--site-dir",
        str(workdir / "site"),
    ]
    return start_process(command, cwd=REPO_DIR, env=env, log_path=workdir / "serve.log")


@dataclasses.dataclass
class OtherOrigin:
    """A plain HTML site on another origin that embeds the widget from the help site."""

    url: str
    pages: dict[str, str]


def _page_handler(pages: dict[str, str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            body = pages.get(self.path.split("?")[0])
            if body is None:
                self.send_error(404)
                return
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture(scope="session")
def other_origin() -> Iterator[OtherOrigin]:
    pages: dict[str, str] = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _page_handler(pages))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield OtherOrigin(f"http://127.0.0.1:{server.server_port}", pages)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory, other_origin: OtherOrigin) -> Iterator[Served]:
    """The local run, as the README starts it, shared by the browser tests."""
    server = start_serve(tmp_path_factory.mktemp("serve"), allowed_origins=other_origin.url)
    yield server
    server.stop()
    keep_log(server, "serve")


@pytest.fixture(scope="session")
def stalled_address() -> Iterator[str]:
    """An address that accepts connections and never answers: functions that are too slow."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/api/"
    listener.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/system-deps.sh (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    from spravka_tools.emulator import real_clock_environment

    with sync_playwright() as playwright:
        # The browser is the customer's device: it keeps the machine's clock under scripts/test-any-day.sh.
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, env=real_clock_environment()
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser tab (its own cookies and sessionStorage), desktop-sized, in Russian."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ru-RU")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], "JavaScript errors on the page"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR


def keep_log(served: Served, name: str) -> None:
    """Keep a server's output among the artifacts, to read after a failed run."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    shutil.copy(served.log_path, ARTIFACTS_DIR / f"{name}.log")
