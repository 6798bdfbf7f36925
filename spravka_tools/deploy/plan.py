"""The deployment as an ordered list of commands: built locally first, then the cloud, from one DeployConfig."""

from __future__ import annotations

import dataclasses
import json
import shlex
from collections.abc import Sequence
from pathlib import Path

from spravka_tools.deploy.config import DeployConfig, Function

APIS = (
    "cloudfunctions.googleapis.com",
    "run.googleapis.com",
    "cloudbuild.googleapis.com",
    "artifactregistry.googleapis.com",
    "storage.googleapis.com",
    "logging.googleapis.com",
    "iam.googleapis.com",
    "firestore.googleapis.com",
    "firebase.googleapis.com",
    "firebaserules.googleapis.com",
    "firebasehosting.googleapis.com",
    "secretmanager.googleapis.com",
)
# Least privilege: the functions only read and write Firestore documents.
RUNTIME_ROLES = ("roles/datastore.user",)
# What Cloud Build needs to build a function from source (docs: "Custom service account for Cloud Build").
BUILD_ROLES = ("roles/logging.logWriter", "roles/artifactregistry.writer", "roles/storage.objectAdmin")
FUNCTIONS_SOURCE = "functions"
SITE_DIR = "build/site"  # firebase.json's hosting.public
INDEXES_FILE = "firestore.indexes.json"
# Firebase Hosting → function: Hosting's CDN appends the client to X-Forwarded-For, then Google's
# front end in front of the function appends the CDN's address; the client is 2 from the right
# (docs/deploy.md: the reasoning and how to verify it on a deployment).
HOSTING_PROXY_HOPS = "2"


@dataclasses.dataclass(frozen=True)
class Step:
    """One command. `unless`: a check; when it succeeds the step is already done and is skipped."""

    title: str
    argv: tuple[str, ...]
    unless: tuple[str, ...] | None = None
    env: tuple[tuple[str, str], ...] = ()
    exists_ok: bool = False  # an ALREADY_EXISTS answer is success (composite indexes)

    def shell(self) -> str:
        """The step as one copy-pasteable shell line."""
        command = shlex.join(self.argv)
        if self.env:
            command = shlex.join(["env", *(f"{k}={v}" for k, v in self.env)]) + " " + command
        if self.unless:
            return f"{shlex.join(self.unless)} >/dev/null 2>&1 || {command}"
        return command


def plan(config: DeployConfig, *, repo: Path, bin_dir: str) -> list[Step]:
    """Every step of a deployment, in order."""
    p = f"--project={config.project}"
    steps = [
        Step(
            "rebuild the assistant's index (the functions upload functions/spravka/data/index.json)",
            (f"{bin_dir}spravka", "build-index"),
        ),
        Step(
            "build the help site with the functions' public URLs in the widget's tag",
            (f"{bin_dir}mkdocs", "build", "--strict", f"--site-dir={SITE_DIR}"),
            env=(
                ("SITE_URL", config.site_url),
                ("SPRAVKA_FUNCTIONS_URL", config.functions_url),
                # The widget shows appeal times in the functions' zone, as their e-mails do.
                *((name, value) for name, value in config.passthrough if name == "SPRAVKA_TIMEZONE"),
            ),
        ),
        Step("enable the APIs", ("gcloud", "services", "enable", *APIS, p)),
        *_service_account(config.service_account, config.service_account_email, "Spravka functions (runtime)", p),
        *_roles(config.project, config.service_account_email, RUNTIME_ROLES),
        *_service_account(
            config.build_service_account, config.build_service_account_email, "Spravka functions (build)", p
        ),
        *_roles(config.project, config.build_service_account_email, BUILD_ROLES),
        Step(
            "create the Firestore database (Native mode) unless it exists",
            (
                "gcloud",
                "firestore",
                "databases",
                "create",
                f"--location={config.firestore_location}",
                "--type=firestore-native",
                p,
            ),
            unless=("gcloud", "firestore", "databases", "describe", "--database=(default)", p),
        ),
        *firestore_index_steps(json.loads((repo / INDEXES_FILE).read_text(encoding="utf-8")), p),
        Step(
            "make the project a Firebase project (rules and hosting) unless it is one",
            ("firebase", "projects:addfirebase", config.project),
            unless=("firebase", "apps:list", p, "--non-interactive"),
        ),
        Step(
            "deploy the Firestore security rules (deny every client)",
            ("firebase", "deploy", "--only=firestore:rules", p, "--config=firebase.json", "--non-interactive"),
        ),
        *secret_steps(config, p),
        *(function_step(config, function) for function in config.functions),
        Step(
            "upload the help site to Firebase Hosting",
            ("firebase", "deploy", "--only=hosting", p, "--config=firebase.json", "--non-interactive"),
        ),
    ]
    return steps


def secret_steps(config: DeployConfig, project_flag: str) -> list[Step]:
    """Each secret the deployed functions read: created (without a value) unless it exists; readable by the runtime account.

    The value is the operator's to add (docs/deploy.md): a function deployed with a secret
    that has no version fails to start, which is the intended "closed by default".
    """
    names = sorted({secret for function in config.functions for _, secret in function.secrets})
    steps = []
    for name in names:
        steps.append(
            Step(
                f"create the secret {name} unless it exists (its value: docs/deploy.md)",
                ("gcloud", "secrets", "create", name, "--replication-policy=automatic", project_flag),
                unless=("gcloud", "secrets", "describe", name, project_flag),
            )
        )
        steps.append(
            Step(
                f"let the runtime account read the secret {name}",
                (
                    "gcloud",
                    "secrets",
                    "add-iam-policy-binding",
                    name,
                    f"--member=serviceAccount:{config.service_account_email}",
                    "--role=roles/secretmanager.secretAccessor",
                    project_flag,
                    "--quiet",
                ),
            )
        )
    return steps


