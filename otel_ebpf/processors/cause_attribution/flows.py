"""Network evidence per evaluation interval, from the ``tcp_flows`` receiver's kernel aggregates.

At every evaluation the processor reads every flow's cumulative counts
(:meth:`TcpFlowReceiver.flow_totals`) and keeps the difference with the previous read, per flow
key (process, peer address, server port, direction), for the intervals of the window.  So the
network evidence covers exactly the intervals the requests are judged over, whatever the
metric export interval.

A flow that appears between two reads counts from zero (it was created since); a flow whose
kernel start time changed was evicted and re-created; the very first read only sets the
starting point (a pinned program may hold counts from long before the agent).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from otel_ebpf.model.tcp import CLOSE_REASONS

__all__ = ["FlowHistory", "PeerFigures", "total"]

_REFUSED = CLOSE_REASONS.index("reset_received")
_TIMEOUT = CLOSE_REASONS.index("timeout")
_ABORTED = CLOSE_REASONS.index("aborted")

FlowId = tuple[int, str, str, int]  # (pid, direction, peer address, server port)


@dataclass
class PeerFigures:
    """What happened with one peer (address, server port) in one direction over the window."""

    direction: str = ""
    peer: str = ""
    port: int = 0
    retransmits: int = 0
    segments_sent: int = 0
    segments_received: int = 0
    connects: int = 0  # established
    connect_latency_sum_s: float = 0.0
    connect_latency_count: int = 0
    refused: int = 0  # connect answered by a reset: nothing listens
    timeouts: int = 0  # SYN never answered
    aborted: int = 0  # the caller gave up before the handshake completed
    resets_received: int = 0
    resets_sent: int = 0

    _COUNTS = (
        "retransmits",
        "segments_sent",
        "segments_received",
        "connects",
        "connect_latency_sum_s",
        "connect_latency_count",
        "refused",
        "timeouts",
        "aborted",
        "resets_received",
        "resets_sent",
    )

    def add(self, other: PeerFigures) -> None:
        for name in self._COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def segments(self) -> int:
        return self.segments_sent + self.segments_received

    @property
    def retransmit_ratio(self) -> float:
        return self.retransmits / self.segments_sent if self.segments_sent else 0.0

    @property
    def attempts(self) -> int:
        return self.connects + self.refused + self.timeouts + self.aborted

    @property
    def unanswered_connects(self) -> int:
        return self.timeouts + self.aborted

    @property
    def connect_latency_s(self) -> float | None:
        return self.connect_latency_sum_s / self.connect_latency_count if self.connect_latency_count else None

    @property
    def established_resets(self) -> int:
        """Resets received outside refused connects (a refusal is a reset too)."""
        return max(0, self.resets_received - self.refused)

    @property
    def label(self) -> str:
        return f"{self.peer}:{self.port} ({self.direction})" if self.peer else "all peers"


def _delta(new, old) -> PeerFigures:
    """Figures between two reads of one flow's cumulative stats (``old`` None: since creation)."""

    def d(name: str) -> int:
        return getattr(new, name) - (getattr(old, name) if old is not None else 0)

    def failures(index: int) -> int:
        return new.connect_failures[index] - (old.connect_failures[index] if old is not None else 0)

    count = new.connect_count - (old.connect_count if old is not None else 0)
    return PeerFigures(
        retransmits=d("retransmits"),
        segments_sent=d("segs_sent"),
        segments_received=d("segs_received"),
        connects=d("connects"),
        connect_latency_sum_s=d("connect_ns_sum") / 1e9,
        connect_latency_count=count,
        refused=failures(_REFUSED),
        timeouts=failures(_TIMEOUT),
        aborted=failures(_ABORTED),
        resets_received=d("resets_received"),
        resets_sent=d("resets_sent"),
    )


def _nonzero(f: PeerFigures) -> bool:
    return any(getattr(f, name) for name in PeerFigures._COUNTS)


class FlowHistory:
    """Per-interval deltas of every flow, for the intervals of the window.

    Args:
        window_slots: Intervals kept (the processor's window).
    """

    def __init__(self, window_slots: int) -> None:
        self._previous: dict[bytes, object] | None = None  # raw key -> FlowStats of the last read
        self._slots: deque[dict[FlowId, PeerFigures] | None] = deque(maxlen=max(1, window_slots))
        self.reads = 0
        self.read_errors = 0

    @property
    def available(self) -> bool:
        """Every interval of the window has network evidence (the receiver ran and was read)."""
        return len(self._slots) == self._slots.maxlen and all(s is not None for s in self._slots)

    def advance(self, totals: Iterable | None) -> None:
        """Closes an interval with a new read (``[(FlowKey, FlowStats)]``), or None when there is none."""
        if totals is None:
            self._previous = None
            self._slots.append(None)
            return
        self.reads += 1
        first = self._previous is None
        previous = self._previous or {}
        current: dict[bytes, object] = {}
        deltas: dict[FlowId, PeerFigures] = {}
        for key, stats in totals:
            current[key.raw] = stats
            if first:
                continue
            old = previous.get(key.raw)
            if old is not None and old.first_ns != stats.first_ns:
                old = None  # evicted and created again since the last read
            delta = _delta(stats, old)
            if not _nonzero(delta):
                continue
            fid = (key.tgid, key.direction, key.peer, key.server_port)
            if fid in deltas:
                deltas[fid].add(delta)
            else:
                delta.direction, delta.peer, delta.port = key.direction, key.peer, key.server_port
                deltas[fid] = delta
        self._previous = current
        self._slots.append(None if first else deltas)

    def evidence(
        self,
        pids: set[int],
        server_ports: set[int] = frozenset(),
        upstream: bool = False,
        peers: set[tuple[str, int]] = frozenset(),
    ) -> list[PeerFigures] | None:
        """Figures per (direction, peer, port) over the window, for the flows of ``pids``; None without evidence.

        Args:
            pids: The processes of the endpoint.
            server_ports: Server-side flows on these ports (a flow whose listener's owner is not
                known yet, pid 0, counts too).
            upstream: Every client-side flow of ``pids`` (its calls to anything: HTTP, databases, ...).
            peers: Client-side flows to these (peer address, server port).
        """
        if not self.available:
            return None
        groups: dict[tuple[str, str, int], PeerFigures] = {}
        for slot in self._slots:
            for (pid, direction, peer, port), figures in slot.items():
                if direction == "server":
                    wanted = port in server_ports and (pid in pids or pid == 0)
                else:
                    wanted = pid in pids and (upstream or (peer, port) in peers)
                if not wanted:
                    continue
                group = groups.get((direction, peer, port))
                if group is None:
                    group = groups[(direction, peer, port)] = PeerFigures(direction, peer, port)
                group.add(figures)
        return sorted(groups.values(), key=lambda g: (g.direction, g.peer, g.port))


def total(groups: Iterable[PeerFigures]) -> PeerFigures:
    """The sum of several peers' figures (labelled "all peers")."""
    out = PeerFigures()
    for g in groups:
        out.add(g)
    return out
