"""What the benchmarks share: percentiles, the machine, functions served by functions-framework, HTTP load."""

from __future__ import annotations

import dataclasses
import http.client
import json
import math
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from spravka.paths import REPO_DIR
from spravka_tools.emulator import free_port

FUNCTIONS_FRAMEWORK = Path(sys.executable).parent / "functions-framework"
START_TIMEOUT = 60.0  # seconds from spawn to the first 200 before we give up
STOP_TIMEOUT = 5.0  # seconds for a graceful stop before SIGKILL
REQUEST_TIMEOUT = 10.0


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (0 < fraction ≤ 1) of the values."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def machine() -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return (
        f"machine: nproc {cpus} (cpu_count {os.cpu_count()}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()} {platform.machine()}; load average {load} (1/5/15 min)"
    )


def server_settings() -> str:
    """The production server functions-framework picks here (gunicorn gthread; see its _http/gunicorn.py)."""
    workers = int(os.environ.get("WORKERS", 1))
    threads = int(os.environ.get("THREADS", (os.cpu_count() or 1) * 4))
    return f"gunicorn (functions-framework's production server), {workers} worker × {threads} threads"


def post_json(conn: http.client.HTTPConnection, body: bytes, headers: Mapping[str, str] | None = None) -> int:
    """POST a JSON body on a kept-alive connection; the status, body read to the end."""
    conn.request("POST", "/", body=body, headers={"Content-Type": "application/json", **(headers or {})})
    response = conn.getresponse()
    response.read()
    return response.status


@contextmanager
def sigterm_as_exit() -> Iterator[None]:
    """Turn SIGTERM into SystemExit while inside, so that `finally` blocks still stop the servers we spawned."""

    def leave(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, leave)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@dataclasses.dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    first_answer: float  # seconds from spawn to the first 200


@contextmanager
def serve_function(
    target: str,
    source: Path,
    probe: bytes,
    *,
    env: Mapping[str, str] | None = None,
    ready: Collection[int] = (200,),
    headers: Mapping[str, str] | None = None,
) -> Iterator[Served]:
    """Spawn `functions-framework --target T --source S` on a free loopback port; stop it on exit, whatever happens.

    It counts as up once a POST of `probe` answers with a status in `ready`.
    """
    port = free_port()
    command = [
        str(FUNCTIONS_FRAMEWORK),
        "--target",
        target,
        "--source",
        str(source),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        # A session of its own, so that stopping reaches gunicorn's worker too.
        process = subprocess.Popen(
            command, cwd=REPO_DIR, env={**os.environ, **(env or {})}, stdout=log, stderr=log, start_new_session=True
        )
        try:
            _wait_for_answer(process, port, probe, log, ready, headers)
            yield Served(process, port, time.perf_counter() - started)
        finally:
            _stop(process)


def _wait_for_answer(
    process: subprocess.Popen[bytes],
    port: int,
    probe: bytes,
    log: IO[bytes],
    ready: Collection[int],
    headers: Mapping[str, str] | None = None,
) -> None:
    deadline = time.perf_counter() + START_TIMEOUT
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(
                f"functions-framework exited with {process.returncode}: {log.read().decode(errors='replace')[-2000:]}"
            )
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=START_TIMEOUT)
        try:
            if post_json(conn, probe, headers) in ready:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.005)
    raise RuntimeError(f"functions-framework did not answer within {START_TIMEOUT:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    for sig, wait in ((signal.SIGTERM, STOP_TIMEOUT), (signal.SIGKILL, STOP_TIMEOUT)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            continue
        try:  # the master is gone; make sure no worker of its group lingers
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of pid and its children (gunicorn's worker), in seconds; 0 without /proc."""
    total = 0
    for one in [pid] + [int(p) for p in _children(pid)]:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """Peak RSS (VmHWM) of the largest process in pid's tree, in MB; 0 where /proc is not there."""
    pids = [pid] + [int(p) for p in _children(pid)]
    peaks = []
    for one in pids:
        try:
            status = Path(f"/proc/{one}/status").read_text()
        except OSError:
            continue
        peaks += [int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")]
    return max(peaks, default=0.0)


def _children(pid: int) -> list[str]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid):
            found.append(stat.parent.name)
    return found


def throughput(port: int, bodies: Sequence[bytes], *, clients: int, seconds: float) -> tuple[float, int, int]:
    """(requests/s, answered, failed): `clients` threads, each on one kept-alive connection, for `seconds`."""
    answered = [0] * clients
    failed = [0] * clients
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        i = number * 97
        start.wait()
        try:
            while time.perf_counter() < deadline[0]:
                try:
                    ok = post_json(conn, bodies[i % len(bodies)]) == 200
                except (OSError, http.client.HTTPException):
                    ok = False
                    conn.close()
                if ok:
                    answered[number] += 1
                else:
                    failed[number] += 1
                i += 1
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join(seconds + REQUEST_TIMEOUT + 5)
    elapsed = time.perf_counter() - began
    return sum(answered) / elapsed, sum(answered), sum(failed)


# Printed last by the child. VmHWM, not ru_maxrss: on Linux a child's ru_maxrss starts from
# its parent's peak (kept across fork and exec), so a big parent would inflate it.
_PRINT_PEAK_KB = """
import resource as _resource
try:
    print(next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")))
except (OSError, StopIteration):
    print(_resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss)
"""


@dataclasses.dataclass(frozen=True)
class Round:
    """One measured round of one served function."""

    rate: float  # answered requests per second
    failed: int
    cpu_ms: float  # server CPU per answered request
    first_answer_ms: float  # spawn to the first 200
    peak_rss_mb: float


# One variant to serve: (target, source file, extra environment).
Variant = tuple[str, Path, Mapping[str, str]]


def interleaved_rounds(
    variants: Callable[[int], Mapping[str, Variant]],
    bodies: Sequence[bytes],
    *,
    rounds: int,
    seconds: float,
    warmup: float,
    clients: int,
    probe: bytes,
) -> dict[str, list[Round]]:
    """Each round serves every variant afresh in turn (so a burst of other load hits all of them), warms it up,
    then measures `clients` keep-alive clients for `seconds`. `variants(round_number)` names them."""
    results: dict[str, list[Round]] = {}
    for number in range(rounds):
        for name, (target, source, env) in variants(number).items():
            with serve_function(target, source, probe, env=env) as served:
                throughput(served.port, bodies, clients=clients, seconds=warmup)
                used = cpu_seconds(served.process.pid)
                rate, answered, failed = throughput(served.port, bodies, clients=clients, seconds=seconds)
                used = cpu_seconds(served.process.pid) - used
                results.setdefault(name, []).append(
                    Round(
                        rate,
                        failed,
                        1000 * used / max(answered, 1),
                        served.first_answer * 1000,
                        peak_rss_mb(served.process.pid),
                    )
                )
    return results


def subprocess_peak_rss_mb(code: str, *, stdin: str = "", timeout: float = 120.0) -> float:
    """Peak RSS in MB of a fresh interpreter that runs `code`."""
    result = subprocess.run(
        [sys.executable, "-c", code + _PRINT_PEAK_KB],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO_DIR,
        timeout=timeout,
        check=True,
    )
    return int(result.stdout.strip().splitlines()[-1]) / 1024


def json_body(question: str) -> bytes:
    return json.dumps({"q": question}, ensure_ascii=False).encode("utf-8")
