"""HTTP/2 frames (RFC 9113 §4, §6): the frame header, what a plausible header looks like, and
the payloads the decoder reads (SETTINGS, RST_STREAM, GOAWAY, padded header blocks).

This module knows single frames only; the per-direction framing state and what frames mean
for streams live in :mod:`otel_ebpf.protocols.http2`.  Everything here is pure and raises
nothing but :class:`Http2ProtocolError`.

Finding frame boundaries in bytes of unknown alignment (a connection the agent joined
mid-way, or a direction whose framing a capture gap lost) rests on the header being very
constrained: a known type (0-9), only the flags defined for that type (RFC 9113 §4.1:
senders leave the others unset), the reserved bit clear, a length within the maximum frame
size and fixed for several types, and a stream id that is zero exactly for the
connection-level types.  A random 9-byte string passes with a probability of about 2e-7,
but payloads are not random: a SETTINGS payload or a gRPC message prefix (zeros and small
numbers) reads as plausible DATA headers, an empty one right before the end of a syscall
often enough.  So a boundary is only accepted on stronger evidence (see chain_check).
"""

from __future__ import annotations

import struct

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"  # the client connection preface (RFC 9113 §3.4)
PREFACE_LEN = len(PREFACE)
HEADER_LEN = 9
DEFAULT_MAX_FRAME = 16384  # SETTINGS_MAX_FRAME_SIZE initial value (RFC 9113 §6.5.2)
MAX_FRAME_LIMIT = (1 << 24) - 1  # the largest value SETTINGS_MAX_FRAME_SIZE may take

# Frame types (RFC 9113 §6).
DATA = 0
HEADERS = 1
PRIORITY = 2
RST_STREAM = 3
SETTINGS = 4
PUSH_PROMISE = 5
PING = 6
GOAWAY = 7
WINDOW_UPDATE = 8
CONTINUATION = 9

# Flags.
END_STREAM = 0x1
ACK = 0x1
END_HEADERS = 0x4
PADDED = 0x8
PRIORITY_FLAG = 0x20

# SETTINGS parameters the decoder follows.
SETTINGS_HEADER_TABLE_SIZE = 0x1
SETTINGS_MAX_FRAME_SIZE = 0x5

# (length << 8 | type, flags, reserved bit + stream id): one unpack per frame.
FRAME_HEADER = struct.Struct(">IBI")
_SETTING = struct.Struct(">HI")
_U32 = struct.Struct(">I")
_GOAWAY = struct.Struct(">II")

# Per type (index = type): the flags a sender may set; whether the stream id must be zero (1),
# non-zero (0) or either (2); the exact length (-1: any) and the minimum length.
_VALID_FLAGS = (0x09, 0x2D, 0x00, 0x00, 0x01, 0x0C, 0x01, 0x00, 0x00, 0x04)
_SID_RULE = (0, 0, 0, 0, 1, 0, 1, 1, 2, 0)
_FIXED_LEN = (-1, -1, 5, 4, -1, -1, 8, -1, 4, -1)
_MIN_LEN = (0, 0, 5, 4, 0, 4, 8, 8, 4, 0)
_CONNECTION_TYPES = frozenset((SETTINGS, PING, GOAWAY, WINDOW_UPDATE))

# RFC 9113 §7 error codes, as `error.type` values (lower case).
ERROR_NAMES = (
    "no_error",
    "protocol_error",
    "internal_error",
    "flow_control_error",
    "settings_timeout",
    "stream_closed",
    "frame_size_error",
    "refused_stream",
    "cancel",
    "compression_error",
    "connect_error",
    "enhance_your_calm",
    "inadequate_security",
    "http_1_1_required",
)

# Bounds of the boundary search: headers walked per candidate offset (that many plausible ones
# in a row are taken for frames: only frames are like that), and in all per search (hostile
# bytes, long runs of zeros that read as short frames, cost at most a few milliseconds).
_MAX_CHAIN = 256
_SEARCH_BUDGET = 8192


class Http2ProtocolError(ValueError):
    """The bytes are not valid HTTP/2 framing (raised inside, counted at the boundary)."""


def error_name(code: int) -> str:
    """The `error.type` of an RST_STREAM / GOAWAY error code; "stream_reset" for an unknown code."""
    return ERROR_NAMES[code] if 0 <= code < len(ERROR_NAMES) else "stream_reset"


def parse_header(buf: bytes | bytearray, pos: int = 0) -> tuple[int, int, int, int]:
    """(length, type, flags, stream id) of the frame header at `pos` (the reserved bit is kept
    in the stream id, as bit 31, so that callers can reject it)."""
    if pos < 0 or len(buf) - pos < HEADER_LEN:
        raise Http2ProtocolError("incomplete frame header")
    lt, flags, sid = FRAME_HEADER.unpack_from(buf, pos)
    return lt >> 8, lt & 0xFF, flags, sid


