"""HTTP/1.x on one connection: two incremental streams and FIFO request/response pairing.

The eBPF receiver hands every socket syscall of a connection to :meth:`Http1Connection.on_data`
(plus EOF, errors and close); the connection returns the request/response pairs that
became complete.  Framing lives in :mod:`.http1_stream`, head parsing in
:mod:`.http1_message`; this module decides what messages mean: which direction
carries requests, which response answers which request, when a connection stops
being HTTP (upgrades, tunnels, other protocols) and what a missing response means.

Nothing here raises to the caller: malformed input is counted in :class:`Http1Stats`
and skipped, and anything unexpected gives the connection up (counted as well).
"""

from __future__ import annotations

import errno as _errno
from collections import deque

from otel_ebpf.model import Role
from otel_ebpf.protocols.http1_message import (
    MAX_HEADER_BLOCK,
    MAX_HEADERS,
    MAX_START_LINE,
    Http1LimitError,
    Http1Message,
    Http1ParseError,
)
from otel_ebpf.protocols.http1_stream import Http1Stats, Http1Stream

__all__ = [
    "MAX_HEADER_BLOCK",
    "MAX_HEADERS",
    "MAX_START_LINE",
    "Http1Connection",
    "Http1LimitError",
    "Http1Message",
    "Http1Pair",
    "Http1ParseError",
    "Http1Stats",
    "parse_message",
]

Http1Pair = tuple[Http1Message, Http1Message | None, str | None]  # (request, response, error_type)

# Errnos that do not end a connection (non-blocking sockets, signals): ignored.
_TRANSIENT_ERRNOS = frozenset((0, _errno.EAGAIN, _errno.EWOULDBLOCK, _errno.EINTR, _errno.EINPROGRESS, _errno.EALREADY))
_RESET_ERRNOS = frozenset(
    (_errno.ECONNRESET, _errno.EPIPE, _errno.ECONNABORTED, _errno.ENETRESET, _errno.ENOTCONN, _errno.ESHUTDOWN)
)


def error_type_for_errno(code: int) -> str:
    """The `error.type` of an exchange cut by a failed socket call (low cardinality)."""
    if code == _errno.ETIMEDOUT:
        return "timeout"
    if code in _RESET_ERRNOS:
        return "connection_reset"
    if code == _errno.ECONNREFUSED:
        return "connection_refused"
    return _errno.errorcode.get(code, "_OTHER")


