"""`spravka appeals list|show|set-status|answer|send-mail`: the virtual reception's staff side (contract §7)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

STATUSES = ("registered", "in_review", "waiting_customer", "answered", "closed")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `appeals` and its commands."""
    parser = subparsers.add_parser(
        "appeals",
        help="обращения виртуальной приёмной: список, просмотр, статус, ответ",
        description="Работа с обращениями виртуальной приёмной в хранилище READINGS_STORE. Каждое изменение "
        "записывается в историю обращения со временем, статусом и заметкой; клиенту с e-mail уходит письмо.",
    )
    commands = parser.add_subparsers(dest="appeals_command", metavar="КОМАНДА", required=True)
    listing = commands.add_parser("list", help="список обращений", description="Список обращений, старые первыми.")
    listing.add_argument("--status", choices=STATUSES, help="только обращения в этом статусе")
    listing.add_argument("--overdue", action="store_true", help="только просроченные (рассмотрение или решение)")
    listing.set_defaults(func=run_list)
    show = commands.add_parser("show", help="показать обращение целиком", description="Обращение целиком.")
    show.add_argument("number", metavar="НОМЕР", help="номер обращения, например 2612-7KQ4-M9")
    show.set_defaults(func=run_show)
    status = commands.add_parser(
        "set-status",
        help="сменить статус (тот же статус — заметка в истории)",
        description="Сменить статус обращения: registered → in_review → (waiting_customer) → answered → closed. "
        "Тот же статус ещё раз добавляет заметку в историю без письма клиенту.",
    )
    status.add_argument("number", metavar="НОМЕР", help="номер обращения")
    status.add_argument("status", metavar="СТАТУС", choices=STATUSES, help="новый статус: " + ", ".join(STATUSES))
    status.add_argument("--note", default="", metavar="ТЕКСТ", help="заметка к изменению (клиент увидит её)")
    status.set_defaults(func=run_set_status)
    reply = commands.add_parser(
        "answer", help="записать ответ и перевести в answered", description="Записать ответ клиенту из файла."
    )
    reply.add_argument("number", metavar="НОМЕР", help="номер обращения")
    reply.add_argument("--text", required=True, type=Path, metavar="ФАЙЛ", help="файл с текстом ответа (UTF-8)")
    reply.set_defaults(func=run_answer)
    send = commands.add_parser(
        "send-mail",
        help="отправить письма, ждущие в очереди",
        description="Отправить письма из очереди (SMTP_URL, без него — файлы .eml). Запускается и по расписанию.",
    )
    send.set_defaults(func=run_send_mail)


def _open() -> tuple[Any, Any]:
    from spravka.appeals.store import get_appeal_store
    from spravka.config import get_settings

    return get_appeal_store(), get_settings()


def _guarded(work: Any) -> int:
    from spravka.errors import ApiError

    try:
        return int(work() or 0)
    except ApiError as error:
        print(f"{error.message} ({error.code})", file=sys.stderr)
        return 1


def _line(item: dict[str, Any]) -> str:
    mark = " ПРОСРОЧЕНО" if item["overdue"] else ""
    return (
        f"{item['number']}  {item['registered_at'][:16].replace('T', ' ')}  {item['status']:<16}  "
        f"{item['category']:<15}  решение до {item['deadlines']['decision_by']}{mark}"
    )


def run_list(args: argparse.Namespace) -> int:
    def work() -> int:
        from spravka import clock
        from spravka.appeals.staff import appeal_for_staff, list_appeals

        store, settings = _open()
        now, today = clock.now(), clock.today(settings.timezone)
        found = list_appeals(store, status=args.status, overdue=args.overdue, now=now, today=today)
        for appeal in found:
            print(_line(appeal_for_staff(appeal, now=now, today=today)))
        print(f"Обращений: {len(found)}")
        return 0

    return _guarded(work)


def _print_appeal(appeal: Any) -> None:
    from spravka import clock
    from spravka.appeals.staff import appeal_for_staff

    settings = _open()[1]
    item = appeal_for_staff(appeal, now=clock.now(), today=clock.today(settings.timezone))
    print(_line(item))
    contact = ", ".join(value for value in item["contact"].values() if value)
    print(f"Контакты: {contact}" + (f"; {item['name']}" if item["name"] else ""))
    if item["account"]:
        print(f"Лицевой счёт: {item['account']}")
    print(f"Рассмотреть до: {item['deadlines']['review_by']}")
    print("\n" + item["text"] + "\n")
    for event in item["history"]:
        print(f"  {event['at']}  {event['status']}" + (f" — {event['note']}" if event["note"] else ""))
    if item["answer"]:
        print("\nОтвет:\n" + item["answer"])


def run_show(args: argparse.Namespace) -> int:
    def work() -> int:
        from spravka.appeals.staff import parse_number
        from spravka.appeals.validate import NOT_FOUND
        from spravka.errors import NotFound

        store, _ = _open()
        appeal = store.appeal(parse_number(args.number))
        if appeal is None:
            raise NotFound("appeal_not_found", NOT_FOUND)
        _print_appeal(appeal)
        return 0

    return _guarded(work)


def _after_change(appeal: Any) -> None:
    from spravka.appeals.outbox import deliver_pending

    store, settings = _open()
    _print_appeal(appeal)
    try:
        sent = deliver_pending(store, settings, only=appeal.number)
    except Exception as error:  # the e-mail stays in the outbox for `send-mail`
        print(f"Письмо осталось в очереди ({type(error).__name__}): отправьте позже `spravka appeals send-mail`.")
        return
    if sent:
        print(f"Клиенту отправлено писем: {sent}")


def run_set_status(args: argparse.Namespace) -> int:
    def work() -> int:
        from spravka.appeals.staff import set_status

        _after_change(set_status(_open()[0], args.number, args.status, note=args.note))
        return 0

    return _guarded(work)


def run_answer(args: argparse.Namespace) -> int:
    def work() -> int:
        from spravka.appeals.staff import answer

        try:
            text = args.text.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            print(f"{args.text}: файл не читается ({error})", file=sys.stderr)
            return 1
        _after_change(answer(_open()[0], args.number, text))
        return 0

    return _guarded(work)


def run_send_mail(args: argparse.Namespace) -> int:
    def work() -> int:
        from spravka.appeals.outbox import deliver_pending

        store, settings = _open()
        print(f"Отправлено писем: {deliver_pending(store, settings)}")
        return 0

    return _guarded(work)
