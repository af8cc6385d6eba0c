"""HTTP/2 on one connection (RFC 9113): both directions' streams, and the request/response
pairs they make.

The HTTP/2 sibling of :class:`otel_ebpf.protocols.http1.Http1Connection`, for the same
caller: the eBPF receiver hands every socket syscall of a connection to
:meth:`Http2Connection.on_data` (plus gaps, EOF, errors and close) and gets back the
`(request, response, error_type)` pairs that became complete, as
:class:`~otel_ebpf.protocols.http1_message.Http1Message` records with version "2".  Single
frames are read by :mod:`.http2_frames`, each direction's framing across syscalls is kept by
:mod:`.http2_framing`, header blocks are decoded by :mod:`.http2_hpack` and their fields read
by :mod:`.http2_fields`; this module follows each stream's exchange.

What an observer cannot know, it does not report.  A connection seen from its start
(client preface) is decoded exactly.  One the agent joined mid-way is synchronised on
plausible frame headers and its header blocks are decoded tolerantly: fields naming table
entries from before we joined are dropped (counted), and a head whose :method, :path or
:status is such a field makes no exchange.  A direction whose framing a capture gap broke
resynchronises the same way; the streams open then may have lost frames and are not
reported (counted).  Each client stream id is accounted for once (_account): a stream whose
request head was never read (sent before we joined, or in bytes not captured) is counted from
its later frames (unseen_streams).  A message whose fields are incomplete (cut by a bound or the capture,
or naming table entries we never saw) has `headers_truncated` set.  Nothing here raises to
the caller: anomalies are counted in :class:`Http2Stats`, and anything unexpected gives the
connection up (counted as well).

Cost, measured with bench/bench_http2_parse.py on the development VM (2 vCPU, CPython 3.11,
best of runs; the VM's noise reaches +50 %): a gRPC unary call in steady state (the client's
HEADERS + DATA in one syscall, the server's HEADERS + DATA + trailers in another) takes 5 µs
through on_data when its header blocks leave the HPACK tables as they were (each block's
head is remembered, HpackDecoder.memo); 13 µs when the request's grpc-timeout changes from
call to call (a client with a deadline: a literal inserted into the table, the request
block decoded, 3 µs, and its fields read, 1 µs); 20 µs when every request carries a new
traceparent (a longer literal, Huffman-coded: its block takes 6.5 µs).
"""

from __future__ import annotations

import base64
import binascii

from otel_ebpf.model import Role
from otel_ebpf.protocols.http1 import _TRANSIENT_ERRNOS, error_type_for_errno
from otel_ebpf.protocols.http1_message import _KNOWN_METHODS, _METHOD_RE, Http1Message
from otel_ebpf.protocols.http2_fields import read_fields
from otel_ebpf.protocols.http2_frames import (
    ACK,
    CONTINUATION,
    DATA,
    DEFAULT_MAX_FRAME,
    END_HEADERS,
    END_STREAM,
    GOAWAY,
    HEADERS,
    MAX_FRAME_LIMIT,
    PADDED,
    PUSH_PROMISE,
    RST_STREAM,
    SETTINGS,
    SETTINGS_HEADER_TABLE_SIZE,
    SETTINGS_MAX_FRAME_SIZE,
    Http2ProtocolError,
    data_bounds,
    error_name,
    fragment,
    looks_like_http2,
    parse_goaway,
    parse_rst_stream,
    parse_settings,
)
from otel_ebpf.protocols.http2_framing import FRAMES, Http2Framing
from otel_ebpf.protocols.http2_hpack import HpackDecoder, Http2HpackError
from otel_ebpf.protocols.http2_stats import Http2Stats

__all__ = [
    "Http2Connection",
    "Http2Pair",
    "Http2ProtocolError",
    "Http2Stats",
    "looks_like_http2",
]

Http2Pair = tuple[Http1Message, Http1Message | None, str | None]  # (request, response, error_type)

_UNKNOWN = Role.UNKNOWN
_SERVER = Role.SERVER
_CLIENT = Role.CLIENT

