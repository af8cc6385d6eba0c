"""TCP evidence on HTTP spans: retransmits and RTT of the span's connection, from the tcp_flows receiver.

The ``tcp_flows`` kernel program keeps, per live socket, the retransmitted segments since it
was tracked and the latest smoothed RTT (:meth:`TcpFlowReceiver.socket_state`, keyed by the
``struct sock *`` that HTTP events carry as :attr:`HttpExchange.sk`).  Those counts are
cumulative per socket; a span wants what happened during its own request.  So this module
remembers, per connection, the count it read last and puts the difference on the span:

``otel_ebpf.tcp.retransmits`` (int, ``{segment}``)
    Segments that *this side* of the connection retransmitted since the previous span of the same
    connection that read the evidence, or, for the first one, since the connection was tracked
    (connect() or accept(): a client's SYN retransmissions included).  Read when the exchange
    completes (the drain cycle that saw its last byte), so it covers the time up to that read.
``otel_ebpf.tcp.rtt`` (double, ``s``)
    The kernel's smoothed RTT of the connection as of the last segment it received.  Absent until
    the connection has received a segment.

Both are absent when the socket has no state in the kernel program: opened before the program
was loaded, already destroyed (closed) when the span was built, or not tracked because its map
was full.  The ``ebpf`` receivers read it for every exchange as it completes, when a traces
pipeline will get it and a ``tcp_flows`` receiver runs (one ``bpf()`` syscall, ~1.6 µs).

The per-connection memory is an LRU table bounded by ``max_connections``; a connection dropped
from it is counted, and its next span counts from the connection's start again.  A socket address
that the kernel reused for a new connection is recognised by the socket's start time.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable

from otel_ebpf.model import HttpExchange

__all__ = ["MAX_CONNECTIONS", "RETRANSMITS", "RTT", "TcpSpanEvidence"]

RETRANSMITS = "otel_ebpf.tcp.retransmits"
RTT = "otel_ebpf.tcp.rtt"
# Connections whose last reading is remembered (~150 B each).
MAX_CONNECTIONS = 16384

_U32 = 0xFFFFFFFF  # the kernel's per-socket count is a __u32

# sk -> (start_ns, retransmits, srtt_us) of a live socket, or None: TcpFlowReceiver.socket_state
SocketState = Callable[[int], tuple[int, int, int] | None]

Attrs = tuple[tuple[str, str], ...]


class TcpSpanEvidence:
    """Adds ``otel_ebpf.tcp.retransmits`` and ``otel_ebpf.tcp.rtt`` to exchanges about to become spans.

    Args:
        socket_state: ``sk -> (start_ns, retransmits, srtt_us) | None``, normally
            :meth:`~otel_ebpf.receivers.tcp_flows.TcpFlowReceiver.socket_state`.
        max_connections: Bound of the per-connection table (LRU).

    Not thread-safe: one caller (the capture thread of the ``ebpf`` receivers).
    """

    def __init__(self, socket_state: SocketState, max_connections: int = MAX_CONNECTIONS) -> None:
        self._socket_state = socket_state
        self._max = max(1, int(max_connections))
        # sk -> (start_ns, retransmits when last read), least recently read first
        self._last: OrderedDict[int, tuple[int, int]] = OrderedDict()
        self.found = 0  # spans that got the attributes
        self.missing = 0  # spans whose socket the kernel program does not (or no longer) track
        self.evicted = 0  # connections dropped from the bounded table

    def annotate(self, exchanges: Iterable[HttpExchange]) -> None:
        """Looks up each exchange's socket once and sets the attributes (see the module docstring)."""
        socket_state = self._socket_state
        last = self._last
        for ex in exchanges:
            sk = ex.sk
            if not sk:
                self.missing += 1
                continue
            state = socket_state(sk)
            if state is None:
                self.missing += 1
                last.pop(sk, None)  # closed: a later socket at this address is another connection
                continue
            start_ns, retransmits, srtt_us = state
            previous = last.get(sk)
            if previous is not None and previous[0] == start_ns:
                delta = (retransmits - previous[1]) & _U32
                last.move_to_end(sk)
            else:
                delta = retransmits
                if previous is None and len(last) >= self._max:
                    last.popitem(last=False)
                    self.evicted += 1
            last[sk] = (start_ns, retransmits)
            attributes = ex.attributes
            attributes[RETRANSMITS] = delta
            if srtt_us:
                attributes[RTT] = srtt_us / 1e6
            self.found += 1

    def __len__(self) -> int:
        return len(self._last)

    def counters(self) -> dict[tuple[str, Attrs], int]:
        """Self-metrics: spans by lookup result, and connections evicted from the bounded table."""
        return {
            ("otel_ebpf.spans.tcp_evidence", (("result", "found"),)): self.found,
            ("otel_ebpf.spans.tcp_evidence", (("result", "missing"),)): self.missing,
            ("otel_ebpf.connections.tcp_evidence_evicted", ()): self.evicted,
        }
