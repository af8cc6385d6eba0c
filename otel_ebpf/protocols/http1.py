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
from otel_ebpf.protocols.http1_stream import _RESYNC, _UNFRAMED, LOST_EVENT, Http1Stats, Http1Stream

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
# Role members as plain names: reading Role.SERVER costs 40 ns (an enum class attribute) against
# 15 ns for a global (development VM), and the hot path compares roles per message.
_UNKNOWN = Role.UNKNOWN
_SERVER = Role.SERVER
_CLIENT = Role.CLIENT
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

    __slots__ = (
        "role",
        "is_http",
        "stats",
        "max_pending",
        "other_behind",
        "turn",
        "_out",
        "_in",
        "_pending",
        "_pairs",
        "seen_http",
        "_pipelined",
        "_abandoned",
        "_requests_lost",
        "_responses_lost",
        "_responses_lost_ts",
        "_gap_ts",
        "_skip_responses",
        "_accounted",
        "_response_turn",
        "_stopped",
        "switched",
    )

    def __init__(
        self, role: Role, body_limit: int = 1024, max_pending: int = 64, stats: Http1Stats | None = None
    ) -> None:
        self.role = role
        self.stats = stats if stats is not None else Http1Stats()
        self.max_pending = max_pending
        self.is_http = True
        unknown = role == _UNKNOWN
        self._out = Http1Stream(self, None if unknown else role == _CLIENT, body_limit, self.stats, unknown)
        self._in = Http1Stream(self, None if unknown else role == _SERVER, body_limit, self.stats, unknown)
        self._pending: deque[Http1Message] = deque()
        self._pairs: list[Http1Pair] = []
        self.seen_http = False  # a valid head was seen: later errors are parse errors, not "not HTTP"
        # Gaps (see "Gaps in a connection's stream" in docs/decisions.md).  Set by the receiver
        # before each chunk: the other direction has moved bytes that have not reached us yet.
        self.other_behind = False
        self._pipelined = False  # a request came while another was unanswered, with no response unseen
        self._abandoned: str | None = None  # pairing given up after a gap (the reason): responses are counted
        self._requests_lost: str | None = None  # requests were lost since the last pair (the reason)
        self._responses_lost: str | None = None  # responses were lost since the last pair (the reason)
        self._responses_lost_ts = 0  # ... noticed at this kernel time
        self._gap_ts = 0  # kernel time of the chunk being read (when a gap shows up in it)
        self._skip_responses = 0  # responses to requests dropped by pending_overflow, still to come
        # The kernel's phase of the chunk being read (0: unknown), set by the receiver like
        # other_behind.  A phase is a run of bytes in one direction: without pipelining, the
        # request of phase n is answered in phase n + 1.
        self.turn = 0
        # A queued request carries the phases its first and last bytes came in (first_turn,
        # last_turn: the last is the first until it is complete, a server may answer before it
        # has read the whole request).
        # The last request phase accounted for (paired or counted); None: not known yet.  A
        # connection the kernel saw open starts before phase 1.
        self._accounted: int | None = None if unknown else -1
        self._response_turn = 0  # the phase the response being read started in
        # The server is done with the requests of this connection (_last_answer): nothing more is
        # parsed as a request, answers that follow are counted, not paired.
        self._stopped = False
        # After a 101, the bytes of the protocol switched to that came in the 101's chunk, for the
        # receiver to hand over (an h2c upgrade): (outbound, captured bytes, how many bytes the
        # syscall moved after the 101 (-1: unknown, the 101's head was cut by the capture),
        # ts_enter, ts_exit of that syscall).  None until a 101.
        self.switched: tuple[bool, bytes, int, int, int] | None = None

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
        self._gap_ts = ts_enter
        stream = self._out if outbound else self._in
        n = len(data)
        try:
            if total_len == n:
                pos = stream.take_whole(data, n, ts_enter, ts_exit)  # the usual chunk, without feed
                if pos != n:
                    stream.feed(data, 0, ts_enter, ts_exit, pos)
                    if self.switched is not None:
                        self._switched_in(stream, data, total_len, ts_enter, ts_exit)
            else:
                stream.feed(data, total_len - n, ts_enter, ts_exit)
                if self.switched is not None:
                    self._switched_in(stream, data, total_len, ts_enter, ts_exit)
        except Exception:  # noqa: BLE001 - the last line of defence: never raise into the receiver
            self._internal_error()
        return pairs

    def on_gap(self, outbound: bool, lost: int, ts: int) -> list[Http1Pair]:
        """`lost` bytes of a direction moved without any event reaching us (-1: how many is unknown).

        Called before the chunk that revealed the gap (at kernel time `ts`) is given to on_data.
        """
        if not self.is_http:
            return []
        pairs = self._pairs = []
        self._gap_ts = ts
        try:
            (self._out if outbound else self._in).lost(lost, ts)
        except Exception:  # noqa: BLE001
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
            if self.role == _CLIENT:
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
            responses = self._in if self.role == _CLIENT else self._out
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
            responses = self._in if self.role == _CLIENT else self._out
            requests = self._out if responses is self._in else self._in
            partial = responses.finish(clean=True)
            requests.finish(clean=True)
            self._flush(partial, "timeout" if self.role == _CLIENT else "connection_reset")
        except Exception:  # noqa: BLE001
            self._internal_error()
        return pairs

    def resume_at(self, accounted: int) -> None:
        """Phases up to `accounted` are accounted for: the kernel shed their exchanges on purpose
        (it counted them), so a fresh connection resumes there without counting them lost."""
        self._accounted = accounted

    # ---- StreamOwner callbacks ----

    def request_method(self, stream: Http1Stream) -> str:
        pending = self._pending
        return pending[0].method if pending else ""

    def on_head(self, stream: Http1Stream, msg: Http1Message) -> None:
        self.seen_http = True
        outbound = stream is self._out
        if self.role == _UNKNOWN:
            # Request written or response read: the process is the client.
            role = _CLIENT if msg.is_request == outbound else _SERVER
            self.role = role
            self._out.want = role == _CLIENT
            self._in.want = role == _SERVER
        # A message starting in one direction ends a message with lost framing in the other.
        other = self._in if outbound else self._out
        if other.state == _RESYNC:
            other.end_resync()
        if not msg.is_request:
            self._response_turn = msg.first_turn  # the phase its first bytes came in
            return
        if self._abandoned:
            return  # its response, when it comes, is counted
        pending = self._pending
        if pending and not self.other_behind and not self._responses_lost:
            self._pipelined = True  # not explained by a response we have not seen: pipelining
        if len(pending) >= self.max_pending:
            pending.popleft()
            self.stats.pending_overflow += 1
            self.stats.drop_requests("pending_overflow")
            if self._pipelined:
                self._skip_responses += 1  # its response is still to come: it must not pair
        msg.last_turn = msg.first_turn  # until it ends (on_message)
        pending.append(msg)

    def on_whole(self, stream: Http1Stream, msg: Http1Message) -> bool:
        """on_head and on_message for a message whole in one chunk (Http1Stream.take_whole), when its
        head cannot change the streams or the queue's bounds: the role is known, the other
        direction is not resyncing, and a request is queued with room to spare."""
        if self.role == _UNKNOWN:
            return False
        other = self._in if stream is self._out else self._out
        if other.state == _RESYNC:
            return False
        if not msg.is_request:
            self.seen_http = True
            self._response_turn = msg.first_turn
            self.on_message(stream, msg)
            return True
        pending = self._pending
        if self._abandoned or len(pending) >= self.max_pending:
            return False
        self.seen_http = True
        if pending and not self.other_behind and not self._responses_lost:
            self._pipelined = True  # on_head's reasons
        # on_message's last_turn for a request still queued is the chunk's phase: first_turn (whole).
        msg.last_turn = msg.first_turn
        pending.append(msg)
        return True

    def on_message(self, stream: Http1Stream, msg: Http1Message) -> None:
        if msg.is_request:
            turn = self.turn
            if turn:
                pending = self._pending
                if pending and pending[-1] is msg:  # still queued (requests complete in order)
                    if msg.first_turn:
                        msg.last_turn = turn
                elif self._accounted is not None and turn > self._accounted and not (turn - self._accounted) & 1:
                    # Answered before it ended (a server that replies before reading the body): the
                    # phase of its last bytes belongs to that exchange, not to a request of its own.
                    self._accounted = turn
            return  # already queued when its head was parsed
        status = msg.status_code
        if status < 200 and status != 101:
            return  # interim (100 Continue, 103 Early Hints): the final response follows
        if self._stopped:
            self._answer_after_stop()
        else:
            # While the request stream is unframed (after a request of undeterminable length),
            # the answer is the server's decision on that request: decided apart from the phases,
            # which cannot count the bytes the server took as its body.
            role = self.role
            requests = self._in if role == _SERVER else self._out
            unframed = (
                requests.state == _UNFRAMED
                and not (self._pipelined or self._abandoned or self._skip_responses)
                and not self._answers_earlier(msg)
            )
            request = self._unframed_request() if unframed else self._request_for(msg)
            if request is not None:
                self._pairs.append((request, msg, None))
            ambiguous = unframed or (request is not None and request.framing_error != "")
            if ambiguous or (role == _SERVER and "close" in msg.headers.get("connection", "").lower() and _closes(msg)):
                self._last_answer(ambiguous, msg)
        if status == 101 or (msg.method == "CONNECT" and status < 300):
            # The bytes that follow belong to another protocol or a tunnel.
            self.stats.upgrades += 1
            if status == 101:
                # Nothing follows in its chunk unless on_data finds more (_switched_in).
                self.switched = (stream is self._out, b"", 0, msg.first_ts_enter, msg.last_ts_exit)
            self._stop()

    def on_head_error(self, stream: Http1Stream, err: Http1ParseError) -> None:
        stats = self.stats
        if isinstance(err, Http1LimitError):
            stats.parse_errors += 1
            self._stop()  # hostile, or not HTTP after all: give the connection up
            return
        if not self.seen_http:
            stats.non_http_connections += 1
            self._stop()
            return
        stats.parse_errors += 1
        stats.resyncs += 1  # the stream is already hunting for the next message
        if stream.want is False and self._pending and not self._abandoned:
            # The unparseable response answered the oldest request: drop that one so
            # the next response pairs with the right request.
            self._pending.popleft()
            stats.drop_requests("unparseable_response")
            if self.turn and self._accounted is not None and not self._pipelined:
                self._accounted = self.turn - 1  # that request's phase is accounted for

    def on_foreign(self, stream: Http1Stream) -> None:
        if not self.seen_http:
            self.stats.non_http_connections += 1
            self._stop()

    def on_lost_message(self, stream: Http1Stream, reason: str) -> None:
        """Messages of one direction were in bytes nobody saw; how many is unknown.

        Without pipelining the timestamps still pair with certainty (see _request_for); with
        it, which response answers which request is no longer knowable: pairing stops for the
        connection and each response still to come is counted as a dropped request.
        """
        if stream.want is None or self._abandoned:
            return
        if self._pipelined:
            self._abandoned = reason
            self.stats.abandoned_connections += 1
            # Not counted here: each of them is counted when its response shows up (after the
            # responses to requests pending_overflow dropped: _skip_responses, counted already).
            self._pending.clear()
        elif stream.want:
            self._requests_lost = reason
        else:
            self._responses_lost = reason
            self._responses_lost_ts = self._gap_ts

    # ---- internals ----

    def _switched_in(self, stream: Http1Stream, data: bytes, total_len: int, ts_enter: int, ts_exit: int) -> None:
        """A 101 ended in this chunk (of `total_len` bytes, `data` captured): keeps the bytes after
        it, the first of the protocol switched to (a server writes its first HTTP/2 frames with
        the 101, a client reads them with it), for the receiver (`switched`)."""
        at = stream.stopped_at
        if at < 0:
            # The 101's head was cut by the capture (read as ending with what was captured):
            # where the next protocol starts in the uncaptured bytes is unknown.
            self.switched = (stream is self._out, b"", -1, ts_enter, ts_exit)
        else:
            self.switched = (stream is self._out, data[at:], total_len - at, ts_enter, ts_exit)

    def _last_answer(self, ambiguous: bool, response: Http1Message) -> None:
        """Follows the server after an answer that may end the requests of the connection.

        After a request of undeterminable length (RFC 9112 §6.3, `ambiguous`) the request
        stream is unframed: an error answer or ``Connection: close`` means the server refused
        it (RFC 9112 requires it to close), so nothing that follows is a request; any other
        answer means the server took a framing we cannot see, and parsing resumes at the
        next syscall that starts with a request line.  A server that announced
        ``Connection: close`` processes nothing after it: requests already read (or read
        while it lingers before closing) are counted, never reported.  Once requests are
        stopped, later answers are counted as unmatched responses and request phases left
        unanswered at the end as unprocessed requests (see _answer_after_stop, _flush).
        """
        requests = self._requests_stream()
        if ambiguous and response.status_code < 400 and not _closes(response):
            requests.resume()  # counted as a resync
            return
        requests.stop_requests()
        self._stopped = True
        if self.turn:
            # Every request phase before this answer is accounted for: paired, or queued and
            # counted below; those after it are counted at the end (_flush).
            self._accounted = self.turn - 1
        if self.role == _SERVER and self._pending:
            self.stats.unprocessed_requests += len(self._pending)
            self._pending.clear()

    def _answers_earlier(self, response: Http1Message) -> bool:
        """The response started before the newest request (its events came late): it answers an
        earlier one, which the usual rules pair."""
        pending = self._pending
        if not pending:
            return False
        newest = pending[-1]
        if response.first_turn and newest.first_turn:
            return response.first_turn < newest.first_turn
        return response.first_ts_enter < newest.first_ts_enter

    def _unframed_request(self) -> Http1Message | None:
        """The request a final response answers while the request stream is unframed (without
        pipelining): the request of undeterminable length, the newest queued (nothing is parsed
        after it).  Older ones were answered by responses we lost (counted)."""
        pending = self._pending
        request = pending.pop() if pending and pending[-1].framing_error else None
        if pending:
            self.stats.drop_requests(self._responses_lost or LOST_EVENT, len(pending))
            pending.clear()
        if request is None:
            self.stats.unmatched_responses += 1  # it answers requests we could not parse
        self._requests_lost = self._responses_lost = None
        if self._response_turn:
            self._accounted = self._response_turn - 1  # phases resume counting after this answer
        return request

    def _answer_after_stop(self) -> None:
        """A final response after the server was done with the requests (_last_answer): it answers
        bytes deliberately not parsed (a lenient server, or the rest of a close answer): counted,
        and its request phase is accounted for, not counted as lost."""
        self.stats.unmatched_responses += 1
        if self._response_turn:
            self._accounted = self._response_turn - 1

    def _request_for(self, response: Http1Message) -> Http1Message | None:
        """The request a final response answers (removed from pending), or None (counted).

        Pipelined: the oldest, in order.  Otherwise the client waits for each response before
        it sends the next request, so the response answers the newest request that arrived
        before the response started; older ones were answered by responses we lost.  A response
        that started before any pending request answers one we lost.
        """
        pending = self._pending
        turn = self._response_turn
        if pending and turn and not (self._skip_responses or self._abandoned or self._pipelined):
            request = pending[0]
            if self._accounted == turn - 3 and request.first_turn < turn <= request.last_turn + 1:
                # The usual exchange: the oldest request is the one of the phase right before
                # the response's, and the phase before it was accounted: _request_by_phase's
                # result for it, without its calls.
                pending.popleft()
                self._accounted = turn - 1
                self._requests_lost = self._responses_lost = None
                return request
        stats = self.stats
        if self._skip_responses:
            self._skip_responses -= 1  # answers a request dropped by pending_overflow (counted)
            return None
        if self._abandoned:
            stats.drop_requests(self._abandoned)  # it answered a request we cannot name
            return None
        if self._pipelined:
            if pending:
                return pending.popleft()
            stats.unmatched_responses += 1
            return None
        phase = self._response_turn - 1 if self._response_turn else 0
        if phase > 0 and self._accounted is not None:
            skipped = phase - self._accounted - 2  # request phases in between, two apart
            if skipped >= 0 and not skipped & 1:
                return self._request_by_phase(phase)
            # Not two phases per exchange after all (100-continue, an answer before its request
            # ended, the kernel's count restarted): back to the timestamps, counting anew.
            self._accounted = None
        return self._request_by_time(response, phase)

    def _request_by_time(self, response: Http1Message, phase: int) -> Http1Message | None:
        """Without phases: the newest request that arrived before the response started."""
        stats = self.stats
        pending = self._pending
        started = response.first_ts_enter
        answered = 0
        for request in pending:
            if request.first_ts_enter > started:
                break
            answered += 1
        if not answered:
            if self._requests_lost:
                stats.drop_requests(self._requests_lost)
            else:
                stats.unmatched_responses += 1
            return None
        if answered > 1:
            for _ in range(answered - 1):
                pending.popleft()
            stats.drop_requests(self._responses_lost or LOST_EVENT, answered - 1)
        self._requests_lost = self._responses_lost = None
        request = pending.popleft()
        if phase > 0:
            self._accounted = phase  # from here on, exchanges can be counted by phase
        return request

    def _request_by_phase(self, phase: int) -> Http1Message | None:
        """The request of `phase` (the response's phase - 1), removed from pending, or None.

        Every request phase since the last one accounted is accounted now: each is one
        exchange (without pipelining), paired or counted as dropped, so that exchanges lost
        whole (request and response) are counted too.  A request read in several phases (its
        body after a ``100 Continue``) starts an exchange at its first phase: the phases up to
        its last are its own, not lost.
        """
        pending = self._pending
        accounted = self._accounted
        # Requests that ended before `phase` were answered in a phase we did not see (counted below).
        self._drop_ended_before(phase)
        self._accounted = phase
        if pending and pending[0].first_turn <= phase:
            request = pending.popleft()
            lost = (request.first_turn - accounted - 2) // 2  # request phases before its own
        else:
            request = None
            lost = (phase - accounted) // 2  # the request of this phase was not seen either
        if lost > 0:
            self.stats.drop_requests(self._lost_reason(), lost)
        self._requests_lost = self._responses_lost = None
        return request

    def _flush(self, partial: Http1Message | None, error_type: str) -> None:
        pending = self._pending
        pairs = self._pairs
        if (
            partial is not None
            and not partial.is_request
            and (partial.status_code >= 200 or partial.status_code == 101)
        ):
            if self._stopped:
                self._answer_after_stop()
            else:
                request = self._request_for(partial)
                if request is not None:
                    pairs.append((request, partial, error_type))
        unaccounted = bool(self.turn) and self._accounted is not None and self.turn > self._accounted
        if self._stopped:
            if unaccounted:
                # Request phases the server read after it was done with requests: never processed.
                self.stats.unprocessed_requests += (self.turn - self._accounted) // 2
        elif unaccounted and not self._pipelined:
            self._account_until_close()
        elif self._responses_lost and not self._pipelined:
            # Requests that came before responses were lost may have been answered in them:
            # no failure is reported for them, they are counted.
            lost = 0
            while pending and pending[0].first_ts_enter < self._responses_lost_ts:
                pending.popleft()
                lost += 1
            if lost:
                self.stats.drop_requests(self._responses_lost, lost)
        while pending:
            pairs.append((pending.popleft(), None, error_type))

    def _requests_stream(self) -> Http1Stream:
        """The direction that carries requests: in for a server, out for a client."""
        return self._in if self.role == _SERVER else self._out

    def _lost_reason(self) -> str:
        """Why exchanges whose phases passed unseen were lost: requests cut by the capture or
        responses lost first, else lost events."""
        return self._requests_lost or self._responses_lost or LOST_EVENT

    def _drop_ended_before(self, phase: int) -> None:
        """Forgets pending requests that ended before ``phase``: their answers came in phases we
        did not see, and the caller counts those phases."""
        pending = self._pending
        while pending and pending[0].last_turn < phase:
            pending.popleft()

    def _account_until_close(self) -> None:
        """At the end, the request phases since the last one accounted (up to the kernel's last
        phase): a request whose response phase came was answered in bytes we did not see, and a
        phase whose request we did not see was a request too; both are counted.  A request left
        in the last phase got no answer: it stays pending, reported as a failure."""
        pending = self._pending
        last = self.turn
        phase = self._accounted + 2
        lost = 0
        while phase <= last:
            self._drop_ended_before(phase)  # their phases were counted already
            mine = bool(pending) and pending[0].first_turn <= phase
            if mine and phase == last:
                break  # unanswered
            if mine:
                pending.popleft()
            lost += 1
            self._accounted = phase
            phase += 2
        if lost:
            self.stats.drop_requests(self._lost_reason(), lost)

    def _stop(self) -> None:
        self.is_http = False
        self._out.kill()
        self._in.kill()
        if self._pending:
            self.stats.drop_requests("parsing_stopped", len(self._pending))
            self._pending.clear()

    def _internal_error(self) -> None:
        self.stats.internal_errors += 1
        self._stop()


