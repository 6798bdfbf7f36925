"""The question log: the stores (SQLite file, Firestore emulator), the writer, `ask`'s question_id, faults, exit."""

from __future__ import annotations

import datetime
import http.client
import json
import re
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.firestore_emulator import MAIN, PROJECT, STORES

UTC = datetime.timezone.utc
# The records' times. The SQLite store purges on write what expired by the product's clock,
# which every test here holds at a day after T0 (the `log_clock` fixture), not at today's date.
T0 = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def log_clock(clock: Any) -> Any:
    return clock.set(T0 + datetime.timedelta(days=1))


@pytest.fixture(params=STORES)
def log_store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    from spravka.questions.open_store import open_log_store

    if request.param == "firestore":
        request.getfixturevalue("firestore_emulator").wipe(PROJECT)
        store = open_log_store("firestore")
    else:
        store = open_log_store(f"sqlite:///{tmp_path / 'log.sqlite3'}")
    yield store
    store.close()


def question(n: int, at: datetime.datetime) -> Any:
    from spravka.questions.records import QuestionRecord, new_id

    return QuestionRecord(
        new_id(),
        at,
        f"вопрос {n}",
        "answer",
        "payment-methods",
        None,
        70.0 + n,
        ("payment-due-date",),
        "s1",
        "visitor-1",
    )


def test_store_keeps_records_by_time_with_random_ids_and_an_expiry(log_store: Any) -> None:
    from spravka.questions.records import EventRecord, new_id

    questions = [question(n, T0 + datetime.timedelta(minutes=n)) for n in range(30)]
    events = [
        EventRecord(
            new_id(),
            T0 + datetime.timedelta(minutes=n),
            "visitor-1",
            "helpful",
            "payment-methods",
            None,
            n % 2 == 0,
            questions[n].id,
        )
        for n in range(5)
    ]
    log_store.write([*questions[::-1], *events], retention_days=400)

    read = log_store.questions()
    assert [q.q for q in read] == [f"вопрос {n}" for n in range(30)]
    assert read[3] == questions[3]
    assert [q.id for q in read] != sorted(q.id for q in read)  # ids carry no order
    window = log_store.questions(T0 + datetime.timedelta(minutes=10), T0 + datetime.timedelta(minutes=20))
    assert [q.q for q in window] == [f"вопрос {n}" for n in range(10, 20)]
    assert log_store.events() == events
    assert log_store.events(since=T0 + datetime.timedelta(hours=1)) == []


