"""Configuration of ``processors: slo:`` (declarative schema; defaults documented here)."""

from __future__ import annotations

from otel_ebpf.config.checks import check_listen_endpoint
from otel_ebpf.config.schema import Duration, Int, List, Number, Section, Str
from otel_ebpf.telemetry.outcome import SEVERITIES

DEFAULT_STATE_FILE = "/var/lib/otel-ebpf/slo-state.json"


def _check_objective(objective: dict) -> list[tuple[str, str]]:
    if objective["sli"] == "latency" and objective["latency_threshold"] is None:
        return [("latency_threshold", "required when sli is latency")]
    return []


def _check_slo(config: dict) -> list[tuple[str, str]]:
    names = [o["name"] for o in config["objectives"]]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        return [("objectives", f"names must be unique: {', '.join(duplicates)}")]
    return []


def _check_severity(value: str) -> str | None:
    return None if value in SEVERITIES else f"{value!r} is not one of {', '.join(SEVERITIES)}"


def _check_name(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


OBJECTIVE_SCHEMA = Section(
    {
        "name": Str(required=True, check=_check_name, doc="names the SLO in metrics and alerts"),
        # Globs (fnmatch, * spans /) on service.name and http.route (or the path when no route is known).
        "service": Str("*"),
        "route": Str("*"),
        "methods": List(Str(normalize=str.upper)),
        # availability: good = neither a system error nor a business error of `bad_severities`;
        # latency: good = duration <= latency_threshold.
        "sli": Str("availability", choices=("availability", "latency")),
        "latency_threshold": Duration(None, min=0.0001),
        # Percent of good events promised over the window.
        "target": Number(99.9, min=1.0, max=99.9999),
        # Compliance window of the error budget ("30d", "7d", "24h").
        "window": Duration("30d", min=60.0, max=90 * 86400.0),
    },
    check=_check_objective,
)

ALERT_SCHEMA = Section(
    {
        "name": Str(required=True, check=_check_name),
        "long_window": Duration(required=True, min=1.0, max=86400.0),
        "short_window": Duration(required=True, min=1.0, max=86400.0),
        "burn_rate": Number(required=True, min=0.0),
    }
)

# The multi-window, multi-burn-rate alerts of the Google SRE workbook (chapter 5), for a 30d window:
# page when 2% of the budget burns in an hour, ticket when 5% burns in six hours.
DEFAULT_ALERTS = [
    {"name": "page", "long_window": 3600.0, "short_window": 300.0, "burn_rate": 14.4},
    {"name": "ticket", "long_window": 21600.0, "short_window": 1800.0, "burn_rate": 6.0},
]

# The path its JSON answers on, under the status endpoint.
STATUS_PATH = "/slo"

SLO_SCHEMA = Section(
    {
        "objectives": List(OBJECTIVE_SCHEMA),
        # Business-error severities that make a request bad for availability SLOs.
        "bad_severities": List(Str(check=_check_severity), default=["critical", "high"]),
        "alerts": List(ALERT_SCHEMA, default=DEFAULT_ALERTS),
        # How often alert states are evaluated (and the state file written).
        "evaluation_interval": Duration("10s", min=0.05, max=3600.0),
        # Resolution of the burn-rate windows.
        "bucket": Duration("10s", min=0.05, max=3600.0),
        # Where the budget survives restarts; empty: memory only.
        "state_file": Str(DEFAULT_STATE_FILE, allow_empty=True),
        # Exemplars (bad events with their trace) per SLO per export.
        "max_exemplars": Int(10, min=0, max=1000),
        # host:port of the JSON status endpoint (GET /slo), shared with health_score when equal; empty: off.
        "endpoint": Str("127.0.0.1:13134", check=check_listen_endpoint, allow_empty=True),
    },
    check=_check_slo,
)