def plausible(length: int, ftype: int, flags: int, sid: int, max_frame: int = DEFAULT_MAX_FRAME) -> bool:
    """Could this header start a frame a conforming peer sent?  (Known types only.)"""
    if ftype > CONTINUATION or flags & ~_VALID_FLAGS[ftype] or length > max_frame or sid & 0x80000000:
        return False
    rule = _SID_RULE[ftype]
    if (rule == 0 and not sid) or (rule == 1 and sid):
        return False
    fixed = _FIXED_LEN[ftype]
    if fixed >= 0:
        return length == fixed
    if length < _MIN_LEN[ftype]:
        return False
    if ftype == SETTINGS:
        return not length if flags & ACK else length % 6 == 0
    if flags & PADDED and not length:
        return False
    if ftype == HEADERS and flags & PRIORITY_FLAG:
        return length >= (6 if flags & PADDED else 5)
    return True


def structure_error(length: int, ftype: int, sid: int, extensions: bool = True) -> str | None:
    """Why a header read at a trusted boundary cannot be a frame, or None.

    Checked on every frame: a violation means the framing was lost (bytes we were not told
    about) far more often than a peer breaking these rules, so the direction resyncs.  Flags
    are not checked here: receivers ignore undefined flags (RFC 9113 §4.1).  Frames of
    unknown (extension) types up to the default maximum size are skipped by length if
    `extensions`; else (after a resynchronisation, which could have been wrong) they are
    taken for a sign of lost framing.
    """
    if sid & 0x80000000:
        return "reserved bit set"
    if ftype > CONTINUATION:
        return None if extensions and length <= DEFAULT_MAX_FRAME else "unknown frame type"
    rule = _SID_RULE[ftype]
    if (rule == 0 and not sid) or (rule == 1 and sid):
        return "stream id not allowed for the frame type"
    fixed = _FIXED_LEN[ftype]
    if fixed >= 0 and length != fixed:
        return "wrong length for the frame type"
    if length < _MIN_LEN[ftype]:
        return "frame too short"
    if ftype == SETTINGS and length % 6:
        return "SETTINGS length not a multiple of 6"
    return None


def chain_check(
    data: bytes | bytearray,
    pos: int,
    total: int,
    max_frame: int = DEFAULT_MAX_FRAME,
    known: dict[int, object] | frozenset[int] = frozenset(),
) -> bool:
    """Does a frame boundary lie at `pos`?  `data` is the captured prefix of `total` bytes.

    Walks the chain of headers from `pos` while they lie in `data`; every one must be
    plausible, and on stream 0, an odd (client-opened) stream or a stream in `known`; the
    first one not a DATA frame of a stream not in `known` (unless `pos` is 0: see below).  A
    header is anchored when it is a connection-level frame on stream 0 or a frame of a stream
    in `known`.  Accepted: the chain lands exactly on `total` (the syscall moved whole frames:
    the usual case, a writer writes whole frames) and some header of it is anchored or
    carries a payload (an empty frame right before the end is too easily found in zeros), and
    it has two headers or more, or is anchored, or begins a connection's first bytes (pos 0,
    looks_like_http2: a connection's first syscall begins with a frame); or
    it leaves the captured bytes (a capture cut short, a read that ended mid-frame) and every
    header of it is anchored, two headers or more unless it begins where the syscall began;
    or _MAX_CHAIN headers in a row are plausible.  A chain of
    unanchored headers that merely runs off the end proves nothing: a SETTINGS payload reads
    as two DATA headers often enough.
    """
    if pos < 0:
        raise Http2ProtocolError("negative position")
    return _chain(data, pos, total, max_frame, known, _MAX_CHAIN, pos == 0)[0]


def _chain(
    data: bytes | bytearray,
    pos: int,
    total: int,
    max_frame: int,
    known: dict[int, object] | frozenset[int],
    limit: int,
    first: bool,
) -> tuple[bool, int]:
    """chain_check's verdict, walking at most `limit` headers, and how many it walked
    (`first`: `pos` is where the syscall began)."""
    n = len(data)
    count = 0
    anchored = True  # every header is a connection-level one, or a followed stream's
    substantial = False  # some header is anchored, or carries a payload
    unpack = FRAME_HEADER.unpack_from
    while count < limit:
        if count and pos == total:
            # One unanchored frame alone is too easily found in a payload, a header whose length
            # happens to match what is left (a gRPC message prefix: zeros and its length).
            return substantial and (count > 1 or anchored or first), count
        if pos + HEADER_LEN > n:  # the next header was not captured (or the read cut it)
            return anchored and (count > 1 or count == 1 and first), count
        lt, flags, sid = unpack(data, pos)
        length = lt >> 8
        ftype = lt & 0xFF
        if not plausible(length, ftype, flags, sid, max_frame):
            return False, count + 1
        if sid in known or not sid and ftype in _CONNECTION_TYPES:
            substantial = True
        elif not sid & 1:
            return False, count + 1  # a pushed stream's, or a SETTINGS payload's zeros: no evidence
        elif ftype == DATA and not count and not first:
            # DATA of a stream we do not follow, first: the weakest evidence, and what zeros and
            # a small number look like (a gRPC message prefix); a chain starting there that
            # lands on a real frame would be taken for frames.
            return False, count + 1
        else:
            anchored = False
            if length:
                substantial = True
        count += 1
        pos += HEADER_LEN + length
    return limit == _MAX_CHAIN, count


