"""The resolved configuration handed to the agent, and the error raised instead of one."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import yaml

from otel_ebpf.config.expand import literal
from otel_ebpf.config.registry import KINDS, Registry


class ConfigError(Exception):
    """The configuration is invalid; ``errors`` lists every problem, each naming its path.

    ``warnings`` are those found on the way: an unset variable often explains an error.
    """

    def __init__(self, errors: list[str], warnings: list[str] | None = None):
        self.errors = list(errors)
        self.warnings = list(warnings or ())
        super().__init__("invalid configuration:\n" + "\n".join(f"  {e}" for e in self.errors))


@dataclass(frozen=True)
class Pipeline:
    """The component ids of one pipeline, in the order they were listed."""

    receivers: tuple[str, ...]
    processors: tuple[str, ...]
    exporters: tuple[str, ...]


def pipeline_signal(name: str) -> str:
    """``"traces/backend"`` -> ``"traces"``."""
    return name.split("/", 1)[0]


@dataclass
class Config:
    """A validated configuration with every default filled in.

    Component configs are plain dicts shaped like their YAML, with durations in float
    seconds.  Components that no pipeline uses are kept (and reported in ``warnings``);
    the agent builds only what the pipelines reference.

    Attributes:
        receivers, processors, exporters, extensions: component id -> config.
        pipelines: pipeline name (``traces``, ``metrics/backend``, ...) -> component ids.
        service_extensions: ``service.extensions``: the extensions to start.
        log_level: ``service.telemetry.logs.level`` (debug, info, warn, error).
        metrics_level: ``service.telemetry.metrics.level``: ``none`` keeps the agent's own
            metrics out of the metrics pipelines (and off the internal endpoint).
        metrics_address: ``service.telemetry.metrics.address``: where the agent's own metrics
            are served for Prometheus (``""``: not served).
        registry: The component types the config was validated against.
        sources: The files read, in merge order, or ``("<embedded default>",)``.
        metric_export_interval_s, metric_export_timeout_s: From OTEL_METRIC_EXPORT_INTERVAL/_TIMEOUT.
        sdk_disabled: OTEL_SDK_DISABLED=true: no telemetry at all (run exits 0).
        warnings: Problems that do not stop the agent (unused components, unset variables, ...).
    """

    receivers: dict[str, dict]
    processors: dict[str, dict]
    exporters: dict[str, dict]
    pipelines: dict[str, Pipeline]
    extensions: dict[str, dict] = field(default_factory=dict)
    service_extensions: tuple[str, ...] = ()
    log_level: str = "info"
    metrics_level: str = "normal"
    metrics_address: str = "127.0.0.1:8888"
    registry: Registry = field(default_factory=Registry)
    sources: tuple[str, ...] = ()
    metric_export_interval_s: float = 60.0
    metric_export_timeout_s: float = 30.0
    sdk_disabled: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def source(self) -> str:
        """Where the config came from, for logs: ``"a.yaml, b.yaml"`` or ``"<embedded default>"``."""
        return ", ".join(self.sources)

    def components(self, kind: str) -> dict[str, dict]:
        """The components of one kind (``"receivers"``, ...)."""
        return getattr(self, kind)

    def summary(self) -> str:
        """One line per pipeline: ``traces: ebpf -> semantic_errors, batch -> debug``."""
        lines = []
        for name, pipeline in self.pipelines.items():
            stages = [", ".join(pipeline.receivers)]
            if pipeline.processors:
                stages.append(", ".join(pipeline.processors))
            stages.append(", ".join(pipeline.exporters))
            lines.append(f"{name}: {' -> '.join(stages)}")
        return "\n".join(lines)

    def to_yaml(self, redact: bool = True) -> str:
        """What ``print-config`` writes: YAML that loads back into this configuration (a ``$`` in
        a value, from the environment or the file, is written ``$$``)."""
        return yaml.safe_dump(literal(self.to_dict(redact)), sort_keys=False)

    def to_dict(self, redact: bool = True) -> dict:
        """The configuration in the Collector's YAML shape (what ``print-config`` shows).

        Args:
            redact: Replace secrets (exporter headers) with "[REDACTED]".
        """
        out: dict = {}
        for kind in KINDS:
            section = {}
            for component_id, config in self.components(kind).items():
                ctype = self.registry.of_id(kind, component_id)
                section[component_id] = ctype.redact(config) if (redact and ctype) else copy.deepcopy(config)
            out[kind] = section
        service: dict = {}
        if self.service_extensions:
            service["extensions"] = list(self.service_extensions)
        service["telemetry"] = {
            "logs": {"level": self.log_level},
            "metrics": {"level": self.metrics_level, "address": self.metrics_address},
        }
        service["pipelines"] = {
            name: {"receivers": list(p.receivers), "processors": list(p.processors), "exporters": list(p.exporters)}
            for name, p in self.pipelines.items()
        }
        out["service"] = service
        return out
