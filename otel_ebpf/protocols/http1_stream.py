"""Incremental HTTP/1.x framing of one direction of a connection.

An :class:`Http1Stream` eats the chunks one syscall moved (captured prefix plus a
count of bytes the capture missed) and finds where each message's head and body
end, whatever the fragmentation.  It never looks at bodies byte by byte: it skips
them by counting.  What the messages *mean* (pairing, role, upgrades) is the
owner's business, reached through four callbacks (see :class:`StreamOwner`).

Recovery rules, in order of confidence:

* strict: at a message boundary the next bytes must be a start line;
* resync (``_RESYNC``): framing inside a body was lost (a gap in chunked framing,
  a truncated header block without framing headers); the message ends at the next
  chunk that begins with a valid start line, when the other direction starts a
  message, or at EOF/close;
* hunt (``_HUNT``): between messages with no idea where we are (connections seen
  mid-stream, after a gap between messages or a bad head); chunks are skipped until
  one begins like a start line, which is then parsed tentatively: if it fails, we
  keep hunting without counting an error;
* unframed (``_UNFRAMED``): after a request whose body length cannot be determined
  (RFC 9112 §6.3: Content-Length with Transfer-Encoding, an invalid or repeated
  Content-Length, a final transfer coding other than chunked), nothing is parsed as a
  request: which bytes the server took as a body is the server's choice, and parsing
  them would invent requests (a smuggled ``GET``).  The owner decides from the
  server's answer whether parsing resumes (see ``Http1Connection.on_message``).
"""

from __future__ import annotations

from typing import Protocol

from otel_ebpf.protocols.http1_message import (
    MAX_CHUNK_LINE,
    MAX_HEADER_BLOCK,
    MAX_START_LINE,
    Http1LimitError,
    Http1Message,
    Http1ParseError,
    content_length,
    find_head_end,
    is_chunked,
    parse_chunk_size,
    parse_head,
    plain_head,
    plausible_start,
    starts_with_start_line,
)

# Stream states.
_START = 0  # at a message boundary (self.buf may hold the beginning of a head)
_LEN = 1  # Content-Length body: self.remaining bytes to go
_CHUNK_SIZE = 2  # expecting a chunk-size line
_CHUNK_DATA = 3  # inside chunk data: self.remaining bytes to go
_CHUNK_END = 4  # expecting the CRLF after chunk data
_TRAILERS = 5  # trailer lines until a blank line (self.remaining counts their bytes)
_CLOSE = 6  # body delimited by the connection closing
_RESYNC = 7  # framing lost inside a message (see module docstring)
_HUNT = 8  # between messages, looking for a chunk that starts one
_DEAD = 9  # no longer parsed (not HTTP, upgraded, given up)
_DONE = 10  # framing result only: the message has no body
_UNFRAMED = 11  # after a request of undeterminable length: bytes are skipped, never parsed

# Why bytes of a stream were not seen (the `reason` of dropped requests they cost).
CAPTURE_WINDOW = "capture_window"  # beyond what the kernel copies of one syscall (capture_bytes x read_chunks)
LOST_EVENT = "lost_event"  # whole syscalls whose events never arrived (ring buffer full, program skipped)
# Every reason a request is dropped for (Http1Stats.drop_requests), exported even when zero.
DROP_REASONS = ("unparseable_response", "parsing_stopped", "pending_overflow", LOST_EVENT, CAPTURE_WINDOW)

# How many leading bytes decide whether a chunk can start a message.
_PROBE = 32