def function_step(config: DeployConfig, function: Function) -> Step:
    """`gcloud functions deploy` of one row of the functions table."""
    env = [
        ("READINGS_STORE", "firestore"),
        ("GOOGLE_CLOUD_PROJECT", config.project),
        ("ALLOWED_ORIGINS", config.allowed_origins),
        ("SITE_URL", config.site_url),
        ("WORKERS", str(config.workers)),
        ("THREADS", str(config.threads)),
        *config.passthrough,
    ]
    if "TRUSTED_PROXY_HOPS" not in dict(config.passthrough):
        env.append(("TRUSTED_PROXY_HOPS", HOSTING_PROXY_HOPS))
    return Step(
        f"deploy the function {function.name}",
        (
            "gcloud",
            "functions",
            "deploy",
            function.name,
            "--gen2",
            f"--region={config.region}",
            f"--runtime={config.runtime}",
            f"--source={FUNCTIONS_SOURCE}",
            f"--entry-point={function.name}",
            "--trigger-http",
            "--allow-unauthenticated" if function.public else "--no-allow-unauthenticated",
            f"--service-account={config.service_account_email}",
            f"--build-service-account=projects/{config.project}/serviceAccounts/{config.build_service_account_email}",
            f"--cpu={config.cpu}",
            f"--memory={config.memory}",
            f"--concurrency={config.concurrency}",
            f"--min-instances={function.min_instances}",
            f"--max-instances={function.max_instances}",
            f"--timeout={config.timeout}",
            f"--set-env-vars={env_vars(env)}",
            *(
                [f"--set-secrets={','.join(f'{var}={secret}:latest' for var, secret in function.secrets)}"]
                if function.secrets
                else []
            ),
            f"--project={config.project}",
            "--quiet",
        ),
    )


def env_vars(pairs: Sequence[tuple[str, str]]) -> str:
    """gcloud's KEY=VALUE list; with another delimiter (`gcloud topic escaping`) when a value has a comma."""
    text = [f"{k}={v}" for k, v in pairs]
    if not any("," in item for item in text):
        return ",".join(text)
    delimiter = next(d for d in "@|;:#~" if not any(d in item for item in text))
    return f"^{delimiter}^" + delimiter.join(text)


def firestore_index_steps(spec: dict[str, object], project_flag: str) -> list[Step]:
    """firestore.indexes.json (the Firebase CLI's format) as gcloud commands: composite indexes, field overrides, TTL."""
    steps = []
    for index in spec.get("indexes", []):  # type: ignore[attr-defined]
        fields = [f"--field-config=field-path={f['fieldPath']},{_index_mode(f)}" for f in index["fields"]]
        steps.append(
            Step(
                f"composite index on {index['collectionGroup']}",
                (
                    "gcloud",
                    "firestore",
                    "indexes",
                    "composite",
                    "create",
                    f"--collection-group={index['collectionGroup']}",
                    f"--query-scope={_scope(index.get('queryScope', 'COLLECTION'))}",
                    *fields,
                    project_flag,
                ),
                exists_ok=True,
            )
        )
    for override in spec.get("fieldOverrides", []):  # type: ignore[attr-defined]
        field, group = override["fieldPath"], override["collectionGroup"]
        indexes = override.get("indexes", [])
        if indexes:
            flags = [
                f"--index={_index_mode(i)},query-scope={_scope(i.get('queryScope', 'COLLECTION'))}" for i in indexes
            ]
            title = f"index settings of {group}.{field}"
        else:
            flags = ["--disable-indexes"]
            title = f"no index on {group}.{field} (never queried; see docs/scale.md)"
        steps.append(
            Step(
                title,
                (
                    "gcloud",
                    "firestore",
                    "indexes",
                    "fields",
                    "update",
                    field,
                    f"--collection-group={group}",
                    *flags,
                    project_flag,
                    "--quiet",
                ),
            )
        )
        if override.get("ttl"):
            steps.append(
                Step(
                    f"TTL policy: delete {group} documents once {field} has passed",
                    (
                        "gcloud",
                        "firestore",
                        "fields",
                        "ttls",
                        "update",
                        field,
                        f"--collection-group={group}",
                        "--enable-ttl",
                        project_flag,
                        "--quiet",
                    ),
                )
            )
    return steps


def _index_mode(field: dict[str, str]) -> str:
    """A field of an index as gcloud names it: order=ascending|descending or array-config=contains."""
    return f"order={field['order'].lower()}" if "order" in field else f"array-config={field['arrayConfig'].lower()}"


def _scope(scope: str) -> str:
    return scope.lower().replace("_", "-")


def _service_account(account_id: str, email: str, name: str, project_flag: str) -> list[Step]:
    return [
        Step(
            f"create the service account {account_id} unless it exists",
            ("gcloud", "iam", "service-accounts", "create", account_id, f"--display-name={name}", project_flag),
            unless=("gcloud", "iam", "service-accounts", "describe", email, project_flag),
        )
    ]


def _roles(project: str, email: str, roles: Sequence[str]) -> list[Step]:
    return [
        Step(
            f"grant {role} to {email}",
            (
                "gcloud",
                "projects",
                "add-iam-policy-binding",
                project,
                f"--member=serviceAccount:{email}",
                f"--role={role}",
                "--condition=None",
                "--quiet",
            ),
        )
        for role in roles
    ]
