"""Hostile HTTP/1 input: framing the server must (or may) refuse, and text that is not clean UTF-8.

RFC 9112 §6.3: a request with both Content-Length and Transfer-Encoding, an invalid or
repeated Content-Length, a final transfer coding other than chunked, or Transfer-Encoding
in HTTP/1.0 has no length the agent can be sure the server used.  The rule (docs/decisions.md):
the request is one exchange with the answer the server sent, and nothing after it is read as
a request unless the server accepted it and kept the connection; then parsing resumes at the
next syscall that starts with a request line.  Every case is also checked split at arbitrary
points: the result must not depend on how the kernel cut the bytes.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otel_ebpf.model import Role
from otel_ebpf.protocols.http1 import Http1Connection, parse_message
from otel_ebpf.protocols.http1_message import parse_head

SMUGGLED = b"GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
BAD_REQUEST = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbad"
NOT_IMPLEMENTED = b"HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
OK_KEEP_ALIVE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

# (reason, request head lines, body bytes that follow the head): each with a smuggled request after it.
AMBIGUOUS = [
    (
        "content_length_and_transfer_encoding",
        b"Content-Length: 6\r\nTransfer-Encoding: chunked\r\n",
        b"0\r\n\r\n" + SMUGGLED,
    ),
    (
        "content_length_and_transfer_encoding",
        b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n",
        b"8\r\nSMUGGLED\r\n0\r\n\r\n" + SMUGGLED,
    ),
    ("invalid_content_length", b"Content-Length: 5\r\nContent-Length: 40\r\n", b"hello" + SMUGGLED),
    ("invalid_content_length", b"Content-Length: 5\r\nContent-Length: 5\r\n", b"hello" + SMUGGLED),
    ("invalid_content_length", b"Content-Length: 5, 5\r\n", b"hello" + SMUGGLED),
    ("invalid_content_length", b"Content-Length: +5\r\n", b"hello" + SMUGGLED),
    ("invalid_content_length", b"Content-Length: 0x5\r\n", b"hello" + SMUGGLED),
    ("invalid_content_length", b"Content-Length: \xb2\r\n", b"h" + SMUGGLED),
    ("transfer_coding_not_chunked", b"Transfer-Encoding: xchunked\r\n", b"5\r\nhello\r\n0\r\n\r\n" + SMUGGLED),
    ("transfer_coding_not_chunked", b"Transfer-Encoding: chunked, gzip\r\n", b"0\r\n\r\n" + SMUGGLED),
    ("transfer_coding_not_chunked", b"Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n", b"0\r\n\r\n"),
]


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    cuts = sorted({c % (len(data) + 1) for c in cuts})
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True) if b > a]


def run(role: Role, requests: list[bytes], responses: list[bytes], close: bool = True, phases: bool = False):
    """Feeds request chunks, then response chunks, of one connection; returns (pairs, connection).

    With `phases`, each chunk carries the kernel's phase as the receiver sets it (requests in
    phase 1, responses in phase 2); without, the phase is unknown (0).
    """
    conn = Http1Connection(role)
    req_out = role == Role.CLIENT
    pairs = []
    conn.turn = 1 if phases else 0
    for chunk in requests:
        pairs += conn.on_data(req_out, chunk, len(chunk), 1, 2)
    conn.turn = 2 if phases else 0
    for chunk in responses:
        pairs += conn.on_data(not req_out, chunk, len(chunk), 3, 4)
    if close:
        pairs += conn.on_close(5)
    return pairs, conn


class Wire:
    """One connection fed the way the eBPF receiver feeds it: each chunk carries the kernel's
    phase (`turn`: +1 at each change of direction) and a later timestamp than the last."""

    def __init__(self, role: Role = Role.SERVER) -> None:
        self.conn = Http1Connection(role)
        self.client = role == Role.CLIENT
        self.turn = 0
        self.last: bool | None = None
        self.ts = 0
        self.pairs: list = []

    def _data(self, outbound: bool, data: bytes) -> None:
        if outbound is not self.last:
            self.turn += 1
            self.last = outbound
        self.conn.turn = self.turn
        self.ts += 10
        self.pairs += self.conn.on_data(outbound, data, len(data), self.ts, self.ts + 1)

    def request(self, data: bytes) -> None:
        self._data(self.client, data)

    def response(self, data: bytes) -> None:
        self._data(not self.client, data)

    def close(self) -> Http1Connection:
        self.ts += 10
        self.pairs += self.conn.on_close(self.ts)
        return self.conn


def summary(pairs) -> list[tuple]:
    return [(q.method, q.target, s.status_code if s is not None else None, err) for q, s, err in pairs]


@pytest.mark.parametrize("phases", [False, True])
@pytest.mark.parametrize("role", [Role.SERVER, Role.CLIENT])
@pytest.mark.parametrize(("reason", "framing", "rest"), AMBIGUOUS)
def test_refused_ambiguous_request_is_one_exchange_and_nothing_after_it_is_a_request(
    role, reason, framing, rest, phases
):
    request = b"POST /upload HTTP/1.1\r\nHost: x\r\n" + framing + b"\r\n" + rest
    status = NOT_IMPLEMENTED if reason == "transfer_coding_not_chunked" else BAD_REQUEST
    # The smuggled request again in a later read (nginx reads on while it lingers before closing).
    pairs, conn = run(role, [request, SMUGGLED], [status, b"\r\n"], phases=phases)
    code = 501 if status is NOT_IMPLEMENTED else 400
    assert summary(pairs) == [("POST", "/upload", code, None)]
    assert pairs[0][0].framing_error == reason
    assert conn.stats.ambiguous_requests == {reason: 1}
    assert conn.stats.parse_errors == 0 and conn.stats.unmatched_responses == 0
    assert conn.stats.dropped_requests == 0


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(AMBIGUOUS),
    st.lists(st.integers(0, 400), max_size=10),
    st.lists(st.integers(0, 200), max_size=6),
    st.sampled_from([Role.SERVER, Role.CLIENT]),
    st.booleans(),
)
def test_ambiguous_requests_give_the_same_result_however_the_bytes_are_cut(case, req_cuts, resp_cuts, role, phases):
    reason, framing, rest = case
    # A valid request before it: it keeps its own answer.
    request = b"GET /first HTTP/1.1\r\n\r\nPOST /upload HTTP/1.1\r\nHost: x\r\n" + framing + b"\r\n" + rest
    responses = OK_KEEP_ALIVE + BAD_REQUEST
    pairs, conn = run(role, split(request, req_cuts), split(responses, resp_cuts), phases=phases)
    assert summary(pairs) == [("GET", "/first", 200, None), ("POST", "/upload", 400, None)]
    assert conn.stats.ambiguous_requests == {reason: 1}
    assert conn.stats.dropped_requests == 0


def test_server_without_an_answer_gives_one_failed_exchange_not_the_smuggled_one():
    request = b"POST /upload HTTP/1.1\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED
    pairs, _ = run(Role.SERVER, [request], [])
    assert summary(pairs) == [("POST", "/upload", None, "connection_reset")]


def test_server_that_accepts_and_keeps_the_connection_is_followed_from_its_next_read():
    """A lenient server read the request somehow and answered 200 without closing: the bytes
    read with the ambiguous request stay unparsed (the server's framing is unknown), the next
    read that starts with a request line is the next request."""
    request = b"POST /upload HTTP/1.1\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED
    conn = Http1Connection(Role.SERVER)
    pairs = conn.on_data(False, request, len(request), 1, 2)
    pairs += conn.on_data(True, OK_KEEP_ALIVE, len(OK_KEEP_ALIVE), 3, 4)
    # The server answered the smuggled request too: a response with no request, counted.
    pairs += conn.on_data(True, OK_KEEP_ALIVE, len(OK_KEEP_ALIVE), 3, 4)
    later = b"GET /next HTTP/1.1\r\n\r\n"
    pairs += conn.on_data(False, later, len(later), 5, 6)
    pairs += conn.on_data(True, OK_KEEP_ALIVE, len(OK_KEEP_ALIVE), 7, 8)
    assert summary(pairs) == [("POST", "/upload", 200, None), ("GET", "/next", 200, None)]
    assert conn.stats.unmatched_responses == 1
    assert conn.stats.resyncs == 1


def test_a_server_that_announced_close_processes_nothing_after_it():
    """Requests pipelined after one the server answered with Connection: close were never
    processed: counted, not reported as failed exchanges."""
    requests = b"GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n"
    closing = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    conn = Http1Connection(Role.SERVER)
    pairs = conn.on_data(False, requests, len(requests), 1, 2)
    pairs += conn.on_data(True, closing, len(closing), 3, 4)
    lingering = b"GET /d HTTP/1.1\r\n\r\n"  # read while the server lingers before closing
    pairs += conn.on_data(False, lingering, len(lingering), 5, 6)
    pairs += conn.on_close(7)
    assert summary(pairs) == [("GET", "/a", 200, None)]
    assert conn.stats.unprocessed_requests == 2  # /b and /c; /d was never parsed
    # A client keeps its view: its requests failed when the connection closed.
    pairs, conn = run(Role.CLIENT, [requests], [closing])
    assert summary(pairs) == [("GET", "/a", 200, None), ("GET", "/b", None, "timeout"), ("GET", "/c", None, "timeout")]


# ---------------------------------------------------------------------------
# The same rules with the kernel's phases, the path every captured connection takes

CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


def get(target: bytes) -> bytes:
    return b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n\r\n"


def response(status: bytes = b"200 OK", extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 " + status + b"\r\nContent-Length: 2\r\n" + extra + b"\r\nok"


@pytest.mark.parametrize("role", [Role.SERVER, Role.CLIENT])
def test_ambiguous_request_with_100_continue_answered_leniently_keeps_the_connection_alive(role):
    """The answer comes two phases after the request's head (100 Continue, then the body): it is
    the ambiguous request's, and the exchanges after it pair as usual, nothing counted lost."""
    wire = Wire(role)
    wire.request(
        b"POST /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n"
    )
    wire.response(CONTINUE)
    wire.request(b"hello")
    wire.response(response())
    wire.request(get(b"/next"))
    wire.response(response())
    stats = wire.close().stats
    assert summary(wire.pairs) == [("POST", "/up", 200, None), ("GET", "/next", 200, None)]
    assert stats.ambiguous_requests == {"invalid_content_length": 1}
    assert stats.dropped_requests == 0 and stats.unmatched_responses == 0


@pytest.mark.parametrize("role", [Role.SERVER, Role.CLIENT])
def test_ambiguous_request_with_100_continue_refused_is_the_span_of_the_error(role):
    wire = Wire(role)
    wire.request(
        b"POST /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
        b"Transfer-Encoding: gzip, chunked\r\nContent-Length: 5\r\n\r\n"
    )
    wire.response(CONTINUE)
    wire.request(b"5\r\nhello\r\n0\r\n\r\n" + SMUGGLED)
    wire.response(response(b"400 Bad Request", b"Connection: close\r\n"))
    stats = wire.close().stats
    assert summary(wire.pairs) == [("POST", "/up", 400, None)]
    assert stats.ambiguous_requests == {"content_length_and_transfer_encoding": 1}
    assert stats.dropped_requests == 0 and stats.unmatched_responses == 0


@pytest.mark.parametrize("role", [Role.SERVER, Role.CLIENT])
def test_answers_after_a_refusal_without_close_are_counted_unmatched_not_lost(role):
    """A server that refused an ambiguous request (400) but kept the connection goes on serving:
    its requests are not parsed (which bytes were the refused body is unknowable), its answers
    are counted as unmatched responses, never as requests lost in the ring buffer."""
    wire = Wire(role)
    wire.request(b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
    wire.response(response(b"400 Bad Request"))
    for _ in range(3):
        wire.request(get(b"/n"))
        wire.response(response())
    stats = wire.close().stats
    assert summary(wire.pairs) == [("POST", "/a", 400, None)]
    assert stats.unmatched_responses == 3
    assert stats.dropped_requests == 0 and stats.unprocessed_requests == 0


def test_phases_read_after_a_close_answer_are_unprocessed_requests():
    # The client's next request, read while the server lingers before closing.
    wire = Wire()
    wire.request(get(b"/1"))
    wire.response(response(extra=b"Connection: close\r\n"))
    wire.request(get(b"/2"))
    stats = wire.close().stats
    assert summary(wire.pairs) == [("GET", "/1", 200, None)]
    assert stats.unprocessed_requests == 1 and stats.dropped_requests == 0
    # The body of a refused request, read after the refusal: the server processed none of it.
    wire = Wire()
    wire.request(b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")
    wire.response(BAD_REQUEST)
    wire.request(b"hello")
    stats = wire.close().stats
    assert summary(wire.pairs) == [("POST", "/a", 400, None)]
    assert stats.unprocessed_requests == 1 and stats.dropped_requests == 0


def test_a_close_answer_that_pairs_with_nothing_still_ends_the_requests():
    """An unsolicited ``408`` with ``Connection: close`` started before the client's next request
    arrived: it answers no request we saw, and that request, read while the server closes, was
    never processed: counted, not reported as a reset exchange."""
    wire = Wire()
    wire.request(get(b"/1"))
    wire.response(response())
    timeout = response(b"408 Request Timeout", b"Connection: close\r\n")
    wire.response(timeout[:20])  # the server starts writing the 408...
    wire.request(get(b"/2"))  # ...while the client's next request arrives
    wire.response(timeout[20:])
    stats = wire.close().stats
    assert summary(wire.pairs) == [("GET", "/1", 200, None)]
    assert stats.unmatched_responses == 1 and stats.unprocessed_requests == 1
    assert stats.dropped_requests == 0


def test_100_continue_exchange_is_not_counted_lost():
    """Request head, 100 Continue, body, answer: four phases, one exchange (curl sends
    ``Expect: 100-continue`` for bodies over 1 KiB)."""
    wire = Wire()
    for _ in range(2):
        wire.request(b"POST /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2000\r\n\r\n")
        wire.response(CONTINUE)
        wire.request(b"x" * 2000)
        wire.response(response())
    wire.request(get(b"/next"))
    wire.response(response())
    stats = wire.close().stats
    assert summary(wire.pairs) == [("POST", "/up", 200, None)] * 2 + [("GET", "/next", 200, None)]
    assert stats.dropped_requests == 0 and stats.unmatched_responses == 0


def test_an_unparseable_response_costs_its_request_only():
    wire = Wire()
    wire.request(get(b"/1"))
    wire.response(b"HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n")
    wire.request(get(b"/2"))
    wire.response(response())
    stats = wire.close().stats
    assert summary(wire.pairs) == [("GET", "/2", 200, None)]
    assert stats.dropped_by_reason == {"unparseable_response": 1}


@pytest.mark.parametrize(
    "framing",
    [
        b"Transfer-Encoding: gzip, chunked\r\n",
        b"Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
        b"Transfer-Encoding: CHUNKED\r\n",
    ],
)
def test_chunked_as_the_final_coding_is_framed(framing):
    request = b"POST /up HTTP/1.1\r\n" + framing + b"\r\n5\r\nhello\r\n0\r\n\r\nGET /next HTTP/1.1\r\n\r\n"
    pairs, conn = run(Role.SERVER, [request], [OK_KEEP_ALIVE * 2])
    assert summary(pairs) == [("POST", "/up", 200, None), ("GET", "/next", 200, None)]
    assert pairs[0][0].body_size == 5 and conn.stats.ambiguous_requests == {}


def test_transfer_encoding_in_http10_has_no_framing():
    request = b"POST /up HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED
    pairs, conn = run(Role.SERVER, [request], [BAD_REQUEST])
    assert summary(pairs) == [("POST", "/up", 400, None)]
    assert conn.stats.ambiguous_requests == {"transfer_encoding_in_http10": 1}


def test_responses_keep_their_framing_rules():
    # Transfer-Encoding wins over Content-Length in a response (RFC 9112 §6.3 item 3).
    both = parse_message(
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", False
    )
    assert both.body_size == 3
    repeated = parse_message(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok", False)
    assert repeated.body == b"ok"
    with pytest.raises(ValueError):
        parse_message(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", False)


# ---------------------------------------------------------------------------
# Text: UTF-8 decoded, everything else escaped


def test_raw_utf8_path_and_user_agent_are_text():
    msg = parse_head("GET /café/日本?q=ü HTTP/1.1\r\nUser-Agent: naïve/1.0\r".encode(), True)
    assert msg.target == "/café/日本?q=ü"
    assert msg.headers["user-agent"] == "naïve/1.0"


def test_percent_encoded_path_is_kept_as_sent():
    msg = parse_head(b"GET /caf%C3%A9/%E6%97%A5 HTTP/1.1\r", True)
    assert msg.target == "/caf%C3%A9/%E6%97%A5"


def test_bytes_that_are_not_utf8_or_are_controls_are_escaped():
    msg = parse_head(b"GET /a\xff\xc3b\x00c\x7f\xc2\x85 HTTP/1.1\r\nUser-Agent: t\xe9st\x00\x1b[31m\tx\r", True)
    assert msg.target == "/a%FF%C3b%00c%7F%C2%85"  # the target stays a valid URL
    assert msg.headers["user-agent"] == "t\\xe9st\\x00\\x1b[31m\\x09x"


def test_bare_cr_inside_a_value_is_escaped():
    msg = parse_head(b"GET / HTTP/1.1\r\nX-A: one\rtwo\r\nHost: h\r", True)
    assert msg.headers == {"x-a": "one\\x0dtwo", "host": "h"}
    msg = parse_head(b"GET / HTTP/1.1\nX-A: one\rtwo\nHost: h\rz", True)  # bare LF line ends too
    assert msg.headers == {"x-a": "one\\x0dtwo", "host": "h\\x0dz"}


_CONTROLS = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))}


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=1, max_size=40), st.binary(max_size=40))
def test_any_bytes_become_valid_utf8_without_controls(path_bytes, value_bytes):
    path_bytes = path_bytes.replace(b" ", b"").replace(b"\n", b"") or b"x"
    value_bytes = value_bytes.replace(b"\n", b"")
    block = b"GET /" + path_bytes + b" HTTP/1.1\r\nUser-Agent: " + value_bytes + b"\r\nX-" + value_bytes + b": v\r"
    msg = parse_head(block, True)
    texts = [msg.target, *msg.headers, *msg.headers.values()]
    for text in texts:
        text.encode("utf-8")  # no lone surrogates
        assert not _CONTROLS.intersection(text), text
    # Valid UTF-8 text without controls comes through unchanged.
    try:
        decoded = path_bytes.decode("utf-8")
    except UnicodeDecodeError:
        return
    if not _CONTROLS.intersection(decoded):
        assert msg.target == "/" + decoded


