"""The staff side: `spravka appeals …` and the same through the `admin` function."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import functions_framework
import pytest

from spravka.appeals.create import create_appeal
from spravka_tools.cli import main
from tests.appeals.conftest import BILL, LIMITS_SECRET
from tests.firestore_emulator import MAIN

TOKEN = "t" * 40


@pytest.fixture
def staff_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """The configured store (SQLite) as `spravka` and `admin` open it."""
    from spravka.appeals.store import get_appeal_store
    from spravka.config import get_settings

    monkeypatch.setenv("READINGS_STORE", f"sqlite:///{tmp_path / 'spravka.sqlite3'}")
    monkeypatch.setenv("LIMITS_SECRET", LIMITS_SECRET)
    monkeypatch.setenv("ADMIN_TOKEN", TOKEN)
    monkeypatch.setenv("SITE_URL", "https://help.example.ru")
    get_settings.cache_clear()
    get_appeal_store.cache_clear()
    yield get_appeal_store(), get_settings()
    get_appeal_store().close()
    get_appeal_store.cache_clear()


def test_the_cli_walks_an_appeal_to_its_answer(staff_env: Any, clock: Any, capsys: Any, tmp_path: Path) -> None:
    # Thursday 3 December 2026 in Moscow; a week later the appeal is past its review deadline.
    clock.set("2026-12-03T12:00:00+03:00")
    store, settings = staff_env
    body, _ = create_appeal(store, {**BILL, "account": "000000000001"}, settings=settings)
    number = body["number"]
    clock.set("2026-12-10T12:00:00+03:00")
    assert main(["appeals", "list", "--overdue"]) == 0
    listed = capsys.readouterr().out
    assert number in listed and "ПРОСРОЧЕНО" in listed and "Обращений: 1" in listed
    assert main(["appeals", "set-status", number.lower(), "in_review", "--note", "Проверяем"]) == 0
    assert "Клиенту отправлено писем: 2" in capsys.readouterr().out  # the registration's was still waiting
    assert main(["appeals", "list", "--status", "registered"]) == 0
    assert "Обращений: 0" in capsys.readouterr().out
    reply = tmp_path / "answer.txt"
    reply.write_text("Перерасчёт сделан, см. декабрьский счёт.\n", encoding="utf-8")
    assert main(["appeals", "answer", number, "--text", str(reply)]) == 0
    assert main(["appeals", "show", number]) == 0
    shown = capsys.readouterr().out
    assert "Перерасчёт сделан" in shown and "ivanova@example.ru" in shown and "000000000001" in shown
    assert "in_review — Проверяем" in shown
    assert main(["appeals", "send-mail"]) == 0
    assert "Отправлено писем: 0" in capsys.readouterr().out  # registered, in_review, answered: all sent
    assert len(list(settings.mail_dir.glob("*.eml"))) == 3


def test_the_cli_refuses_in_russian(staff_env: Any, capsys: Any) -> None:
    assert main(["appeals", "show", "2612-2222-22"]) == 1
    assert "Обращение не найдено" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["appeals", "set-status", "2612-2222-22", "lost"])


def test_admin_has_the_same_commands(staff_env: Any, clock: Any) -> None:
    # Any instant; nothing is overdue within a minute of registration.
    clock.set("2026-12-03T12:00:00+03:00")
    store, settings = staff_env
    number = create_appeal(store, BILL, settings=settings)[0]["number"]
    client = functions_framework.create_app("admin", str(MAIN)).test_client()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/appeals").status_code == 401
    listed = client.get("/appeals?status=registered", headers=auth).get_json()["appeals"]
    assert [item["number"] for item in listed] == [number] and listed[0]["overdue"] is False
    changed = client.post(
        "/appeals/status", json={"number": number, "status": "in_review", "note": "Проверяем"}, headers=auth
    )
    assert changed.status_code == 200 and changed.get_json()["status"] == "in_review"
    answered = client.post("/appeals/answer", json={"number": number, "text": "Ответ по существу."}, headers=auth)
    assert answered.get_json()["answer"] == "Ответ по существу."
    shown = client.get(f"/appeals/show?number={number}", headers=auth).get_json()
    assert shown["contact"] == {"email": "ivanova@example.ru", "phone": ""}
    assert [event["status"] for event in shown["history"]] == ["registered", "in_review", "answered"]
    refused = client.post("/appeals/status", json={"number": number, "status": "registered"}, headers=auth)
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "status_not_allowed"
    assert client.get("/appeals/show?number=2612-2222-22", headers=auth).status_code == 404
    assert client.get("/appeals/2612-2222-22", headers=auth).status_code == 404
    assert client.post("/appeals/send-mail", headers=auth).get_json() == {"sent": 0}  # each went with its change
    assert len(list(settings.mail_dir.glob("*.eml"))) == 3
    assert client.post("/export?period=2026-12", headers=auth).status_code == 405
