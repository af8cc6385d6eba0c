"""The HTTP/2 decoder (otel_ebpf.protocols.http2 and its frames and HPACK modules).

Traffic is real: written by the ``h2`` library's client and server state machines (and, for
frames h2 never writes, such as padded HEADERS or tiny CONTINUATION fragments, by its frame
library ``hyperframe``); bytes typed by hand only for edge cases.  The decoder is fed what each
side wrote, as the kernel hands syscalls to the tracker: the client's writes outbound for a
CLIENT connection, inbound for a SERVER one.
"""

from __future__ import annotations

import errno
import os
import random
import struct

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.settings
import hpack
import pytest
from hpack.exceptions import HPACKDecodingError
from hpack.huffman import HuffmanEncoder
from hpack.huffman_constants import REQUEST_CODES, REQUEST_CODES_LENGTH
from hpack.huffman_table import decode_huffman
from hyperframe.frame import ContinuationFrame, HeadersFrame
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otel_ebpf.model import Role
from otel_ebpf.protocols import http2_frames as frames
from otel_ebpf.protocols.http1 import parse_message
from otel_ebpf.protocols.http2 import Http2Connection, Http2Stats, looks_like_http2
from otel_ebpf.protocols.http2_frames import PREFACE, Http2ProtocolError
from otel_ebpf.protocols.http2_hpack import HpackDecoder, Http2HpackError, huffman_decode


def _property(examples: int = 100) -> settings:
    """Hypothesis settings: deterministic runs (a failure reproduces), as the suite needs."""
    return settings(
        derandomize=True, deadline=None, max_examples=examples, suppress_health_check=[HealthCheck.too_slow]
    )


# ---- traffic ----


class Wire:
    """An h2 client and server talking through memory.  Every write is recorded in order as
    (written by the client, bytes); flow control is acknowledged as data arrives."""

    def __init__(self, server_first: bool = False) -> None:
        self.client = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding=None))
        self.server = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=False, header_encoding=None, validate_inbound_headers=False)
        )
        self.writes: list[tuple[bool, bytes]] = []
        self.client.initiate_connection()
        self.server.initiate_connection()
        if server_first:
            self.send_server()
        self.pump()

    def send_client(self) -> bytes:
        return self._send(True)

    def send_server(self) -> bytes:
        return self._send(False)

    def _send(self, by_client: bool) -> bytes:
        sender, receiver = (self.client, self.server) if by_client else (self.server, self.client)
        data = sender.data_to_send()
        if data:
            self.writes.append((by_client, data))
            for event in receiver.receive_data(data):
                if isinstance(event, h2.events.DataReceived) and event.flow_controlled_length:
                    receiver.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        return data

    def pump(self) -> None:
        while self.send_client() or self.send_server():
            pass

    def request(
        self,
        path: str,
        method: str = "POST",
        headers: list[tuple[str, str]] | tuple = (),
        body: bytes = b"",
        end: bool = True,
        authority: str = "svc:50051",
    ) -> int:
        sid = self.client.get_next_available_stream_id()
        fields = [(":method", method), (":scheme", "http"), (":path", path), (":authority", authority), *headers]
        self.client.send_headers(sid, fields, end_stream=end and not body)
        if body:
            self.client.send_data(sid, body, end_stream=end)
        return sid

    def respond(
        self,
        sid: int,
        status: int = 200,
        headers: list[tuple[str, str]] | tuple = (),
        body: bytes = b"",
        trailers: list[tuple[str, str]] | None = None,
    ) -> None:
        self.server.send_headers(sid, [(":status", str(status)), *headers], end_stream=not body and trailers is None)
        if body:
            self.server.send_data(sid, body, end_stream=trailers is None)
        if trailers is not None:
            self.server.send_headers(sid, trailers, end_stream=True)

    def call(self, path: str, body: bytes = b"{}", answer: bytes = b"ok", status: int = 200, **kw) -> int:
        """A unary exchange: the client's write, then the server's."""
        sid = self.request(path, body=body, **kw)
        self.send_client()
        self.respond(sid, status, [("content-type", "application/json")], answer)
        self.send_server()
        self.pump()
        return sid


def grpc(message: bytes) -> bytes:
    """A gRPC length-prefixed message (uncompressed)."""
    return b"\x00" + struct.pack(">I", len(message)) + message


GRPC_REQUEST = [("content-type", "application/grpc"), ("te", "trailers"), ("grpc-timeout", "4999915u")]
GRPC_RESPONSE = [("content-type", "application/grpc")]


def grpc_call(wire: Wire, path: str, message: bytes, answer: bytes, status: int = 0, note: str = "") -> int:
    sid = wire.request(path, headers=GRPC_REQUEST, body=grpc(message))
    wire.send_client()
    trailers = [("grpc-status", str(status))] + ([("grpc-message", note)] if note else [])
    wire.respond(sid, 200, GRPC_RESPONSE, grpc(answer) if status == 0 else b"", trailers)
    wire.send_server()
    wire.pump()
    return sid


def feed(conn: Http2Connection, writes, client_view: bool = True, start: int = 0) -> list:
    """Feeds recorded writes as syscalls (the client's outbound when we watch the client)."""
    pairs = []
    for i, (by_client, data) in enumerate(writes, start):
        pairs += conn.on_data(by_client == client_view, data, len(data), 1000 * i, 1000 * i + 10)
    return pairs


def observe(writes, role: Role = Role.CLIENT, client_view: bool | None = None, **kwargs):
    stats = Http2Stats()
    conn = Http2Connection(role, stats=stats, **kwargs)
    if client_view is None:
        client_view = role != Role.SERVER
    return feed(conn, writes, client_view), stats, conn


NOT_REPORTED = ("undecodable_messages", "lost_streams", "streams_overflow", "unseen_streams")


def not_reported(stats: Http2Stats) -> int:
    """Calls the decoder saw and did not report, each counted once (the counters summed)."""
    return sum(getattr(stats, name) for name in NOT_REPORTED)


def frame_headers(write: bytes) -> list[tuple[int, int, int]]:
    """(position, type, stream id) of each frame of a write (it starts at a frame boundary, or
    with the client preface)."""
    out, pos = [], len(PREFACE) if write.startswith(PREFACE) else 0
    while pos + 9 <= len(write):
        length, ftype, sid = struct.unpack_from(">I", write, pos)[0] >> 8, write[pos + 3], write[pos + 5 : pos + 9]
        out.append((pos, ftype, int.from_bytes(sid, "big") & 0x7FFFFFFF))
        pos += 9 + length
    return out


def summary(pair) -> tuple:
    """What a pair reports (the fields the tests compare)."""
    request, response, error = pair
    return (
        request.method,
        request.target,
        request.headers,
        request.body_size,
        None if response is None else response.status_code,
        None if response is None else response.headers,
        None if response is None else response.body_size,
        error,
    )


# ---- exchanges ----


