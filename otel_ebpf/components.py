"""The component types the agent knows: the built-in factory list and the plugins.

Adding a built-in type is a folder (``factory.py`` + the implementation) and one line in
:data:`BUILTIN`.  A third-party package adds types through the entry-point group
``otel_ebpf.components``; each entry point names a :class:`~otel_ebpf.component.Factory`::

    [project.entry-points."otel_ebpf.components"]
    kafka = "my_package.kafka_exporter:factory"

Built-in types win over plugins with the same name; a plugin that cannot be loaded is
reported (``Registry.problems``) and skipped.  Importing this module imports every factory
module, which are light: no implementation is loaded before a component is created.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path

from otel_ebpf.component import CreateSettings, Factory
from otel_ebpf.config import Config, ConfigError, Registry
from otel_ebpf.config import load_config as _load_config
from otel_ebpf.config.service import resolve_component
from otel_ebpf.exporters.debug.factory import factory as debug_exporter
from otel_ebpf.exporters.file.factory import factory as file_exporter
from otel_ebpf.exporters.nop.factory import factory as nop_exporter
from otel_ebpf.exporters.otlp.factory import factory as otlp_exporter
from otel_ebpf.exporters.otlp_http.factory import factory as otlp_http_exporter
from otel_ebpf.exporters.prometheus.factory import factory as prometheus_exporter
from otel_ebpf.extensions.health_check.factory import factory as health_check_extension
from otel_ebpf.processors.batch.factory import factory as batch_processor
from otel_ebpf.processors.cause_attribution.factory import factory as cause_attribution_processor
from otel_ebpf.processors.circuit_breaker.factory import factory as circuit_breaker_processor
from otel_ebpf.processors.health_score.factory import factory as health_score_processor
from otel_ebpf.processors.memory_limiter.factory import factory as memory_limiter_processor
from otel_ebpf.processors.probabilistic_sampler.factory import factory as probabilistic_sampler_processor
from otel_ebpf.processors.semantic_errors.factory import factory as semantic_errors_processor
from otel_ebpf.processors.slo.factory import factory as slo_processor
from otel_ebpf.receivers.ebpf.factory import factory as ebpf_receiver
from otel_ebpf.receivers.otlp.factory import factory as otlp_receiver
from otel_ebpf.receivers.tcp_flows.factory import factory as tcp_flows_receiver

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "otel_ebpf.components"

BUILTIN: tuple[Factory, ...] = (
    ebpf_receiver,
    otlp_receiver,
    tcp_flows_receiver,
    memory_limiter_processor,
    batch_processor,
    probabilistic_sampler_processor,
    semantic_errors_processor,
    health_score_processor,
    slo_processor,
    cause_attribution_processor,
    circuit_breaker_processor,
    otlp_exporter,
    otlp_http_exporter,
    file_exporter,
    debug_exporter,
    nop_exporter,
    prometheus_exporter,
    health_check_extension,
)


def plugins(group: str = ENTRY_POINT_GROUP) -> tuple[list[Factory], list[str]]:
    """Factories registered by installed packages, and what went wrong loading the others."""
    found: list[Factory] = []
    problems: list[str] = []
    for entry in metadata.entry_points(group=group):
        try:
            factory = entry.load()
        except Exception as exc:  # a broken plugin must not stop the agent: report it
            problems.append(f"plugin {entry.name} ({entry.value}): cannot load: {type(exc).__name__}: {exc}")
            continue
        if not isinstance(factory, Factory):
            problems.append(f"plugin {entry.name} ({entry.value}): not an otel_ebpf.component.Factory")
            continue
        found.append(factory)
    return found, problems


def registry(with_plugins: bool = True) -> Registry:
    """Every component type: the built-in ones, then the plugins'."""
    reg = Registry(BUILTIN)
    if with_plugins:
        found, reg.problems = plugins()
        for factory in found:
            reg.add(factory)
        reg.problems += [f"plugin {f.kind}/{f.type}: the name is taken by a built-in type" for f in reg.shadowed]
    return reg


def load_config(
    paths: Sequence[str | Path] | None = None,
    environ: Mapping[str, str] | None = None,
    registry_: Registry | None = None,
) -> Config:
    """:func:`otel_ebpf.config.load_config` with the agent's component types."""
    import os

    return _load_config(paths, os.environ if environ is None else environ, registry=registry_ or registry())


def create_component(
    kind: str,
    component_id: str,
    raw_config: Mapping | None = None,
    next_consumer=None,
    *,
    environ: Mapping[str, str] | None = None,
    pipeline: str | None = None,
    registry_: Registry | None = None,
):
    """Builds one component outside a service (tests, tools): resolves its config, then creates it.

    Raises:
        ConfigError: Unknown type or invalid config, every problem listed.
    """
    import os

    reg = registry_ or registry(with_plugins=False)
    errors: list[str] = []
    config = resolve_component(kind, component_id, raw_config, reg, errors)
    if errors:
        raise ConfigError(errors)
    spec = reg.of_id(kind, component_id)
    settings = CreateSettings(
        id=component_id, kind=kind, pipeline=pipeline, environ=os.environ if environ is None else environ
    )
    return spec.create(settings, config, next_consumer)
