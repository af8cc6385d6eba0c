"""Reads the kernel's flow aggregates: snapshots, idle eviction, and a short history of deltas.

One read walks the `flows` map (two syscalls per flow), so the cost depends on the number of
flows, never on the packet rate.  The kernel values are cumulative since the flow was created;
deltas between reads are kept for ``window_s`` so that other components can ask what happened
with a peer recently (``peer_window``).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, fields

from otel_ebpf.kernel.bpf import map_delete, map_items, map_lookup
from otel_ebpf.receivers.tcp_flows.layout import (
    FLOW_KEY,
    FLOW_STATS,
    FlowKey,
    FlowStats,
    decode_key,
    decode_stats,
)

__all__ = ["FlowReader", "FlowWindow", "FlowSnapshot"]


@dataclass
class FlowWindow:
    """What happened with one peer and port during a time window (sums over flows and processes)."""

    retransmits: int = 0
    segments_received: int = 0
    segments_sent: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    connects: int = 0
    connect_latency_sum_s: float = 0.0
    connect_latency_count: int = 0
    connect_failures: int = 0
    resets_sent: int = 0
    resets_received: int = 0

    def add(self, other: FlowWindow) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class FlowSnapshot:
    """One flow as read: cumulative stats plus the RTT seen since the previous read."""

    key: FlowKey
    stats: FlowStats
    rtt_s: float | None  # mean smoothed RTT over the last interval (latest sample when none new)
    evicted: bool = False  # exported for the last time: the flow was idle and is now removed


def _delta(new: FlowStats, old: FlowStats | None) -> FlowWindow:
    def d(name: str) -> int:
        return getattr(new, name) - (getattr(old, name) if old else 0)

    count = new.connect_count - (old.connect_count if old else 0)
    return FlowWindow(
        retransmits=d("retransmits"),
        segments_received=d("segs_received"),
        segments_sent=d("segs_sent"),
        bytes_sent=d("bytes_sent"),
        bytes_received=d("bytes_received"),
        connects=d("connects"),
        connect_latency_sum_s=d("connect_ns_sum") / 1e9,
        connect_latency_count=count,
        connect_failures=sum(new.connect_failures) - (sum(old.connect_failures) if old else 0),
        resets_sent=d("resets_sent"),
        resets_received=d("resets_received"),
    )


class FlowReader:
    """Periodic reader of the `flows` map.

    Args:
        flows_fd: The map's fd.
        max_flows: Its capacity (bounds the walk).
        idle_timeout_s: Flows without open sockets and idle this long are evicted after export.
        window_s: How long per-collect deltas are kept for :meth:`peer_window`.
        clock_ns: Monotonic clock (the kernel's bpf_ktime_get_ns()); injectable for tests.
    """

    def __init__(
        self, flows_fd: int, max_flows: int, idle_timeout_s: float, window_s: float, clock_ns=time.monotonic_ns
    ) -> None:
        self._fd = flows_fd
        self._max = max_flows + 1
        self._idle_ns = int(idle_timeout_s * 1e9)
        self._window_ns = int(window_s * 1e9)
        self._clock = clock_ns
        self._previous: dict[bytes, FlowStats] = {}
        # (wall time ns, (peer, server_port), delta) per flow per read, oldest first.
        # Bounded: at most 64 reads of every flow (a read per second for a minute, or less often for longer).
        self._history: deque[tuple[int, tuple[str, int], FlowWindow]] = deque(maxlen=64 * self._max)
        self._lock = threading.Lock()
        self.evicted = 0

    def read(self, now_wall_ns: int) -> list[FlowSnapshot]:
        """Reads every flow, records deltas, evicts idle flows (they are in the result one last time)."""
        now = self._clock()
        out = []
        previous = self._previous
        current: dict[bytes, FlowStats] = {}
        deltas = []
        for raw_key, raw_value in map_items(self._fd, FLOW_KEY.size, FLOW_STATS.size, self._max):
            key = decode_key(raw_key)
            stats = decode_stats(raw_value)
            old = previous.get(raw_key)
            samples = stats.srtt_samples - (old.srtt_samples if old else 0)
            if samples > 0:
                rtt = (stats.srtt_us_sum - (old.srtt_us_sum if old else 0)) / samples / 1e6
            else:
                rtt = stats.srtt_last_us / 1e6 if stats.srtt_last_us else None
            snap = FlowSnapshot(key, stats, rtt)
            if not key.overflow:
                delta = _delta(stats, old)
                if any(getattr(delta, f.name) for f in fields(delta)):
                    deltas.append((now_wall_ns, (key.peer, key.server_port), delta))
                if stats.active <= 0 and now - stats.last_ns > self._idle_ns and self._evict(raw_key, stats):
                    snap.evicted = True
                    self.evicted += 1
                    out.append(snap)
                    continue
            current[raw_key] = stats
            out.append(snap)
        with self._lock:
            self._previous = current
            self._history.extend(deltas)
            horizon = now_wall_ns - self._window_ns
            while self._history and self._history[0][0] < horizon:
                self._history.popleft()
        return out

    def _evict(self, raw_key: bytes, seen: FlowStats) -> bool:
        # Re-read just before deleting: a connection that started since the walk keeps the flow.
        again = map_lookup(self._fd, raw_key, FLOW_STATS.size)
        if again is None or decode_stats(again).last_ns != seen.last_ns:
            return False
        return map_delete(self._fd, raw_key)

    def peer_window(self, peer_address: str, server_port: int, since_ns: int) -> FlowWindow:
        """Sum of the deltas of flows with this peer and server port read at or after `since_ns` (wall ns).

        The resolution is the collect interval: a read covers everything since the previous one.
        """
        total = FlowWindow()
        target = (peer_address, server_port)
        with self._lock:
            for when, key, delta in reversed(self._history):
                if when < since_ns:
                    break
                if key == target:
                    total.add(delta)
        return total

    def totals(self) -> list[tuple[FlowKey, FlowStats]]:
        """Every flow's cumulative counts as the kernel holds them now (the overflow flow left out).

        Reads the map without touching the collect history, idle eviction or RTT bookkeeping: for
        components that keep their own deltas on their own schedule (``cause_attribution`` diffs
        two of these per evaluation interval, per process and direction).  Two syscalls per flow.
        """
        out = []
        for raw_key, raw_value in map_items(self._fd, FLOW_KEY.size, FLOW_STATS.size, self._max):
            key = decode_key(raw_key)
            if not key.overflow:
                out.append((key, decode_stats(raw_value)))
        return out
