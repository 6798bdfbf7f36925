"""The demo appeals of the local run (demo/appeals.yaml), registered and moved along through the appeals' own API.

Each entry becomes an appeal as POST /appeals makes it (number, secret, deadlines), at an instant
counted back from the clock in working days, and then takes the staff's steps (set_status, answer),
so its history and deadlines look as on a real day. The e-mails those events owe go to fictional
people: they are marked sent in the outbox, never sent.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from spravka import clock
from spravka.appeals.base import AppealStore
from spravka.appeals.deadlines import add_working_days, iso_instant, load_calendar
from spravka.appeals.model import ANSWERED
from spravka.config import Settings, get_settings
from spravka.errors import Conflict
from spravka.paths import REPO_DIR

log = logging.getLogger(__name__)

DEMO_APPEALS = REPO_DIR / "demo" / "appeals.yaml"
KEY_PREFIX = "demo-appeal:"  # the idempotency key of entry <id>: a second run registers nothing twice
SUBMISSION_FIELDS = ("category", "text", "contact", "name", "account")
# Far beyond any outbox a local run holds, so every demo e-mail is found among the pending ones.
OUTBOX_SCAN = 100_000


@dataclasses.dataclass(frozen=True)
class DemoStep:
    """One staff action after registration: a status (with a note), or the answer."""

    status: str
    at: datetime.datetime
    note: str = ""
    answer: str | None = None


@dataclasses.dataclass(frozen=True)
class DemoAppeal:
    id: str
    payload: dict[str, Any]  # the POST /appeals body
    registered_at: datetime.datetime
    steps: tuple[DemoStep, ...]


def moment(when: Mapping[str, Any], *, now: datetime.datetime, timezone: str) -> datetime.datetime:
    """{minutes_ago: M} or {working_days_ago: N, time: "HH:MM"} (local time) as an instant before `now`."""
    if "minutes_ago" in when:
        return now - datetime.timedelta(minutes=int(when["minutes_ago"]))
    zone = ZoneInfo(timezone)
    day = add_working_days(now.astimezone(zone).date(), -int(when["working_days_ago"]), load_calendar())
    at = datetime.time.fromisoformat(str(when["time"]))
    return datetime.datetime.combine(day, at, tzinfo=zone).astimezone(datetime.UTC)


def parse_demo_appeals(text: str, *, now: datetime.datetime, timezone: str) -> list[DemoAppeal]:
    """Every entry with its instants counted back from `now`; ValueError naming the entry otherwise."""
    demos: list[DemoAppeal] = []
    for entry in yaml.safe_load(text) or []:
        name = entry.get("id")
        if not name or any(demo.id == name for demo in demos):
            raise ValueError(f"demo appeal {name!r}: each entry needs its own id")
        payload = {field: entry[field] for field in SUBMISSION_FIELDS if field in entry}
        payload |= {"consent": True, "idempotency_key": KEY_PREFIX + name}
        registered = moment(entry["registered"], now=now, timezone=timezone)
        steps = tuple(
            DemoStep(step["status"], moment(step, now=now, timezone=timezone), step.get("note", ""), step.get("answer"))
            for step in entry.get("history", ())
        )
        if any((step.answer is not None) != (step.status == ANSWERED) for step in steps):
            raise ValueError(f"demo appeal {name!r}: a step is answered exactly when it has an answer")
        instants = [registered, *(step.at for step in steps)]
        if instants != sorted(set(instants)) or instants[-1] > now:
            raise ValueError(f"demo appeal {name!r}: its times must rise and stay before now")
        demos.append(DemoAppeal(name, payload, registered, steps))
    return demos


def load_demo_appeals(
    store: AppealStore | None = None, *, settings: Settings | None = None, path: Path = DEMO_APPEALS
) -> int:
    """Register the demo appeals not in `store` yet (default: the configured one); how many were new.

    Loading twice changes nothing: each entry's idempotency key finds its appeal, and an appeal
    whose history has left the file's (staff worked on it) is left as it is.
    """
    from spravka.appeals.create import create_appeal

    if not path.is_file():
        log.warning("no demo appeals at %s", path)
        return 0
    settings = settings or get_settings()
    if store is None:
        from spravka.appeals.store import get_appeal_store

        store = get_appeal_store()
    created, numbers = 0, set()
    for demo in parse_demo_appeals(path.read_text(encoding="utf-8"), now=clock.now(), timezone=settings.timezone):
        try:
            body, status = create_appeal(store, demo.payload, settings=settings, now=demo.registered_at)
        except Conflict:  # the entry changed since it was loaded: keep the stored appeal
            log.warning("demo appeal %s changed since it was loaded; the stored one stays", demo.id)
            continue
        created += status == 201
        numbers.add(body["number"])
        _take_steps(store, body["number"], demo.steps)
    _settle_mail(store, numbers)
    log.info("demo appeals: %d new, %d in the store already", created, len(numbers) - created)
    return created


def _take_steps(store: AppealStore, number: str, steps: tuple[DemoStep, ...]) -> None:
    """The steps the appeal has not taken yet, if what it took so far is where the file begins."""
    from spravka.appeals.staff import answer, set_status

    appeal = store.appeal(number)
    taken = [event.status for event in appeal.history[1:]] if appeal else []
    if appeal is None or taken != [step.status for step in steps[: len(taken)]]:
        return
    for step in steps[len(taken) :]:
        if step.answer is not None:
            answer(store, number, step.answer, now=step.at)
        else:
            set_status(store, number, step.status, note=step.note, now=step.at)


def _settle_mail(store: AppealStore, numbers: set[str]) -> None:
    """Mark the demo appeals' owed e-mails sent: they are to fictional people and must never go out."""
    at = iso_instant(clock.now())
    for mail in store.pending_mail(limit=OUTBOX_SCAN):
        if mail.number in numbers:
            store.mark_sent(mail.id, at=at)
