"""The agent's own metrics as components report them (``settings.telemetry``)."""

from __future__ import annotations

from collections.abc import Callable

from otel_ebpf.component import Telemetry
from otel_ebpf.component.telemetry import Readings
from otel_ebpf.telemetry.self_metrics import SelfMetrics

# A name ending in one of these is a level; so is one with ".queued_" in it (queued_spans).
_LEVEL_ENDINGS = (
    "queue_size",
    "queue_capacity",
    ".endpoints",
    "series_held",
    "failed_components",
    "_size_bytes",  # exporter queues' bytes held, and their bound
    "_capacity_bytes",
    "_usage_bytes",  # memory_limiter: what it measured, its limits, whether it refuses now
    "_limit_bytes",
    ".refusing",
    ".span_rate_limit",  # the kernel's span rate now (max_cpu steers it)
)
_UNITS = (
    ("bytes", "By"),  # first: queue_size_bytes is in bytes, not requests
    ("queue_size", "{request}"),  # exporter queues hold requests
    ("queue_capacity", "{request}"),
    ("series", "{series}"),
    ("scrape", "{scrape}"),
    ("endpoints", "{endpoint}"),
    ("item", "{item}"),
    ("components", "{component}"),
    ("span_rate", "{exchange}/s"),
    ("span", "{span}"),
    ("metric_point", "{data_point}"),
    ("request", "{request}"),
    ("connection", "{connection}"),
    ("exchange", "{exchange}"),
    ("event", "{event}"),
    ("dropped", "{event}"),
)


def describe(name: str) -> tuple[bool, str, str]:
    """``(is_level, unit, description)`` of a self-metric declared only by its name.

    Levels (queue depths, live endpoints) are gauges; everything else is a running total.
    """
    if name.startswith("otel_ebpf.tcp."):  # kernel counters: pinned programs outlive the agent
        return False, _unit(name), "running total since the TCP flow program was loaded (pinned: across agent restarts)"
    if name.endswith(_LEVEL_ENDINGS) or ".queued_" in name:
        return True, _unit(name), "current level"
    return False, _unit(name), "running total since the agent started"


def _unit(name: str) -> str:
    if name.endswith("_time"):
        return "s"
    for part, unit in _UNITS:
        if part in name:
            return unit
    return "1"


class ServiceTelemetry(Telemetry):
    """Every component's readings go into one registry, exported by the metrics pipelines."""

    def __init__(self, self_metrics: SelfMetrics) -> None:
        self.self_metrics = self_metrics

    def register(self, read: Callable[[], Readings]) -> None:
        self.self_metrics.register_callback(read)
