"""Healthy / degraded / critical, with hysteresis so a score hovering at a threshold does not flap.

Two mechanisms, both configurable:

* **margin**: the state improves only once the score is ``margin`` points above the
  threshold it had fallen below (70 to become degraded, ≥ 75 to be healthy again);
* **period**: at most one state change per ``period`` per endpoint; a change that comes
  earlier waits (and is counted as suppressed) until the period has passed and the score
  still says so.
"""

from __future__ import annotations

UNKNOWN = "unknown"
HEALTHY = "healthy"
DEGRADED = "degraded"
CRITICAL = "critical"
STATES = (HEALTHY, DEGRADED, CRITICAL)
_RANK = {HEALTHY: 0, DEGRADED: 1, CRITICAL: 2}


class HealthState:
    """The state machine of one endpoint.

    Args:
        degraded: Scores below this are degraded.
        critical: Scores below this are critical.
        margin: Extra points needed to improve.
        period_s: Minimum seconds between two changes.
    """

    __slots__ = ("degraded", "critical", "margin", "period_s", "state", "changed_at", "suppressed", "_dwell_from")

    def __init__(self, degraded: float, critical: float, margin: float, period_s: float) -> None:
        self.degraded = degraded
        self.critical = critical
        self.margin = margin
        self.period_s = period_s
        self.state = UNKNOWN
        self.changed_at: float | None = None
        self.suppressed = 0
        # Start of the current hysteresis period: the first state (from unknown) starts none, so a
        # failure right after the agent starts is not held back.
        self._dwell_from: float | None = None

    def level(self, score: float, margin: float = 0.0) -> str:
        """The state a score means, with thresholds raised by ``margin``."""
        if score >= self.degraded + margin:
            return HEALTHY
        if score >= self.critical + margin:
            return DEGRADED
        return CRITICAL

    def update(self, score: float, now: float) -> tuple[str, str] | None:
        """Feeds one evaluated score; returns ``(old, new)`` when the state changed."""
        current = self.state
        if current == UNKNOWN:
            target = self.level(score)
        else:
            worse = self.level(score)
            better = self.level(score, self.margin)
            if _RANK[worse] > _RANK[current]:
                target = worse
            elif _RANK[better] < _RANK[current]:
                target = better
            else:
                return None
            if self._dwell_from is not None and now - self._dwell_from < self.period_s:
                self.suppressed += 1
                return None
        if target == current:
            return None
        self.state = target
        self.changed_at = now
        if current != UNKNOWN:
            self._dwell_from = now
        return current, target
