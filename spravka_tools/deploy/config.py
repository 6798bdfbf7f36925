"""The deployment's settings: defaults here, overridden by deploy.env, overridden by the environment.

Every name is documented in docs/deploy.md (tests/tools/test_deploy.py checks it). The functions
themselves are a table (FUNCTIONS): adding one is adding a row.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from pathlib import Path

from spravka.config import SettingsError, int_setting
from spravka.paths import REPO_DIR

# gunicorn inside each instance (functions-framework reads WORKERS and THREADS); chosen by
# `spravka bench spike`, reasoning in docs/scale.md. Concurrency per instance = workers × threads.
SERVING_WORKERS = 1
SERVING_THREADS = 8


@dataclasses.dataclass(frozen=True)
class Function:
    """One Cloud Function (gen2): its name is its entry point in functions/main.py."""

    name: str
    public: bool = True  # --allow-unauthenticated; False: callers need run.invoker (IAM)
    min_instances: int = 0
    max_instances: int = 20
    secrets: tuple[tuple[str, str], ...] = ()  # (environment variable, Secret Manager secret)


FUNCTIONS = (
    Function("ask"),
    # The limiter's HMAC key (docs/security.md): one secret shared by every instance.
    Function("readings", secrets=(("LIMITS_SECRET", "spravka-limits-secret"),)),
    Function("events"),
    # The virtual reception: appeal secrets are keyed by LIMITS_SECRET too; its e-mails go out through SMTP_URL.
    Function("appeals", secrets=(("LIMITS_SECRET", "spravka-limits-secret"), ("SMTP_URL", "spravka-smtp-url"))),
    # Billing's export: callers need run.invoker (IAM) AND the token from Secret Manager (docs/security.md).
    Function("admin", public=False, max_instances=2, secrets=(("ADMIN_TOKEN", "spravka-admin-token"),)),
    # The messenger bots (docs/bots.md): their platform's credentials, and the limiter's key, since
    # they take readings under the readings function's limits.
    Function(
        "telegram",
        secrets=(
            ("LIMITS_SECRET", "spravka-limits-secret"),
            ("TELEGRAM_SECRET", "spravka-telegram-secret"),
            ("TELEGRAM_TOKEN", "spravka-telegram-token"),
        ),
    ),
    Function(
        "viber",
        secrets=(("LIMITS_SECRET", "spravka-limits-secret"), ("VIBER_TOKEN", "spravka-viber-token")),
    ),
)

# name -> (default, one line for docs/deploy.md). A default of "" means "derived" or "not set".
SETTINGS: dict[str, tuple[str, str]] = {
    "GOOGLE_CLOUD_PROJECT": ("", "the project id (required)"),
    "DEPLOY_REGION": ("europe-west1", "region of the functions"),
    "DEPLOY_FIRESTORE_LOCATION": ("europe-west1", "location of the Firestore database (fixed once created)"),
    "DEPLOY_FUNCTIONS": (" ".join(f.name for f in FUNCTIONS), "which functions of the table to deploy"),
    "DEPLOY_RUNTIME": ("python311", "Cloud Functions runtime"),
    "DEPLOY_SERVICE_ACCOUNT": ("spravka-functions", "account id the functions run as (created if missing)"),
    "DEPLOY_BUILD_SERVICE_ACCOUNT": ("spravka-build", "account id Cloud Build builds the functions as"),
    "DEPLOY_CPU": ("1", "vCPUs per instance"),
    "DEPLOY_MEMORY": ("256Mi", "memory per instance"),
    "DEPLOY_TIMEOUT": ("30s", "longest request"),
    "DEPLOY_WORKERS": (str(SERVING_WORKERS), "gunicorn worker processes per instance (WORKERS)"),
    "DEPLOY_THREADS": (str(SERVING_THREADS), "gunicorn threads per worker (THREADS)"),
    "DEPLOY_CONCURRENCY": ("", "requests per instance; default workers × threads"),
    "DEPLOY_<NAME>_MIN_INSTANCES": ("0", "instances kept warm, per function (e.g. DEPLOY_ASK_MIN_INSTANCES)"),
    "DEPLOY_<NAME>_MAX_INSTANCES": ("20", "cap on instances, per function"),
    "DEPLOY_<NAME>_PUBLIC": ("true", "false deploys with --no-allow-unauthenticated"),
    "SITE_URL": ("", "the help site's address; default https://<project>.web.app"),
    "ALLOWED_ORIGINS": ("", "origins the widget may call from; default the help site's origin"),
    "SPRAVKA_FUNCTIONS_URL": (
        "",
        "base URL of the functions in the widget's tag; default /api/ of the site "
        "(firebase.json's Hosting rewrites: same origin, no CORS preflight) when the "
        "functions are in the rewrites' region, else https://<region>-<project>.cloudfunctions.net/",
    ),
}
# Settings of the functions themselves (docs/operators.md) passed on when set in the deploy configuration.
RUNTIME_PASSTHROUGH = (
    "READINGS_WINDOW",
    "RATE_LIMIT_PER_MINUTE",
    "MAX_QUESTION_CHARS",
    "SPRAVKA_TIMEZONE",
    "QUESTION_LOG",
    "LOG_RETENTION_DAYS",
    "TRUSTED_PROXY_HOPS",
    "CLIENT_LIMIT_PER_HOUR",
    "MAIL_FROM",
    "TELEGRAM_API_BASE",
    "VIBER_API_BASE",
    "VIBER_SENDER_NAME",
)
# Settings of the functions a deployment never passes on: set by the deploy itself, a local path,
# local development only, or a secret (ADMIN_TOKEN, LIMITS_SECRET and SMTP_URL come from Secret Manager).
RUNTIME_NOT_PASSED = (
    "READINGS_STORE",
    "GOOGLE_CLOUD_PROJECT",
    "FIRESTORE_EMULATOR_HOST",
    "ALLOWED_ORIGINS",
    "SITE_URL",
    "SPRAVKA_DATA_DIR",
    "SPRAVKA_INDEX",
    "SPRAVKA_LOCAL_DEV",
    "ADMIN_TOKEN",
    "LIMITS_SECRET",
    "SMTP_URL",
    "TELEGRAM_TOKEN",
    "TELEGRAM_SECRET",
    "VIBER_TOKEN",
    "WORKERS",
    "THREADS",
)


@dataclasses.dataclass(frozen=True)
class DeployConfig:
    """Everything a deployment needs, resolved."""

    project: str
    region: str
    firestore_location: str
    runtime: str
    service_account: str
    build_service_account: str
    cpu: str
    memory: str
    timeout: str
    workers: int
    threads: int
    concurrency: int
    functions: tuple[Function, ...]
    site_url: str
    allowed_origins: str
    functions_url: str
    passthrough: tuple[tuple[str, str], ...]

    @property
    def service_account_email(self) -> str:
        return f"{self.service_account}@{self.project}.iam.gserviceaccount.com"

    @property
    def build_service_account_email(self) -> str:
        return f"{self.build_service_account}@{self.project}.iam.gserviceaccount.com"

    @classmethod
    def from_sources(cls, file: Path | None, environ: Mapping[str, str] = os.environ) -> "DeployConfig":
        """Defaults < `file` (KEY=VALUE, as python-dotenv reads it) < `environ`."""
        values: dict[str, str] = {}
        if file is not None:
            from dotenv import dotenv_values

            if not file.is_file():
                raise SettingsError(f"deploy configuration {file} not found")
            values.update({k: v for k, v in dotenv_values(file).items() if v is not None})
        values.update(environ)
        return cls.from_mapping(values)

    @classmethod
    def from_mapping(cls, values: Mapping[str, str]) -> "DeployConfig":
        def get(name: str) -> str:
            return (values.get(name) or "").strip() or SETTINGS[name][0]

        project = get("GOOGLE_CLOUD_PROJECT")
        if not project:
            raise SettingsError("GOOGLE_CLOUD_PROJECT: set the project id to deploy to (deploy.env or environment)")
        region = get("DEPLOY_REGION")
        workers, threads = _positive(values, "DEPLOY_WORKERS"), _positive(values, "DEPLOY_THREADS")
        concurrency = _positive(values, "DEPLOY_CONCURRENCY", workers * threads)
        wanted = get("DEPLOY_FUNCTIONS").replace(",", " ").split()
        known = {f.name: f for f in FUNCTIONS}
        unknown = [name for name in wanted if name not in known]
        if unknown:
            raise SettingsError(
                f"DEPLOY_FUNCTIONS: unknown function(s) {', '.join(unknown)}; the table has {', '.join(known)}"
            )
        functions = tuple(_function(known[name], values) for name in wanted)
        site_url = (get("SITE_URL") or f"https://{project}.web.app").rstrip("/")
        origin = "/".join(site_url.split("/")[:3])
        return cls(
            project=project,
            region=region,
            firestore_location=get("DEPLOY_FIRESTORE_LOCATION"),
            runtime=get("DEPLOY_RUNTIME"),
            service_account=get("DEPLOY_SERVICE_ACCOUNT"),
            build_service_account=get("DEPLOY_BUILD_SERVICE_ACCOUNT"),
            cpu=get("DEPLOY_CPU"),
            memory=get("DEPLOY_MEMORY"),
            timeout=get("DEPLOY_TIMEOUT"),
            workers=workers,
            threads=threads,
            concurrency=concurrency,
            functions=functions,
            site_url=site_url,
            allowed_origins=get("ALLOWED_ORIGINS") or origin,
            functions_url=(get("SPRAVKA_FUNCTIONS_URL") or _functions_url(project, region)).rstrip("/") + "/",
            passthrough=tuple(
                (name, values[name].strip()) for name in RUNTIME_PASSTHROUGH if (values.get(name) or "").strip()
            ),
        )


def hosting_rewrite_regions() -> set[str]:
    """The regions firebase.json's Hosting rewrites send /api/<name> to."""
    hosting = json.loads((REPO_DIR / "firebase.json").read_text(encoding="utf-8"))["hosting"]
    return {rewrite["function"]["region"] for rewrite in hosting.get("rewrites", ()) if "function" in rewrite}


def _functions_url(project: str, region: str) -> str:
    # Same origin through Hosting when its rewrites reach this region; a deployment elsewhere
    # calls the functions directly (cross-origin, CORS) until firebase.json names its region.
    if hosting_rewrite_regions() == {region}:
        return "/api/"
    return f"https://{region}-{project}.cloudfunctions.net"


def _function(row: Function, values: Mapping[str, str]) -> Function:
    prefix = f"DEPLOY_{row.name.upper()}_"
    public = (values.get(prefix + "PUBLIC") or "").strip().lower()
    if public not in ("", "true", "false"):
        raise SettingsError(f"{prefix}PUBLIC: expected true or false, got {public!r}")
    return dataclasses.replace(
        row,
        public=row.public if not public else public == "true",
        min_instances=int_setting(values, prefix + "MIN_INSTANCES", row.min_instances, minimum=0),
        max_instances=_positive(values, prefix + "MAX_INSTANCES", row.max_instances),
    )


def _positive(values: Mapping[str, str], name: str, default: int | None = None) -> int:
    return int_setting(values, name, default if default is not None else int(SETTINGS[name][0]))
