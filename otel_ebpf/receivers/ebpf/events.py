"""Decoding of the kernel's events (struct event_header of bpf/http_events.h, then the payload).

The layout and the numbers are declared once, in :mod:`otel_ebpf.kernel.records`; this module
names what the connection tracker reads on its hot path and formats addresses.
"""

from __future__ import annotations

import socket

from otel_ebpf.kernel.records import (
    DIR_INBOUND,
    DIR_OUTBOUND,
    EVENT_CLOSE,
    EVENT_DATA,
    EVENT_DATA_MORE,
    EVENT_EOF,
    EVENT_ERROR,
    EVENT_HEADER,
    EVENT_POS_VALID,
    EVENT_RESYNC,
    EVENT_TLS,
    HTTP_STAT_NAMES,
    ROLE_CLIENT,
    ROLE_SERVER,
    ROLE_UNKNOWN,
)

__all__ = [
    "AF_INET",
    "AF_INET6",
    "DIR_INBOUND",
    "DIR_OUTBOUND",
    "EVENT_CLOSE",
    "EVENT_DATA",
    "EVENT_DATA_MORE",
    "EVENT_EOF",
    "EVENT_ERROR",
    "EVENT_POS_VALID",
    "EVENT_RESYNC",
    "EVENT_TLS",
    "HEADER",
    "HEADER_SIZE",
    "ROLE_CLIENT",
    "ROLE_SERVER",
    "ROLE_UNKNOWN",
    "STAT_NAMES",
    "format_address",
]

AF_INET = socket.AF_INET
AF_INET6 = socket.AF_INET6

# Per-CPU counters of the `stats` map, in index order (STAT_* in http_events.h).
STAT_NAMES = HTTP_STAT_NAMES

# struct event_header: HEADER.unpack_from(raw) gives its members in order (EVENT_HEADER.fields).
HEADER = EVENT_HEADER.struct
HEADER_SIZE = HEADER.size  # 136: checked against the C header in tests/test_kernel_records.py


def format_address(family: int, raw: bytes) -> str:
    """Text form of an address from the event; IPv4-mapped IPv6 is shown as IPv4."""
    if family == AF_INET:
        return socket.inet_ntop(AF_INET, raw[:4])
    if family == AF_INET6:
        if raw[:12] == b"\x00" * 10 + b"\xff\xff":
            return socket.inet_ntop(AF_INET, raw[12:16])
        return socket.inet_ntop(AF_INET6, raw)
    return ""
