"""GET /readings?account=…: the account's meters without values."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from spravka import clock
from spravka.config import Settings
from spravka.errors import NotFound
from spravka.masking import mask_accounts
from spravka.readings.limits import Charge, enforce_limits
from spravka.readings.validate import parse_account
from spravka.store.base import ReadingStore
from spravka.store.model import MeterState, to_number

ACCOUNT_UNKNOWN = "Лицевой счёт не найден. Проверьте номер."


def account_meters(store: ReadingStore, account: str, charge: Charge) -> list[MeterState]:
    """The account's meters; 404 when the utility has none for it (its full cost stays charged to the client)."""
    states = store.meters(account)
    if not states:
        raise NotFound("account_unknown", ACCOUNT_UNKNOWN)
    charge.account_exists()
    return states


def list_meters(
    store: ReadingStore,
    payload: Mapping[str, Any],
    *,
    settings: Settings,
    client: str | None = None,
    now: datetime.datetime | None = None,
) -> dict[str, object]:
    """The contract's meter list: id, resource, unit, zones, serial_tail, last_date, last_values; the account masked.

    `client` is the caller's address for the per-client limit; None outside HTTP (no client limit).
    """
    account = parse_account(payload.get("account"))
    now = now or clock.now()
    charge = enforce_limits(store, account=account, client=client, settings=settings, now=now)
    return {
        "account": mask_accounts(account),
        "meters": [
            {
                "id": state.meter.meter,
                "resource": state.meter.resource,
                "unit": state.meter.unit,
                "zones": list(state.meter.zones),
                "serial_tail": state.meter.serial[-4:],
                "last_date": state.last.date,
                # The previous reading per zone: the customer checks what they type against it.
                "last_values": {zone: to_number(value) for zone, value in sorted(state.last.values.items())},
            }
            for state in account_meters(store, account, charge)
        ],
    }