def find_frame_boundary(
    data: bytes | bytearray,
    total: int,
    max_frame: int = DEFAULT_MAX_FRAME,
    known: dict[int, object] | frozenset[int] = frozenset(),
    at_start: bool = False,
) -> int:
    """The first offset of `data` (captured prefix of `total` bytes) where chain_check accepts a
    frame boundary, or -1.  `at_start`: a syscall is taken to begin at a boundary (a single
    unanchored frame at offset 0 is accepted), true of writes but not of reads, which can
    begin anywhere in a frame: the decoder does not assume it.

    A frame is at most `max_frame` long, so if a boundary lies in `data` one lies in its first
    `max_frame + 9` bytes; offsets are tried from 0 (a syscall usually starts at a boundary),
    then at each zero byte (the length's high byte is zero for any frame up to 64 KiB).  At
    most _SEARCH_BUDGET headers are read in all: hostile bytes (long runs of zeros read as
    short frames) cost a bounded time.
    """
    n = len(data)
    budget = _SEARCH_BUDGET
    limit = min(n - HEADER_LEN, max_frame + HEADER_LEN)
    zero_high = max_frame < 0x10000
    pos = 0
    while pos <= limit and budget > 0:
        if pos and zero_high:
            pos = data.find(b"\x00", pos, limit + 1)
            if pos < 0:
                return -1
        ok, walked = _chain(data, pos, total, max_frame, known, min(_MAX_CHAIN, budget), at_start and not pos)
        if ok:
            return pos
        budget -= walked + 1
        pos += 1
    return -1


def looks_like_http2(data: bytes) -> bool:
    """True when `data` (the first bytes a connection is seen to move) is HTTP/2: the client
    preface (or at least its first three bytes, "PRI"), or frames starting at its first byte
    (a connection the agent joined mid-way; see chain_check)."""
    n = len(data)
    if n >= 3 and (data[:PREFACE_LEN] == PREFACE[:n] if n < PREFACE_LEN else data.startswith(PREFACE)):
        return True
    return n >= HEADER_LEN and chain_check(data, 0, n)


def fragment(
    ftype: int, flags: int, buf: bytes | bytearray, start: int, stop: int, length: int
) -> tuple[int, int, int]:
    """The header block fragment of a HEADERS or PUSH_PROMISE frame whose payload is
    `buf[start:start + length]`, of which `buf[start:stop]` is available.

    Returns (fragment start, fragment stop within what is available, promised stream id or 0).
    """
    if not 0 <= start <= stop <= len(buf) or stop - start > length:
        raise Http2ProtocolError("bad payload bounds")
    end = start + length
    pos = start
    if flags & PADDED:
        if stop == start:
            raise Http2ProtocolError("padding length not captured")
        end -= buf[start]
        pos += 1
    promised = 0
    if ftype == PUSH_PROMISE:
        if stop < pos + 4:
            raise Http2ProtocolError("promised stream id not captured")
        promised = _U32.unpack_from(buf, pos)[0] & 0x7FFFFFFF
        pos += 4
    elif flags & PRIORITY_FLAG:
        pos += 5
    if pos > end:
        raise Http2ProtocolError("padding or priority longer than the frame")
    return pos, min(stop, end), promised


def data_bounds(flags: int, buf: bytes | bytearray, start: int, stop: int, length: int) -> tuple[int, int, int]:
    """The data of a DATA frame whose payload is `buf[start:start + length]`, of which
    `buf[start:stop]` is available: (data start, data stop within what is available, data
    length).  A padded frame whose padding length was not captured counts its length as data."""
    if not 0 <= start <= stop <= len(buf) or stop - start > length:
        raise Http2ProtocolError("bad payload bounds")
    if not flags & PADDED:
        return start, stop, length
    if stop == start:
        return start, start, length - 1 if length else 0
    size = length - 1 - buf[start]
    if size < 0:
        raise Http2ProtocolError("padding longer than the frame")
    start += 1
    return start, min(stop, start + size), size


def parse_settings(payload: bytes | bytearray) -> list[tuple[int, int]]:
    """(identifier, value) of each complete setting in a SETTINGS payload (a cut one is dropped)."""
    return [_SETTING.unpack_from(payload, i) for i in range(0, len(payload) - 5, 6)]


def parse_rst_stream(payload: bytes | bytearray) -> int:
    """The error code of an RST_STREAM payload (-1 when it was not captured)."""
    return _U32.unpack_from(payload)[0] if len(payload) >= 4 else -1


def parse_goaway(payload: bytes | bytearray) -> tuple[int, int]:
    """(last stream id, error code) of a GOAWAY payload."""
    if len(payload) < 8:
        raise Http2ProtocolError("GOAWAY payload not captured")
    last, code = _GOAWAY.unpack_from(payload)
    return last & 0x7FFFFFFF, code
