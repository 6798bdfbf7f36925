"""Billing's side: `spravka import-accounts FILE`, `spravka export-readings --period`, the demo accounts."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from spravka.config import Settings
from spravka.readings.submit import submit
from spravka_tools.accounts import HEADER, AccountsFileError, parse_accounts
from spravka_tools.cli import main
from spravka_tools.demo import DEMO_ACCOUNTS, load_demo_accounts
from tests.firestore_emulator import ACCOUNTS_CSV

SETTINGS = Settings.from_env({"RATE_LIMIT_PER_MINUTE": "1000"})
NOV_20 = datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC)
CONTRACT_ROWS = (
    "000000000001,m1,electricity,1,6,EM-1001,2026-10-20,1000,,",
    "000000000002,m2,electricity,2,6,EM-1002,2026-10-20,5000,2000,",
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "accounts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_loads_the_file(readings_app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = ACCOUNTS_CSV + "000000000010,e1,heat,1,5,HM-1,2026-10-20,1.5,,\n"
    assert main(["import-accounts", str(write(tmp_path, extra))]) == 0
    assert "7 rows, 1 meters added or updated" in capsys.readouterr().out
    (state,) = readings_app.store.meters("000000000010")
    assert state.meter.unit == "Gcal" and state.last.values == {"t1": Decimal("1.5")}


BAD_ROWS = [
    ("000000000011,m1,gas,1,6,S,2026-10-20,1,,", "line 3: resource"),
    ("00000000001,m1,electricity,1,6,S,2026-10-20,1,,", "line 3: account"),
    ("000000000011,m1,electricity,4,6,S,2026-10-20,1,,", "line 3: zones"),
    ("000000000011,m1,electricity,1,6,S,2026-10-20,1,2,", "line 3: last_t2"),
    ("000000000011,m1,electricity,2,6,S,2026-10-20,1,,", "line 3: last_t2"),
    ("000000000011,m1,electricity,1,3,S,2026-10-20,1000,,", "line 3: last_t1"),
    ("000000000011,m1,electricity,1,6,S,20.10.2026,1,,", "line 3: last_date"),
    ("000000000011,m 1,electricity,1,6,S,2026-10-20,1,,", "line 3: meter"),
    ("000000000011,m1,electricity,1,6,S,2026-10-20,1,", "line 3: expected 10 columns"),
    ("000000000010,e1,heat,1,5,HM-1,2026-10-20,2,,", "line 3: meter e1 of this account is already on line 2"),
]


@pytest.mark.parametrize("row, problem", BAD_ROWS, ids=[problem for _, problem in BAD_ROWS])
def test_a_bad_row_loads_nothing(
    readings_app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str, problem: str
) -> None:
    text = f"{','.join(HEADER)}\n000000000010,e1,heat,1,5,HM-1,2026-10-20,1.5,,\n{row}\n"
    assert main(["import-accounts", str(write(tmp_path, text))]) == 1
    err = capsys.readouterr().err
    assert problem in err and "nothing loaded" in err
    assert readings_app.store.meters("000000000010") == []


def test_every_bad_line_is_reported() -> None:
    text = f"{','.join(HEADER)}\n{BAD_ROWS[0][0]}\n{CONTRACT_ROWS[0]}\n{BAD_ROWS[1][0]}\n"
    with pytest.raises(AccountsFileError) as caught:
        parse_accounts(text)
    assert [problem.split(":")[0] for problem in caught.value.problems] == ["line 2", "line 4"]


def test_a_wrong_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import-accounts", str(write(tmp_path, "account;meter\n1;2\n"))]) == 1
    assert "line 1: expected the header" in capsys.readouterr().err


def test_reimport_keeps_readings(readings_app: Any, tmp_path: Path) -> None:
    submit(readings_app.store, {"account": "000000000001", "values": {"t1": 1100}}, settings=SETTINGS, now=NOV_20)
    assert main(["import-accounts", str(write(tmp_path, ACCOUNTS_CSV.replace("EM-1001", "EM-7777")))]) == 0
    (state,) = readings_app.store.meters("000000000001")
    assert state.meter.serial == "EM-7777" and state.last.values == {"t1": Decimal(1100)}
    assert len(readings_app.store.history("000000000001", "m1")) == 2


def test_export_gives_the_latest_per_meter_and_period(readings_app: Any, capsys: pytest.CaptureFixture[str]) -> None:
    store = readings_app.store
    for hours, values in ((0, {"t1": 1100}), (1, {"t1": 1150})):
        submit(
            store,
            {"account": "000000000001", "values": values},
            settings=SETTINGS,
            now=NOV_20 + datetime.timedelta(hours=hours),
        )
    submit(store, {"account": "000000000005", "values": {"t1": 20}}, settings=SETTINGS, now=NOV_20)
    submit(
        store,
        {"account": "000000000002", "values": {"t1": 5100, "t2": 2000}},
        settings=SETTINGS,
        now=NOV_20 + datetime.timedelta(days=10),
    )  # late: December
    capsys.readouterr()
    assert main(["export-readings", "--period", "2026-11"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(row["account"], row["meter"], row["readings"]) for row in rows] == [
        ("000000000001", "m1", "2"),
        ("000000000005", "m5", "1"),
    ]
    assert (rows[0]["value_t1"], rows[0]["consumption_t1"], rows[0]["value_t2"]) == ("1150", "150", "")
    assert (rows[1]["consumption_t1"], rows[1]["flags"]) == ("70", "rollover")
    assert rows[0]["source"] == "widget" and rows[0]["taken_at"].startswith("2026-11-20T10:00")
    assert main(["export-readings", "--period", "2026-12"]) == 0
    (december,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert december["flags"] == "outside_window" and december["consumption_t2"] == "0"


def test_export_wants_a_period(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["export-readings", "--period", "2026-13"])
    assert caught.value.code == 2 and "YYYY-MM" in capsys.readouterr().err


def test_demo_accounts(sqlite_store: Any) -> None:
    lines = DEMO_ACCOUNTS.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(HEADER) and all(row in lines for row in CONTRACT_ROWS)
    rows = parse_accounts("\n".join(lines))
    meters = [row.meter for row in rows]
    assert any(len(meter.zones) == 3 for meter in meters) and any(meter.resource == "heat" for meter in meters)
    assert any(row.last_values["t1"] >= Decimal(10) ** row.meter.digits * Decimal("0.9") for row in rows)
    assert any(sum(meter.account == other.account for other in meters) > 1 for meter in meters)
    assert load_demo_accounts(sqlite_store) == len(rows)
    assert load_demo_accounts(sqlite_store) == len(rows)  # again: nothing changes
    assert len(sqlite_store.history("000000000001", "m1")) == 1
