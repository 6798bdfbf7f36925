"""Every setting and every error code is documented for operators."""

from __future__ import annotations

import dataclasses
import re

from spravka.config import Settings
from spravka.paths import PACKAGE_DIR, REPO_DIR

OPERATORS = (REPO_DIR / "docs" / "operators.md").read_text(encoding="utf-8")
ERROR_CALL = re.compile(
    r"\b(?:BadRequest|NotFound|Conflict|TooManyRequests|StoreUnavailable|PayloadTooLarge|"
    r"UnsupportedMediaType|MethodNotAllowed|Unauthorized|Forbidden|ApiError)\(\s*\"([a-z_]+)\""
)


def error_codes() -> set[str]:
    codes = set()
    for path in PACKAGE_DIR.rglob("*.py"):
        codes.update(ERROR_CALL.findall(path.read_text(encoding="utf-8")))
    codes.update(re.findall(r'code = "([a-z_]+)"', (PACKAGE_DIR / "errors.py").read_text(encoding="utf-8")))
    return codes - {"bad_request", "not_found", "conflict", "too_many_requests", "unauthorized", "origin_forbidden"}


def test_every_error_code_is_documented() -> None:
    codes = error_codes()
    assert len(codes) > 10
    missing = sorted(code for code in codes if f"`{code}`" not in OPERATORS)
    assert not missing, f"undocumented error codes: {missing}"


def test_every_setting_is_documented() -> None:
    config = (PACKAGE_DIR / "config.py").read_text(encoding="utf-8")
    variables = set(re.findall(r'"([A-Z][A-Z_]+)"', config))
    assert len(variables) >= len(dataclasses.fields(Settings))
    missing = sorted(v for v in variables if f"`{v}`" not in OPERATORS)
    assert not missing, f"undocumented settings: {missing}"


def test_the_contract_copy_is_the_shared_contract() -> None:
    """docs/contract.md, which README and the docs cite as "contract §N", is the outside contract word for word."""
    from tests.outside import outside_file_missing

    shared = REPO_DIR.parent / "shared" / "contract.md"
    if not shared.is_file():
        outside_file_missing(shared)
    copy = (REPO_DIR / "docs" / "contract.md").read_text(encoding="utf-8")
    assert copy.split("-->\n\n", 1)[1] == shared.read_text(encoding="utf-8"), "copy ../shared/contract.md over"
