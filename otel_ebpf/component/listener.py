"""One small HTTP listener for the components that serve something (scrapes, status, health).

Binds exactly the configured ``host:port`` (IPv4 or IPv6; an empty host means every IPv4
interface; port 0 any free port), answers on daemon threads so that a slow client never holds
up shutdown, and says in plain words why it cannot listen.  What to answer is the caller's:
``handle(request) -> Response``; an exception there is a 500, logged, never a dead listener.
"""

from __future__ import annotations

import errno
import logging
import os
import selectors
import socket
import socketserver
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

__all__ = ["HttpListener", "ListenError", "Request", "Response"]


class ListenError(RuntimeError):
    """The endpoint cannot be bound (port taken, address not local, permission)."""


@dataclass(frozen=True)
class Request:
    """What a handler gets: the method, the path without query, the query, the headers.

    The method is GET or HEAD unless the listener accepts others (``methods``); their bodies are
    read and dropped.  ``query_string`` is the query as sent.
    """

    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    query_string: str = ""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)


Handle = Callable[[Request], Response]

_MAX_BODY = 1 << 20  # bytes of a request body read (and dropped) before refusing: 413


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a slow client never holds up shutdown
    block_on_close = False

    def __init__(self, address, handler, family: int) -> None:
        self.address_family = family
        # serve_forever() polls for shutdown (every 0.1 s here: 10 wake-ups a second per
        # listener, ~80 µs of CPU each on the bench VM); serve() sleeps until a client or stop().
        # Before binding: a bind that fails calls server_close().
        self._wake_r, self._wake_w = os.pipe()
        self._stopping = False
        super().__init__(address, handler)

    def serve(self) -> None:
        """Answers clients until :meth:`stop_serving`."""
        with selectors.DefaultSelector() as selector:
            selector.register(self, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            while not self._stopping:
                for key, _ in selector.select():
                    if key.fileobj is self and not self._stopping:
                        self._handle_request_noblock()

    def stop_serving(self) -> None:
        self._stopping = True
        os.write(self._wake_w, b"x")

    def server_close(self) -> None:
        super().server_close()
        for fd in (self._wake_r, self._wake_w):
            os.close(fd)

    def server_bind(self) -> None:
        # HTTPServer.server_bind also asks socket.getfqdn(host): a reverse DNS lookup nobody needs.
        socketserver.TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = self.server_address[1]


def _resolve(endpoint: str) -> tuple[int, tuple]:
    """(address family, bind address) of ``host:port`` (``[::1]:9464``, ``:9464``, ``localhost:13133``)."""
    host, _, port_text = endpoint.rpartition(":")
    try:
        port = int(port_text)
    except ValueError:
        raise ListenError(f"cannot listen on {endpoint}: {port_text!r} is not a port") from None
    host = host.strip("[]")
    if not host:
        return socket.AF_INET, ("0.0.0.0", port)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ListenError(f"cannot listen on {endpoint}: cannot resolve {host!r}: {exc}") from exc
    family, _, _, _, address = infos[0]
    return family, address


class HttpListener:
    """Serves ``handle`` on ``endpoint`` from :meth:`start` to :meth:`stop`.

    Args:
        endpoint: ``host:port`` (port 0: any free port, see :attr:`port`).
        handle: ``Request -> Response``, called on the listener's threads.
        name: Thread name, and how log lines name it.
        log: Where request errors go.
        methods: The methods answered besides GET and HEAD (the others get 501), e.g. for a
            check that a gateway calls with the original request's method (Envoy ext_authz).
    """

    def __init__(
        self,
        endpoint: str,
        handle: Handle,
        *,
        name: str,
        log: logging.Logger | None = None,
        methods: tuple[str, ...] = (),
    ) -> None:
        self.endpoint = endpoint
        self._methods = methods
        self._handle = handle
        self._name = name
        self._log = log or logging.getLogger(__name__)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.errors = 0  # requests whose handler raised

    @property
    def port(self) -> int | None:
        """The bound port (the real one with port 0), or None when not listening."""
        return self._server.server_address[1] if self._server is not None else None

    def start(self) -> None:
        """Binds and serves on a thread.

        Raises:
            ListenError: The address cannot be bound; the message names it and why.
        """
        if self._server is not None:
            return
        family, address = _resolve(self.endpoint)
        try:
            self._server = _Server(address, self._handler_class(), family)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                why = "the port is already in use (another process, or another listener in this agent)"
            elif exc.errno == errno.EADDRNOTAVAIL:
                why = "the address is not one of this host's"
            elif exc.errno == errno.EACCES:
                why = "permission denied (ports below 1024 need privileges)"
            else:
                why = exc.strerror or str(exc)
            raise ListenError(f"cannot listen on {self.endpoint}: {why}") from exc
        self._thread = threading.Thread(target=self._server.serve, name=self._name, daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> bool:
        """Stops serving and closes the socket; False when the deadline came first.  Idempotent."""
        server, thread = self._server, self._thread
        if server is None:
            return True
        self._server = None
        server.stop_serving()
        stopped = True
        if thread is not None:
            thread.join(max(0.0, timeout_s))
            stopped = not thread.is_alive()
        server.server_close()
        return stopped

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        listener = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 30  # a client that stops talking frees its thread

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                self._serve(body=True)

            def do_HEAD(self) -> None:  # noqa: N802
                self._serve(body=False)

            def _other(self) -> None:
                if self.command not in listener._methods:
                    self.send_error(501, f"Unsupported method ({self.command!r})")
                    return
                length = self.headers.get("Content-Length") or "0"
                if not length.isdigit() or int(length) > _MAX_BODY or self.headers.get("Transfer-Encoding"):
                    self.send_error(413 if length.isdigit() else 400)
                    self.close_connection = True
                    return
                self.rfile.read(int(length))  # what a check needs is in the request line and headers
                self._serve(body=True)

            do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _other  # noqa: N815

            def _serve(self, body: bool) -> None:
                url = urlsplit(self.path)
                request = Request(
                    self.command,
                    url.path,
                    {k: v[-1] for k, v in parse_qs(url.query).items()},
                    {k.lower(): v for k, v in self.headers.items()},
                    url.query,
                )
                try:
                    response = listener._handle(request)
                except Exception:  # a handler bug must not kill the listener
                    listener.errors += 1
                    listener._log.exception("%s: cannot answer %s", listener._name, url.path)
                    response = Response(500, b"internal error; see the agent's log\n")
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(response.body)))
                for key, value in response.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                if body:
                    self.wfile.write(response.body)

            def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
                listener._log.debug(f"{listener._name}: " + format, *args)

        return Handler