def _closes(msg: Http1Message) -> bool:
    """The message says ``Connection: close``."""
    value = msg.headers.get("connection")
    if value is None:
        return False
    if value == "close" or value == "keep-alive":  # what servers write: no lower(), no split
        return value == "close"
    value = value.lower()
    if "close" not in value:
        return False
    return any(token.strip() == "close" for token in value.split(","))


class _OneShot:
    """Stream owner for :func:`parse_message`: keeps the first message, raises on errors."""

    __slots__ = ("method", "message")
    turn = 0  # phases are not tracked

    def __init__(self, method: str) -> None:
        self.method = method
        self.message: Http1Message | None = None

    def request_method(self, stream: Http1Stream) -> str:
        return self.method

    def on_head(self, stream: Http1Stream, msg: Http1Message) -> None:
        pass

    def on_whole(self, stream: Http1Stream, msg: Http1Message) -> bool:
        return False

    def on_message(self, stream: Http1Stream, msg: Http1Message) -> None:
        self.message = msg
        stream.kill()  # one message only: ignore what follows

    def on_head_error(self, stream: Http1Stream, err: Http1ParseError) -> None:
        raise err

    def on_foreign(self, stream: Http1Stream) -> None:
        pass

    def on_lost_message(self, stream: Http1Stream, reason: str) -> None:
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
