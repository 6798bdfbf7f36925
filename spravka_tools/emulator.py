"""The official Cloud Firestore emulator of the machine image, for tests, benchmarks and local runs."""

from __future__ import annotations

import dataclasses
import logging
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

log = logging.getLogger(__name__)

EMULATOR_JAR = Path("/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar")
MAIN_CLASS = "com.google.cloud.datastore.emulator.firestore.CloudFirestore"
START_TIMEOUT = 60.0


class EmulatorMissing(RuntimeError):
    """The emulator's jar or Java is not installed."""


def real_clock_environment() -> dict[str, str]:
    """This environment without Debian's faketime: the emulator keeps the machine's clock.

    scripts/test-any-day.sh runs the tests under faketime (LD_PRELOAD); a JVM under it hangs in
    start-up. The emulator stands for Google's servers, whose clock is never the product's: the
    product stamps every document with its own clock (spravka.clock) and uses no server timestamps.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAKETIME")}
    preload = [lib for lib in env.get("LD_PRELOAD", "").split(":") if lib and "faketime" not in lib]
    if preload:
        env["LD_PRELOAD"] = ":".join(preload)
    else:
        env.pop("LD_PRELOAD", None)
    return env


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, timeout: float) -> None:
    """Wait until the port accepts: a client created earlier would sit in gRPC's reconnect backoff."""
    give_up = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if time.monotonic() > give_up:
                raise TimeoutError(f"the Firestore emulator did not open port {port} in {timeout:.0f} s") from None
            time.sleep(0.05)


@dataclasses.dataclass
class Emulator:
    """A running emulator process; stop() ends its JVM."""

    process: subprocess.Popen[bytes]
    port: int

    @property
    def host(self) -> str:
        """The address for FIRESTORE_EMULATOR_HOST."""
        return f"127.0.0.1:{self.port}"

    def wipe(self, project: str) -> None:
        """Delete every document of one project (the emulator's own HTTP endpoint)."""
        url = f"http://{self.host}/emulator/v1/projects/{project}/databases/(default)/documents"
        urllib.request.urlopen(urllib.request.Request(url, method="DELETE"), timeout=10).close()

    def stop(self) -> None:
        """Terminate the JVM (kill it if it does not stop in 10 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_emulator(*, jar: Path | None = None, port: int | None = None) -> Emulator:
    """Start the emulator as one java process on a free port and wait until it accepts connections."""
    jar = jar or EMULATOR_JAR
    if not jar.is_file():
        raise EmulatorMissing(
            f"the Firestore emulator is missing ({jar}); it ships with Debian's "
            "google-cloud-cli-firestore-emulator package (see scripts/system-deps.sh)"
        )
    port = port or free_port()
    command = ["java", "-cp", str(jar), MAIN_CLASS, "start", "--host=127.0.0.1", f"--port={port}"]
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=real_clock_environment()
        )
    except FileNotFoundError:
        raise EmulatorMissing("java is not installed; the Firestore emulator needs it") from None
    emulator = Emulator(process, port)
    try:
        wait_for_port(port, START_TIMEOUT)
    except TimeoutError:
        emulator.stop()
        raise
    log.info("firestore emulator on %s", emulator.host)
    return emulator
