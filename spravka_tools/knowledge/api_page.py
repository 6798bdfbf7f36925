"""The help site's page for integrators ("Для разработчиков"), generated from openapi.yaml.

The MkDocs hook adds it as a page and copies openapi.yaml next to it, so the description
published on the site is always the one the tests check the functions against.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PAGE_URI = "developers.md"
SPEC_NAME = "openapi.yaml"
METHODS = ("get", "post", "put", "patch", "delete", "options")
STATUS_RU = {
    "200": "готово",
    "201": "создано",
    "202": "принято",
    "204": "без тела",
    "400": "ошибка в запросе",
    "401": "нет ключа доступа",
    "403": "доступ закрыт",
    "404": "не найдено",
    "409": "конфликт с сохранёнными данными",
    "413": "слишком большой запрос",
    "415": "не JSON",
    "429": "слишком много запросов",
    "503": "хранилище недоступно",
}


def api_page_markdown(spec: Mapping[str, Any]) -> str:
    """The page in Russian: every endpoint with its parameters and answers, the error body, the download link."""
    lines = [
        "---",
        "title: Для разработчиков",
        "search:",
        "  exclude: true",
        "---",
        "",
        "# Для разработчиков: API",
        "",
        "Справка предоставляет HTTP-функции: ответ на вопрос (`ask`), приём показаний (`readings`), "
        "анонимная статистика (`events`) и выгрузка для биллинга (`admin`). Полное машиночитаемое описание — "
        f"[{SPEC_NAME}]({SPEC_NAME}) (OpenAPI {spec.get('openapi', '')}); тесты проекта проверяют по нему "
        "настоящие ответы функций.",
        "",
        "Пути указаны так, как их обслуживает локальный запуск `spravka serve`; у развёрнутой в Google Cloud "
        "функции вместо `/api/<имя>` — её собственный адрес.",
        "",
        "| метод | путь | что делает | ответы |",
        "| --- | --- | --- | --- |",
    ]
    for path, operations in spec.get("paths", {}).items():
        for method in METHODS:
            operation = operations.get(method)
            if operation:
                statuses = ", ".join(
                    f"`{code}` {STATUS_RU.get(code, '')}".strip() for code in operation.get("responses", {})
                )
                lines.append(
                    f"| `{method.upper()}` | `{path}` | {operation.get('x-summary-ru', operation.get('summary', ''))} "
                    f"| {statuses} |"
                )
    lines += [
        "",
        "## Ошибки",
        "",
        "Любой ответ 4xx и 5xx любой функции имеет одно и то же тело:",
        "",
        "```json",
        '{"error": {"code": "<код для программ>", "message": "<сообщение для людей, по-русски>"}}',
        "```",
        "",
        "Ответы `429` и `503` содержат заголовок `Retry-After` (секунды). После `503` ничего не сохранено, "
        "запрос можно безопасно повторить; повтор тех же показаний (тот же `idempotency_key`) не создаёт вторую "
        "запись, а возвращает первую квитанцию (`200`).",
        "",
        "## Доступ",
        "",
        "`ask`, `readings` и `events` открыты; браузер может вызывать их только с сайтов из настройки "
        "`ALLOWED_ORIGINS`. Запросы к `readings` ограничены по лицевому счёту и по адресу клиента. "
        "`admin` требует заголовок `Authorization: Bearer <ключ>`; без настроенного ключа он закрыт.",
        "",
    ]
    return "\n".join(lines)
