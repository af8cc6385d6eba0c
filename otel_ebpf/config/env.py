"""The environment variables the agent honours, as documented constants.

Names and meanings follow the OpenTelemetry specification ("Environment Variable
Specification" and "OTLP Exporter Configuration"), so a deployment that already sets
them for SDK-instrumented services configures the agent the same way.

Who reads what:
    * ``OTEL_EXPORTER_OTLP_*``: the OTLP exporter implementation, for every setting its
      YAML config leaves unset (``endpoint: null`` and so on).  With the embedded default
      config, an endpoint variable also adds an ``otlp`` exporter (see ``config/default.yaml``).
    * ``OTEL_SERVICE_NAME``, ``OTEL_RESOURCE_ATTRIBUTES``: the resource of the agent's *own*
      telemetry (observed services get their resource from the process they are).
    * ``OTEL_SDK_DISABLED=true``: as the spec says of an SDK, no telemetry at all: ``run``
      logs that and exits 0 without attaching anything.
    * ``OTEL_METRIC_EXPORT_INTERVAL`` / ``_TIMEOUT``: read by :func:`load_config` into
      ``Config.metric_export_interval_s`` / ``metric_export_timeout_s``.
    * ``OTEL_TRACES_SAMPLER(_ARG)``: the head sampler; a ``probabilistic_sampler`` processor in the
      traces pipeline applies on top of it (a span is exported when both keep it).
"""

from __future__ import annotations

from collections.abc import Mapping

# --- OTLP exporter (the generic form applies to every signal; a signal variant wins over it) ---
OTEL_EXPORTER_OTLP_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT"
"""Where OTLP goes: ``http://collector:4318`` (OTLP/HTTP, the default protocol; signal paths appended)
or ``http://collector:4317`` with ``OTEL_EXPORTER_OTLP_PROTOCOL=grpc``."""
OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
OTEL_EXPORTER_OTLP_METRICS_ENDPOINT = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"
OTEL_EXPORTER_OTLP_HEADERS = "OTEL_EXPORTER_OTLP_HEADERS"
"""``key1=value1,key2=value2`` (values URL-encoded) sent as gRPC metadata."""
OTEL_EXPORTER_OTLP_TRACES_HEADERS = "OTEL_EXPORTER_OTLP_TRACES_HEADERS"
OTEL_EXPORTER_OTLP_METRICS_HEADERS = "OTEL_EXPORTER_OTLP_METRICS_HEADERS"
OTEL_EXPORTER_OTLP_COMPRESSION = "OTEL_EXPORTER_OTLP_COMPRESSION"
"""``gzip`` or ``none``."""
OTEL_EXPORTER_OTLP_TRACES_COMPRESSION = "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION"
OTEL_EXPORTER_OTLP_METRICS_COMPRESSION = "OTEL_EXPORTER_OTLP_METRICS_COMPRESSION"
OTEL_EXPORTER_OTLP_TIMEOUT = "OTEL_EXPORTER_OTLP_TIMEOUT"
"""Per-export timeout in milliseconds (the spec's unit; the Python SDK read seconds up to 1.44)."""
OTEL_EXPORTER_OTLP_TRACES_TIMEOUT = "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT"
OTEL_EXPORTER_OTLP_METRICS_TIMEOUT = "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT"
OTEL_EXPORTER_OTLP_CERTIFICATE = "OTEL_EXPORTER_OTLP_CERTIFICATE"
"""CA bundle (PEM) to verify the server with."""
OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE = "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE"
OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE = "OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE"
OTEL_EXPORTER_OTLP_CLIENT_KEY = "OTEL_EXPORTER_OTLP_CLIENT_KEY"
"""Private key (PEM) for mTLS."""
OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY = "OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY"
OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY = "OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY"
OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE = "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"
"""Client certificate (PEM) for mTLS."""
OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE = "OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE"
OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE = "OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE"
OTEL_EXPORTER_OTLP_INSECURE = "OTEL_EXPORTER_OTLP_INSECURE"
"""``true``: plaintext gRPC when the endpoint has no scheme."""
OTEL_EXPORTER_OTLP_TRACES_INSECURE = "OTEL_EXPORTER_OTLP_TRACES_INSECURE"
OTEL_EXPORTER_OTLP_METRICS_INSECURE = "OTEL_EXPORTER_OTLP_METRICS_INSECURE"
OTEL_EXPORTER_OTLP_PROTOCOL = "OTEL_EXPORTER_OTLP_PROTOCOL"
"""``grpc``, ``http/protobuf`` (the default) or ``http/json``: which exporter the embedded default adds."""
OTEL_EXPORTER_OTLP_TRACES_PROTOCOL = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"
OTEL_EXPORTER_OTLP_METRICS_PROTOCOL = "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL"
DEFAULT_OTLP_PROTOCOL = "http/protobuf"

