"""Latency percentiles at a fixed cost per request: a log-scale histogram of 10%-wide buckets.

From 100 µs to ~30 min, so any percentile is known to within 10%; shared by the processors
that judge endpoints by a percentile (``health_score``, ``cause_attribution``).
"""

from __future__ import annotations

import math

_LAT_MIN_S = 1e-4
_LAT_GROWTH = 1.1
_LAT_LOG = math.log(_LAT_GROWTH)
_LAT_BUCKETS = 175  # 1e-4 * 1.1**175 ~ 1.7e3 s


def latency_bucket(duration_s: float) -> int:
    """Index of the 10%-wide bucket holding ``duration_s``."""
    if duration_s <= _LAT_MIN_S:
        return 0
    return min(_LAT_BUCKETS, int(math.log(duration_s / _LAT_MIN_S) / _LAT_LOG) + 1)


def bucket_upper_bound(index: int) -> float:
    """The largest duration a bucket holds (a percentile is reported as this bound)."""
    return _LAT_MIN_S * _LAT_GROWTH**index
