"""Fixtures of the readings work: the Firestore emulator (one per session, wiped between tests),
a TCP proxy to cut it off, the two stores, and the `readings` function over either of them."""

from __future__ import annotations

import dataclasses
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

MAIN = Path(__file__).resolve().parent.parent / "functions" / "main.py"
PROJECT = "spravka-test"
STORES = ["sqlite", pytest.param("firestore", marks=pytest.mark.firestore)]

ACCOUNTS_CSV = """account,meter,resource,zones,digits,serial,last_date,last_t1,last_t2,last_t3
000000000001,m1,electricity,1,6,EM-1001,2026-10-20,1000,,
000000000002,m2,electricity,2,6,EM-1002,2026-10-20,5000,2000,
000000000003,m3,electricity,3,6,EM-1003,2026-10-20,12000,8000,3000
000000000005,m5,electricity,1,5,EM-1005,2026-10-20,99950,,
000000000006,hw1,hot_water,1,5,WH-3001,2026-10-20,123.456,,
000000000006,cw1,cold_water,1,5,WC-3002,2026-10-20,234.567,,
"""


@pytest.fixture(scope="session")
def firestore_emulator() -> Iterator[Any]:
    """The official emulator on a free port, FIRESTORE_EMULATOR_HOST pointing at it; killed at the end."""
    from spravka_tools.emulator import EmulatorMissing, start_emulator

    try:
        emulator = start_emulator()
    except EmulatorMissing as error:
        pytest.fail(f"{error}. The Firestore tests need it (CI must have it).")
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("FIRESTORE_EMULATOR_HOST", emulator.host)
            patch.setenv("GOOGLE_CLOUD_PROJECT", PROJECT)
            yield emulator
    finally:
        emulator.stop()


@pytest.fixture
def firestore_store(firestore_emulator: Any) -> Iterator[Any]:
    from spravka.store.firestore import FirestoreStore

    firestore_emulator.wipe(PROJECT)
    store = FirestoreStore(project=PROJECT)
    yield store
    store.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Any]:
    from spravka.store.sqlite import SqliteStore

    store = SqliteStore(tmp_path / "readings.sqlite3")
    yield store
    store.close()


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest) -> Any:
    """Each store in turn: the shared contract suite runs against both."""
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Any]:
    """Another instance of the current test's store over the same data (as another function instance would be)."""
    opened: list[Any] = []

    def make() -> Any:
        kind = request.node.callspec.params["store"]
        if kind == "sqlite":
            from spravka.store.sqlite import SqliteStore

            opened.append(SqliteStore(tmp_path / "readings.sqlite3"))
        else:
            from spravka.store.firestore import FirestoreStore

            opened.append(FirestoreStore(project=PROJECT))
        return opened[-1]

    yield make
    for store in opened:
        store.close()


def load_accounts(store: Any, text: str = ACCOUNTS_CSV) -> None:
    from spravka_tools.accounts import import_accounts

    import_accounts(store, text, timezone="Europe/Moscow")


@dataclasses.dataclass
class ReadingsApp:
    """The `readings` function through functions-framework, and the store it uses."""

    client: Any
    store: Any


@pytest.fixture(params=STORES)
def readings_app(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[ReadingsApp]:
    import functions_framework

    from spravka.store import get_store

    if request.param == "firestore":
        request.getfixturevalue("firestore_emulator").wipe(PROJECT)
        monkeypatch.setenv("READINGS_STORE", "firestore")
    else:
        monkeypatch.setenv("READINGS_STORE", f"sqlite:///{tmp_path / 'readings.sqlite3'}")
    get_store.cache_clear()
    store = get_store()
    load_accounts(store)
    yield ReadingsApp(functions_framework.create_app("readings", str(MAIN)).test_client(), store)
    store.close()
    get_store.cache_clear()


class TcpProxy:
    """A real TCP relay to the emulator that a test can cut (connections dropped, new ones refused)."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.open = True
        self._sockets: list[socket.socket] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._relay, args=(source, sink), daemon=True).start()

    @staticmethod
    def _relay(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self) -> None:
        self.open = False
        sockets, self._sockets = self._sockets, []
        for end in sockets:
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self.cut()
        self._server.close()


@pytest.fixture
def firestore_proxy(firestore_emulator: Any) -> Iterator[TcpProxy]:
    firestore_emulator.wipe(PROJECT)
    proxy = TcpProxy(firestore_emulator.port)
    yield proxy
    proxy.close()
