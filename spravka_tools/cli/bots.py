"""`spravka bots set-webhook --url BASE`: register the bots' webhooks with Telegram and Viber (docs/bots.md).

Reads the same settings as the functions (TELEGRAM_TOKEN, TELEGRAM_SECRET, VIBER_TOKEN and the API
bases); a bot whose credentials are not set is skipped. `--dry-run` prints the calls, tokens hidden.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from typing import Any

# What the bots act on: everything else Telegram and Viber would send is answered 200 and dropped.
TELEGRAM_UPDATES = ["message", "callback_query"]
VIBER_EVENTS = ["message", "conversation_started"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `bots`."""
    parser = subparsers.add_parser("bots", help="the messenger bots: register their webhooks")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    webhook = actions.add_parser(
        "set-webhook",
        help="point Telegram's and Viber's webhooks at the deployed functions",
        description="Call Telegram's setWebhook (with TELEGRAM_SECRET as secret_token) and Viber's "
        "set_webhook, with <URL>/telegram and <URL>/viber.",
    )
    webhook.add_argument(
        "--url", required=True, help="base URL of the functions, e.g. https://europe-west1-PROJECT.cloudfunctions.net"
    )
    webhook.add_argument("--dry-run", action="store_true", help="print the calls instead of making them")
    webhook.set_defaults(func=run)


def calls(base: str) -> list[tuple[str, str, dict[str, Any], dict[str, str]]]:
    """(name, URL, body, headers) of each registration the settings allow."""
    from spravka.config import get_settings

    settings = get_settings()
    base = base.rstrip("/")
    found: list[tuple[str, str, dict[str, Any], dict[str, str]]] = []
    if settings.telegram_token and settings.telegram_secret:
        body: dict[str, Any] = {
            "url": f"{base}/telegram",
            "secret_token": settings.telegram_secret,
            "allowed_updates": TELEGRAM_UPDATES,
        }
        found.append(("telegram", f"{settings.telegram_api_base}/bot{settings.telegram_token}/setWebhook", body, {}))
    if settings.viber_token:
        body = {"url": f"{base}/viber", "event_types": VIBER_EVENTS, "send_name": False, "send_photo": False}
        headers = {"X-Viber-Auth-Token": settings.viber_token}
        found.append(("viber", f"{settings.viber_api_base}/pa/set_webhook", body, headers))
    return found


def run(args: argparse.Namespace) -> int:
    """Register each configured bot; exit 1 when none is configured or a platform refuses."""
    planned = calls(args.url)
    if not planned:
        print("no bot configured: set TELEGRAM_TOKEN and TELEGRAM_SECRET, or VIBER_TOKEN", file=sys.stderr)
        return 1
    failed = 0
    for name, url, body, headers in planned:
        if args.dry_run:
            shown = {k: ("…" if k == "secret_token" else v) for k, v in body.items()}
            print(f"{name}: POST {_hidden(url)} {json.dumps(shown, ensure_ascii=False)}")
            continue
        answer = _post(url, body, headers)
        ok = answer.get("ok") is True or answer.get("status") == 0
        print(
            f"{name}: {'registered' if ok else 'refused'}: {answer.get('description') or answer.get('status_message')}"
        )
        failed += not ok
    return 1 if failed else 0


def _hidden(url: str) -> str:
    """The URL without Telegram's token (it sits in the path)."""
    head, marker, tail = url.partition("/bot")
    return head + marker + "<TELEGRAM_TOKEN>/" + tail.split("/", 1)[1] if marker else url


def _post(url: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (https base from settings)
            answer: dict[str, Any] = json.loads(response.read() or b"{}")
            return answer
    except urllib.error.HTTPError as error:  # Telegram answers 4xx with {"ok": false, "description": …}
        try:
            refused: dict[str, Any] = json.loads(error.read() or b"{}")
            return refused
        except ValueError:
            return {"ok": False, "description": f"HTTP {error.code}"}
    except (urllib.error.URLError, OSError, ValueError) as error:
        return {"ok": False, "description": type(error).__name__}
