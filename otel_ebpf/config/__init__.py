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

import importlib

# Names resolve on first use (PEP 562): component modules import `otel_ebpf.config.schema` to
# declare their schemas, and the registry imports those modules, so importing this package
# must not pull the registry in eagerly (that would be an import cycle).
_EXPORTS = {
    "REGISTRY": "components",
    "ComponentType": "components",
    "known_types": "components",
    "split_id": "components",
    "DEFAULT_CONFIG_FILE": "loader",
    "EMBEDDED_DEFAULT": "loader",
    "load_config": "loader",
    "Config": "resolved",
    "ConfigError": "resolved",
    "Pipeline": "resolved",
    "pipeline_signal": "resolved",
    "format_duration": "schema",
    "parse_duration": "schema",
}


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


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
