"""One endpoint's health as the ``health_score`` processor last evaluated it.

The record a circuit breaker acts on, whether it reads it in the agent (the
``circuit_breaker`` processor) or from the agent's ``GET /health`` (the ``otel-ebpf breaker``
proxy): both build the same :class:`EndpointHealth`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EndpointHealth:
    """The last evaluation of one endpoint (``service.name``, ``http.route``, method).

    Attributes:
        state: ``unknown``, ``healthy``, ``degraded`` or ``critical`` (with the score's hysteresis).
        score: 0-100, or None when the window held too few requests to say.
        state_since_ns: Wall-clock ns of the state's last change (0: never changed): it names
            one episode of a state, so a breaker acts once per episode.
        evaluated_at_ns: Wall-clock ns of the evaluation.
        window_s: The trailing window the score was computed over.
        degraded_below: The score under which the endpoint is degraded.
        critical_below: The score under which it is critical.
        requests: Requests in that window.
    """

    service: str
    route: str
    method: str
    state: str
    score: float | None
    state_since_ns: int
    evaluated_at_ns: int
    window_s: float
    degraded_below: float
    critical_below: float
    requests: int = 0

    @property
    def window_start_ns(self) -> int:
        """Wall-clock ns of the oldest request the score may include."""
        return self.evaluated_at_ns - int(self.window_s * 1e9)