@pytest.mark.parametrize(
    ("role", "client_view"),
    [(Role.CLIENT, True), (Role.SERVER, False), (Role.UNKNOWN, True), (Role.UNKNOWN, False)],
)
def test_unary_exchanges_from_either_side(role, client_view):
    wire = Wire()
    wire.call("/v1/items?id=7", body=b'{"id": 7}', answer=b'{"name": "bolt"}', headers=[("x-request-id", "r1")])
    sid = wire.request("/health", method="GET")
    wire.send_client()
    wire.respond(sid, 204)
    wire.send_server()
    pairs, stats, conn = observe(wire.writes, role, client_view)
    assert [summary(p) for p in pairs] == [
        ("POST", "/v1/items?id=7", {"x-request-id": "r1", "host": "svc:50051"}, 9, 200,
         {"content-type": "application/json"}, 16, None),
        ("GET", "/health", {"host": "svc:50051"}, 0, 204, {}, 0, None),
    ]  # fmt: skip
    request, response, _ = pairs[0]
    assert (request.version, response.version, response.method) == ("2", "2", "POST")
    assert (request.body, response.body) == (b'{"id": 7}', b'{"name": "bolt"}')
    assert not (request.body_truncated or response.body_truncated or request.headers_truncated)
    # Times: the request's HEADERS came in the write after the connection setup; the response's
    # END_STREAM in the next one.
    first = next(i for i, (c, d) in enumerate(wire.writes) if c and d[3] == frames.HEADERS)
    assert (request.first_ts_enter, request.first_ts_exit) == (1000 * first, 1000 * first + 10)
    assert response.last_ts_exit == 1000 * (first + 1) + 10
    assert conn.role == (Role.CLIENT if client_view else Role.SERVER)
    assert (stats.pairs, stats.streams, stats.bad_frames, stats.hpack_errors, stats.internal_errors) == (2, 2, 0, 0, 0)
    assert stats.midstream_connections == 0  # the preface was seen: decoded strictly


def test_server_writes_first():
    """A server that writes its SETTINGS before it reads the preface (Go's does)."""
    wire = Wire(server_first=True)
    assert not wire.writes[0][0]
    wire.call("/a")
    for role in (Role.SERVER, Role.CLIENT):
        pairs, stats, _ = observe(wire.writes, role)
        assert [(p[0].target, p[1].status_code) for p in pairs] == [("/a", 200)]
        assert stats.midstream_connections == 0 and stats.skipped_bytes == 0


def test_grpc_unary_trailers_are_merged_into_the_response_headers():
    wire = Wire()
    grpc_call(wire, "/helloworld.Greeter/SayHello", b"\n\x05world", b"\n\x0bHello world")
    grpc_call(wire, "/helloworld.Greeter/SayHello", b"\n\x03bad", b"", status=3, note="name too short")
    pairs, stats, _ = observe(wire.writes, Role.SERVER)
    (ok_request, ok, error), (_, failed, _) = pairs
    assert error is None and ok_request.headers["content-type"] == "application/grpc"
    assert ok_request.headers["grpc-timeout"] == "4999915u" and "te" in ok_request.headers
    assert ok_request.body == grpc(b"\n\x05world") and ok_request.body_size == 12
    assert ok.headers == {"content-type": "application/grpc", "grpc-status": "0"}
    assert ok.body == grpc(b"\n\x0bHello world") and ok.body_size == 18
    assert failed.headers == {"content-type": "application/grpc", "grpc-status": "3", "grpc-message": "name too short"}
    assert failed.body_size == 0 and stats.pairs == 2


def test_grpc_trailers_only_response():
    """An error answered with a single HEADERS frame (END_STREAM): :status and grpc-status together."""
    wire = Wire()
    sid = wire.request("/svc.Items/Get", headers=GRPC_REQUEST, body=grpc(b"x"))
    wire.send_client()
    wire.server.send_headers(
        sid, [(":status", "200"), ("content-type", "application/grpc"), ("grpc-status", "5")], end_stream=True
    )
    wire.send_server()
    ((request, response, error),), _, _ = observe(wire.writes)
    assert (request.target, response.status_code, error) == ("/svc.Items/Get", 200, None)
    assert response.headers["grpc-status"] == "5" and response.body_size == 0


def test_fifty_interleaved_streams():
    """Fifty requests in flight on one connection, answered in another order with their DATA
    frames interleaved across the server's writes: each pair is its own stream's."""
    wire = Wire()
    sids = {}
    for i in range(50):
        sids[wire.request(f"/items/{i}", headers=GRPC_REQUEST, body=grpc(b"q%d" % i))] = i
        if i % 7 == 6:
            wire.send_client()
    wire.send_client()
    order = list(sids)
    random.Random(5).shuffle(order)
    for sid in order:
        wire.server.send_headers(sid, [(":status", "200"), *GRPC_RESPONSE])
    wire.send_server()
    for part in range(3):  # each stream's answer in three DATA frames, streams interleaved
        for n, sid in enumerate(order):
            wire.server.send_data(sid, b"answer-%d-part%d;" % (sids[sid], part))
            if n % 11 == 10:
                wire.send_server()
    for sid in reversed(order):
        wire.server.send_headers(sid, [("grpc-status", str(sids[sid] % 4))], end_stream=True)
    wire.send_server()
    pairs, stats, _ = observe(wire.writes, Role.CLIENT)
    assert len(pairs) == 50 and stats.pairs == 50
    for request, response, error in pairs:
        i = int(request.target.rsplit("/", 1)[1])
        assert error is None and request.body == grpc(b"q%d" % i)
        assert response.body == b"".join(b"answer-%d-part%d;" % (i, part) for part in range(3))
        assert response.headers["grpc-status"] == str(i % 4)
    assert [int(p[0].target.rsplit("/", 1)[1]) for p in pairs] == [sids[sid] for sid in reversed(order)]


def test_server_streaming_is_one_pair():
    wire = Wire()
    sid = wire.request("/svc.Feed/Watch", headers=GRPC_REQUEST, body=grpc(b"topic"))
    wire.send_client()
    wire.server.send_headers(sid, [(":status", "200"), *GRPC_RESPONSE])
    sent = b""
    for i in range(300):
        message = grpc(b"event %03d " % i + b"." * 40)
        wire.server.send_data(sid, message)
        sent += message
        if i % 25 == 24:
            wire.send_server()
            wire.pump()
    wire.server.send_headers(sid, [("grpc-status", "0")], end_stream=True)
    wire.send_server()
    ((request, response, error),), stats, _ = observe(wire.writes, Role.CLIENT, body_limit=256)
    assert error is None and response.headers["grpc-status"] == "0"
    assert response.body_size == len(sent) and response.body == sent[:256] and response.body_truncated
    assert stats.pairs == 1 and stats.frames > 300


def test_client_streaming_response_before_request_end():
    """A response that ends before its request (the server answers a stream the client is still
    writing): the pair is made when the response ends."""
    wire = Wire()
    sid = wire.request("/svc.Upload/Put", headers=GRPC_REQUEST, body=grpc(b"chunk1"), end=False)
    wire.send_client()
    wire.respond(sid, 200, GRPC_RESPONSE, b"", [("grpc-status", "8")])
    wire.send_server()
    ((request, response, error),), _, _ = observe(wire.writes)
    assert (request.body_size, response.headers["grpc-status"], error) == (11, "8", None)


def test_rst_stream_reports_the_error_code():
    wire = Wire()
    cancelled = wire.request("/slow", headers=GRPC_REQUEST, body=grpc(b"a"))
    failed = wire.request("/broken")
    odd = wire.request("/odd")
    wire.send_client()
    wire.client.reset_stream(cancelled, h2.errors.ErrorCodes.CANCEL)
    wire.send_client()
    wire.server.send_headers(failed, [(":status", "200"), ("content-type", "text/plain")])
    wire.server.send_data(failed, b"partial")
    wire.server.reset_stream(failed, h2.errors.ErrorCodes.INTERNAL_ERROR)
    wire.server.reset_stream(odd, 0x77)  # not an RFC 9113 code
    wire.send_server()
    pairs, stats, _ = observe(wire.writes)
    assert [(p[0].target, p[1] and (p[1].status_code, p[1].body), p[2]) for p in pairs] == [
        ("/slow", None, "cancel"),
        ("/broken", (200, b"partial"), "internal_error"),
        ("/odd", None, "stream_reset"),
    ]
    assert stats.streams_reset == 3


