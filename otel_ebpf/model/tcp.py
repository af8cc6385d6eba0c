"""TCP flows as the ``tcp_flows`` receiver reads them from the kernel, for whoever uses them.

The receiver decodes its maps into these (``receivers/tcp_flows/layout.py``); other components
get them through :class:`~otel_ebpf.component.FlowTotals`.  The numbers follow the kernel
records declared in :mod:`otel_ebpf.kernel.records`.
"""

from __future__ import annotations

from dataclasses import dataclass

from otel_ebpf.kernel.records import CLOSE_REASONS, OVERFLOW_TGID

__all__ = ["CLOSE_REASONS", "FlowKey", "FlowStats"]


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
