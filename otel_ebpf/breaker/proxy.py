"""The data path of the circuit-breaker sidecar: an HTTP/1.1 reverse proxy in front of one backend.

Every request is shown to a :class:`Gate` once its headers are parsed: refused, it is answered
here (503 or 429, ``Retry-After``) and the backend never sees it; allowed, it is forwarded and
its outcome (status, failure, duration, the start of the body) is handed back to the gate, which
is how the breaker learns that the backend is failing.  Deciding is the gate's business; this
module only moves bytes, and must do it cheaply enough to sit in front of every request.

Why it is built this way:

* asyncio Protocols and transports, not streams, and llhttp (``httptools``) to parse: a stream
  reader and a coroutine per request cost several times the CPU of callbacks, and the proxy's
  added latency is what a sidecar is judged by;
* keep-alive on both sides: client connections persist (HTTP/1.1 rules, ``Connection: close``,
  HTTP/1.0), backend connections are pooled (a bounded idle pool) so that a request does not pay
  for a TCP handshake.  A pooled connection the backend closed while idle fails when it is
  used; an idempotent request that fails that way before any response byte, with its body fully
  buffered, is sent once more on a fresh connection;
* bodies stream both ways (Content-Length or chunked, re-framed as each side needs) under
  transport flow control: a 50 MB response passes through a few hundred KiB of buffers;
* one request at a time per client connection, so that pipelined requests are answered in
  order; one request at a time per backend connection (no pipelining towards the backend);
* failures answer for themselves: 502 (cannot connect), 504 (no response in time), a closed
  client connection when the backend resets mid-response, 400 for garbage from a client.
  Each is counted (:meth:`BreakerProxy.stats`) and none stops the server.

The event loop runs on a daemon thread (uvloop when importable); every counter, and every call
to the gate, happens on that thread.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
from collections import deque
from dataclasses import dataclass
from http import HTTPStatus
from typing import Protocol
from urllib.parse import urlsplit

import httptools

__all__ = ["Admission", "AllowAll", "BreakerProxy", "Gate", "Outcome"]

log = logging.getLogger(__name__)


# -- the decision hook ---------------------------------------------------------------------------


@dataclass(slots=True)
class Admission:
    allowed: bool  # False: answer locally, do not contact the backend
    status: int = 0  # when not allowed: 503 or 429
    headers: tuple[tuple[str, str], ...] = ()  # when not allowed: e.g. (("Retry-After", "5"),)
    body: bytes = b""  # when not allowed: a small JSON document
    sample_body: int = 0  # when allowed: keep up to this many bytes of the response body for settle()
    ticket: object = None  # opaque, handed back to settle()


@dataclass(slots=True)
class Outcome:
    status: int | None  # the backend's status; None when there was no response
    # None, "connect", "timeout", "reset" (the backend's doing), or "client": the client went away
    # before the response was complete, which says nothing about the backend
    failure: str | None
    duration_s: float  # from forwarding the request to the end of the response (or the failure)
    content_type: str = ""
    body: bytes = b""  # first sample_body bytes of the (de-chunked) response body, when asked


class Gate(Protocol):
    def admit(self, method: str, target: str, headers: list[tuple[bytes, bytes]]) -> Admission: ...
    def settle(self, admission: Admission, outcome: Outcome) -> None: ...


class AllowAll:
    """A gate that admits every request and learns nothing: the baseline of the benchmark."""

    _ADMISSION = Admission(True)

    def admit(self, method: str, target: str, headers: list[tuple[bytes, bytes]]) -> Admission:
        return self._ADMISSION

    def settle(self, admission: Admission, outcome: Outcome) -> None:
        pass


# -- limits and protocol constants ---------------------------------------------------------------

# Hop-by-hop headers (RFC 9110 §7.6.1), never forwarded as such: each side's connection and
# framing are this proxy's own.  The headers a Connection header names are dropped as well.
_HOP = frozenset(
    (b"connection", b"keep-alive", b"proxy-connection", b"te", b"trailer", b"transfer-encoding", b"upgrade")
)
_HOP_UPGRADE = _HOP - {b"upgrade"}  # an upgrade request, and its 101, keep Upgrade
_CONNECTION_TOKENS_KEPT = frozenset((b"close", b"keep-alive", b"upgrade"))

_SWEEP_S = 5.0  # how often idle client connections are looked for
MAX_HEAD = 64 * 1024  # request or response head spanning more reads than this: 431 / 502
RETRY_BODY = 64 * 1024  # a request body up to this size, whole when forwarded, may be sent twice
# ... and only for these methods (RFC 9110 §9.2.2): a POST the backend may have received and
# acted on before closing is not sent again (nginx's proxy_next_upstream default, too).
_IDEMPOTENT = frozenset((b"GET", b"HEAD", b"OPTIONS", b"TRACE", b"PUT", b"DELETE"))
BUFFER_HIGH = 256 * 1024  # a client's body bytes held while no backend takes them: reading pauses
LINGER_S = 2.0  # after the last response of a closing connection: how long the client's leftovers are read

# Why a client connection's reading is paused (several at once: it resumes when none is left).
_P_QUEUE = 1  # pipelined requests wait behind the one being answered
_P_BUFFER = 2  # a body arrives faster than a backend connection is found for it
_P_BACKEND = 4  # the backend's write buffer is full
_P_UPGRADE = 8  # an upgrade request waits for the backend's 101

# How a response body goes to the client.
_NONE, _LENGTH, _CHUNKED, _UNTIL_CLOSE = range(4)

# The client connection's life.
_OPEN, _BAD, _CLOSING = range(3)

_REASONS = {s.value: s.phrase.encode() for s in HTTPStatus}
_LAST_CHUNK = b"0\r\n\r\n"

_COUNTERS = (
    "requests",
    "rejected",
    "backend_connect_failures",
    "backend_timeouts",
    "backend_resets",
    "backend_bad_responses",
    "bad_requests",
    "client_connections",
    "client_resets",
    "backend_connections_opened",
    "retries",
    "client_idle_closed",
    "gate_errors",
    "internal_errors",
)


class _Counters:
    """Plain ints, written on the loop thread only (reading them from another thread is safe)."""

    __slots__ = _COUNTERS

    def __init__(self) -> None:
        for name in _COUNTERS:
            setattr(self, name, 0)


def _error_body(error: str, message: str) -> bytes:
    return json.dumps({"error": error, "message": message}).encode()


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


def _our_bug(exc: httptools.HttpParserError) -> bool:
    """An exception of this module's parser callbacks, which llhttp reports as a parse error."""
    context = exc.__context__
    return isinstance(exc, httptools.HttpParserCallbackError) and not (
        context is None or isinstance(context, httptools.HttpParserError)
    )


