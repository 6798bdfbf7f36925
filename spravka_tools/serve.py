"""The local run: the help site at `/` and every function at `/api/<name>`, in one process."""

from __future__ import annotations

import logging
import mimetypes
import re
import signal
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.utils import safe_join
from werkzeug.wrappers import Request, Response

from spravka.paths import REPO_DIR
from spravka_tools.deploy.config import FUNCTIONS as FUNCTION_TABLE

log = logging.getLogger(__name__)

# The targets of functions/main.py, each served at /api/<name> (contract §6): the same table
# `spravka deploy` deploys from, so the local run and a deployment offer the same functions.
FUNCTIONS = tuple(function.name for function in FUNCTION_TABLE)
MAIN_SOURCE = REPO_DIR / "functions" / "main.py"
DEFAULT_SITE_DIR = REPO_DIR / "build" / "site"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

# Headers every response of the local run carries unless it set its own (the functions set
# stricter ones). The help site's pages run Material's inline scripts, so the policy here only
# forbids framing by others, plugins and a foreign <base>.
SITE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": "frame-ancestors 'self'; object-src 'none'; base-uri 'self'",
}


# A query string may carry a question or (from an old client) an account: the access log never
# writes one. Bodies are never logged at all.
_QUERY = re.compile(r"\?[^\s'\"]*")


def without_query(text: str) -> str:
    """`text` with every `?query` after a path cut off (request lines, error messages)."""
    return _QUERY.sub("", text)


class PathOnlyRequestHandler(WSGIRequestHandler):
    """werkzeug's request handler, with paths but no query strings in its access and error lines."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        path = without_query(getattr(self, "path", "") or "")
        line = f"{self.command} {path} {self.request_version}" if path else without_query(self.requestline)
        self.log("info", '"%s" %s %s', line.translate(self._control_char_table), code, size)

    def log_error(self, format: str, *args: Any) -> None:
        self.log("error", format, *(without_query(arg) if isinstance(arg, str) else arg for arg in args))


def build_site(site_dir: Path) -> None:
    """Build the help site from mkdocs.yml into site_dir.

    Not strict: a broken link in an article must not stop the local run; the
    tests build with --strict and catch it there.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(REPO_DIR / "mkdocs.yml"), site_dir=str(site_dir), strict=False)
    build(config)


def load_demo_accounts() -> int:
    """Load demo/accounts.csv into the configured store; 0 when the loader is not there yet."""
    try:
        from spravka_tools import demo
    except ImportError as error:
        log.warning("demo accounts not loaded: %s", error)
        return 0
    return int(demo.load_demo_accounts() or 0)


def load_demo_appeals() -> int:
    """Register demo/appeals.yaml's appeals in the configured store (docs/appeals.md); 0 when it cannot."""
    from spravka.errors import ApiError
    from spravka_tools.demo_appeals import load_demo_appeals as load

    try:
        return load()
    except ApiError as error:  # e.g. a Firestore store without LIMITS_SECRET: the run goes on without them
        log.warning("demo appeals not loaded: %s", error.code)
        return 0


def open_function_apps() -> dict[str, WSGIApp]:
    """One functions-framework app per target of main.py, keyed by its mount point."""
    import functions_framework

    return {f"/api/{name}": _at_root(functions_framework.create_app(name, str(MAIN_SOURCE))) for name in FUNCTIONS}


def _at_root(app: WSGIApp) -> WSGIApp:
    """Answer /api/ask itself rather than redirecting to /api/ask/ (a redirect breaks CORS preflight)."""

    def mounted(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not environ.get("PATH_INFO"):
            environ["PATH_INFO"] = "/"
        return app(environ, start_response)

    return mounted


def make_static_app(site_dir: Path) -> WSGIApp:
    """Serve a built MkDocs site: directory URLs map to their index.html, misses to 404.html."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        if request.method not in ("GET", "HEAD"):
            return Response("Method Not Allowed", 405, {"Allow": "GET, HEAD"})(environ, start_response)
        relative = request.path.lstrip("/")
        path = safe_join(str(site_dir), relative) if relative else str(site_dir)
        target = Path(path) if path is not None else None
        if target is not None and target.is_dir():
            if not request.path.endswith("/"):
                location = request.path + "/" + (f"?{request.query_string.decode()}" if request.query_string else "")
                return Response("", 301, {"Location": location})(environ, start_response)
            target = target / "index.html"
        status = 200
        if target is None or not target.is_file():
            target, status = site_dir / "404.html", 404
            if not target.is_file():
                return Response("Not Found", 404)(environ, start_response)
        mimetype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if mimetype.startswith("text/") or mimetype in ("application/javascript", "application/json"):
            mimetype += "; charset=utf-8"
        # A built help site is small: reading each file whole keeps no handle open.
        response = Response(target.read_bytes(), status, {"Cache-Control": "no-cache"}, content_type=mimetype)
        return response(environ, start_response)

    return app


def with_security_headers(app: WSGIApp) -> WSGIApp:
    """Add SITE_HEADERS to every response that does not set them itself (404s and redirects too)."""

    def secured(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            present = {name.lower() for name, _ in headers}
            headers = [
                *headers,
                *((name, value) for name, value in SITE_HEADERS.items() if name.lower() not in present),
            ]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return app(environ, start)

    return secured


def make_app(site_dir: Path) -> WSGIApp:
    """The whole local run as one WSGI app: the site at /, the functions under /api/."""
    return with_security_headers(DispatcherMiddleware(make_static_app(site_dir), open_function_apps()))


def open_server(host: str, port: int, site_dir: Path = DEFAULT_SITE_DIR) -> BaseWSGIServer:
    """Build the site, load the demo accounts and appeals and bind a threaded server (port 0: any free port)."""
    build_site(site_dir)
    loaded = load_demo_accounts()
    if loaded:
        log.info("demo accounts loaded: %d", loaded)
    load_demo_appeals()
    return bind(host, port, make_app(site_dir))


def bind(host: str, port: int, app: WSGIApp) -> BaseWSGIServer:
    """A threaded server for `app` whose access log writes paths without query strings."""
    return make_server(host, port, app, threaded=True, request_handler=PathOnlyRequestHandler)


def server_address(server: BaseWSGIServer) -> str:
    host = server.host if ":" not in server.host else f"[{server.host}]"
    return f"http://{host}:{server.server_port}/"


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(host: str, port: int, *, site_dir: Path = DEFAULT_SITE_DIR) -> None:
    """Run until Ctrl-C, printing the one address to open."""
    server = open_server(host, port, site_dir)
    # Ctrl-C and a plain `kill` both stop it, even when started in the background
    # of a non-interactive shell (which starts it with SIGINT ignored).
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, _interrupt)
    # The address is the command's output, not a log line: tests and people read it.
    sys.stdout.write(f"Spravka: {server_address(server)}  (Ctrl-C — остановить)\n")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
