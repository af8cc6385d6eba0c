"""What ``validate`` checks of both OTLP exporters beyond their schema (validation imports no runtime).

Their ``endpoint`` may come from ``OTEL_EXPORTER_OTLP_*ENDPOINT`` (the config leaves it unset), so
whether one is given at all depends on the environment: the Collector's exporters require it, and
so does this agent, rather than sending silently to localhost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from otel_ebpf.config.checks import HostProblem, readable_file_problem
from otel_ebpf.config.env import otlp_setting, otlp_source, otlp_var

# Where the exporters would send with no endpoint (the specification's defaults): now only named
# in the message of a missing endpoint, and used when a variable holds a malformed URL.
DEFAULT_GRPC_PORT = 4317
DEFAULT_HTTP_ENDPOINT = "http://localhost:4318"

_ENDPOINT_REQUIRED = (
    "required: no endpoint in the config and {variables} unset (the Collector's exporter requires one"
    " too; without, data would silently go to {default})"
)
# The tls settings and the OTEL_EXPORTER_OTLP_* variables that stand in for them.
TLS_VARIABLES = {"ca_file": "CERTIFICATE", "cert_file": "CLIENT_CERTIFICATE", "key_file": "CLIENT_KEY"}


def _missing_endpoint(signals: Sequence[str], environ: Mapping[str, str], default: str) -> list[HostProblem]:
    missing = [s for s in signals if otlp_setting(environ, "ENDPOINT", s) is None]
    if not missing:
        return []
    variables = f"{otlp_var('ENDPOINT')} (or {', '.join(otlp_var('ENDPOINT', s) for s in missing)})"
    return [HostProblem("endpoint", _ENDPOINT_REQUIRED.format(variables=variables, default=default))]


def _tls_files(config: Mapping[str, Any], signals: Sequence[str], environ: Mapping[str, str]) -> list[HostProblem]:
    """Every TLS file the exporter would read, from the config or the environment, is readable."""
    problems = []
    tls = config.get("tls") or {}
    for key, setting in TLS_VARIABLES.items():
        if tls.get(key):
            sources = [(f"tls.{key}", tls[key])]
        else:
            found = {otlp_source(environ, setting, s) for s in signals} - {None}
            sources = [(f"tls.{key} (from {variable})", path) for variable, path in sorted(found)]
        for where, path in sources:
            if (problem := readable_file_problem(path)) is not None:
                problems.append(HostProblem(where, problem))
    return problems


def check_grpc_host(config: Mapping[str, Any], signals: Sequence[str], environ: Mapping[str, str]) -> list[HostProblem]:
    """The ``otlp`` exporter: an endpoint from the config or the environment, and readable TLS files."""
    problems = [] if config.get("endpoint") else _missing_endpoint(signals, environ, f"localhost:{DEFAULT_GRPC_PORT}")
    return problems + _tls_files(config, signals, environ)


def check_http_host(config: Mapping[str, Any], signals: Sequence[str], environ: Mapping[str, str]) -> list[HostProblem]:
    """The ``otlp_http`` exporter: a URL per signal (``<signal>_endpoint``, ``endpoint`` or the
    environment), and readable TLS files."""
    unset = [s for s in signals if not config.get(f"{s}_endpoint")]
    problems = [] if config.get("endpoint") else _missing_endpoint(unset, environ, DEFAULT_HTTP_ENDPOINT)
    return problems + _tls_files(config, signals, environ)
