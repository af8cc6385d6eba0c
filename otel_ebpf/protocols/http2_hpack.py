"""HPACK header blocks (RFC 7541) as an observer decodes them: exactly when the connection
was seen from its start, tolerantly when the agent joined it mid-way or lost part of it.

Built on the ``hpack`` package: its HeaderTable (static table, dynamic table insertion and
size-based eviction) and its Huffman state table.  The field loop is
our own, because ``hpack.Decoder.decode`` is too slow for the hot path (a debug log call,
a memoryview slice and a HeaderTuple per field) and has no way to go on past an entry it
does not know.  Measured with bench/bench_http2_parse.py on the development VM (2 vCPU,
CPython 3.11, best of runs; the VM's noise reaches +50 %), a gRPC request block of 10 fields
in steady state (all table references): ``hpack.Decoder.decode`` 15 µs, this loop 2.0 µs;
the same with a new traceparent per call (a Huffman-coded literal inserted into the table):
27 µs and 6.5 µs, 2.5 µs of it the traceparent's Huffman string (huffman_decode); a response
head + trailers: 9.4 µs and 1.4 µs.

Tolerant decoding.  The dynamic table holds the newest insertions, newest first at index 62
(RFC 7541 §2.3.3).  An observer that joined mid-way knows the insertions made since then:
they are the newest, so index 62 + i is the i-th newest insertion in the encoder's table and
in ours alike, whatever the older entries were and whatever either side evicted (eviction
only removes the oldest).  An index beyond what we know names an entry inserted before we
joined: the field is dropped and counted, never guessed.  A literal whose name is such an
entry is dropped too, but its insertion is still made, with the name marked UNKNOWN, so that
the indices of later insertions stay aligned; an entry with an UNKNOWN name stays unknown
whenever it is referenced.  Our eviction (by our sizes, which undercount an unknown name)
may drop an entry the encoder still holds: it then becomes unknown, never wrong.  A header
block that was lost or cut leaves an unknown number of insertions behind: the table is
reset to nothing known (reset).
"""

from __future__ import annotations

from hpack.huffman_table import HUFFMAN_TABLE
from hpack.table import HeaderTable

from otel_ebpf.protocols.http2_frames import Http2ProtocolError

__all__ = ["DEFAULT_TABLE_SIZE", "MAX_TABLE_SIZE", "UNKNOWN", "HpackDecoder", "Http2HpackError", "huffman_decode"]

DEFAULT_TABLE_SIZE = 4096  # SETTINGS_HEADER_TABLE_SIZE initial value
# The largest dynamic table we keep per direction (memory bound).  An encoder announcing a
# bigger one makes the decoder tolerant: entries past our bound become unknown, not errors.
MAX_TABLE_SIZE = 64 * 1024
# Fields of a block kept: their size as RFC 9113 §6.5.2 counts a header list (name and value
# lengths + 32 per field), at most about http1_message's bounds (16 KiB of head, 100 lines).
MAX_LIST_SIZE = 16 * 1024 + 100 * 32

# The name of a dynamic table entry inserted before we joined (or after a loss).  Compared by
# identity: a peer sending these bytes as a name gets a field like any other.
UNKNOWN = b"\x00unknown"

_STATIC = HeaderTable.STATIC_TABLE
_STATIC_LEN = len(_STATIC)  # 61
_MAX_HUFFMAN_CACHED = 32  # longest Huffman string remembered (bytes): longer ones rarely repeat
_MAX_HUFFMAN_ENTRIES = 4096


class Http2HpackError(Http2ProtocolError):
    """A header block is not valid HPACK, or names an entry a strict decoder does not have."""


