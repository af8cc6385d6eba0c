"""Configuration in the OpenTelemetry Collector's YAML shape.

Public API::

    from otel_ebpf.components import load_config    # this package's loader, with the agent's factories
    config = load_config(["agent.yaml"])             # or load_config(None): the embedded default
    config.pipelines["traces"].exporters              # ("otlp",)
    config.exporters["otlp"]["timeout"]               # 5.0 (durations are float seconds)

The modules: :mod:`.loader` (files, merging, the default), :mod:`.expand` (``${env:VAR}``),
:mod:`.schema` (declarative validation), :mod:`.checks` (value checks schemas share),
:mod:`.registry` (what validation needs of component types), :mod:`.service` (pipelines and
claims), :mod:`.env` (the ``OTEL_*`` variables), :mod:`.resolved` (the result types).

This package imports no component: validating a file loads no runtime.
"""

from __future__ import annotations

from otel_ebpf.config.loader import DEFAULT_CONFIG_FILE, EMBEDDED_DEFAULT, load_config
from otel_ebpf.config.registry import KINDS, SIGNALS, Claim, ComponentSpec, Registry, split_id
from otel_ebpf.config.resolved import Config, ConfigError, Pipeline, pipeline_signal
from otel_ebpf.config.schema import format_duration, parse_duration

__all__ = [
    "DEFAULT_CONFIG_FILE",
    "EMBEDDED_DEFAULT",
    "KINDS",
    "SIGNALS",
    "Claim",
    "ComponentSpec",
    "Config",
    "ConfigError",
    "Pipeline",
    "Registry",
    "format_duration",
    "load_config",
    "parse_duration",
    "pipeline_signal",
    "split_id",
]