def _connection_tokens(headers: list[tuple[bytes, bytes]]) -> frozenset[bytes]:
    """The header names a Connection header lists (besides close/keep-alive/upgrade): hop-by-hop too."""
    tokens: set[bytes] = set()
    for name, value in headers:
        if len(name) == 10 and name.lower() == b"connection":
            tokens.update(t.strip().lower() for t in value.split(b","))
    return frozenset(tokens - _CONNECTION_TOKENS_KEPT)


# -- one request -----------------------------------------------------------------------------


class _Request:
    """A client request, from its parsed head to its last body byte."""

    __slots__ = ("method", "url", "headers", "version", "keep_alive", "upgrade", "chunked", "complete")
    __slots__ += ("body", "buffered", "exchange", "discard")

    def __init__(self) -> None:
        self.method = b""
        self.url = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.version = "1.1"
        self.keep_alive = True
        self.upgrade = False
        self.chunked = False
        self.complete = False
        self.body: list[bytes] = []  # de-chunked body bytes that arrived before a backend took them
        self.buffered = 0
        self.exchange: _Exchange | None = None  # set while the body streams to a backend
        self.discard = False  # answered already: the rest of the body goes nowhere


class _Exchange:
    """One request's way through the proxy: gate, backend, response, outcome.

    It is also the response parser's protocol (its ``on_*`` methods); a parser per response keeps
    the response to a HEAD (which announces a body it does not have) from confusing the next one.
    """

    __slots__ = ("core", "client", "req", "admission", "backend", "started", "retry", "retried", "sent")
    __slots__ += ("parser", "status", "reason", "rheaders", "in_head", "head_bytes", "got_bytes", "head_sent")
    __slots__ += ("mode", "until_eof", "complete", "interim", "extra", "close_client", "out", "sample")
    __slots__ += ("sample_left", "content_type", "timer", "activity", "settled", "done", "backend_close", "keep")

    def __init__(self, core: _Core, client: _Client, req: _Request) -> None:
        self.core = core
        self.client = client
        self.req = req
        self.admission: Admission | None = None
        self.backend: _Backend | None = None
        self.started = 0.0
        self.retry: bytes | None = None  # the request as sent, while it may be sent again
        self.retried = False
        self.sent = False  # the whole request went to the backend's transport
        self.parser: httptools.HttpResponseParser | None = None
        self.status = 0
        self.reason = b""
        self.rheaders: list[tuple[bytes, bytes]] = []
        self.in_head = True
        self.head_bytes = 0
        self.got_bytes = False
        self.head_sent = False
        self.mode = _NONE
        self.until_eof = False  # the backend's body ends when it closes the connection
        self.complete = False
        self.interim = False  # parsing a 1xx (not 101): its end is not the response's
        self.extra = False  # the backend sent more than one response: never reuse the connection
        self.close_client = False
        self.out: list[bytes] = []  # for the client, written once per read from the backend
        self.sample: bytearray | None = None
        self.sample_left = 0
        self.content_type = b""
        self.timer: asyncio.TimerHandle | None = None
        self.activity = False  # backend bytes since the timer was armed
        self.settled = False
        self.done = False
        self.backend_close = False  # the backend said Connection: close
        self.keep = False  # the backend keeps the connection after this response

    # -- the start: gate, then a backend connection ---------------------------------------

    def begin(self) -> None:
        req, core = self.req, self.core
        if req.method == b"CONNECT":  # a tunnel to anywhere is not this proxy's job
            self.answer(405, (("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"),), _METHOD_BODY, close=True)
            return
        try:
            admission = core.gate.admit(req.method.decode("latin-1"), req.url.decode("latin-1"), req.headers)
        except Exception:  # a broken gate must not take the traffic down with it: fail open
            core.counters.gate_errors += 1
            log.exception("breaker proxy: the gate's admit() failed; the request is forwarded")
            admission = None
        if admission is not None and not admission.allowed:
            core.counters.rejected += 1
            self.answer(admission.status or 503, admission.headers, admission.body)
            return
        self.admission = admission
        self.settled = admission is None  # nothing to settle on behalf of a gate that failed
        self.sample_left = admission.sample_body if admission is not None else 0
        self.started = core.loop.time()
        backend = core.pool.take()
        if backend is not None:
            self.attach(backend, reused=True)
        else:
            core.connect(self)

    def attach(self, backend: _Backend, reused: bool) -> None:
        """Sends the request on ``backend``: the head and whatever body arrived so far."""
        req, client = self.req, self.client
        self.backend = backend
        backend.exchange = self
        self.parser = httptools.HttpResponseParser(self)
        if client.write_paused:
            backend.pause()
        if self.retry is not None:  # the second attempt: the same bytes, on a fresh connection
            data, self.retry = self.retry, None
            backend.transport.write(data)
            self.request_sent()
            return
        parts = [self.request_head()]  # first: it finds out whether the body is chunked
        body_size = req.buffered
        parts.extend(map(_chunk, req.body) if req.chunked else req.body)
        req.body, req.buffered = [], 0
        client.resume(_P_BUFFER)
        if req.complete and req.chunked:
            parts.append(_LAST_CHUNK)
        data = b"".join(parts)
        if reused and req.complete and body_size <= RETRY_BODY and req.method in _IDEMPOTENT:
            self.retry = data
        req.exchange = self  # the rest of the body streams from the client's parser
        backend.transport.write(data)
        if req.complete:
            self.request_sent()

    def request_head(self) -> bytes:
        """The head for the backend: hop-by-hop headers out, X-Forwarded-* in, HTTP/1.1 always."""
        req, core = self.req, self.core
        drop = _HOP_UPGRADE if req.upgrade else _HOP
        tokens = _connection_tokens(req.headers)
        if tokens:
            drop = drop | tokens
        lines = [b"%s %s HTTP/1.1\r\n" % (req.method, req.url)]
        xff = host = None
        proto_set = host_set = False
        for name, value in req.headers:
            low = name.lower()
            if low in drop:
                if low == b"transfer-encoding":  # llhttp accepted it: chunked is the final coding
                    req.chunked = True
                continue
            if low == b"x-forwarded-for":  # appended to below, several fields joined into one
                xff = value if xff is None else xff + b", " + value
                continue
            if low == b"host":
                host = value
            elif low == b"x-forwarded-proto":
                proto_set = True  # a proxy in front (the one that terminated TLS) knows better
            elif low == b"x-forwarded-host":
                host_set = True
            lines.append(name + b": " + value + b"\r\n")
        peer = self.client.peer
        lines.append(b"X-Forwarded-For: " + (xff + b", " + peer if xff else peer) + b"\r\n")
        if not proto_set:
            lines.append(b"X-Forwarded-Proto: http\r\n")
        if host is None:  # HTTP/1.0 may omit it; HTTP/1.1 towards the backend may not
            lines.append(b"Host: " + core.host_header + b"\r\n")
        elif not host_set:
            lines.append(b"X-Forwarded-Host: " + host + b"\r\n")
        if req.upgrade:
            lines.append(b"Connection: upgrade\r\n")
        if req.chunked:
            lines.append(b"Transfer-Encoding: chunked\r\n")
        lines.append(b"\r\n")
        return b"".join(lines)

    def request_body(self, data: bytes) -> None:
        self.backend.transport.write(_chunk(data) if self.req.chunked else data)

    def request_end(self) -> None:
        if self.req.chunked:
            self.backend.transport.write(_LAST_CHUNK)
        self.request_sent()

    def request_sent(self) -> None:
        self.sent = True
        if self.timer is None and not self.done:
            self.timer = self.core.loop.call_later(self.core.response_timeout_s, self.on_timer)

    # -- the response -------------------------------------------------------------------------

    def backend_data(self, data: bytes) -> None:
        self.got_bytes = self.activity = True
        if self.in_head:  # a head spanning reads: bounded (the first read may hold a body too)
            if self.head_bytes > MAX_HEAD:
                self.bad_response()
                return
            self.head_bytes += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade as exc:
            if self.status == 101 and self.head_sent:
                self.start_tunnel(data[exc.args[0] :])
            else:
                self.bad_response()
            return
        except httptools.HttpParserError as exc:
            if _our_bug(exc):
                raise
            self.bad_response()
            return
        if self.out:
            self.flush()
        if self.complete and not self.done:
            self.finish()

    def flush(self) -> None:
        out = self.out
        self.client.transport.write(out[0] if len(out) == 1 else b"".join(out))
        out.clear()

    def on_message_begin(self) -> None:
        if self.complete:
            self.extra = True

    def on_status(self, reason: bytes) -> None:
        self.reason += reason

    def on_header(self, name: bytes, value: bytes) -> None:
        self.rheaders.append((name, value))

    def on_headers_complete(self) -> None:
        if self.complete:
            self.extra = True
            return
        status = self.parser.get_status_code()
        if 100 <= status < 200 and status != 101:
            self.interim_head(status)
            return
        self.status = status
        self.in_head = False
        if status == 101 and not self.req.upgrade:
            raise httptools.HttpParserError("101 to a request that asked for no upgrade")
        self.response_head()

    def on_body(self, data: bytes) -> None:
        if self.complete:  # bytes after a HEAD's response: the connection is out of step
            self.extra = True
            return
        if self.sample_left:
            piece = data[: self.sample_left]
            if self.sample is None:
                self.sample = bytearray()
            self.sample += piece
            self.sample_left -= len(piece)
        mode = self.mode
        if mode == _CHUNKED:
            self.out.append(b"%x\r\n" % len(data))
            self.out.append(data)
            self.out.append(b"\r\n")
        elif mode != _NONE:
            self.out.append(data)

    def on_message_complete(self) -> None:
        if self.interim:
            self.interim = False
            return
        if self.complete:
            return
        self.complete = True
        self.keep = self.parser.should_keep_alive()  # now: llhttp forgets the message's flags after this call
        if self.mode == _CHUNKED:
            self.out.append(_LAST_CHUNK)

    def interim_head(self, status: int) -> None:
        """A 1xx (100 Continue, 103 Early Hints): passed on to HTTP/1.1 clients; the final response follows."""
        self.interim = True
        if self.req.version == "1.1":
            lines = [b"HTTP/1.1 %d %s\r\n" % (status, self.reason or _REASONS.get(status, b"Unknown"))]
            lines.extend(n + b": " + v + b"\r\n" for n, v in self.rheaders if n.lower() not in _HOP)
            lines.append(b"\r\n")
            self.out.append(b"".join(lines))
        self.rheaders = []
        self.reason = b""

    def response_head(self) -> None:
        """The head for the client, and how the body will be framed for it."""
        req, status = self.req, self.status
        upgrade = status == 101
        drop = _HOP_UPGRADE if upgrade else _HOP
        tokens = _connection_tokens(self.rheaders)
        if tokens:
            drop = drop | tokens
        lines = [b"HTTP/1.1 %d %s\r\n" % (status, self.reason or _REASONS.get(status, b"Unknown"))]
        length = chunked = False
        for name, value in self.rheaders:
            low = name.lower()
            if low in drop:
                if low == b"transfer-encoding":
                    chunked = True
                elif low == b"connection" and b"close" in value.lower():
                    self.backend_close = True
                continue
            if low == b"content-length":
                length = True
            elif low == b"content-type":
                self.content_type = value
            lines.append(name + b": " + value + b"\r\n")
        version_11 = req.version == "1.1"
        if req.method == b"HEAD" or status in (101, 204, 304):
            self.mode = _NONE
            if chunked and version_11 and not upgrade:  # a HEAD tells what the GET would get
                lines.append(b"Transfer-Encoding: chunked\r\n")
            self.complete = not upgrade  # no body to wait for, whatever its headers announce
        elif length and not chunked:
            self.mode = _LENGTH
        else:
            self.until_eof = not chunked
            self.mode = _CHUNKED if version_11 else _UNTIL_CLOSE
            if self.mode == _CHUNKED:
                lines.append(b"Transfer-Encoding: chunked\r\n")
        close = not req.keep_alive or self.mode == _UNTIL_CLOSE or not req.complete or req.upgrade
        self.close_client = close and not upgrade
        if upgrade:
            lines.append(b"Connection: upgrade\r\n")
        elif close:
            lines.append(b"Connection: close\r\n")
        elif not version_11:
            lines.append(b"Connection: keep-alive\r\n")
        lines.append(b"\r\n")
        self.out.append(b"".join(lines))
        self.head_sent = True

    # -- the end ---------------------------------------------------------------------------

    def finish(self) -> None:
        """The response is complete: the backend connection back to the pool, the outcome to the gate."""
        self.done = True
        self.cancel_timer()
        backend, self.backend = self.backend, None
        if backend is not None:
            backend.exchange = None
            if self.mode == _NONE and not self.keep:  # llhttp may still wait for the body a HEAD's headers announce
                self.keep = not self.backend_close and self.parser.get_http_version() == "1.1"
            reusable = self.keep and self.sent and not self.extra and not self.until_eof
            if reusable:
                self.core.pool.put(backend)
            else:
                backend.transport.close()
        self.parser = None  # (and the reference cycles: freed now, not by the garbage collector)
        self.settle(None)
        req = self.req
        req.exchange = None
        req.discard = not req.complete
        self.client.exchange_done(self.close_client)

    def start_tunnel(self, rest: bytes) -> None:
        """The backend said 101: from now on, bytes go both ways as they come."""
        self.flush()
        self.done = True
        self.cancel_timer()
        self.parser = self.req.exchange = None
        self.settle(None)
        client, backend = self.client, self.backend
        backend.tunnel = client
        client.tunnel = backend
        if rest:
            client.transport.write(rest)
        client.start_tunnel()

    def on_timer(self) -> None:
        self.timer = None
        if self.done:
            return
        backend = self.backend
        if self.activity or (backend is not None and backend.paused):  # still talking, or held back by us
            self.activity = False
            self.timer = self.core.loop.call_later(self.core.response_timeout_s, self.on_timer)
            return
        self.core.counters.backend_timeouts += 1
        self.fail("timeout", 504, "gateway_timeout", "the backend did not answer in time")

    def backend_lost(self, exc: Exception | None) -> None:
        """The backend connection closed (or was reset) while this request was on it."""
        self.backend = None
        if self.done:
            return
        if self.until_eof and exc is None and self.head_sent:  # the body's end is the connection's
            self.complete = True
            if self.mode == _CHUNKED:
                self.out.append(_LAST_CHUNK)
            self.flush()
            self.finish()
            return
        if not self.got_bytes and self.retry is not None and not self.retried:
            # Most likely a pooled connection the backend had closed when it was idle: the
            # request never reached it.  Once, on a fresh connection.
            self.retried = True
            self.core.counters.retries += 1
            self.cancel_timer()
            self.sent = False
            self.core.connect(self)
            return
        self.core.counters.backend_resets += 1
        self.fail("reset", 502, "bad_gateway", "the backend closed the connection")

    def bad_response(self) -> None:
        self.core.counters.backend_bad_responses += 1
        if self.out:
            self.flush()
        self.fail("reset", 502, "bad_gateway", "the backend's response is not valid HTTP")

    def connect_failed(self, why: str) -> None:
        self.core.counters.backend_connect_failures += 1
        self.fail("connect", 502, "bad_gateway", f"cannot connect to the backend: {why}")

    def fail(self, failure: str, status: int, error: str, message: str) -> None:
        """No (complete) response: a local one if none was started, else the client connection closes."""
        if self.done:
            return
        self._end_with_backend()
        self.settle(failure)
        self.req.exchange = None
        if self.head_sent:  # part of the response is out: only a closed connection tells the client
            self.req.discard = True
            self.client.abort_response()
        else:
            self.answer(status, (), _error_body(error, message))

    def client_gone(self, count: bool = True) -> None:
        """The client connection closed (or broke its request) before the response was complete."""
        if self.done:
            return
        self._end_with_backend()
        self.req.exchange = None
        if not self.settled:
            self.core.counters.client_resets += count
            self.settle("client")

    def _end_with_backend(self) -> None:
        """Done before the response completed: the backend connection goes (mid-response, it is
        not reusable), and its parser with it."""
        self.done = True
        self.cancel_timer()
        backend, self.backend = self.backend, None
        if backend is not None:
            backend.exchange = None
            backend.transport.abort()
        self.parser = None

    def answer(self, status: int, headers, body: bytes, close: bool = False) -> None:
        """A response made here (refused, 405, 502, 504): the request ends without the backend."""
        self.done = True
        req = self.req
        if not req.complete:  # its body is still coming: not worth reading, the connection closes
            req.discard = True
            close = True
        close = close or not req.keep_alive or req.upgrade
        self.client.respond(req, status, headers, body, close)
        self.client.exchange_done(close)

    def settle(self, failure: str | None) -> None:
        if self.settled:
            return
        self.settled = True
        core = self.core
        outcome = Outcome(
            self.status or None,
            failure,
            core.loop.time() - self.started,
            self.content_type.decode("latin-1"),
            bytes(self.sample) if self.sample else b"",
        )
        try:
            core.gate.settle(self.admission, outcome)
        except Exception:
            core.counters.gate_errors += 1
            log.exception("breaker proxy: the gate's settle() failed")

    def cancel_timer(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


_METHOD_BODY = _error_body("method_not_allowed", "CONNECT is not proxied")


# -- the client side ---------------------------------------------------------------------------


class _Client(asyncio.Protocol):
    """One client connection: parses its requests and answers them one at a time, in order."""

    __slots__ = ("core", "transport", "parser", "queue", "reading", "in_head", "head_bytes", "exchange")
    __slots__ += ("paused", "write_paused", "peer", "state", "upgrade_rest", "tunnel", "starting")
    __slots__ += ("linger", "linger_left", "bad_status", "last_read")

    def __init__(self, core: _Core) -> None:
        self.core = core
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpRequestParser(self)
        self.queue: deque[_Request] = deque()  # parsed heads, not yet answered; [0] is being answered
        self.reading: _Request | None = None  # the request the parser is in
        self.in_head = False
        self.head_bytes = 0
        self.exchange: _Exchange | None = None
        self.paused = 0  # _P_* bits
        self.write_paused = False
        self.peer = b""
        self.state = _OPEN
        self.upgrade_rest: bytearray | None = None  # bytes after an upgrade request, for the tunnel
        self.tunnel: _Backend | None = None
        self.starting = False
        self.linger: asyncio.TimerHandle | None = None
        self.linger_left = -1
        self.bad_status = 400
        self.last_read = core.loop.time()  # for the idle sweep (_Core.sweep)

    # -- asyncio's callbacks --------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        core = self.core
        core.counters.client_connections += 1
        core.clients.add(self)
        peer = transport.get_extra_info("peername")
        self.peer = str(peer[0]).encode() if peer else b"unknown"

    def data_received(self, data: bytes) -> None:
        self.last_read = self.core.loop.time()
        if self.tunnel is not None:
            self.tunnel.transport.write(data)
            return
        if self.state != _OPEN:
            return  # closing, or past garbage: nothing more is parsed
        if self.upgrade_rest is not None:
            self.upgrade_rest += data
            return
        try:
            self.parse(data)
        except Exception:
            self.core.internal_error("a client's request")
            self.transport.abort()

    def parse(self, data: bytes) -> None:
        if self.in_head:  # a head spanning reads: bounded, llhttp would keep growing it
            self.head_bytes += len(data)
            if self.head_bytes > MAX_HEAD:
                self.bad_status = 431
                self.bad_input()
                return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade as exc:
            self.upgrade_rest = bytearray(data[exc.args[0] :])
            self.pause(_P_UPGRADE)
        except httptools.HttpParserError as exc:
            if _our_bug(exc):
                raise
            self.bad_input()
            return
        if self.exchange is None and self.queue:
            self.next()

    def eof_received(self) -> bool:
        # A client that shuts its side down has gone, as nginx takes it (a close and a half-close
        # look the same from here): what it asked for is dropped, and a tunnel ends.
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        core = self.core
        core.clients.discard(self)
        self.state = _CLOSING
        if self.linger is not None:
            self.linger.cancel()
        other, self.tunnel = self.tunnel, None
        if other is not None:  # a tunnel ends with either side
            other.tunnel = None
            other.transport.close()
        exchange, self.exchange = self.exchange, None
        if exchange is not None:
            exchange.client_gone()
        self.queue.clear()
        self.parser = None  # it holds this protocol's methods: a cycle, freed now

    def pause_writing(self) -> None:
        self.write_paused = True
        exchange = self.exchange
        if exchange is not None and exchange.backend is not None:
            exchange.backend.pause()

    def resume_writing(self) -> None:
        self.write_paused = False
        exchange = self.exchange
        if exchange is not None and exchange.backend is not None:
            exchange.backend.resume()

    # -- the request parser's callbacks ---------------------------------------------------

    def on_message_begin(self) -> None:
        self.reading = _Request()
        self.in_head = True
        self.head_bytes = 0

    def on_url(self, url: bytes) -> None:
        self.reading.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self.reading.headers.append((name, value))

    def on_headers_complete(self) -> None:
        req, parser = self.reading, self.parser
        req.method = parser.get_method()
        req.version = parser.get_http_version()
        req.keep_alive = parser.should_keep_alive()
        req.upgrade = parser.should_upgrade() and req.method != b"CONNECT"
        self.in_head = False
        self.core.counters.requests += 1
        self.queue.append(req)
        if len(self.queue) > 1:
            self.pause(_P_QUEUE)

    def on_body(self, data: bytes) -> None:
        req = self.reading
        if req.exchange is not None:
            req.exchange.request_body(data)
        elif not req.discard:
            req.body.append(data)
            req.buffered += len(data)
            if req.buffered > BUFFER_HIGH:
                self.pause(_P_BUFFER)

    def on_message_complete(self) -> None:
        req, self.reading = self.reading, None
        req.complete = True
        if req.exchange is not None:
            req.exchange.request_end()

    # -- answering, in order -----------------------------------------------------------

    def next(self) -> None:
        """Starts the exchanges of the queued requests, one after the other."""
        if self.starting:
            return  # called back from an exchange that ended at once: the loop below goes on
        self.starting = True
        try:
            while self.exchange is None and self.queue and self.state != _CLOSING:
                self.exchange = _Exchange(self.core, self, self.queue[0])
                self.exchange.begin()
        finally:
            self.starting = False
        if self.exchange is None and not self.queue and self.state != _CLOSING:
            if self.state == _BAD:
                self.respond(None, self.bad_status, (), _error_body("bad_request", "malformed request"), True)
                self.close()

    def exchange_done(self, close: bool) -> None:
        self.queue.popleft()
        self.exchange = None
        self.resume(_P_BACKEND | _P_BUFFER)
        if close:
            self.close()
            return
        if len(self.queue) <= 1:
            self.resume(_P_QUEUE)
        self.next()

    def respond(self, req: _Request | None, status: int, headers, body: bytes, close: bool) -> None:
        lines = [b"HTTP/1.1 %d %s\r\n" % (status, _REASONS.get(status, b"Unknown"))]
        typed = False
        for name, value in headers:
            typed = typed or name.lower() == "content-type"
            lines.append(f"{name}: {value}\r\n".encode("latin-1"))
        if body and not typed:
            lines.append(b"Content-Type: application/json\r\n")
        lines.append(b"Content-Length: %d\r\n" % len(body))
        if close:
            lines.append(b"Connection: close\r\n")
        elif req is not None and req.version != "1.1":
            lines.append(b"Connection: keep-alive\r\n")
        lines.append(b"\r\n")
        if req is None or req.method != b"HEAD":
            lines.append(body)
        self.transport.write(b"".join(lines))

    # -- trouble and the end ----------------------------------------------------------

    def bad_input(self) -> None:
        """Garbage from the client: what was asked before it is answered, then 400 (or 431) and close."""
        self.core.counters.bad_requests += 1
        self.state = _BAD
        self.pause(_P_QUEUE)
        req = self.reading
        if req is not None and req in self.queue:  # its body broke: it will never be whole
            self.queue.remove(req)
            exchange = self.exchange
            if exchange is not None and exchange.req is req:
                self.exchange = None
                exchange.client_gone(count=False)  # counted as a bad request
                if exchange.head_sent:
                    self.abort_response()
                    return
        if self.exchange is None:
            self.next()

    def abort_response(self) -> None:
        """A response cut short: closing the connection is the only way to tell the client."""
        self.state = _CLOSING
        self.exchange = None
        self.queue.clear()
        self.transport.close()

    def close(self) -> None:
        """After the last response: FIN, then the client's leftovers are read (and dropped) for a
        while, so that they do not turn the close into a reset that could destroy the response."""
        self.state = _CLOSING
        transport = self.transport
        if not transport.can_write_eof():
            transport.close()
            return
        try:
            transport.write_eof()
        except OSError:  # the client reset the connection already
            transport.abort()
            return
        self.paused = 0
        transport.resume_reading()
        self.linger = self.core.loop.call_later(LINGER_S, self.linger_check)

    def linger_check(self) -> None:
        """Closes a lingering connection, unless the client is still reading the response."""
        left = self.transport.get_write_buffer_size()
        if left and (self.linger_left < 0 or left < self.linger_left):
            self.linger_left = left
            self.linger = self.core.loop.call_later(LINGER_S, self.linger_check)
            return
        self.transport.abort()

    def start_tunnel(self) -> None:
        rest, self.upgrade_rest = self.upgrade_rest, None
        if rest:
            self.tunnel.transport.write(bytes(rest))
        self.resume(_P_UPGRADE | _P_QUEUE | _P_BUFFER)

    def pause(self, bit: int) -> None:
        if not self.paused:
            self.transport.pause_reading()
        self.paused |= bit

    def resume(self, bits: int) -> None:
        if self.paused & bits:
            self.paused &= ~bits
            if not self.paused:
                self.transport.resume_reading()


# -- the backend side --------------------------------------------------------------------------


class _Backend(asyncio.Protocol):
    """One connection to the backend: one exchange at a time, idle in the pool in between."""

    __slots__ = ("core", "transport", "exchange", "tunnel", "paused", "alive")

    def __init__(self, core: _Core) -> None:
        self.core = core
        self.transport: asyncio.Transport | None = None
        self.exchange: _Exchange | None = None
        self.tunnel: _Client | None = None
        self.paused = False
        self.alive = True

    def connection_made(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        self.core.backends.add(self)

    def data_received(self, data: bytes) -> None:
        if self.tunnel is not None:
            self.tunnel.transport.write(data)
            return
        exchange = self.exchange
        if exchange is None:  # an idle connection has nothing to say: out of step, drop it
            self.transport.abort()
            return
        try:
            exchange.backend_data(data)
        except Exception:
            self.core.internal_error("a backend's response")
            exchange.fail("reset", 502, "bad_gateway", "internal error")

    def eof_received(self) -> bool:
        return False  # close; connection_lost decides what it means

    def connection_lost(self, exc: Exception | None) -> None:
        self.alive = False
        core = self.core
        core.backends.discard(self)
        core.pool.discard(self)
        other, self.tunnel = self.tunnel, None
        if other is not None:  # a tunnel ends with either side
            other.tunnel = None
            other.transport.close()
        exchange, self.exchange = self.exchange, None
        if exchange is not None:
            try:
                exchange.backend_lost(exc)
            except Exception:
                core.internal_error("a lost backend connection")
                exchange.client.transport.abort()

    def pause_writing(self) -> None:
        if self.exchange is not None:
            self.exchange.client.pause(_P_BACKEND)

    def resume_writing(self) -> None:
        if self.exchange is not None:
            self.exchange.client.resume(_P_BACKEND)

    def pause(self) -> None:
        if not self.paused:
            self.paused = True
            self.transport.pause_reading()

    def resume(self) -> None:
        if self.paused:
            self.paused = False
            self.transport.resume_reading()


class _Pool:
    """Idle backend connections, the most recently used first (the least likely to have been closed)."""

    def __init__(self, max_idle: int) -> None:
        self.max_idle = max_idle
        self.idle: deque[_Backend] = deque()

    def take(self) -> _Backend | None:
        idle = self.idle
        while idle:
            backend = idle.pop()
            if backend.alive and not backend.transport.is_closing():
                return backend
        return None

    def put(self, backend: _Backend) -> None:
        backend.resume()  # idle, it must still read: an EOF from the backend takes it out
        if len(self.idle) >= self.max_idle or not backend.alive:
            backend.transport.close()
            return
        self.idle.append(backend)

    def discard(self, backend: _Backend) -> None:
        try:
            self.idle.remove(backend)
        except ValueError:
            pass

    def close(self) -> None:
        while self.idle:
            self.idle.pop().transport.abort()


# -- the loop's state ------------------------------------------------------------------------


class _Core:
    """What every connection of one proxy shares, on its event loop."""

    def __init__(self, loop, gate: Gate, host: str, port: int, host_header: bytes, settings: dict) -> None:
        self.loop = loop
        self.gate = gate
        self.host = host
        self.port = port
        self.host_header = host_header
        self.connect_timeout_s = settings["connect_timeout_s"]
        self.response_timeout_s = settings["response_timeout_s"]
        self.counters = _Counters()
        self.pool = _Pool(settings["max_idle"])
        self.clients: set[_Client] = set()
        self.backends: set[_Backend] = set()
        self.idle_timeout_s = settings["idle_timeout_s"]
        self.connecting: set[asyncio.Task] = set()

    def connect(self, exchange: _Exchange) -> None:
        task = self.loop.create_task(self._connect(exchange))
        self.connecting.add(task)
        task.add_done_callback(self.connecting.discard)

    async def _connect(self, exchange: _Exchange) -> None:
        try:
            connecting = self.loop.create_connection(lambda: _Backend(self), self.host, self.port)
            _, backend = await asyncio.wait_for(connecting, self.connect_timeout_s)
        except OSError as exc:  # refused, unreachable, timed out (TimeoutError is an OSError)
            if not exchange.done:
                exchange.connect_failed(exc.strerror or type(exc).__name__)
            return
        except Exception:
            self.internal_error("a backend connection")
            if not exchange.done:
                exchange.fail("connect", 502, "bad_gateway", "internal error")
            return
        self.counters.backend_connections_opened += 1
        if exchange.done:  # the client left meanwhile: the connection serves the next one
            self.pool.put(backend)
            return
        try:
            exchange.attach(backend, reused=False)
        except Exception:
            self.internal_error("sending a request")
            exchange.fail("reset", 502, "bad_gateway", "internal error")

    def sweep(self) -> None:
        """Closes client connections silent for ``idle_timeout_s`` between requests (or inside a
        head: a client that never finishes one), so that idle clients cannot hold every fd.
        Every few seconds rather than a timer per request: a read costs one clock call."""
        limit = self.loop.time() - self.idle_timeout_s
        for client in list(self.clients):
            if client.exchange is None and client.tunnel is None and client.last_read < limit:
                self.counters.client_idle_closed += 1
                client.transport.close()
        self.loop.call_later(min(_SWEEP_S, self.idle_timeout_s / 2), self.sweep)

    def internal_error(self, what: str) -> None:
        self.counters.internal_errors += 1
        log.exception("breaker proxy: internal error on %s; that connection is dropped", what)

    def close_all(self) -> list[asyncio.Task]:
        """Drops every connection; returns the connection attempts, cancelled, to be awaited."""
        tasks = list(self.connecting)
        for task in tasks:
            task.cancel()
        self.pool.close()
        for client in list(self.clients):
            client.transport.abort()
        for backend in list(self.backends):
            backend.transport.abort()
        return tasks


# -- the public face ---------------------------------------------------------------------------


def _new_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def _parse_listen(listen: str) -> tuple[str, int]:
    host, sep, port_text = listen.rpartition(":")
    try:
        port = int(port_text)
    except ValueError:
        raise ValueError(f"listen {listen!r}: {port_text!r} is not a port") from None
    if not sep or not 0 <= port <= 65535:
        raise ValueError(f"listen {listen!r}: expected host:port")
    return host.strip("[]") or "0.0.0.0", port


def _parse_backend(backend: str) -> tuple[str, int, bytes]:
    """(host, port, Host header) of ``http://host:port``."""
    parts = urlsplit(backend)
    if parts.scheme != "http":
        raise ValueError(f"backend {backend!r}: only http:// backends are supported")
    if not parts.hostname:
        raise ValueError(f"backend {backend!r}: no host")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"backend {backend!r}: a path is not supported (requests keep their own)")
    port = parts.port or 80  # .port raises ValueError on a bad one
    return parts.hostname, port, parts.netloc.encode("idna")


def _bind(listen: str, host: str, port: int) -> socket.socket:
    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        sock = socket.socket(family, socket.SOCK_STREAM)
    except OSError as exc:
        raise OSError(exc.errno, f"cannot listen on {listen}: {exc.strerror or exc}") from exc
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(1024)
        sock.setblocking(False)
    except OSError as exc:
        sock.close()
        raise OSError(exc.errno, f"cannot listen on {listen}: {exc.strerror or exc}") from exc
    return sock


class BreakerProxy:
    """The reverse proxy, serving on its own event loop thread from :meth:`start` to :meth:`stop`.

    Args:
        listen: ``host:port`` to serve on (IPv4 or IPv6, ``[::1]:8080``; port 0: any free port,
            see :attr:`port`).
        backend: ``http://host:port`` of the one backend.
        gate: Decides each request and learns its outcome (called on the loop thread).
        connect_timeout_s: A backend connection not made in this time: 502.
        idle_timeout_s: A client connection with no request under way that sends nothing for this
            long is closed (nginx's keepalive_timeout is 75 s).
        response_timeout_s: No response byte for this long after the request was sent: 504
            (during a body: the client connection closes).
        max_idle: Idle backend connections kept for reuse.

    Raises:
        ValueError: ``listen`` or ``backend`` is malformed (or not http://).
    """

    def __init__(
        self,
        listen: str,
        backend: str,
        gate: Gate,
        *,
        connect_timeout_s: float = 2.0,
        response_timeout_s: float = 30.0,
        max_idle: int = 64,
        idle_timeout_s: float = 75.0,
    ) -> None:
        self.listen = listen
        self.backend = backend
        self._listen_at = _parse_listen(listen)
        self._backend_at = _parse_backend(backend)
        self._gate = gate
        self._settings = {
            "connect_timeout_s": connect_timeout_s,
            "response_timeout_s": response_timeout_s,
            "max_idle": max_idle,
            "idle_timeout_s": idle_timeout_s,
        }
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._core: _Core | None = None
        self._port: int | None = None

    @property
    def port(self) -> int | None:
        """The bound port (the real one with port 0), or None before :meth:`start`."""
        return self._port

    def stats(self) -> dict[str, int]:
        """The counters since start: requests, refusals, failures by kind, connections."""
        core = self._core
        if core is None:
            return dict.fromkeys(_COUNTERS, 0)
        return {name: getattr(core.counters, name) for name in _COUNTERS}

    def start(self) -> None:
        """Binds and serves on a daemon thread; returns once listening.

        Raises:
            OSError: The address cannot be bound; the message names it.
        """
        if self._thread is not None:
            return
        sock = _bind(self.listen, *self._listen_at)
        self._port = sock.getsockname()[1]
        loop = _new_loop()
        host, port, host_header = self._backend_at
        self._core = _Core(loop, self._gate, host, port, host_header, self._settings)
        ready = threading.Event()
        failed: list[BaseException] = []
        self._loop = loop
        self._thread = threading.Thread(
            target=self._serve, args=(sock, ready, failed), name=f"breaker-proxy:{self._port}", daemon=True
        )
        self._thread.start()
        ready.wait()
        if failed:
            self._thread.join()
            self._thread = self._loop = None
            raise failed[0]

    def _serve(self, sock: socket.socket, ready: threading.Event, failed: list) -> None:
        loop, core = self._loop, self._core
        asyncio.set_event_loop(loop)
        try:
            server = loop.run_until_complete(loop.create_server(lambda: _Client(core), sock=sock, backlog=1024))
        except BaseException as exc:
            failed.append(exc)
            sock.close()
            loop.close()
            ready.set()
            return
        ready.set()
        loop.call_later(min(_SWEEP_S, core.idle_timeout_s / 2), core.sweep)
        try:
            loop.run_forever()
        finally:
            server.close()
            tasks = core.close_all()
            # The connection_lost callbacks of the aborted transports, and the cancelled connects.
            loop.run_until_complete(asyncio.gather(asyncio.sleep(0), *tasks, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()

    def stop(self, timeout_s: float = 5.0) -> bool:
        """Stops serving and drops every connection; False when the thread outlived the deadline.  Idempotent."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return True
        self._loop = self._thread = None
        try:
            loop.call_soon_threadsafe(loop.stop)
        except RuntimeError:  # already closed
            pass
        thread.join(max(0.0, timeout_s))
        return not thread.is_alive()

    def run_forever(self) -> None:
        """Serves in the foreground until interrupted (Ctrl-C, SIGINT)."""
        self.start()
        thread = self._thread
        try:
            thread.join()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()