class Http1Stats:
    """Plain counters, shared by all connections of a tracker and exported as metrics."""

    __slots__ = (
        "messages_parsed",
        "parse_errors",
        "non_http_connections",
        "pending_overflow",
        "truncated_headers",
        "resyncs",
        "unmatched_responses",
        "upgrades",
        "gap_bytes",
        "lost_event_gaps",
        "gap_unknown",
        "abandoned_connections",
        "internal_errors",
        "unprocessed_requests",
        "ambiguous_requests",
        "dropped_by_reason",
    )

    def __init__(self) -> None:
        self.messages_parsed = 0  # complete requests and responses (1xx included)
        self.parse_errors = 0  # malformed heads or chunked framing on HTTP connections
        self.non_http_connections = 0  # classified as something else from their first bytes
        self.pending_overflow = 0  # requests dropped because more than max_pending were unanswered
        self.truncated_headers = 0  # header blocks cut by the capture limit or a gap
        self.resyncs = 0  # times a stream lost its framing and had to look for the next message
        self.unmatched_responses = 0  # responses with no request to pair with (dropped)
        self.upgrades = 0  # 101 Switching Protocols / CONNECT tunnels: parsing stopped, not an error
        self.gap_bytes = 0  # bytes the kernel moved but the capture did not carry
        self.lost_event_gaps = 0  # places where events of a connection were lost (stream positions jumped)
        self.gap_unknown = 0  # ... of them, how many bytes is unknown (the kernel's count restarted)
        self.abandoned_connections = 0  # pipelined connections whose pairing a gap made uncertain
        self.internal_errors = 0  # bugs caught at the boundary (the connection is given up)
        # Requests a server read after it answered "Connection: close": it never processed them.
        self.unprocessed_requests = 0
        # Requests whose body length could not be determined, by reason (framing_error).
        self.ambiguous_requests: dict[str, int] = {}
        # Requests dropped unanswered (no exchange: their response was unparseable or lost, the
        # parsing gave up, ...), by reason.
        self.dropped_by_reason: dict[str, int] = {}

    @property
    def dropped_requests(self) -> int:
        """Requests dropped unanswered, whatever the reason."""
        return sum(self.dropped_by_reason.values())

    def drop_requests(self, reason: str, n: int = 1) -> None:
        """Counts `n` requests that will have no exchange, and why."""
        self.dropped_by_reason[reason] = self.dropped_by_reason.get(reason, 0) + n

    def as_dict(self) -> dict[str, int]:
        """The plain counters: ``dropped_by_reason`` and ``ambiguous_requests`` have a reason and
        are exported apart."""
        return {name: getattr(self, name) for name in self.__slots__ if not isinstance(getattr(self, name), dict)}


class StreamOwner(Protocol):
    """What a stream asks of the layer above it."""

    turn: int  # the kernel's phase of the chunk being fed (0: unknown)

    def request_method(self, stream: Http1Stream) -> str:
        """The method of the request the response now starting answers ("" if unknown)."""

    def on_head(self, stream: Http1Stream, msg: Http1Message) -> None:
        """A message's head was parsed (its body may follow)."""

    def on_message(self, stream: Http1Stream, msg: Http1Message) -> None:
        """A message is complete."""

    def on_whole(self, stream: Http1Stream, msg: Http1Message) -> bool:
        """on_head then on_message, for a message that came whole in one chunk (take_whole), called
        with the stream already back at a message boundary; False, having done nothing, when the
        owner needs the two calls (the stream then makes them)."""

    def on_head_error(self, stream: Http1Stream, err: Http1ParseError) -> None:
        """A head that had to be valid was not; the stream is already hunting."""

    def on_foreign(self, stream: Http1Stream) -> None:
        """A hunting stream saw a chunk that is certainly not HTTP/1 (a TLS record)."""

    def on_lost_message(self, stream: Http1Stream, reason: str) -> None:
        """One or more messages were (at least partly) in bytes nobody saw; the stream is hunting.

        `reason`: CAPTURE_WINDOW or LOST_EVENT.
        """


