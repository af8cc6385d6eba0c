"""Requests per evaluation interval: the window being judged and the baseline it is judged against.

A :class:`Series` is a ring of per-interval :class:`Slot` s (the *window*) plus a longer ring of
older slots (the *baseline*).  A slot that leaves the window joins the baseline only if no
evaluation found the endpoint degraded while the slot was in the window, so a degradation never
becomes its own baseline.  Durations go into the same 10%-wide log buckets as the health score.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

from otel_ebpf.telemetry.latency import bucket_upper_bound, latency_bucket

ANSWERED = 1  # the application answered with a failure: a business error or a 5xx
UNANSWERED = 2  # no response at all: reset, timeout


class Slot:
    """One interval's requests of one series."""

    __slots__ = ("requests", "answered", "unanswered", "latency", "latency_sum", "pids", "addresses", "tainted")

    def __init__(self) -> None:
        self.requests = 0
        self.answered = 0
        self.unanswered = 0
        self.latency: dict[int, int] = {}  # bucket index -> requests
        self.latency_sum = 0.0
        self.pids: set[int] = set()
        # server: the (local address, port) that answered; client: the (peer address, port) called
        self.addresses: set[tuple[str, int]] = set()
        self.tainted = False  # judged degraded while in the window: never part of a baseline

    def add(self, failure: int, duration_s: float, pid: int, address: tuple[str, int] | None) -> None:
        self.requests += 1
        if failure == ANSWERED:
            self.answered += 1
        elif failure == UNANSWERED:
            self.unanswered += 1
        index = latency_bucket(duration_s)
        self.latency[index] = self.latency.get(index, 0) + 1
        self.latency_sum += duration_s
        if pid and len(self.pids) < 64:
            self.pids.add(pid)
        if address is not None and len(self.addresses) < 64:
            self.addresses.add(address)


@dataclass
class Totals:
    """Sums over several slots."""

    requests: int = 0
    answered: int = 0
    unanswered: int = 0
    latency_sum: float = 0.0
    latency: dict[int, int] = field(default_factory=dict)
    pids: set[int] = field(default_factory=set)
    addresses: set[tuple[str, int]] = field(default_factory=set)

    @classmethod
    def of(cls, slots) -> Totals:
        t = cls()
        for s in slots:
            t.add(s)
        return t

    def add(self, s: Slot | Totals, sign: int = 1, sets: bool = True) -> None:
        """Adds (``sign`` -1: removes) one slot's counts; ``sets``: also its pids and addresses."""
        self.requests += sign * s.requests
        self.answered += sign * s.answered
        self.unanswered += sign * s.unanswered
        self.latency_sum += sign * s.latency_sum
        latency = self.latency
        for index, n in s.latency.items():
            left = latency.get(index, 0) + sign * n
            if left:
                latency[index] = left
            else:
                latency.pop(index, None)
        if sets:
            self.pids |= s.pids
            self.addresses |= s.addresses

    @property
    def error_ratio(self) -> float:
        """Failed requests (answered with an error, or unanswered) / requests."""
        return (self.answered + self.unanswered) / self.requests if self.requests else 0.0

    @property
    def answered_ratio(self) -> float:
        return self.answered / self.requests if self.requests else 0.0

    @property
    def mean_s(self) -> float | None:
        return self.latency_sum / self.requests if self.requests else None

    def percentile(self, q: float) -> float | None:
        """The ``q``-th percentile (0-100) of durations, as its bucket's upper bound; None without data."""
        count = sum(self.latency.values())
        if not count:
            return None
        rank = math.ceil(q / 100.0 * count)
        seen = 0
        for index in sorted(self.latency):
            seen += self.latency[index]
            if seen >= rank:
                return bucket_upper_bound(index)
        return bucket_upper_bound(max(self.latency))


class Series:
    """The window's closed slots, the open one, and the baseline.

    Args:
        window_slots: Intervals in the window.
        baseline_slots: Intervals kept as the baseline.
    """

    __slots__ = ("closed", "current", "baseline", "last_seen", "_base")

    def __init__(self, window_slots: int, baseline_slots: int, now: float = 0.0) -> None:
        self.closed: deque[Slot] = deque(maxlen=max(1, window_slots))
        self.current = Slot()
        self.baseline: deque[Slot] = deque(maxlen=max(1, baseline_slots))
        self.last_seen = now
        self._base = Totals()  # the baseline's sums, kept as slots come and go (no pids, no addresses)

    def rotate(self) -> None:
        """Closes the open slot; the slot leaving the window joins the baseline unless tainted."""
        if len(self.closed) == self.closed.maxlen:
            leaving = self.closed[0]
            if not leaving.tainted and leaving.requests:
                if len(self.baseline) == self.baseline.maxlen:
                    self._base.add(self.baseline[0], -1, sets=False)
                self.baseline.append(leaving)
                self._base.add(leaving, sets=False)
        self.closed.append(self.current)
        self.current = Slot()

    def taint(self) -> None:
        """The endpoint is degraded now: the slots of the window must not become its baseline."""
        for slot in self.closed:
            slot.tainted = True

    def forget_baseline(self) -> None:
        """Learn the baseline again (a lasting change became the new normal)."""
        self.baseline.clear()
        self._base = Totals()
        for slot in self.closed:
            slot.tainted = False

    def window(self) -> Totals:
        return Totals.of(self.closed)

    def base(self) -> Totals:
        """The baseline's sums (kept up to date, not copied: read only)."""
        return self._base

    def idle(self) -> bool:
        return not self.current.requests and not any(s.requests for s in self.closed)
