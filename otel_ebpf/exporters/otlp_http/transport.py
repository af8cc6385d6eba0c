"""HTTP plumbing of the ``otlp_http`` exporter: keep-alive connection pools (urllib3), TLS, POST.

One pool per destination (scheme, host, port and TLS files): traces and metrics share their
connections when they go to the same place.  Every connection a pool opens is tracked, so
that :meth:`Pools.abort` can cut the ones still waiting for a backend that hangs once the
shutdown deadline has passed (the worker blocked in them then returns at once).
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from otel_ebpf.exporters.helper.otlp_settings import SignalSettings

# The specification's recommended limit of a response body the client parses (OTLP/HTTP
# Response: "It is RECOMMENDED to use 4 MiB"); a larger one is a non-retryable error.
MAX_RESPONSE_BYTES = 4 * 1024 * 1024


class ResponseTooLarge(Exception):
    """The server sent a response body larger than :data:`MAX_RESPONSE_BYTES`."""


@dataclass(frozen=True)
class Response:
    """What the exporter needs of an HTTP response.

    Attributes:
        status: The HTTP status code.
        content_type: The media type, lower case, without parameters (``application/x-protobuf``).
        retry_after: The ``Retry-After`` header, or None.
        body: The (decompressed) body; None when it could not be read to the end.
        read_error: Why the body could not be read.
    """

    status: int
    content_type: str
    retry_after: str | None
    body: bytes | None
    read_error: str = ""


def destination(url: str) -> tuple[str, str, int, str]:
    """``(scheme, host, port, path with query)`` of an http(s) URL; ValueError when it has no host."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname
    if scheme not in ("http", "https") or not host:
        raise ValueError(f"{url!r} is not an http:// or https:// URL with a host")
    port = parts.port or (443 if scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, host, port, path


def tls_context(s: SignalSettings) -> ssl.SSLContext:
    """The client TLS context of a signal: its CA (else the system's), its client pair, or no verification.

    Raises:
        ValueError: A TLS file cannot be read or is not PEM of the right kind (names the setting).
    """
    try:
        context = ssl.create_default_context(cafile=s.ca_file or None)
    except (OSError, ssl.SSLError) as exc:
        raise ValueError(f"tls.ca_file: cannot load {s.ca_file!r}: {_reason(exc)}") from None
    if s.cert_file and s.key_file:
        try:
            context.load_cert_chain(s.cert_file, s.key_file)
        except (OSError, ssl.SSLError) as exc:
            raise ValueError(
                f"tls.cert_file/key_file: cannot load {s.cert_file!r} and {s.key_file!r}: {_reason(exc)}"
            ) from None
    if s.insecure_skip_verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or getattr(exc, "reason", None) or str(exc)


class ConnectProbe:
    """Whether a destination accepts TCP connections: the reconnect probe of a retry after a
    connection failure (see :class:`~otel_ebpf.exporters.helper.queued.RetryableError`).

    Every sending thread of an exporter waits on the same backend: one of them connects at a
    time, at most once per ``interval_s``, and the others read its answer.
    """

    def __init__(self, host: str, port: int, timeout_s: float = 1.0, interval_s: float = 0.2) -> None:
        self._address = (host, port)
        self._timeout = timeout_s
        self._interval = interval_s
        self._lock = threading.Lock()
        self._checked_at = -1e9
        self._up = False

    def __call__(self) -> bool:
        if time.monotonic() - self._checked_at < self._interval or not self._lock.acquire(blocking=False):
            return self._up
        try:
            try:
                with socket.create_connection(self._address, timeout=self._timeout):
                    up = True
            except OSError:
                up = False
            self._up, self._checked_at = up, time.monotonic()
            return up
        finally:
            self._lock.release()


class _Live:
    """The connections some pools have open, to cut them from another thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: set[HTTPConnection] = set()

    def add(self, conn: HTTPConnection) -> None:
        with self._lock:
            self._connections.add(conn)

    def discard(self, conn: HTTPConnection) -> None:
        with self._lock:
            self._connections.discard(conn)

    def connection_class(self, base: type[HTTPConnection]) -> type[HTTPConnection]:
        live = self

        class Tracked(base):  # type: ignore[valid-type, misc]
            def connect(self) -> None:
                super().connect()
                live.add(self)

            def close(self) -> None:
                live.discard(self)
                super().close()

        Tracked.__name__ = Tracked.__qualname__ = f"Tracked{base.__name__}"
        return Tracked

    def abort(self) -> int:
        """Shuts every tracked socket down (a thread blocked reading it wakes up); returns how many."""
        with self._lock:
            connections, self._connections = list(self._connections), set()
        n = 0
        for conn in connections:
            sock = getattr(conn, "sock", None)
            if sock is None:
                continue
            try:
                sock.shutdown(socket.SHUT_RDWR)
                n += 1
            except OSError:  # already closed by the other side
                pass
        return n


class Pools:
    """Keep-alive connection pools, one per destination.

    Args:
        maxsize: Connections kept open per pool (the number of sending threads); more are
            opened when needed and closed after use.
    """

    def __init__(self, maxsize: int) -> None:
        self._maxsize = max(1, maxsize)
        self._lock = threading.Lock()
        self._pools: dict[tuple, HTTPConnectionPool] = {}
        self._live = _Live()
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def pool_for(self, url: str, context: ssl.SSLContext | None, context_key: tuple) -> HTTPConnectionPool:
        """The pool of a URL's destination (made on first use)."""
        scheme, host, port, _ = destination(url)
        key = (scheme, host, port, context_key if scheme == "https" else None)
        with self._lock:
            if self._closed:
                raise RuntimeError("connection pools are closed")
            pool = self._pools.get(key)
            if pool is None:
                if scheme == "https":
                    pool = HTTPSConnectionPool(
                        host,
                        port,
                        maxsize=self._maxsize,
                        block=False,
                        retries=False,
                        ssl_context=context,
                        # urllib3 matches the host name itself; off with insecure_skip_verify.
                        assert_hostname=False if context is not None and not context.check_hostname else None,
                    )
                    pool.ConnectionCls = self._live.connection_class(HTTPSConnection)
                else:
                    pool = HTTPConnectionPool(host, port, maxsize=self._maxsize, block=False, retries=False)
                    pool.ConnectionCls = self._live.connection_class(HTTPConnection)
                self._pools[key] = pool
            return pool

    def close(self) -> None:
        """Closes idle connections and cuts the ones in use (their requests fail at once)."""
        with self._lock:
            self._closed = True
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()
        self._live.abort()


def post(pool: HTTPConnectionPool, path: str, body: bytes, headers: urllib3.HTTPHeaderDict, timeout: float) -> Response:
    """POSTs ``body`` once (no redirects, no retries: the caller decides) and reads the response.

    Raises:
        urllib3.exceptions.HTTPError: The request could not be sent or no response came
            (connection refused or reset, timeout, TLS failure, pool closed).
        ResponseTooLarge: The response body exceeds :data:`MAX_RESPONSE_BYTES`.
    """
    response = pool.urlopen(
        "POST",
        path,
        body=body,
        headers=headers,
        retries=False,
        redirect=False,
        timeout=urllib3.Timeout(connect=timeout, read=timeout),
        preload_content=False,
        release_conn=False,
    )
    content_type = (response.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
    retry_after = response.headers.get("Retry-After")
    data: bytes | None = None
    error = ""
    try:
        data = response.read(MAX_RESPONSE_BYTES + 1, decode_content=True)
        if len(data) > MAX_RESPONSE_BYTES:
            response.close()  # the rest is not read: the connection cannot be reused
            raise ResponseTooLarge(f"HTTP {response.status} with a body over {MAX_RESPONSE_BYTES} bytes")
        response.drain_conn()
    except urllib3.exceptions.HTTPError as exc:
        # The status line came but not the whole body (reset, timeout, bad gzip).
        data, error = None, f"{type(exc).__name__}: {exc}"
        response.close()
    finally:
        response.release_conn()
    return Response(response.status, content_type, retry_after, data, error)