def _framing(msg: Http1Message) -> tuple[int, int]:
    """Body framing of a message per RFC 9112 §6.3: (state, Content-Length).

    A request whose length the server must (or may) refuse to determine gets
    ``_UNFRAMED`` and the reason in ``msg.framing_error``.
    """
    headers = msg.headers
    if msg.is_request:
        te = headers.get("transfer-encoding")
        cl = headers.get("content-length")
        if te is not None:
            if cl is not None:
                msg.framing_error = "content_length_and_transfer_encoding"  # §6.3 item 3
            elif msg.version == "1.0":
                msg.framing_error = "transfer_encoding_in_http10"  # §6.1
            elif not is_chunked(te):
                msg.framing_error = "transfer_coding_not_chunked"  # §6.3 item 4
            else:
                return _CHUNK_SIZE, 0
            return _UNFRAMED, 0
        if cl is None:
            return _DONE, 0
        if cl.isdigit() and cl.isascii():
            size = int(cl)
            return (_LEN, size) if size else (_DONE, 0)
        # Not one decimal value: invalid, or repeated (even with equal values, which a
        # server may reject or accept, RFC 9110 §8.6): §6.3 item 5.
        msg.framing_error = "invalid_content_length"
        return _UNFRAMED, 0
    status = msg.status_code
    method = msg.method
    if status < 200 or status == 204 or status == 304 or method == "HEAD":
        return _DONE, 0
    if method == "CONNECT" and status < 300:
        return _DONE, 0  # a tunnel follows, not a body
    te = headers.get("transfer-encoding")
    if te is not None:
        return (_CHUNK_SIZE, 0) if is_chunked(te) else (_CLOSE, 0)
    cl = headers.get("content-length")
    if cl is None:
        return _CLOSE, 0
    size = int(cl) if cl.isdigit() and cl.isascii() else content_length(cl)
    return (_LEN, size) if size else (_DONE, 0)


def _looks_like_tls(data: bytes) -> bool:
    # TLS record: content type 20..23, then major version 3.
    return len(data) > 2 and 20 <= data[0] <= 23 and data[1] == 3


