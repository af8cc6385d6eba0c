"""The health score: ``100 − (business + system + latency penalties)``, each capped, clamped to [0, 100].

Pure functions over one window's numbers, so the formula can be read (and tested) on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

FACTORS = ("business", "system", "latency")


@dataclass(frozen=True)
class WindowStats:
    """What one endpoint did during the score window.

    Attributes:
        total: Requests completed.
        system_errors: Requests with no response, a 5xx or a system-kind error.
        business_by_severity: Business errors per severity (critical, high, medium, low).
        latency_percentile_s: The configured percentile of durations (seconds), None if unknown.
        latency_threshold_s: The endpoint's latency threshold.
    """

    total: int
    system_errors: int
    business_by_severity: Mapping[str, int]
    latency_percentile_s: float | None
    latency_threshold_s: float


@dataclass(frozen=True)
class ScoreWeights:
    """Weights, caps and severity weights from the configuration."""

    business: float
    system: float
    latency: float
    business_cap: float
    system_cap: float
    latency_cap: float
    severity: Mapping[str, float]

    @classmethod
    def from_config(cls, config: Mapping) -> ScoreWeights:
        weights, caps = config["weights"], config["caps"]
        return cls(
            business=weights["business"],
            system=weights["system"],
            latency=weights["latency"],
            business_cap=caps["business"],
            system_cap=caps["system"],
            latency_cap=caps["latency"],
            severity=dict(config["severity_weights"]),
        )


def penalties(stats: WindowStats, weights: ScoreWeights) -> dict[str, float]:
    """Each factor's penalty in points (already capped)."""
    if stats.total <= 0:
        return dict.fromkeys(FACTORS, 0.0)
    weighted_business = sum(weights.severity.get(sev, 0.0) * n for sev, n in stats.business_by_severity.items())
    business = weights.business * 100.0 * weighted_business / stats.total
    system = weights.system * 100.0 * stats.system_errors / stats.total
    latency = 0.0
    p = stats.latency_percentile_s
    if p is not None and stats.latency_threshold_s > 0 and p > stats.latency_threshold_s:
        latency = weights.latency * (p / stats.latency_threshold_s - 1.0)
    return {
        "business": min(business, weights.business_cap),
        "system": min(system, weights.system_cap),
        "latency": min(latency, weights.latency_cap),
    }


def score(penalty: Mapping[str, float]) -> float:
    """``100 − Σ penalties`` clamped to [0, 100]."""
    return max(0.0, min(100.0, 100.0 - sum(penalty.values())))