def test_goaway_refuses_the_streams_it_did_not_process():
    wire = Wire()
    first = wire.request("/one")
    second = wire.request("/two")
    third = wire.request("/three")
    wire.send_client()
    wire.respond(first, 200, body=b"1")
    wire.server.close_connection(last_stream_id=first)
    wire.send_server()
    assert (second, third) == (3, 5)
    pairs, stats, _ = observe(wire.writes)
    assert [(p[0].target, p[1] and p[1].status_code, p[2]) for p in pairs] == [
        ("/one", 200, None),
        ("/two", None, "refused_stream"),
        ("/three", None, "refused_stream"),
    ]
    assert (stats.goaways, stats.streams_refused) == (1, 2)


def test_continuation_frames_from_a_big_header_block():
    """h2 splits a header block longer than the peer's frame size (16 kB) into HEADERS and
    CONTINUATION.  The header list is longer than what a message keeps: cut, counted."""
    wire = Wire()
    rng = random.Random(9)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/"
    big = [(f"x-big-{i}", "".join(rng.choice(alphabet) for _ in range(5000))) for i in range(6)]
    sid = wire.request("/big", method="GET", headers=big)
    wire.send_client()
    wire.respond(sid, 200, body=b"done")
    wire.send_server()
    client_bytes = b"".join(d for c, d in wire.writes if c)
    assert client_bytes.count(b"\x09\x04\x00\x00\x00\x01") == 1  # a CONTINUATION with END_HEADERS
    ((request, response, _),), stats, _ = observe(wire.writes)
    assert request.target == "/big" and response.status_code == 200 and response.body == b"done"
    assert request.headers_truncated and stats.truncated_header_blocks == 1 and stats.hpack_errors == 0
    assert 2 <= len(request.headers) < 6
    assert all(request.headers[name] == value for name, value in big if name in request.headers)


def test_continuation_fragments_split_anywhere():
    """A block in eight-byte fragments (HEADERS + CONTINUATIONs, hyperframe), padded HEADERS."""
    encoder = hpack.Encoder()
    fields = [(":method", "GET"), (":scheme", "https"), (":path", "/c"), (":authority", "h"), ("accept", "*/*")]
    block = encoder.encode(fields)
    head = HeadersFrame(1, data=block[:8], flags=["PADDED"], pad_length=5)
    frames_ = [head] + [ContinuationFrame(1, data=block[i : i + 8]) for i in range(8, len(block), 8)]
    frames_[-1].flags.add("END_HEADERS")
    frames_[0].flags.add("END_STREAM")
    client = PREFACE + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00" + b"".join(f.serialize() for f in frames_)
    response_block = hpack.Encoder().encode([(":status", "404")])
    answer = HeadersFrame(1, data=response_block, flags=["END_HEADERS", "END_STREAM", "PADDED"], pad_length=3)
    server = b"\x00\x00\x00\x04\x00\x00\x00\x00\x00" + answer.serialize()
    conn = Http2Connection(Role.CLIENT)
    assert conn.on_data(True, client, len(client), 1, 2) == []
    ((request, response, error),) = conn.on_data(False, server, len(server), 3, 4)
    assert (request.method, request.target, request.headers, response.status_code) == (
        "GET",
        "/c",
        {"accept": "*/*", "host": "h"},
        404,
    )


def test_padded_data():
    wire = Wire()
    sid = wire.request("/pad", end=False)
    wire.client.send_data(sid, b"padded body", end_stream=True, pad_length=20)
    wire.send_client()
    wire.server.send_headers(sid, [(":status", "200")])
    wire.server.send_data(sid, b"answer", end_stream=True, pad_length=255)
    wire.send_server()
    ((request, response, _),), stats, _ = observe(wire.writes)
    assert (request.body, request.body_size, response.body, response.body_size) == (b"padded body", 11, b"answer", 6)
    assert stats.bad_frames == 0


@pytest.mark.parametrize("size", [0, 256, 65536])
def test_header_table_size_setting(size):
    """The server changes SETTINGS_HEADER_TABLE_SIZE: the client's encoder announces its new table
    size in its next block; requests before and after decode."""
    wire = Wire()
    for i in range(3):
        wire.call(f"/before/{i}", headers=[("x-token", "t" * 40)])
    wire.server.update_settings({h2.settings.SettingCodes.HEADER_TABLE_SIZE: size})
    wire.send_server()
    wire.pump()
    for i in range(5):
        wire.call(f"/after/{i}", headers=[("x-token", "t" * 40)])
    pairs, stats, conn = observe(wire.writes)
    assert [p[0].target for p in pairs] == [f"/before/{i}" for i in range(3)] + [f"/after/{i}" for i in range(5)]
    assert all(p[0].headers["x-token"] == "t" * 40 for p in pairs)
    assert (stats.hpack_errors, stats.undecodable_fields, conn.is_http) == (0, 0, True)


def test_informational_responses_are_skipped():
    wire = Wire()
    sid = wire.request("/upload", headers=[("expect", "100-continue")], end=False)
    wire.send_client()
    wire.server.send_headers(sid, [(":status", "100")])
    wire.server.send_headers(sid, [(":status", "103"), ("link", "</style.css>; rel=preload")])
    wire.send_server()
    wire.client.send_data(sid, b"payload", end_stream=True)
    wire.send_client()
    wire.respond(sid, 201, [("location", "/upload/1")])
    wire.send_server()
    ((request, response, error),), _, _ = observe(wire.writes)
    assert (request.body, response.status_code, response.headers, error) == (
        b"payload",
        201,
        {"location": "/upload/1"},
        None,
    )


def test_push_promise_is_decoded_and_ignored():
    wire = Wire()
    sid = wire.request("/index.html", method="GET")
    wire.send_client()
    pushed = wire.server.get_next_available_stream_id()
    wire.server.push_stream(sid, pushed, [(":method", "GET"), (":scheme", "http"), (":path", "/app.js"),
                                          (":authority", "svc:50051"), ("x-pushed", "yes")])  # fmt: skip
    wire.respond(sid, 200, [("content-type", "text/html")], b"<html>")
    wire.respond(pushed, 200, [("content-type", "text/javascript")], b"js")
    wire.send_server()
    wire.pump()
    wire.call("/next", headers=[("x-pushed", "yes")])
    pairs, stats, _ = observe(wire.writes)
    assert [(p[0].target, p[1].status_code) for p in pairs] == [("/index.html", 200), ("/next", 200)]
    assert stats.push_promises == 1 and stats.hpack_errors == 0


def test_h2c_upgrade_seeds_stream_one():
    client = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    server = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
    settings_header = client.initiate_upgrade_connection()
    upgrade = (
        b"GET /first HTTP/1.1\r\nHost: web\r\nConnection: Upgrade, HTTP2-Settings\r\n"
        b"Upgrade: h2c\r\nHTTP2-Settings: " + settings_header + b"\r\n\r\n"
    )
    request = parse_message(upgrade, is_request=True)
    server.initiate_upgrade_connection(settings_header)
    server.send_headers(1, [(":status", "200")])
    server.send_data(1, b"first", end_stream=True)
    answer = server.data_to_send()
    client.receive_data(answer)
    preface = client.data_to_send()
    stats = Http2Stats()
    conn = Http2Connection(Role.CLIENT, stats=stats)
    conn.seed_upgrade(request)
    # The server's frames come first (the client reads them before it writes its preface).
    pairs = conn.on_data(False, answer, len(answer), 1, 2) + conn.on_data(True, preface, len(preface), 3, 4)
    assert stats.midstream_connections == 0 and stats.hpack_errors == 0
    ((seeded, response, error),) = pairs
    assert seeded is request and (response.status_code, response.body, response.version, error) == (
        200,
        b"first",
        "2",
        None,
    )


