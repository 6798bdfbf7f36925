"""The readings dialog: account, meter, values per zone, receipt; and remembering the account on consent.

Every rule is the readings service's own: the account's form (readings.validate.parse_account),
the meters lookup with its limits (readings.meters.list_meters), a value's form
(readings.validate.parse_value) and the submission with its checks, limits and idempotency
(readings.submit.submit). Here they are only asked and their errors worded for a chat.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from spravka.bots import texts
from spravka.bots.conversations import Conversation
from spravka.bots.replies import (
    CANCEL,
    FORGET,
    MENU,
    MENU_CONTACT,
    METER,
    NO_REMEMBER,
    REMEMBER,
    SAVED_NO,
    SAVED_YES,
    Button,
    Message,
    Turn,
)
from spravka.errors import ApiError
from spravka.readings.meters import list_meters
from spravka.readings.submit import submit
from spravka.readings.validate import parse_account, parse_value

if TYPE_CHECKING:
    from spravka.bots.context import Context
    from spravka.bots.replies import Update

ACCOUNT, METER_STEP, VALUES, REMEMBER_STEP, SAVED_STEP = "account", "meter", "values", "remember", "saved"
CANCEL_ROW = (Button("Отмена", CANCEL),)
CONTACT_ROW = (Button("Связаться с нами", MENU_CONTACT),)
ACCOUNT_PROMPT = "Введите номер лицевого счёта (12 цифр) — я покажу ваши счётчики и посчитаю расход."
ACCOUNT_AGAIN = "Номер лицевого счёта — 12 цифр, он напечатан в верхней части квитанции. Введите номер ещё раз."
REMEMBER_OFFER = (
    "Запомнить номер счёта {masked}, чтобы в следующий раз не вводить его? "
    "Я сохраню его только с вашего согласия; удалить — команда «забыть»."
)
_DIGIT = re.compile(r"\d")


def start(conversation: Conversation, context: Context) -> Turn:
    """«Передать показания»: the remembered account offered, else the account asked for."""
    saved = conversation.saved_account
    if saved:
        buttons = (
            (Button("Да", SAVED_YES), Button("Другой счёт", SAVED_NO)),
            (Button("Забыть счёт", FORGET),),
            CANCEL_ROW,
        )
        return _turn(f"Передать показания по счёту {texts.mask(saved)}?", buttons, _with(conversation, SAVED_STEP))
    prompt = context.index.replies.get("submit-readings") or ACCOUNT_PROMPT
    return _turn(prompt, (CANCEL_ROW,), _with(conversation, ACCOUNT))


def account_in(text: str) -> str | None:
    """The account number when the message is one and nothing else (readings.validate's rule), else None."""
    try:
        return parse_account(text.strip())
    except ApiError:
        return None


def with_account(conversation: Conversation, account: str, context: Context) -> Turn:
    """The readings flow started from an account number typed on its own."""
    return _meters(conversation, account, context)


def forget(conversation: Conversation) -> Turn:
    text = "Номер счёта удалён из памяти бота." if conversation.saved_account else "Сохранённого номера счёта нет."
    return _turn(text, MENU, Conversation())


def step(conversation: Conversation, update: Update, context: Context) -> Turn | None:
    """The flow's next turn, or None when the message is not for the flow (a question: the dialog answers it)."""
    if conversation.step == SAVED_STEP:
        if update.data == SAVED_YES and conversation.saved_account:
            return _meters(conversation, conversation.saved_account, context)
        if update.data == SAVED_NO:
            return _turn(ACCOUNT_PROMPT, (CANCEL_ROW,), _with(conversation, ACCOUNT))
    elif conversation.step == REMEMBER_STEP and conversation.account:
        if update.data == REMEMBER:
            kept = Conversation(saved_account=conversation.account)
            text = f"Номер счёта {texts.mask(conversation.account)} сохранён. Чтобы удалить его, напишите «забыть»."
            return _turn(text, _menu(), kept)
        if update.data == NO_REMEMBER:
            return _turn("Хорошо, номер счёта не сохранён. Чем ещё помочь?", _menu(), _idle(conversation))
    elif conversation.step == METER_STEP and update.data and update.data.startswith(METER):
        chosen = _meter(conversation, update.data[len(METER) :])
        if chosen is not None:
            return _ask_value(dataclasses.replace(conversation, step=VALUES, meter=str(chosen["id"]), values={}), "")
    text = (update.text or "").strip()
    if not text or not _DIGIT.search(text):
        return None  # words, not numbers: the dialog answers them as a question
    if conversation.step in (ACCOUNT, SAVED_STEP):
        try:
            account = parse_account(text)
        except ApiError:
            return _turn(ACCOUNT_AGAIN, (CANCEL_ROW,), _with(conversation, ACCOUNT))
        return _meters(conversation, account, context)
    if conversation.step == VALUES:
        return _value(conversation, text, context)
    return None


def _turn(text: str, buttons: tuple[tuple[Button, ...], ...], conversation: Conversation) -> Turn:
    return Turn((Message(text, buttons),), conversation)


def _menu() -> tuple[tuple[Button, ...], ...]:
    return MENU


def _with(conversation: Conversation, step_name: str) -> Conversation:
    return Conversation(step=step_name, saved_account=conversation.saved_account)


def _idle(conversation: Conversation) -> Conversation:
    return Conversation(saved_account=conversation.saved_account)


def _meter(conversation: Conversation, meter_id: str | None) -> Mapping[str, Any] | None:
    return next((m for m in conversation.meters if m.get("id") == meter_id), None)


def _meters(conversation: Conversation, account: str, context: Context) -> Turn:
    """The account's meters (the readings service's lookup and limits); the only one chosen at once."""
    try:
        found = list_meters(context.store, {"account": account}, settings=context.settings, client=context.client)
    except ApiError as error:
        return _error(error, _with(conversation, ACCOUNT), account)
    meters: tuple[Mapping[str, Any], ...] = tuple(cast("list[Mapping[str, Any]]", found["meters"]))
    chosen = dataclasses.replace(_with(conversation, METER_STEP), account=account, meters=meters)
    if len(meters) == 1:
        return _ask_value(dataclasses.replace(chosen, step=VALUES, meter=str(meters[0]["id"])), "")
    rows = tuple((Button(texts.meter_name(m), METER + str(m["id"])),) for m in meters)
    return _turn(f"Счёт {texts.mask(account)}. Выберите счётчик:", rows + (CANCEL_ROW,), chosen)


def _ask_value(conversation: Conversation, lead: str) -> Turn:
    """The next zone's prompt (with the meter and its previous values before the first)."""
    meter = _meter(conversation, conversation.meter) or {}
    zones = list(meter.get("zones") or ["t1"])
    zone = next(z for z in zones if z not in conversation.values)
    lines = [lead] if lead else []
    if not conversation.values:
        lines.append(f"Счёт {texts.mask(conversation.account or '')}, {texts.meter_name(meter)}.")
        lines.append(texts.previous_values(meter))
    lines.append(texts.value_prompt(meter, zone))
    if not lead and not conversation.values and str(meter.get("unit", "")).lower() != "kwh":
        lines.append(texts.value_hint(str(meter.get("unit", ""))))  # water and heat: the decimals count
    return _turn("\n".join(line for line in lines if line), (CANCEL_ROW,), conversation)


def _value(conversation: Conversation, text: str, context: Context) -> Turn:
    meter = _meter(conversation, conversation.meter) or {}
    zones = list(meter.get("zones") or ["t1"])
    zone = next(z for z in zones if z not in conversation.values)
    typed = texts.compact_value(text)
    try:
        parse_value(zone, typed)  # the readings function's rule for a value's form
    except ApiError:
        lead = "Не получилось прочитать число. " + texts.value_hint(str(meter.get("unit", "")))
        return _ask_value(conversation, lead)
    values = {**conversation.values, zone: typed}
    conversation = dataclasses.replace(conversation, values=values)
    if len(values) < len(zones):
        return _ask_value(conversation, "")
    return _submit(conversation, meter, context)


def _submit(conversation: Conversation, meter: Mapping[str, Any], context: Context) -> Turn:
    account = conversation.account or ""
    payload = {
        "account": account,
        "meter": meter["id"],
        "values": dict(conversation.values),
        "idempotency_key": context.idempotency_key,
        "source": "bot",
    }
    try:
        receipt, _ = submit(context.store, payload, settings=context.settings, client=context.client)
    except ApiError as error:
        return _submit_error(error, conversation, meter)
    text = texts.receipt_text(account, meter, conversation.values, receipt)
    if conversation.saved_account == account:
        return _turn(text, _menu(), _idle(conversation))
    offer = REMEMBER_OFFER.format(masked=texts.mask(account))
    buttons = ((Button("Запомнить счёт", REMEMBER), Button("Не нужно", NO_REMEMBER)),)
    after = Conversation(step=REMEMBER_STEP, account=account, saved_account=conversation.saved_account)
    return Turn((Message(text), Message(offer, buttons)), after)


def _submit_error(error: ApiError, conversation: Conversation, meter: Mapping[str, Any]) -> Turn:
    if error.code in ("store_unavailable", "too_many_attempts", "client_rate_limited"):
        # Nothing was written: the values stay but the last, which the customer sends again.
        last = list(conversation.values)[-1]
        kept = dataclasses.replace(conversation, values={z: v for z, v in conversation.values.items() if z != last})
        return _turn(_said(error, meter) + " Отправьте последнее показание ещё раз.", (CANCEL_ROW,), kept)
    if error.code == "below_previous":
        lead = (
            "Показание меньше предыдущего. Проверьте цифры до запятой и введите показания заново; "
            "если счётчик заменили, свяжитесь с нами."
        )
        return _ask_value(dataclasses.replace(conversation, values={}), lead)
    if error.code in ("value_too_large", "value_invalid", "zone_missing", "zone_unknown"):
        lead = _said(error, meter) + " Введите показания заново."
        return _ask_value(dataclasses.replace(conversation, values={}), lead)
    return _error(error, _idle(conversation), conversation.account or "")


def _error(error: ApiError, conversation: Conversation, account: str) -> Turn:
    """An error of the lookup in plain Russian, with the way on."""
    if error.code == "account_invalid":
        return _turn(ACCOUNT_AGAIN, (CANCEL_ROW,), conversation)
    if error.code == "account_unknown":
        text = f"Лицевой счёт {texts.mask(account)} не найден. Проверьте номер по квитанции и введите его ещё раз."
        return _turn(text, (CONTACT_ROW, CANCEL_ROW), conversation)
    return _turn(_said(error), (CONTACT_ROW, CANCEL_ROW), conversation)


def _said(error: ApiError, meter: Mapping[str, Any] | None = None) -> str:
    """The service's Russian message without the API's field names ("(account)") and with zones as the bot names them."""
    text = re.sub(r" \([a-z_]+\)", "", error.message)
    zones = list((meter or {}).get("zones") or ["t1"])
    if len(zones) == 1:
        return re.sub(r" t1\b", "", text)  # "Показание t1 длиннее…" of a one-zone meter: "Показание длиннее…"
    return re.sub(r"\bt[123]\b", lambda m: f"«{texts.zone_label(m[0], len(zones))}»", text)
