"""Meter readings: validate, compute the consumption, record it once; import and export for billing."""

from __future__ import annotations

from spravka.readings.meters import list_meters
from spravka.readings.submit import submit

__all__ = ["list_meters", "submit"]
