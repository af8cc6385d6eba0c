"""The Python view of every record the kernel programs share with the agent, and of their constants.

The C headers in bpf/ are the single definition of what the kernel writes: ``http_events.h``
(the events of the HTTP capture ring buffer) and ``tcp_flows.h`` (the TCP flow maps' keys and
values).  Python cannot include a header, so each struct is declared here once, as an ordered
list of (member name, ``struct`` format), from which its precompiled :class:`struct.Struct`
and every member's offset are derived; the ``#define`` numbers Python relies on are declared
next to it.  ``tests/test_kernel_records.py`` compiles the headers with ``gcc -gbtf`` and
checks every record member by member (name, offset, size), every size, and every constant,
so a header edited without this file fails the tests rather than decoding garbage.

Formats use native byte order with standard sizes and no implicit alignment (``=``): the
headers spell their padding out, and the kernel writes in the machine's byte order.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "CLOSE_REASONS",
    "CONNECT_BOUNDS_S",
    "CONNECT_BUCKETS",
    "DIR_INBOUND",
    "DIR_OUTBOUND",
    "EVENT_CLOSE",
    "EVENT_DATA",
    "EVENT_DATA_MORE",
    "EVENT_EOF",
    "EVENT_ERROR",
    "EVENT_HEADER",
    "EVENT_POS_VALID",
    "EVENT_RESYNC",
    "EVENT_TLS",
    "FLOW_CLIENT",
    "FLOW_KEY",
    "FLOW_SERVER",
    "FLOW_STATS",
    "HEADERS",
    "HTTP_EVENTS_H",
    "HTTP_METHODS",
    "HTTP_STAT_NAMES",
    "Header",
    "OVERFLOW_TGID",
    "ROLE_CLIENT",
    "ROLE_SERVER",
    "ROLE_UNKNOWN",
    "Record",
    "RecordField",
    "SHED_BOUNDS_NS",
    "SHED_KEY",
    "SHED_OVERFLOW_KEY",
    "SHED_OVERFLOW_TGID",
    "SHED_PATH_BYTES",
    "SHED_REASONS",
    "SHED_VALUE",
    "SK_CLOSED",
    "SK_ESTABLISHED",
    "SK_FIN",
    "SK_RST_RECEIVED",
    "SK_RST_SENT",
    "SK_TIMER_CLOSE",
    "SOCK_STATE",
    "TCP_FLOWS_H",
    "TCP_STAT_NAMES",
]

_ORDER = "="  # native byte order, standard sizes, no alignment: padding is spelled out in the headers


@dataclass(frozen=True)
class RecordField:
    """One member of a record.

    Attributes:
        name: The C member's name.
        fmt: Its ``struct`` format without byte order (``"I"``, ``"16s"``, ``"5Q"``, ``"7x"`` for padding).
        offset: Byte offset in the record.
        size: Byte size.
        index: Position of its first value in what the record's Struct unpacks (None for padding).
    """

    name: str
    fmt: str
    offset: int
    size: int
    index: int | None


class Record:
    """A C struct as Python reads it: an ordered list of (member name, struct format).

    Attributes:
        c_name: The struct's name in C (``struct <c_name>``).
        fields: Every member, in order, with offset and size.
        struct: The precompiled :class:`struct.Struct` of the whole record.
        size: ``sizeof(struct c_name)``.
    """

    def __init__(self, c_name: str, members: Sequence[tuple[str, str]]):
        self.c_name = c_name
        fields = []
        offset = index = 0
        for name, fmt in members:
            size = struct.calcsize(_ORDER + fmt)
            values = len(struct.unpack(_ORDER + fmt, bytes(size)))
            fields.append(RecordField(name, fmt, offset, size, index if values else None))
            offset += size
            index += values
        self.fields = tuple(fields)
        self._by_name = {f.name: f for f in fields}
        if len(self._by_name) != len(fields):
            raise ValueError(f"struct {c_name}: a member name appears twice")
        self.struct = struct.Struct(_ORDER + "".join(fmt for _, fmt in members))
        self.size = self.struct.size

    def field(self, name: str) -> RecordField:
        """The member called `name` (KeyError if there is none)."""
        return self._by_name[name]

    def offset(self, name: str) -> int:
        """Byte offset of member `name`: ``offsetof(struct c_name, name)``."""
        return self._by_name[name].offset

    def only(self, *names: str) -> struct.Struct:
        """A Struct that unpacks just these members (in record order), skipping the others.

        For hot paths that need a few members of a larger record: less to build per call.
        """
        picked = sorted((self._by_name[n] for n in names), key=lambda f: f.offset)
        if [f.name for f in picked] != list(names):
            raise ValueError(f"struct {self.c_name}: give the members in record order: {names}")
        fmt, at = _ORDER, 0
        for f in picked:
            fmt += f"{f.offset - at}x{f.fmt}" if f.offset > at else f.fmt
            at = f.offset + f.size
        return struct.Struct(fmt)

    def __repr__(self) -> str:
        return f"Record(struct {self.c_name}, {self.size} bytes)"


@dataclass(frozen=True)
class Header:
    """One header of bpf/ as Python sees it: its records and every ``#define`` with a number.

    Attributes:
        file: The header's file name in bpf/.
        records: The structs it declares that Python reads.
        defines: ``#define`` name -> value, as the C preprocessor evaluates it.
    """

    file: str
    records: tuple[Record, ...]
    defines: Mapping[str, int]


def _indexes(names: Sequence[str]) -> dict[str, int]:
    return {name: i for i, name in enumerate(names)}


# --- bpf/http_events.h: the HTTP capture's ring buffer events ---------------------------------------

# event_header.type
EVENT_DATA = 1  # a socket syscall moved `ret` bytes; `captured` of them follow the header
EVENT_EOF = 2  # a read returned 0: the peer closed its side
EVENT_ERROR = 3  # a socket call failed with a connection-level errno (ret = -errno)
EVENT_CLOSE = 4  # the process is done with a tracked connection
EVENT_DATA_MORE = 5  # the next piece of a large read
# event_header.flags
EVENT_POS_VALID = 1  # stream_pos and other_pos are known
EVENT_RESYNC = 2  # the first event after exchanges the kernel shed: the gap before it is intentional
EVENT_TLS = 4  # TLS plaintext, from the uprobes on the TLS library
# event_header.direction
DIR_INBOUND = 0  # read by the process
DIR_OUTBOUND = 1  # written by the process
# event_header.role
ROLE_UNKNOWN = 0  # existed before the agent started
ROLE_SERVER = 1  # a listener's child
ROLE_CLIENT = 2  # connect()ed

# Per-CPU counters of the `stats` map: (STAT_* define, exported name), in index order.
_HTTP_STATS = (
    ("STAT_EVENTS", "events"),
    ("STAT_RINGBUF_FULL", "ringbuf_full"),
    ("STAT_ADDR_MAP_FULL", "addr_map_full"),
    ("STAT_TRUNCATED", "truncated"),
    ("STAT_POS_MAP_FULL", "pos_map_full"),
    ("STAT_SHED_RING_PRESSURE", "shed_ring_pressure"),
    ("STAT_SHED_RATE", "shed_rate"),
    ("STAT_SHED_OVERFLOW", "shed_overflow"),
    ("STAT_TLS_UNLINKED", "tls_unlinked"),
    ("STAT_TLS_CALLS_FULL", "tls_calls_full"),
    ("STAT_WALK_CUT", "walk_cut"),
)
HTTP_STAT_NAMES = tuple(name for _, name in _HTTP_STATS)
# Why the kernel shed exchanges: the `reason` of otel_ebpf.ebpf.shed_exchanges (its stat is shed_<reason>).
SHED_REASONS = ("ring_pressure", "rate")

# shed_key.method: HTTP_* define -> method; index 0 (none of them) is counted as _OTHER.
_HTTP_METHODS = (
    ("HTTP_GET", "GET"),
    ("HTTP_POST", "POST"),
    ("HTTP_PUT", "PUT"),
    ("HTTP_DELETE", "DELETE"),
    ("HTTP_HEAD", "HEAD"),
    ("HTTP_OPTIONS", "OPTIONS"),
    ("HTTP_PATCH", "PATCH"),
    ("HTTP_CONNECT", "CONNECT"),
    ("HTTP_TRACE", "TRACE"),
)
HTTP_METHODS = ("_OTHER", *(method for _, method in _HTTP_METHODS))
# Upper bounds of shed_value.buckets in ns (duration_bucket() in http_capture.c): the semconv ones.
SHED_BOUNDS_NS = (
    5_000_000, 10_000_000, 25_000_000, 50_000_000, 75_000_000, 100_000_000, 250_000_000,
    500_000_000, 750_000_000, 1_000_000_000, 2_500_000_000, 5_000_000_000, 7_500_000_000, 10_000_000_000,
)  # fmt: skip
SHED_PATH_BYTES = 64
SHED_OVERFLOW_TGID = 0xFFFFFFFF

EVENT_HEADER = Record(
    "event_header",
    [
        ("type", "B"),
        ("direction", "B"),
        ("role", "B"),
        ("family", "B"),
        ("pid", "I"),
        ("tid", "I"),
        ("fd", "i"),
        ("sk", "Q"),
        ("ts_enter", "Q"),
        ("ts_exit", "Q"),
        ("ret", "q"),
        ("stream_pos", "Q"),
        ("other_pos", "Q"),
        ("turn", "I"),
        ("pad", "4x"),
        ("captured", "I"),
        ("offset", "I"),
        ("more", "H"),
        ("flags", "H"),
        ("local_port", "H"),
        ("peer_port", "H"),
        ("local_addr", "16s"),
        ("peer_addr", "16s"),
        ("comm", "16s"),
    ],
)

SHED_KEY = Record(
    "shed_key",
    [
        ("path_hash", "Q"),
        ("tgid", "I"),
        ("status", "H"),
        ("port", "H"),
        ("role", "B"),
        ("method", "B"),
        ("minor", "B"),
        ("tls", "B"),
        ("pad", "4x"),
    ],
)
SHED_VALUE = Record(
    "shed_value",
    [
        ("count", "Q"),
        ("sum_ns", "Q"),
        ("buckets", f"{len(SHED_BOUNDS_NS) + 1}Q"),
        ("min_ns", "Q"),
        ("max_ns", "Q"),
        ("comm", "16s"),
        ("path", f"{SHED_PATH_BYTES}s"),
    ],
)
# The key of the entry that counts what no longer fits in `shed_counts` (made at load).
SHED_OVERFLOW_KEY = SHED_KEY.struct.pack(0, SHED_OVERFLOW_TGID, 0, 0, 0, 0, 0, 0)

HTTP_EVENTS_H = Header(
    "http_events.h",
    (EVENT_HEADER, SHED_KEY, SHED_VALUE),
    MappingProxyType(
        {
            "EVENT_DATA": EVENT_DATA,
            "EVENT_EOF": EVENT_EOF,
            "EVENT_ERROR": EVENT_ERROR,
            "EVENT_CLOSE": EVENT_CLOSE,
            "EVENT_DATA_MORE": EVENT_DATA_MORE,
            "EVENT_POS_VALID": EVENT_POS_VALID,
            "EVENT_RESYNC": EVENT_RESYNC,
            "EVENT_TLS": EVENT_TLS,
            "DIR_INBOUND": DIR_INBOUND,
            "DIR_OUTBOUND": DIR_OUTBOUND,
            "ROLE_UNKNOWN": ROLE_UNKNOWN,
            "ROLE_SERVER": ROLE_SERVER,
            "ROLE_CLIENT": ROLE_CLIENT,
            **_indexes([define for define, _ in _HTTP_STATS]),
            "STAT_COUNT": len(_HTTP_STATS),
            **{define: i + 1 for i, (define, _) in enumerate(_HTTP_METHODS)},
            "SHED_BOUNDS": len(SHED_BOUNDS_NS),
            "SHED_BUCKETS": len(SHED_BOUNDS_NS) + 1,
            "SHED_PATH_BYTES": SHED_PATH_BYTES,
            "SHED_OVERFLOW_TGID": SHED_OVERFLOW_TGID,
        }
    ),
)


# --- bpf/tcp_flows.h: the TCP flow maps ------------------------------------------------------------

# flow_key.direction: which side of the connection the local socket is.
FLOW_CLIENT = 1
FLOW_SERVER = 2
# flow_key.tgid of the one flow that collects every socket whose own flow did not fit.
OVERFLOW_TGID = 0xFFFFFFFF

# flow_stats.closes[] and .connect_failures[]: (CLOSE_* define, exported reason), in index order.
_CLOSES = (
    ("CLOSE_FIN", "fin"),
    ("CLOSE_RESET_RECEIVED", "reset_received"),
    ("CLOSE_RESET_SENT", "reset_sent"),
    ("CLOSE_TIMEOUT", "timeout"),
    ("CLOSE_ABORTED", "aborted"),
)
CLOSE_REASONS = tuple(reason for _, reason in _CLOSES)

# Upper bounds of the connect latency buckets in seconds (bounds[] of connect_bucket() in
# tcp_flows.c, in ns there); one more bucket holds everything above the last bound.
CONNECT_BOUNDS_S = (
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 3.0, 10.0,
)  # fmt: skip
CONNECT_BUCKETS = len(CONNECT_BOUNDS_S) + 1

# Per-CPU counters of `tcp_stats`: (STAT_* define, exported name under otel_ebpf.tcp.), in index order.
_TCP_STATS = (
    ("STAT_FLOW_OVERFLOW", "flows.overflow"),
    ("STAT_SOCK_MAP_FULL", "sockets.untracked_map_full"),
    ("STAT_UNTRACKED", "events.untracked"),
    ("STAT_LISTEN_MAP_FULL", "listeners.map_full"),
    ("STAT_RESET_NO_SOCKET", "resets.no_socket"),
    ("STAT_RESET_OVERFLOW", "flows.overflow_resets"),
)
TCP_STAT_NAMES = tuple(name for _, name in _TCP_STATS)

# sock_state.flags bits.
SK_ESTABLISHED = 1
SK_FIN = 2  # a FIN was exchanged
SK_RST_RECEIVED = 4
SK_RST_SENT = 8
SK_TIMER_CLOSE = 16  # moved to CLOSE outside its owner's context (a kernel timer)
SK_CLOSED = 32  # reached CLOSE: the close reason is counted at tcp_destroy_sock

FLOW_KEY = Record(
    "flow_key",
    [
        ("peer", "16s"),  # IPv6, or IPv4-mapped IPv6
        ("tgid", "I"),
        ("server_port", "H"),
        ("direction", "B"),
        ("family", "B"),
    ],
)

_N_CLOSES = len(CLOSE_REASONS)
FLOW_STATS = Record(
    "flow_stats",
    [
        ("first_ns", "Q"),
        ("last_ns", "Q"),
        ("bytes_sent", "Q"),
        ("bytes_received", "Q"),
        ("segs_received", "Q"),
        ("retransmits", "Q"),
        ("resets_sent", "Q"),
        ("resets_received", "Q"),
        ("connects", "Q"),
        ("connect_failures", f"{_N_CLOSES}Q"),
        ("closes", f"{_N_CLOSES}Q"),
        ("connect_ns_sum", "Q"),
        ("connect_buckets", f"{CONNECT_BUCKETS}Q"),
        ("srtt_us_sum", "Q"),
        ("srtt_samples", "Q"),
        ("srtt_last_us", "Q"),
        ("active", "q"),
        ("segs_sent", "Q"),
    ],
)

SOCK_STATE = Record(
    "sock_state",
    [
        ("key", f"{FLOW_KEY.size}s"),  # struct flow_key
        ("start_ns", "Q"),
        ("retransmits", "I"),
        ("srtt_us", "I"),
        ("segs_in_seen", "I"),
        ("segs_out_seen", "I"),
        ("flags", "B"),  # SK_*
        ("pad", "7x"),
        ("bytes_in_seen", "Q"),
        ("bytes_out_seen", "Q"),
    ],
)

TCP_FLOWS_H = Header(
    "tcp_flows.h",
    (FLOW_KEY, FLOW_STATS, SOCK_STATE),
    MappingProxyType(
        {
            "FLOW_CLIENT": FLOW_CLIENT,
            "FLOW_SERVER": FLOW_SERVER,
            "OVERFLOW_TGID": OVERFLOW_TGID,
            "CONNECT_BOUNDS": len(CONNECT_BOUNDS_S),
            "CONNECT_BUCKETS": CONNECT_BUCKETS,
            **_indexes([define for define, _ in _CLOSES]),
            "CLOSE_REASONS": len(_CLOSES),
            **_indexes([define for define, _ in _TCP_STATS]),
            "STAT_COUNT": len(_TCP_STATS),
            "SK_ESTABLISHED": SK_ESTABLISHED,
            "SK_FIN": SK_FIN,
            "SK_RST_RECEIVED": SK_RST_RECEIVED,
            "SK_RST_SENT": SK_RST_SENT,
            "SK_TIMER_CLOSE": SK_TIMER_CLOSE,
            "SK_CLOSED": SK_CLOSED,
        }
    ),
)

HEADERS = (HTTP_EVENTS_H, TCP_FLOWS_H)
