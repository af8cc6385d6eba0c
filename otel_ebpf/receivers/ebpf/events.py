"""Decoding of the kernel's events: the Python mirror of bpf/http_events.h."""

from __future__ import annotations

import socket
import struct

EVENT_DATA = 1
EVENT_EOF = 2
EVENT_ERROR = 3
EVENT_CLOSE = 4
EVENT_DATA_MORE = 5

DIR_INBOUND = 0
DIR_OUTBOUND = 1

AF_INET = socket.AF_INET
AF_INET6 = socket.AF_INET6

# Per-CPU counters of the `stats` map, in index order (STAT_* in http_events.h).
STAT_NAMES = ("events", "ringbuf_full", "conn_map_full", "active_map_full", "addr_map_full", "truncated")

# struct event_header: type, direction, role, family, pid, tid, fd, sk, ts_enter, ts_exit, ret,
# captured, offset, more, reserved, local_port, peer_port, local_addr[16], peer_addr[16], comm[16].
HEADER = struct.Struct("<BBBBIIiQQQqIIHHHH16s16s16s")
HEADER_SIZE = HEADER.size  # 112: checked against the kernel's sizeof in tests


def format_address(family: int, raw: bytes) -> str:
    """Text form of an address from the event; IPv4-mapped IPv6 is shown as IPv4."""
    if family == AF_INET:
        return socket.inet_ntop(AF_INET, raw[:4])
    if family == AF_INET6:
        if raw[:12] == b"\x00" * 10 + b"\xff\xff":
            return socket.inet_ntop(AF_INET, raw[12:16])
        return socket.inet_ntop(AF_INET6, raw)
    return ""
