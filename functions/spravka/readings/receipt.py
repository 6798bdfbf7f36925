"""The 201/200 body of a submission, with each flag explained in Russian for the person."""

from __future__ import annotations

from collections.abc import Sequence

from spravka.store.model import Reading, to_number

REVIEW_MESSAGES = {
    "above_history": "Расход заметно больше обычного для этого счётчика. Показания приняты и будут проверены "
                     "специалистом; если ошиблись в цифрах, передайте показания ещё раз.",
    "above_cap": "Расход больше, чем бывает у бытового счётчика. Показания приняты и будут проверены "
                 "специалистом; если ошиблись в цифрах, передайте показания ещё раз.",
}


def make_receipt(reading: Reading, *, rolled_over: Sequence[str], timing: str | None,
                 window: tuple[int, int]) -> dict[str, object]:
    """The contract's receipt: reading_id, meter, period, consumption, unit, since, flags."""
    flags: list[dict[str, object]] = []
    if rolled_over:
        flags.append({"code": "rollover", "zones": list(rolled_over),
                      "message": f"Счётчик (зона {', '.join(rolled_over)}) прошёл через ноль — "
                                 "расход посчитан с учётом перехода."})
    if reading.review_reason:
        flags.append({"code": "high_consumption", "reason": reading.review_reason,
                      "message": REVIEW_MESSAGES[reading.review_reason]})
    if timing:
        first, last = window
        when = "до начала" if timing == "early" else "после окончания"
        flags.append({"code": "outside_window", "timing": timing,
                      "message": f"Показания переданы {when} срока приёма (с {first} по {last} число) — "
                                 f"они учтены в расчётном периоде {reading.period}."})
    return {
        "reading_id": reading.reading_id,
        "meter": reading.meter,
        "period": reading.period,
        "consumption": {zone: to_number(value) for zone, value in reading.consumption.items()},
        "unit": reading.unit,
        "since": reading.since,
        "flags": flags,
        "taken_at": reading.taken_at,
        "source": reading.source,
    }
