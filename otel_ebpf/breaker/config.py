"""Settings of a circuit breaker (``processors: circuit_breaker:`` and ``otel-ebpf breaker --config``).

One schema for both: the agent's ``circuit_breaker`` processor and the ``otel-ebpf breaker``
proxy decide the same way.  Defaults follow the health score's: a breaker opens when the
endpoint's state is ``degraded`` (or worse), stays open 5 s the first time (doubling on every
failed probe round, up to 60 s), and a health-driven trip happens at most once per 60 s per
endpoint, the health score's own hysteresis period.
"""

from __future__ import annotations

from otel_ebpf.config.checks import check_listen_endpoint
from otel_ebpf.config.schema import Bool, Duration, Field, Int, List, Number, Section, Str, describe
from otel_ebpf.telemetry.routes import compile_patterns

OPEN_ON = ("degraded", "critical")
STATUS_CODES = (503, 429)

# What a route entry may override; absent keys keep the top-level value.
_OVERRIDABLE = {
    "open_on": Str(None, choices=OPEN_ON),
    "open_below": Number(None, min=0.0, max=100.0),
    "failures": Int(None, min=0),
    "open_interval": Duration(None, min=0.01, max=3600),
    "max_open_interval": Duration(None, min=0.01, max=86400),
    "probes": Int(None, min=1, max=1000),
    "status_code": Int(None, check=lambda v: None if v in STATUS_CODES else "must be 503 or 429"),
    "hysteresis": Duration(None, min=0.0, max=86400),
}

ROUTE_SCHEMA = Section(
    {
        # Globs (fnmatch, * spans /) on service.name and http.route; methods: empty = every method.
        "service": Str("*"),
        "match": Str("*"),
        "methods": List(Str(normalize=str.upper)),
        # Never break these (health checks, login): requests always pass, decisions are still counted.
        "never": Bool(False),
        **_OVERRIDABLE,
    }
)

SETTINGS = {
    # The health state that opens the breaker: degraded (or worse), or critical only.
    "open_on": Str("degraded", choices=OPEN_ON),
    # Or a score threshold: open when the score is below it (absent: the state decides).
    "open_below": Number(None, min=0.0, max=100.0),
    # Consecutive failures seen directly (5xx, no response, timeout) that open it; 0: off.
    "failures": Int(5, min=0),
    # How long it stays open before letting probes through; doubles on each failed probe round.
    "open_interval": Duration("5s", min=0.01, max=3600),
    "max_open_interval": Duration("60s", min=0.01, max=86400),
    # Half-open: requests let through as probes; all must succeed to close.
    "probes": Int(3, min=1, max=1000),
    # What a rejected request gets: 503 Service Unavailable or 429 Too Many Requests (+ Retry-After).
    "status_code": Int(503, check=lambda v: None if v in STATUS_CODES else "must be 503 or 429"),
    # At most one health-driven trip per endpoint per period (the health score's hysteresis period).
    "hysteresis": Duration("60s", min=0.0, max=86400),
}


def _check_pattern(value: str) -> str | None:
    try:
        compile_patterns([value])
    except ValueError as exc:
        return str(exc)
    return None


class _Mapping(Field):
    """A mapping handed as it is to another schema (``semantic_errors``: its processor checks it)."""

    expected = "a mapping"

    def convert(self, value, path, errors):
        if not isinstance(value, dict):
            errors.append(f"{path}: expected {self.expected}, got {describe(value)}")
            return {}
        return value


def _check(config: dict) -> list[tuple[str, str]]:
    if config["max_open_interval"] < config["open_interval"]:
        return [("max_open_interval", "must be at least open_interval")]
    return []


BREAKER_SCHEMA = Section(
    {
        **SETTINGS,
        # Per-route settings, first match wins (e.g. never break GET /healthz).
        "routes": List(ROUTE_SCHEMA),
        # Decide and count, never reject.
        "dry_run": Bool(False),
        # Endpoints tracked at once; more are let through and counted.
        "max_endpoints": Int(10000, min=1),
        # The agent's http.routes.patterns, for paths the health data does not name yet.
        "route_patterns": List(Str(check=_check_pattern)),
    },
    check=_check,
)

# The agent's processor: the same, plus where GET /breaker/check answers.
PROCESSOR_SCHEMA = Section(
    {
        **BREAKER_SCHEMA.fields,
        # host:port of the status endpoint (shared with health_score's GET /health); empty: off.
        "endpoint": Str("127.0.0.1:13134", check=check_listen_endpoint, allow_empty=True),
    },
    check=_check,
)

CHECK_PATH = "/breaker/check"
STATUS_PATH = "/breaker"

# The proxy (``otel-ebpf breaker --config FILE``): the breaker's settings and where it sits.
PROXY_SCHEMA = Section(
    {
        **BREAKER_SCHEMA.fields,
        # The backend: http://host:port (--backend).
        "backend": Str(""),
        # Where the proxy listens (--listen); localhost unless configured (a sidecar: 0.0.0.0:PORT).
        "listen": Str("127.0.0.1:8080", check=check_listen_endpoint),
        # The backend's service.name as the agent names it (--service); empty: any service's
        # endpoint with the route and method counts (the worst).
        "service": Str(""),
        # The agent's status endpoint, read for GET /health (--status-url).
        "status_url": Str("http://127.0.0.1:13134"),
        # No current health data for this long: fail open (absent: three evaluation intervals).
        "stale_after": Duration(None, min=0.1, max=86400),
        "connect_timeout": Duration("2s", min=0.01, max=600),
        # No response from the backend within this: 504, a failure.
        "response_timeout": Duration("30s", min=0.01, max=86400),
        # A client connection silent this long between requests is closed (nginx's keepalive_timeout).
        "idle_timeout": Duration("75s", min=0.1, max=86400),
        # GET /metrics (Prometheus text) of the proxy's own metrics; empty: off.
        "metrics_endpoint": Str("127.0.0.1:9466", check=check_listen_endpoint, allow_empty=True),
        # The semantic_errors processor's settings, to judge probes' responses (default rules when absent).
        "semantic_errors": _Mapping({}),
    },
    check=_check,
)
