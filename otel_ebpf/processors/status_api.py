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

from otel_ebpf.component.listener import HttpListener, ListenError, Request, Response

log = logging.getLogger(__name__)

Provider = Callable[[dict[str, str]], object]
# A provider that answers the request itself (status, headers): GET /breaker/check's 204 or 503.
RawProvider = Callable[[Request], Response]

_OTHER_METHODS = ("POST", "PUT", "DELETE", "PATCH", "OPTIONS")

_servers: dict[str, StatusServer] = {}
_servers_lock = threading.Lock()


class StatusServer:
    """One listening socket, several paths."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.providers: dict[str, Provider] = {}
        self.raw: set[str] = set()  # paths whose provider answers the Request itself
        self.users = 0
        # Any method: a gateway's check comes with the original request's method (Envoy ext_authz);
        # the JSON paths still answer GET and HEAD only.
        self._listener = HttpListener(endpoint, self._answer, name="status-api", log=log, methods=_OTHER_METHODS)

    @property
    def port(self) -> int | None:
        return self._listener.port

    @property
    def errors(self) -> int:
        return self._listener.errors

    def start(self) -> None:
        if self._listener.port is not None:
            return
        self._listener.start()
        log.info("status endpoint on http://%s/ (%s)", self.endpoint, ", ".join(sorted(self.providers)))

    def stop(self) -> None:
        self._listener.stop()

    def _answer(self, request: Request) -> Response:
        path = request.path.rstrip("/") or "/"
        raw = self._raw_provider(path)
        if raw is not None:  # it answers the request itself, whatever its method
            return raw(request)
        if request.method not in ("GET", "HEAD"):
            return _json(405, {"error": f"{request.method} is not answered here: GET {path}"})
        if path == "/":
            return _json(200, {"paths": sorted(self.providers)})
        provider = self.providers.get(path)
        if provider is None:
            return _json(404, {"error": f"unknown path {path}", "paths": sorted(self.providers)})
        return _json(200, provider(dict(request.query)))  # a provider bug is the listener's 500, logged

    def _raw_provider(self, path: str) -> RawProvider | None:
        """The raw provider of ``path``, or of a raw path it extends (``/breaker/check/checkout``)."""
        for raw in tuple(self.raw):  # acquire() and release() change it on other threads
            if path == raw or path.startswith(raw + "/"):
                return self.providers.get(raw)
        return None


def _json(status: int, body: object) -> Response:
    return Response(status, json.dumps(body, indent=1, sort_keys=True).encode(), "application/json")


def acquire(endpoint: str, path: str, provider: Provider | RawProvider, raw: bool = False) -> StatusServer | None:
    """Registers ``path`` on the server for ``endpoint`` and starts it; None (logged) if it cannot bind.

    ``raw``: the provider takes the :class:`Request` and returns the :class:`Response`."""
    with _servers_lock:
        server = _servers.get(endpoint)
        if server is None:
            server = _servers[endpoint] = StatusServer(endpoint)
        elif path in server.providers:  # validation refuses this; a second agent in one process would not
            log.error("status endpoint %s: %s is already served by another processor", endpoint, path)
            return None
        server.providers[path] = provider
        if raw:
            server.raw.add(path)
        server.users += 1
        try:
            server.start()
        except ListenError as exc:
            log.error("status endpoint %s: cannot listen (%s); decisions are still exported as metrics", endpoint, exc)
            server.users -= 1
            server.providers.pop(path, None)
            server.raw.discard(path)
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
        server.raw.discard(path)
        server.users -= 1
        if server.users <= 0:
            server.stop()
            if _servers.get(server.endpoint) is server:
                del _servers[server.endpoint]


class StatusPath:
    """One processor's path on the shared endpoint: served from :meth:`open` until :meth:`close`.

    Args:
        endpoint: ``host:port``; empty: no endpoint (``port`` stays None).
        path: The path served, e.g. ``/health``.
        provider: ``query -> JSON-able`` for that path (``raw``: ``Request -> Response``).
    """

    def __init__(self, endpoint: str, path: str, provider: Provider | RawProvider, raw: bool = False):
        self.endpoint = endpoint
        self.path = path
        self._provider = provider
        self._raw = raw
        self._server: StatusServer | None = None
        self._opened = False

    def open(self) -> None:
        """Registers the path (the first user starts the server). Idempotent; a bind failure is logged."""
        if self._opened or not self.endpoint:
            return
        self._opened = True
        self._server = acquire(self.endpoint, self.path, self._provider, self._raw)

    @property
    def port(self) -> int | None:
        """The bound port (None when off, not opened or not bound)."""
        return self._server.port if self._server else None

    def close(self) -> None:
        """Unregisters the path (the last user stops the server). Safe to call twice, or without open()."""
        server, self._server = self._server, None
        release(server, self.path)
