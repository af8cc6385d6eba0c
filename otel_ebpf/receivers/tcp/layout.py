"""Python mirror of bpf/tcp_flows.h: the map key/value layouts and the numbers they use.

The C header is the single definition; this module only decodes it.  The loader checks that
the sizes here equal the sizes the kernel reports for the maps (see ``loader.check_sizes``).
"""

from __future__ import annotations

import ipaddress
import struct
from dataclasses import dataclass

__all__ = [
    "CLOSE_REASONS",
    "CONNECT_BOUNDS_S",
    "FLOW_KEY",
    "FLOW_STATS",
    "FlowKey",
    "FlowStats",
    "OVERFLOW_TGID",
    "SOCK_STATE",
    "STAT_NAMES",
    "decode_key",
    "decode_stats",
    "decode_sock_state",
]

FLOW_CLIENT = 1
FLOW_SERVER = 2
DIRECTIONS = {FLOW_CLIENT: "client", FLOW_SERVER: "server"}
OVERFLOW_TGID = 0xFFFFFFFF

# Index order of flow_stats.closes[] / connect_failures[] (CLOSE_* in the header).
CLOSE_REASONS = ("fin", "reset_received", "reset_sent", "timeout", "aborted")
# Upper bounds of the connect latency buckets, in seconds (bounds[] in connect_bucket()).
CONNECT_BOUNDS_S = (
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 3.0, 10.0,
)  # fmt: skip
CONNECT_BUCKETS = len(CONNECT_BOUNDS_S) + 1
# Per-CPU counters (STAT_* in the header), exported as otel_ebpf.tcp.<name>.
STAT_NAMES = ("flows.overflow", "sockets.untracked_map_full", "events.untracked", "listeners.map_full",
              "resets.no_socket", "flows.overflow_resets")  # fmt: skip

FLOW_KEY = struct.Struct("<16sIHBB")
_N_REASONS = len(CLOSE_REASONS)
FLOW_STATS = struct.Struct(f"<9Q{_N_REASONS}Q{_N_REASONS}QQ{CONNECT_BUCKETS}Q3QqQ")
SOCK_STATE = struct.Struct("<24sQIIIIB7x")
SK_KEY = struct.Struct("<Q")
LISTENER_KEY = struct.Struct("<H")
LISTENER_VALUE = struct.Struct("<I")


@dataclass(frozen=True)
class FlowKey:
    """One aggregation key: never an ephemeral port.

    Attributes:
        tgid: Local process id (0 unknown, OVERFLOW_TGID for the overflow flow).
        peer: Peer address text; IPv4-mapped IPv6 addresses are shown as IPv4.
        server_port: The server side's port.
        direction: ``client`` or ``server``.
        network_type: ``ipv4`` or ``ipv6`` (what the packets are, not the socket family).
        raw: The kernel key bytes (for deleting it).
    """

    tgid: int
    peer: str
    server_port: int
    direction: str
    network_type: str
    raw: bytes

    @property
    def overflow(self) -> bool:
        return self.tgid == OVERFLOW_TGID


@dataclass
class FlowStats:
    """Cumulative counts of one flow (see struct flow_stats)."""

    first_ns: int
    last_ns: int
    bytes_sent: int
    bytes_received: int
    segs_received: int
    retransmits: int
    resets_sent: int
    resets_received: int
    connects: int
    connect_failures: tuple[int, ...]
    closes: tuple[int, ...]
    connect_ns_sum: int
    connect_buckets: tuple[int, ...]
    srtt_us_sum: int
    srtt_samples: int
    srtt_last_us: int
    active: int
    segs_sent: int

    @property
    def connect_count(self) -> int:
        return sum(self.connect_buckets)


def peer_text(raw16: bytes) -> tuple[str, str]:
    """(address text, network.type) of a 16-byte address; IPv4-mapped counts as IPv4."""
    addr = ipaddress.IPv6Address(raw16)
    if addr.ipv4_mapped is not None:
        return str(addr.ipv4_mapped), "ipv4"
    return str(addr), "ipv6"


def decode_key(raw: bytes) -> FlowKey:
    peer, tgid, port, direction, _family = FLOW_KEY.unpack(raw)
    if tgid == OVERFLOW_TGID:
        return FlowKey(tgid, "", 0, "", "", raw)
    text, net = peer_text(peer)
    return FlowKey(tgid, text, port, DIRECTIONS.get(direction, "unknown"), net, raw)


def decode_stats(raw: bytes) -> FlowStats:
    v = FLOW_STATS.unpack(raw)
    n = _N_REASONS
    i = 9
    failures = v[i : i + n]
    closes = v[i + n : i + 2 * n]
    i += 2 * n
    connect_ns_sum = v[i]
    buckets = v[i + 1 : i + 1 + CONNECT_BUCKETS]
    i += 1 + CONNECT_BUCKETS
    return FlowStats(*v[:9], failures, closes, connect_ns_sum, buckets, *v[i : i + 5])


def decode_sock_state(raw: bytes) -> tuple[FlowKey, int, int, int]:
    """(flow key, start_ns, retransmits, srtt_us) of a struct sock_state."""
    key, start_ns, retransmits, srtt_us, _segs_in, _segs_out, _flags = SOCK_STATE.unpack(raw)
    return decode_key(key), start_ns, retransmits, srtt_us


def overflow_key() -> bytes:
    return FLOW_KEY.pack(bytes(16), OVERFLOW_TGID, 0, 0, 0)