# A header block (HEADERS or PUSH_PROMISE and its CONTINUATIONs) is kept up to this many bytes;
# past it the block is cut (fields up to the cut are read, the table is reset).
MAX_HEADER_BLOCK = 64 * 1024
_MAX_SETTINGS_BYTES = 6 * 64  # SETTINGS payload kept: 64 parameters (a peer sends about 6)
# Heads remembered per direction (HpackDecoder.memo), and the longest block remembered: a
# server's response heads and trailers are a few bytes (table references) and repeat.
_MAX_MEMO = 4
_MAX_MEMO_BLOCK = 256
# Ranges of client stream ids below the highest one accounted for that are not (Http2Connection
# ._account): a few at a time (heads lost in a gap, ids a client skipped); the oldest dropped beyond.
_MAX_UNACCOUNTED = 64


class _Stream:
    """One followed stream: its request (always), its final response once its head came."""

    __slots__ = ("request", "response", "request_done", "tainted")

    def __init__(self, request: Http1Message) -> None:
        self.request = request
        self.response: Http1Message | None = None
        self.request_done = False
        # Bytes that may have held its frames were missed: not reported (counted in lost_streams
        # then, once: its end may never be seen), kept only as a known stream id for the
        # framing's resync (open_streams).
        self.tainted = False


