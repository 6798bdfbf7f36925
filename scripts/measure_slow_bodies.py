"""Do clients that stall halfway through their request body block everyone else?

Starts `ask` on functions-framework's production server (gunicorn, WORKERS=1 and THREADS as
deployed) and the local run's server (werkzeug, a thread per connection), opens N connections
that send the headers and half of a small body and then wait, and while they wait times an
ordinary `POST /` from another client. Prints, per server: how long the ordinary request took,
and what the stalled ones got (and after how long).

    .venv/bin/python scripts/measure_slow_bodies.py [--stalled 8] [--threads 8]

Figures go to docs/scale.md («Slow clients»). Nothing is asserted here; tests/system/test_bodies.py
asserts the bound.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "functions")]

from spravka_tools.bench._common import serve_function  # noqa: E402

MAIN = REPO / "functions" / "main.py"
BODY = json.dumps({"q": "как оплатить электроэнергию"}, ensure_ascii=False).encode()
PATIENCE = 30.0  # seconds an ordinary request or a stalled one is waited for


def head(length: int) -> bytes:
    return (
        f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


def stall(port: int, results: list[tuple[float, str]], started: threading.Event) -> None:
    """Headers and half the body, then nothing: what the server answers, and when."""
    begun = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=PATIENCE) as connection:
            connection.sendall(head(len(BODY)) + BODY[: len(BODY) // 2])
            started.set()
            answer = connection.recv(200)
            status = answer.split(b" ", 2)[1].decode() if answer else "closed"
    except TimeoutError:
        status = f"still waiting after {PATIENCE:.0f} s"
    results.append((time.monotonic() - begun, status))


def ordinary(port: int) -> tuple[float, str]:
    """One whole request on a fresh connection: seconds to its answer, and its status."""
    begun = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=PATIENCE) as connection:
            connection.sendall(head(len(BODY)) + BODY)
            answer = connection.recv(200)
            return time.monotonic() - begun, answer.split(b" ", 2)[1].decode() if answer else "closed"
    except TimeoutError:
        return time.monotonic() - begun, f"no answer in {PATIENCE:.0f} s"


def measure(port: int, stalled: int) -> dict[str, object]:
    quiet = ordinary(port)
    results: list[tuple[float, str]] = []
    events = [threading.Event() for _ in range(stalled)]
    threads = [threading.Thread(target=stall, args=(port, results, event), daemon=True) for event in events]
    for thread in threads:
        thread.start()
    for event in events:
        event.wait(10)
    time.sleep(0.5)  # every stalled request is in the server now
    during = ordinary(port)
    for thread in threads:
        thread.join(PATIENCE + 5)
    statuses = sorted({status for _, status in results})
    return {
        "ordinary request, quiet (s)": round(quiet[0], 3),
        f"ordinary request while {stalled} stall (s)": round(during[0], 3),
        "its status": during[1],
        "stalled requests got": ", ".join(statuses),
        "stalled held for (s, max)": round(max((t for t, _ in results), default=0.0), 1),
    }


@contextmanager
def local_run() -> Iterator[int]:
    """The local run's server (spravka_tools.serve.bind) around the ask function alone."""
    import functions_framework

    from spravka_tools.serve import bind

    server = bind("127.0.0.1", 0, functions_framework.create_app("ask", str(MAIN)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stalled", type=int, default=8, help="clients that stall mid-body (default 8)")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn THREADS, as deployed (default 8)")
    args = parser.parse_args()
    env = {"QUESTION_LOG": "off", "WORKERS": "1", "THREADS": str(args.threads), "PYTHONPATH": str(MAIN.parent)}
    with serve_function("ask", MAIN, BODY, env=env) as served:
        print(f"gunicorn, 1 worker × {args.threads} threads:", measure(served.port, args.stalled))  # noqa: T201
    with local_run() as port:
        print("local run (werkzeug, a thread per connection):", measure(port, args.stalled))  # noqa: T201


if __name__ == "__main__":
    main()
