"""One service level objective: which requests it covers, which are good, and its counts."""

from __future__ import annotations

import fnmatch
import time

from otel_ebpf.processors.slo.buckets import BucketSeries
from otel_ebpf.telemetry.outcome import BUSINESS, SYSTEM

_GLOB_CHARS = frozenset("*?[")
# Coarse buckets of the compliance window: at most this many, never narrower than the fine ones.
_MAX_COARSE_BUCKETS = 720


class Objective:
    """An SLO from configuration plus its running counts.

    Args:
        config: One resolved ``objectives`` entry.
        bad_severities: Business severities that are bad for availability.
        fine_width_s: Width of the buckets behind the burn-rate windows.
        fine_retention_s: The longest burn-rate window.
        created: When counting began (wall-clock seconds; now by default).
    """

    def __init__(
        self,
        config: dict,
        bad_severities: frozenset[str],
        fine_width_s: float,
        fine_retention_s: float,
        created: float | None = None,
    ):
        self.name: str = config["name"]
        self.service_glob: str = config["service"]
        self.route_glob: str = config["route"]
        self.methods = frozenset(config["methods"])
        self.sli: str = config["sli"]
        self.threshold_s: float | None = config["latency_threshold"]
        self.target = config["target"] / 100.0
        self.window_s: float = config["window"]
        self.bad_severities = bad_severities
        self.fine = BucketSeries(fine_width_s, fine_retention_s)
        self.coarse = BucketSeries(max(fine_width_s, self.window_s / _MAX_COARSE_BUCKETS), self.window_s)
        self.good_total = 0
        self.bad_total = 0
        self.created = (
            time.time() if created is None else created
        )  # when counting began (kept across restarts by the state file)
        self.exemplars: list[tuple[bytes, bytes, int]] = []  # (trace_id, span_id, time_ns) of bad events
        self.alerts: dict[str, bool] = {}

    @property
    def service_literal(self) -> str | None:
        """The service name when the objective names exactly one service."""
        return None if _GLOB_CHARS & set(self.service_glob) else self.service_glob

    @property
    def fingerprint(self) -> str:
        """What the counts mean: a changed SLI or selector makes stored counts meaningless."""
        methods = ",".join(sorted(self.methods))
        return f"{self.sli}|{self.threshold_s}|{self.service_glob}|{self.route_glob}|{methods}"

    def matches(self, service: str, route: str, method: str) -> bool:
        if self.methods and method not in self.methods:
            return False
        return fnmatch.fnmatchcase(service, self.service_glob) and fnmatch.fnmatchcase(route, self.route_glob)

    def is_good(self, kind: int, severity: str | None, duration_s: float) -> bool:
        if self.sli == "latency":
            return duration_s <= (self.threshold_s or 0.0)
        if kind == SYSTEM:
            return False
        return not (kind == BUSINESS and severity in self.bad_severities)

    def add(self, t: float, good: int, total: int) -> None:
        self.fine.add(t, good, total)
        self.coarse.add(t, good, total)
        self.good_total += good
        self.bad_total += total - good

    # -- the numbers an operator reads ---------------------------------------------------

    def burn_rate(self, now: float, window_s: float) -> tuple[float, int]:
        """(burn rate, events) over the trailing window: the bad ratio divided by the allowed one."""
        good, total = self.fine.sum_since(now - window_s)
        if not total:
            return 0.0, 0
        return ((total - good) / total) / (1.0 - self.target), total

    def budget_remaining(self, now: float) -> tuple[float, int, int]:
        """(fraction of the error budget left, good, total) over the compliance window; may go below 0."""
        good, total = self.coarse.sum_since(now - self.window_s)
        if not total:
            return 1.0, 0, 0
        allowed = (1.0 - self.target) * total
        return 1.0 - (total - good) / allowed, good, total
