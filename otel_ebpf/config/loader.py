"""Reads the configuration: YAML files merged like the Collector's, variables expanded, validated.

``load_config(["base.yaml", "prod.yaml"])`` merges the files in order (mappings key by
key, lists replaced), expands ``${env:VAR}`` references, validates everything and
returns a :class:`~otel_ebpf.config.resolved.Config`, or raises
:class:`~otel_ebpf.config.resolved.ConfigError` listing every problem.

With no file, the embedded default (``config/default.yaml``) is used; then, and only
then, an OTLP endpoint in the environment adds an OTLP exporter (see that file): the type
serving ``OTEL_EXPORTER_OTLP_PROTOCOL`` (the specification's default, ``http/protobuf``).

The component types come from the caller (``otel_ebpf.components.load_config`` passes the
agent's factories): this package knows schemas, not components.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from otel_ebpf import CONFIG_DIR
from otel_ebpf.config import env, service
from otel_ebpf.config.expand import expand
from otel_ebpf.config.registry import KINDS, Registry, deep_merge
from otel_ebpf.config.resolved import Config, ConfigError, pipeline_signal

EMBEDDED_DEFAULT = "<embedded default>"
DEFAULT_CONFIG_FILE = CONFIG_DIR / "default.yaml"


class _Loader(yaml.SafeLoader):
    """YAML with the Collector's reading of scalars and duplicate keys reported.

    PyYAML follows YAML 1.1, where ``no``/``on`` are booleans and ``0755`` is octal; the
    Collector's parser follows YAML 1.2, where they are strings (and ``0755`` is decimal
    when converted to an integer).  Duplicate keys, silently last-wins in PyYAML, are
    errors in the Collector.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[str] = []

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            try:
                if key in seen:
                    self.duplicates.append(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
                seen.add(key)
            except TypeError:
                pass  # an unhashable key: the base class reports it
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)


def parse_yaml(text: str, source: str, errors: list[str]) -> Any:
    """Parses one YAML document; syntax problems and duplicate keys go to ``errors``."""
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        problem = getattr(exc, "problem", None) or str(exc)
        errors.append(f"{where}: invalid YAML: {problem}")
        return None
    finally:
        loader.dispose()
    errors.extend(f"{source}: {d}" for d in loader.duplicates)
    if data is not None and not isinstance(data, Mapping):
        errors.append(f"{source}: the top level must be a mapping (receivers:, exporters:, service:, ...)")
        return None
    return data or {}


def read_yaml(path: str | Path, errors: list[str]) -> Any:
    """Reads and parses one file; unreadable files go to ``errors``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        errors.append(f"{path}: cannot read the configuration: {reason}")
        return None
    return parse_yaml(text, str(path), errors)


def add_otlp_from_env(raw: dict, environ: Mapping[str, str], registry: Registry, errors: list[str]) -> list[str]:
    """Adds an OTLP exporter to the pipelines whose signal has an endpoint in the environment.

    ``OTEL_EXPORTER_OTLP_ENDPOINT`` covers both traces and metrics pipelines;
    ``..._TRACES_ENDPOINT`` / ``..._METRICS_ENDPOINT`` cover one each.  The exporter's type
    is the one serving ``OTEL_EXPORTER_OTLP_PROTOCOL`` (``_TRACES_``/``_METRICS_`` variants win
    for their pipelines; default ``http/protobuf``, as the specification says); it reads the
    other ``OTEL_EXPORTER_OTLP_*`` variables itself, so its config stays empty.  Applied to the
    embedded default only: a config file says explicitly where telemetry goes.

    Returns:
        ``pipeline: exporter id`` for every pipeline an exporter was added to.
    """
    signals = {s for s in env.SIGNALS_WITH_OTLP_VARIANTS if env.otlp_setting(environ, "ENDPOINT", s)}
    pipelines = (raw.get("service") or {}).get("pipelines") or {}
    added = []
    for name, pipeline in pipelines.items():
        signal = pipeline_signal(name)
        if signal not in signals or not isinstance(pipeline, dict):
            continue  # not configured by the environment, or malformed: validation reports it
        var, protocol = env.otlp_source(environ, "PROTOCOL", signal) or ("", env.DEFAULT_OTLP_PROTOCOL)
        protocol = protocol.lower()
        spec = registry.exporter_for_protocol(protocol)
        if spec is None:
            known = sorted({p for s in registry.types("exporters") for p in s.env_protocols})
            error = f"{var}={protocol!r} is not a protocol an exporter serves (known: {', '.join(known)})"
            if error not in errors:  # once, not once per pipeline
                errors.append(error)
            continue
        exporters = raw.setdefault("exporters", {}) or {}
        raw["exporters"] = exporters
        exporters.setdefault(spec.type, {})
        listed = list(pipeline.get("exporters") or [])
        if spec.type not in listed:
            pipeline["exporters"] = [*listed, spec.type]
        added.append(f"{name}: {spec.type}")
    return added


def load_config(
    paths: Sequence[str | Path] | None, environ: Mapping[str, str] = os.environ, *, registry: Registry
) -> Config:
    """Loads, merges, expands and validates the configuration.

    Args:
        paths: Config files merged in order (later ones win); None or empty: the embedded default.
        environ: Environment for ``${env:...}`` references and the ``OTEL_*`` variables.
        registry: The component types (``otel_ebpf.components.registry()``).

    Returns:
        The resolved configuration (``warnings`` lists what did not stop it).

    Raises:
        ConfigError: With every problem found, each naming its file or key path.
    """
    errors: list[str] = []
    warnings: list[str] = []
    embedded = not paths
    if embedded:
        sources: tuple[str, ...] = (EMBEDDED_DEFAULT,)
        documents = [read_yaml(DEFAULT_CONFIG_FILE, errors)]
    else:
        sources = tuple(str(p) for p in paths)
        documents = [read_yaml(p, errors) for p in paths]
    if errors:
        raise ConfigError(errors)

    raw: dict = {}
    for document in documents:
        raw = deep_merge(raw, document)
    raw = expand(raw, environ, "", errors, warnings)
    if embedded:
        added = add_otlp_from_env(raw, environ, registry, errors)
        if added:
            warnings.append(
                f"added the OTLP exporter to pipelines ({'; '.join(added)}): embedded default config with an"
                " OTEL_EXPORTER_OTLP_*ENDPOINT variable set"
            )
    parts = service.validate(raw, registry, errors, warnings)
    if not errors:
        sections = {kind: parts[kind] for kind in KINDS}
        service.check_hosts(sections, parts["pipelines"], registry, environ, errors, warnings)
    if errors:
        raise ConfigError(errors, warnings)

    return Config(
        **parts,
        registry=registry,
        sources=sources,
        metric_export_interval_s=env.read_millis(
            environ, env.OTEL_METRIC_EXPORT_INTERVAL, env.DEFAULT_METRIC_EXPORT_INTERVAL_MS, warnings
        ),
        metric_export_timeout_s=env.read_millis(
            environ, env.OTEL_METRIC_EXPORT_TIMEOUT, env.DEFAULT_METRIC_EXPORT_TIMEOUT_MS, warnings
        ),
        sdk_disabled=env.read_bool(environ, env.OTEL_SDK_DISABLED, warnings),
        warnings=warnings,
    )
