"""HTTP/1.x parser and pairing: framing rules, recovery, classification, and fuzzing."""

from __future__ import annotations

import errno
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otel_ebpf.model import Role
from otel_ebpf.protocols.http1 import (
    Http1Connection,
    Http1ParseError,
    Http1Stats,
    parse_message,
)

OUT, IN = True, False


class Wire:
    """Drives an Http1Connection with a fake clock: each chunk gets its own timestamps."""

    def __init__(self, role: Role, **kwargs) -> None:
        self.stats = Http1Stats()
        self.conn = Http1Connection(role, stats=self.stats, **kwargs)
        self.clock = 1000
        self.pairs: list = []

    def send(self, outbound: bool, data: bytes, total_len: int | None = None) -> list:
        self.clock += 10
        got = self.conn.on_data(
            outbound, data, len(data) if total_len is None else total_len, self.clock, self.clock + 5
        )
        self.pairs.extend(got)
        return got

    def gap(self, outbound: bool, lost: int) -> list:
        """`lost` bytes moved in one direction without an event reaching us (-1: unknown)."""
        self.clock += 10
        got = self.conn.on_gap(outbound, lost, self.clock)
        self.pairs.extend(got)
        return got

    def eof(self) -> list:
        got = self.conn.on_eof(self.clock + 100)
        self.pairs.extend(got)
        return got

    def close(self) -> list:
        got = self.conn.on_close(self.clock + 100)
        self.pairs.extend(got)
        return got

    def error(self, code: int) -> list:
        got = self.conn.on_error(code, self.clock + 100)
        self.pairs.extend(got)
        return got


def summary(pairs: list) -> list[tuple]:
    return [
        (
            req.method,
            req.target,
            resp.status_code if resp is not None else None,
            resp.method if resp is not None else None,
            err,
        )
        for req, resp, err in pairs
    ]


def get(target: str = "/", extra: bytes = b"") -> bytes:
    return b"GET " + target.encode() + b" HTTP/1.1\r\nHost: svc\r\n" + extra + b"\r\n"