def test_h2c_upgrade_whose_first_server_frames_were_not_seen():
    """The 101's syscall also carried the server's first frames (its SETTINGS and stream 1's
    answer) but the capture cut the 101's head, so where they start is unknown: a gap of unknown
    size at the start of the server's direction.  Stream 1 may have lost frames: not reported,
    counted.  The client's side is decoded from its preface; the server's is found on its next
    frames and decoded tolerantly: an entry its unseen answer added is missing from later answers,
    never guessed."""
    client = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    server = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
    settings_header = client.initiate_upgrade_connection()
    upgrade = (
        b"GET /first HTTP/1.1\r\nHost: web\r\nConnection: Upgrade, HTTP2-Settings\r\n"
        b"Upgrade: h2c\r\nHTTP2-Settings: " + settings_header + b"\r\n\r\n"
    )
    server.initiate_upgrade_connection(settings_header)
    server.send_headers(1, [(":status", "200"), ("x-server", "h2-demo")])
    server.send_data(1, b"first", end_stream=True)
    client.receive_data(server.data_to_send())  # in the 101's syscall: not seen
    writes = [(True, client.data_to_send())]
    server.receive_data(writes[0][1])
    for i, path in enumerate(["/second", "/third"]):
        sid = 3 + 2 * i
        client.send_headers(sid, [(":method", "GET"), (":scheme", "http"), (":path", path), (":authority", "web")])
        client.end_stream(sid)
        writes.append((True, client.data_to_send()))
        server.receive_data(writes[-1][1])
        server.send_headers(sid, [(":status", "404"), ("x-server", "h2-demo")], end_stream=True)
        writes.append((False, server.data_to_send()))
        client.receive_data(writes[-1][1])
    stats = Http2Stats()
    conn = Http2Connection(Role.CLIENT, stats=stats)
    conn.seed_upgrade(parse_message(upgrade, is_request=True))
    assert conn.on_gap(False, -1, 500) == []
    pairs = feed(conn, writes)
    assert [(p[0].target, p[1].status_code, p[1].headers, p[1].headers_truncated) for p in pairs] == [
        ("/second", 404, {}, True),
        ("/third", 404, {}, True),
    ]
    assert conn.on_close(10_000) == []  # stream 1: tainted by the gap
    assert (conn.is_http, stats.hpack_errors, stats.undecodable_fields, stats.lost_streams) == (True, 0, 2, 1)


def test_a_gap_makes_that_directions_header_decoding_tolerant():
    """A fresh connection (decoded strictly) loses a server write: the entries its header block
    added are unknown afterwards; fields naming them are dropped, the connection is not given up."""
    wire = Wire()
    wire.call("/one", headers=[("x-a", "1")])
    sid = wire.request("/two")
    wire.send_client()
    wire.respond(sid, 200, [("x-server", "s1")], b"2")
    wire.send_server()
    lost = len(wire.writes) - 1
    wire.call("/three")
    sid = wire.request("/four")
    wire.send_client()
    wire.respond(sid, 200, [("x-server", "s1")], b"4")  # x-server s1: the lost block's entry
    wire.send_server()
    stats = Http2Stats()
    conn = Http2Connection(Role.CLIENT, stats=stats)
    pairs = feed(conn, wire.writes[:lost])
    pairs += conn.on_gap(False, len(wire.writes[lost][1]), 1)
    pairs += feed(conn, wire.writes[lost + 1 :])
    # Every response header of /three and /four names an entry added before the gap.
    assert [(p[0].target, p[1].headers, p[1].headers_truncated) for p in pairs] == [
        ("/one", {"content-type": "application/json"}, False),
        ("/three", {}, True),
        ("/four", {}, True),
    ]
    assert conn.on_close(9) == []  # /two, whose answer was in the gap: open, not reported
    assert conn.is_http and stats.hpack_errors == 0 and stats.lost_streams == 1
    assert stats.framing_lost == 1 and stats.resyncs == 1


def test_a_stream_whose_end_was_lost_is_counted_when_its_frames_may_have_been_lost():
    """A followed stream's answer is lost in a gap, and its end never comes: it is not reported
    and counted then (lost_streams), not when the connection closes, which may be never."""
    wire = Wire()
    sid = wire.request("/waits")
    wire.send_client()
    wire.respond(sid, 200, body=b"x")
    wire.send_server()
    stats = Http2Stats()
    conn = Http2Connection(Role.CLIENT, stats=stats)
    feed(conn, wire.writes[:-1])
    assert conn.on_gap(False, len(wire.writes[-1][1]), 5) == []
    assert stats.lost_streams == 1
    assert conn.on_close(6) == [] and stats.lost_streams == 1


def test_flushes_at_eof_error_and_close():
    def open_streams() -> Wire:
        wire = Wire()
        wire.request("/waiting")
        sid = wire.request("/half")
        wire.send_client()
        wire.server.send_headers(sid, [(":status", "200")])
        wire.send_server()
        return wire

    def outcome(pairs):
        return [(p[0].target, p[1] and p[1].status_code, p[2]) for p in pairs]

    wire = open_streams()
    for role, event, expected in [
        (Role.CLIENT, "eof", "connection_reset"),
        (Role.SERVER, "eof", None),
        (Role.CLIENT, "close", "timeout"),
        (Role.SERVER, "close", "connection_reset"),
        (Role.CLIENT, errno.ECONNRESET, "connection_reset"),
        (Role.SERVER, -errno.ETIMEDOUT, "timeout"),
        (Role.CLIENT, errno.EAGAIN, None),
    ]:
        pairs, _, conn = observe(wire.writes, role)
        assert pairs == []
        if event == "eof":
            pairs = conn.on_eof(9)
        elif event == "close":
            pairs = conn.on_close(9)
        else:
            pairs = conn.on_error(event, 9)
        if expected is None:
            assert pairs == []
        else:
            assert outcome(pairs) == [("/waiting", None, expected), ("/half", 200, expected)]
        after = conn.on_close(10)  # what is still open ends at close
        if expected is None:
            closed = "timeout" if role == Role.CLIENT else "connection_reset"
            assert outcome(after) == [("/waiting", None, closed), ("/half", 200, closed)]
        else:
            assert after == []


def test_max_streams_forgets_the_oldest():
    wire = Wire()
    sids = [wire.request(f"/s/{i}") for i in range(6)]
    wire.send_client()
    for sid in sids:
        wire.respond(sid, 200)
    wire.send_server()
    pairs, stats, _ = observe(wire.writes, max_streams=4)
    assert [p[0].target for p in pairs] == [f"/s/{i}" for i in range(2, 6)]
    assert stats.streams_overflow == 2 and stats.ignored_header_blocks == 2


def test_header_list_bound():
    wire = Wire()
    many = [(f"x-field-{i:03d}", "v" * 200) for i in range(120)]
    sid = wire.request("/many", headers=many)
    wire.send_client()
    wire.respond(sid, 200)
    wire.send_server()
    ((request, response, _),), stats, _ = observe(wire.writes)
    assert request.headers_truncated and stats.truncated_header_blocks == 1
    assert 50 < len(request.headers) < 100 and response.status_code == 200
    assert all(request.headers[name] == value for name, value in many if name in request.headers)


def test_a_strict_hpack_error_gives_the_connection_up():
    wire = Wire()
    wire.call("/fine")
    bad = b"\x00\x00\x02\x01\x05\x00\x00\x00\x03\xff\x7f"  # HEADERS naming dynamic index 254
    stats = Http2Stats()
    conn = Http2Connection(Role.CLIENT, stats=stats)
    assert len(feed(conn, wire.writes)) == 1
    assert conn.on_data(True, bad, len(bad), 1, 2) == []
    assert not conn.is_http and stats.hpack_errors == 1 and stats.given_up == 1
    assert conn.on_close(3) == [] and conn.on_gap(True, 5, 4) == []


