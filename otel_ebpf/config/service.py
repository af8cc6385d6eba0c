"""Validation of a whole configuration: component sections, then ``service`` and its pipelines.

Every error is collected (the user fixes a file in one pass, not one error per run);
each names its path: ``service.pipelines.traces.exporters: 'otlp/x' is not configured
(configured: debug, file)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from otel_ebpf.config.checks import check_listen_endpoint
from otel_ebpf.config.registry import KINDS, SIGNALS, Registry, split_id
from otel_ebpf.config.resolved import Pipeline, pipeline_signal
from otel_ebpf.config.schema import Section, Str, describe, resolve, unknown_message

TOP_LEVEL_KEYS = (*KINDS, "service")
PIPELINE_KEYS = ("receivers", "processors", "exporters")
LOG_LEVELS = ("debug", "info", "warn", "error")
METRICS_LEVELS = ("none", "basic", "normal", "detailed")

TELEMETRY_SCHEMA = Section(
    {
        "logs": {"level": Str("info", choices=LOG_LEVELS, normalize=str.lower)},
        # The agent's own metrics (otel_ebpf.*), added to every metrics pipeline; none: not exported.
        # address: the Collector's internal telemetry endpoint (Prometheus, /metrics); "" turns it off.
        "metrics": {
            "level": Str("normal", choices=METRICS_LEVELS, normalize=str.lower),
            "address": Str("127.0.0.1:8888", check=check_listen_endpoint, allow_empty=True),
        },
    }
)

_SINGULAR = {"receivers": "receiver", "processors": "processor", "exporters": "exporter", "extensions": "extension"}


def validate(raw: Any, registry: Registry, errors: list[str], warnings: list[str]) -> dict:
    """Checks a merged, expanded config mapping against the component types of ``registry``.

    Returns:
        The keyword arguments of :class:`~otel_ebpf.config.resolved.Config` that come from
        the file: components, pipelines, service extensions and log level.  Meaningful
        only when ``errors`` stayed empty.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        errors.append(f"the configuration must be a mapping, got {describe(raw)}")
        return {}
    for key in raw:
        if key not in TOP_LEVEL_KEYS:
            errors.append(f"{key}: {unknown_message('key', key, TOP_LEVEL_KEYS)}")

    sections = {kind: _components(kind, raw.get(kind), registry, errors) for kind in KINDS}
    service = raw.get("service")
    if service is None:
        errors.append("service: missing (a configuration needs at least one pipeline under service.pipelines)")
        service = {}
    elif not isinstance(service, Mapping):
        errors.append(f"service: expected a mapping, got {describe(service)}")
        service = {}
    for key in service:
        if key not in ("pipelines", "telemetry", "extensions"):
            errors.append(f"service.{key}: {unknown_message('key', key, ('extensions', 'pipelines', 'telemetry'))}")

    telemetry, telemetry_errors = resolve(TELEMETRY_SCHEMA, service.get("telemetry"), "service.telemetry")
    errors.extend(telemetry_errors)
    service_extensions = _references(
        "extensions", service.get("extensions"), "service.extensions", sections["extensions"], None, registry, errors
    )
    # A missing service section is one error, not one more for its missing pipelines.
    pipelines = _pipelines(service.get("pipelines"), sections, registry, errors) if "service" in raw else {}
    if not errors:
        _check_claims(sections, pipelines, service_extensions, registry, errors)

    used = {kind: set() for kind in KINDS}
    for pipeline in pipelines.values():
        for kind in PIPELINE_KEYS:
            used[kind].update(getattr(pipeline, kind))
    used["extensions"].update(service_extensions)
    for kind in KINDS:
        for component_id in sections[kind]:
            if component_id not in used[kind]:
                where = "service.extensions" if kind == "extensions" else "any pipeline"
                warnings.append(f"{kind}.{component_id}: configured but not used in {where}")

    return {
        **sections,
        "pipelines": pipelines,
        "service_extensions": tuple(service_extensions),
        "log_level": telemetry["logs"]["level"],
        "metrics_level": telemetry["metrics"]["level"],
        "metrics_address": telemetry["metrics"]["address"],
    }


