"""Settings: read once from the environment, typed, with defaults; nothing here can fail at import."""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Mapping
from pathlib import Path

from spravka.paths import INDEX_PATH, REPO_DIR

# The repository root when running from a checkout; in a deployed function
# only functions/ exists and the defaults below still work.
DEFAULT_DATA_DIR = REPO_DIR / "var"
MIN_ADMIN_TOKEN_CHARS = 32
# The bots' platforms; tests point these at a local stand-in (contract §8).
TELEGRAM_API_BASE = "https://api.telegram.org"
VIBER_API_BASE = "https://chatapi.viber.com"
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names the variable."""


@dataclasses.dataclass(frozen=True)
class Settings:
    readings_store: str
    allowed_origins: tuple[str, ...]
    site_url: str
    index_path: Path
    readings_window: tuple[int, int]
    rate_limit_per_minute: int
    max_question_chars: int
    timezone: str
    question_log: bool = True
    log_retention_days: int = 400
    trusted_proxy_hops: int = 1
    client_limit_per_hour: int = 300
    admin_token: str = ""
    limits_secret: str = ""
    smtp_url: str = ""
    mail_from: str = "Городской энергосбыт <noreply@example.ru>"
    mail_dir: Path = DEFAULT_DATA_DIR / "mail"
    telegram_token: str = ""
    telegram_secret: str = ""
    viber_token: str = ""
    telegram_api_base: str = TELEGRAM_API_BASE
    viber_api_base: str = VIBER_API_BASE
    viber_sender_name: str = "Справка"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "Settings":
        data_dir = Path(environ.get("SPRAVKA_DATA_DIR", str(DEFAULT_DATA_DIR)))
        store = environ.get("READINGS_STORE", "").strip() or f"sqlite:///{data_dir / 'spravka.sqlite3'}"
        sqlite_path(store)  # raises on anything but sqlite:///<path> or firestore
        local_dev = _switch(environ, "SPRAVKA_LOCAL_DEV", False)
        origins = _origins(environ.get("ALLOWED_ORIGINS", ""), local_dev=local_dev)
        admin_token = environ.get("ADMIN_TOKEN", "").strip()
        if admin_token and len(admin_token) < MIN_ADMIN_TOKEN_CHARS:
            raise SettingsError(
                f"ADMIN_TOKEN: use a random token of at least {MIN_ADMIN_TOKEN_CHARS} characters "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
        limits_secret = environ.get("LIMITS_SECRET", "").strip()
        if limits_secret and len(limits_secret) < MIN_ADMIN_TOKEN_CHARS:
            raise SettingsError(
                f"LIMITS_SECRET: use a random secret of at least {MIN_ADMIN_TOKEN_CHARS} characters "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
        return cls(
            readings_store=store,
            allowed_origins=origins,
            site_url=environ.get("SITE_URL", "").rstrip("/"),
            index_path=Path(environ.get("SPRAVKA_INDEX", str(INDEX_PATH))),
            readings_window=_window(environ.get("READINGS_WINDOW", "15-25")),
            rate_limit_per_minute=int_setting(environ, "RATE_LIMIT_PER_MINUTE", 30),
            max_question_chars=int_setting(environ, "MAX_QUESTION_CHARS", 1000),
            timezone=environ.get("SPRAVKA_TIMEZONE", "Europe/Moscow"),
            question_log=_switch(environ, "QUESTION_LOG", True),
            log_retention_days=int_setting(environ, "LOG_RETENTION_DAYS", 400),
            trusted_proxy_hops=int_setting(environ, "TRUSTED_PROXY_HOPS", 1, minimum=0),
            client_limit_per_hour=int_setting(environ, "CLIENT_LIMIT_PER_HOUR", 300),
            admin_token=admin_token,
            limits_secret=limits_secret,
            smtp_url=_smtp_url(environ.get("SMTP_URL", "").strip()),
            mail_from=environ.get("MAIL_FROM", "").strip() or cls.mail_from,
            mail_dir=data_dir / "mail",  # where e-mails are written as .eml files when SMTP_URL is not set
            telegram_token=environ.get("TELEGRAM_TOKEN", "").strip(),
            telegram_secret=environ.get("TELEGRAM_SECRET", "").strip(),
            viber_token=environ.get("VIBER_TOKEN", "").strip(),
            telegram_api_base=_base_url(environ, "TELEGRAM_API_BASE", TELEGRAM_API_BASE),
            viber_api_base=_base_url(environ, "VIBER_API_BASE", VIBER_API_BASE),
            viber_sender_name=environ.get("VIBER_SENDER_NAME", "").strip()[:28] or "Справка",
        )


def _origins(raw: str, *, local_dev: bool) -> tuple[str, ...]:
    """Exact origins (scheme://host[:port]); `*` only with SPRAVKA_LOCAL_DEV=1, never in production."""
    origins = tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
    for origin in origins:
        if origin == "*":
            if not local_dev:
                raise SettingsError(
                    "ALLOWED_ORIGINS: `*` lets any site call the functions; it is accepted only "
                    "with SPRAVKA_LOCAL_DEV=1. List the sites' origins instead"
                )
        elif not _ORIGIN.fullmatch(origin):
            raise SettingsError(f"ALLOWED_ORIGINS: expected origins like https://example.ru, got {origin!r}")
    return origins


def _smtp_url(raw: str) -> str:
    """smtp://[user:password@]host[:port] (STARTTLS when the server offers it) or smtps://… (TLS); "" = files."""
    if raw and not re.fullmatch(r"smtps?://([^@/]+@)?[A-Za-z0-9.-]+(:[0-9]{1,5})?/?", raw):
        raise SettingsError("SMTP_URL: expected smtp://user:password@host:port or smtps://…")
    return raw


SQLITE_PREFIX = "sqlite:///"


def sqlite_path(store: str) -> str | None:
    """The file a READINGS_STORE value names (sqlite:///<path>), None for "firestore"; raises otherwise."""
    if store.startswith(SQLITE_PREFIX):
        return store[len(SQLITE_PREFIX) :]
    if store == "firestore":
        return None
    raise SettingsError(f"READINGS_STORE: expected sqlite:///<path> or firestore, got {store!r}")


def int_setting(environ: Mapping[str, str], name: str, default: int, *, minimum: int = 1) -> int:
    """A whole-number setting, `default` when unset; SettingsError naming the variable otherwise."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}: expected a whole number, got {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name}: expected a whole number >= {minimum}, got {value}")
    return value


def _base_url(environ: Mapping[str, str], name: str, default: str) -> str:
    """An API's base address (http or https, no trailing slash); the default when unset."""
    raw = environ.get(name, "").strip().rstrip("/")
    if not raw:
        return default
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", raw):
        raise SettingsError(f"{name}: expected an address like {default}, got {raw!r}")
    return raw


def _switch(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("on", "true", "1", "yes"):
        return True
    if raw in ("off", "false", "0", "no"):
        return False
    raise SettingsError(f"{name}: expected on or off, got {raw!r}")


def _window(raw: str) -> tuple[int, int]:
    try:
        first, last = (int(part) for part in raw.split("-"))
    except ValueError:
        raise SettingsError(f"READINGS_WINDOW: expected FIRST-LAST days like 15-25, got {raw!r}") from None
    if not 1 <= first <= last <= 31:
        raise SettingsError(f"READINGS_WINDOW: days must satisfy 1 <= first <= last <= 31, got {raw!r}")
    return first, last


@functools.cache
def get_settings() -> Settings:
    """The settings of this instance, read on first use."""
    return Settings.from_env()
