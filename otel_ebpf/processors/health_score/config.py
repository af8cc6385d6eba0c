"""Configuration of ``processors: health_score:`` (a declarative schema, defaults documented here).

Defaults were chosen so the score reads the way an operator expects:

* 1% of requests failing with *medium* business errors, normal latency: 100 − 4·100·0.01·0.2 = 99.2
  (healthy);
* 10% failing with *critical* business errors: 100 − 4·100·0.10·1.0 = 60 (degraded);
* 25% critical: the business penalty hits its cap of 80 → score 20 (critical);
* 15% 5xx: 100 − 2·100·0.15 = 70 (at the degraded threshold); 5% 5xx scores 90;
* p99 at twice the latency threshold: 100 − 40·(2 − 1) = 60 (degraded).

The score is computed over ``window`` (default two ``interval``s), so a change of behaviour shows
fully after two evaluations: 20% critical failures starting just after an evaluation score
100 − 4·100·0.10 = 60 at the second one, below the degraded threshold.
"""

from __future__ import annotations

from otel_ebpf.config.checks import check_listen_endpoint
from otel_ebpf.config.schema import Duration, Int, List, Number, Section, Str


def _check_thresholds(config: dict) -> list[tuple[str, str]]:
    thresholds = config.get("thresholds") or {}
    if thresholds.get("critical", 0) >= thresholds.get("degraded", 100):
        return [("thresholds.critical", "must be below thresholds.degraded")]
    if config.get("window", 0) < config.get("interval", 0):
        return [("window", "must be at least one interval")]
    return []


ROUTE_SCHEMA = Section(
    {
        # Globs (fnmatch, * spans /) on service.name and http.route (or the path without a route).
        "service": Str("*"),
        "match": Str("*"),
        "methods": List(Str(normalize=str.upper)),
        # Per-route latency threshold for the latency penalty; absent: latency.threshold.
        "latency_threshold": Duration(None, min=0.0001),
    }
)

# The path its JSON answers on, under the status endpoint.
STATUS_PATH = "/health"

HEALTH_SCORE_SCHEMA = Section(
    {
        # How often scores are evaluated (and states may change).
        "interval": Duration("10s", min=0.05, max=3600),
        # Requests in this trailing window make the score (whole intervals; rounded).
        "window": Duration("20s", min=0.05, max=86400),
        # Below this many requests in the window an endpoint gets no score (and keeps its state).
        "min_requests": Int(20, min=1),
        # Exponential smoothing of the score between evaluations: 0 = off (the window smooths).
        "smoothing": Number(0.0, min=0.0, max=0.95),
        # Penalty points per unit of error rate (business, system) or of p99/threshold - 1 (latency).
        "weights": {
            "business": Number(4.0, min=0.0),
            "system": Number(2.0, min=0.0),
            "latency": Number(40.0, min=0.0),
        },
        # Each penalty is capped, so one factor alone cannot say more than this.
        "caps": {
            "business": Number(80.0, min=0.0, max=100.0),
            "system": Number(60.0, min=0.0, max=100.0),
            "latency": Number(40.0, min=0.0, max=100.0),
        },
        # A business error counts this much of a failed request by its severity.
        "severity_weights": {
            "critical": Number(1.0, min=0.0),
            "high": Number(0.4, min=0.0),
            "medium": Number(0.2, min=0.0),
            "low": Number(0.05, min=0.0),
        },
        "latency": {
            "threshold": Duration("1s", min=0.0001),
            "percentile": Number(99.0, min=50.0, max=100.0),
        },
        # States: healthy >= degraded; degraded >= critical; critical below.
        "thresholds": {
            "degraded": Number(70.0, min=0.0, max=100.0),
            "critical": Number(50.0, min=0.0, max=100.0),
        },
        "hysteresis": {
            # At most one state change per period, per endpoint.
            "period": Duration("60s", min=0.0),
            # Points above a threshold the score must reach before the state improves.
            "margin": Number(5.0, min=0.0, max=50.0),
        },
        "routes": List(ROUTE_SCHEMA),
        # Endpoints (service, route, method) tracked at once; more are counted, not scored.
        "max_endpoints": Int(10000, min=1),
        # Idle endpoints are forgotten after this long without requests.
        "expire_after": Duration("10m", min=0.0),
        # host:port of the JSON status endpoint (GET /health); empty: off.
        "endpoint": Str("127.0.0.1:13134", check=check_listen_endpoint, allow_empty=True),
    },
    check=_check_thresholds,
)
