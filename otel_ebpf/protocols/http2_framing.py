"""HTTP/2 framing of one direction of a connection across syscalls.

An :class:`Http2Framing` eats the chunks one syscall moved (captured prefix plus a count of
bytes the capture missed) and hands each complete frame to its owner, whatever the
fragmentation; :mod:`.http2_frames` reads the single frames.  What the frames *mean* (streams,
header blocks, pairing, the connection's role) is the owner's business, reached through the
callbacks of :class:`FrameOwner`.

The usual syscall, whole frames from its first byte, is read in place; only a frame cut by
the end of a syscall is carried over (its header, and what its type needs of its payload, as
the owner says).  A direction starts with the client preface, with the server's SETTINGS, or,
on a connection the agent joined mid-way, with a frame boundary looked for among plausible
frame headers.  A capture gap over a frame header loses the boundaries: they are looked for
the same way (resync), and the owner is told, since frames of its open streams may have been
among the bytes missed.

The owner is passed to each call rather than kept: a reference back to it would make every
connection a reference cycle, freed only by the cyclic garbage collector.
"""

from __future__ import annotations

from typing import Protocol

from otel_ebpf.protocols.http2_frames import (
    ACK,
    DEFAULT_MAX_FRAME,
    FRAME_HEADER,
    HEADER_LEN,
    HEADERS,
    PREFACE,
    PREFACE_LEN,
    SETTINGS,
    chain_check,
    find_frame_boundary,
    parse_header,
    structure_error,
)
from otel_ebpf.protocols.http2_hpack import DEFAULT_TABLE_SIZE, HpackDecoder
from otel_ebpf.protocols.http2_stats import Http2Stats

_unpack_header = FRAME_HEADER.unpack_from

# Direction states: before its first bytes (the client preface may come), reading frames at
# known boundaries, looking for a boundary (joined mid-way, or the framing was lost).
START = 0
FRAMES = 1
LOST = 2


class FrameOwner(Protocol):
    """What a direction's framing asks of the connection above it."""

    is_http: bool  # False once decoding stopped: no more frames are read
    seen_http: bool  # set when HTTP/2 framing is found (a preface, or a frame boundary)
    stats: Http2Stats

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
        """One frame of `d`: `buf[start:stop]` is its payload, or the prefix of it that was kept;
        `te`/`tx` are the kernel times of the syscall that carried its header."""

    def payload_wanted(self, d: Http2Framing, ftype: int, flags: int, sid: int, length: int) -> int:
        """How much of the payload of a frame that spans syscalls to keep for on_frame."""

    def on_preface(self, d: Http2Framing) -> None:
        """`d` began with the client preface: the connection is seen from its start."""

    def started_fresh(self, d: Http2Framing) -> bool:
        """`d` began with bytes other than the preface: True if the connection was seen from its
        start (the preface came the other way), else it was joined mid-way."""

    def open_streams(self) -> dict[int, object]:
        """The streams open now, by id, oldest first."""

    def taint(self, upto: int = 1 << 31) -> None:
        """Bytes were missed: streams open when they moved (up to id `upto`) may have lost frames."""

    def headers_lost(self, d: Http2Framing) -> None:
        """`d` lost its frame boundaries: its header block in progress and its HPACK table are lost."""