def test_stats_as_dict_has_every_counter():
    stats = Http2Stats()
    counters = stats.as_dict()
    assert list(counters) == list(Http2Stats.__slots__) and set(counters.values()) == {0}
    Http2Connection(Role.CLIENT, stats=stats)
    assert stats.as_dict()["connections"] == 1


# ---- capture gaps ----


def test_uncaptured_bytes_inside_a_data_payload_keep_the_framing():
    wire = Wire()
    sid = wire.request("/upload", body=b"x" * 5000)
    wire.send_client()
    wire.respond(sid, 200, body=b"stored")
    wire.send_server()
    wire.call("/after")
    stats = Http2Stats()
    conn = Http2Connection(Role.CLIENT, stats=stats)
    pairs = []
    for i, (by_client, data) in enumerate(wire.writes):
        captured = data[:300] if len(data) > 4000 else data  # the capture limit cuts the upload
        pairs += conn.on_data(by_client, captured, len(data), i, i)
    (request, response, _), (after, _, _) = pairs
    assert request.body_size == 5000 and request.body_truncated and request.body == b"x" * len(request.body)
    assert 200 < len(request.body) < 300 and response.body == b"stored" and after.target == "/after"
    assert stats.framing_lost == 0 and stats.gap_bytes > 4700


def test_uncaptured_bytes_over_a_frame_header_lose_the_framing_until_a_later_syscall():
    wire = Wire()
    wire.call("/first")
    sid = wire.request("/lost-1", body=b"a" * 3000)
    other = wire.request("/lost-2", body=b"b" * 10)
    wire.send_client()  # one write: HEADERS, DATA, HEADERS, DATA
    wire.respond(sid, 200)
    wire.respond(other, 200)
    wire.send_server()
    for i in range(3):
        wire.call(f"/later/{i}")
    stats = Http2Stats()
    conn = Http2Connection(Role.CLIENT, stats=stats)
    pairs = []
    for i, (by_client, data) in enumerate(wire.writes):
        captured = data[:100] if len(data) > 3000 else data
        pairs += conn.on_data(by_client, captured, len(data), i, i)
    assert [p[0].target for p in pairs] == ["/first", "/later/0", "/later/1", "/later/2"]
    assert all(p[1].status_code == 200 and p[2] is None for p in pairs)
    assert (stats.framing_lost, stats.resyncs, stats.table_resets) == (1, 1, 1)
    assert stats.lost_streams == 1  # /lost-1: its stream may have lost frames


def test_on_gap_inside_a_frame_and_over_a_header():
    wire = Wire()
    sid = wire.request("/big", body=b"z" * 4000)
    wire.send_client()
    wire.respond(sid, 200)
    wire.send_server()
    writes = wire.writes
    big = next(i for i, (c, d) in enumerate(writes) if len(d) > 4000)
    head, data = writes[big][1][:200], writes[big][1]
    conn = Http2Connection(Role.CLIENT)
    pairs = feed(conn, writes[:big])
    pairs += conn.on_data(True, head, len(head), 1, 2)
    pairs += conn.on_gap(True, len(data) - 200, 3)  # the rest of the DATA frame
    pairs += feed(conn, writes[big + 1 :])
    assert [(p[0].body_size, p[1].status_code) for p in pairs] == [(4000, 200)]
    stats = Http2Stats()
    conn = Http2Connection(Role.CLIENT, stats=stats)
    feed(conn, writes[:big])
    assert conn.on_gap(True, -1, 3) == [] and stats.framing_lost == 1


# ---- joined mid-way ----


def _history() -> tuple[Wire, list[int], dict[str, tuple]]:
    """Twelve gRPC calls on one connection.  Returns the wire, the index of each call's first
    write, and the truth: path -> (request headers, response status, response headers, bodies)."""
    wire = Wire()
    marks = []
    truth = {}
    for i in range(12):
        marks.append(len(wire.writes))
        headers = [*GRPC_REQUEST, ("x-tenant", "acme"), ("x-call", str(i))]
        if i >= 6:
            headers.append(("x-late", "after-the-join"))  # first inserted at call 6: known then
        path = f"/svc.Items/Get{i}"
        sid = wire.request(path, headers=headers, body=grpc(b"q%d" % i))
        wire.send_client()
        trailers = [("grpc-status", str(i % 3))]
        wire.respond(sid, 200, GRPC_RESPONSE, grpc(b"a%d" % i), trailers)
        wire.send_server()
        wire.pump()
        request_headers = {name: value for name, value in headers} | {"host": "svc:50051"}
        truth[path] = (request_headers, 200, dict(GRPC_RESPONSE + trailers), 5 + len(b"q%d" % i), None, None)
    return wire, marks, truth


def _check_against(pairs, truth) -> None:
    """Nothing reported is wrong: every field present is the truth's.  truth: path -> (request
    headers, status (None: no response head), response headers, request body size, error
    type, response body size)."""
    for request, response, error in pairs:
        request_headers, status, response_headers, body_size, error_type, response_size = truth[request.target]
        assert (request.method, request.body_size) == ("POST", body_size)
        # A reset whose code the capture cut is a reset all the same: "stream_reset".
        assert error == error_type or (error_type is not None and error == "stream_reset")
        assert request.headers.items() <= request_headers.items()
        if status is None:
            assert response is None
        else:
            assert response.status_code == status and response.headers.items() <= response_headers.items()
            assert response_size is None or response.body_size == response_size


@pytest.mark.parametrize("role", [Role.CLIENT, Role.SERVER, Role.UNKNOWN])
def test_joined_mid_way_decodes_what_it_can_and_nothing_wrong(role):
    wire, marks, truth = _history()
    writes = wire.writes[marks[6] :]
    pairs, stats, conn = observe(writes, role, client_view=role != Role.SERVER)
    _check_against(pairs, truth)
    assert [p[0].target for p in pairs] == [f"/svc.Items/Get{i}" for i in range(6, 12)]
    assert conn.role == (Role.SERVER if role == Role.SERVER else Role.CLIENT)
    for request, response, _ in pairs:
        # Table entries from before the join: absent, and the message says fields are missing.
        assert "content-type" not in request.headers and "x-tenant" not in request.headers
        assert "host" not in request.headers and "x-call" not in request.headers
        assert request.headers_truncated and response.headers_truncated
        assert "grpc-status" not in response.headers  # its three values were all indexed before
    # x-late was first inserted after the join: known when call 6 inserts it and whenever the
    # later calls name it by its index (the indices of what we saw stay aligned).
    assert all(p[0].headers["x-late"] == "after-the-join" for p in pairs)
    assert stats.midstream_connections == 1 and stats.undecodable_fields > 30
    assert stats.hpack_errors == 0 and stats.internal_errors == 0


def test_joined_mid_way_at_every_offset_of_a_write():
    """The first syscalls seen start anywhere in a frame: whatever is reported is right, and the
    calls whose writes were whole are all reported."""
    wire, marks, truth = _history()
    start = marks[6]
    for cut in range(0, len(wire.writes[start][1])):
        writes = [(True, wire.writes[start][1][cut:])] + wire.writes[start + 1 :]
        pairs, stats, _ = observe(writes, Role.CLIENT)
        _check_against(pairs, truth)
        expected = [f"/svc.Items/Get{i}" for i in range(7, 12)]
        assert [p[0].target for p in pairs if p[0].target in expected] == expected
        assert stats.internal_errors == 0 and stats.hpack_errors == 0