class HpackDecoder:
    """Decodes the header blocks of one direction of a connection.

    Args:
        strict: the connection was seen from its start: every index must resolve (an
            unknown one raises).  Otherwise unknown entries are dropped and counted.
        max_allowed: the largest table size the encoder may announce (the receiving side's
            SETTINGS_HEADER_TABLE_SIZE).

    After each decode, `unknown` holds the number of fields dropped as unknown, `cut` whether
    fields were dropped by the MAX_LIST_SIZE bound, and `modified` whether the block changed
    the table.  `memo` is the caller's: results it derived from blocks that did not change the
    table, emptied whenever the table changes (decoding such a block again gives the same
    fields as long as the table is the same).
    """

    __slots__ = ("table", "strict", "max_allowed", "unknown", "cut", "modified", "memo")

    def __init__(self, strict: bool, max_allowed: int = DEFAULT_TABLE_SIZE) -> None:
        self.table = HeaderTable()
        self.strict = strict
        self.max_allowed = max_allowed
        self.unknown = 0
        self.cut = False
        self.modified = False
        self.memo: dict[bytes, object] = {}
        if not strict:
            # The encoder's table size is unknown: ours holds as much as we allow, so that what
            # we saw inserted stays known as long as possible (see the module docstring).
            self.table.maxsize = MAX_TABLE_SIZE

    def reset(self) -> None:
        """Header blocks were lost: nothing in the dynamic table is known any more."""
        self.table = HeaderTable()
        self.table.maxsize = MAX_TABLE_SIZE
        self.strict = False
        self.memo.clear()

    def decode(self, block: bytes, truncated: bool = False) -> list[tuple[bytes, bytes]]:
        """The (name, value) fields of a header block, in order, unknown ones left out.

        Args:
            block: the header block (fragments joined).
            truncated: `block` is only the start of the block (the rest was not captured): the
                fields up to the cut are returned and the table is reset afterwards.

        Raises:
            Http2HpackError: the block is invalid (never for a truncated block).
        """
        fields: list[tuple[bytes, bytes]] = []
        self.unknown = 0
        self.cut = False
        self.modified = False
        try:
            self._decode(block, fields)
        except Http2HpackError:
            if not truncated:
                raise
        except IndexError:
            if not truncated:
                raise Http2HpackError("truncated field") from None
        finally:
            if self.modified and self.memo:
                self.memo.clear()
        if truncated:
            self.reset()
        return fields

    def _decode(self, data: bytes, fields: list[tuple[bytes, bytes]]) -> None:
        table = self.table
        dyn = table.dynamic_entries
        known = len(dyn)  # dynamic entries (kept up to date after each insertion)
        strict = self.strict
        n = len(data)
        pos = 0
        budget = MAX_LIST_SIZE
        unknown = 0
        updates_end = 0  # table size updates may only open the block
        static = _STATIC
        append = fields.append
        while pos < n:
            b = data[pos]
            if b & 0x80:  # indexed field (§6.1): the table's own tuple, no copy
                index = b & 0x7F
                if index == 0x7F:
                    index, pos = _integer(data, pos, 7)
                else:
                    pos += 1
                if index <= _STATIC_LEN:
                    if not index:
                        raise Http2HpackError("index 0")
                    field = static[index - 1]
                elif index - 62 < known:
                    field = dyn[index - 62]
                    if field[0] is UNKNOWN:  # inserted by a literal whose name was unknown
                        unknown += 1
                        continue
                elif strict:
                    raise Http2HpackError(f"index {index} beyond the dynamic table")
                else:
                    unknown += 1
                    continue
            elif b & 0xE0 == 0x20:  # dynamic table size update (§6.3)
                if pos != updates_end:
                    raise Http2HpackError("table size update after a field")
                size, pos = _integer(data, pos, 5) if b & 0x1F == 0x1F else (b & 0x1F, pos + 1)
                updates_end = pos
                if size > self.max_allowed and (strict or size > MAX_TABLE_SIZE):
                    raise Http2HpackError(f"table size {size} above the allowed {self.max_allowed}")
                if size > MAX_TABLE_SIZE:
                    size = MAX_TABLE_SIZE
                    self.strict = strict = False  # older entries we evict become unknown
                table.maxsize = size
                known = len(dyn)
                self.modified = True
                continue
            else:  # literal (§6.2): with incremental indexing (01), without (0000) or never (0001)
                if b & 0x40:
                    mask = 0x3F
                    indexing = True
                else:
                    mask = 0x0F
                    indexing = False
                index = b & mask
                if index == mask:
                    index, pos = _integer(data, pos, 6 if indexing else 4)
                else:
                    pos += 1
                if not index:
                    # Literal name: a string (§5.2), inlined as the value below.
                    h = data[pos]
                    length = h & 0x7F
                    if length == 0x7F:
                        length, pos = _integer(data, pos, 7)
                    else:
                        pos += 1
                    end = pos + length
                    if end > n:
                        raise Http2HpackError("truncated name")
                    name = data[pos:end] if not h & 0x80 else _huffman(data[pos:end])
                    pos = end
                elif index <= _STATIC_LEN:
                    name = static[index - 1][0]
                elif index - 62 < known:
                    name = dyn[index - 62][0]
                elif strict:
                    raise Http2HpackError(f"name index {index} beyond the dynamic table")
                else:
                    name = UNKNOWN
                h = data[pos]
                length = h & 0x7F
                if length == 0x7F:
                    length, pos = _integer(data, pos, 7)
                else:
                    pos += 1
                end = pos + length
                if end > n:
                    raise Http2HpackError("truncated value")
                value = data[pos:end] if not h & 0x80 else _huffman(data[pos:end])
                pos = end
                if indexing:
                    table.add(name, value)
                    known = len(dyn)
                    self.modified = True
                if name is UNKNOWN:
                    unknown += 1
                    continue
                field = (name, value)
            name, value = field
            budget -= len(name) + len(value) + 32
            if budget < 0:
                self.cut = True  # still decoded to the end: the table must follow every insertion
                continue
            append(field)
        self.unknown = unknown