# --- the agent's own telemetry ---
OTEL_SERVICE_NAME = "OTEL_SERVICE_NAME"
"""service.name of the agent's self-telemetry resource (default ``otel-ebpf``)."""
OTEL_RESOURCE_ATTRIBUTES = "OTEL_RESOURCE_ATTRIBUTES"
"""``key1=value1,key2=value2`` added to the agent's self-telemetry resource."""
OTEL_SDK_DISABLED = "OTEL_SDK_DISABLED"
"""``true`` disables the agent's self-telemetry (not the capture)."""

# --- metrics and sampling ---
OTEL_METRIC_EXPORT_INTERVAL = "OTEL_METRIC_EXPORT_INTERVAL"
"""Milliseconds between metric exports (default 60000)."""
OTEL_METRIC_EXPORT_TIMEOUT = "OTEL_METRIC_EXPORT_TIMEOUT"
"""Milliseconds one metric export may take (default 30000)."""
OTEL_TRACES_SAMPLER = "OTEL_TRACES_SAMPLER"
"""``always_on``, ``always_off``, ``traceidratio``, ``parentbased_*``."""
OTEL_TRACES_SAMPLER_ARG = "OTEL_TRACES_SAMPLER_ARG"
"""The sampler's argument, e.g. the ratio ``0.25`` for ``traceidratio``."""

DEFAULT_METRIC_EXPORT_INTERVAL_MS = 60000
DEFAULT_METRIC_EXPORT_TIMEOUT_MS = 30000

SIGNALS_WITH_OTLP_VARIANTS = ("traces", "metrics")


def otlp_var(setting: str, signal: str | None = None) -> str:
    """Name of an OTLP variable: ``otlp_var("ENDPOINT", "traces")`` -> ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``."""
    if signal is None:
        return f"OTEL_EXPORTER_OTLP_{setting.upper()}"
    return f"OTEL_EXPORTER_OTLP_{signal.upper()}_{setting.upper()}"


def otlp_source(environ: Mapping[str, str], setting: str, signal: str | None = None) -> tuple[str, str] | None:
    """``(variable, value)`` of an OTLP setting for a signal: the signal variant wins over the
    generic one; empty values count as unset, as the specification asks."""
    names = [otlp_var(setting, signal), otlp_var(setting)] if signal else [otlp_var(setting)]
    for name in names:
        value = environ.get(name, "").strip()
        if value:
            return name, value
    return None


def otlp_setting(environ: Mapping[str, str], setting: str, signal: str | None = None) -> str | None:
    """The value of :func:`otlp_source`, or None."""
    found = otlp_source(environ, setting, signal)
    return found[1] if found else None


def read_millis(environ: Mapping[str, str], name: str, default_ms: int, warnings: list[str]) -> float:
    """A duration variable in milliseconds, returned in seconds.

    A malformed or non-positive value is ignored with a warning (the specification says
    to warn and fall back to the default rather than fail).
    """
    raw = environ.get(name, "").strip()
    if not raw:
        return default_ms / 1000
    try:
        millis = float(raw)
    except ValueError:
        millis = -1.0
    if not (0 < millis < float("inf")):
        warnings.append(f"{name}={raw!r} is not a positive number of milliseconds; using {default_ms}")
        return default_ms / 1000
    return millis / 1000


def read_bool(environ: Mapping[str, str], name: str, warnings: list[str]) -> bool:
    """A boolean variable: only ``true`` (any case) is true; values other than ``false`` warn."""
    raw = environ.get(name, "").strip().lower()
    if raw == "true":
        return True
    if raw not in ("", "false"):
        warnings.append(f"{name}={raw!r} is not 'true' or 'false'; using false")
    return False
