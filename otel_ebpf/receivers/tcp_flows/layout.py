"""Decoding of the TCP flow maps (bpf/tcp_flows.h): flow keys, flow counts and per-socket state.

The records and numbers are declared once, in :mod:`otel_ebpf.kernel.records` (checked against
the C header by tests/test_kernel_records.py); the loader also checks the sizes the kernel
reports for the maps (``TcpFlowProgram._check_sizes``).  This module turns the raw bytes into
:class:`FlowKey` and :class:`FlowStats`.
"""

from __future__ import annotations

import ipaddress
import struct

from otel_ebpf.kernel import records
from otel_ebpf.kernel.records import (
    CLOSE_REASONS,
    CONNECT_BOUNDS_S,
    CONNECT_BUCKETS,
    FLOW_CLIENT,
    FLOW_SERVER,
    OVERFLOW_TGID,
)
from otel_ebpf.model.tcp import FlowKey, FlowStats

__all__ = [
    "CLOSE_REASONS",
    "CONNECT_BOUNDS_S",
    "CONNECT_BUCKETS",
    "FLOW_KEY",
    "FLOW_STATS",
    "FlowKey",
    "FlowStats",
    "OVERFLOW_TGID",
    "SOCK_EVIDENCE",
    "SOCK_STATE",
    "STAT_NAMES",
    "decode_key",
    "decode_stats",
    "decode_sock_state",
]

DIRECTIONS = {FLOW_CLIENT: "client", FLOW_SERVER: "server"}

# Per-CPU counters (STAT_* in the header), exported as otel_ebpf.tcp.<name>.
STAT_NAMES = records.TCP_STAT_NAMES

FLOW_KEY = records.FLOW_KEY.struct
FLOW_STATS = records.FLOW_STATS.struct
SOCK_STATE = records.SOCK_STATE.struct
# start_ns, retransmits, srtt_us of a struct sock_state: the per-span evidence, unpacked alone.
SOCK_EVIDENCE = records.SOCK_STATE.only("start_ns", "retransmits", "srtt_us")
SK_KEY = struct.Struct("=Q")  # socks: the kernel's struct sock *
LISTENER_KEY = struct.Struct("=H")  # listeners: local port
LISTENER_VALUE = struct.Struct("=I")  # ... and the tgid that owns it

# Where each member's values start in FLOW_STATS.unpack(): the arrays are sliced out.
_STATS = records.FLOW_STATS
_SCALARS_END = _STATS.field("connect_failures").index  # first_ns .. connects: FlowStats' first 9 fields
_FAILURES = _STATS.field("connect_failures").index
_CLOSES = _STATS.field("closes").index
_CONNECT_NS_SUM = _STATS.field("connect_ns_sum").index
_BUCKETS = _STATS.field("connect_buckets").index
_TAIL = _STATS.field("srtt_us_sum").index  # srtt_us_sum, srtt_samples, srtt_last_us, active, segs_sent
_N_REASONS = len(CLOSE_REASONS)


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
    return FlowStats(
        *v[:_SCALARS_END],
        v[_FAILURES : _FAILURES + _N_REASONS],
        v[_CLOSES : _CLOSES + _N_REASONS],
        v[_CONNECT_NS_SUM],
        v[_BUCKETS : _BUCKETS + CONNECT_BUCKETS],
        *v[_TAIL:],
    )


def decode_sock_state(raw: bytes) -> tuple[FlowKey, int, int, int]:
    """(flow key, start_ns, retransmits, srtt_us) of a struct sock_state."""
    key, start_ns, retransmits, srtt_us, *_rest = SOCK_STATE.unpack(raw)  # segs, flags, bytes: the kernel's
    return decode_key(key), start_ns, retransmits, srtt_us


def overflow_key() -> bytes:
    return FLOW_KEY.pack(bytes(16), OVERFLOW_TGID, 0, 0, 0)
