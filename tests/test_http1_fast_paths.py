"""The hand-written fast paths of the capture's hot path give exactly what the general code gives.

`parse_head` reads plain heads with C-speed string methods and caches (see its comments), and
leaves everything else to the general parser `_parse_head`: every head below, valid or hostile,
must come out of both the same (fields, headers, or the error raised), on a first sight and on
a repeated one (served from the caches).
"""

from __future__ import annotations

import random
import socket

import pytest

from otel_ebpf.model import HttpExchange, ProcessInfo
from otel_ebpf.protocols import http1_message
from otel_ebpf.protocols.http1_message import MAX_HEADERS, Http1ParseError, _parse_head, parse_head
from otel_ebpf.receivers.ebpf import events as ev
from otel_ebpf.receivers.ebpf.connections import ConnectionTracker

_START_LINES = [
    b"GET / HTTP/1.1",
    b"GET /api/v1/items/42?fields=name,price HTTP/1.1",
    b"POST /submit HTTP/1.0",
    b"PURGE /cache HTTP/1.1",
    b"get / HTTP/1.1",
    b"GET  / HTTP/1.1",
    b"GET  HTTP/1.1",
    b" GET / HTTP/1.1",
    b"OPTIONS * HTTP/1.1",
    b"CONNECT example.com:443 HTTP/1.1",
    b"GET http://example.com/x?y HTTP/1.1",
    b"GET / HTTP/1.1 ",
    b"GET /a b HTTP/1.1",
    b"GET / HTTP/2.0",
    b"GET / HTTP/1.2",
    b"GET / http/1.1",
    b"GET /caf\xc3\xa9 HTTP/1.1",
    b"GET /a\x00b HTTP/1.1",
    b"GET /a\tb HTTP/1.1",
    b"GET /a\rb HTTP/1.1",
    b"GET",
    b"",
    b"HTTP/1.1 200 OK",
    b"HTTP/1.1 404 Not Found",
    b"HTTP/1.0 204",
    b"HTTP/1.1 200",
    b"HTTP/1.1 20x OK",
    b"HTTP/1.1 ",
    b"HTTP/",
    b"HTTP/1.1 099 Low",
    b"HTTP/1.1 20 OK",
    b"HTTP/1.1 2000 OK",
    b"HTTP/1.1 200\x01OK",
    b"HTTP/1.1 200 \xff",
    b"HTTP/3.0 200 OK",
    b"SSH-2.0-OpenSSH_9.2",
    b"X" * (http1_message.MAX_START_LINE + 1),
    b"GET /" + b"a" * http1_message.MAX_START_LINE + b" HTTP/1.1",
]
_HEADER_LINES = [
    b"Host: example.com",
    b"Host:example.com",
    b"host: other.example",
    b"User-Agent: wrk/4.2.0",
    b"Accept: application/json",
    b"Content-Length: 5",
    b"Content-Length: 7",
    b"content-length:  5 ",
    b"Content-Length: 5, 5",
    b"Content-Length: abc",
    b"Transfer-Encoding: chunked",
    b"transfer-encoding: gzip",
    b"Transfer-Encoding : chunked",
    b"Connection: close",
    b"Connection: keep-alive",
    b"traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    b"X-Empty:",
    b"X-Tabs:\t value \t",
    b": no name",
    b" folded continuation",
    b"\tfolded: with colon",
    b"no colon at all",
    b"X-Bin: a\x00b",
    b"X-Esc: \x1b[31mred",
    b"X-Utf8: na\xc3\xafve",
    b"X-Bad: \xff\xfe",
    b"X-Del: a\x7fb",
    b"X-CR: one\rtwo",
    b"",
]
_ENDS = [b"\r\n", b"\r\n", b"\r\n", b"\n"]


def _heads(rng: random.Random, count: int) -> list[bytes]:
    heads = []
    for _ in range(count):
        block = rng.choice(_START_LINES)
        for _ in range(rng.choice((0, 1, 2, 3, 5, 8))):
            block += rng.choice(_ENDS) + rng.choice(_HEADER_LINES)
        if rng.random() < 0.9:
            block += b"\r"  # what the stream hands over: the block up to its blank line's LF
        heads.append(block)
    many = b"GET / HTTP/1.1" + b"\r\nX-A: 1" * MAX_HEADERS
    heads += [many + b"\r", many + b"\r\nX-A: 1\r", b"HTTP/1.1 200 OK" + b"\r\nX-A: 1" * (MAX_HEADERS + 1) + b"\r"]
    heads.append(b"GET / HTTP/1.1\r\nHost: h\r\n" + b"X-Big: " + b"a" * http1_message.MAX_HEADER_BLOCK + b"\r")
    return heads


def _outcome(parse, block, want):
    try:
        msg = parse(block, want)
    except Http1ParseError as err:
        return type(err), str(err)
    fields = {name: getattr(msg, name) for name in msg.__slots__ if hasattr(msg, name)}
    return fields, list(msg.headers.items())  # header order too


@pytest.mark.parametrize("seed", range(4))
def test_parse_head_gives_what_the_general_parser_gives(seed):
    rng = random.Random(seed)
    for block in _heads(rng, 3000):
        for want in (True, False, None):
            expected = _outcome(_parse_head, block, want)
            assert _outcome(parse_head, block, want) == expected, (block, want)
            assert _outcome(parse_head, block, want) == expected, (block, want)  # from the caches
            assert _outcome(parse_head, bytearray(block), want) == expected, (block, want)


def test_cached_headers_are_each_messages_own():
    block = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r"
    first = parse_head(block, False)
    first.headers["content-type"] = "changed by a test"
    second = parse_head(block, False)
    assert second.headers == {"content-type": "application/json", "content-length": "2"}
    assert second.headers is not first.headers