class Http2Framing:
    """One direction of a connection (bytes the process wrote, or read): its framing state,
    and the connection's header-block state for that direction (block*, decoder, table_limit,
    requests), kept on the same object so that the hot path reads them in one lookup."""

    __slots__ = (
        "outbound",
        "requests",
        "state",
        "initial",
        "preface",
        "hbuf",
        "left",
        "room",
        "payload",
        "ftype",
        "flags",
        "sid",
        "flen",
        "fte",
        "ftx",
        "block",
        "block_sid",
        "block_flags",
        "block_kind",
        "block_size",
        "block_cut",
        "block_te",
        "block_tx",
        "decoder",
        "table_limit",
        "max_frame",
        "lost",
        "stash_sid",
    )

    def __init__(self, outbound: bool, requests: bool | None) -> None:
        self.outbound = outbound
        self.requests = requests  # it carries requests (None: the role is not known yet)
        self.state = START
        self.initial = True  # no boundary found yet: the first one is not a resync
        self.preface = 0  # bytes of the client preface matched at its start
        # A frame cut by the end of a syscall: the start of its header (hbuf, < 9 bytes), or its
        # header read and `left` payload bytes still to come, of which `room` more are kept in
        # `payload` (what the frame type needs, see FrameOwner.payload_wanted).
        self.hbuf = b""
        self.left = 0
        self.room = 0
        self.payload: bytearray | None = None
        self.ftype = 0
        self.flags = 0
        self.sid = 0
        self.flen = 0
        self.fte = 0  # kernel times of the syscall that carried the cut frame's header
        self.ftx = 0
        # A header block waiting for its CONTINUATION frames (block: its fragments, or None).
        self.block: list[bytes] | None = None
        self.block_sid = 0
        self.block_flags = 0
        self.block_kind = 0
        self.block_size = 0
        self.block_cut = False
        self.block_te = 0
        self.block_tx = 0
        self.decoder: HpackDecoder | None = None  # created with the first header block
        # Set by the other direction's SETTINGS: the largest HPACK table this direction's encoder
        # may use, and the largest frame it may send.
        self.table_limit = DEFAULT_TABLE_SIZE
        self.max_frame = DEFAULT_MAX_FRAME
        self.lost = False  # framing was lost once: its header decoding is tolerant
        self.stash_sid = 0  # the newest stream open when hbuf's first bytes came (_start)

    def feed(self, conn: FrameOwner, data: bytes, total: int, pos: int, te: int, tx: int) -> None:
        """Reads `data` from `pos` whatever the direction's state, then accounts for the
        `total - len(data)` bytes the capture did not carry.  `te`/`tx`: the syscall's kernel
        times."""
        n = len(data)
        while pos < n and conn.is_http:
            state = self.state
            if state == FRAMES:
                if self.hbuf or self.left:
                    pos = self._carry(conn, data, pos, n)
                    if self.state != FRAMES:
                        continue
                if pos < n:
                    pos = self.frames(conn, data, pos, n, te, tx)
            elif state == START:
                pos = self._start(conn, data, pos, total)
            else:
                pos = self._resync(conn, data, pos, total)
        if total > n and conn.is_http:
            self.skip(conn, total - n)

    def frames(self, conn: FrameOwner, data: bytes, pos: int, n: int, te: int, tx: int) -> int:
        """Reads the frames of `data` from the boundary `pos`; a frame cut by the end of the
        data is carried over.  Returns where it stopped (n, or a header that is no frame).

        The hot path: the connection calls it directly for a syscall of whole frames (state
        FRAMES, nothing carried over, all captured)."""
        on_frame = conn.on_frame
        while pos + HEADER_LEN <= n:
            lt, flags, sid = _unpack_header(data, pos)
            ftype = lt & 0xFF
            length = lt >> 8
            # DATA and HEADERS on a valid stream id (nearly every frame) need no other check.
            if (ftype > HEADERS or not 0 < sid < 0x80000000) and structure_error(length, ftype, sid, not self.lost):
                conn.stats.bad_frames += 1
                self.lose(conn)
                return pos  # a boundary is looked for from here (_resync)
            start = pos + HEADER_LEN
            end = start + length
            if end > n:
                self._begin_partial(conn, ftype, flags, sid, length, data, start, n, te, tx)
                return n
            on_frame(self, ftype, flags, sid, data, start, end, length, te, tx)
            if not conn.is_http:
                return n
            pos = end
        if pos < n:
            self.hbuf = data[pos:n]
            self.fte = te  # the times of the syscall that carried the header's start
            self.ftx = tx
        return n

    def _carry(self, conn: FrameOwner, data: bytes, pos: int, n: int) -> int:
        """Continues the frame the previous syscall cut; returns the position after what it used."""
        if self.hbuf:
            need = HEADER_LEN - len(self.hbuf)
            if n - pos < need:
                self.hbuf += data[pos:n]
                return n
            header = self.hbuf + data[pos : pos + need]
            self.hbuf = b""
            pos += need
            lt, flags, sid = _unpack_header(header)
            ftype = lt & 0xFF
            length = lt >> 8
            if structure_error(length, ftype, sid, not self.lost):
                conn.stats.bad_frames += 1
                self.lose(conn)
                return pos
            end = pos + length
            if end <= n:
                conn.on_frame(self, ftype, flags, sid, data, pos, end, length, self.fte, self.ftx)
                return end
            self._begin_partial(conn, ftype, flags, sid, length, data, pos, n, self.fte, self.ftx)
            return n
        take = self.left if self.left < n - pos else n - pos
        room = self.room
        if room:
            if room > take:
                room = take
            self.payload += data[pos : pos + room]
            self.room -= room
        self.left -= take
        pos += take
        if not self.left:
            self._finish_partial(conn)
        return pos

    def _begin_partial(
        self,
        conn: FrameOwner,
        ftype: int,
        flags: int,
        sid: int,
        length: int,
        data: bytes,
        start: int,
        n: int,
        te: int,
        tx: int,
    ) -> None:
        """A frame whose payload `data[start:]` continues in later syscalls: keeps what its type
        needs (FrameOwner.payload_wanted) until it is complete."""
        keep = conn.payload_wanted(self, ftype, flags, sid, length)
        avail = n - start
        self.ftype = ftype
        self.flags = flags
        self.sid = sid
        self.flen = length
        self.fte = te
        self.ftx = tx
        self.payload = bytearray(data[start : start + (keep if keep < avail else avail)])
        self.room = keep - len(self.payload)
        self.left = length - avail

    def _finish_partial(self, conn: FrameOwner) -> None:
        payload = bytes(self.payload)
        self.payload = None
        self.room = 0
        conn.on_frame(self, self.ftype, self.flags, self.sid, payload, 0, len(payload), self.flen, self.fte, self.ftx)

    def skip(self, conn: FrameOwner, missing: int) -> None:
        """`missing` bytes of the direction were moved but not seen: skipped if they lie within
        the current frame's payload, else the framing is lost."""
        conn.stats.gap_bytes += missing
        if self.state != FRAMES:
            self.lose(conn)  # no boundary known yet: still looking for one
            return
        if self.left and not self.hbuf:
            if missing < self.left:
                self.left -= missing
                self.room = 0  # what follows is not contiguous with what was kept
                return
            missing -= self.left
            self.left = 0
            self._finish_partial(conn)
            if not missing or self.state != FRAMES:
                return
        self.lose(conn)

    def lose(self, conn: FrameOwner) -> None:
        """Bytes of the direction were missed at a frame boundary: look for one again; its
        header blocks in between are lost, so its HPACK table is unknown."""
        self.lost = True  # header blocks may be in what was missed: decoded tolerantly from now on
        conn.taint()
        if self.state != FRAMES:
            self.state = LOST  # no boundary known (already lost, or its start was not seen)
            self.hbuf = b""
            return
        conn.stats.framing_lost += 1
        self.state = LOST
        self.hbuf = b""
        self.left = 0
        self.room = 0
        self.payload = None
        conn.headers_lost(self)

    def stop(self) -> None:
        """Decoding stopped for good: nothing more is read, nothing carried over is kept."""
        self.state = LOST
        self.payload = None
        self.hbuf = b""

    def _start(self, conn: FrameOwner, data: bytes, pos: int, total: int) -> int:
        """The first bytes of a direction: the client preface; the server's first frame (a
        SETTINGS frame, RFC 9113 §3.4); or frames of a connection that started before we saw
        it (a boundary is looked for).  Fewer than 9 bytes that are not the preface wait in
        hbuf for the rest of a frame header."""
        if not self.hbuf:
            matched = self.preface
            got = data[pos : pos + PREFACE_LEN - matched]
            if got == PREFACE[matched : matched + len(got)]:
                self.preface = matched = matched + len(got)
                if matched == PREFACE_LEN:
                    self.state = FRAMES
                    self.initial = False
                    conn.on_preface(self)
                return pos + len(got)
            if matched:
                conn.stats.bad_frames += 1  # a preface that goes wrong: not one
                self.state = LOST
                return pos
        if conn.started_fresh(self):
            # The server's direction of a connection whose preface we saw: frames from its first byte.
            self.state = FRAMES
            self.initial = False
            conn.seen_http = True
            return pos
        have = len(self.hbuf)
        if have + len(data) - pos < HEADER_LEN:
            if not have:
                self.stash_sid = max(conn.open_streams(), default=0)
            self.hbuf += data[pos:]
            return len(data)
        head = self.hbuf + data[pos:] if have else data[pos:] if pos else data
        _, ftype, flags, _ = parse_header(head)
        if ftype == SETTINGS and not flags & ACK and chain_check(head, 0, have + total - pos, self.max_frame):
            self.state = FRAMES  # the server preface, most likely: hbuf is the start of its header
            self.initial = False
            conn.seen_http = True
            return pos
        if have:
            conn.stats.skipped_bytes += have
            self.lost = True
            conn.taint(self.stash_sid)  # streams opened since cannot have frames in those bytes
        self.hbuf = b""
        self.state = LOST
        return pos

    def _resync(self, conn: FrameOwner, data: bytes, pos: int, total: int) -> int:
        """Looks for a frame boundary in `data[pos:]`; returns it (state FRAMES), or len(data)."""
        n = len(data)
        view = data[pos:] if pos else data
        offset = find_frame_boundary(view, total - pos, self.max_frame, conn.open_streams())
        if offset:
            self.lost = True  # skipped bytes may have held header blocks: decoded tolerantly
            conn.taint()
        if offset < 0:
            conn.stats.skipped_bytes += n - pos
            return n
        conn.stats.skipped_bytes += offset
        if self.initial:
            self.initial = False
        else:
            conn.stats.resyncs += 1
        self.state = FRAMES
        conn.seen_http = True
        return pos + offset
