"""Is a consumption implausible? Far above the meter's own history, or above a cap for its resource."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from spravka.store.model import Usage

MONTH_DAYS = Decimal("30.4")
# A month's consumption no household meter plausibly shows (kWh, Gcal, m3).
MONTHLY_CAP = {"electricity": Decimal(5000), "heat": Decimal(15), "hot_water": Decimal(30), "cold_water": Decimal(50)}
# Below these a consumption is never worth a review, however it compares with the history.
REVIEW_FLOOR = {"electricity": Decimal(50), "heat": Decimal("0.5"), "hot_water": Decimal(3), "cold_water": Decimal(5)}
HISTORY_FACTOR = 3  # "far above": more than this many times the meter's usual rate
MIN_HISTORY = 3  # readings of history needed before comparing with it
MIN_DAYS_COMPARED = 7  # a reading a day after the last is compared with a week of usual usage


def review_reason(resource: str, total: Decimal, days: float, recent: Sequence[Usage]) -> str | None:
    """"above_cap", "above_history" or None (plausible) for a total consumption over `days` days."""
    covered = Decimal(str(round(days, 4)))
    if total > MONTHLY_CAP[resource] * max(covered / MONTH_DAYS, Decimal(1)):
        return "above_cap"
    history = [usage for usage in recent if usage.days > 0]
    if len(history) < MIN_HISTORY or total <= REVIEW_FLOOR[resource]:
        return None
    history_days = Decimal(str(round(sum(usage.days for usage in history), 4)))
    rate = sum((usage.total for usage in history), Decimal(0)) / history_days
    if total > HISTORY_FACTOR * rate * max(covered, Decimal(MIN_DAYS_COMPARED)):
        return "above_history"
    return None
