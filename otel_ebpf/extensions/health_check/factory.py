"""Factory of the ``health_check`` extension; the implementation is in :mod:`.extension`."""

from __future__ import annotations

from otel_ebpf.component import EXTENSIONS, Factory
from otel_ebpf.config.checks import check_host_port
from otel_ebpf.config.registry import port_claim
from otel_ebpf.config.schema import Section, Str


def _check_path(value: str) -> str | None:
    return None if value.startswith("/") else f"{value!r} must start with '/'"


# The Collector's names and defaults (its endpoint default is localhost:13133).
SCHEMA = Section(
    {
        "endpoint": Str("127.0.0.1:13133", check=check_host_port),
        "path": Str("/", check=_check_path),
    }
)


def _create(settings, config, next_consumer):
    from otel_ebpf.extensions.health_check.extension import HealthCheck

    return HealthCheck(settings, config)


factory = Factory(
    EXTENSIONS,
    "health_check",
    (),
    "200 while every pipeline runs, 503 otherwise (Kubernetes probes)",
    _create,
    schema=SCHEMA,
    claims=lambda config: port_claim(config["endpoint"]),
)
