"""The connection tracker with HTTP/2: which parser a connection gets, and gRPC calls as exchanges.

Kernel events are made by tests/kernel_socket.py (a socket's positions and phases) from
real HTTP/2 traffic written by the ``h2`` library's state machines.
"""

from __future__ import annotations

import h2.config
import h2.connection
import h2.events

from otel_ebpf.model import HttpExchange, ProcessInfo, Role
from otel_ebpf.protocols.http1 import Http1Connection
from otel_ebpf.protocols.http2 import Http2Connection
from otel_ebpf.receivers.ebpf import events as ev
from otel_ebpf.receivers.ebpf.connections import SNIFF_EVENTS, ConnectionTracker
from tests.kernel_socket import KernelSocket

SERVER_PROCESS = ProcessInfo(77, "inventory", "python3", {"service.name": "inventory"})
GRPC_PATH = "/demo.Inventory/GetItem"


class Peers:
    """An HTTP/2 client and server talking through memory; what each writes is returned."""

    def __init__(self) -> None:
        self.client = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        self.server = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=False, validate_inbound_headers=False)
        )
        self.client.initiate_connection()
        self.server.initiate_connection()

    def request(self, path: str, grpc: bool = True, traceparent: str | None = None) -> tuple[int, bytes]:
        sid = self.client.get_next_available_stream_id()
        headers = [(":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "inventory:50051")]
        if grpc:
            headers += [("content-type", "application/grpc"), ("te", "trailers")]
        if traceparent:
            headers.append(("traceparent", traceparent))
        self.client.send_headers(sid, headers)
        self.client.send_data(sid, b"\x00\x00\x00\x00\x02{}", end_stream=True)
        data = self.client.data_to_send()
        self.server.receive_data(data)
        return sid, data

    def grpc_answer(self, sid: int, status: int, message: str = "") -> bytes:
        self.server.send_headers(sid, [(":status", "200"), ("content-type", "application/grpc")])
        if status == 0:
            self.server.send_data(sid, b"\x00\x00\x00\x00\x02ok")
        trailers = [("grpc-status", str(status))] + ([("grpc-message", message)] if message else [])
        self.server.send_headers(sid, trailers, end_stream=True)
        return self._answer()

    def http_answer(self, sid: int, status: int, body: bytes) -> bytes:
        self.server.send_headers(sid, [(":status", str(status)), ("content-type", "application/json")])
        self.server.send_data(sid, body, end_stream=True)
        return self._answer()

    def _answer(self) -> bytes:
        data = self.server.data_to_send()
        for event in self.client.receive_data(data):
            assert not isinstance(event, h2.events.ConnectionTerminated)
        self.client.data_to_send()  # acknowledgements: not part of what the test looks at
        return data


def tracked(events: list[bytes | None]) -> tuple[ConnectionTracker, list[HttpExchange]]:
    tracker = ConnectionTracker(lambda pid, comm: SERVER_PROCESS)
    out: list[HttpExchange] = []
    tracker.process([e for e in events if e is not None], out)
    return tracker, out


def test_a_grpc_server_connection_gets_the_http2_parser_and_its_calls_become_rpc_exchanges():
    peers, kernel = Peers(), KernelSocket()
    events = []
    statuses = [0, 5, 13, 0]
    for status in statuses:
        sid, request = peers.request(GRPC_PATH)
        events.append(kernel.data(ev.DIR_INBOUND, request))
        events.append(kernel.data(ev.DIR_OUTBOUND, peers.grpc_answer(sid, status, "no such item" if status else "")))
    tracker, out = tracked(events)
    (conn,) = tracker.connections.values()
    assert isinstance(conn.http, Http2Connection) and conn.sniff == 0
    assert [x.rpc_status for x in out] == statuses
    for x in out:
        assert (x.role, x.method, x.path, x.route, x.http_version) == (Role.SERVER, "POST", GRPC_PATH, GRPC_PATH, "2")
        assert (x.rpc_system, x.rpc_method, x.status_code) == ("grpc", "demo.Inventory/GetItem", 200)
        assert x.request_headers["host"] == "inventory:50051"
        assert x.start_time_ns < x.end_time_ns
    assert out[1].response_headers["grpc-message"] == "no such item"
    assert tracker.http2_stats.pairs == len(statuses) and tracker.http2_stats.midstream_connections == 0


def test_plain_http2_is_http_with_version_2_and_keeps_its_body_for_semantic_errors():
    peers, kernel = Peers(), KernelSocket()
    sid, request = peers.request("/v1/charges?id=7", grpc=False)
    body = b'{"success": false, "error": {"code": "card_declined"}}'
    events = [kernel.data(ev.DIR_INBOUND, request), kernel.data(ev.DIR_OUTBOUND, peers.http_answer(sid, 200, body))]
    _, (x,) = tracked(events)
    assert (x.path, x.query, x.status_code, x.http_version, x.rpc_system) == ("/v1/charges", "id=7", 200, "2", "")
    assert x.route is None  # resolved later by the routes, as for HTTP/1
    assert x.response_body == body and x.response_headers["content-type"] == "application/json"


def test_traceparent_metadata_joins_the_trace():
    peers, kernel = Peers(), KernelSocket()
    trace_id = "0af7651916cd43dd8448eb211c80319c"
    sid, request = peers.request(GRPC_PATH, traceparent=f"00-{trace_id}-b7ad6b7169203331-01")
    events = [kernel.data(ev.DIR_INBOUND, request), kernel.data(ev.DIR_OUTBOUND, peers.grpc_answer(sid, 0))]
    _, (x,) = tracked(events)
    assert x.trace_id.hex() == trace_id and x.parent_span_id.hex() == "b7ad6b7169203331"


def test_a_connection_joined_mid_way_is_decoded_from_its_next_frames():
    """The agent starts after ten GetItem calls: their bytes are never seen (positions start at 0
    then, as the kernel's do for a socket it meets late), and the HPACK tables hold what they
    indexed.  GetItem's request head is now all table references: undecodable, counted.  A method
    first called after the start is decoded (its content-type is a table reference: the call is
    known as gRPC by its path's shape).  Its status is not: the trailer's name, grpc-status, is a
    table entry from before, whatever its value (the encoder sends a new value with the indexed
    name): a call whose status is unknown, not reported, not guessed."""
    from otel_ebpf.telemetry.rpc import STATUS_UNDECODED

    peers = Peers()
    for _ in range(10):
        sid, _request = peers.request(GRPC_PATH)
        peers.grpc_answer(sid, 0)
    kernel = KernelSocket()
    events = []
    calls = [(GRPC_PATH, 0), ("/demo.Inventory/ListItems", 0), ("/demo.Inventory/ListItems", 5), (GRPC_PATH, 5)]
    for path, status in calls:
        sid, request = peers.request(path)
        events.append(kernel.data(ev.DIR_INBOUND, request))
        events.append(kernel.data(ev.DIR_OUTBOUND, peers.grpc_answer(sid, status)))
    tracker, out = tracked(events)
    (conn,) = tracker.connections.values()
    assert isinstance(conn.http, Http2Connection)
    stats = tracker.http2_stats
    assert stats.midstream_connections == 1
    assert [(x.path, x.rpc_status) for x in out] == [
        ("/demo.Inventory/ListItems", STATUS_UNDECODED),
        ("/demo.Inventory/ListItems", STATUS_UNDECODED),
    ]
    assert all(x.rpc_system == "grpc" and x.rpc_method == "demo.Inventory/ListItems" for x in out)
    assert stats.undecodable_messages == 2  # the two GetItem request heads
    assert stats.undecodable_fields > 0
    # The kernel is to be told (it saw no preface): its calls are then captured as HTTP/2's.
    assert tracker.found_http2 == [0xABC]


def test_on_a_connection_joined_mid_way_every_call_is_an_exchange_or_counted():
    """tests/test_grpc_e2e.py's older connection: the server reads the requests of 8 calls in
    flight in one syscall, of which the kernel copies only the start (1 KiB there: mid-way
    connections get ``capture_bytes``).  The heads wholly past it make no exchange; their answers
    tell they were calls (unseen_streams).  Each call is an exchange or counted, once."""
    peers = Peers()
    for _ in range(10):  # before the agent: GetItem's heads are table references afterwards
        sid, _request = peers.request(GRPC_PATH)
        peers.grpc_answer(sid, 0)
    kernel = KernelSocket()
    sid, request = peers.request(GRPC_PATH)
    events = [kernel.data(ev.DIR_INBOUND, request), kernel.data(ev.DIR_OUTBOUND, peers.grpc_answer(sid, 0))]
    batch = [peers.request("/demo.Inventory/ListItems" if i % 2 else GRPC_PATH) for i in range(8)]
    read = b"".join(request for _, request in batch)
    unseen = 3  # the last three requests are past the capture
    events.append(kernel.data(ev.DIR_INBOUND, read, captured=len(read) - sum(len(r) for _, r in batch[-unseen:])))
    for sid, _ in batch:
        events.append(kernel.data(ev.DIR_OUTBOUND, peers.grpc_answer(sid, 0)))
    sid, request = peers.request("/demo.Inventory/PutItem")  # a path first sent now: decoded
    events += [kernel.data(ev.DIR_INBOUND, request), kernel.data(ev.DIR_OUTBOUND, peers.grpc_answer(sid, 0))]
    tracker, out = tracked(events)
    stats = tracker.http2_stats
    assert [x.rpc_method for x in out] == ["demo.Inventory/PutItem"]
    # GetItem: the first call's head and the three of the batch read (undecodable); ListItems: the
    # two read, open when the capture missed bytes (lost); three past the capture (unseen).
    assert (stats.undecodable_messages, stats.lost_streams, stats.unseen_streams) == (1 + 3, 2, unseen)
    not_reported = stats.undecodable_messages + stats.lost_streams + stats.streams_overflow + stats.unseen_streams
    assert len(out) + not_reported == 1 + 8 + 1


def test_http1_connections_stop_being_sniffed_once_recognised():
    kernel = KernelSocket()
    events = []
    for i in range(3):
        events.append(kernel.data(ev.DIR_INBOUND, f"GET /r/{i} HTTP/1.1\r\nHost: x\r\n\r\n".encode()))
        events.append(kernel.data(ev.DIR_OUTBOUND, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
    tracker, out = tracked(events)
    (conn,) = tracker.connections.values()
    assert isinstance(conn.http, Http1Connection) and conn.sniff == 0
    assert [x.http_version for x in out] == ["1.1"] * 3
    assert tracker.http2_stats.connections == 0


def test_other_binary_protocols_are_not_taken_for_http2():
    """A Redis and a PostgreSQL conversation: sniffed SNIFF_EVENTS times at most, never HTTP/2."""
    for messages in (
        [b"*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n", b"$5\r\nvalue\r\n"] * 6,
        [b"\x00\x00\x00\x08\x04\xd2\x16\x2f", b"N", b"\x00\x00\x00\x2a\x00\x03\x00\x00user\x00app\x00\x00"] * 4,
    ):
        kernel = KernelSocket()
        events = [kernel.data(ev.DIR_INBOUND if i % 2 == 0 else ev.DIR_OUTBOUND, m) for i, m in enumerate(messages)]
        tracker, out = tracked(events)
        assert out == [] and tracker.http2_stats.connections == 0
        (conn,) = tracker.connections.values()
        assert not isinstance(conn.http, Http2Connection)
        assert conn.sniff == max(0, SNIFF_EVENTS - len(messages))


# -- h2c upgrade: HTTP/1.1 with Upgrade: h2c, 101, then HTTP/2 on the same connection ------------

SWITCHING = b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
SERVER_HEADERS = [("content-type", "text/html"), ("x-served-by", "h2-demo")]
# (path, status, body) of the streams after the upgrade request's (/first, 200, FIRST_BODY).
LATER = [("/second", 200, b"two"), ("/third", 404, b"not found"), ("/fourth", 200, b"four")]
FIRST_BODY = b"first answer " * 8


def h2c_upgrade() -> list[tuple[bool, bytes]]:
    """``curl --http2`` / ``nghttp -u`` against an h2c server, syscall by syscall: (written by the
    server, bytes).  The server writes the 101 and its first frames (SETTINGS, stream 1's answer)
    together.  Every later head references entries the first blocks added to the HPACK tables
    (x-served-by, x-client): they decode only if those blocks were read."""
    client = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    server = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
    settings = client.initiate_upgrade_connection()
    upgrade = (
        b"GET /first HTTP/1.1\r\nHost: web\r\nConnection: Upgrade, HTTP2-Settings\r\n"
        b"Upgrade: h2c\r\nHTTP2-Settings: " + settings + b"\r\n\r\n"
    )
    server.initiate_upgrade_connection(settings)
    server.send_headers(1, [(":status", "200"), *SERVER_HEADERS])
    server.send_data(1, FIRST_BODY, end_stream=True)
    answer = server.data_to_send()
    syscalls = [(False, upgrade), (True, SWITCHING + answer)]
    client.receive_data(answer)
    for path, status, body in LATER:
        sid = client.get_next_available_stream_id()
        head = [(":method", "GET"), (":scheme", "http"), (":path", path), (":authority", "web"), ("x-client", "c1")]
        client.send_headers(sid, head, end_stream=True)
        data = client.data_to_send()  # the first: the preface, SETTINGS and its ACK too
        server.receive_data(data)
        syscalls.append((False, data))
        server.send_headers(sid, [(":status", str(status)), *SERVER_HEADERS])
        server.send_data(sid, body, end_stream=True)
        data = server.data_to_send()
        client.receive_data(data)
        syscalls.append((True, data))
    return syscalls


def upgrade_events(syscalls, role: int, cut: dict[int, int] | None = None) -> list[bytes]:
    """The kernel events of `syscalls` on the `role` side's socket, then its close; `cut`
    {syscall index: bytes captured} makes the capture carry only a prefix of those syscalls."""
    kernel = KernelSocket(role)
    events = []
    for i, (by_server, data) in enumerate(syscalls):
        direction = ev.DIR_OUTBOUND if by_server == (role == ev.ROLE_SERVER) else ev.DIR_INBOUND
        if cut and i in cut:
            events.append(kernel.data(direction, data, captured=cut[i]))
        else:
            events.append(kernel.data(direction, data))
    events.append(kernel.close())
    return events


def split(syscalls, index: int, at: list[int]) -> list[tuple[bool, bytes]]:
    """The syscall `index` made several, in the same direction, at the offsets `at`."""
    by_server, data = syscalls[index]
    bounds = [0, *at, len(data)]
    pieces = [(by_server, data[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
    return [*syscalls[:index], *pieces, *syscalls[index + 1 :]]


H2_ANOMALIES = (
    "midstream_connections", "bad_frames", "framing_lost", "skipped_bytes", "gap_bytes", "hpack_errors",
    "table_resets", "undecodable_fields", "undecodable_messages", "bad_messages", "truncated_header_blocks",
    "lost_streams", "given_up", "internal_errors",
)  # fmt: skip


def exact(out: list[HttpExchange], tracker: ConnectionTracker, role: Role) -> None:
    """Every exchange of the upgraded connection, once, right: the upgrade request with stream 1's
    answer; nothing undecodable, lost or taken for a connection joined mid-way."""
    assert [(x.path, x.status_code, x.response_body, x.http_version) for x in out] == [
        ("/first", 200, FIRST_BODY, "2"),
        *((path, status, body, "2") for path, status, body in LATER),
    ]
    for x in out:
        assert x.role == role and x.method == "GET" and x.request_headers["host"] == "web"
        assert x.response_headers == dict(SERVER_HEADERS) and not x.response_body_truncated
        assert x.error_type is None and x.start_time_ns <= x.end_time_ns
    assert out[0].request_headers["upgrade"] == "h2c"  # the HTTP/1.1 request's own headers
    assert all(x.request_headers["x-client"] == "c1" for x in out[1:])
    stats = tracker.http2_stats
    assert (stats.connections, stats.streams, stats.pairs) == (1, 1 + len(LATER), 1 + len(LATER))
    assert {name: getattr(stats, name) for name in H2_ANOMALIES} == dict.fromkeys(H2_ANOMALIES, 0)
    assert tracker.http_stats.upgrades == 1 and tracker.http_stats.messages_parsed == 2


def test_h2c_upgrade_hands_the_bytes_after_the_101_to_http2_on_both_sides():
    """The 101 and the server's first frames in one syscall (its write, the client's read): the
    upgrade request is reported once, with stream 1's answer, as HTTP/2; the connection is decoded
    as one seen from its start."""
    for role, kind in ((ev.ROLE_SERVER, Role.SERVER), (ev.ROLE_CLIENT, Role.CLIENT)):
        tracker, out = tracked(upgrade_events(h2c_upgrade(), role))
        exact(out, tracker, kind)


def test_h2c_upgrade_split_anywhere_in_the_101s_syscall_gives_the_same_exchanges():
    """The 101's syscall cut in two at every offset (inside the 101's head, right after it, inside
    a frame header or payload), and cut into single bytes."""
    syscalls = h2c_upgrade()
    chunk = syscalls[1][1]
    for role, kind in ((ev.ROLE_SERVER, Role.SERVER), (ev.ROLE_CLIENT, Role.CLIENT)):
        for at in [[k] for k in range(1, len(chunk))] + [list(range(1, len(chunk)))]:
            tracker, out = tracked(upgrade_events(split(syscalls, 1, at), role))
            exact(out, tracker, kind)


def test_h2c_upgrade_whose_101_syscall_the_capture_cut_in_stream_ones_last_data_frame():
    """The capture carried the 101's syscall up to inside stream 1's last DATA frame (the rest of
    its payload, nothing after it): the frames are known, the body is cut, nothing is lost."""
    syscalls = h2c_upgrade()
    for role in (ev.ROLE_SERVER, ev.ROLE_CLIENT):
        tracker, out = tracked(upgrade_events(syscalls, role, cut={1: len(syscalls[1][1]) - 40}))
        first = out[0]
        assert (first.path, first.status_code, first.response_body_size) == ("/first", 200, len(FIRST_BODY))
        assert first.response_body == FIRST_BODY[:-40] and first.response_body_truncated
        assert [(x.path, x.status_code, x.response_body) for x in out[1:]] == LATER
        assert all(x.response_headers == dict(SERVER_HEADERS) for x in out)
        stats = tracker.http2_stats
        assert (stats.lost_streams, stats.framing_lost, stats.undecodable_fields, stats.gap_bytes) == (0, 0, 0, 40)


def test_h2c_upgrade_whose_first_frames_the_capture_lost_is_counted_never_guessed():
    """The capture ended the 101's syscall inside stream 1's HEADERS frame, or inside the 101's
    head (where the frames start is then unknown): stream 1 may have lost frames, it is counted,
    not reported; the server's direction is found again on its next frames, and the entries its
    lost block added (content-type, x-served-by) are unknown: dropped from the later answers,
    counted, never guessed.  The client's direction is intact: its heads are decoded whole."""
    syscalls = h2c_upgrade()
    chunk = syscalls[1][1]
    settings_frame = 9 + int.from_bytes(chunk[len(SWITCHING) : len(SWITCHING) + 3], "big")
    for captured in (len(SWITCHING) + settings_frame + 12, 40):
        for role in (ev.ROLE_SERVER, ev.ROLE_CLIENT):
            tracker, out = tracked(upgrade_events(syscalls, role, cut={1: captured}))
            assert [(x.path, x.status_code, x.response_body) for x in out] == LATER
            assert all(x.response_headers == {} and x.request_headers["x-client"] == "c1" for x in out)
            stats = tracker.http2_stats
            assert (stats.lost_streams, stats.undecodable_fields) == (1, 2 * len(LATER))


def test_an_upgrade_to_another_protocol_stays_the_101_exchange():
    """A websocket upgrade: the HTTP/1.1 exchange answered 101, nothing parsed after it."""
    kernel = KernelSocket()
    request = b"GET /ws HTTP/1.1\r\nHost: web\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
    switching = b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
    frame = b"\x81\x05hello"
    events = [kernel.data(ev.DIR_INBOUND, request), kernel.data(ev.DIR_OUTBOUND, switching + frame)]
    events.append(kernel.data(ev.DIR_INBOUND, frame))
    tracker, out = tracked(events)
    assert [(x.path, x.status_code, x.http_version) for x in out] == [("/ws", 101, "1.1")]
    (conn,) = tracker.connections.values()
    assert isinstance(conn.http, Http1Connection) and not conn.http.is_http and conn.http.switched is None
    assert tracker.http2_stats.connections == 0
