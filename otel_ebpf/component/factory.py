"""Factories: what makes a component of one type, and what its configuration is.

A factory is the Collector's: a type name, the signals it supports, a default config (a
schema from :mod:`otel_ebpf.config.schema`: defaults, types, ranges, checks, secrets) and
``create(settings, config, next_consumer)``.  ``create`` imports the implementation when it
is called, never before: validating a configuration loads no runtime.

Factories satisfy ``otel_ebpf.config.registry.ComponentSpec``, which is all validation needs.
"""

from __future__ import annotations

import copy
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from otel_ebpf.component.host import Status, StatusReporter
from otel_ebpf.component.telemetry import NoTelemetry, Telemetry
from otel_ebpf.config.checks import HostProblem
from otel_ebpf.config.registry import KINDS, Claim, deep_merge
from otel_ebpf.config.schema import Section, describe, redact, resolve

RECEIVERS, PROCESSORS, EXPORTERS, EXTENSIONS = KINDS

TRACES = "traces"
METRICS = "metrics"


def _ignore_status(status: Status, error: str = "") -> None:
    pass


@dataclass(frozen=True)
class CreateSettings:
    """What a component gets besides its config.

    Attributes:
        id: Its id in the config (``otlp/backend``).
        kind: receivers, processors, exporters or extensions.
        pipeline: For processors, the pipeline this instance belongs to (``traces/python``).
        environ: The agent's environment (``OTEL_*`` variables).
        telemetry: Where the component reports its own counters.
        report_status: Tells the service of a recoverable error (or that it is gone:
            ``Status.OK``) while running; start failures are reported by raising from ``start``.
    """

    id: str
    kind: str
    pipeline: str | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    telemetry: Telemetry = field(default_factory=NoTelemetry)
    report_status: StatusReporter = _ignore_status

    @property
    def logger(self) -> logging.Logger:
        """``otel_ebpf.<kind>.<id>``."""
        return logging.getLogger(f"otel_ebpf.{self.kind}.{self.id}")

    @property
    def attributes(self) -> tuple[tuple[str, str], ...]:
        """How its self-metrics name it: ``(("exporter", "otlp/x"),)``, plus the pipeline of a processor."""
        attrs: tuple[tuple[str, str], ...] = ((self.kind.removesuffix("s"), self.id),)
        if self.pipeline is not None:
            attrs += (("pipeline", self.pipeline),)
        return attrs

    def report_stats(self, prefix: str, stats: Callable[[], Mapping[str, float]]) -> None:
        """Exports ``stats()`` (read at every collection) as ``<prefix>.<key>`` with :attr:`attributes`."""
        attrs = self.attributes
        self.telemetry.register(lambda: {(f"{prefix}.{key}", attrs): value for key, value in stats().items()})


Create = Callable[[CreateSettings, dict, Any], Any]


class Factory:
    """Makes components of one type.

    Args:
        kind: receivers, processors, exporters or extensions.
        type: The type name used in ids (``otlp_http`` in ``otlp_http/backend``).
        signals: The pipelines it can be part of (traces, metrics); empty for extensions.
        description: One line for ``otel-ebpf components``.
        create: ``(settings, config, next_consumer) -> Component``; imports the implementation.
        schema: The config schema (default config = its defaults), or None with
            ``default_config``/``validate_config`` for a type that validates itself.
        default_config: ``() -> dict`` when there is no schema.
        validate_config: ``(config) -> list of messages`` ("key.path: what is wrong"), run on the
            defaults merged with the user's config, when there is no schema.
        aliases: Other accepted type names (``otlphttp``).
        claims: ``(config) -> [Claim]``: resources an instance holds (see :class:`Claim`).
        env_protocols: Exporters only: the ``OTEL_EXPORTER_OTLP_PROTOCOL`` values it serves.
        needs_bpf: Receivers that load BPF programs: ``run`` checks the privileges first.
        check_host: ``(config, signals, environ) -> [HostProblem]``: what ``validate`` checks beyond
            the schema, for an instance in pipelines of ``signals``: settings the environment
            supplies (``OTEL_EXPORTER_OTLP_*``) and the files the config names.
    """

    def __init__(
        self,
        kind: str,
        type: str,  # noqa: A002 - the Collector's word
        signals: Sequence[str],
        description: str,
        create: Create,
        *,
        schema: Section | None = None,
        default_config: Callable[[], Mapping] | None = None,
        validate_config: Callable[[dict], Sequence[str]] | None = None,
        aliases: Sequence[str] = (),
        claims: Callable[[dict], Sequence[Claim]] | None = None,
        env_protocols: Sequence[str] = (),
        needs_bpf: bool = False,
        check_host: Callable[[dict, Sequence[str], Mapping[str, str]], Sequence[HostProblem]] | None = None,
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown component kind {kind!r}")
        if (schema is None) == (validate_config is None):
            raise ValueError(f"{kind}/{type}: give a schema, or default_config and validate_config")
        self.kind = kind
        self.type = type
        self.signals = tuple(signals)
        self.description = description
        self.schema = schema
        self.aliases = tuple(aliases)
        self.env_protocols = tuple(env_protocols)
        self.needs_bpf = needs_bpf
        self._create = create
        self._default_config = default_config
        self._validate_config = validate_config
        self._claims = claims
        self._check_host = check_host

    def __repr__(self) -> str:
        return f"Factory({self.kind}/{self.type})"

    def default_config(self) -> dict:
        """The configuration of the component listed with no settings."""
        if self.schema is not None:
            return self.schema.default_value()
        return copy.deepcopy(dict(self._default_config())) if self._default_config else {}

    def resolve(self, raw: Any, path: str) -> tuple[dict, list[str]]:
        """Checks a raw config; returns (config with defaults filled in, errors naming ``path``)."""
        if self.schema is not None:
            return resolve(self.schema, raw, path)
        if raw is None:
            raw = {}
        if not isinstance(raw, Mapping):
            return {}, [f"{path}: expected a mapping, got {describe(raw)}"]
        try:
            config = deep_merge(self.default_config(), raw)
            messages = [str(m) for m in self._validate_config(config)]
        except Exception as exc:  # a broken validator must not crash validation: report it
            return dict(raw), [f"{path}: validation failed: {type(exc).__name__}: {exc}"]
        return config, [_prefix(path, m) for m in messages]

    def redact(self, config: dict) -> dict:
        """A copy for display with the secrets (exporter headers, ...) replaced."""
        return redact(self.schema, config) if self.schema is not None else copy.deepcopy(config)

    def claims(self, config: dict) -> list[Claim]:
        """Resources an instance with this config holds (see :class:`Claim`)."""
        return list(self._claims(config)) if self._claims is not None else []

    def check_host(self, config: dict, signals: Sequence[str], environ: Mapping[str, str]) -> list[HostProblem]:
        """Problems of a resolved config on this machine and environment (see ``check_host`` above)."""
        return list(self._check_host(config, signals, environ)) if self._check_host is not None else []

    def create(self, settings: CreateSettings, config: dict, next_consumer=None):
        """A new component; ``config`` is the resolved one (defaults filled in)."""
        return self._create(settings, config, next_consumer)


def _prefix(path: str, message: str) -> str:
    """Joins a component path and a validator's message: ``a.b`` + ``x.y: bad`` -> ``a.b.x.y: bad``."""
    head, sep, _ = message.partition(": ")
    if head.startswith(path):
        return message
    if sep and head and " " not in head:
        return f"{path}.{message}"
    return f"{path}: {message}"