def test_joined_mid_way_through_a_server_write():
    wire, marks, truth = _history()
    server_write = next(i for i in range(marks[5], marks[6]) if not wire.writes[i][0])
    for cut in range(0, len(wire.writes[server_write][1]), 3):
        writes = [(False, wire.writes[server_write][1][cut:])] + wire.writes[server_write + 1 :]
        pairs, _, conn = observe(writes, Role.SERVER)
        _check_against(pairs, truth)
        assert [p[0].target for p in pairs] == [f"/svc.Items/Get{i}" for i in range(6, 12)]


HISTORY = _history()


def _mixed_history() -> tuple[Wire, list[int], dict[str, tuple]]:
    """Calls of other shapes: bodies in several DATA frames, streams answered out of order and
    interleaved, a server stream, a cancelled call, a trailers-only answer."""
    wire = Wire()
    truth = {}
    for i in range(3):
        path = f"/rest/{i}"
        sid = wire.request(path, headers=[("x-i", str(i))], body=b"r" * 300, end=False)
        wire.client.send_data(sid, b"s" * 200, end_stream=True)
        wire.send_client()
        wire.respond(sid, 201, [("x-answer", str(i))], b"a" * (100 * i + 50))
        wire.send_server()
        wire.pump()
        truth[path] = ({"x-i": str(i), "host": "svc:50051"}, 201, {"x-answer": str(i)}, 500, None, 100 * i + 50)
    sids = {}
    for i in range(4):
        path = f"/svc.Mix/Call{i}"
        sids[wire.request(path, headers=GRPC_REQUEST, body=grpc(b"m%d" % i))] = i
        request_headers = dict(GRPC_REQUEST) | {"host": "svc:50051"}
        if i == 3:
            truth[path] = (request_headers, None, {}, 7, "cancel", None)
        elif i == 2:
            truth[path] = (request_headers, 200, {"grpc-status": "7", **dict(GRPC_RESPONSE)}, 7, None, 0)
        else:
            truth[path] = (request_headers, 200, {"grpc-status": "0", **dict(GRPC_RESPONSE)}, 7, None, 10 * 8)
    wire.send_client()
    cancelled, trailers_only = list(sids)[3], list(sids)[2]
    wire.client.reset_stream(cancelled, h2.errors.ErrorCodes.CANCEL)
    wire.send_client()
    wire.server.send_headers(trailers_only, [(":status", "200"), *GRPC_RESPONSE, ("grpc-status", "7")], end_stream=True)
    for sid in list(sids)[:2]:
        wire.server.send_headers(sid, [(":status", "200"), *GRPC_RESPONSE])
    wire.send_server()
    for part in range(10):
        for sid in list(sids)[:2]:
            wire.server.send_data(sid, grpc(b"pkt")[:8])
        if part % 3 == 2:
            wire.send_server()
    for sid in list(sids)[:2]:
        wire.server.send_headers(sid, [("grpc-status", "0")], end_stream=True)
    wire.send_server()
    wire.pump()
    return wire, [], truth


MIXED = _mixed_history()


def test_mixed_history_whole():
    wire, _, truth = MIXED
    pairs, stats, _ = observe(wire.writes)
    _check_against(pairs, truth)
    assert sorted(p[0].target for p in pairs) == sorted(truth)


@_property(300)
@given(st.data())
def test_whatever_is_lost_nothing_reported_is_wrong(data):
    """Joined at any byte, with syscalls cut by the capture, lost (counted or not) or split:
    every exchange reported is exactly what was exchanged, fields missing at most; and no call
    is reported or counted twice: at most one each for the streams whose frames were read."""
    wire, _, truth = data.draw(st.sampled_from([HISTORY, MIXED]), label="history")
    writes = wire.writes
    start = data.draw(st.integers(0, len(writes) - 1), label="start")
    role = data.draw(st.sampled_from([Role.CLIENT, Role.SERVER, Role.UNKNOWN]), label="role")
    client_view = role != Role.SERVER
    stats = Http2Stats()
    conn = Http2Connection(role, stats=stats)
    pairs = []
    read: set[int] = set()  # client streams with a frame header among the bytes given
    for i in range(start, len(writes)):
        by_client, chunk = writes[i]
        offset = data.draw(st.integers(0, len(chunk) - 1), label="offset") if i == start else 0
        chunk = chunk[offset:]
        outbound = by_client == client_view
        fate = data.draw(st.sampled_from(["whole"] * 5 + ["cut", "gap", "unknown gap", "split"]), label="fate")
        given = len(chunk)
        if fate == "whole":
            pairs += conn.on_data(outbound, chunk, len(chunk), i, i)
        elif fate == "cut":
            given = data.draw(st.integers(0, len(chunk)))
            pairs += conn.on_data(outbound, chunk[:given], len(chunk), i, i)
        elif fate == "gap":
            given = 0
            pairs += conn.on_gap(outbound, len(chunk), i)
        elif fate == "unknown gap":
            given = 0
            pairs += conn.on_gap(outbound, -1, i)
        else:
            k = data.draw(st.integers(0, len(chunk)))
            pairs += conn.on_data(outbound, chunk[:k], k, i, i)
            pairs += conn.on_data(outbound, chunk[k:], len(chunk) - k, i, i)
        read |= {sid for pos, _, sid in frame_headers(writes[i][1]) if sid & 1 and offset <= pos <= offset + given - 9}
    pairs += conn.on_close(len(writes))
    _check_against(pairs, truth)
    assert stats.internal_errors == 0 and stats.hpack_errors == 0
    assert len({p[0].target for p in pairs}) == len(pairs)  # one path a call in both histories
    assert len(pairs) + not_reported(stats) <= len(read), (len(pairs), stats.as_dict(), sorted(read))


def test_a_head_whose_path_is_a_table_entry_from_before_is_undecodable():
    wire = Wire()
    for _ in range(4):
        wire.call("/same/path")
    mark = len(wire.writes)
    for _ in range(3):
        wire.call("/same/path")
    wire.call("/new/path")
    pairs, stats, _ = observe(wire.writes[mark:])
    assert [p[0].target for p in pairs] == ["/new/path"]
    assert stats.undecodable_messages == 3


# ---- accounting: every call a pair or counted ----


def _in_flight(history: int = 4, calls: int = 8) -> tuple[Wire, int, int, list[int]]:
    """The e2e case of tests/test_grpc_e2e.py (a connection older than the agent): gRPC calls
    before the agent joins, one after it, then `calls` in flight whose requests the client writes
    at once (one syscall, about 70 bytes a call), answered one write each.  GetItem's path was
    indexed before the join (its heads undecodable then); ListItems' is new (decoded).  Returns
    the wire, the index of the first write after the join, of the client's write of the calls in
    flight, and the stream ids of the calls made after the join."""
    wire = Wire()
    for i in range(history):
        grpc_call(wire, "/demo.Inventory/GetItem", b"q%d" % i, b"a%d" % i)
    join = len(wire.writes)
    sids = [grpc_call(wire, "/demo.Inventory/GetItem", b"q", b"a")]  # the framing is found on it
    for i in range(calls):
        path = "/demo.Inventory/ListItems" if i % 2 else "/demo.Inventory/GetItem"
        trace = f"00-{i + 1:032x}-{i + 1:016x}-01"
        sids.append(wire.request(path, headers=[*GRPC_REQUEST, ("traceparent", trace)], body=grpc(b"m%d" % i)))
    wire.send_client()
    requests = len(wire.writes) - 1
    for i, sid in enumerate(sids[1:]):
        wire.respond(sid, 200, GRPC_RESPONSE, grpc(b"r%d" % i), [("grpc-status", "0")])
        wire.send_server()
    wire.pump()
    return wire, join, requests, sids