# ---------------------------------------------------------------------------
# Every combination of framing headers against an RFC 9112 §6.3 oracle, cut anywhere

_CL_VALUES = ["5", "40", "+5", "5, 5", "0x5", " 5", "", "05"]
_TE_VALUES = ["chunked", "xchunked", "gzip", "gzip, chunked", "chunked, gzip", "CHUNKED", "identity"]


def _oracle(minor: int, cls: list[str], tes: list[str]) -> str:
    """The framing RFC 9112 §6.3 gives a request: "cl", "chunked", "none", or why there is none."""
    if tes:
        if cls:
            return "content_length_and_transfer_encoding"
        if minor == 0:
            return "transfer_encoding_in_http10"
        final = ", ".join(tes).rpartition(",")[2].strip().lower()
        return "chunked" if final == "chunked" else "transfer_coding_not_chunked"
    if not cls:
        return "none"
    if len(cls) == 1 and cls[0].strip().isdigit():
        return "cl"
    return "invalid_content_length"


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from([0, 1]),
    st.lists(st.sampled_from(_CL_VALUES), max_size=2),
    st.lists(st.sampled_from(_TE_VALUES), max_size=2),
    st.lists(st.integers(0, 400), max_size=8),
    st.lists(st.integers(0, 200), max_size=4),
    st.sampled_from([Role.SERVER, Role.CLIENT]),
    st.booleans(),
)
def test_every_framing_combination_follows_rfc9112(minor, cls, tes, req_cuts, resp_cuts, role, phases):
    framing = _oracle(minor, cls, tes)
    lines = b"".join(b"Content-Length: %s\r\n" % v.encode() for v in cls)
    lines += b"".join(b"Transfer-Encoding: %s\r\n" % v.encode() for v in tes)
    if framing == "cl":
        body, size = b"x" * int(cls[0]), int(cls[0])
    elif framing == "chunked":
        body, size = b"5\r\nhello\r\n0\r\n\r\n", 5
    elif framing == "none":
        body, size = b"", 0
    else:
        body, size = b"5\r\nhello\r\n0\r\n\r\nhello" + SMUGGLED, 0
    request = b"POST /up HTTP/1.%d\r\nHost: x\r\n" % minor + lines + b"\r\n" + body + b"GET /next HTTP/1.1\r\n\r\n"
    valid = framing in ("cl", "chunked", "none")
    responses = OK_KEEP_ALIVE * 2 if valid else BAD_REQUEST
    pairs, conn = run(role, split(request, req_cuts), split(responses, resp_cuts), phases=phases)
    if valid:
        assert summary(pairs) == [("POST", "/up", 200, None), ("GET", "/next", 200, None)]
        assert pairs[0][0].body_size == size
        assert conn.stats.ambiguous_requests == {}
    else:
        assert summary(pairs) == [("POST", "/up", 400, None)]
        assert conn.stats.ambiguous_requests == {framing: 1}
    assert conn.stats.parse_errors == 0 and conn.stats.unmatched_responses == 0
    assert conn.stats.dropped_requests == 0


def test_a_late_answer_to_the_request_before_an_ambiguous_one_is_its_own():
    """The events of the answer to /a reach the agent after the ambiguous request (the receiver
    says response bytes are still in flight: not pipelining); that answer is /a's, by its phase,
    and the ambiguous request's own answer comes next."""
    conn = Http1Connection(Role.CLIENT)
    first = get(b"/a")
    ambiguous = b"POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy"
    refusal = response(b"400 Bad Request", b"Connection: close\r\n")
    conn.turn = 1
    pairs = conn.on_data(True, first, len(first), 10, 11)
    conn.turn, conn.other_behind = 3, True
    pairs += conn.on_data(True, ambiguous, len(ambiguous), 30, 31)
    conn.turn, conn.other_behind = 2, False
    pairs += conn.on_data(False, response(), len(response()), 20, 21)
    conn.turn = 4
    pairs += conn.on_data(False, refusal, len(refusal), 40, 41)
    pairs += conn.on_close(50)
    assert summary(pairs) == [("GET", "/a", 200, None), ("POST", "/b", 400, None)]
    assert conn.stats.dropped_requests == 0 and conn.stats.unmatched_responses == 0