class Http1Stream:
    """Framing state of one direction (requests or responses) of one connection.

    Args:
        owner: receives heads, complete messages and errors.
        want: True if this direction carries requests, False for responses, None while unknown.
        body_limit: how many body bytes of each message to keep.
        stats: counters to update.
        hunting: start by looking for a message (a connection seen mid-stream).
        raise_errors: let Http1ParseError out instead of recovering (one-shot parsing).
    """

    __slots__ = (
        "owner",
        "want",
        "body_limit",
        "stats",
        "raise_errors",
        "state",
        "buf",
        "tentative",
        "msg",
        "remaining",
        "first_te",
        "first_turn",
        "first_tx",
        "last_tx",
        "last_head",
        "memo",
        "stopped_at",
    )

    def __init__(
        self,
        owner: StreamOwner,
        want: bool | None,
        body_limit: int,
        stats: Http1Stats,
        hunting: bool = False,
        raise_errors: bool = False,
    ) -> None:
        self.owner = owner
        self.want = want
        self.body_limit = body_limit
        self.stats = stats
        self.raise_errors = raise_errors
        self.state = _HUNT if hunting else _START
        self.buf = bytearray()  # partial head or framing line carried over to the next chunk
        self.tentative = False  # the head being read may turn out not to be one (hunting)
        self.msg: Http1Message | None = None
        self.remaining = 0
        self.first_te = 0
        self.first_turn = 0  # the owner's phase (turn) when the current head started
        self.first_tx = 0
        self.last_tx = 0
        # The last request head take_whole read, and once a head repeats right after itself (a
        # client sending the same request again: wrk), (head, method, target, version, headers):
        # the next such head is that message again.  Comparing two heads costs less than looking
        # one up in a cache (its hash): 0.07 µs for a head never seen again (an id in its path),
        # against 0.2 µs for a cache of whole request heads; a repeated wrk head 0.25 µs against
        # 0.86 µs through plain_head (development VM).
        self.last_head = b""
        self.memo: tuple | None = None
        # Where in the chunk being read the owner stopped this stream for good on a message's end
        # (a 101: the next protocol's bytes start there); -1 until then, or when unknown.
        self.stopped_at = -1

    # ---- the hot path ----

    def feed(self, data: bytes, gap: int, ts_enter: int, ts_exit: int, pos: int = 0) -> None:
        """Consumes one syscall's bytes: `data` captured, then `gap` bytes not captured.

        `pos`: where to go on in `data` (after `take_whole` read a message's head).
        """
        n = len(data)
        bstart = pos  # where the current message's body bytes begin in this chunk
        while pos < n:
            state = self.state
            if state == _START:
                pos = self._head(data, pos, ts_enter, ts_exit)
                bstart = pos
            elif state == _LEN:
                rem = self.remaining
                if n - pos < rem:
                    self.remaining = rem - (n - pos)
                    pos = n
                else:
                    pos += rem
                    self.remaining = 0
                    self.last_tx = ts_exit
                    msg = self.msg
                    if not msg.body and 0 < pos - bstart <= self.body_limit:
                        msg.body = data[bstart:pos]  # the whole body in this chunk: _capture's result
                    else:
                        self._capture(data, bstart, pos)
                    self._complete()
            elif state == _CHUNK_DATA:
                rem = self.remaining
                if n - pos < rem:
                    self.remaining = rem - (n - pos)
                    pos = n
                else:
                    pos += rem
                    self.remaining = 0
                    self.state = _CHUNK_END
            elif state <= _TRAILERS:  # _CHUNK_SIZE, _CHUNK_END, _TRAILERS
                line_at = -1 if self.buf else pos
                try:
                    line, end = self._line(data, pos, n)
                    if line is None:
                        pos = n
                        continue
                    pos = end
                    if state == _CHUNK_SIZE:
                        size = parse_chunk_size(line)
                        if size:
                            self.remaining = size
                            self.msg.body_size += size
                            self.state = _CHUNK_DATA
                        else:
                            self.remaining = 0
                            self.state = _TRAILERS
                    elif state == _CHUNK_END:
                        if line and line != b"\r":
                            raise Http1ParseError("chunk data not followed by CRLF")
                        self.state = _CHUNK_SIZE
                    elif not line or line == b"\r":  # blank line: end of trailers, end of message
                        self.last_tx = ts_exit
                        self._capture(data, bstart, pos)
                        self._complete()
                    else:
                        self.remaining += len(line)
                        if self.remaining > MAX_HEADER_BLOCK:
                            raise Http1LimitError("trailer section too large")
                except Http1ParseError:
                    if self.raise_errors:
                        raise
                    self.stats.parse_errors += 1
                    self._lose_sync()
                    if line_at == 0:
                        pos = 0  # the bad line opened this chunk: it may be the next message's start line
            elif state == _CLOSE:
                self.msg.body_size += n - pos
                pos = n
            elif state == _RESYNC:
                if pos == 0 and starts_with_start_line(data, self.want):
                    # A new message starts here, so the lost one ended with the previous chunk.
                    self._complete()
                    if self.state == _START:
                        self.tentative = True
                else:
                    self.msg.body_size += n - pos
                    pos = n
            elif state == _UNFRAMED:
                pos = n
            elif state == _HUNT:
                if pos == 0 and plausible_start(data[:_PROBE], self.want):
                    self.state = _START
                    self.tentative = True
                else:
                    if pos == 0 and _looks_like_tls(data):
                        self.owner.on_foreign(self)
                    pos = n
            else:  # _DEAD
                return
        if self.msg is not None:
            self._capture(data, bstart, n)
            self.last_tx = ts_exit
        if gap > 0:
            self._gap(gap, ts_exit)

    def take_whole(self, data: bytes, n: int, ts_enter: int, ts_exit: int) -> int:
        """feed() for the usual chunk: exactly one whole message with a plain head (see plain_head)
        and no body or a Content-Length body that ends with the chunk, every byte captured; or such
        a head and the first bytes of its body, which goes on in the next chunks (a server that
        writes the head and the body apart, as gunicorn does, or a large body): then the head is
        read here and feed() reads the body from where it starts.

        Does for it what the loop of feed, _head, _begin and _complete does, without their calls
        (a keep-alive GET and its response through Http1Connection, heads included: 4.0 µs
        against 4.7 µs through feed, development VM).  Returns
        `n` when the chunk is consumed; else where feed() goes on (its `pos`): 0 when this is
        not such a chunk (nothing was changed), or where _head would have left off.
        """
        if self.state != _START or self.buf:
            return 0
        end = data.find(b"\n\r\n")
        if end <= 0:
            return 0
        c = data[0]
        if c == 13 or c == 10:
            return 0
        head = data[:end]  # a plain head ends at its first CRLF CRLF
        if self.want is True:
            memo = self.memo
            if memo is not None and memo[0] == head:
                msg = Http1Message(True, memo[1], memo[2], memo[3], 0, memo[4].copy())
            else:
                msg = plain_head(head, True)
                if msg is None:
                    return 0
                if head == self.last_head:
                    self.memo = (head, msg.method, msg.target, msg.version, msg.headers.copy())
                self.last_head = head
        else:
            msg = plain_head(head, self.want)
            if msg is None:
                return 0
        owner = self.owner
        headers = msg.headers
        if msg.is_request:
            if "transfer-encoding" in headers:
                return 0
            cl = headers.get("content-length")
            if cl is None:
                size = 0
            elif cl.isdigit() and cl.isascii():
                size = int(cl)
            else:
                return 0
        else:
            method = msg.method = owner.request_method(self)
            status = msg.status_code
            cl = headers.get("content-length")
            if (
                cl is not None
                and status >= 200
                and status != 204
                and status != 304
                and method != "HEAD"
                and method != "CONNECT"
                and "transfer-encoding" not in headers
                and cl.isdigit()
                and cl.isascii()
            ):
                size = int(cl)  # what _framing gives for it, without the call
            else:
                try:
                    state, size = _framing(msg)
                except Http1ParseError:
                    return 0
                if state != _LEN and state != _DONE:
                    return 0
        body = end + 3
        whole = body + size == n
        if not whole and body + size < n:
            return 0  # more than one message (pipelined): feed's loop
        # _begin
        turn = owner.turn
        self.first_te = msg.first_ts_enter = ts_enter
        self.first_turn = msg.first_turn = turn
        self.first_tx = msg.first_ts_exit = ts_exit
        msg.body_size = size
        self.tentative = False
        self.last_tx = ts_exit
        if whole and size <= self.body_limit:
            # One call for the head and the end of the message (the stream is where _complete
            # leaves it): a keep-alive GET and its response, 0.25 µs less than on_head and
            # on_message (development VM, bench/bench_parse.py).
            msg.last_ts_exit = ts_exit
            if owner.on_whole(self, msg):
                if size:
                    msg.body = data[body:]
                self.stats.messages_parsed += 1
                return n
        self.msg = msg
        self.state = _LEN if size else _DONE
        self.remaining = size
        owner.on_head(self, msg)
        state = self.state
        if not whole:
            # The body starts here and goes on: feed's _LEN branch reads it (`size` > 0 here).  Not
            # reading the head twice saves 1.2 µs an exchange (bench/bench_parse.py --close --receive).
            if state != _LEN:
                self._begun(msg)  # the owner changed this stream while it read the head
                return self._stopped(body, n) if self.state == _DEAD else body
            return body
        if state == _LEN:
            # feed's _LEN branch: the body is the rest of the chunk.
            self.remaining = 0
            if size <= self.body_limit:
                msg.body = data[body:]
            else:
                self._capture(data, body, n)
        elif state != _DONE:
            # The owner changed this stream while it read the head (a message of the other
            # direction that ended then stopped the requests): what _begin and _head do then.
            self._begun(msg)
            return self._stopped(body, n) if self.state == _DEAD else body
        # _complete
        self.msg = None
        self.state = _START
        msg.last_ts_exit = ts_exit
        self.stats.messages_parsed += 1
        owner.on_message(self, msg)
        return n

    def _head(self, data: bytes, pos: int, ts_enter: int, ts_exit: int) -> int:
        """Reads a message head starting at `pos`; returns where its body starts (or len(data))."""
        n = len(data)
        buf = self.buf
        if buf:
            old = len(buf)
            buf += data[pos:] if pos else data
            end, body = find_head_end(buf, old - 3 if old > 3 else 0)
            if end < 0:
                self._partial_head(old)
                return n
            block = buf[:end]
            body_pos = pos + body - old
            self.buf = bytearray()
            msg = None
        else:
            c = data[pos]
            if c == 13 or c == 10:
                # Stray CRLFs between messages are ignored (RFC 9112 §2.2).
                while pos < n and (data[pos] == 13 or data[pos] == 10):
                    pos += 1
                if pos == n:
                    return n
            self.first_te = ts_enter
            self.first_turn = self.owner.turn
            self.first_tx = ts_exit
            end = data.find(b"\n\r\n", pos)
            # A plain head has no bare LF, so it ends at its first CRLF CRLF (what find_head_end
            # finds for it): one search of the chunk instead of two, 0.1 µs a message.
            msg = plain_head(data[pos:end], self.want) if end >= 0 else None
            if msg is not None:
                body_pos = end + 3
            else:
                end, body_pos = find_head_end(data, pos)
                if end < 0:
                    self.buf = bytearray(data[pos:] if pos else data)
                    self._partial_head(0)
                    return n
                block = data[pos:end]
        try:
            if msg is None:
                msg = parse_head(block, self.want)
            self._begin(msg, ts_exit, False)
        except Http1ParseError as err:
            self._head_failed(err)
            return n
        return self._stopped(body_pos, n) if self.state == _DEAD else body_pos

    def _stopped(self, pos: int, n: int) -> int:
        """The owner stopped the stream on the message that ends at `pos` (a 101): remembers where
        the bytes that follow it start (stopped_at); nothing more of the chunk is read."""
        self.stopped_at = pos
        return n

    def _partial_head(self, old: int) -> None:
        """A head is still incomplete: enforce the limits and classify early."""
        buf = self.buf
        try:
            if old < _PROBE and not plausible_start(buf[:_PROBE], self.want):
                raise Http1ParseError("not an HTTP/1 start line")
            if len(buf) > MAX_START_LINE and buf.find(b"\n", 0, MAX_START_LINE + 1) < 0:
                raise Http1LimitError("start line too long")
            if len(buf) > MAX_HEADER_BLOCK:
                raise Http1LimitError("header block too large")
        except Http1ParseError as err:
            self._head_failed(err)

    def _begin(self, msg: Http1Message, ts_exit: int, truncated: bool) -> None:
        msg.first_ts_enter = self.first_te
        msg.first_turn = self.first_turn
        msg.first_ts_exit = self.first_tx
        if msg.is_request:
            headers = msg.headers
            if "content-length" in headers or "transfer-encoding" in headers:
                state, size = _framing(msg)
            else:
                state = _DONE  # what _framing says of a request without framing headers
                size = 0
        else:
            msg.method = self.owner.request_method(self)
            state, size = _framing(msg)
        if truncated:
            msg.headers_truncated = True
            self.stats.truncated_headers += 1
            headers = msg.headers
            if (msg.is_request or state == _CLOSE) and not (
                "content-length" in headers or "transfer-encoding" in headers
            ):
                # The framing headers may have been in the part we did not see.
                state = _RESYNC
                self.stats.resyncs += 1
        msg.body_size = size
        self.tentative = False
        self.msg = msg
        self.state = state
        self.remaining = size
        self.last_tx = ts_exit
        self.owner.on_head(self, msg)
        self._begun(msg)

    def _begun(self, msg: Http1Message) -> None:
        """What follows a head once the owner has seen it: a message without a body is complete."""
        if self.state == _DONE:
            self._complete()
        elif self.state == _UNFRAMED:
            reasons = self.stats.ambiguous_requests
            reasons[msg.framing_error] = reasons.get(msg.framing_error, 0) + 1
            self._complete()  # the request is its head: its body is whatever the server took
            if self.state == _START:
                self.state = _UNFRAMED

    def _complete(self) -> None:
        msg = self.msg
        self.msg = None
        self.state = _START
        msg.last_ts_exit = self.last_tx
        self.stats.messages_parsed += 1
        self.owner.on_message(self, msg)

    def _capture(self, data: bytes, start: int, end: int) -> None:
        """Keeps the body prefix, at most body_limit bytes, without touching the rest."""
        if end <= start:
            return
        msg = self.msg
        body = msg.body
        room = self.body_limit - len(body)
        if room <= 0:
            msg.body_truncated = True
            return
        if end - start > room:
            end = start + room
            msg.body_truncated = True
        msg.body = body + data[start:end] if body else data[start:end]

    def _line(self, data: bytes, pos: int, n: int) -> tuple[bytes | None, int]:
        """A framing line (without LF) from `pos`, carrying a partial one over in self.buf."""
        end = data.find(b"\n", pos)
        buf = self.buf
        if end < 0:
            buf += data[pos:]
            if len(buf) > MAX_CHUNK_LINE:
                raise Http1LimitError("chunk framing line too long")
            return None, n
        if buf:
            buf += data[pos:end]
            line = bytes(buf)
            self.buf = bytearray()
        else:
            line = data[pos:end]
        if len(line) > MAX_CHUNK_LINE:
            raise Http1LimitError("chunk framing line too long")
        return line, end + 1

    # ---- recovery ----

    def _head_failed(self, err: Http1ParseError) -> None:
        self.buf = bytearray()
        self.msg = None
        self.state = _HUNT
        if self.tentative:
            return  # it only looked like a start line: keep hunting, nothing to count
        if self.raise_errors:
            raise err
        self.owner.on_head_error(self, err)

    def _lose_sync(self) -> None:
        if self.raise_errors:
            raise Http1ParseError("lost the framing of a body")
        self.buf = bytearray()
        self.msg.body_truncated = True
        self.state = _RESYNC
        self.stats.resyncs += 1

    def _hunt(self) -> None:
        self.buf = bytearray()
        self.state = _HUNT
        self.stats.resyncs += 1

    def lost(self, gap: int, ts: int) -> None:
        """Bytes of this direction that no event carried (events lost before the next chunk).

        Args:
            gap: how many (exact, from the kernel's stream positions), or -1 when unknown.
            ts: kernel time of the event that revealed the gap (the lost bytes moved before it).
        """
        self.stats.lost_event_gaps += 1
        if gap >= 0:
            self._gap(gap, ts, LOST_EVENT)
            return
        # How much is missing is unknown: whatever was in progress cannot be completed with certainty.
        self.stats.gap_unknown += 1
        if self.state == _DEAD or self.state == _UNFRAMED:
            return  # nothing is parsed here any more: a gap changes nothing
        if self.msg is not None and self.msg.is_request:
            self._complete()  # its head was seen and queued; only its end time is unsure
        self.msg = None
        self.remaining = 0
        self._hunt()
        self.owner.on_lost_message(self, LOST_EVENT)

    def _gap(self, gap: int, ts_exit: int, reason: str = CAPTURE_WINDOW) -> None:
        """`gap` bytes of the stream were not seen: the uncaptured rest of the last syscall
        (CAPTURE_WINDOW), or whole syscalls whose events were lost (LOST_EVENT).

        A gap that ends inside the current message's counted body is skipped exactly.  Otherwise
        the owner hears of a message (or several) it will never see: on_lost_message().
        """
        self.stats.gap_bytes += gap
        state = self.state
        msg = self.msg
        lost_event = reason is LOST_EVENT
        if state == _START:
            if not self.buf:
                # A message started in bytes we did not see (unless we were only hunting).
                lost = not self.tentative
                self._hunt()
                if lost:
                    self.owner.on_lost_message(self, reason)
                return
            block = self.buf
            self.buf = bytearray()
            if lost_event:
                # The rest of this head is in lost events, after which the next bytes seen
                # may be anywhere: the message is lost.
                self._hunt()
                self.owner.on_lost_message(self, reason)
                return
            # A gap inside a header block: assume the block ends with this chunk.
            try:
                msg = parse_head(block, self.want, truncated=True)
                self._begin(msg, ts_exit, True)
            except Http1ParseError as err:
                self._head_failed(err)
            # Where the block really ended, and whether more messages followed it in the gap
            # (pipelined requests beyond the capture window), is unknown.
            self.owner.on_lost_message(self, reason)
            return
        if msg is None:  # _HUNT, _DEAD
            if lost_event and state == _HUNT and not self.tentative and self.want is not None:
                self.owner.on_lost_message(self, reason)  # what we were looking for may be in there
            return
        msg.body_truncated = True
        if not lost_event:
            self.last_tx = ts_exit  # the uncaptured rest of the syscall that ended at ts_exit
        if state == _LEN:
            rem = self.remaining - gap
            if rem > 0:
                self.remaining = rem
                return
            self.remaining = 0
            if lost_event and not msg.is_request:
                # This response ended in events we did not see, at a time we do not know: no
                # duration can be given to it.  Its request is accounted by the owner.
                self.msg = None
                self.state = _START
                self._hunt()
                self.owner.on_lost_message(self, reason)
                return
            self._complete()
            if rem < 0 and self.state == _START:
                # The gap ran into the next message: its head is lost.
                self._hunt()
                self.owner.on_lost_message(self, reason)
        elif state == _CHUNK_DATA and gap <= self.remaining:
            self.remaining -= gap
            if not self.remaining:
                self.state = _CHUNK_END
        elif state == _CLOSE or state == _RESYNC:
            msg.body_size += gap
        else:  # chunk framing bytes fell into the gap
            self._lose_sync()

    # ---- called by the owner ----

    def end_resync(self) -> None:
        """The other direction started a message: a message with lost framing ends here."""
        if self.state == _RESYNC:
            self._complete()
            if self.state == _START:
                self.state = _HUNT  # where the next message starts is still unknown

    def finish(self, clean: bool) -> Http1Message | None:
        """End of this direction (EOF, close, error). Returns a message whose body was cut short.

        With `clean`, a close-delimited (or resyncing) message completes normally; without
        (the connection failed), it is returned as cut short too.
        """
        msg = self.msg
        partial = None
        if msg is not None:
            if clean and (self.state == _CLOSE or self.state == _RESYNC):
                self._complete()
            else:
                msg.body_truncated = True
                msg.last_ts_exit = self.last_tx
                partial = msg
                self.msg = None
        if self.state != _DEAD:
            self.state = _HUNT if self.want is None else _START
        self.buf = bytearray()
        self.tentative = False
        return partial

    def stop_requests(self) -> None:
        """Parses no more messages in this direction until it finishes (the server is done with it)."""
        if self.state != _DEAD:
            self.state = _UNFRAMED
            self.msg = None
            self.buf = bytearray()
            self.tentative = False

    def resume(self) -> None:
        """An unframed direction goes on: the next message starts where a syscall's bytes start."""
        if self.state == _UNFRAMED:
            self._hunt()

    def kill(self) -> None:
        """Stops parsing this direction for good."""
        self.state = _DEAD
        self.msg = None
        self.buf = bytearray()
