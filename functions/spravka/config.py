"""Settings: read once from the environment, typed, with defaults; nothing here can fail at import."""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Mapping
from pathlib import Path

from spravka.paths import INDEX_PATH, REPO_DIR

# The repository root when running from a checkout; in a deployed function
# only functions/ exists and the defaults below still work.
DEFAULT_DATA_DIR = REPO_DIR / "var"


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

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "Settings":
        data_dir = Path(environ.get("SPRAVKA_DATA_DIR", str(DEFAULT_DATA_DIR)))
        store = environ.get("READINGS_STORE", "").strip() or f"sqlite:///{data_dir / 'spravka.sqlite3'}"
        if not (store.startswith("sqlite:///") or store == "firestore"):
            raise SettingsError(f"READINGS_STORE: expected sqlite:///<path> or firestore, got {store!r}")
        origins = tuple(o.strip().rstrip("/") for o in environ.get("ALLOWED_ORIGINS", "").split(",") if o.strip())
        return cls(
            readings_store=store,
            allowed_origins=origins,
            site_url=environ.get("SITE_URL", "").rstrip("/"),
            index_path=Path(environ.get("SPRAVKA_INDEX", str(INDEX_PATH))),
            readings_window=_window(environ.get("READINGS_WINDOW", "15-25")),
            rate_limit_per_minute=_int(environ, "RATE_LIMIT_PER_MINUTE", 30),
            max_question_chars=_int(environ, "MAX_QUESTION_CHARS", 1000),
            timezone=environ.get("SPRAVKA_TIMEZONE", "Europe/Moscow"),
            question_log=_switch(environ, "QUESTION_LOG", True),
            log_retention_days=_int(environ, "LOG_RETENTION_DAYS", 400),
        )


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}: expected a whole number, got {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name}: expected a positive number, got {value}")
    return value


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