def test_caches_stay_bounded():
    for i in range(3 * http1_message._MAX_LINES):
        parse_head(b"GET / HTTP/1.1\r\nX-Request-Id: %d\r\nStatus: %d\r" % (i, i), True)
        parse_head(b"HTTP/1.1 200 Reason %d\r" % i, False)
        parse_head(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r" % i, False)
    assert len(http1_message._lines) <= http1_message._MAX_LINES
    assert len(http1_message._sections) <= http1_message._MAX_SECTIONS
    assert len(http1_message._responses) <= http1_message._MAX_SECTIONS
    assert len(http1_message._status_lines) <= http1_message._MAX_STATUS_LINES
    long_line = b"X-Long: " + b"v" * http1_message._MAX_LINE_CHARS
    parse_head(b"GET / HTTP/1.1\r\n" + long_line + b"\r", True)
    assert long_line.decode() not in http1_message._lines


def _server_events(request: bytes, response: bytes | None) -> list[bytes]:
    addr = socket.inet_pton(socket.AF_INET, "127.0.0.1") + bytes(12)
    events, pos, ts = [], [0, 0], 1_000_000
    for turn, (direction, payload) in enumerate(((ev.DIR_INBOUND, request), (ev.DIR_OUTBOUND, response)), 1):
        if payload is None:
            continue
        ts += 1000
        header = ev.HEADER.pack(
            ev.EVENT_DATA, direction, ev.ROLE_SERVER, socket.AF_INET, 77, 78, 5, 0xABC, ts, ts + 10, len(payload),
            pos[direction], pos[direction ^ 1], turn, len(payload), 0, 0, ev.EVENT_POS_VALID, 8080, 40000,
            addr, addr, b"server",
        )  # fmt: skip
        pos[direction] += len(payload)
        events.append(header + payload)
    close = ev.HEADER.pack(
        ev.EVENT_CLOSE, 0, ev.ROLE_SERVER, socket.AF_INET, 77, 78, 5, 0xABC, ts + 100, ts + 110, 0, 0, 0, 0, 0, 0, 0, 0,
        8080, 40000, addr, addr, b"server",
    )  # fmt: skip
    return events + [close]


@pytest.mark.parametrize("answered", [True, False])
def test_the_tracker_sets_every_slot_of_an_exchange(answered):
    """ConnectionTracker._emit builds an HttpExchange without its __init__: nothing may be left unset,
    and what it does not capture keeps HttpExchange's default."""
    process = ProcessInfo(77, "server", "server", {"service.name": "server"})
    tracker = ConnectionTracker(lambda pid, comm: process)
    response = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}" if answered else None
    out: list[HttpExchange] = []
    tracker.process(_server_events(b"GET /x?q=1#f HTTP/1.1\r\nHost: h\r\n\r\n", response), out)
    assert len(out) == 1
    x, blank = out[0], HttpExchange()
    for name in HttpExchange.__slots__:
        assert hasattr(x, name), name
    captured = {"role", "process", "pid", "tid", "start_time_ns", "end_time_ns", "method", "target", "path", "query"}
    captured |= {"request_headers", "local_address", "local_port", "peer_address", "peer_port", "sk", "source"}
    captured |= {"trace_id", "span_id", "error_type"}
    if answered:
        captured |= {"status_code", "response_headers", "response_body", "response_body_size"}
    for name in set(HttpExchange.__slots__) - captured:
        assert getattr(x, name) == getattr(blank, name), name
    assert (x.path, x.query, x.tid, x.request_headers) == ("/x", "q=1", 78, {"host": "h"})
    assert x.error_type == (None if answered else "connection_reset")
    assert len(x.trace_id) == 16 and len(x.span_id) == 8 and x.end_time_ns >= x.start_time_ns


def test_a_request_head_repeated_on_a_connection_is_read_as_the_first():
    """Http1Stream.take_whole reads a head that repeats on its connection once: every message is
    still what the parser gives for its head, with headers of its own."""
    from otel_ebpf.model import Role
    from otel_ebpf.protocols.http1 import Http1Connection

    conn = Http1Connection(Role.SERVER)
    heads = [b"GET /json HTTP/1.1\r\nHost: h\r\nAccept: */*"] * 4
    heads += [b"POST /json HTTP/1.1\r\nHost: h\r\nContent-Length: 2", b"GET /json HTTP/1.1\r\nHost: h\r\nAccept: */*"]
    heads += [b"GET /json HTTP/1.1\r\nHost: h2\r\nAccept: */*"] * 3
    seen = []
    ts = 1000
    for turn, head in enumerate(heads):
        body = b"{}" if head.startswith(b"POST") else b""
        conn.turn = 2 * turn + 1
        assert conn.on_data(False, head + b"\r\n\r\n" + body, len(head) + 4 + len(body), ts, ts + 1) == []
        conn.turn = 2 * turn + 2
        response = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
        (pair,) = conn.on_data(True, response, len(response), ts + 2, ts + 3)
        request = pair[0]
        expected = parse_head(head + b"\r", True)
        assert (request.method, request.target, request.version, request.headers, request.body) == (
            expected.method, expected.target, expected.version, expected.headers, body,
        )  # fmt: skip
        assert all(request.headers is not other.headers for other in seen)
        request.headers["host"] = "changed by a test"  # must not reach the next message
        seen.append(request)
        ts += 10
    assert conn.stats.messages_parsed == 2 * len(heads)
    assert conn._in.memo is not None and conn._in.memo[0] == heads[-1] + b"\r"  # the last ones came from it
