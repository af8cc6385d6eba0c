"""Configuration in the OpenTelemetry Collector's YAML shape.

Public API::

    from otel_ebpf.config import load_config, ConfigError

    config = load_config(["agent.yaml"])      # or load_config(None): the embedded default
    config.pipelines["traces"].exporters       # ("otlp",)
    config.exporters["otlp"]["timeout"]        # 5.0 (durations are float seconds)

The modules behind it: :mod:`.loader` (files, merging, the default), :mod:`.expand`
(``${env:VAR}``), :mod:`.schema` (declarative validation), :mod:`.components` (the
registry of component types), :mod:`.service` (pipelines), :mod:`.env` (the ``OTEL_*``
variables), :mod:`.resolved` (the result types).
"""

from __future__ import annotations

from otel_ebpf.config.components import REGISTRY, ComponentType, known_types, split_id
from otel_ebpf.config.loader import DEFAULT_CONFIG_FILE, EMBEDDED_DEFAULT, load_config
from otel_ebpf.config.resolved import Config, ConfigError, Pipeline, pipeline_signal
from otel_ebpf.config.schema import format_duration, parse_duration

__all__ = [
    "DEFAULT_CONFIG_FILE",
    "EMBEDDED_DEFAULT",
    "REGISTRY",
    "ComponentType",
    "Config",
    "ConfigError",
    "Pipeline",
    "format_duration",
    "known_types",
    "load_config",
    "parse_duration",
    "pipeline_signal",
    "split_id",
]
