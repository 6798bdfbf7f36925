"""`spravka bench bots`: each bot function's cold start and its server CPU per update, against the trivial function.

Cold start: spawn of functions-framework to the first answered update (a /start for Telegram,
conversation_started for Viber: the dialog, the index and the store all loaded), median of 3.
CPU per update: questions typed to the bot, each a new update, on one kept-alive connection;
the server's user + system CPU over them, divided by their number. The Viber bot's replies go
to a local stand-in of its API started here (a call per reply is part of its cost).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import http.server
import json
import statistics
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from spravka.paths import PACKAGE_DIR
from spravka_tools.bench._common import cpu_seconds, machine, post_json, serve_function

MAIN_SOURCE = PACKAGE_DIR.parent / "main.py"
TRIVIAL_SOURCE = Path(__file__).with_name("trivial.py")
SECRET = "bench-secret"
VIBER_TOKEN = "bench-viber-token"
# Questions of the benchmark's own wording (never the evaluation sets').
QUESTIONS = ("как оплатить электроэнергию без комиссии", "когда передавать показания", "куда звонить если нет света")


def telegram_update(number: int, text: str) -> bytes:
    chat = {"id": 5000 + number % 50, "type": "private", "first_name": "Bench"}
    message = {"message_id": number, "chat": chat, "from": {"id": chat["id"], "is_bot": False}, "text": text}
    return json.dumps({"update_id": 100000 + number, "message": message}, ensure_ascii=False).encode()


def viber_callback(number: int, text: str | None) -> bytes:
    user = {"id": f"bench{number % 50:04d}==", "name": "Bench"}
    if text is None:
        callback = {"event": "conversation_started", "message_token": 900000 + number, "user": user}
    else:
        message = {"type": "text", "text": text}
        callback = {"event": "message", "message_token": 900000 + number, "sender": user, "message": message}
    return json.dumps(callback, ensure_ascii=False).encode()


def viber_headers(body: bytes) -> dict[str, str]:
    return {"X-Viber-Content-Signature": hmac.new(VIBER_TOKEN.encode(), body, hashlib.sha256).hexdigest()}


@contextmanager
def stand_in() -> Iterator[str]:
    """A local API answering every POST with {"status": 0} (what Viber answers), for the bots' outgoing calls."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(200)
            self.send_header("Content-Length", "13")
            self.end_headers()
            self.wfile.write(b'{"status": 0}')

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


Request = Callable[[int], tuple[bytes, dict[str, str]]]


def targets() -> dict[str, tuple[str, Path, Request, Request]]:
    """name -> (entry point, source, the probe's request, the n-th measured request)."""

    def trivial(n: int) -> tuple[bytes, dict[str, str]]:
        return b'{"q": "x"}', {}

    def telegram_start(n: int) -> tuple[bytes, dict[str, str]]:
        return telegram_update(n, "/start"), {"X-Telegram-Bot-Api-Secret-Token": SECRET}

    def telegram_question(n: int) -> tuple[bytes, dict[str, str]]:
        return telegram_update(n, QUESTIONS[n % len(QUESTIONS)]), {"X-Telegram-Bot-Api-Secret-Token": SECRET}

    def viber_start(n: int) -> tuple[bytes, dict[str, str]]:
        body = viber_callback(n, None)
        return body, viber_headers(body)

    def viber_question(n: int) -> tuple[bytes, dict[str, str]]:
        body = viber_callback(n, QUESTIONS[n % len(QUESTIONS)])
        return body, viber_headers(body)

    return {
        "trivial": ("trivial", TRIVIAL_SOURCE, trivial, trivial),
        "telegram": ("telegram", MAIN_SOURCE, telegram_start, telegram_question),
        "viber": ("viber", MAIN_SOURCE, viber_start, viber_question),
    }


def run(args: argparse.Namespace) -> None:
    runs, updates = (1, 30) if args.quick else (3, 300)
    print(machine(), flush=True)
    with tempfile.TemporaryDirectory() as tmp, stand_in() as api:
        env = {
            "READINGS_STORE": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
            "TELEGRAM_TOKEN": "bench:token",
            "TELEGRAM_SECRET": SECRET,
            "VIBER_TOKEN": VIBER_TOKEN,
            "TELEGRAM_API_BASE": api,
            "VIBER_API_BASE": api,
            "QUESTION_LOG": "off",
        }
        starts: dict[str, list[float]] = {name: [] for name in targets()}
        cpu: dict[str, float] = {}
        offset = 0
        for round_ in range(runs):
            for name, (target, source, probe, request) in targets().items():
                offset += 100000
                body, headers = probe(offset)
                with serve_function(target, source, body, env=env, headers=headers) as served:
                    starts[name].append(served.first_answer * 1000)
                    if round_ == 0:
                        cpu[name] = _cpu_per_update(served.process.pid, served.port, request, offset, updates)
    print(f"\n1. cold start: spawn of functions-framework to the first answered update, median of {runs}")
    for name, times in starts.items():
        print(f"   {name:<9} {statistics.median(times):>7.0f} ms (runs: {', '.join(f'{t:.0f}' for t in times)})")
    print(f"\n2. server CPU per update ({updates} questions, one kept-alive connection, question log off)")
    for name, ms in cpu.items():
        print(
            f"   {name:<9} {ms:>8.3f} ms"
            + (f"   (− trivial {ms - cpu['trivial']:+.3f} ms)" if name != "trivial" else "")
        )


def _cpu_per_update(pid: int, port: int, request: Request, offset: int, updates: int) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for n in range(10):  # warm-up: first answers load the rest
            post_json(conn, *request(offset + 1 + n))
        before = cpu_seconds(pid)
        for n in range(updates):
            post_json(conn, *request(offset + 1000 + n))
        return (cpu_seconds(pid) - before) * 1000 / updates
    finally:
        conn.close()