def _components(kind: str, section: Any, registry: Registry, errors: list[str]) -> dict[str, dict]:
    """Validates one section (``receivers:`` ...): id -> resolved config.

    Ids whose type is unknown or whose config is invalid are kept (with an empty config)
    so that pipelines referencing them do not add a second, misleading error.
    """
    if section is None:
        return {}
    if not isinstance(section, Mapping):
        errors.append(f"{kind}: expected a mapping of component ids to settings, got {describe(section)}")
        return {}
    resolved: dict[str, dict] = {}
    for component_id, raw in section.items():
        config = resolve_component(kind, component_id, raw, registry, errors)
        if config is not None:
            resolved[component_id] = config
    return resolved


def resolve_component(kind: str, component_id: str, raw: Any, registry: Registry, errors: list[str]) -> dict | None:
    """One component's config with its defaults filled in; problems go to ``errors``.

    Returns:
        None for an invalid id; an empty config for an unknown type.
    """
    split = split_id(component_id)
    if split is None:
        errors.append(f"{kind}: invalid component id {describe(component_id)} (expected type or type/name)")
        return None
    ctype = registry.get(kind, split[0])
    if ctype is None:
        where = "" if split[1] is None else f" in {component_id!r}"
        message = unknown_message("type", split[0], registry.known_names(kind))
        errors.append(f"{kind}: {message.replace(' (', where + ' (', 1)}")
        return {}
    config, component_errors = ctype.resolve(raw, f"{kind}.{component_id}")
    errors.extend(component_errors)
    return config


def _pipelines(section: Any, sections: dict[str, dict], registry: Registry, errors: list[str]) -> dict[str, Pipeline]:
    path = "service.pipelines"
    if section is None or section == {}:
        example = "traces: {receivers: [ebpf], exporters: [debug]}"
        errors.append(f"{path}: at least one pipeline is required (e.g. {example})")
        return {}
    if not isinstance(section, Mapping):
        errors.append(f"{path}: expected a mapping of pipeline names to pipelines, got {describe(section)}")
        return {}
    pipelines = {}
    for name, spec in section.items():
        pipeline_path = f"{path}.{name}"
        split = split_id(name)
        if split is None:
            errors.append(f"{path}: invalid pipeline name {describe(name)} (expected signal or signal/name)")
            continue
        if split[0] not in SIGNALS:
            errors.append(f"{pipeline_path}: unknown signal {split[0]!r} (known: {', '.join(SIGNALS)})")
            continue
        if spec is None:
            spec = {}
        if not isinstance(spec, Mapping):
            errors.append(f"{pipeline_path}: expected a mapping with receivers, processors and exporters")
            continue
        for key in spec:
            if key not in PIPELINE_KEYS:
                errors.append(f"{pipeline_path}.{key}: {unknown_message('key', key, PIPELINE_KEYS)}")
        ids = {
            kind: _references(
                kind, spec.get(kind), f"{pipeline_path}.{kind}", sections[kind], split[0], registry, errors
            )
            for kind in PIPELINE_KEYS
        }
        for kind in ("receivers", "exporters"):
            if not ids[kind] and spec.get(kind) in (None, []):
                errors.append(f"{pipeline_path}.{kind}: at least one {_SINGULAR[kind]} is required")
        pipelines[name] = Pipeline(tuple(ids["receivers"]), tuple(ids["processors"]), tuple(ids["exporters"]))
    return pipelines


