"""`spravka deploy [--dry-run] [--config FILE]`: deploy to Google Cloud, or print every command instead."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from spravka.paths import REPO_DIR

if TYPE_CHECKING:
    from spravka_tools.deploy.plan import Step

DEFAULT_CONFIG = REPO_DIR / "deploy.env"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "deploy",
        help="deploy the functions, Firestore setup and help site to Google Cloud",
        description="Settings come from deploy.env (or --config) and the environment; see docs/deploy.md.",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print every command (shell-quoted) instead of running it"
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="KEY=VALUE settings (default: deploy.env in the repository, when it exists)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from spravka.config import SettingsError
    from spravka_tools.deploy.config import DeployConfig
    from spravka_tools.deploy.plan import plan

    file = args.config or (DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None)
    try:
        config = DeployConfig.from_sources(file)
    except SettingsError as error:
        print(f"spravka deploy: {error}", file=sys.stderr)
        return 2
    steps = plan(config, repo=REPO_DIR, bin_dir=_bin_dir())
    if args.dry_run:
        print(
            f"# spravka deploy --dry-run: project {config.project}, region {config.region}; "
            f"configuration {file or 'environment and defaults'}"
        )
        print(f"# run from the repository root: cd {REPO_DIR}")
        for number, step in enumerate(steps, 1):
            print(f"\n# {number}. {step.title}")
            print(step.shell())
        return 0
    for number, step in enumerate(steps, 1):
        print(f"# {number}/{len(steps)}. {step.title}", flush=True)
        try:
            code = _run_step(step)
        except FileNotFoundError as error:
            print(f"spravka deploy: {error.filename} is not installed (docs/deploy.md, Prerequisites)", file=sys.stderr)
            return 1
        if code:
            print(
                f"spravka deploy: step {number} failed (exit {code}); fix it and run again: "
                "steps that are done are skipped or harmless to repeat",
                file=sys.stderr,
            )
            return 1
    functions = config.site_url + config.functions_url if config.functions_url.startswith("/") else config.functions_url
    print(f"# done. Help site: {config.site_url}/  functions: {functions}<name>  (checks: docs/deploy.md)")
    return 0


def _run_step(step: Step) -> int:
    """Run one step (unless its check says it is done); its exit code, 0 when done or already done."""
    env = {**os.environ, **dict(step.env)}
    if step.unless and subprocess.run(step.unless, cwd=REPO_DIR, env=env, capture_output=True).returncode == 0:
        print("#    already done", flush=True)
        return 0
    print(step.shell(), flush=True)
    result = subprocess.run(step.argv, cwd=REPO_DIR, env=env, stderr=subprocess.PIPE, text=True)
    sys.stderr.write(result.stderr)
    if result.returncode and step.exists_ok and "ALREADY_EXISTS" in result.stderr:
        return 0
    return result.returncode


def _bin_dir() -> str:
    """Where spravka and mkdocs are: this interpreter's bin folder, relative to the repository when inside it."""
    folder = Path(sys.executable).parent
    try:
        return f"{folder.relative_to(REPO_DIR)}/"
    except ValueError:
        return f"{folder}/"