def _heads_past(data: bytes, captured: int) -> list[int]:
    """The stream ids of the HEADERS frames of a write whose frame header lies past its first
    `captured` bytes, wholly or in part: frames never read."""
    return [sid for pos, ftype, sid in frame_headers(data) if ftype == 1 and pos + 9 > captured]


@pytest.mark.parametrize(("role", "client_view"), [(Role.UNKNOWN, False), (Role.SERVER, False), (Role.CLIENT, True)])
def test_request_heads_past_the_capture_of_a_syscall_are_counted_from_their_answers(role, client_view):
    """Seen in tests/test_grpc_e2e.py: on a connection joined mid-way the kernel copies 1 KiB of a
    syscall, and the server reads the requests of 8 calls in flight at once (1.1-1.2 KiB there).
    The heads past the capture make no exchange, and nothing else counts their calls: their
    answers do (unseen_streams), once each (an answer has a head and trailers).  At every capture
    size, each call is a pair or counted, once."""
    wire, join, requests, sids = _in_flight()
    write = wire.writes[requests][1]  # 581 bytes: the capture is cut at every 7th byte of it
    for captured in range(0, len(write) + 1, 7):
        stats = Http2Stats()
        conn = Http2Connection(role, stats=stats)
        pairs = []
        for i, (by_client, data) in enumerate(wire.writes[join:], join):
            seen = data[:captured] if i == requests else data
            pairs += conn.on_data(by_client == client_view, seen, len(data), 1000 * i, 1000 * i + 10)
        pairs += conn.on_close(9**9)
        assert len(pairs) + not_reported(stats) == len(sids), (captured, len(pairs), stats.as_dict())
        # The heads whose frame header is past the capture were never read: counted from their answers.
        assert stats.unseen_streams == len(_heads_past(write, captured)), captured
        assert stats.internal_errors == stats.hpack_errors == 0
    assert stats.unseen_streams == 0 and len(pairs) == 4  # all captured: every ListItems call


def test_a_stream_opened_before_the_join_and_answered_after_is_counted():
    """A call in flight when the agent joins: its request head was never seen, its answer is (a
    call not reported: counted, unseen_streams); a call whose every frame came before is not."""
    wire = Wire()
    grpc_call(wire, "/svc.Items/Done", b"q", b"a")
    sid = wire.request("/svc.Items/Slow", headers=GRPC_REQUEST, body=grpc(b"q"))
    wire.send_client()
    join = len(wire.writes)
    wire.respond(sid, 200, GRPC_RESPONSE, grpc(b"a"), [("grpc-status", "0")])
    wire.send_server()
    wire.call("/after")
    wire.pump()
    for role, client_view in [(Role.CLIENT, True), (Role.SERVER, False), (Role.UNKNOWN, True)]:
        pairs, stats, conn = observe(wire.writes[join:], role, client_view)
        pairs += conn.on_close(9)
        assert [p[0].target for p in pairs] == ["/after"]
        assert stats.unseen_streams == 1 and not_reported(stats) == 1, (role, stats.as_dict())


# ---- looks_like_http2 ----


def test_looks_like_http2_for_prefaces_and_frames():
    wire = Wire()
    wire.call("/a")
    wire.call("/b")
    assert looks_like_http2(PREFACE) and looks_like_http2(PREFACE[:3]) and looks_like_http2(wire.writes[0][1])
    for _, data in wire.writes[2:]:  # mid-way: any write of the connection
        assert looks_like_http2(data)
    assert not looks_like_http2(b"") and not looks_like_http2(b"PR")


@pytest.mark.parametrize(
    "data",
    [
        b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        b"PUT /x HTTP/1.0\r\n\r\n",
        # TLS 1.2 ClientHello record header and start.
        bytes.fromhex("16030100c4010000c00303") + os.urandom(40),
        bytes.fromhex("1503030002022e"),  # TLS alert
        b"\x00\x00\x00\x08\x04\xd2\x16\x2f",  # PostgreSQL SSLRequest
        b"\x00\x00\x00\x2a\x00\x03\x00\x00user\x00app\x00database\x00app\x00\x00",  # PostgreSQL startup
        b"*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n",  # Redis RESP
        b'{"jsonrpc": "2.0", "method": "x", "id": 1}',
        b"\x4a\x00\x00\x00\x0a8.0.36\x00",  # MySQL server greeting
        b"\x3f\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\xd4\x07\x00\x00",  # MongoDB OP_QUERY header
        b"\x00" * 64,
        b"\xff" * 64,
    ],
)
def test_looks_like_http2_rejects_other_protocols(data):
    assert not looks_like_http2(data)


def _boundaries(write: bytes) -> set[int]:
    """The frame boundaries of a syscall that starts at one (a write)."""
    bounds, pos = set(), 0
    while pos + 9 <= len(write):
        bounds.add(pos)
        pos += 9 + int.from_bytes(write[pos : pos + 3], "big")
    return bounds | {pos}


def test_a_boundary_found_in_real_traffic_is_a_true_one():
    """Every syscall of real traffic, entered at every byte and ended at many: a boundary
    found is one (SETTINGS payloads and gRPC message prefixes, zeros and small numbers, hold
    plausible frame headers)."""
    found = 0
    writes = {data for _, data in TRAFFIC + HISTORY[0].writes + MIXED[0].writes if not data.startswith(PREFACE)}
    for write in writes:
        true = _boundaries(write)
        for cut in range(1, len(write) - 9):
            for end in range(len(write), cut + 9, -3 if len(write) < 200 else -97):
                offset = frames.find_frame_boundary(write[cut:end], end - cut)
                if offset >= 0:
                    assert cut + offset in true, (write.hex(), cut, end, offset)
                    found += 1
    assert found > 200  # and boundaries are found


def test_looks_like_http2_false_positive_rate_on_random_bytes():
    rng = random.Random(1234)
    samples = 20000
    hits = sum(looks_like_http2(rng.randbytes(rng.randrange(9, 300))) for _ in range(samples))
    assert hits / samples < 0.001


# ---- HPACK ----


def test_tolerant_hpack_keeps_the_indices_of_what_it_saw_aligned():
    encoder = hpack.Encoder()
    for i in range(5):  # before we join: entries we will never know
        encoder.encode([("x-old", f"o{i}"), ("x-keep", "k")])
    late = HpackDecoder(strict=False)
    block = encoder.encode([(":method", "GET"), ("x-old", "o9"), ("x-new", "n1")])  # x-old: name indexed
    assert late.decode(block) == [(b":method", b"GET"), (b"x-new", b"n1")] and late.unknown == 1
    block = encoder.encode([("x-new", "n1"), ("x-old", "o9"), ("x-keep", "k"), ("x-old", "o2")])
    # x-new n1 and x-old o9 are entries inserted since we joined (x-old's with an unknown name:
    # unknown whenever it is named); x-keep k and x-old o2 are entries from before.
    assert late.decode(block) == [(b"x-new", b"n1")] and late.unknown == 3
    with pytest.raises(Http2HpackError):
        HpackDecoder(strict=True).decode(block)


def test_hpack_decoder_matches_the_hpack_library():
    encoder = hpack.Encoder()
    ours, theirs = HpackDecoder(strict=True), hpack.Decoder()
    rng = random.Random(3)
    for i in range(300):
        fields = [(":status", str(rng.choice([200, 404, 503])))]
        fields += [(f"x-h{rng.randrange(20)}", "v" * rng.randrange(0, 300)) for _ in range(rng.randrange(8))]
        if i == 100:
            encoder.header_table_size = 512
        block = encoder.encode(fields)
        assert ours.decode(block) == [tuple(f) for f in theirs.decode(block, raw=True)]