class Http1Connection:
    """Parses both directions of one connection and pairs requests with responses.

    Args:
        role: which side the observed process is on; UNKNOWN (a connection that
            existed before the agent started) is inferred from the first start line.
        body_limit: body bytes kept per message.
        max_pending: unanswered requests kept; beyond, the oldest is dropped (counted).
        stats: shared counters (a private set if None).

    `on_*` methods return the pairs that became complete, as
    `(request, response, error_type)`: a response with `error_type` None is a normal
    exchange; `(request, None, error_type)` is a request that got no response; a
    response *with* an error type had its head but its body was cut by the failure.
    """

    __slots__ = ("role", "is_http", "stats", "max_pending", "_out", "_in", "_pending", "_pairs", "_seen_http")

    def __init__(
        self, role: Role, body_limit: int = 1024, max_pending: int = 64, stats: Http1Stats | None = None
    ) -> None:
        self.role = role
        self.stats = stats if stats is not None else Http1Stats()
        self.max_pending = max_pending
        self.is_http = True
        unknown = role == Role.UNKNOWN
        self._out = Http1Stream(self, None if unknown else role == Role.CLIENT, body_limit, self.stats, unknown)
        self._in = Http1Stream(self, None if unknown else role == Role.SERVER, body_limit, self.stats, unknown)
        self._pending: deque[Http1Message] = deque()
        self._pairs: list[Http1Pair] = []
        self._seen_http = False  # a valid head was seen: later errors are parse errors, not "not HTTP"

    # ---- events from the kernel ----

    def on_data(self, outbound: bool, data: bytes, total_len: int, ts_enter: int, ts_exit: int) -> list[Http1Pair]:
        """One syscall moved `total_len` bytes, of which `data` is the captured prefix.

        Args:
            outbound: the observed process wrote the bytes.
            data: captured bytes (may be empty: sendfile, or nothing captured).
            total_len: bytes the syscall really moved (>= len(data)).
            ts_enter: kernel time the data moved (when sock_*_length fired, inside the syscall).
            ts_exit: kernel time the syscall returned.
        """
        if not self.is_http:
            return []
        pairs = self._pairs = []
        try:
            (self._out if outbound else self._in).feed(data, total_len - len(data), ts_enter, ts_exit)
        except Exception:  # noqa: BLE001 - the last line of defence: never raise into the receiver
            self._internal_error()
        return pairs

    def on_eof(self, ts: int) -> list[Http1Pair]:
        """A read returned 0: the peer closed its side.

        A close-delimited response completes.  A CLIENT's unanswered requests get
        "connection_reset".  A SERVER's are kept: the client may only have half-closed
        (shutdown(SHUT_WR)) and the server may still answer; close or an error settles them.
        """
        if not self.is_http:
            return []
        pairs = self._pairs = []
        try:
            partial = self._in.finish(clean=True)
            if self.role == Role.CLIENT:
                self._flush(partial, "connection_reset")
        except Exception:  # noqa: BLE001
            self._internal_error()
        return pairs

    def on_error(self, errno: int, ts: int) -> list[Http1Pair]:
        """A socket call failed with `errno` (its sign is ignored; EAGAIN/EINTR are not failures)."""
        if not self.is_http:
            return []
        code = -errno if errno < 0 else errno
        if code in _TRANSIENT_ERRNOS:
            return []
        pairs = self._pairs = []
        try:
            error_type = error_type_for_errno(code)
            responses = self._in if self.role == Role.CLIENT else self._out
            requests = self._out if responses is self._in else self._in
            partial = responses.finish(clean=False)
            requests.finish(clean=False)
            self._flush(partial, error_type)
        except Exception:  # noqa: BLE001
            self._internal_error()
        return pairs

    def on_close(self, ts: int) -> list[Http1Pair]:
        """The process closed the fd: flush everything.

        A close-delimited response completes normally.  Unanswered requests: a CLIENT
        closing while it waits gave up ("timeout"); a SERVER closing without answering
        dropped the exchange ("connection_reset").
        """
        if not self.is_http:
            return []
        pairs = self._pairs = []
        try:
            responses = self._in if self.role == Role.CLIENT else self._out
            requests = self._out if responses is self._in else self._in
            partial = responses.finish(clean=True)
            requests.finish(clean=True)
            self._flush(partial, "timeout" if self.role == Role.CLIENT else "connection_reset")
        except Exception:  # noqa: BLE001
            self._internal_error()
        return pairs

    # ---- StreamOwner callbacks ----

    def request_method(self, stream: Http1Stream) -> str:
        pending = self._pending
        return pending[0].method if pending else ""

    def on_head(self, stream: Http1Stream, msg: Http1Message) -> None:
        self._seen_http = True
        outbound = stream is self._out
        if self.role == Role.UNKNOWN:
            # Request written or response read: the process is the client.
            role = Role.CLIENT if msg.is_request == outbound else Role.SERVER
            self.role = role
            self._out.want = role == Role.CLIENT
            self._in.want = role == Role.SERVER
        # A message starting in one direction ends a message with lost framing in the other.
        (self._in if outbound else self._out).end_resync()
        if msg.is_request:
            pending = self._pending
            if len(pending) >= self.max_pending:
                pending.popleft()
                self.stats.pending_overflow += 1
            pending.append(msg)

    def on_message(self, stream: Http1Stream, msg: Http1Message) -> None:
        if msg.is_request:
            return  # already queued when its head was parsed
        status = msg.status_code
        if status < 200 and status != 101:
            return  # interim (100 Continue, 103 Early Hints): the final response follows
        pending = self._pending
        if pending:
            request = pending.popleft()
            self._pairs.append((request, msg, None))
            if request.framing_error or (self.role == Role.SERVER and _closes(msg)):
                self._last_answer(request, msg)
        else:
            self.stats.unmatched_responses += 1
        if status == 101 or (msg.method == "CONNECT" and status < 300):
            # The bytes that follow belong to another protocol or a tunnel.
            self.stats.upgrades += 1
            self._stop()

    def on_head_error(self, stream: Http1Stream, err: Http1ParseError) -> None:
        stats = self.stats
        if isinstance(err, Http1LimitError):
            stats.parse_errors += 1
            self._stop()  # hostile, or not HTTP after all: give the connection up
            return
        if not self._seen_http:
            stats.non_http_connections += 1
            self._stop()
            return
        stats.parse_errors += 1
        stats.resyncs += 1  # the stream is already hunting for the next message
        if stream.want is False and self._pending:
            # The unparseable response answered the oldest request: drop that one so
            # the next response pairs with the right request.
            self._pending.popleft()
            stats.dropped_requests += 1

    def on_foreign(self, stream: Http1Stream) -> None:
        if not self._seen_http:
            self.stats.non_http_connections += 1
            self._stop()

    def on_lost_message(self, stream: Http1Stream) -> None:
        if stream.want is False and self._pending:
            # An unseen response answered the oldest request: drop it, keep the order.
            self._pending.popleft()
            self.stats.dropped_requests += 1

    # ---- internals ----

    def _last_answer(self, request: Http1Message, response: Http1Message) -> None:
        """Follows the server after an answer that may end the requests of the connection.

        After a request of undeterminable length (RFC 9112 §6.3) the request stream is
        unframed: an error answer or ``Connection: close`` means the server refused it
        (RFC 9112 requires it to close), so nothing that follows is a request; any other
        answer means the server took a framing we cannot see, and parsing resumes at the
        next syscall that starts with a request line.  A server that announced
        ``Connection: close`` processes nothing after it: requests already read (or read
        while it lingers before closing) are counted, never reported.
        """
        requests = self._in if self.role == Role.SERVER else self._out
        if request.framing_error and response.status_code < 400 and not _closes(response):
            requests.resume()  # counted as a resync
            return
        requests.stop_requests()
        if self.role == Role.SERVER and self._pending:
            self.stats.unprocessed_requests += len(self._pending)
            self._pending.clear()

    def _flush(self, partial: Http1Message | None, error_type: str) -> None:
        pending = self._pending
        pairs = self._pairs
        if (
            partial is not None
            and not partial.is_request
            and (partial.status_code >= 200 or partial.status_code == 101)
        ):
            if pending:
                pairs.append((pending.popleft(), partial, error_type))
            else:
                self.stats.unmatched_responses += 1
        while pending:
            pairs.append((pending.popleft(), None, error_type))

    def _stop(self) -> None:
        self.is_http = False
        self._out.kill()
        self._in.kill()
        if self._pending:
            self.stats.dropped_requests += len(self._pending)
            self._pending.clear()

    def _internal_error(self) -> None:
        self.stats.internal_errors += 1
        self._stop()