@pytest.mark.parametrize("count", [1, 63, 64, 65, 131])
def test_a_batch_of_any_size_is_written_whole_once(count: int, tmp_path: Path) -> None:
    """The SQLite store inserts many rows a statement (chunks of 64, 32, …): every size lands whole."""
    from spravka.questions.store_sqlite import SqliteLogStore

    store = SqliteLogStore(tmp_path / "log.sqlite3")
    records = [question(n, T0 + datetime.timedelta(seconds=n)) for n in range(count)]
    store.write(records, retention_days=400)
    store.write(records[: count // 2], retention_days=400)  # a retried batch: nothing doubled
    assert store.questions() == records
    store.close()


def test_a_log_file_of_the_first_layout_is_moved_to_time_order_with_every_row(tmp_path: Path) -> None:
    """Files written before the log kept rows in (at, id) order: opened, they are migrated, nothing lost."""
    from spravka.questions.store_sqlite import SqliteLogStore, _stamp

    path = tmp_path / "log.sqlite3"
    records = [question(n, T0 + datetime.timedelta(minutes=n)) for n in range(5)]
    with sqlite3.connect(path) as db:
        for table in ("questions", "events"):
            db.execute(
                f"CREATE TABLE {table} (id TEXT PRIMARY KEY, at TEXT NOT NULL, expire_at TEXT NOT NULL, "
                "doc TEXT NOT NULL)"
            )
            db.execute(f"CREATE INDEX {table}_at ON {table} (at)")
            db.execute(f"CREATE INDEX {table}_expire_at ON {table} (expire_at)")
        db.executemany(
            "INSERT INTO questions VALUES (?, ?, ?, ?)",
            [
                (r.id, _stamp(r.at), _stamp(r.at + datetime.timedelta(days=400)), json.dumps(r.to_doc()))
                for r in records[::-1]
            ],
        )
    db.close()
    store = SqliteLogStore(path)
    assert store.questions() == records
    store.write([question(9, T0 + datetime.timedelta(hours=1))], retention_days=400)
    assert [q.q for q in store.questions()] == [f"вопрос {n}" for n in (0, 1, 2, 3, 4, 9)]
    store.close()
    with sqlite3.connect(path) as db:
        tables = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall())
        indexes = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    db.close()
    assert set(tables) == {"questions", "events"} and all("WITHOUT ROWID" in sql for sql in tables.values())
    assert "questions_at" not in indexes and "questions_expire_at" in indexes


def test_expired_records_go(log_store: Any, request: pytest.FixtureRequest) -> None:
    old, recent = question(1, T0 - datetime.timedelta(days=20)), question(2, T0)
    log_store.write([old, recent], retention_days=10)
    if request.node.callspec.params["log_store"] == "firestore":
        # Firestore's TTL policy deletes them; each document carries its expiry for it.
        from google.cloud import firestore

        client = firestore.Client(project=PROJECT)
        doc = client.collection("questions").document(old.id).get().to_dict()
        client.close()
        assert doc["expire_at"] == old.at + datetime.timedelta(days=10)
        assert log_store.purge(T0) == 0
        return
    assert [q.id for q in log_store.questions()] == [recent.id]  # the write purged what had expired
    assert log_store.purge(recent.at + datetime.timedelta(days=11)) == 1
    assert log_store.questions() == []


@pytest.fixture
def ask_client(make_client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("READINGS_STORE", f"sqlite:///{tmp_path / 'spravka.sqlite3'}")
    return make_client("ask")


def logged(tmp_path: Path) -> list[dict[str, Any]]:
    from spravka.questions import writer as log_writers

    assert log_writers.flush_all()
    with sqlite3.connect(tmp_path / "spravka.sqlite3") as db:
        return [json.loads(doc) | {"id": id} for id, doc in db.execute("SELECT id, doc FROM questions")]


def test_ask_logs_the_redacted_question_with_its_outcome(ask_client: Any, tmp_path: Path) -> None:
    response = ask_client.post(
        "/",
        json={
            "q": "как оплатить электроэнергию, мой телефон +7 916 123-45-67",
            "session": "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
            "visitor": "6a0e4d2f9b8c4f1e8d3a7b5c2e1f0a9d",
        },
    )
    reply = response.get_json()
    assert response.status_code == 200 and reply["question_id"]
    [record] = logged(tmp_path)
    assert record["id"] == reply["question_id"]
    assert record["q"] == "как оплатить электроэнергию, мой телефон [телефон]"
    assert (record["kind"], record["score"], record["session"], record["visitor"]) == (
        reply["kind"],
        reply["score"],
        "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
        "6a0e4d2f9b8c4f1e8d3a7b5c2e1f0a9d",
    )
    assert record["article"] == (reply["article"] or {}).get("id")

    get = ask_client.get("/?q=" + "спасибо")
    assert get.status_code == 200 and get.get_json()["question_id"]
    assert len(logged(tmp_path)) == 2


def test_a_lone_surrogate_in_a_question_is_logged_and_drops_nothing(ask_client: Any, tmp_path: Path) -> None:
    """JSON may carry "\\ud800", which is no UTF-8: it once failed the whole batch it was written in."""
    for q in ["как оплатить электроэнергию \ud800", "как передать показания"]:
        assert ask_client.post("/", json={"q": q}).status_code == 200
    assert sorted(record["q"] for record in logged(tmp_path)) == [
        "как оплатить электроэнергию ?",
        "как передать показания",
    ]


def test_a_question_redaction_fails_on_is_dropped_alone(
    ask_client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The writer redacts (off the request path): a bug there loses that question, not its batch or the answer."""
    from spravka.questions import writer as log_writers

    def redact(text: str) -> str:
        if "сломай" in text:
            raise RuntimeError(f"a bug in redaction of {text!r}")
        return text

    monkeypatch.setattr("spravka.questions.redact.redact", redact)
    for q in ["как оплатить электроэнергию", "сломай редактирование", "как передать показания"]:
        assert ask_client.post("/", json={"q": q}).status_code == 200
    assert sorted(record["q"] for record in logged(tmp_path)) == [
        "как оплатить электроэнергию",
        "как передать показания",
    ]
    [writer] = log_writers._writers.values()
    assert writer.stats() == {"written": 2, "dropped": 1, "pending": 0}
    assert "dropped" in caplog.text and "сломай" not in caplog.text  # the question is not in the log either


NOT_AN_ID = [
    "звоните 89161234567",
    "000000000001",  # an account
    "89161234567",  # a phone
    "+79161234567",
    "ivan@mail.ru",
    "Petrova_Anna",
    "visitor-0001",  # the old, looser alphabet
    "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14\n",
    "3f2b8c1e9d4a4e6b8f1a2c7d5e9b0a1",  # 31 hex digits
]


@pytest.mark.parametrize("session", NOT_AN_ID)
def test_a_session_that_is_not_an_id_is_answered_but_not_stored(ask_client: Any, tmp_path: Path, session: str) -> None:
    """Contract §2: `session` is an optional opaque id; anything but the widget's form is kept as null."""
    assert ask_client.post("/", json={"q": "как оплатить", "session": session}).status_code == 200
    [record] = logged(tmp_path)
    assert record["session"] is None


@pytest.mark.parametrize("visitor", NOT_AN_ID)
def test_a_visitor_that_is_not_an_id_is_refused_and_nothing_is_stored(
    ask_client: Any, events_client: Any, tmp_path: Path, visitor: str
) -> None:
    from spravka.questions import writer as log_writers

    for client, body in (
        (ask_client, {"q": "как оплатить", "visitor": visitor}),
        (events_client, {"visitor": visitor, "events": [{"type": "visit"}]}),
    ):
        response = client.post("/", json=body)
        assert response.status_code == 400 and response.get_json()["error"]["code"] == "visitor_invalid"
        assert "«visitor»" in response.get_json()["error"]["message"]
    from spravka.questions.store_sqlite import SqliteLogStore

    assert log_writers.flush_all()
    store = SqliteLogStore(tmp_path / "spravka.sqlite3")
    assert store.questions() == [] and store.events() == []
    store.close()


@pytest.mark.parametrize(
    "made_by_the_widget", ["3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14", "3F2B8C1E-9D4A-4E6B-8F1A-2C7D5E9B0A14", "0" * 32]
)
def test_the_widgets_ids_are_stored_as_sent(ask_client: Any, tmp_path: Path, made_by_the_widget: str) -> None:
    body = {"q": "как оплатить", "session": made_by_the_widget, "visitor": made_by_the_widget}
    assert ask_client.post("/", json=body).status_code == 200
    [record] = logged(tmp_path)
    assert record["session"] == record["visitor"] == made_by_the_widget


def test_logging_off_answers_without_an_id_and_stores_nothing(
    ask_client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spravka.config import get_settings

    monkeypatch.setenv("QUESTION_LOG", "off")
    get_settings.cache_clear()
    reply = ask_client.post("/", json={"q": "как оплатить электроэнергию"}).get_json()
    assert reply["kind"] == "answer" and reply["question_id"] is None
    assert not (tmp_path / "spravka.sqlite3").exists()


def test_a_store_fault_drops_the_record_never_the_answer(
    make_client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from spravka.questions import writer as log_writers

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be")
    monkeypatch.setenv("READINGS_STORE", f"sqlite:///{blocker / 'spravka.sqlite3'}")
    client = make_client("ask")
    for _ in range(3):
        response = client.post("/", json={"q": "как оплатить электроэнергию"})
        assert response.status_code == 200 and response.get_json()["kind"] == "answer"
    assert log_writers.flush_all()
    [writer] = log_writers._writers.values()
    assert writer.stats() == {"written": 0, "dropped": 3, "pending": 0}
    assert "dropped" in caplog.text


def test_record_ids_are_unique_random_hex_also_after_a_fork() -> None:
    """Ids come from os.urandom in blocks; a forked gunicorn worker must not hand out its parent's next ids."""
    import os

    from spravka.questions.records import new_id

    ids = [new_id() for _ in range(5000)]  # crosses several blocks
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[0-9a-f]{20}", i) for i in ids)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child only writes its ids and leaves
        os.write(write, " ".join(new_id() for _ in range(3)).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    in_child = os.read(read, 1000).decode().split()
    os.close(read)
    in_parent = [new_id() for _ in range(3)]
    assert len(in_child) == 3 and not set(in_child) & set(in_parent)


def test_a_full_queue_drops_what_does_not_fit(tmp_path: Path) -> None:
    from spravka.questions.store_sqlite import SqliteLogStore
    from spravka.questions.writer import LogWriter

    opened = threading.Event()

    def open_store() -> SqliteLogStore:
        opened.wait(10)  # a store that is slow to answer
        return SqliteLogStore(tmp_path / "log.sqlite3")

    writer = LogWriter(open_store, retention_days=1, max_queue=2, linger=0)
    accepted = [writer.put(question(n, T0)) for n in range(6)]
    assert accepted[:2] == [True, True] and accepted.count(False) >= 3
    opened.set()
    assert writer.flush()
    assert writer.written == accepted.count(True) and writer.written + writer.dropped == 6
    writer.close()


def test_records_queued_before_sigterm_are_written(tmp_path: Path) -> None:
    """functions-framework's gunicorn worker, stopped like Cloud Run stops it: nothing queued is lost."""
    from spravka_tools.bench._common import post_json, serve_function

    db = tmp_path / "spravka.sqlite3"
    env = {"READINGS_STORE": f"sqlite:///{db}", "PYTHONPATH": str(MAIN.parent)}
    body = json.dumps({"q": "как оплатить электроэнергию"}, ensure_ascii=False).encode()
    with serve_function("ask", MAIN, body, env=env) as served:
        connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
        for _ in range(40):
            assert post_json(connection, body) == 200
        connection.close()
    with sqlite3.connect(db) as connection:
        count = connection.execute("SELECT COUNT(*) FROM questions").fetchone()[0]
    assert count == 41  # the 40 and the probe that waited for the server


EVENT = {"type": "click", "article": "payment-methods", "url": "https://help.example.ru/payment/payment-methods/"}


@pytest.fixture
def events_client(make_client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("READINGS_STORE", f"sqlite:///{tmp_path / 'spravka.sqlite3'}")
    return make_client("events")


def test_events_are_accepted_and_stored(events_client: Any, tmp_path: Path) -> None:
    from spravka.questions import writer as log_writers
    from spravka.questions.store_sqlite import SqliteLogStore

    batch = [
        {"type": "visit"},
        {**EVENT, "url": EVENT["url"] + "?account=123456789012#top", "question_id": "q1"},
        {"type": "helpful", "article": "payment-methods", "value": False},
    ]
    # sendBeacon and the widget's keepalive fetch send text/plain: a simple request, no preflight.
    response = events_client.post(
        "/",
        data=json.dumps({"visitor": "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14", "events": batch}),
        content_type="text/plain;charset=UTF-8",
    )
    assert response.status_code == 202 and response.get_json() == {"accepted": 3}
    assert log_writers.flush_all()
    store = SqliteLogStore(tmp_path / "spravka.sqlite3")
    stored = store.events()
    store.close()
    assert [(e.type, e.article, e.url, e.value, e.question_id) for e in sorted(stored, key=lambda e: e.type)] == [
        ("click", "payment-methods", EVENT["url"], None, "q1"),
        ("helpful", "payment-methods", None, False, None),
        ("visit", None, None, None, None),
    ]
    assert {e.visitor for e in stored} == {"3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14"}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"events": [{"type": "visit"}]}, "visitor_invalid"),
        ({"visitor": "abc", "events": [{"type": "visit"}]}, "visitor_invalid"),
        ({"visitor": "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14"}, "events_invalid"),
        ({"visitor": "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14", "events": []}, "events_invalid"),
        ({"visitor": "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14", "events": {"type": "visit"}}, "events_invalid"),
        ({"visitor": "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14", "events": [{"type": "visit"}] * 21}, "events_invalid"),
        ({"visitor": "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14", "events": ["visit"]}, "event_invalid"),
        ({"visitor": "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14", "events": [{"type": "scroll"}]}, "event_invalid"),
        (
            {"visitor": "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14", "events": [{**EVENT, "url": "javascript:alert(1)"}]},
            "event_invalid",
        ),
        ({"visitor": "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14", "events": [{**EVENT, "url": None}]}, "event_invalid"),
        (
            {
                "visitor": "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14",
                "events": [{**EVENT, "url": "https://help.example.ru/\ud800"}],
            },
            "event_invalid",
        ),
        (
            {"visitor": "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14", "events": [{**EVENT, "article": "../etc"}]},
            "event_invalid",
        ),
        (
            {"visitor": "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14", "events": [{**EVENT, "question_id": "звоните"}]},
            "event_invalid",
        ),
        (
            {
                "visitor": "3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a14",
                "events": [{"type": "helpful", "article": "payment-methods", "value": "да"}],
            },
            "event_invalid",
        ),
    ],
)
def test_bad_events_get_a_400_naming_the_problem_and_nothing_is_stored(
    events_client: Any, tmp_path: Path, body: dict[str, Any], code: str
) -> None:
    response = events_client.post("/", json=body)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == code and re.search("[а-я]", error["message"])
    assert not (tmp_path / "spravka.sqlite3").exists()


def test_events_take_post_only_and_json_only(events_client: Any) -> None:
    assert events_client.get("/").status_code == 405
    assert (
        events_client.post("/", data="{not json", content_type="application/json").get_json()["error"]["code"]
        == "invalid_json"
    )
    assert events_client.post("/", data="x", content_type="application/xml").status_code == 415
