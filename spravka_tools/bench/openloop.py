"""An open-loop HTTP load generator: requests leave on a fixed schedule, whatever the server does.

A closed-loop client (send, wait, send) slows down with the server and so hides its stalls
("coordinated omission"). Here each request has a scheduled departure time, computed from the
arrival rate before the run; its latency is counted from that time, so a request that had to
wait for a free connection or for the server's backlog pays for the wait.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Sequence

from spravka_tools.bench._common import percentile

MAX_CONNECTIONS = 256  # in flight at once; more arrivals wait (and that wait is counted)
REQUEST_TIMEOUT = 10.0  # seconds from the scheduled time; later counts as failed


@dataclasses.dataclass(frozen=True)
class Phase:
    """`seconds` of arrivals at `rate` per second, ramping linearly to `end_rate` when it is given."""

    name: str
    seconds: float
    rate: float
    end_rate: float | None = None


@dataclasses.dataclass
class Outcome:
    """One request: its phase, latency from its scheduled time, HTTP status (0: failed to get one)."""

    phase: str
    latency: float
    status: int
    error: str = ""


@dataclasses.dataclass(frozen=True)
class PhaseFigures:
    """What one phase measured."""

    name: str
    sent: int
    ok: int
    failed: int
    per_second: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[int, int]


def schedule(phases: Sequence[Phase], *, limit: int) -> list[tuple[float, str]]:
    """(departure offset in seconds, phase name) of every request, at most `limit` of them."""
    plan: list[tuple[float, str]] = []
    start = 0.0
    for phase in phases:
        end_rate = phase.rate if phase.end_rate is None else phase.end_rate
        t = 0.0
        while t < phase.seconds and len(plan) < limit:
            plan.append((start + t, phase.name))
            rate = phase.rate + (end_rate - phase.rate) * t / phase.seconds
            t += 1.0 / max(rate, 1e-6)
        start += phase.seconds
    return plan


def run_open_loop(
    port: int,
    phases: Sequence[Phase],
    make_request: Callable[[int], bytes],
    *,
    limit: int,
    ok: Callable[[int], bool] = lambda status: status < 400,
) -> list[PhaseFigures]:
    """Send request i (`make_request(i)`, raw HTTP/1.1 bytes) at its scheduled time; figures per phase."""
    plan = schedule(phases, limit=limit)
    outcomes = asyncio.run(_drive(port, plan, make_request))
    durations = {phase.name: phase.seconds for phase in phases}
    return [_figures(name, [o for o in outcomes if o.phase == name], durations[name], ok) for name in durations]


def http_request(method: str, path: str, port: int, body: bytes = b"") -> bytes:
    """A raw HTTP/1.1 request with a JSON body (or none), keep-alive."""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return (head + "\r\n").encode("ascii") + body


async def _drive(port: int, plan: list[tuple[float, str]], make_request: Callable[[int], bytes]) -> list[Outcome]:
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    slots = asyncio.Semaphore(MAX_CONNECTIONS)
    outcomes: list[Outcome] = []
    requests = [make_request(i) for i in range(len(plan))]  # built before the clock starts
    loop = asyncio.get_running_loop()
    began = loop.time()

    async def one(i: int, due: float, phase: str) -> None:
        try:
            status, error = await asyncio.wait_for(
                _exchange(port, requests[i], idle, slots), timeout=max(0.1, due + REQUEST_TIMEOUT - loop.time())
            )
        except asyncio.TimeoutError:
            status, error = 0, "timeout"
        outcomes.append(Outcome(phase, loop.time() - due, status, error))

    tasks = []
    for i, (offset, phase) in enumerate(plan):
        due = began + offset
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, due, phase)))
    await asyncio.gather(*tasks)
    for _, writer in idle:
        writer.close()
    return outcomes


async def _exchange(
    port: int, request: bytes, idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]], slots: asyncio.Semaphore
) -> tuple[int, str]:
    async with slots:
        reused = bool(idle)
        reader, writer = idle.pop() if idle else await asyncio.open_connection("127.0.0.1", port)
        try:
            status, keep = await _send(reader, writer, request)
        except (ConnectionError, asyncio.IncompleteReadError) as error:
            writer.close()
            if not reused:
                return 0, type(error).__name__
            # The server closed an idle kept-alive connection (gunicorn's keepalive is 2 s) before
            # reading the request: it never saw it, so sending it again on a new connection is safe.
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                status, keep = await _send(reader, writer, request)
            except (ConnectionError, asyncio.IncompleteReadError) as again:
                writer.close()
                return 0, type(again).__name__
        if keep:
            idle.append((reader, writer))
        else:
            writer.close()
        return status, ""


async def _send(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> tuple[int, bool]:
    """(status, connection reusable) of one request/response on the connection."""
    writer.write(request)
    await writer.drain()
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    lines = head.split("\r\n")
    status = int(lines[0].split()[1])
    headers = {
        name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:] if line)
    }
    if "content-length" not in headers:
        raise ConnectionError("response without Content-Length")
    await reader.readexactly(int(headers["content-length"]))
    return status, headers.get("connection", "").lower() != "close"


def _figures(name: str, outcomes: list[Outcome], seconds: float, ok: Callable[[int], bool]) -> PhaseFigures:
    good = [o.latency for o in outcomes if o.status and ok(o.status)]
    statuses: dict[int, int] = {}
    for outcome in outcomes:
        statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
    ms = [latency * 1000 for latency in (good or [0.0])]
    return PhaseFigures(
        name=name,
        sent=len(outcomes),
        ok=len(good),
        failed=len(outcomes) - len(good),
        per_second=len(good) / seconds if seconds else 0.0,
        p50_ms=percentile(ms, 0.5),
        p99_ms=percentile(ms, 0.99),
        max_ms=max(ms),
        statuses=statuses,
    )
