"""A small HTTP endpoint serving processors' current decisions as JSON, for machines.

``GET /health`` (health scores and states), ``GET /slo`` (SLO budgets, burn rates,
alerts) and ``GET /cause`` (network vs application verdicts) let a gateway, a circuit
breaker or a script read what the agent concluded without a metrics backend in between.
Processors configured with the same ``endpoint`` share one server; each registers its path
(``StatusPath``).  ``GET /`` lists the paths.  Query parameters are passed to
the provider (``/health?service=shop``).

The server binds to localhost by default: the data names services and routes.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger(__name__)

Provider = Callable[[dict[str, str]], object]

_servers: dict[str, StatusServer] = {}
_servers_lock = threading.Lock()


class StatusServer:
    """One listening socket, several paths."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.providers: dict[str, Provider] = {}
        self.users = 0
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.errors = 0

    @property
    def port(self) -> int | None:
        return self._httpd.server_address[1] if self._httpd else None

    def start(self) -> None:
        if self._httpd is not None:
            return
        host, _, port = self.endpoint.rpartition(":")
        host = host.strip("[]") or "0.0.0.0"
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                url = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(url.query).items()}
                path = url.path.rstrip("/") or "/"
                if path == "/":
                    self._send(200, {"paths": sorted(server.providers)})
                    return
                provider = server.providers.get(path)
                if provider is None:
                    self._send(404, {"error": f"unknown path {path}", "paths": sorted(server.providers)})
                    return
                try:
                    body = provider(query)
                except Exception as exc:  # a provider bug must not kill the endpoint
                    server.errors += 1
                    log.exception("status endpoint %s failed", path)
                    self._send(500, {"error": str(exc)})
                    return
                self._send(200, body)

            def _send(self, code: int, body: object) -> None:
                data = json.dumps(body, indent=1, sort_keys=True).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format, *args):  # noqa: A002 - quiet: no access log on stderr
                pass

        self._httpd = ThreadingHTTPServer((host, int(port)), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="status-api", daemon=True)
        self._thread.start()
        log.info("status endpoint on http://%s:%d/ (%s)", host, self.port, ", ".join(sorted(self.providers)))

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None


def acquire(endpoint: str, path: str, provider: Provider) -> StatusServer | None:
    """Registers ``path`` on the server for ``endpoint`` and starts it; None (logged) if it cannot bind."""
    with _servers_lock:
        server = _servers.get(endpoint)
        if server is None:
            server = _servers[endpoint] = StatusServer(endpoint)
        server.providers[path] = provider
        server.users += 1
        try:
            server.start()
        except OSError as exc:
            log.error("status endpoint %s: cannot listen (%s); decisions are still exported as metrics", endpoint, exc)
            server.users -= 1
            server.providers.pop(path, None)
            if not server.users:
                _servers.pop(endpoint, None)
            return None
        return server


def release(server: StatusServer | None, path: str) -> None:
    """Unregisters ``path``; the last user stops the server."""
    if server is None:
        return
    with _servers_lock:
        server.providers.pop(path, None)
        server.users -= 1
        if server.users <= 0:
            server.stop()
            if _servers.get(server.endpoint) is server:
                del _servers[server.endpoint]


class StatusPath:
    """One processor's path on the shared endpoint: registered at creation, unregistered by close().

    Args:
        endpoint: ``host:port``; empty: no endpoint (``port`` is None).
        path: The path served, e.g. ``/health``.
        provider: ``query -> JSON-able`` for that path.
    """

    def __init__(self, endpoint: str, path: str, provider: Provider):
        self.path = path
        self._server = acquire(endpoint, path, provider) if endpoint else None

    @property
    def port(self) -> int | None:
        """The bound port (None when off or not bound)."""
        return self._server.port if self._server else None

    def close(self) -> None:
        """Unregisters the path (the last user stops the server). Safe to call twice."""
        server, self._server = self._server, None
        release(server, self.path)
