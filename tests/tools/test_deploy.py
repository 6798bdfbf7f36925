"""`spravka deploy --dry-run` prints complete commands; functions/ is a self-contained deploy source."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pathspec
import pytest

from spravka.paths import KNOWLEDGE_DIR, REPO_DIR
from spravka_tools.deploy.config import FUNCTIONS, SETTINGS, DeployConfig, hosting_rewrite_regions
from spravka_tools.deploy.plan import SITE_DIR
from spravka_tools.knowledge.build_index import build_index, dump_index

SPRAVKA = Path(sys.executable).parent / "spravka"
PROJECT = "spravka-test-1"
SEPARATOR = " >/dev/null 2>&1 || "


def dry_run(tmp_path: Path, config: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    file = tmp_path / "deploy.env"
    file.write_text(textwrap.dedent(config), encoding="utf-8")
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in SETTINGS and not k.startswith("DEPLOY_") and k not in ("SITE_URL", "ALLOWED_ORIGINS")
    }
    return subprocess.run(
        [str(SPRAVKA), "deploy", "--dry-run", "--config", str(file)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**clean, **env},
        timeout=60,
    )


def commands(output: str) -> list[list[str]]:
    """Each printed command as argv (a `check || command` line gives the command after ||)."""
    lines = [line for line in output.splitlines() if line and not line.startswith("#")]
    return [shlex.split(line.split(SEPARATOR)[-1]) for line in lines]


def flags(argv: list[str]) -> dict[str, str]:
    return dict(arg[2:].split("=", 1) if "=" in arg else (arg[2:], "") for arg in argv if arg.startswith("--"))


def env_vars(value: str) -> dict[str, str]:
    delimiter = ","
    match = re.match(r"\^(.)\^", value)
    if match:
        delimiter, value = match.group(1), value[3:]
    return dict(item.split("=", 1) for item in value.split(delimiter))


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> str:
    result = dry_run(
        tmp_path_factory.mktemp("deploy"),
        """
        # a comment, and settings as an operator writes them
        GOOGLE_CLOUD_PROJECT=spravka-test-1
        DEPLOY_REGION=europe-west3
        ALLOWED_ORIGINS="https://help.example.ru,https://example.ru"
        DEPLOY_ASK_MIN_INSTANCES=1
        DEPLOY_READINGS_PUBLIC=false
        RATE_LIMIT_PER_MINUTE=20
        LOG_RETENTION_DAYS=180
        """,
        DEPLOY_MEMORY="512Mi",
    )  # the environment wins over the file
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_every_function_is_deployed_with_its_flags_and_settings(printed: str) -> None:
    deploys = {argv[3]: argv for argv in commands(printed) if argv[:3] == ["gcloud", "functions", "deploy"]}
    assert sorted(deploys) == sorted(f.name for f in FUNCTIONS)
    for name, argv in deploys.items():
        given = flags(argv)
        assert "gen2" in given and "trigger-http" in given and "quiet" in given
        assert given["runtime"] == "python311" and given["source"] == "functions" and given["entry-point"] == name
        assert given["region"] == "europe-west3" and given["project"] == PROJECT
        assert given["service-account"] == f"spravka-functions@{PROJECT}.iam.gserviceaccount.com"
        assert (
            given["build-service-account"]
            == f"projects/{PROJECT}/serviceAccounts/spravka-build@{PROJECT}.iam.gserviceaccount.com"
        )
        assert given["memory"] == "512Mi" and given["cpu"] == "1" and given["timeout"] == "30s"
        assert given["concurrency"] == "8" and given["max-instances"] == ("2" if name == "admin" else "20")
        assert given["min-instances"] == ("1" if name == "ask" else "0")
        public = name not in ("readings", "admin")
        assert ("allow-unauthenticated" in given) == public and ("no-allow-unauthenticated" in given) != public
        assert env_vars(given["set-env-vars"]) == {
            "READINGS_STORE": "firestore",
            "GOOGLE_CLOUD_PROJECT": PROJECT,
            "ALLOWED_ORIGINS": "https://help.example.ru,https://example.ru",
            "SITE_URL": f"https://{PROJECT}.web.app",
            "WORKERS": "1",
            "THREADS": "8",
            "RATE_LIMIT_PER_MINUTE": "20",
            "LOG_RETENTION_DAYS": "180",
            "TRUSTED_PROXY_HOPS": "2",
        }  # Hosting → function: two proxies append (docs/deploy.md)


def test_firestore_indexes_ttl_and_rules_come_from_the_repository_files(printed: str) -> None:
    argvs = commands(printed)
    spec = json.loads((REPO_DIR / "firestore.indexes.json").read_text(encoding="utf-8"))
    field_updates = {
        (a[5], flags(a)["collection-group"]): a
        for a in argvs
        if a[:5] == ["gcloud", "firestore", "indexes", "fields", "update"]
    }
    ttls = {
        (a[5], flags(a)["collection-group"])
        for a in argvs
        if a[:5] == ["gcloud", "firestore", "fields", "ttls", "update"]
    }
    assert set(field_updates) == {(o["fieldPath"], o["collectionGroup"]) for o in spec["fieldOverrides"]}
    assert ttls == {(o["fieldPath"], o["collectionGroup"]) for o in spec["fieldOverrides"] if o.get("ttl")}
    assert ("expires_at", "attempts") in ttls and ("expire_at", "questions") in ttls and ("expire_at", "events") in ttls
    period = field_updates[("period", "readings")]
    assert "--index=order=ascending,query-scope=collection-group" in period  # the export's collection-group query
    assert "--disable-indexes" in field_updates[("expires_at", "attempts")]
    assert [
        "gcloud",
        "firestore",
        "databases",
        "create",
        "--location=europe-west1",
        "--type=firestore-native",
        f"--project={PROJECT}",
    ] in argvs
    assert [
        "firebase",
        "deploy",
        "--only=firestore:rules",
        f"--project={PROJECT}",
        "--config=firebase.json",
        "--non-interactive",
    ] in argvs
    firebase = json.loads((REPO_DIR / "firebase.json").read_text(encoding="utf-8"))
    rules = (REPO_DIR / firebase["firestore"]["rules"]).read_text(encoding="utf-8")
    assert re.findall(r"allow [^;]*;", rules) == ["allow read, write: if false;"]


def test_service_accounts_get_only_their_roles(printed: str) -> None:
    grants = [
        (flags(a)["member"], flags(a)["role"])
        for a in commands(printed)
        if a[:3] == ["gcloud", "projects", "add-iam-policy-binding"]
    ]
    runtime = f"serviceAccount:spravka-functions@{PROJECT}.iam.gserviceaccount.com"
    assert [role for member, role in grants if member == runtime] == ["roles/datastore.user"]
    assert all(role not in ("roles/owner", "roles/editor") for _, role in grants)


def test_site_is_built_with_the_functions_url_then_uploaded(printed: str, tmp_path: Path) -> None:
    argvs = commands(printed)
    build = next(a for a in argvs if "mkdocs" in " ".join(a))
    upload = [
        "firebase",
        "deploy",
        "--only=hosting",
        f"--project={PROJECT}",
        "--config=firebase.json",
        "--non-interactive",
    ]
    index_build = next(i for i, a in enumerate(argvs) if a[-1] == "build-index")
    first_function = next(i for i, a in enumerate(argvs) if a[:3] == ["gcloud", "functions", "deploy"])
    assert index_build < first_function and argvs.index(build) < argvs.index(upload) and argvs[-1] == upload
    assert f"--site-dir={SITE_DIR}" in build
    firebase = json.loads((REPO_DIR / "firebase.json").read_text(encoding="utf-8"))
    assert firebase["hosting"]["public"] == SITE_DIR
    # Run the printed build (into a temporary folder): the widget's tag carries the functions' URL.
    env = dict(item.split("=", 1) for item in build[1 : build.index(next(a for a in build if a.endswith("mkdocs")))])
    assert env["SPRAVKA_FUNCTIONS_URL"] == f"https://europe-west3-{PROJECT}.cloudfunctions.net/"
    mkdocs = [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", f"--site-dir={tmp_path / 'site'}"]
    subprocess.run(mkdocs, cwd=REPO_DIR, env={**os.environ, **env}, check=True, capture_output=True, timeout=120)
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert f'data-api="https://europe-west3-{PROJECT}.cloudfunctions.net/"' in page
    assert f'data-site="https://{PROJECT}.web.app/"' in page


def test_every_line_is_shell_quoted(printed: str) -> None:
    for line in printed.splitlines():
        if not line or line.startswith("#"):
            continue
        for part in line.split(SEPARATOR):
            assert shlex.join(shlex.split(part)) == part
    assert "'--display-name=Spravka functions (runtime)'" in printed


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("", "GOOGLE_CLOUD_PROJECT"),
        ("GOOGLE_CLOUD_PROJECT=p\nDEPLOY_FUNCTIONS=ask nosuch\n", "DEPLOY_FUNCTIONS"),
        ("GOOGLE_CLOUD_PROJECT=p\nDEPLOY_THREADS=0\n", "DEPLOY_THREADS"),
        ("GOOGLE_CLOUD_PROJECT=p\nDEPLOY_ASK_PUBLIC=maybe\n", "DEPLOY_ASK_PUBLIC"),
    ],
)
def test_bad_configuration_is_refused_naming_the_setting(tmp_path: Path, config: str, message: str) -> None:
    result = dry_run(tmp_path, config)
    assert result.returncode == 2 and message in result.stderr and result.stdout == ""


def test_every_deploy_setting_is_documented() -> None:
    guide = (REPO_DIR / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert [name for name in SETTINGS if f"`{name}`" not in guide] == []
    assert "docs/deploy.md" in (REPO_DIR / "docs" / "operators.md").read_text(encoding="utf-8") or "(deploy.md)" in (
        REPO_DIR / "docs" / "operators.md"
    ).read_text(encoding="utf-8")


def deploy_copy(tmp_path: Path) -> Path:
    """functions/ as gcloud uploads it: every file that functions/.gcloudignore does not exclude."""
    source = REPO_DIR / "functions"
    spec = pathspec.GitIgnoreSpec.from_lines((source / ".gcloudignore").read_text(encoding="utf-8").splitlines())
    dest = tmp_path / "upload"
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source).as_posix()
        if path.is_file() and not spec.match_file(relative):
            (dest / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest / relative)
    return dest


def test_the_deploy_source_is_self_contained(tmp_path: Path) -> None:
    upload = deploy_copy(tmp_path)
    files = {p.relative_to(upload).as_posix() for p in upload.rglob("*") if p.is_file()}
    assert {"main.py", "requirements.txt", "spravka/data/index.json"} <= files
    assert not [f for f in files if "__pycache__" in f or f.startswith(("spravka_tools/", "tests/"))]
    # A bool, not `a == b`: pytest's diff of two 3 MB one-line strings runs for an hour.
    fresh = (upload / "spravka/data/index.json").read_text(encoding="utf-8") == dump_index(build_index(KNOWLEDGE_DIR))
    assert fresh, "the uploaded index is stale: `spravka deploy` rebuilds it first; run `spravka build-index`"
    script = textwrap.dedent("""
        import json, pathlib, sys
        import functions_framework, main, spravka
        here = pathlib.Path.cwd().resolve()
        assert pathlib.Path(spravka.__file__).resolve().is_relative_to(here), spravka.__file__
        names = json.loads(sys.argv[1])
        print(json.dumps([n for n in names if not hasattr(main, n)]))
        ask = functions_framework.create_app("ask", "main.py").test_client()
        reply = ask.post("/", json={"q": "как передать показания"})
        assert reply.status_code == 200 and reply.get_json()["kind"] in ("answer", "clarify", "action"), reply.data
        readings = functions_framework.create_app("readings", "main.py").test_client()
        missing = readings.post("/meters", json={"account": "000000000001"})
        assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "account_unknown", missing.data
        events = functions_framework.create_app("events", "main.py").test_client()
        bad = events.post("/", json={"visitor": "0123456789abcdef0123456789abcdef", "events": []})
        assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "events_invalid", bad.data
        assert not [m for m in sys.modules if m.startswith("spravka_tools")]
        print("ok")
    """)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "READINGS_STORE")}
    env["READINGS_STORE"] = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-c", script, json.dumps([f.name for f in FUNCTIONS])],
        cwd=upload,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lacking, verdict = result.stdout.strip().splitlines()[-2:]
    assert verdict == "ok"
    assert json.loads(lacking) == [], "every function of the deploy table is an entry point of main.py"


def test_a_real_run_executes_the_printed_commands_skips_what_exists_and_stops_at_a_failure(tmp_path: Path) -> None:
    # gcloud and firebase cannot run here: stand-ins on PATH record their arguments. `describe`
    # checks fail (nothing exists yet), and the deploy of `readings` fails, so the run must stop there.
    log = tmp_path / "calls.log"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("gcloud", "firebase"):
        stub = bin_dir / tool
        stub.write_text(
            textwrap.dedent(f"""\
            #!/bin/sh
            printf '%s\\n' "{tool} $*" >> {shlex.quote(str(log))}
            case "$*" in *describe*|*apps:list*|*"deploy readings"*) exit 1;; esac
            exit 0
            """),
            encoding="utf-8",
        )
        stub.chmod(0o755)
    config = tmp_path / "deploy.env"
    config.write_text("GOOGLE_CLOUD_PROJECT=spravka-test-1\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS and not k.startswith("DEPLOY_")}
    env["PATH"] = f"{bin_dir}:{env['PATH']}"
    printed = subprocess.run(
        [str(SPRAVKA), "deploy", "--dry-run", "--config", str(config)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    ).stdout
    result = subprocess.run(
        [str(SPRAVKA), "deploy", "--config", str(config)], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 1 and "failed" in result.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    expected = []
    for argv in commands(printed):
        if argv[0] in ("gcloud", "firebase"):
            expected.append(" ".join(argv))
        if argv[:4] == ["gcloud", "functions", "deploy", "readings"]:
            break
    made = [call for call in calls if "describe" not in call and "apps:list" not in call]
    assert made == expected
    assert not any("deploy events" in call or "--only=hosting" in call for call in calls)


def test_the_admin_function_sits_behind_iam_and_reads_its_token_from_secret_manager(printed: str) -> None:
    argvs = commands(printed)
    admin = next(a for a in argvs if a[:4] == ["gcloud", "functions", "deploy", "admin"])
    assert "--no-allow-unauthenticated" in admin
    assert flags(admin)["set-secrets"] == "ADMIN_TOKEN=spravka-admin-token:latest"
    assert "ADMIN_TOKEN" not in env_vars(flags(admin)["set-env-vars"])
    ask = next(a for a in argvs if a[:4] == ["gcloud", "functions", "deploy", "ask"])
    assert "--allow-unauthenticated" in ask and "set-secrets" not in flags(ask)
    lines = [line for line in printed.splitlines() if line and not line.startswith("#")]
    create = next(i for i, line in enumerate(lines) if "secrets create spravka-admin-token" in line)
    grant = next(i for i, line in enumerate(lines) if "secrets add-iam-policy-binding spravka-admin-token" in line)
    deploy = next(i for i, line in enumerate(lines) if "functions deploy admin" in line)
    assert create < grant < deploy
    assert lines[create].startswith(f"gcloud secrets describe spravka-admin-token --project={PROJECT}{SEPARATOR}")
    assert "--role=roles/secretmanager.secretAccessor" in lines[grant]


def test_every_setting_of_the_functions_can_reach_a_deployment() -> None:
    from spravka_tools.deploy.config import RUNTIME_NOT_PASSED, RUNTIME_PASSTHROUGH

    config = (REPO_DIR / "functions" / "spravka" / "config.py").read_text(encoding="utf-8")
    read = set(re.findall(r'environ(?:\.get\(|, )"([A-Z][A-Z_]+)"', config))
    assert read, "the pattern no longer finds the settings config.py reads"
    assert sorted(read - set(RUNTIME_PASSTHROUGH) - set(RUNTIME_NOT_PASSED)) == []


def test_hosting_rewrites_reach_every_public_function() -> None:
    hosting = json.loads((REPO_DIR / "firebase.json").read_text(encoding="utf-8"))["hosting"]
    sources = {(r["source"], r["function"]["functionId"]) for r in hosting["rewrites"]}
    public = [f.name for f in FUNCTIONS if f.public]
    assert sources == {(f"/api/{name}{tail}", name) for name in public for tail in ("", "/**")}
    assert hosting_rewrite_regions() == {SETTINGS["DEPLOY_REGION"][0]}


def test_the_widget_calls_the_same_origin_when_the_rewrites_reach_the_region() -> None:
    same = DeployConfig.from_mapping({"GOOGLE_CLOUD_PROJECT": PROJECT})
    assert same.functions_url == "/api/"
    elsewhere = DeployConfig.from_mapping({"GOOGLE_CLOUD_PROJECT": PROJECT, "DEPLOY_REGION": "europe-west3"})
    assert elsewhere.functions_url == f"https://europe-west3-{PROJECT}.cloudfunctions.net/"
