"""Good and total event counts in fixed-width buckets of wall-clock time.

Windows are answered by summing the buckets that start after the window's start, so a
window of length ``w`` covers between ``w − width`` and ``w`` seconds: exact enough for burn rates
(one 10 s bucket in a 5 min window), and bounded memory whatever the event rate.
"""

from __future__ import annotations

from collections import deque


class BucketSeries:
    """A deque of ``[start, good, total]`` buckets.

    Args:
        width_s: Bucket width in seconds.
        retention_s: Buckets older than this (from the newest event) are dropped.
    """

    def __init__(self, width_s: float, retention_s: float) -> None:
        self.width = float(width_s)
        self.retention = float(retention_s)
        self.buckets: deque[list[float]] = deque()

    def add(self, t: float, good: int, total: int) -> None:
        start = (t // self.width) * self.width
        buckets = self.buckets
        if buckets and buckets[-1][0] == start:
            bucket = buckets[-1]
        elif not buckets or buckets[-1][0] < start:
            bucket = [start, 0, 0]
            buckets.append(bucket)
            self.prune(t)
        else:
            # A late event (clock step, sidecar input in the past): put it in the bucket it belongs to.
            bucket = next((b for b in reversed(buckets) if b[0] <= start), buckets[0])
        bucket[1] += good
        bucket[2] += total

    def prune(self, now: float) -> None:
        limit = now - self.retention - self.width
        buckets = self.buckets
        while buckets and buckets[0][0] < limit:
            buckets.popleft()

    def sum_since(self, since: float) -> tuple[int, int]:
        """(good, total) of the buckets that start after ``since``."""
        good = total = 0
        for start, g, n in reversed(self.buckets):
            if start <= since:
                break
            good += g
            total += n
        return int(good), int(total)

    def to_json(self) -> list[list[float]]:
        return [list(b) for b in self.buckets]

    def load(self, rows: list, now: float) -> None:
        self.buckets = deque(sorted([float(r[0]), int(r[1]), int(r[2])] for r in rows if len(r) == 3))
        self.prune(now)
