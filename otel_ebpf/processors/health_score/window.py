"""One endpoint's requests over the score window: a ring of per-interval slots.

Each evaluation closes the current slot; the window is the last ``n`` closed slots, so a
score is always computed from whole intervals and a request counts in exactly ``n``
evaluations.  Durations go into a log-scale histogram (10% wide buckets from 100 µs to
~30 min), so any percentile is known to within 10% at a fixed cost per request.
"""

from __future__ import annotations

import math
from collections import deque

from otel_ebpf.telemetry.latency import bucket_upper_bound, latency_bucket
from otel_ebpf.telemetry.outcome import SEVERITIES


class Slot:
    """Counts of one interval."""

    __slots__ = ("total", "system", "business", "latency")

    def __init__(self) -> None:
        self.total = 0
        self.system = 0
        self.business = dict.fromkeys(SEVERITIES, 0)
        self.latency: dict[int, int] = {}  # bucket index -> requests

    def add_latency(self, duration_s: float, count: int = 1) -> None:
        index = latency_bucket(duration_s)
        self.latency[index] = self.latency.get(index, 0) + count


class SlotWindow:
    """The closed slots of the window plus the open one."""

    def __init__(self, slots: int) -> None:
        self.closed: deque[Slot] = deque(maxlen=max(1, slots))
        self.current = Slot()

    def rotate(self) -> None:
        """Closes the current slot (the oldest falls out of the window)."""
        self.closed.append(self.current)
        self.current = Slot()

    def totals(self) -> tuple[int, int, dict[str, int]]:
        """(requests, system errors, business errors by severity) over the closed slots."""
        total = system = 0
        business = dict.fromkeys(SEVERITIES, 0)
        for slot in self.closed:
            total += slot.total
            system += slot.system
            for sev, n in slot.business.items():
                business[sev] += n
        return total, system, business

    def percentile(self, q: float) -> float | None:
        """The ``q``-th percentile (0-100) of durations over the closed slots, None without data."""
        merged: dict[int, int] = {}
        for slot in self.closed:
            for index, n in slot.latency.items():
                merged[index] = merged.get(index, 0) + n
        count = sum(merged.values())
        if not count:
            return None
        rank = math.ceil(q / 100.0 * count)
        seen = 0
        for index in sorted(merged):
            seen += merged[index]
            if seen >= rank:
                return bucket_upper_bound(index)
        return bucket_upper_bound(max(merged))

    def idle(self) -> bool:
        """No request in the open slot nor in any closed one."""
        return not self.current.total and not any(s.total for s in self.closed)
