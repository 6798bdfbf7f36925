"""openapi.yaml describes what is served: schemathesis against the functions served over HTTP by `spravka serve`.

Every generated request (valid and invalid) must get a documented status with a body of the
documented shape and never a 5xx other than the documented 503. The number of requests tried
is tallied for the record.
"""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from spravka_tools.serve import FUNCTIONS, bind
from tests.openapi_check import OPENAPI, check_response, load_schema
from tests.tally import tally

ADMIN_TOKEN = "t" * 40
# The repository's schemathesis.toml (what `schemathesis run` reads too: expected statuses, the
# retired GET /api/readings). The admin token is given as the description's security scheme, so
# schemathesis also sends requests without it (and expects them refused).
CONFIG = SchemathesisConfig.from_dict(
    {
        **tomllib.loads((Path(OPENAPI).parent / "schemathesis.toml").read_text(encoding="utf-8")),
        "auth": {"openapi": {"adminToken": {"bearer": ADMIN_TOKEN}}},
    }
)
schema = schemathesis.openapi.from_path(OPENAPI, config=CONFIG)
SERVED = tuple(f"/api/{name}" for name in FUNCTIONS)


def served(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in SERVED)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`spravka serve`'s WSGI app on a free port (site folder empty: only the functions matter here)."""
    from spravka.config import get_settings
    from spravka.store import get_store
    from spravka_tools.serve import make_app
    from tests.firestore_emulator import load_accounts

    folder = tmp_path_factory.mktemp("openapi")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("READINGS_STORE", f"sqlite:///{folder / 'readings.sqlite3'}")
        patch.setenv("CLIENT_LIMIT_PER_HOUR", "1000000")
        patch.setenv("RATE_LIMIT_PER_MINUTE", "1000000")
        patch.setenv("ADMIN_TOKEN", ADMIN_TOKEN)
        patch.setenv("TRUSTED_PROXY_HOPS", "0")
        get_settings.cache_clear()
        get_store.cache_clear()
        load_accounts(get_store())
        httpd = bind("127.0.0.1", 0, make_app(Path(folder)))
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{httpd.server_port}"
        httpd.shutdown()
        get_store().close()
        get_store.cache_clear()
        from spravka.appeals.store import get_appeal_store

        get_appeal_store().close()
        get_appeal_store.cache_clear()
        get_settings.cache_clear()


def test_every_served_function_is_described() -> None:
    paths = load_schema().raw_schema["paths"]
    for prefix in SERVED:
        assert any(path == prefix or path.startswith(prefix + "/") for path in paths), prefix


def test_a_response_off_the_description_is_caught() -> None:
    import flask
    from schemathesis.openapi.checks import JsonSchemaError

    def answered(account: str) -> Any:
        app = flask.Flask(__name__)
        app.add_url_rule("/meters", view_func=lambda: {"account": account, "meters": []}, methods=["POST"])
        return app.test_client().post("/meters", json={"account": "000000000001"})

    check_response("readings", "POST", "/meters", answered("********0001"))  # masked, as described: passes
    with pytest.raises(JsonSchemaError, match="does not match"):
        check_response("readings", "POST", "/meters", answered("000000000001"))  # not masked


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_served_functions_match_the_description(case: Any, server: str) -> None:
    if not served(case.path):
        pytest.skip(f"{case.path} is not served yet")
    response = case.call(base_url=server)
    tally("schemathesis: requests sent")
    assert response.status_code < 500 or response.status_code == 503, response.text
    # A schema-valid submission may still be refused for what only the meter knows (a zone it
    # lacks, more digits than it shows, a value below the last one): that check does not apply there.
    # (GET /api/readings, retired, answers 410 to everything: schemathesis.toml says so.)
    # Appeals: a schema-valid appeal may still be refused for what only the server knows (the
    # editors' categories, the form of an e-mail or phone, the per-client limit); a number and
    # secret or an appeal's number may simply not exist.
    excluded = (
        [positive_data_acceptance]
        if (case.path, case.method) == ("/api/readings", "POST")
        or case.path.startswith(("/api/appeals", "/api/admin/appeals"))
        else []
    )
    case.validate_response(response, excluded_checks=excluded)


def test_schemathesis_run_with_every_check_and_both_modes_passes(server: str, tmp_path: Path) -> None:
    """`schemathesis run --checks all --mode all` (positive and negative data), as an operator would run it."""
    import subprocess
    import sys

    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "run",
        OPENAPI.name,
        f"--url={server}",
        "--checks=all",
        "--mode=all",
        "--phases=examples,coverage,fuzzing",
        "--max-examples=15",
        "--generation-deterministic",
        f"--header=Authorization: Bearer {ADMIN_TOKEN}",
        "--no-color",
    ]
    run = subprocess.run(command, cwd=OPENAPI.parent, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-4000:]
    # The last line counts failures and warnings ("3 warnings in 9.45s"): warnings such as "Authentication
    # failed" for the bots' webhooks, which refuse what has no platform secret, are expected.
    last = run.stdout.strip().splitlines()[-1]
    assert "passed" in run.stdout and "failure" not in last and "error" not in last, last
