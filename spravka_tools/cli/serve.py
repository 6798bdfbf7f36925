"""`spravka serve [--host H] [--port P]`: the local run of the help site, widget and functions."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    from spravka_tools.serve import DEFAULT_SITE_DIR

    parser = subparsers.add_parser(
        "serve",
        help="build the help site, load the demo accounts and appeals and serve the site at / and the functions at /api/<name>",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on, 0 for any free one (default: 8000)")
    parser.add_argument(
        "--site-dir", type=Path, default=DEFAULT_SITE_DIR, help="where to build the help site (default: build/site)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from spravka_tools.serve import serve

    try:
        serve(args.host, args.port, site_dir=args.site_dir)
    except KeyboardInterrupt:  # Ctrl-C while the site was still building
        return 130
    except OSError as error:
        log.error("cannot listen on %s:%s: %s", args.host, args.port, error.strerror or error)
        return 1
    return 0
