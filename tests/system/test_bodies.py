"""Request bodies on the production server (functions-framework + gunicorn): refused by their
declared length before they are read, chunked bodies capped while reading, a malformed one a 400."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spravka.body_deadline import BODY_SECONDS
from spravka.http import MAX_BODY_BYTES

MAIN = Path(__file__).resolve().parents[2] / "functions" / "main.py"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from spravka_tools.bench._common import serve_function

    db = tmp_path_factory.mktemp("bodies") / "spravka.sqlite3"
    env = {
        "READINGS_STORE": f"sqlite:///{db}",
        "PYTHONPATH": str(MAIN.parent),
        "QUESTION_LOG": "off",
        "WORKERS": "1",
        "THREADS": "8",  # as deployed
    }
    with serve_function("ask", MAIN, json.dumps({"q": "привет"}).encode(), env=env) as served:
        yield served


def exchange(
    port: int, head: bytes, body_chunks: Iterator[bytes] | list[bytes], timeout: float = 20
) -> tuple[int, dict[str, Any]]:
    """Send raw bytes, stop sending when the server answers or closes; (status, JSON body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(head)
        connection.setblocking(False)
        received = b""
        for chunk in body_chunks:
            try:
                received += connection.recv(65536)
            except BlockingIOError:
                pass
            if received:
                break
            try:
                connection.setblocking(True)
                connection.sendall(chunk)
                connection.setblocking(False)
            except (BrokenPipeError, ConnectionResetError):
                break
        connection.setblocking(True)
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in received or not _complete(received):
            if time.monotonic() > deadline:
                raise TimeoutError(received[:200])
            more = connection.recv(65536)
            if not more:
                break
            received += more
    header, _, body = received.partition(b"\r\n\r\n")
    return int(header.split()[1]), json.loads(body) if body else {}


def _complete(received: bytes) -> bool:
    header, _, body = received.partition(b"\r\n\r\n")
    for line in header.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return True


def post_head(length: int | str | None, chunked: bool = False) -> bytes:
    lines = ["POST / HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    lines += [f"Content-Length: {length}"] if length is not None else []
    lines += ["Transfer-Encoding: chunked"] if chunked else []
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_an_absurd_length_is_refused_at_once(server: Any) -> None:
    status, body = exchange(server.port, post_head(10**20), [b'{"q": "x"}'], timeout=10)
    assert status == 413 and body["error"]["code"] == "payload_too_large"


def test_a_300_mb_body_is_refused_without_being_read(server: Any) -> None:
    from spravka_tools.bench._common import peak_rss_mb

    size = 300 * 2**20
    chunks = (b"x" * 2**20 for _ in range(300))
    status, body = exchange(server.port, post_head(size), chunks)
    assert status == 413 and body["error"]["code"] == "payload_too_large"
    assert peak_rss_mb(server.process.pid) < 100


def test_a_chunked_body_is_capped_while_read(server: Any) -> None:
    chunk = b"x" * 8192
    frames = [f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" for _ in range(MAX_BODY_BYTES // len(chunk) + 64)]
    status, body = exchange(server.port, post_head(None, chunked=True), frames + [b"0\r\n\r\n"])
    assert status == 413 and body["error"]["code"] == "payload_too_large"


def test_a_small_chunked_body_is_read(server: Any) -> None:
    data = json.dumps({"q": "как оплатить электроэнергию"}, ensure_ascii=False).encode()
    frame = f"{len(data):x}\r\n".encode() + data + b"\r\n0\r\n\r\n"
    status, body = exchange(server.port, post_head(None, chunked=True), [frame])
    assert status == 200 and body["kind"] in {"answer", "clarify"}


def test_a_malformed_chunked_body_is_a_400(server: Any) -> None:
    status, body = exchange(server.port, post_head(None, chunked=True), [b"zz\r\nnot a chunk\r\n0\r\n\r\n"])
    assert status == 400 and body["error"]["code"] == "body_invalid"


# Slow bodies: a client that sends half its body and waits


def _stall(port: int, answers: list[tuple[float, int, str]]) -> None:
    body = json.dumps({"q": "как оплатить электроэнергию"}, ensure_ascii=False).encode()
    begun = time.monotonic()
    status, reply = exchange(port, post_head(len(body)), [body[: len(body) // 2]], timeout=BODY_SECONDS + 20)
    answers.append((time.monotonic() - begun, status, reply["error"]["code"]))


def _ordinary(port: int) -> tuple[float, int]:
    body = json.dumps({"q": "как оплатить электроэнергию"}, ensure_ascii=False).encode()
    begun = time.monotonic()
    status, _ = exchange(port, post_head(len(body)), [body], timeout=BODY_SECONDS + 20)
    return time.monotonic() - begun, status


def _with_stalled_clients(port: int, count: int) -> tuple[tuple[float, int], list[tuple[float, int, str]]]:
    answers: list[tuple[float, int, str]] = []
    stalled = [threading.Thread(target=_stall, args=(port, answers), daemon=True) for _ in range(count)]
    for thread in stalled:
        thread.start()
    time.sleep(1.0)  # every stalled request has reached the server
    during = _ordinary(port)
    for thread in stalled:
        thread.join(BODY_SECONDS + 30)
    return during, answers


def test_slow_bodies_are_cut_off_and_do_not_block_others_for_long(server: Any) -> None:
    """8 clients stall mid-body on 1 worker × 8 threads: each gets 408 at the deadline; another client waits at most that long."""
    (waited, status), answers = _with_stalled_clients(server.port, 8)
    assert status == 200 and waited < BODY_SECONDS + 3
    assert [(status, code) for _, status, code in answers] == [(408, "body_timeout")] * 8
    assert all(BODY_SECONDS - 1 < held < BODY_SECONDS + 5 for held, _, _ in answers)


def test_slow_bodies_do_not_block_the_local_run() -> None:
    """The local run's server gives each connection a thread: others are answered at once."""
    import functions_framework

    from spravka_tools.serve import bind

    local = bind("127.0.0.1", 0, functions_framework.create_app("ask", str(MAIN)))
    serving = threading.Thread(target=local.serve_forever, daemon=True)
    serving.start()
    try:
        (waited, status), answers = _with_stalled_clients(local.server_port, 8)
    finally:
        local.shutdown()
        local.server_close()
    assert status == 200 and waited < 3
    assert [(status, code) for _, status, code in answers] == [(408, "body_timeout")] * 8