def test_truncated_block_returns_the_fields_before_the_cut_and_resets_the_table():
    encoder = hpack.Encoder()
    block = encoder.encode([(":method", "GET"), (":path", "/long/path"), ("x-a", "b" * 50)])
    decoder = HpackDecoder(strict=True)
    assert decoder.decode(block[:-10], truncated=True) == [(b":method", b"GET"), (b":path", b"/long/path")]
    assert not decoder.strict and len(decoder.table.dynamic_entries) == 0


_huffman = HuffmanEncoder(REQUEST_CODES, REQUEST_CODES_LENGTH)


@_property()
@given(st.binary(max_size=80))
def test_huffman_decode_inverts_hpacks_encoder(text):
    assert huffman_decode(_huffman.encode(text)) == text


@_property()
@given(st.binary(min_size=1, max_size=12))
def test_huffman_decode_accepts_and_rejects_what_hpack_does(data):
    try:
        expected = decode_huffman(data)
    except HPACKDecodingError:
        expected = None
    try:
        got = huffman_decode(data)
    except Http2HpackError:
        got = None
    assert got == expected


@_property(300)
@given(st.binary(min_size=1, max_size=8), st.integers(1, 8))
def test_hpack_integers_decode_as_hpacks_do(data, prefix_bits):
    from hpack.hpack import decode_integer

    from otel_ebpf.protocols.http2_hpack import _integer

    data = bytes([data[0] | (0xFF >> (8 - prefix_bits))]) + data[1:]  # a prefix of all ones
    try:
        expected = decode_integer(data, prefix_bits)
    except HPACKDecodingError:
        expected = None
    try:
        value, end = _integer(data, 0, prefix_bits)
        got = (value, end)
    except (Http2HpackError, IndexError):
        got = None
    assert got == expected


# ---- properties ----


def _traffic() -> list[tuple[bool, bytes]]:
    wire = Wire()
    grpc_call(wire, "/svc.A/One", b"hello", b"world")
    wire.call("/rest/1?q=a", headers=[("x-id", "1")])
    grpc_call(wire, "/svc.A/One", b"again", b"", status=5, note="missing")
    sid = wire.request("/svc.A/Stream", headers=GRPC_REQUEST, body=grpc(b"s"))
    wire.send_client()
    wire.server.send_headers(sid, [(":status", "200"), *GRPC_RESPONSE])
    for i in range(6):
        wire.server.send_data(sid, grpc(b"item %d" % i))
        wire.send_server()
    wire.server.send_headers(sid, [("grpc-status", "0")], end_stream=True)
    wire.send_server()
    wire.call("/rest/2", body=b"b" * 700, answer=b"a" * 1500)
    return wire.writes


TRAFFIC = _traffic()
TRAFFIC_PAIRS = [summary(p) for p in observe(TRAFFIC)[0]]


@_property(150)
@given(st.data())
def test_any_split_of_the_syscalls_gives_the_same_pairs(data):
    writes = []
    for by_client, chunk in TRAFFIC:
        cuts = sorted(set(data.draw(st.lists(st.integers(1, max(1, len(chunk) - 1)), max_size=4))))
        bounds = [0, *[c for c in cuts if c < len(chunk)], len(chunk)]
        writes += [(by_client, chunk[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
    role = data.draw(st.sampled_from([Role.CLIENT, Role.SERVER]))
    pairs, stats, _ = observe(writes, role)
    assert [summary(p) for p in pairs] == TRAFFIC_PAIRS
    assert stats.internal_errors == 0 and stats.bad_frames == 0


def _operations():
    chunk = st.tuples(st.booleans(), st.binary(max_size=80), st.integers(0, 50))
    other = st.sampled_from(["eof", "close", "error", "gap", "unknown_gap"])
    return st.lists(st.one_of(chunk, other), max_size=25)


def _run(conn: Http2Connection, operations, rng_flag: bool = True) -> None:
    for i, op in enumerate(operations):
        if isinstance(op, tuple):
            outbound, data, extra = op
            result = conn.on_data(outbound, data, len(data) + extra, i, i)
        elif op == "eof":
            result = conn.on_eof(i)
        elif op == "close":
            result = conn.on_close(i)
        elif op == "error":
            result = conn.on_error(errno.ECONNRESET, i)
        elif op == "gap":
            result = conn.on_gap(i % 2 == 0, 7, i)
        else:
            result = conn.on_gap(i % 2 == 1, -1, i)
        assert isinstance(result, list)


@_property(300)
@given(st.sampled_from(list(Role)), _operations())
def test_arbitrary_bytes_never_escape_nor_break_the_decoder(role, operations):
    stats = Http2Stats()
    conn = Http2Connection(role, stats=stats)
    _run(conn, operations)
    assert looks_like_http2(b"".join(op[1] for op in operations if isinstance(op, tuple))) in (True, False)
    assert stats.internal_errors == 0


@_property(300)
@given(st.sampled_from([Role.CLIENT, Role.SERVER]), _operations())
def test_arbitrary_bytes_after_a_valid_preface(role, operations):
    stats = Http2Stats()
    conn = Http2Connection(role, stats=stats)
    preface = PREFACE + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00"
    conn.on_data(role == Role.CLIENT, preface, len(preface), 0, 0)
    _run(conn, operations)
    assert stats.internal_errors == 0


@_property(300)
@given(
    st.sampled_from(list(Role)),
    st.lists(st.tuples(st.integers(0, len(TRAFFIC) - 1), st.integers(0, 10**6), st.integers(0, 255)), max_size=6),
    st.integers(0, len(TRAFFIC) - 1),
)
def test_mutated_traffic_never_breaks_the_decoder(role, mutations, start):
    writes = [bytearray(data) for _, data in TRAFFIC]
    for index, position, value in mutations:
        if writes[index]:
            writes[index][position % len(writes[index])] = value
    stats = Http2Stats()
    conn = Http2Connection(role, stats=stats)
    feed(conn, [(TRAFFIC[i][0], bytes(w)) for i, w in enumerate(writes)][start:])
    conn.on_close(1)
    assert stats.internal_errors == 0


@_property(400)
@given(st.binary(max_size=120), st.integers(0, 130), st.integers(0, 130), st.integers(0, 1 << 24), st.integers(0, 255))
def test_frame_functions_raise_only_their_error(data, a, b, length, flags):
    start, stop = min(a, b), max(a, b)
    calls = [
        lambda: frames.parse_header(data, a),
        lambda: frames.plausible(length, flags % 12, flags, a << 24 | b),
        lambda: frames.structure_error(length, flags % 12, a << 24 | b),
        lambda: frames.chain_check(data, min(a, len(data)), len(data) + b),
        lambda: frames.find_frame_boundary(data, len(data) + b),
        lambda: frames.fragment(frames.HEADERS, flags, data, start, stop, length),
        lambda: frames.fragment(frames.PUSH_PROMISE, flags, data, start, stop, length),
        lambda: frames.data_bounds(flags, data, start, stop, length),
        lambda: frames.parse_settings(data),
        lambda: frames.parse_rst_stream(data),
        lambda: frames.parse_goaway(data),
        lambda: frames.error_name(length - 5),
        lambda: looks_like_http2(data),
    ]
    for call in calls:
        try:
            call()
        except Http2ProtocolError:
            pass


@_property(400)
@given(st.binary(max_size=200), st.booleans(), st.booleans())
def test_hpack_decoder_raises_only_its_error(block, strict, truncated):
    decoder = HpackDecoder(strict=strict)
    decoder.table.add(b"x-known", b"1")
    try:
        fields = decoder.decode(block, truncated)
    except Http2HpackError:
        assert not truncated
    else:
        assert all(type(name) is bytes and type(value) is bytes for name, value in fields)
    try:
        huffman_decode(block)
    except Http2HpackError:
        pass