def _integer(data: bytes, pos: int, prefix_bits: int) -> tuple[int, int]:
    """An integer (§5.1) whose prefix at `pos` is all ones -> (value, position after it).

    hpack's decode_integer, without its two debug log calls (1 µs a call, and a long-lived
    connection's table references pass index 127): at most 5 continuation bytes, as it
    allows.  A block that ends inside raises IndexError (decode makes it a truncation).
    """
    value = (1 << prefix_bits) - 1
    shift = 0
    end = pos + 6
    pos += 1
    while pos < end:
        byte = data[pos]
        pos += 1
        value += (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
    raise Http2HpackError("integer too long")


# Huffman decoding (§5.2, Appendix B).  hpack's decode_huffman walks its state table a nibble
# at a time (12.5 µs for a 36-byte traceparent value); here the same table is walked a byte at
# a time, each (state, byte) step composed from two nibble steps the first time it is met and
# remembered (hex text such as a traceparent meets 1,500 of the 257 x 256, base64 15,000, all
# of printable ASCII 24,000; at most _MAX_STEPS are kept, 2.5 MB, the bytes they emit shared):
# 2.5 µs for the same value.  An invalid code leads to
# a dead state that every byte keeps and that is never complete, so the loop checks nothing
# per byte.  Strings seen before (up to _MAX_HUFFMAN_CACHED bytes) are remembered whole.
_FAIL = 4
_EMIT = 2
_COMPLETE = 1
_DEAD = 256
# Indexed by state * 256 + byte -> (next state * 256, bytes emitted, flags of the last nibble).
_steps: list[tuple[int, bytes, int] | None] = [None] * ((_DEAD + 1) * 256)
_huffman_cache: dict[bytes, bytes] = {}
_MAX_STEPS = 24576
_kept_steps = 0
_emitted: dict[bytes, bytes] = {}  # what steps emit (0 to 2 bytes), one object each


def _step(key: int) -> tuple[int, bytes, int]:
    global _kept_steps
    state, byte = divmod(key, 256)
    out = bytearray()
    flags = 0
    if state != _DEAD:
        for nibble in (byte >> 4, byte & 0x0F):
            state, flags, symbol = HUFFMAN_TABLE[state * 16 + nibble]
            if flags & _FAIL:
                state = _DEAD
                flags = 0
                out.clear()
                break
            if flags & _EMIT:
                out.append(symbol)
    emitted = bytes(out)
    if _kept_steps >= _MAX_STEPS:
        return (state * 256, emitted, flags)  # computed each time it is met
    _kept_steps += 1
    step = _steps[key] = (state * 256, _emitted.setdefault(emitted, emitted), flags)
    return step


def huffman_decode(data: bytes) -> bytes:
    """Decodes a Huffman-coded string; raises Http2HpackError if it is not valid (§5.2)."""
    if not data:
        return b""
    steps = _steps
    state = 0
    flags = 0
    text = b""
    for byte in data:
        state, out, flags = steps[state + byte] or _step(state + byte)
        text += out  # short strings: cheaper than a list and a join
    if not flags & _COMPLETE:
        raise Http2HpackError("invalid or incomplete Huffman string")
    return text


def _huffman(data: bytes) -> bytes:
    value = _huffman_cache.get(data)
    if value is None:
        value = huffman_decode(data)
        if len(data) <= _MAX_HUFFMAN_CACHED:
            if len(_huffman_cache) >= _MAX_HUFFMAN_ENTRIES:
                _huffman_cache.clear()
            _huffman_cache[data] = value
    return value