def _closes(msg: Http1Message) -> bool:
    """The message says ``Connection: close``."""
    value = msg.headers.get("connection")
    if value is None or "close" not in value.lower():
        return False
    return any(token.strip() == "close" for token in value.lower().split(","))


class _OneShot:
    """Stream owner for :func:`parse_message`: keeps the first message, raises on errors."""

    __slots__ = ("method", "message")

    def __init__(self, method: str) -> None:
        self.method = method
        self.message: Http1Message | None = None

    def request_method(self, stream: Http1Stream) -> str:
        return self.method

    def on_head(self, stream: Http1Stream, msg: Http1Message) -> None:
        pass

    def on_message(self, stream: Http1Stream, msg: Http1Message) -> None:
        self.message = msg
        stream.kill()  # one message only: ignore what follows

    def on_head_error(self, stream: Http1Stream, err: Http1ParseError) -> None:
        raise err

    def on_foreign(self, stream: Http1Stream) -> None:
        pass

    def on_lost_message(self, stream: Http1Stream) -> None:
        pass


def parse_message(data: bytes, is_request: bool, body_limit: int = 1024, request_method: str = "") -> Http1Message:
    """Parses the first HTTP/1.x message in `data` (bytes after it are ignored).

    A body shorter than its framing announces is returned with `body_truncated`; a
    response without Content-Length or chunked framing takes the rest of `data`.

    Args:
        data: the message bytes.
        is_request: parse a request (True) or a response (False).
        body_limit: body bytes to keep.
        request_method: for a response, the method of its request (HEAD and CONNECT
            responses have no body).

    Raises:
        Http1ParseError: `data` does not start with a complete, valid HTTP/1.x head.
    """
    owner = _OneShot(request_method)
    stream = Http1Stream(owner, is_request, body_limit, Http1Stats(), raise_errors=True)
    try:
        stream.feed(data, 0, 0, 0)
        if owner.message is None:
            partial = stream.finish(clean=True)
            if owner.message is None:
                if partial is None:
                    raise Http1ParseError("incomplete header block")
                return partial
    except Http1ParseError:
        raise
    except Exception as exc:  # pragma: no cover - a bug; the contract is Http1ParseError only
        raise Http1ParseError(f"internal error: {exc!r}") from exc
    return owner.message