class Http2Connection:
    """Decodes both directions of one HTTP/2 connection and pairs each stream's messages.

    Args:
        role: which side the observed process is on; UNKNOWN is inferred (who sent the
            preface, or which direction carries :method heads).
        body_limit: DATA bytes kept per message (all are counted in body_size).
        max_streams: open streams followed; beyond, the oldest is forgotten (counted).
        stats: shared counters (a private set if None).

    `on_*` methods return the pairs that became complete, as `(request, response,
    error_type)`, like Http1Connection: error_type None for a normal exchange; a response
    with an error type had its head but not its end; `(request, None, error_type)` got no
    response head.  A pair is made when the response ends (END_STREAM), even before the
    request ended (a bidirectional stream, an early error answer).
    """

    __slots__ = (
        "role",
        "is_http",
        "seen_http",
        "stats",
        "body_limit",
        "max_streams",
        "turn",
        "other_behind",
        "_out",
        "_in",
        "_streams",
        "_last_sid",
        "_unaccounted",
        "_pairs",
        "_fresh",
        "_midstream",
        "_tx",
    )

    def __init__(
        self, role: Role, body_limit: int = 1024, max_streams: int = 1024, stats: Http2Stats | None = None
    ) -> None:
        self.role = role
        self.stats = stats if stats is not None else Http2Stats()
        self.stats.connections += 1
        self.body_limit = body_limit
        self.max_streams = max_streams
        self.is_http = True
        # HTTP/2 framing was found (a preface, or a frame boundary): as Http1Connection's, for the
        # receiver, which treats both parsers alike.
        self.seen_http = False
        # Set by the receiver before each call, as for Http1Connection; HTTP/2 pairs by stream
        # id and needs neither.
        self.turn = 0
        self.other_behind = False
        known = role != _UNKNOWN
        self._out = Http2Framing(True, role == _CLIENT if known else None)
        self._in = Http2Framing(False, role == _SERVER if known else None)
        self._streams: dict[int, _Stream] = {}  # open streams followed, oldest first
        # The client streams accounted for, each once (reported, or counted as not): those up to
        # _last_sid but the ranges (first, last id) of _unaccounted, ascending (see _account).
        self._last_sid = -1
        self._unaccounted: list[list[int]] = []
        self._pairs: list[Http2Pair] = []
        # The connection was seen from its start (the client preface): True; known not to be:
        # False; None until the client's direction has started.
        self._fresh: bool | None = None
        self._midstream = False  # counted in midstream_connections
        self._tx = 0  # kernel time the syscall being read returned (the time of an end)

    # ---- events from the kernel ----

    def on_data(self, outbound: bool, data: bytes, total_len: int, ts_enter: int, ts_exit: int) -> list[Http2Pair]:
        """One syscall moved `total_len` bytes, of which `data` is the captured prefix.

        Args:
            outbound: the observed process wrote the bytes.
            data: captured bytes (may be empty).
            total_len: bytes the syscall really moved (>= len(data)); those not captured are
                skipped when they fall inside frame payloads, else the framing is lost.
            ts_enter: kernel time the data moved.
            ts_exit: kernel time the syscall returned.
        """
        if not self.is_http:
            return []
        pairs = self._pairs = []
        self._tx = ts_exit
        try:
            d = self._out if outbound else self._in
            n = len(data)
            # The usual chunk, whole frames from its first byte, goes straight to d.frames: tested
            # here rather than in d.feed, a Python call less per syscall on the hot path.
            if d.state == FRAMES and total_len == n and not d.hbuf and not d.left:
                pos = d.frames(self, data, 0, n, ts_enter, ts_exit)
                if pos < n and self.is_http:
                    d.feed(self, data, n, pos, ts_enter, ts_exit)  # the framing was lost inside it
            else:
                d.feed(self, data, total_len if total_len > n else n, 0, ts_enter, ts_exit)
        except Exception:  # noqa: BLE001 - the last line of defence: never raise into the receiver
            self._internal_error()
        return pairs

    def on_gap(self, outbound: bool, lost: int, ts: int) -> list[Http2Pair]:
        """`lost` bytes of a direction moved without any event reaching us (-1: how many is
        unknown).  Inside a frame's payload they are skipped; over a frame header, the framing
        of that direction is lost until it is found again."""
        if not self.is_http:
            return []
        pairs = self._pairs = []
        self._tx = ts
        try:
            d = self._out if outbound else self._in
            if lost < 0:
                d.lose(self)
            elif lost:
                d.skip(self, lost)
        except Exception:  # noqa: BLE001
            self._internal_error()
        return pairs

    def on_eof(self, ts: int) -> list[Http2Pair]:
        """A read returned 0: the peer closed its side.  A CLIENT's open streams get
        "connection_reset" (as HTTP/1: a SERVER's wait for close or an error, the client may
        only have half-closed)."""
        if not self.is_http:
            return []
        pairs = self._pairs = []
        try:
            if self.role == _CLIENT:
                self._flush("connection_reset")
        except Exception:  # noqa: BLE001
            self._internal_error()
        return pairs

    def on_error(self, errno: int, ts: int) -> list[Http2Pair]:
        """A socket call failed with `errno` (its sign is ignored; EAGAIN/EINTR are not failures):
        every open stream ends with error_type_for_errno."""
        if not self.is_http:
            return []
        code = -errno if errno < 0 else errno
        if code in _TRANSIENT_ERRNOS:
            return []
        pairs = self._pairs = []
        try:
            self._flush(error_type_for_errno(code))
        except Exception:  # noqa: BLE001
            self._internal_error()
        return pairs

    def on_close(self, ts: int) -> list[Http2Pair]:
        """The process closed the fd: open streams end, "timeout" for a CLIENT (it gave up
        waiting), "connection_reset" for a SERVER (it dropped them)."""
        if not self.is_http:
            return []
        pairs = self._pairs = []
        try:
            self._flush("timeout" if self.role == _CLIENT else "connection_reset")
        except Exception:  # noqa: BLE001
            self._internal_error()
        return pairs

    def resume_at(self, accounted: int) -> None:
        """HTTP/1's phase accounting; HTTP/2 pairs by stream id: nothing to do."""

    def seed_upgrade(self, request: Http1Message) -> None:
        """h2c upgrade (RFC 7540 §3.2; deprecated by RFC 9113 §3.1, still spoken by ``curl --http2``
        and ``nghttp -u``): `request`, the HTTP/1.1 request that asked for it, is the request of
        stream 1, whose response comes as HTTP/2; its exchange is an HTTP/2 one from now on
        (version "2": the version the connection negotiated).  Its HTTP2-Settings header holds the
        client's SETTINGS.  The caller hands over every HTTP/2 byte of both directions, those that
        shared the 101's syscall first: the connection is seen from its start, both HPACK tables
        are known.  (Bytes it could not hand over are a gap: on_gap.)"""
        if not self.is_http:
            return
        try:
            self._fresh = True
            request.version = "2"
            stream = _Stream(request)
            stream.request_done = True
            self._account(1)
            self._add_stream(1, stream)
            encoded = request.headers.get("http2-settings")
            if encoded and self.role != _UNKNOWN:
                try:
                    payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
                except (binascii.Error, ValueError):
                    return
                self._settings(self._out if self.role == _CLIENT else self._in, payload)
        except Exception:  # noqa: BLE001
            self._internal_error()

    # ---- FrameOwner callbacks (from each direction's Http2Framing) ----

    def payload_wanted(self, d: Http2Framing, ftype: int, flags: int, sid: int, length: int) -> int:
        """How much of a frame's payload to keep when it spans syscalls: the body prefix still
        wanted for DATA, the fragment (up to MAX_HEADER_BLOCK) for header blocks, the fixed
        fields of the control frames that matter; nothing for the others."""
        if ftype == DATA:
            stream = self._streams.get(sid)
            pad = 1 if flags & PADDED else 0
            if stream is None or d.requests is None:
                return pad
            msg = stream.request if d.requests else stream.response
            if msg is None:
                return pad
            room = self.body_limit - len(msg.body)
            keep = room + pad if room > 0 else pad
        elif ftype == HEADERS or ftype == CONTINUATION or ftype == PUSH_PROMISE:
            keep = MAX_HEADER_BLOCK + 6  # + pad length and priority fields
        elif ftype == SETTINGS:
            keep = _MAX_SETTINGS_BYTES
        elif ftype == RST_STREAM:
            keep = 4
        elif ftype == GOAWAY:
            keep = 8
        else:
            return 0
        return keep if keep < length else length

    def on_preface(self, d: Http2Framing) -> None:
        self.seen_http = True
        self._fresh = True
        if self.role == _UNKNOWN:
            self._set_role(_CLIENT if d.outbound else _SERVER)

    def started_fresh(self, d: Http2Framing) -> bool:
        if self._fresh:
            return True
        if d.requests and self._fresh is None:
            self._fresh = False  # the client's first bytes are not the preface: joined mid-way
        return False

    def open_streams(self) -> dict[int, _Stream]:
        return self._streams

    def taint(self, upto: int = 1 << 31) -> None:
        """Bytes were missed or skipped: any stream open when they moved may have lost frames
        in them (an END_STREAM, an RST_STREAM, DATA): not reported, and counted in lost_streams
        now (its end may have been among them: it may never come).
        `upto`: the newest stream open then, when they moved before the current syscall."""
        stats = self.stats
        for sid, stream in self._streams.items():
            if sid <= upto and not stream.tainted:
                stream.tainted = True
                stats.lost_streams += 1

    def headers_lost(self, d: Http2Framing) -> None:
        d.block = None
        if d.decoder is not None:
            d.decoder.reset()
            self.stats.table_resets += 1

    # ---- frames ----

    def on_frame(
        self,
        d: Http2Framing,
        ftype: int,
        flags: int,
        sid: int,
        buf: bytes,
        start: int,
        stop: int,
        length: int,
        te: int,
        tx: int,
    ) -> None:
        """One frame: `buf[start:stop]` is its payload, or the prefix of it that was kept.

        `te`/`tx` are the kernel times of the syscall that carried its header (the times of a
        request's start); the current syscall's (self._tx) are those of an end.
        """
        self.stats.frames += 1
        if d.block is not None and ftype != CONTINUATION:
            self._broken_block(d)
        try:
            if ftype == DATA:
                self._data(d, flags, sid, buf, start, stop, length)
            elif ftype == HEADERS or ftype == PUSH_PROMISE:
                if ftype == HEADERS and flags & 0x2C == END_HEADERS and stop - start == length:
                    # The usual: a whole block in one frame, neither padded nor with priority.
                    if length <= MAX_HEADER_BLOCK:
                        self._head(d, sid, buf[start:stop], flags, False, te, tx)
                        return
                begin, end, _ = fragment(ftype, flags, buf, start, stop, length)
                if (
                    flags & END_HEADERS
                    and stop - start == length
                    and ftype == HEADERS
                    and end - begin <= MAX_HEADER_BLOCK
                ):
                    self._head(d, sid, buf[begin:end], flags, False, te, tx)  # the usual: whole block
                    return
                d.block = [buf[begin:end]]
                d.block_sid = sid
                d.block_flags = flags
                d.block_kind = ftype
                d.block_size = end - begin
                d.block_cut = stop - start < length
                d.block_te = te
                d.block_tx = tx
                if flags & END_HEADERS:
                    self._end_block(d)
            elif ftype == CONTINUATION:
                self._continuation(d, flags, sid, buf, start, stop, length)
            elif ftype == RST_STREAM:
                self._rst_stream(sid, parse_rst_stream(buf[start:stop]))
            elif ftype == SETTINGS:
                if not flags & ACK:
                    self._settings(d, buf[start:stop])
            elif ftype == GOAWAY:
                self.stats.goaways += 1
                last, _ = parse_goaway(buf[start:stop])
                self._goaway(d, last)
            # PRIORITY, PING, WINDOW_UPDATE and extension frames say nothing about exchanges.
        except Http2ProtocolError:
            self.stats.bad_frames += 1
            if ftype == HEADERS or ftype == PUSH_PROMISE:
                self._reset_table(d)  # its block cannot be decoded: its insertions are unknown

    def _data(self, d: Http2Framing, flags: int, sid: int, buf: bytes, start: int, stop: int, length: int) -> None:
        stream = self._streams.get(sid)
        if stream is None:
            # A stream we do not follow.  DATA flows on open streams only: one whose request head
            # was never read is a call not reported (counted once).
            if d.requests is not None and sid & 1 and (sid > self._last_sid or self._unaccounted):
                self._count_unseen(sid)
            return
        if d.requests is None:
            return
        if d.requests:
            if stream.request_done:
                return
            msg = stream.request
        else:
            msg = stream.response
            if msg is None:
                # DATA before a final response head: a peer error; the stream cannot pair.
                self.stats.bad_frames += 1
                if flags & END_STREAM:
                    del self._streams[sid]
                    if not stream.tainted:
                        self.stats.bad_messages += 1
                return
        if flags & PADDED:
            begin, end, size = data_bounds(flags, buf, start, stop, length)
        else:
            begin, end, size = start, stop, length
        if size:
            msg.body_size += size
            body = msg.body
            room = self.body_limit - len(body)
            if room > 0 and end > begin:
                if end - begin > room:
                    end = begin + room
                msg.body = body + buf[begin:end] if body else buf[begin:end]
            if len(msg.body) < msg.body_size:
                msg.body_truncated = True
        if flags & END_STREAM:
            msg.last_ts_exit = self._tx
            if d.requests:
                stream.request_done = True
            else:
                self._end_stream(sid, stream, None)

    def _continuation(
        self, d: Http2Framing, flags: int, sid: int, buf: bytes, start: int, stop: int, length: int
    ) -> None:
        if d.block is None or sid != d.block_sid:
            # No block open (the frames that began it came before we found the framing), or
            # another stream's (a peer error): the block's insertions are unknown either way.
            if d.block is not None:
                self._broken_block(d)
            else:
                self.stats.bad_frames += 1
                self._reset_table(d)
            return
        if not d.block_cut:  # after a cut, what follows is not contiguous with what was kept
            room = MAX_HEADER_BLOCK - d.block_size
            if stop - start > room:
                stop = start + room if room > 0 else start
                d.block_cut = True
            elif stop - start < length:
                d.block_cut = True
            if stop > start:
                d.block.append(buf[start:stop])
                d.block_size += stop - start
        if flags & END_HEADERS:
            self._end_block(d)

    def _broken_block(self, d: Http2Framing) -> None:
        """A header block left unfinished (a frame other than its CONTINUATION came): its
        insertions into the table are unknown."""
        self.stats.bad_frames += 1
        d.block = None
        self._reset_table(d)

    def _end_block(self, d: Http2Framing) -> None:
        block = d.block
        d.block = None
        joined = block[0] if len(block) == 1 else b"".join(block)
        if d.block_size > MAX_HEADER_BLOCK:
            joined = joined[:MAX_HEADER_BLOCK]
            d.block_cut = True
        if d.block_kind == PUSH_PROMISE:
            # Decoded for its table insertions only: pushed responses are not followed.
            self.stats.push_promises += 1
            self._decode(d, joined, d.block_cut)
            return
        self._head(d, d.block_sid, joined, d.block_flags, d.block_cut, d.block_te, d.block_tx)

    def _reset_table(self, d: Http2Framing) -> None:
        d.lost = True  # a decoder created later starts tolerant
        if d.decoder is not None:
            d.decoder.reset()
            self.stats.table_resets += 1

    def _rst_stream(self, sid: int, code: int) -> None:
        stream = self._streams.get(sid)
        if stream is None:
            return
        self.stats.streams_reset += 1
        self._end_stream(sid, stream, error_name(code))

    def _settings(self, d: Http2Framing, payload: bytes) -> None:
        """SETTINGS sent on `d` bind what the other direction's sender may do."""
        other = self._in if d is self._out else self._out
        for ident, value in parse_settings(payload):
            if ident == SETTINGS_HEADER_TABLE_SIZE:
                # Never lowered: a lower value binds the encoder only once it has received it,
                # which we cannot see, and the encoder announces its real size in the block.
                if value > other.table_limit:
                    other.table_limit = value
                    if other.decoder is not None:
                        other.decoder.max_allowed = value
            elif ident == SETTINGS_MAX_FRAME_SIZE and DEFAULT_MAX_FRAME <= value <= MAX_FRAME_LIMIT:
                other.max_frame = value

    def _goaway(self, d: Http2Framing, last: int) -> None:
        """A server's GOAWAY: the client's streams above `last` were never processed."""
        if d.requests is not False:
            return  # a client's GOAWAY speaks of pushed streams, which are not followed
        streams = self._streams
        for sid in [sid for sid in streams if sid > last and sid & 1]:
            self.stats.streams_refused += 1
            self._end_stream(sid, streams[sid], "refused_stream")

    # ---- header blocks ----

    def _decode(self, d: Http2Framing, block: bytes, truncated: bool) -> list[tuple[bytes, bytes]] | None:
        """The fields of a header block of `d`, or None when it could not be decoded."""
        decoder = d.decoder
        if decoder is None:
            strict = self._fresh is True and not d.lost
            decoder = d.decoder = HpackDecoder(strict, d.table_limit)
            if self._fresh is not True and not self._midstream:
                self._midstream = True
                self.stats.midstream_connections += 1
        try:
            fields = decoder.decode(block, truncated)
        except Http2HpackError:
            self.stats.hpack_errors += 1
            if decoder.strict:
                self._give_up()  # seen from its start: the peer is not speaking HPACK
            else:
                decoder.reset()  # tolerant: what the block inserted is unknown
                self.stats.table_resets += 1
            return None
        if truncated:
            self.stats.truncated_header_blocks += 1
            self.stats.table_resets += 1  # the decoder reset its table
        elif decoder.cut:
            self.stats.truncated_header_blocks += 1
        if decoder.unknown:
            self.stats.undecodable_fields += decoder.unknown
        return fields

    def _head(self, d: Http2Framing, sid: int, block: bytes, flags: int, truncated: bool, te: int, tx: int) -> None:
        """A complete HEADERS block: a request or response head, or trailers."""
        decoder = d.decoder
        head = decoder.memo.get(block) if decoder is not None and not truncated else None
        if head is None:
            fields = self._decode(d, block, truncated)
            if fields is None:
                if self.is_http:
                    self._unreadable(d, sid)
                return
            decoder = d.decoder
            method, path, status, authority, headers = read_fields(fields)
            unknown = decoder.unknown
            cut = truncated or decoder.cut
            if not decoder.modified and not truncated and len(block) <= _MAX_MEMO_BLOCK:
                # The same block means the same head as long as the table does not change: the
                # usual for a server's response heads and trailers (0.3 µs instead of 2).
                memo = decoder.memo
                if len(memo) >= _MAX_MEMO:
                    memo.clear()
                memo[block] = (method, path, status, authority, headers.copy(), unknown, cut)
        else:
            method, path, status, authority, headers, unknown, cut = head
            headers = headers.copy()
            if unknown:
                self.stats.undecodable_fields += unknown
        requests = d.requests
        if requests is None:
            if method is not None:
                self._set_role(_CLIENT if d.outbound else _SERVER)
            elif status is not None:
                self._set_role(_SERVER if d.outbound else _CLIENT)
            elif unknown or cut:
                self._unreadable(d, sid)
                return
            else:
                # Trailers, of a request or a response: if of a stream we never read a head of, its
                # call is not reported (counted).
                if not self._count_unseen(sid):
                    self._ignored()
                return
            requests = d.requests
        stream = self._streams.get(sid)
        if requests:
            if stream is None:
                if sid & 1 and not self._account(sid):
                    self._ignored()  # another block of a stream accounted for (not followed)
                    return
                self._request_head(sid, flags, method, path, authority, headers, unknown or cut, cut, te, tx)
                return
            msg = stream.request
            if stream.request_done:
                return
        else:
            if stream is None:
                if not self._count_unseen(sid):
                    self._ignored()
                return
            msg = stream.response
            if msg is None:
                self._response_head(sid, stream, flags, status, headers, unknown or cut, cut, te, tx)
                return
        # Trailers (gRPC's grpc-status and grpc-message): merged, the head's values first.  Fields
        # we could not decode leave the message's headers incomplete: a grpc-status may be missing.
        if cut or unknown:
            msg.headers_truncated = True
        merged = msg.headers
        for key, value in headers.items():
            if key not in merged:
                merged[key] = value
        if flags & END_STREAM:
            msg.last_ts_exit = self._tx
            if requests:
                stream.request_done = True
            else:
                self._end_stream(sid, stream, None)

    def _request_head(
        self,
        sid: int,
        flags: int,
        method: str | None,
        path: str | None,
        authority: str | None,
        headers: dict[str, str],
        unsure: bool,
        cut: bool,
        te: int,
        tx: int,
    ) -> None:
        if method is None or (path is None and method != "CONNECT") or not sid & 1:
            # Without its pseudo-headers (unknown fields, or a peer error), or a stream the client
            # cannot have opened: not followed (trailers of a stream opened before we joined too).
            if unsure:
                self.stats.undecodable_messages += 1
            elif method is None and path is None:
                if sid & 1:
                    # The first block read of a client stream, and not its head (trailers): the
                    # head was never read.
                    self.stats.unseen_streams += 1
                else:
                    self.stats.ignored_header_blocks += 1
            else:
                self.stats.bad_messages += 1
            return
        if method not in _KNOWN_METHODS and _METHOD_RE.fullmatch(method) is None:
            self.stats.bad_messages += 1
            return
        target = path if path is not None else authority  # CONNECT: authority-form
        if not target:
            self.stats.bad_messages += 1
            return
        if authority is not None and "host" not in headers:
            headers["host"] = authority
        msg = Http1Message(True, method, target, "2", 0, headers)
        msg.first_ts_enter = te
        msg.first_ts_exit = tx
        msg.last_ts_exit = tx
        msg.first_turn = msg.last_turn = 0
        if unsure:
            msg.headers_truncated = True  # cut, or fields we could not decode: some are missing
        stream = _Stream(msg)
        self._add_stream(sid, stream)
        if flags & END_STREAM:
            stream.request_done = True

    def _response_head(
        self,
        sid: int,
        stream: _Stream,
        flags: int,
        status: str | None,
        headers: dict[str, str],
        unsure: bool,
        cut: bool,
        te: int,
        tx: int,
    ) -> None:
        if status is None or len(status) != 3 or not (status.isdigit() and status.isascii()) or status[0] == "0":
            # Its :status unknown (a field we could not decode) or invalid: the stream cannot pair.
            del self._streams[sid]
            if stream.tainted:
                return  # counted already
            if status is None and unsure:
                self.stats.undecodable_messages += 1
            else:
                self.stats.bad_messages += 1
            return
        code = int(status)
        if code < 200:
            return  # interim (100 Continue, 103 Early Hints): the final response follows
        msg = Http1Message(False, stream.request.method, "", "2", code, headers)
        msg.first_ts_enter = te
        msg.first_ts_exit = tx
        msg.last_ts_exit = tx
        msg.first_turn = msg.last_turn = 0
        if unsure:
            msg.headers_truncated = True  # cut, or fields we could not decode: some are missing
        stream.response = msg
        if flags & END_STREAM:
            msg.last_ts_exit = self._tx
            self._end_stream(sid, stream, None)

    def _unreadable(self, d: Http2Framing, sid: int) -> None:
        """A header block we could not read (its pseudo-headers unknown, or the decoder rejected
        it): its stream's call is not reported, counted once (undecodable_messages)."""
        if d.requests is False:
            stream = self._streams.pop(sid, None)
            if stream is None:
                if not self._count_unseen(sid):
                    self._ignored()  # its request head was read: counted or followed already
            elif not stream.tainted:
                self.stats.undecodable_messages += 1
            return
        # A request head, or a block of a direction whose role is not known yet.
        if sid & 1 and self._account(sid):
            self.stats.undecodable_messages += 1
            return
        stream = self._streams.get(sid) if d.requests else None
        if stream is not None:
            stream.request.headers_truncated = True  # its trailers: fields are missing
        else:
            self._ignored()

    def _count_unseen(self, sid: int) -> bool:
        """A block or DATA frame of client stream `sid`, not followed: True, and counted in
        unseen_streams, if the stream was not accounted for (its request head was never read:
        sent before we joined, or in bytes not captured)."""
        if sid & 1 and self._account(sid):
            self.stats.unseen_streams += 1
            return True
        return False

    def _account(self, sid: int) -> bool:
        """Client stream `sid` (odd) is accounted for from now on (its call reported, or counted
        as not): True if it was not yet.

        Client stream ids only grow (RFC 9113 §5.1.1): those skipped below the highest one
        (_last_sid) are kept as ranges, until a frame of theirs shows the stream was opened (its
        head lost in a gap, or sent before we joined), or for good (ids a client skipped, streams
        closed before we joined).  At most _MAX_UNACCOUNTED ranges, the oldest dropped beyond (a
        frame of theirs then counts nothing).
        """
        last = self._last_sid
        if sid > last:
            if sid > last + 2:
                ranges = self._unaccounted
                ranges.append([last + 2, sid - 2])
                if len(ranges) > _MAX_UNACCOUNTED:
                    del ranges[0]
            self._last_sid = sid
            return True
        ranges = self._unaccounted
        if not ranges or sid > ranges[-1][1]:
            return False
        for i, span in enumerate(ranges):
            first, last = span
            if sid < first:
                return False
            if sid <= last:
                if first == last:
                    del ranges[i]
                elif sid == first:
                    span[0] = sid + 2
                elif sid == last:
                    span[1] = sid - 2
                else:
                    span[1] = sid - 2
                    ranges.insert(i + 1, [sid + 2, last])
                    if len(ranges) > _MAX_UNACCOUNTED:
                        del ranges[0]
                return True
        return False

    def _ignored(self) -> None:
        self.stats.ignored_header_blocks += 1

    # ---- streams ----

    def _set_role(self, role: Role) -> None:
        self.role = role
        self._out.requests = role == _CLIENT
        self._in.requests = role == _SERVER

    def _add_stream(self, sid: int, stream: _Stream) -> None:
        streams = self._streams
        if len(streams) >= self.max_streams and sid not in streams:
            if not streams.pop(next(iter(streams))).tainted:
                self.stats.streams_overflow += 1
        streams[sid] = stream
        self.stats.streams += 1

    def _end_stream(self, sid: int, stream: _Stream, error_type: str | None) -> None:
        del self._streams[sid]
        if stream.tainted:
            return  # counted in lost_streams when it was tainted
        self._pairs.append((stream.request, stream.response, error_type))
        self.stats.pairs += 1

    def _flush(self, error_type: str) -> None:
        streams = self._streams
        for sid in list(streams):
            self._end_stream(sid, streams[sid], error_type)

    def _give_up(self) -> None:
        self.is_http = False
        self.stats.given_up += 1
        if self._streams:
            self.stats.lost_streams += sum(1 for stream in self._streams.values() if not stream.tainted)
            self._streams.clear()
        for d in (self._out, self._in):
            d.stop()
            d.block = None
            d.decoder = None

    def _internal_error(self) -> None:
        self.stats.internal_errors += 1
        self._give_up()