def ok(body: bytes = b"ok", status: bytes = b"200 OK", extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 " + status + b"\r\nContent-Length: %d\r\n" % len(body) + extra + b"\r\n" + body


# ---------------------------------------------------------------------------
# Basic framing and pairing
# ---------------------------------------------------------------------------


def test_server_keep_alive_pairs_each_exchange_with_its_request():
    w = Wire(Role.SERVER)
    assert w.send(IN, get("/a")) == []
    [(req, resp, err)] = w.send(OUT, ok(b"first"))
    assert (req.method, req.target, req.version, resp.status_code, resp.body, err) == (
        "GET",
        "/a",
        "1.1",
        200,
        b"first",
        None,
    )
    assert resp.method == "GET"
    w.send(IN, get("/b"))
    [(req, resp, _)] = w.send(OUT, ok(b"second", b"404 Not Found"))
    assert (req.target, resp.status_code, resp.body) == ("/b", 404, b"second")
    assert w.stats.messages_parsed == 4


def test_client_role_reads_responses_inbound():
    w = Wire(Role.CLIENT)
    w.send(OUT, b"POST /submit HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd")
    [(req, resp, err)] = w.send(IN, ok(b"done", b"201 Created"))
    assert (req.method, req.body, req.body_size, resp.status_code, err) == ("POST", b"abcd", 4, 201, None)


def test_headers_are_lower_cased_first_value_and_stripped():
    msg = parse_message(
        b"GET / HTTP/1.1\r\nX-Thing:   one  \r\nx-thing: two\r\nHOST:h\r\nEmpty:\r\nno colon line\r\n\r\n", True
    )
    assert msg.headers == {"x-thing": "one", "host": "h", "empty": ""}


def test_pipelining_three_requests_in_one_chunk_pair_in_order():
    w = Wire(Role.SERVER)
    post = b"POST /2 HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
    assert w.send(IN, get("/1") + post + get("/3")) == []
    pairs = w.send(OUT, ok(b"a") + ok(b"bb", b"500 Oops") + ok(b"ccc", b"404 NF"))
    assert summary(pairs) == [
        ("GET", "/1", 200, "GET", None),
        ("POST", "/2", 500, "POST", None),
        ("GET", "/3", 404, "GET", None),
    ]
    assert pairs[1][0].body == b"hello"
    assert [p[1].body for p in pairs] == [b"a", b"bb", b"ccc"]


def test_responses_arriving_one_by_one_pair_fifo():
    w = Wire(Role.CLIENT)
    w.send(OUT, get("/1") + get("/2") + get("/3"))
    assert summary(w.send(IN, ok())) == [("GET", "/1", 200, "GET", None)]
    assert summary(w.send(IN, ok() + ok())) == [("GET", "/2", 200, "GET", None), ("GET", "/3", 200, "GET", None)]


def test_content_length_body_split_across_reads_completes_on_last_byte():
    w = Wire(Role.CLIENT)
    w.send(OUT, get())
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"
    assert w.send(IN, head + b"0123") == []
    assert w.send(IN, b"456") == []
    [(_, resp, _)] = w.send(IN, b"789")
    assert (resp.body, resp.body_size, resp.body_truncated) == (b"0123456789", 10, False)


def test_chunked_with_extensions_and_trailers():
    body = b"5;name=value\r\nhello\r\n6 ; a=b;c\r\n world\r\n0\r\nX-Checksum: abc\r\nX-Other: d\r\n\r\n"
    resp = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" + body
    w = Wire(Role.CLIENT)
    w.send(OUT, get())
    # Nothing is emitted before the blank line that ends the trailers.
    assert w.send(IN, resp[:-2]) == []
    [(_, msg, _)] = w.send(IN, resp[-2:])
    assert msg.body_size == 11
    assert msg.body == body  # raw: framing is not removed
    assert not msg.body_truncated
    # And the same bytes parse identically one-shot.
    one = parse_message(resp, False)
    assert (one.body_size, one.body) == (11, body)


def test_chunked_request_body():
    req = b"PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
    w = Wire(Role.SERVER)
    w.send(IN, req + get("/next"))
    pairs = w.send(OUT, ok() + ok())
    assert summary(pairs) == [("PUT", "/x", 200, "PUT", None), ("GET", "/next", 200, "GET", None)]
    assert pairs[0][0].body_size == 3


def test_chunked_framing_error_mid_body_resyncs_at_next_response():
    w = Wire(Role.CLIENT)
    w.send(OUT, get("/1") + get("/2"))
    w.send(IN, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz-not-hex\r\n")
    assert w.stats.parse_errors == 1 and w.stats.resyncs == 1
    assert w.send(IN, b"more of the first body") == []
    pairs = w.send(IN, ok(b"two", b"202 Accepted"))
    # The lost message ended when a chunk started with a status line.
    assert summary(pairs) == [("GET", "/1", 200, "GET", None), ("GET", "/2", 202, "GET", None)]
    assert pairs[0][1].body_truncated and pairs[1][1].body == b"two"


def test_chunked_framing_error_on_a_start_line_resyncs_at_once():
    w = Wire(Role.CLIENT)
    w.send(OUT, get("/1") + get("/2"))
    # Our chunked framing expected a size line; the chunk opens with the next response instead.
    w.send(IN, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    pairs = w.send(IN, ok(b"two", b"202 Accepted"))
    assert summary(pairs) == [("GET", "/1", 200, "GET", None), ("GET", "/2", 202, "GET", None)]
    assert w.stats.parse_errors == 1


def test_head_response_has_no_body_despite_content_length():
    w = Wire(Role.CLIENT)
    w.send(OUT, b"HEAD /big HTTP/1.1\r\nHost: h\r\n\r\n" + get("/after"))
    pairs = w.send(IN, b"HTTP/1.1 200 OK\r\nContent-Length: 123456\r\n\r\n" + ok(b"x"))
    assert summary(pairs) == [("HEAD", "/big", 200, "HEAD", None), ("GET", "/after", 200, "GET", None)]
    assert pairs[0][1].body_size == 0 and pairs[1][1].body == b"x"


@pytest.mark.parametrize("status", [b"204 No Content", b"304 Not Modified"])
def test_204_and_304_have_no_body(status):
    w = Wire(Role.CLIENT)
    w.send(OUT, get("/1") + get("/2"))
    pairs = w.send(IN, b"HTTP/1.1 " + status + b"\r\nContent-Length: 50\r\n\r\n" + ok(b"y"))
    assert [p[1].status_code for p in pairs] == [int(status[:3]), 200]
    assert pairs[0][1].body_size == 0


def test_100_continue_is_skipped_and_final_response_pairs():
    w = Wire(Role.CLIENT)
    w.send(OUT, b"POST /upload HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 6\r\n\r\n")
    assert w.send(IN, b"HTTP/1.1 100 Continue\r\n\r\n") == []
    w.send(OUT, b"abcdef")
    [(req, resp, err)] = w.send(IN, ok(b"stored", b"201 Created"))
    assert (req.body, resp.status_code, err) == (b"abcdef", 201, None)
    assert w.stats.messages_parsed == 3  # request, 100, 201


def test_interim_and_final_response_in_one_chunk():
    w = Wire(Role.CLIENT)
    w.send(OUT, get())
    pairs = w.send(IN, b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n" + ok())
    assert summary(pairs) == [("GET", "/", 200, "GET", None)]


def test_101_switching_protocols_completes_then_stops_parsing():
    w = Wire(Role.SERVER)
    w.send(IN, get("/ws", b"Upgrade: websocket\r\nConnection: Upgrade\r\n"))
    frames = b"\x81\x05hello"
    [(req, resp, err)] = w.send(OUT, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n" + frames)
    assert (req.target, resp.status_code, err) == ("/ws", 101, None)
    assert not w.conn.is_http
    assert w.send(IN, b"\x81\x85garbage") == [] and w.send(OUT, get()) == []
    assert (w.stats.upgrades, w.stats.non_http_connections, w.stats.parse_errors) == (1, 0, 0)
    assert w.close() == []


def test_connect_2xx_becomes_a_tunnel():
    w = Wire(Role.CLIENT)
    w.send(OUT, b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
    [(req, resp, _)] = w.send(IN, b"HTTP/1.1 200 Connection Established\r\n\r\n")
    assert (req.method, req.target, resp.method, resp.body_size) == ("CONNECT", "example.com:443", "CONNECT", 0)
    assert not w.conn.is_http
    assert w.send(OUT, b"\x16\x03\x01\x02\x00\x01") == []
    assert w.stats.upgrades == 1 and w.stats.non_http_connections == 0


def test_connect_refused_keeps_parsing_http():
    w = Wire(Role.CLIENT)
    w.send(OUT, b"CONNECT example.com:443 HTTP/1.1\r\n\r\n")
    w.send(IN, ok(b"denied", b"407 Proxy Authentication Required"))
    assert w.conn.is_http
    w.send(OUT, get("/again"))
    assert summary(w.send(IN, ok())) == [("GET", "/again", 200, "GET", None)]


def test_http10_close_delimited_response_completes_at_eof():
    w = Wire(Role.CLIENT)
    w.send(OUT, b"GET /old HTTP/1.0\r\n\r\n")
    assert w.send(IN, b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\npart one, ") == []
    assert w.send(IN, b"part two") == []
    [(req, resp, err)] = w.eof()
    assert (req.version, resp.version, resp.body, resp.body_size, err) == (
        "1.0",
        "1.0",
        b"part one, part two",
        18,
        None,
    )
    assert resp.last_ts_exit == w.clock + 5  # the chunk with the last byte, not the EOF


def test_close_delimited_response_written_by_server_completes_at_close():
    w = Wire(Role.SERVER)
    w.send(IN, b"GET / HTTP/1.0\r\n\r\n")
    w.send(OUT, b"HTTP/1.0 200 OK\r\n\r\nbody")
    [(_, resp, err)] = w.close()
    assert (resp.body, err) == (b"body", None)


def test_request_without_framing_headers_has_no_body():
    w = Wire(Role.SERVER)
    w.send(IN, b"DELETE /x HTTP/1.1\r\n\r\n" + get("/y"))
    assert summary(w.send(OUT, ok() + ok())) == [("DELETE", "/x", 200, "DELETE", None), ("GET", "/y", 200, "GET", None)]


def test_stray_crlf_between_messages_and_bare_lf_line_ends():
    w = Wire(Role.SERVER)
    w.send(IN, b"POST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi\r\n")  # old clients add a CRLF after bodies
    w.send(IN, b"GET /b HTTP/1.1\nHost: lf-only\n\n")
    pairs = w.send(OUT, ok() + b"HTTP/1.1 200 OK\nContent-Length: 1\n\nz")
    assert summary(pairs) == [("POST", "/a", 200, "POST", None), ("GET", "/b", 200, "GET", None)]
    assert pairs[1][0].headers == {"host": "lf-only"} and pairs[1][1].body == b"z"
    assert w.stats.parse_errors == 0


def test_a_head_and_its_body_written_apart_make_one_response():
    """gunicorn writes the head, then the body: the head's chunk holds no body byte at all."""
    w = Wire(Role.SERVER)
    w.send(IN, get("/users/7"))  # ts 1010/1015
    head = b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n"
    assert w.send(OUT, head) == []  # ts 1020/1025
    [(req, resp, _)] = w.send(OUT, b'{"id": 7}')  # ts 1030/1035
    assert (req.target, resp.status_code, resp.body, resp.body_size) == ("/users/7", 200, b'{"id": 7}', 9)
    assert (resp.first_ts_exit, resp.last_ts_exit) == (1025, 1035)
    assert resp.headers["connection"] == "close" and w.stats.parse_errors == 0


def test_timestamps_come_from_first_and_last_chunks():
    w = Wire(Role.CLIENT)
    w.send(OUT, b"GET / HT")  # ts 1010/1015
    w.send(OUT, b"TP/1.1\r\n\r\n")
    w.send(IN, b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab")  # ts 1030/1035
    [(req, resp, _)] = w.send(IN, b"cd")  # ts 1040/1045
    assert (req.first_ts_enter, req.first_ts_exit, req.last_ts_exit) == (1010, 1015, 1025)
    assert (resp.first_ts_enter, resp.first_ts_exit, resp.last_ts_exit) == (1030, 1035, 1045)


def test_body_limit_keeps_a_prefix_and_counts_the_rest():
    w = Wire(Role.CLIENT, body_limit=8)
    w.send(OUT, get())
    body = bytes(range(65, 91)) * 4
    w.send(IN, b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body[:50])
    [(_, resp, _)] = w.send(IN, body[50:])
    assert (resp.body, resp.body_size, resp.body_truncated) == (body[:8], len(body), True)


def test_response_without_a_request_is_dropped_and_counted():
    w = Wire(Role.CLIENT)
    assert w.send(IN, ok()) == []
    assert w.stats.unmatched_responses == 1
    w.send(OUT, get("/x"))
    assert summary(w.send(IN, ok())) == [("GET", "/x", 200, "GET", None)]


def test_pending_overflow_drops_the_oldest_request_and_skips_its_response():
    w = Wire(Role.CLIENT, max_pending=2)
    w.send(OUT, get("/1") + get("/2") + get("/3"))
    assert w.stats.pending_overflow == 1 and w.stats.dropped_by_reason == {"pending_overflow": 1}
    assert w.send(IN, ok(b"1")) == []  # answers /1, which was dropped: it must not pair with /2
    assert summary(w.send(IN, ok(b"2")))[0][1] == "/2"
    assert summary(w.send(IN, ok(b"3")))[0][1] == "/3"


def test_unknown_method_is_accepted():
    msg = parse_message(b"PROPFIND /dav HTTP/1.1\r\nDepth: 1\r\n\r\n", True)
    assert (msg.method, msg.headers["depth"]) == ("PROPFIND", "1")
    assert parse_message(b"M-SEARCH * HTTP/1.1\r\n\r\n", True).target == "*"


# ---------------------------------------------------------------------------
# Gaps (bytes moved by the syscall but not captured)
# ---------------------------------------------------------------------------


def test_gap_inside_content_length_body_advances_counters():
    w = Wire(Role.CLIENT)
    w.send(OUT, get())
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n"
    # A 4096-byte read of which only 1024 bytes were captured.
    first = head + b"a" * (1024 - len(head))
    assert w.send(IN, first, total_len=4096) == []
    [(_, resp, _)] = w.send(IN, b"b" * 500, total_len=5000 - (4096 - len(head)))
    assert (resp.body_size, resp.body_truncated, resp.body[:3]) == (5000, True, b"aaa")
    assert w.stats.gap_bytes == 4096 - 1024 + (5000 - (4096 - len(head)) - 500)
    assert w.stats.resyncs == 0


def test_sendfile_body_is_counted_without_bytes():
    w = Wire(Role.SERVER)
    w.send(IN, get("/static.bin"))
    assert w.send(OUT, b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n") == []
    assert w.send(OUT, b"", total_len=65536) == []
    [(_, resp, err)] = w.send(OUT, b"", total_len=100000 - 65536)
    assert (resp.body, resp.body_size, resp.body_truncated, err) == (b"", 100000, True, None)
    w.send(IN, get("/next"))  # the stream is still in sync
    assert summary(w.send(OUT, ok())) == [("GET", "/next", 200, "GET", None)]


def test_gap_inside_chunk_data_keeps_sync():
    w = Wire(Role.CLIENT)
    w.send(OUT, get())
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\n"
    w.send(IN, head + b"xxxx", total_len=200)  # 200 - len(head) bytes of the 4096-byte chunk
    w.send(IN, b"", total_len=0x1000 - (200 - len(head)))
    [(_, resp, _)] = w.send(IN, b"\r\n0\r\n\r\n")
    assert (resp.body_size, resp.body_truncated) == (0x1000, True)
    assert w.stats.resyncs == 0


def test_gap_inside_chunked_framing_resyncs_at_next_request():
    w = Wire(Role.CLIENT)
    w.send(OUT, get("/1"))
    w.send(IN, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n", total_len=9000)
    assert w.stats.resyncs == 1
    assert w.send(IN, b"more body bytes we cannot frame") == []
    # The client writing its next request proves the previous response ended.
    [(req, resp, err)] = w.send(OUT, get("/2"))
    assert (req.target, resp.status_code, resp.body_truncated, err) == ("/1", 200, True, None)
    assert summary(w.send(IN, ok())) == [("GET", "/2", 200, "GET", None)]


def test_gap_inside_chunked_framing_resyncs_at_next_status_line():
    w = Wire(Role.CLIENT)
    w.send(OUT, get("/1") + get("/2"))
    w.send(IN, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n", total_len=5000)
    w.send(IN, b"zzz")
    pairs = w.send(IN, ok(b"", b"204 No Content"))
    assert summary(pairs) == [("GET", "/1", 200, "GET", None), ("GET", "/2", 204, "GET", None)]
    assert pairs[0][1].last_ts_exit == 1035  # the chunk before the new status line


def test_gap_inside_header_block_marks_headers_truncated():
    w = Wire(Role.SERVER)
    url = "/search?q=" + "x" * 2000
    full = b"GET " + url.encode() + b" HTTP/1.1\r\nHost: svc\r\nCookie: " + b"c" * 3000 + b"\r\n\r\n"
    w.send(IN, full[:1024], total_len=len(full))
    [(req, resp, err)] = w.send(OUT, ok())
    assert req.headers_truncated and req.method == "GET"
    assert req.target == url[: 1024 - 4]  # the target prefix we saw
    assert (resp.status_code, err) == (200, None)
    assert w.stats.truncated_headers == 1
    w.send(IN, get("/next"))
    assert summary(w.send(OUT, ok())) == [("GET", "/next", 200, "GET", None)]


def test_gap_in_headers_keeps_content_length_framing():
    w = Wire(Role.CLIENT)
    w.send(OUT, get())
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nSet-Cookie: " + b"s" * 2000 + b"\r\n\r\n"
    w.send(IN, head[:1024], total_len=len(head))
    [(_, resp, _)] = w.send(IN, b"abc")
    assert resp.headers_truncated and resp.headers["content-length"] == "3"
    assert "set-cookie" not in resp.headers  # its value was cut: dropped, not kept wrong
    assert resp.body == b"abc"


def test_gap_between_messages_hunts_for_the_next_start_line():
    w = Wire(Role.SERVER)
    w.send(IN, b"", total_len=300)  # a whole request we did not see
    assert w.stats.resyncs == 1
    w.send(IN, get("/seen"))
    assert summary(w.send(OUT, ok())) == [("GET", "/seen", 200, "GET", None)]


def test_pipelined_responses_lost_in_a_gap_stop_the_pairing_and_are_counted():
    w = Wire(Role.CLIENT)
    w.send(OUT, get("/1") + get("/2") + get("/3"))
    first, second = ok(b"a" * 2000), ok(b"b", b"404 Not Found")
    both = first + second
    # One read returned two responses; only the first 1024 bytes were captured.  The gap may hold
    # one response or several: which request the next response answers is not knowable.
    assert summary(w.send(IN, both[:1024], total_len=len(both))) == [("GET", "/1", 200, "GET", None)]
    assert w.stats.abandoned_connections == 1
    assert w.send(IN, ok(b"c", b"201 Created")) == []
    assert w.stats.dropped_by_reason == {"capture_window": 1}  # the response counts the request it answered
    w.send(OUT, get("/4"))
    assert w.send(IN, ok()) == [] and w.stats.dropped_requests == 2
    assert w.close() == []


def test_pipelined_response_sent_entirely_by_sendfile_stops_the_pairing():
    w = Wire(Role.SERVER)
    w.send(IN, get("/cached") + get("/live"))
    assert w.send(OUT, b"", total_len=4000) == []  # a pre-built response we cannot see
    assert w.send(OUT, ok()) == []
    assert w.stats.dropped_by_reason == {"capture_window": 1} and w.stats.abandoned_connections == 1


def test_keep_alive_response_sent_entirely_by_sendfile_drops_its_request():
    w = Wire(Role.SERVER)
    w.send(IN, get("/cached"))
    assert w.send(OUT, b"", total_len=4000) == []
    w.send(IN, get("/live"))
    assert summary(w.send(OUT, ok())) == [("GET", "/live", 200, "GET", None)]
    assert w.stats.dropped_by_reason == {"capture_window": 1} and w.stats.abandoned_connections == 0


# ---------------------------------------------------------------------------
# Lost events (the kernel's stream positions jumped): never mis-pair
# ---------------------------------------------------------------------------


def test_lost_response_on_keep_alive_pairs_the_next_response_with_its_own_request():
    w = Wire(Role.SERVER)
    w.send(IN, get("/1"))
    w.conn.other_behind = True  # the kernel: the server wrote bytes we have not seen
    w.send(IN, get("/2"))  # the response to /1 was lost: /2 is not pipelined
    w.conn.other_behind = False
    w.gap(OUT, len(ok()))
    [(req, resp, err)] = w.send(OUT, ok(b"two"))
    assert (req.target, resp.body, err) == ("/2", b"two", None)
    assert w.stats.dropped_by_reason == {"lost_event": 1} and w.stats.lost_event_gaps == 1
    w.send(IN, get("/3"))
    assert summary(w.send(OUT, ok())) == [("GET", "/3", 200, "GET", None)]


def test_lost_request_is_counted_when_its_response_comes():
    w = Wire(Role.SERVER)
    w.send(IN, get("/1"))
    w.send(OUT, ok())
    w.gap(IN, len(get("/2")))
    assert w.send(OUT, ok(b"two")) == []  # answers the request we did not see
    assert w.stats.dropped_by_reason == {"lost_event": 1} and w.stats.unmatched_responses == 0
    w.send(IN, get("/3"))
    assert summary(w.send(OUT, ok())) == [("GET", "/3", 200, "GET", None)]


def test_lost_bytes_inside_a_counted_body_are_skipped_exactly():
    w = Wire(Role.CLIENT)
    w.send(OUT, get("/big"))
    w.send(IN, b"HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n" + b"a" * 1000)
    w.gap(IN, 1500)
    [(req, resp, err)] = w.send(IN, b"b" * 500)
    assert (req.target, resp.body_size, resp.body_truncated, err) == ("/big", 3000, True, None)
    assert w.stats.dropped_requests == 0
    w.send(OUT, get("/next"))
    assert summary(w.send(IN, ok())) == [("GET", "/next", 200, "GET", None)]


def test_response_whose_end_was_lost_gets_no_duration():
    w = Wire(Role.CLIENT)
    w.send(OUT, get("/1"))
    w.send(IN, b"HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n" + b"a" * 1000)
    w.gap(IN, 2000)  # its end, at a time we do not know
    assert w.pairs == [] and w.stats.dropped_requests == 0  # the request still waits...
    w.send(OUT, get("/2"))
    assert summary(w.send(IN, ok())) == [("GET", "/2", 200, "GET", None)]
    assert w.stats.dropped_by_reason == {"lost_event": 1}  # ...and is counted, not paired with /2's answer


def test_gap_of_unknown_size_is_a_lost_message():
    w = Wire(Role.SERVER)
    w.send(IN, get("/1"))
    w.gap(OUT, -1)
    w.send(IN, get("/2"))
    assert summary(w.send(OUT, ok())) == [("GET", "/2", 200, "GET", None)]
    assert w.stats.dropped_by_reason == {"lost_event": 1} and w.stats.gap_unknown == 1


def test_close_after_a_lost_response_counts_the_request_instead_of_a_failure():
    w = Wire(Role.SERVER)
    w.send(IN, get("/1"))
    w.gap(OUT, 200)
    assert w.close() == []
    assert w.stats.dropped_by_reason == {"lost_event": 1}


def test_request_after_the_gap_still_fails_normally_at_close():
    w = Wire(Role.SERVER)
    w.send(IN, get("/1"))
    w.gap(OUT, 200)
    w.send(IN, get("/2"))
    assert summary(w.close()) == [("GET", "/2", None, None, "connection_reset")]
    assert w.stats.dropped_by_reason == {"lost_event": 1}


def test_pipelined_lost_event_abandons_and_counts_every_later_response():
    w = Wire(Role.SERVER)
    w.send(IN, get("/1") + get("/2") + get("/3"))
    assert summary(w.send(OUT, ok())) == [("GET", "/1", 200, "GET", None)]
    w.gap(OUT, len(ok()))  # one response or two?
    assert w.send(OUT, ok()) == [] and w.send(OUT, ok()) == []
    assert w.stats.dropped_by_reason == {"lost_event": 2} and w.stats.abandoned_connections == 1


# ---------------------------------------------------------------------------
# Role inference for connections that predate the agent
# ---------------------------------------------------------------------------


def test_unknown_role_request_written_means_client_and_skips_earlier_bytes():
    w = Wire(Role.UNKNOWN)
    assert w.send(IN, b"tail of a body we joined in the middle of") == []
    w.send(OUT, get("/x"))
    assert w.conn.role == Role.CLIENT
    assert summary(w.send(IN, ok())) == [("GET", "/x", 200, "GET", None)]


def test_unknown_role_request_read_means_server():
    w = Wire(Role.UNKNOWN)
    w.send(OUT, b"\x00\x01binary rest of an old response")
    w.send(IN, b"POST /p HTTP/1.1\r\nContent-Length: 1\r\n\r\n!")
    assert w.conn.role == Role.SERVER
    assert summary(w.send(OUT, ok())) == [("POST", "/p", 200, "POST", None)]


def test_unknown_role_response_written_means_server_and_is_dropped():
    w = Wire(Role.UNKNOWN)
    assert w.send(OUT, ok(b"orphan")) == []
    assert w.conn.role == Role.SERVER and w.stats.unmatched_responses == 1
    w.send(IN, get("/next"))
    assert summary(w.send(OUT, ok())) == [("GET", "/next", 200, "GET", None)]


def test_unknown_role_response_read_means_client():
    w = Wire(Role.UNKNOWN)
    w.send(IN, ok(b"orphan"))
    assert w.conn.role == Role.CLIENT
    w.send(OUT, get("/q"))
    assert summary(w.send(IN, ok())) == [("GET", "/q", 200, "GET", None)]


def test_unknown_role_fragmented_start_line_is_still_found():
    w = Wire(Role.UNKNOWN)
    for b in get("/frag"):
        w.send(OUT, bytes([b]))
    assert w.conn.role == Role.CLIENT
    assert summary(w.send(IN, ok())) == [("GET", "/frag", 200, "GET", None)]
    assert w.stats.parse_errors == 0


# ---------------------------------------------------------------------------
# No response: EOF, errors, close
# ---------------------------------------------------------------------------


def test_client_peer_eof_with_pending_requests_is_connection_reset():
    w = Wire(Role.CLIENT)
    w.send(OUT, get("/1") + get("/2"))
    w.send(IN, ok())
    assert summary(w.eof()) == [("GET", "/2", None, None, "connection_reset")]


def test_client_closing_while_waiting_is_timeout():
    w = Wire(Role.CLIENT)
    w.send(OUT, get("/slow"))
    assert summary(w.close()) == [("GET", "/slow", None, None, "timeout")]


def test_server_closing_without_answering_is_connection_reset():
    w = Wire(Role.SERVER)
    w.send(IN, get("/dropped"))
    assert summary(w.close()) == [("GET", "/dropped", None, None, "connection_reset")]


def test_server_half_close_by_client_still_pairs_the_late_response():
    w = Wire(Role.SERVER)
    w.send(IN, get("/half"))
    assert w.eof() == []  # shutdown(SHUT_WR) by the client: the answer may still come
    assert summary(w.send(OUT, ok())) == [("GET", "/half", 200, "GET", None)]
    assert w.close() == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (errno.ETIMEDOUT, "timeout"),
        (errno.ECONNRESET, "connection_reset"),
        (errno.EPIPE, "connection_reset"),
        (errno.ECONNABORTED, "connection_reset"),
        (-errno.ECONNRESET, "connection_reset"),
        (errno.EHOSTUNREACH, "EHOSTUNREACH"),
    ],
)
def test_socket_errors_flush_pending_requests_with_their_error_type(code, expected):
    w = Wire(Role.CLIENT)
    w.send(OUT, get("/1") + get("/2"))
    assert summary(w.error(code)) == [("GET", "/1", None, None, expected), ("GET", "/2", None, None, expected)]
    assert w.close() == []


def test_transient_errno_is_not_a_failure():
    w = Wire(Role.CLIENT)
    w.send(OUT, get())
    assert w.error(errno.EAGAIN) == [] and w.error(errno.EINTR) == []
    assert summary(w.send(IN, ok())) == [("GET", "/", 200, "GET", None)]


def test_reset_mid_body_reports_the_status_and_the_error():
    w = Wire(Role.CLIENT)
    w.send(OUT, get())
    w.send(IN, b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial")
    [(req, resp, err)] = w.error(errno.ECONNRESET)
    assert (resp.status_code, resp.body, resp.body_truncated, err) == (200, b"partial", True, "connection_reset")


def test_reset_during_close_delimited_body_is_an_error_not_a_completion():
    w = Wire(Role.CLIENT)
    w.send(OUT, get())
    w.send(IN, b"HTTP/1.0 200 OK\r\n\r\nsome")
    [(_, resp, err)] = w.error(errno.ECONNRESET)
    assert (resp.body_truncated, err) == (True, "connection_reset")


# ---------------------------------------------------------------------------
# Classification of non-HTTP and hostile input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "outbound", "first"),
    [
        (Role.SERVER, IN, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"),  # TLS ClientHello
        (Role.CLIENT, OUT, b"\x16\x03\x01\x02\x00"),
        (Role.CLIENT, OUT, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),  # HTTP/2 prior knowledge
        (Role.SERVER, IN, b"\x00\x00\x00\x08\x04\xd2\x16\x2f"),  # PostgreSQL SSLRequest
        (Role.SERVER, OUT, b"220 mail.example.com ESMTP\r\n"),  # server speaks first
        (Role.CLIENT, OUT, b"*1\r\n$4\r\nPING\r\n"),  # Redis
        (Role.UNKNOWN, IN, b"\x17\x03\x03\x00\x20" + b"\xaa" * 32),  # TLS application data mid-stream
    ],
)
def test_non_http_is_classified_from_the_first_bytes(role, outbound, first):
    w = Wire(role)
    assert w.send(outbound, first) == []
    assert not w.conn.is_http
    assert (w.stats.non_http_connections, w.stats.parse_errors) == (1, 0)
    assert w.send(not outbound, ok()) == [] and w.close() == []


def test_fragmented_garbage_is_classified_without_waiting_for_a_line():
    w = Wire(Role.SERVER)
    w.send(IN, b"\x16")
    assert not w.conn.is_http


def test_garbage_after_http_is_a_parse_error_and_the_connection_recovers():
    w = Wire(Role.SERVER)
    w.send(IN, get("/1"))
    w.send(OUT, ok())
    w.send(IN, b"\x01\x02 nonsense \r\n\r\n")
    assert w.conn.is_http and (w.stats.parse_errors, w.stats.non_http_connections) == (1, 0)
    w.send(IN, get("/2"))
    assert summary(w.send(OUT, ok())) == [("GET", "/2", 200, "GET", None)]


def test_unparseable_response_drops_its_request_to_keep_the_order():
    w = Wire(Role.CLIENT)
    w.send(OUT, get("/1"))
    w.send(IN, ok())
    w.send(OUT, get("/2"))
    w.send(IN, b"HTTP/1.1 2x0 Broken\r\n\r\n")
    assert w.stats.dropped_requests == 1
    w.send(OUT, get("/3"))
    assert summary(w.send(IN, ok())) == [("GET", "/3", 200, "GET", None)]


def test_header_block_over_16k_gives_the_connection_up():
    w = Wire(Role.SERVER)
    w.send(IN, get("/fine"))
    w.send(OUT, ok())
    w.send(IN, b"GET / HTTP/1.1\r\n")
    for _ in range(40):
        w.send(IN, b"X-Pad: " + b"p" * 500 + b"\r\n")
    assert not w.conn.is_http and w.stats.parse_errors == 1
    assert w.send(IN, b"\r\n") == []


def test_start_line_over_8k_gives_the_connection_up():
    w = Wire(Role.SERVER)
    w.send(IN, get("/fine"))
    w.send(OUT, ok())
    w.send(IN, b"GET /")
    for _ in range(9):
        w.send(IN, b"a" * 1000)
    assert not w.conn.is_http and w.stats.parse_errors == 1


def test_more_than_100_headers_gives_the_connection_up():
    w = Wire(Role.SERVER)
    w.send(IN, get("/fine"))
    w.send(OUT, ok())
    w.send(IN, b"GET / HTTP/1.1\r\n" + b"".join(b"H%d: v\r\n" % i for i in range(101)) + b"\r\n")
    assert not w.conn.is_http and w.stats.parse_errors == 1


def test_first_message_over_the_limits_is_a_parse_error_too():
    w = Wire(Role.SERVER)
    w.send(IN, b"GET / HTTP/1.1\r\n" + b"".join(b"H%d: v\r\n" % i for i in range(101)) + b"\r\n")
    assert not w.conn.is_http
    assert (w.stats.parse_errors, w.stats.non_http_connections) == (1, 0)


def test_not_http_connection_costs_nothing_later():
    w = Wire(Role.SERVER)
    w.send(IN, b"\x16\x03\x01")
    assert w.conn.on_data(IN, get(), 10**9, 0, 0) == []
    assert w.conn.on_eof(0) == [] and w.conn.on_error(errno.ECONNRESET, 0) == []


@pytest.mark.parametrize(
    "bad",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: \xb2\r\n\r\n",  # a latin-1 "digit" int() would accept
        b"HTTP/2.0 200 OK\r\n\r\n",
        b"HTTP/1.1 20 OK\r\n\r\n",
        b"HTTP/1.1 200OK\r\n\r\n",
        b"get / HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\n",  # incomplete
        b"",
    ],
)
def test_parse_message_raises_only_its_own_error(bad):
    with pytest.raises(Http1ParseError):
        parse_message(bad, not bad.startswith(b"HTTP"))


def test_parse_message_request_with_non_chunked_transfer_encoding_has_no_framing():
    msg = parse_message(b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nbody", True)
    assert (msg.method, msg.target, msg.framing_error, msg.body) == ("POST", "/", "transfer_coding_not_chunked", b"")


def test_parse_message_response_framings():
    assert parse_message(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", False).body_truncated
    head = parse_message(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", False, request_method="HEAD")
    assert (head.body_size, head.method, head.body_truncated) == (0, "HEAD", False)
    close = parse_message(b"HTTP/1.0 200 OK\r\n\r\nuntil the end", False)
    assert (close.body, close.body_size) == (b"until the end", 13)
    repeated = parse_message(b"HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok", False)
    assert repeated.body == b"ok"


# ---------------------------------------------------------------------------
# Property tests
# ---------------------------------------------------------------------------

_RESERVED = {"content-length", "transfer-encoding", "expect", "upgrade", "trailer"}
_NAME = st.text(string.ascii_letters + string.digits + "-_", min_size=1, max_size=12).filter(
    lambda n: n.lower() not in _RESERVED
)
# Header values: any text without control characters, sent as UTF-8 (raw non-ASCII included).
_VALUE = st.text(st.characters(min_codepoint=0x20, exclude_categories=("Cc", "Cs")), max_size=24)
_TARGET = st.text(string.ascii_letters + string.digits + "/?=&-._~%+", max_size=40).map(lambda t: "/" + t)


def _encode_body(draw, body: bytes, chunked: bool) -> tuple[bytes, bytes]:
    """(framing header line, wire body)."""
    if not chunked:
        return b"Content-Length: %d\r\n" % len(body), body
    cuts = sorted(draw(st.lists(st.integers(0, len(body)), max_size=4)))
    pieces = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True) if b > a]
    wire = b""
    for piece in pieces:
        ext = draw(st.sampled_from([b"", b";x=1", b' ;name="q"']))
        wire += b"%x" % len(piece) + ext + b"\r\n" + piece + b"\r\n"
    trailer = draw(st.sampled_from([b"", b"X-Sum: 1\r\n"]))
    return b"Transfer-Encoding: chunked\r\n", wire + b"0\r\n" + trailer + b"\r\n"


@st.composite
def exchanges(draw):
    """One request and its response as wire bytes, with what a parser must report."""
    method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "PURGE"]))
    target = draw(_TARGET)
    headers = draw(st.lists(st.tuples(_NAME, _VALUE), max_size=5))
    minor = draw(st.sampled_from([0, 1]))
    req_body, framing, wire_body = b"", b"", b""
    if method in ("POST", "PUT", "PATCH"):
        req_body = draw(st.binary(max_size=200))
        # Transfer-Encoding in an HTTP/1.0 request leaves its length undetermined (RFC 9112 §6.1).
        framing, wire_body = _encode_body(draw, req_body, minor == 1 and draw(st.booleans()))
    # Framing headers go first or last: the first value of each name wins.
    lines = [f"{n}: {v}\r\n".encode() for n, v in headers]
    lines.insert(draw(st.sampled_from([0, len(lines)])), framing)
    request = f"{method} {target} HTTP/1.{minor}\r\n".encode()
    request += b"".join(lines) + b"\r\n" + wire_body
    expected_headers: dict[str, str] = {}
    for line in b"".join(lines).decode().split("\r\n")[:-1]:
        name, _, value = line.partition(":")
        expected_headers.setdefault(name.lower(), value.strip(" \t"))
    status = draw(st.sampled_from([200, 201, 204, 301, 304, 404, 500]))
    resp_body = b"" if status in (204, 304) or method == "HEAD" else draw(st.binary(max_size=300))
    framing, wire_body = _encode_body(draw, resp_body, draw(st.booleans()))
    if status in (204, 304) or method == "HEAD":
        framing, wire_body = b"Content-Length: 42\r\n" if method == "HEAD" else b"", b""
    response = b"HTTP/1.1 %d X\r\nServer: t\r\n" % status + framing + b"\r\n" + wire_body
    expected = (method, target, expected_headers, len(req_body), status, len(resp_body))
    return request, response, expected


def _split(data: bytes, cuts: list[int]) -> list[bytes]:
    cuts = sorted({c % (len(data) + 1) for c in cuts})
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True) if b > a]


def _signature(pairs) -> list[tuple]:
    return [
        (
            req.method,
            req.target,
            req.version,
            req.headers,
            req.body_size,
            req.body,
            resp.status_code,
            resp.method,
            resp.headers,
            resp.body_size,
            resp.body,
            resp.body_truncated,
            err,
        )
        for req, resp, err in pairs
    ]


def _run(role: Role, request_chunks: list[bytes], response_chunks: list[bytes], interleave: list[int] | None = None):
    req_out = role == Role.CLIENT
    conn = Http1Connection(role, body_limit=64)
    pairs = []
    for chunk in request_chunks:
        pairs += conn.on_data(req_out, chunk, len(chunk), 1, 2)
    for chunk in response_chunks:
        pairs += conn.on_data(not req_out, chunk, len(chunk), 3, 4)
    pairs += conn.on_close(5)
    assert conn.stats.parse_errors == 0 and conn.stats.internal_errors == 0
    return pairs


_FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FAST
@given(
    st.lists(exchanges(), min_size=1, max_size=4),
    st.lists(st.integers(0, 10_000), max_size=12),
    st.lists(st.integers(0, 10_000), max_size=12),
    st.sampled_from([Role.SERVER, Role.CLIENT]),
)
def test_fragmentation_does_not_change_the_result(convo, req_cuts, resp_cuts, role):
    requests = b"".join(r for r, _, _ in convo)
    responses = b"".join(r for _, r, _ in convo)
    whole = _run(role, [requests], [responses])
    assert [(q.method, q.target, q.headers, q.body_size, s.status_code, s.body_size) for q, s, _ in whole] == [
        e for _, _, e in convo
    ]
    assert all(err is None for _, _, err in whole)
    split = _run(role, _split(requests, req_cuts), _split(responses, resp_cuts))
    assert _signature(split) == _signature(whole)


@settings(max_examples=25, deadline=None)
@given(st.lists(exchanges(), min_size=1, max_size=3))
def test_one_byte_per_syscall_gives_the_same_result(convo):
    requests = b"".join(r for r, _, _ in convo)
    responses = b"".join(r for _, r, _ in convo)
    whole = _run(Role.CLIENT, [requests], [responses])
    bytewise = _run(Role.CLIENT, [bytes([b]) for b in requests], [bytes([b]) for b in responses])
    assert _signature(bytewise) == _signature(whole)
    assert len(whole) == len(convo)


@_FAST
@given(st.lists(exchanges(), min_size=1, max_size=3), st.lists(st.integers(0, 10_000), max_size=8))
def test_keep_alive_interleaving_matches_the_expected_exchanges(convo, cuts):
    conn = Http1Connection(Role.SERVER)
    pairs = []
    for request, response, _ in convo:
        for chunk in _split(request, cuts):
            pairs += conn.on_data(False, chunk, len(chunk), 1, 2)
        for chunk in _split(response, cuts):
            pairs += conn.on_data(True, chunk, len(chunk), 3, 4)
    assert [(q.method, q.target, q.headers, q.body_size, s.status_code, s.body_size) for q, s, _ in pairs] == [
        e for _, _, e in convo
    ]


_TOKENS = [
    b"\r\n",
    b"\r\n\r\n",
    b"\n",
    b" ",
    b":",
    b"Content-Length: 99999999999999\r\n",
    b"Transfer-Encoding: chunked\r\n",
    b"0\r\n\r\n",
    b"ffffffffffffffffffff\r\n",
    b"HTTP/1.1 101 Up\r\n\r\n",
    b"HTTP/1.1 100 Continue\r\n\r\n",
    b"CONNECT h:1 HTTP/1.1\r\n\r\n",
    b"\x16\x03\x01",
    b"\x00",
    b"\xff",
]


@st.composite
def mutations(draw, data_strategy):
    data = bytearray(draw(data_strategy))
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.integers(0, 4))
        at = draw(st.integers(0, len(data)))
        if kind == 0 and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        elif kind == 1:
            del data[at : at + draw(st.integers(1, 20))]
        elif kind == 2:
            data[at:at] = draw(st.sampled_from(_TOKENS))
        elif kind == 3:
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 40))]  # duplicate a slice
    return bytes(data)


@st.composite
def chunks(draw, data_strategy):
    """(outbound, data, total_len) syscalls, with occasional gaps and direction switches."""
    data = draw(data_strategy)
    out = []
    outbound = draw(st.booleans())
    for piece in _split(data, draw(st.lists(st.integers(0, 10_000), max_size=10))):
        if draw(st.integers(0, 5)) == 0:
            outbound = not outbound
        gap = draw(st.sampled_from([0, 0, 0, 1, 7, 500]))
        out.append((outbound, piece, len(piece) + gap))
    return out


def _conversation(convo) -> bytes:
    return b"".join(r + s for r, s, _ in convo)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    chunks(mutations(st.lists(exchanges(), min_size=1, max_size=3).map(_conversation))),
    st.sampled_from(list(Role)),
    st.sampled_from(["eof", "close", "reset", "timeout"]),
)
def test_mutated_traffic_never_raises_out_of_the_connection(syscalls, role, ending):
    stats = Http1Stats()
    conn = Http1Connection(role, body_limit=32, max_pending=4, stats=stats)
    ts = 0
    for outbound, data, total_len in syscalls:
        ts += 10
        for req, resp, err in conn.on_data(outbound, data, total_len, ts, ts + 1):
            assert req.is_request and (resp is None or not resp.is_request) and err is None
            assert len(resp.body) <= 32 and len(req.body) <= 32
    end = {"eof": conn.on_eof, "close": conn.on_close}.get(ending)
    pairs = end(ts) if end else conn.on_error(errno.ECONNRESET if ending == "reset" else errno.ETIMEDOUT, ts)
    pairs += conn.on_close(ts)
    for req, _resp, err in pairs:
        assert req.is_request and err in (None, "connection_reset", "timeout")
    assert stats.internal_errors == 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations(exchanges().map(lambda e: e[0])), mutations(exchanges().map(lambda e: e[1])))
def test_parse_message_raises_nothing_but_its_error_on_mutated_input(request_bytes, response_bytes):
    for data, is_request in ((request_bytes, True), (response_bytes, False)):
        try:
            msg = parse_message(data, is_request, body_limit=16)
        except Http1ParseError:
            continue
        assert msg.is_request is is_request and len(msg.body) <= 16