def _references(
    kind: str,
    value: Any,
    path: str,
    configured: dict[str, dict],
    signal: str | None,
    registry: Registry,
    errors: list[str],
) -> list[str]:
    """Checks a list of component ids: each configured, listed once, and able to handle ``signal``."""
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append(f"{path}: expected a list of {kind} ids, got {describe(value)}")
        return []
    ids: list[str] = []
    for item in value:
        if not isinstance(item, str):
            errors.append(f"{path}: expected {_SINGULAR[kind]} ids, got {describe(item)}")
            continue
        if item not in configured:
            listed = ", ".join(sorted(configured)) or "none"
            errors.append(f"{path}: {item!r} is not configured (configured: {listed})")
            continue
        if item in ids:
            errors.append(f"{path}: {item!r} is listed more than once")
            continue
        ctype = registry.of_id(kind, item)
        if signal is not None and ctype is not None and signal not in ctype.signals:
            errors.append(f"{path}: {item!r} does not support {signal} (it handles: {', '.join(ctype.signals)})")
            continue
        ids.append(item)
    return ids


def _check_claims(
    sections: dict[str, dict],
    pipelines: dict[str, Pipeline],
    service_extensions: list[str],
    registry: Registry,
    errors: list[str],
) -> None:
    """Two component instances holding one resource (a port, a path, a file) is an error.

    Instances are what the agent will create: one per receiver, exporter and extension id in
    use, one per processor id *per pipeline*.
    """
    instances: list[tuple[str, str, str]] = []  # (label, kind, id)
    seen: set[tuple[str, str]] = set()
    for name, pipeline in pipelines.items():
        for kind in PIPELINE_KEYS:
            for component_id in getattr(pipeline, kind):
                if kind == "processors":
                    instances.append((f"processors.{component_id} (pipeline {name})", kind, component_id))
                elif (kind, component_id) not in seen:
                    seen.add((kind, component_id))
                    instances.append((f"{kind}.{component_id}", kind, component_id))
    instances.extend((f"extensions.{e}", "extensions", e) for e in service_extensions)

    holders: dict[str, list[tuple[str, Any]]] = {}
    for label, kind, component_id in instances:
        spec = registry.of_id(kind, component_id)
        if spec is None:
            continue
        for claim in spec.claims(sections[kind][component_id]):
            holders.setdefault(claim.resource, []).append((label, claim.value))
    for resource, held in holders.items():
        first_label, first_value = held[0]
        for label, value in held[1:]:
            if first_value is None or value is None:
                errors.append(f"{label}: {resource} is already used by {first_label}: give one of them another")
            elif value != first_value:
                errors.append(f"{label}: {_disagreement(resource, first_label, first_value, value)}")


def _disagreement(resource: str, first_label: str, first: Any, other: Any) -> str:
    if isinstance(first, Mapping) and isinstance(other, Mapping):
        keys = sorted(k for k in set(first) | set(other) if first.get(k) != other.get(k))
        diff = ", ".join(f"{k} {other.get(k)!r} (there: {first.get(k)!r})" for k in keys)
    else:
        diff = f"{other!r} (there: {first!r})"
    return f"shares {resource} with {first_label}, so their settings must agree: {diff}"


def check_hosts(
    sections: dict[str, dict],
    pipelines: dict[str, Pipeline],
    registry: Registry,
    environ: Mapping[str, str],
    errors: list[str],
    warnings: list[str],
) -> None:
    """What a valid config still cannot do here: every component in use checks its settings
    against the environment and the machine (an OTLP exporter with no endpoint anywhere, a TLS
    file that cannot be read, an output directory that does not exist)."""
    signals: dict[tuple[str, str], list[str]] = {}
    for name, pipeline in pipelines.items():
        for kind in PIPELINE_KEYS:
            for component_id in getattr(pipeline, kind):
                used = signals.setdefault((kind, component_id), [])
                if pipeline_signal(name) not in used:
                    used.append(pipeline_signal(name))
    for (kind, component_id), used in signals.items():
        spec = registry.of_id(kind, component_id)
        check = getattr(spec, "check_host", None)  # a plugin's spec may have none
        if check is None:
            continue
        for problem in check(sections[kind][component_id], tuple(used), environ):
            message = f"{kind}.{component_id}.{problem.key}: {problem.message}"
            (errors if problem.fatal else warnings).append(message)
