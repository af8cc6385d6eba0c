"""From kernel events to HTTP exchanges: one HTTP/1 or HTTP/2 parser per connection.

A connection is keyed by (pid, fd, struct sock address): the socket address tells
apart two connections that reuse the same fd number.  The tracker owns the
per-connection parsers, turns each completed request/response pair into an
`HttpExchange` with wall-clock times, addresses and the process's resource, and
bounds its own memory (idle connections are evicted and counted).

Which protocol: every connection starts with the HTTP/1 parser; its first data events
(:data:`SNIFF_EVENTS`, until HTTP/1 is recognised) are also looked at for HTTP/2: the client's
connection preface, or, on a connection older than the agent, a run of well-formed frames
(:func:`~otel_ebpf.protocols.http2.looks_like_http2`).  Then the connection's parser becomes an
:class:`~otel_ebpf.protocols.http2.Http2Connection`, for good.  So does a ``101`` that switches to ``h2c``
(:meth:`ConnectionTracker._upgraded`): the bytes after the 101 in its syscall are the HTTP/2
parser's first, and the upgrade request becomes stream 1's.  A gRPC call is an HTTP/2 exchange
whose request is ``application/grpc``: its ``rpc_*`` fields are set here (:func:`_grpc_call`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from otel_ebpf.kernel.procfs import lookup_socket
from otel_ebpf.kernel.records import EVENT_HEADER
from otel_ebpf.model import HttpExchange, ProcessInfo, Role
from otel_ebpf.protocols.http1 import Http1Connection, Http1Stats
from otel_ebpf.protocols.http2 import Http2Connection, Http2Stats, looks_like_http2
from otel_ebpf.protocols.traceparent import new_span_id, new_trace_id, random_bits
from otel_ebpf.receivers.ebpf import events as ev
from otel_ebpf.receivers.ebpf.trace_context import TraceContextAssigner
from otel_ebpf.telemetry.rpc import GRPC, STATUS_UNDECODED, grpc_status_of

HEADER = ev.HEADER
HEADER_SIZE = ev.HEADER_SIZE
_ROLES = {ev.ROLE_UNKNOWN: Role.UNKNOWN, ev.ROLE_SERVER: Role.SERVER, ev.ROLE_CLIENT: Role.CLIENT}
# Every event needs the members up to `flags`; the addresses and the thread's name only matter
# when a connection is first seen (_open).  Unpacking 18 values instead of 23: 0.19 µs against
# 0.23 µs an event (development VM).
_EVENT = EVENT_HEADER.only(
    "type", "direction", "role", "family", "pid", "tid", "fd", "sk", "ts_enter", "ts_exit", "ret",
    "stream_pos", "other_pos", "turn", "captured", "offset", "more", "flags",
)  # fmt: skip
_ENDPOINTS = EVENT_HEADER.only("local_port", "peer_port", "local_addr", "peer_addr", "comm")
_EVENT_DATA = ev.EVENT_DATA
_EVENT_DATA_MORE = ev.EVENT_DATA_MORE
_DIR_OUTBOUND = ev.DIR_OUTBOUND
_POS_VALID = ev.EVENT_POS_VALID
_POS_VALID_TLS = ev.EVENT_POS_VALID | ev.EVENT_TLS
_TLS = ev.EVENT_TLS
_CLIENT = Role.CLIENT
_new = object.__new__
_NAMES_MAX = 4096  # addresses and process names remembered by a tracker
# Data events of a new connection looked at for HTTP/2 before it is left to the HTTP/1 parser
# for good: the preface is in the first; a connection older than the agent may start mid-frame
# (a large DATA frame spans several events), the next ones start at frame boundaries mostly.
SNIFF_EVENTS = 8
# A gRPC method's path: /package.Service/Method (protobuf names; the package is not optional here,
# as this shape alone decides only when the content-type could not be decoded).
_GRPC_PATH = re.compile(r"/[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+/[A-Za-z_][A-Za-z0-9_]*")


class WallClock:
    """Converts bpf_ktime_get_ns() (CLOCK_MONOTONIC) to epoch nanoseconds.

    The offset is re-read every second so that clock adjustments (NTP) are followed.
    """

    def __init__(self) -> None:
        self.offset = 0  # epoch ns - monotonic ns: read directly on the hot path
        self._refreshed = 0.0
        self.refresh()

    def refresh(self) -> None:
        # Read the two clocks back to back; take the pair with the smallest gap.
        best = None
        for _ in range(3):
            m1 = time.monotonic_ns()
            w = time.time_ns()
            m2 = time.monotonic_ns()
            if best is None or m2 - m1 < best[0]:
                best = (m2 - m1, w - (m1 + m2) // 2)
        self.offset = best[1]
        self._refreshed = time.monotonic()

    def maybe_refresh(self) -> None:
        if time.monotonic() - self._refreshed > 1.0:
            self.refresh()

    def to_wall(self, monotonic_ns: int) -> int:
        return monotonic_ns + self.offset


class Connection:
    __slots__ = (
        "pid",
        "fd",
        "http",
        "process",
        "ignored",
        "local_address",
        "local_port",
        "peer_address",
        "peer_port",
        "last_seen",
        "sk",
        "destination",
        "next_pos",
        "scheme",
        "sniff",
    )

    def __init__(self, pid: int, fd: int, http: Http1Connection, sk: int = 0):
        self.pid = pid
        self.fd = fd
        self.sk = sk  # the kernel's struct sock * (HttpExchange.sk)
        self.http = http
        self.process: ProcessInfo | None = None
        self.ignored = False  # outside the configured port filter, or no receiver takes it
        self.destination: object = None  # what `select` chose: becomes the exchanges' source
        self.local_address = ""
        self.local_port = 0
        self.peer_address = ""
        self.peer_port = 0
        self.last_seen = 0
        # Where the next event of each direction (DIR_INBOUND, DIR_OUTBOUND) must start in the
        # socket's stream (the kernel's stream_pos); -1 until the first event with a position.
        self.next_pos = [-1, -1]
        self.scheme = "http"  # "https": its data events are TLS plaintext (EVENT_TLS)
        # Data events still to look at for HTTP/2 (see SNIFF_EVENTS); 0 once the protocol is known.
        self.sniff = SNIFF_EVENTS


class TrackerStats:
    __slots__ = (
        "events",
        "bad_events",
        "connections_opened",
        "connections_evicted",
        "connections_ignored",
        "exchanges",
        "address_lookups",
        "resyncs",
    )

    def __init__(self) -> None:
        self.events = 0
        self.bad_events = 0  # shorter than a header or inconsistent: counted, ignored
        self.connections_opened = 0
        self.connections_evicted = 0  # idle or over max_connections
        self.connections_ignored = 0  # no receiver's filter takes them: not parsed
        self.exchanges = 0
        self.address_lookups = 0
        self.resyncs = 0  # events after exchanges the kernel shed (EVENT_RESYNC): parsing restarted


class ConnectionTracker:
    def __init__(
        self,
        process_info: Callable[[int, str], ProcessInfo],
        body_limit: int = 1024,
        max_connections: int = 65536,
        idle_timeout_s: float = 300.0,
        clock: WallClock | None = None,
        ports: frozenset[int] = frozenset(),
        select: Callable[[int, str, int, int], object] | None = None,
    ):
        self._process_info = process_info
        self._body_limit = body_limit
        self._max_connections = max_connections
        self._idle_timeout_ns = int(idle_timeout_s * 1e9)
        self.clock = clock or WallClock()
        # The kernel applies the port filter only where it knows the addresses: again here.
        self._ports = ports
        # (pid, comm, local port, peer port) -> the destination of the connection's exchanges
        # (their `source`), or None to leave it unparsed: decided once per connection.
        self._select = select
        self.connections: dict[tuple[int, int, int], Connection] = {}
        self.http_stats = Http1Stats()
        self.http2_stats = Http2Stats()
        self.stats = TrackerStats()
        self.trace_context = TraceContextAssigner()
        # Sockets (struct sock *) found to be HTTP/2 from their frames, for the kernel to be told
        # (HttpCaptureProgram.mark_http2): taken and emptied by the receiver after each batch.
        self.found_http2: list[int] = []
        # (pid, fd, sk) -> a large read waiting for its EVENT_DATA_MORE pieces
        self._large_reads: dict[tuple[int, int, int], list] = {}
        # What a new connection's raw endpoints read as, remembered (bounded, _NAMES_MAX): a host's
        # connections share few addresses and process names, and a server that answers each request
        # on a new connection opens one per exchange.
        self._addresses: dict[tuple[int, bytes], str] = {}
        self._names: dict[bytes, str] = {}
        self._last_sweep = 0

    # ---- events ----

    def process(self, raw_events: list[bytes], out: list[HttpExchange]) -> None:
        """Decodes a batch of raw kernel events, appending completed exchanges to `out`."""
        unpack = _EVENT.unpack_from
        connections = self.connections
        large_reads = self._large_reads
        emit = self._emit
        # Large reads still incomplete from the previous batch: their pieces may be in this one.
        waiting_since_last_batch = list(large_reads) if large_reads else ()
        self.stats.events += len(raw_events)
        for raw in raw_events:
            if len(raw) < HEADER_SIZE:
                self.stats.bad_events += 1
                continue
            (
                etype, direction, role, family, pid, tid, fd, sk, ts_enter, ts_exit, ret,
                stream_pos, other_pos, turn, captured, offset, more, flags,
            ) = unpack(raw)  # fmt: skip
            key = (pid, fd, sk)
            if etype == _EVENT_DATA:
                conn = connections.get(key)
                if conn is None:
                    conn = self._open(key, role, family, raw)
                    if flags & _TLS:
                        conn.scheme = "https"
                payload = raw[HEADER_SIZE : HEADER_SIZE + captured]
                if conn.ignored:
                    if more:
                        large_reads[key] = [more, conn, tid, direction, bytearray(payload), ret, ts_enter, ts_exit]
                    else:
                        conn.last_seen = ts_exit
                    continue
                http = conn.http
                next_pos = conn.next_pos
                expected = next_pos[direction]
                if (flags == _POS_VALID or flags == _POS_VALID_TLS) and (
                    stream_pos == expected or (expected < 0 and stream_pos == 0)
                ):
                    # The usual event: right where the last one of its direction ended, or the first
                    # bytes of a direction (what _check_positions does when there is no gap, without
                    # the call).
                    http.turn = turn
                    next_pos[direction] = stream_pos + ret
                    other = next_pos[direction ^ 1]
                    http.other_behind = other_pos > other if other >= 0 else other_pos > 0
                else:
                    gap_pairs = self._check_positions(
                        conn, direction, flags, stream_pos, other_pos, turn, ret, ts_enter
                    )
                    for request, response, error_type in gap_pairs:
                        emit(conn, tid, request, response, error_type, ts_enter, out)
                    http = conn.http  # a resync (EVENT_RESYNC) starts the connection's parser afresh
                if more:
                    # The next pieces of this read follow right behind: join them first.
                    large_reads[key] = [more, conn, tid, direction, bytearray(payload), ret, ts_enter, ts_exit]
                    continue
                conn.last_seen = ts_exit
                if conn.sniff:
                    http = self._sniff(conn, payload)
                for request, response, error_type in http.on_data(
                    direction == _DIR_OUTBOUND, payload, ret, ts_enter, ts_exit
                ):
                    emit(conn, tid, request, response, error_type, ts_exit, out)
                continue
            if etype == _EVENT_DATA_MORE:
                pending = large_reads.get(key)
                if pending is None or offset != len(pending[4]):
                    self.stats.bad_events += 1  # a piece whose start was lost
                    continue
                pending[4] += raw[HEADER_SIZE : HEADER_SIZE + captured]
                pending[0] -= 1
                if pending[0] == 0:
                    del large_reads[key]
                    self._data(key, *pending[1:], out)
                continue
            conn = connections.get(key)
            if conn is None:
                continue  # EOF/error/close of a connection that never carried data here
            if flags & ev.EVENT_RESYNC:
                self._resync(conn, turn, -1, 0, 0)
            if etype == ev.EVENT_EOF:
                pairs = conn.http.on_eof(ts_exit)
            elif etype == ev.EVENT_ERROR:
                pairs = conn.http.on_error(-ret, ts_exit)
            elif etype == ev.EVENT_CLOSE:
                if turn:
                    conn.http.turn = turn
                pairs = conn.http.on_close(ts_exit)
                del connections[key]
            else:
                self.stats.bad_events += 1
                continue
            for request, response, error_type in pairs:
                emit(conn, tid, request, response, error_type, ts_exit, out)
        for key in waiting_since_last_batch:
            pending = large_reads.pop(key, None)
            if pending is not None:
                # Its remaining pieces never came (the ring buffer was full: counted in the kernel).
                self._data(key, *pending[1:], out)

    def _check_positions(self, conn, direction, flags, pos, other_pos, turn, ret, ts_enter) -> Sequence:
        """Tells the connection about bytes of its stream that no event carried (see "Gaps in a
        connection's stream" in docs/decisions.md), before it reads this event's data."""
        if flags & ev.EVENT_RESYNC:
            self._resync(conn, turn - 2, direction, pos, other_pos)
        http = conn.http
        http.turn = turn
        pairs = ()  # the common case: no gap, nothing to allocate
        next_pos = conn.next_pos
        expected = next_pos[direction]
        if not flags & ev.EVENT_POS_VALID:
            # Where this data starts is unknown (the kernel's positions map was full, or a stale
            # mark): a gap of unknown size unless it is the connection's first event.
            if expected >= 0:
                next_pos[direction] = -1
                pairs = http.on_gap(direction == ev.DIR_OUTBOUND, -1, ts_enter)
            http.other_behind = False
            return pairs
        if pos != expected and (expected >= 0 or pos > 0):
            # pos > expected: exactly that many bytes were moved without reaching us; pos < expected:
            # the kernel's count restarted (its entry was evicted): how much was lost is unknown.
            # A first event that does not start at 0 lost what came before it (positions count
            # from the agent's start, so only for a connection already open then is that wrong:
            # the first bytes seen are then a gap of unknown content, which costs nothing).
            lost = pos - max(expected, 0) if pos > expected else -1
            pairs = http.on_gap(direction == ev.DIR_OUTBOUND, lost, ts_enter)
        next_pos[direction] = pos + ret
        other = next_pos[direction ^ 1]
        # Bytes the other direction moved that have not reached us (in flight or lost).
        http.other_behind = other_pos > other if other >= 0 else other_pos > 0
        return pairs

    def _resync(self, conn: Connection, accounted: int, direction: int, pos: int, other_pos: int) -> None:
        """The kernel shed the exchanges before this event (it counted them; see docs/cost.md): the
        gap before it is intentional.  Parsing starts afresh here, phases up to `accounted` are
        accounted for, and a data event's positions are where the stream resumes (no gap).
        What the old parser still held (a partial message) belonged to shed exchanges."""
        self.stats.resyncs += 1
        old = conn.http
        if isinstance(old, Http1Connection):
            # (The kernel sheds HTTP/1 exchanges only: an HTTP/2 connection keeps its parser, whose
            # HPACK tables a fresh start would lose.)
            conn.http = Http1Connection(old.role, body_limit=self._body_limit, stats=self.http_stats)
            conn.http.resume_at(accounted)
        if direction >= 0:
            conn.next_pos[direction] = pos
            conn.next_pos[direction ^ 1] = other_pos

    def _data(self, key, conn, tid, direction, payload, ret, ts_enter, ts_exit, out) -> None:
        conn.last_seen = ts_exit
        if conn.ignored:
            return
        if conn.sniff:
            self._sniff(conn, payload)
        pairs = conn.http.on_data(direction == ev.DIR_OUTBOUND, bytes(payload), ret, ts_enter, ts_exit)
        for request, response, error_type in pairs:
            self._emit(conn, tid, request, response, error_type, ts_exit, out)

    def _sniff(self, conn: Connection, payload: bytes) -> Http1Connection | Http2Connection:
        """The parser for a young connection's next data: HTTP/2 from the first event that shows
        it, else the one it has; stops looking once HTTP/1 was recognised or after SNIFF_EVENTS."""
        http = conn.http
        if http.seen_http:
            conn.sniff = 0
            return http
        conn.sniff -= 1
        if not looks_like_http2(payload):
            return http
        conn.sniff = 0
        http = conn.http = Http2Connection(http.role, body_limit=self._body_limit, stats=self.http2_stats)
        self.found_http2.append(conn.sk)  # the kernel captures its calls as HTTP/2 from now on
        return http

    def _upgraded(self, conn: Connection, tid: int, request, response, out: list[HttpExchange]) -> bool:
        """A 101 ended an HTTP/1 exchange: True when it switched the connection to HTTP/2 (h2c), whose
        parser then goes on from the 101's end.

        The upgrade request is the request of stream 1 (RFC 7540 §3.2): its exchange is the one
        stream 1's response ends, reported as HTTP/2, not the 101.  The HTTP/1 parser kept the
        bytes that followed the 101 in its syscall (Http1Connection.switched: a server writes its
        first frames with it, a client reads them with it): they are the HTTP/2 parser's first,
        so the connection is decoded from its start (both HPACK tables known).  Another upgrade
        (websocket, ...) stays the HTTP/1.1 exchange answered 101; nothing after it is parsed.
        """
        http = conn.http
        if not isinstance(http, Http1Connection):
            return False
        switched = http.switched
        http.switched = None
        if not _switches_to_h2c(request, response):
            return False
        conn.sniff = 0
        h2 = conn.http = Http2Connection(http.role, body_limit=self._body_limit, stats=self.http2_stats)
        h2.seed_upgrade(request)
        if switched is not None:
            outbound, rest, total, ts_enter, ts_exit = switched
            if total < 0:
                pairs = h2.on_gap(outbound, -1, ts_enter)  # where the frames start is unknown
            elif total:
                pairs = h2.on_data(outbound, rest, total, ts_enter, ts_exit)
            else:
                pairs = ()
            for stream_request, stream_response, error_type in pairs:
                self._emit(conn, tid, stream_request, stream_response, error_type, ts_exit, out)
        return True

    def _open(self, key, role, family, raw) -> Connection:
        if len(self.connections) >= self._max_connections:
            # Evict the connection idle the longest; counted.
            oldest = min(self.connections, key=lambda k: self.connections[k].last_seen)
            del self.connections[oldest]
            self.stats.connections_evicted += 1
        pid, fd, sk = key
        lport, pport, laddr, paddr, comm = _ENDPOINTS.unpack_from(raw)
        http = Http1Connection(_ROLES.get(role, Role.UNKNOWN), body_limit=self._body_limit, stats=self.http_stats)
        conn = Connection(pid, fd, http, sk)
        name = self._names.get(comm)
        if name is None:
            name = self._remember(self._names, comm, comm.split(b"\0", 1)[0].decode(errors="replace"))
        if family:
            conn.local_address = self._address(family, laddr)
            conn.peer_address = self._address(family, paddr)
            conn.local_port = lport
            conn.peer_port = pport
        else:
            self.stats.address_lookups += 1
            found = lookup_socket(pid, fd)
            if found:
                conn.local_address, conn.local_port, conn.peer_address, conn.peer_port = found
            if self._ports and conn.local_port not in self._ports and conn.peer_port not in self._ports:
                conn.ignored = True
        if self._select is not None and not conn.ignored:
            conn.destination = self._select(pid, name, conn.local_port, conn.peer_port)
            if conn.destination is None:
                conn.ignored = True
                self.stats.connections_ignored += 1
        if not conn.ignored:
            # Resolved now, while the process most likely still exists (cached per pid); an
            # ignored connection never becomes an exchange, so its process is never read.
            conn.process = self._process_info(pid, name)
        self.connections[key] = conn
        self.stats.connections_opened += 1
        return conn

    def _address(self, family: int, raw: bytes) -> str:
        """ev.format_address, remembered."""
        text = self._addresses.get((family, raw))
        if text is None:
            text = self._remember(self._addresses, (family, raw), ev.format_address(family, raw))
        return text

    @staticmethod
    def _remember(memo: dict, key, value: str) -> str:
        if len(memo) >= _NAMES_MAX:
            memo.clear()
        memo[key] = value
        return value

    def _emit(self, conn: Connection, tid: int, request, response, error_type, now_mono: int, out) -> None:
        if response is not None and response.status_code == 101 and self._upgraded(conn, tid, request, response, out):
            return  # h2c: the exchange is stream 1's, reported when its HTTP/2 response ends
        # Every slot is set here once, instead of HttpExchange() setting its defaults and this
        # setting most of them again: 0.9 µs against 1.5 µs an exchange, trace ids included
        # (development VM).  tests/test_http1_fast_paths.py checks that no slot is left unset.
        x = _new(HttpExchange)
        role = conn.http.role
        x.role = role
        x.process = conn.process
        x.pid = conn.pid
        x.tid = tid
        start = request.first_ts_enter if role == _CLIENT else request.first_ts_exit
        end = response.last_ts_exit if response is not None else now_mono
        offset = self.clock.offset
        x.start_time_ns = start + offset
        x.end_time_ns = (end if end > start else start) + offset
        x.method = request.method
        target = request.target
        x.target = target
        if target[:1] == "/":
            path, _, query = target.partition("?")
            x.path = path
            x.query = query.partition("#")[0] if "#" in query else query
        elif "://" in target:  # absolute-form (requests to a proxy)
            parts = urlsplit(target)
            x.path = parts.path or "/"
            x.query = parts.query
        else:  # authority-form (CONNECT) or asterisk-form (OPTIONS *)
            x.path = target
            x.query = ""
        x.http_version = request.version
        headers = request.headers
        x.request_headers = headers
        x.request_body = request.body
        x.request_body_size = request.body_size
        x.rpc_system = ""
        x.rpc_method = ""
        x.rpc_status = None
        if response is not None:
            x.status_code = response.status_code
            x.response_headers = response.headers
            x.response_body = response.body
            x.response_body_size = response.body_size
            x.response_body_truncated = response.body_truncated
            x.error_type = error_type  # a response cut short by a reset or close
        else:
            x.status_code = None
            x.response_headers = {}
            x.response_body = b""
            x.response_body_size = 0
            x.response_body_truncated = False
            x.error_type = error_type or "connection_reset"
        x.local_address = conn.local_address
        x.local_port = conn.local_port
        x.peer_address = conn.peer_address
        x.peer_port = conn.peer_port
        x.scheme = conn.scheme
        x.sk = conn.sk
        x.parent_span_id = b""
        x.sampled = True
        x.route = None
        x.attributes = {}
        x.status_override = None
        x.status_message = ""
        x.keep = False
        x.source = conn.destination
        x.forks = None
        if x.http_version == "2":
            _grpc_call(x, request, response)
        self.stats.exchanges += 1
        if "traceparent" in headers:
            x.trace_id = x.span_id = b""
            self.trace_context.assign(x, now_mono, out)
            return
        # No context came with the request: a new trace (TraceContextAssigner.assign without a
        # header, without its calls).
        bits = random_bits(192)  # one draw for both ids
        trace_bits = bits >> 64
        span_bits = bits & 0xFFFF_FFFF_FFFF_FFFF
        x.trace_id = trace_bits.to_bytes(16, "big") if trace_bits else new_trace_id()
        x.span_id = span_bits.to_bytes(8, "big") if span_bits else new_span_id()
        out.append(x)

    def tick(self, now_mono: int, out: list[HttpExchange]) -> None:
        """Called every drain cycle. Once a second: release client spans whose parent never came,
        and evict idle connections."""
        if now_mono - self._last_sweep < 1_000_000_000:
            return
        self._last_sweep = now_mono
        self.clock.maybe_refresh()
        self.trace_context.release_expired(now_mono, out)
        idle_before = now_mono - self._idle_timeout_ns
        stale = [k for k, c in self.connections.items() if c.last_seen < idle_before]
        for key in stale:
            conn = self.connections.pop(key)
            for request, response, error_type in conn.http.on_close(now_mono):
                self._emit(conn, 0, request, response, error_type or "timeout", now_mono, out)
            self.stats.connections_evicted += 1

    def flush(self, out: list[HttpExchange]) -> None:
        """At shutdown: hand over client spans still waiting for their parent."""
        self.trace_context.release_expired(0, out, everything=True)


def _switches_to_h2c(request, response) -> bool:
    """The 101 switched to HTTP/2 over cleartext: its Upgrade header names ``h2c`` (the protocol
    switched to, RFC 9110 §7.8), or, when it has none, the request asked for ``h2c`` alone."""
    chosen = response.headers.get("upgrade")
    if chosen is None:
        chosen = request.headers.get("upgrade", "")
    return chosen.strip().lower() == "h2c"


def _grpc_call(x: HttpExchange, request, response) -> None:
    """Marks an HTTP/2 exchange that is a gRPC call (its request's content-type is
    ``application/grpc``, ``application/grpc+proto``, ...): its method is the path, which is also
    its route (one per service method, no templating needed), its status the ``grpc-status``
    (STATUS_UNDECODED when the answer's fields could not all be decoded and it is not among them)."""
    content_type = x.request_headers.get("content-type")
    if content_type is None:
        # Unknown on a connection joined mid-way (an HPACK table entry from before the agent):
        # then a POST to /package.Service/Method is taken for the call it is shaped as.
        if not (x.method == "POST" and _GRPC_PATH.fullmatch(x.target) and request.headers_truncated):
            return
    elif not content_type.startswith("application/grpc"):
        return
    x.rpc_system = GRPC
    x.rpc_method = x.path[1:]
    x.route = x.path
    status = grpc_status_of(x.response_headers)
    if status is None and response is not None and response.headers_truncated and x.error_type is None:
        status = STATUS_UNDECODED
    x.rpc_status = status
