"""The registry of component types: per kind and type, the signals, default config and validation.

Mirrors the Collector's factories (a type name, ``default_config()``, the signals it
supports), minus the constructors: the agent builds components from the resolved
:class:`~otel_ebpf.config.resolved.Config`.  A type is validated either by a declarative
schema (:mod:`otel_ebpf.config.schema`) or by a module that owns its configuration and
exposes ``default_config() -> dict`` and ``validate_config(config) -> list[str]``.
"""

from __future__ import annotations

import copy
import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from otel_ebpf.config.schema import (
    Bool,
    Duration,
    Int,
    List,
    Map,
    Number,
    Section,
    Str,
    describe,
    redact,
    resolve,
)
from otel_ebpf.processors.cause_attribution.config import CAUSE_ATTRIBUTION_SCHEMA
from otel_ebpf.processors.health_score.config import HEALTH_SCORE_SCHEMA
from otel_ebpf.processors.slo.config import SLO_SCHEMA
from otel_ebpf.receivers.tcp.config import TCP_FLOWS_SCHEMA

KINDS = ("receivers", "processors", "exporters", "extensions")
SIGNALS = ("traces", "metrics", "logs")

# type[/name]: the type is an identifier; the name is anything non-empty after the first "/".
_ID = re.compile(r"([A-Za-z][A-Za-z0-9_]*)(?:/(\S+))?\Z")
_HOST_PORT = re.compile(r"(?:\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]]*):(\d{1,5})\Z")
_URL = re.compile(r"(https?)://(?:\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]]+)(?::(\d{1,5}))?/?\Z")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
COMM_LEN = 15  # TASK_COMM_LEN - 1: /proc/PID/comm holds at most 15 characters


def split_id(component_id: str) -> tuple[str, str | None] | None:
    """``"otlp/backend"`` -> ``("otlp", "backend")``; None when the id is malformed."""
    match = _ID.match(component_id) if isinstance(component_id, str) else None
    return (match.group(1), match.group(2)) if match else None


# --- value checks shared by the schemas below: each returns an error message or None ---


def _port_ok(port: str | None) -> bool:
    return port is None or 1 <= int(port) <= 65535


def check_host_port(value: str) -> str | None:
    """A listen or connect address ``host:port`` (host may be empty or a bracketed IPv6)."""
    match = _HOST_PORT.match(value)
    if not match or not _port_ok(match.group(1)):
        return f"{value!r} is not host:port (e.g. 0.0.0.0:4317)"
    return None


def check_endpoint(value: str) -> str | None:
    """An OTLP/gRPC target: ``host:port`` or ``http(s)://host[:port]``."""
    if "://" in value:
        match = _URL.match(value)
        if not match or not _port_ok(match.group(2)):
            return f"{value!r} is not an endpoint (expected host:port or http(s)://host[:port])"
        return None
    if check_host_port(value):
        return f"{value!r} is not an endpoint (expected host:port or http(s)://host[:port])"
    return None


def _check_power_of_two(value: int) -> str | None:
    if value & (value - 1):
        return f"must be a power of two (e.g. {1 << (value.bit_length() - 1)} or {1 << value.bit_length()})"
    return None


def _check_comm(value: str) -> str | None:
    if "/" in value:
        return f"{value!r} is a path; give the process name as in /proc/PID/comm (e.g. {value.rsplit('/', 1)[-1]!r})"
    if len(value) > COMM_LEN:
        return (
            f"{value!r} has {len(value)} characters; process names in /proc/PID/comm have at most {COMM_LEN}"
            f" (use {value[:COMM_LEN]!r})"
        )
    if not value:
        return "must not be empty"
    return None


def _check_header_name(value: str) -> str | None:
    return None if _HEADER_NAME.match(value) else f"{value!r} is not an HTTP header name"


def _check_route(value: str) -> str | None:
    return None if value.startswith("/") else f"{value!r} must start with '/' (e.g. /users/{{id}})"


def _check_not_empty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


# --- schemas ---

EBPF_SCHEMA = Section(
    {
        # Bytes of each read/write shipped from the kernel: enough for the request line and headers.
        "capture_bytes": Int(1024, min=64, max=16384),
        # The kernel's ring buffer in bytes: bpf ring buffers are a power-of-two number of pages.
        "ring_buffer_size": Int(8 * 1024 * 1024, min=4096 * 8, max=1 << 30, check=_check_power_of_two),
        "max_connections": Int(65536, min=1, max=1 << 24),
        # 50ms: batches big enough to amortise a cycle; measured 20% less agent CPU than 10ms at 4.5k req/s.
        "drain_interval": Duration("50ms", min=0.001, max=1.0),
        # CPU the capture thread may use, in cores (0 = no limit). Past it, the thread drains less
        # often: the kernel drops what no longer fits in the ring buffer and counts it
        # (otel_ebpf.ebpf.dropped{reason=ringbuf_full}), so an overloaded agent never takes the
        # workload's CPU and never loses data silently.
        "max_cpu": Number(0, min=0, max=64),
        # Pieces of CAPTURE_BYTES shipped for one large read (pipelined requests, big headers).
        "read_chunks": Int(4, min=1, max=16),
        "filter": {
            "pids": List(Int(min=1)),
            "executables": List(Str(check=_check_comm)),
            "ports": List(Int(min=1, max=65535)),
        },
        "http": {
            "routes": {
                "patterns": List(Str(check=_check_route)),
                "heuristic": Bool(True),
                "max_per_service": Int(1000, min=1),
            },
            # Names are lower-cased here once, so the hot path compares with the parser's lower-case names.
            "capture_headers": {
                "request": List(Str(normalize=str.lower, check=_check_header_name)),
                "response": List(Str(normalize=str.lower, check=_check_header_name)),
            },
            "capture_body": Bool(False),
            # Query parameters redacted in url.full / url.query, on top of the built-in list.
            "sensitive_query_params": List(Str(check=_check_not_empty)),
        },
    }
)


def _check_sources(value: str) -> str | None:
    return None if value in ("spans", "metrics") else f"{value!r} is not spans or metrics"


OTLP_RECEIVER_SCHEMA = Section(
    {
        "protocols": {
            "grpc": {
                "endpoint": Str("0.0.0.0:4317", check=check_host_port),
                # The Collector's default; larger requests are refused by gRPC (RESOURCE_EXHAUSTED).
                "max_recv_msg_size_mib": Number(4, min=0.001, max=1024),
                # HTTP/2 streams per connection; 0 keeps gRPC's default.
                "max_concurrent_streams": Int(0, min=0),
            }
        },
        # Where the processors (health_score, slo) see requests: server spans and/or the senders'
        # http.server.request.duration histograms. One per sender, or requests count twice.
        "http_requests_from": List(Str(check=_check_sources), default=["spans"]),
    }
)


def _check_batch(config: dict) -> list[tuple[str, str]]:
    maximum, size = config["send_batch_max_size"], config["send_batch_size"]
    if maximum and maximum < size:
        return [("send_batch_max_size", f"must be 0 (no limit) or at least send_batch_size ({size})")]
    return []


BATCH_SCHEMA = Section(
    {
        "send_batch_size": Int(8192, min=1),
        "timeout": Duration("200ms"),
        "send_batch_max_size": Int(0, min=0),
    },
    check=_check_batch,
)

SAMPLER_SCHEMA = Section({"sampling_percentage": Number(100, min=0, max=100)})


def _check_tls(config: dict) -> list[tuple[str, str]]:
    if bool(config["cert_file"]) != bool(config["key_file"]):
        missing = "key_file" if config["cert_file"] else "cert_file"
        return [(missing, "cert_file and key_file go together (client certificate for mTLS)")]
    return []


def _check_retry(config: dict) -> list[tuple[str, str]]:
    if config["initial_interval"] > config["max_interval"]:
        return [("initial_interval", "must not exceed max_interval")]
    return []


OTLP_EXPORTER_SCHEMA = Section(
    {
        # None: the exporter reads OTEL_EXPORTER_OTLP_(TRACES_|METRICS_)ENDPOINT, then localhost:4317.
        "endpoint": Str(None, check=check_endpoint),
        "tls": Section(
            {
                # None here and below: not set in the file, so OTEL_EXPORTER_OTLP_* or the default applies.
                "insecure": Bool(None),
                "ca_file": Str(None),
                "cert_file": Str(None),
                "key_file": Str(None),
                "insecure_skip_verify": Bool(False),
            },
            check=_check_tls,
        ),
        # Often carries credentials (authorization, api keys): redacted by print-config.
        "headers": Map(Str(), secret=True),
        "compression": Str(None, choices=("gzip", "none")),  # default gzip
        "timeout": Duration(None, min=0.001),  # default 5s
        "sending_queue": {
            "enabled": Bool(True),
            "queue_size": Int(1000, min=1),
            "num_consumers": Int(1, min=1, max=64),
        },
        "retry_on_failure": Section(
            {
                "enabled": Bool(True),
                "initial_interval": Duration("5s", min=0.001),
                "max_interval": Duration("30s", min=0.001),
                # 0 retries forever, as in the Collector.
                "max_elapsed_time": Duration("300s"),
                "multiplier": Number(1.5, min=1),
                "randomization_factor": Number(0.5, min=0, max=1),
            },
            check=_check_retry,
        ),
    }
)

FILE_EXPORTER_SCHEMA = Section({"path": Str(required=True, doc="the file to append OTLP JSON lines to")})

DEBUG_EXPORTER_SCHEMA = Section({"verbosity": Str("normal", choices=("basic", "normal", "detailed"))})


@dataclass(frozen=True)
class ComponentType:
    """One component type of one kind.

    Attributes:
        kind: receivers, processors, exporters or extensions.
        type: The type name used in ids (``otlp`` in ``otlp/backend``).
        signals: The pipelines (traces, metrics, logs) it can be part of.
        description: One line for ``otel-ebpf components``.
        schema: Declarative schema, or None when ``module`` owns the configuration.
        module: Module providing ``default_config()`` and ``validate_config(config)``; imported lazily.
    """

    kind: str
    type: str
    signals: tuple[str, ...]
    description: str
    schema: Section | None = None
    module: str | None = None

    def default_config(self) -> dict:
        """The configuration used when the component is listed with no settings."""
        if self.schema is not None:
            return self.schema.default_value()
        default_config, _ = _hooks(_import_optional(self.module))
        return copy.deepcopy(dict(default_config())) if default_config is not None else {}

    def resolve(self, raw: Any, path: str) -> tuple[dict, list[str]]:
        """Checks a component's raw config; returns (config with defaults, errors naming ``path``)."""
        if self.schema is not None:
            return resolve(self.schema, raw, path)
        return self._resolve_external(raw, path)

    def redact(self, config: dict) -> dict:
        """A copy for display with secrets (e.g. exporter headers) replaced."""
        return redact(self.schema, config) if self.schema is not None else copy.deepcopy(config)

    def _resolve_external(self, raw: Any, path: str) -> tuple[dict, list[str]]:
        if raw is None:
            raw = {}
        if not isinstance(raw, Mapping):
            return {}, [f"{path}: expected a mapping, got {describe(raw)}"]
        try:
            module = _import_optional(self.module)
        except Exception as exc:  # a broken module must not crash validation: report it
            return dict(raw), [f"{path}: cannot load {self.module} to validate this component: {exc}"]
        default_config, validate_config = _hooks(module)
        if validate_config is None:
            # The implementing module is not there (yet): accept any mapping; the agent reports it at start.
            return copy.deepcopy(dict(raw)), []
        try:
            config = deep_merge(default_config() if default_config is not None else {}, raw)
            messages = list(validate_config(config))
        except Exception as exc:
            return dict(raw), [f"{path}: validation failed: {type(exc).__name__}: {exc}"]
        return config, [_prefix(path, str(m)) for m in messages]


def _prefix(path: str, message: str) -> str:
    """Joins a component path and a message from its validator: ``a.b`` + ``x.y: bad`` -> ``a.b.x.y: bad``."""
    head, sep, _ = message.partition(": ")
    if sep and head and " " not in head and not head.startswith(path):
        return f"{path}.{message}"
    if head.startswith(path):
        return message
    return f"{path}: {message}"


def _hooks(module) -> tuple:
    """(default_config, validate_config) of a component module; None for a missing one.

    A package still being written (e.g. without its ``__init__``) imports as an empty
    namespace: it then counts as absent rather than breaking every configuration.
    """
    if module is None:
        return None, None
    default_config = getattr(module, "default_config", None)
    validate_config = getattr(module, "validate_config", None)
    return (default_config if callable(default_config) else None), (
        validate_config if callable(validate_config) else None
    )


def _import_optional(module_name: str | None):
    """The module, or None when it (not one of its own imports) does not exist."""
    if module_name is None:
        return None
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            return None
        raise


def deep_merge(base: Any, override: Any) -> Any:
    """Merges ``override`` into a copy of ``base`` like the Collector merges config files.

    Mappings merge key by key, recursively; anything else (lists included) is replaced.
    """
    if isinstance(base, Mapping) and isinstance(override, Mapping):
        merged = {k: copy.deepcopy(v) for k, v in base.items()}
        for key, value in override.items():
            merged[key] = deep_merge(merged[key], value) if key in merged else copy.deepcopy(value)
        return merged
    return copy.deepcopy(override)


_TRACES_METRICS = ("traces", "metrics")

REGISTRY: dict[str, dict[str, ComponentType]] = {kind: {} for kind in KINDS}


def register(component: ComponentType) -> None:
    """Adds a component type (last registration of a kind/type wins)."""
    REGISTRY[component.kind][component.type] = component


for _component in (
    ComponentType("receivers", "ebpf", _TRACES_METRICS, "HTTP/1.x of unmodified processes, via eBPF", EBPF_SCHEMA),
    ComponentType(
        "receivers", "otlp", _TRACES_METRICS, "OTLP/gRPC from any sender (sidecar mode)", OTLP_RECEIVER_SCHEMA
    ),
    ComponentType(
        "receivers",
        "tcp_flows",
        ("metrics",),
        "TCP flow metrics (connects, closes, bytes, retransmits, resets, RTT) via tracepoints",
        TCP_FLOWS_SCHEMA,
    ),
    ComponentType("processors", "batch", SIGNALS, "groups items into batches by size or time", BATCH_SCHEMA),
    ComponentType(
        "processors", "probabilistic_sampler", ("traces", "logs"), "keeps a percentage of traces", SAMPLER_SCHEMA
    ),
    ComponentType(
        "processors",
        "semantic_errors",
        _TRACES_METRICS,
        "classifies the errors of HTTP exchanges into error.type",
        module="otel_ebpf.processors.semantic_errors",
    ),
    ComponentType(
        "processors",
        "health_score",
        _TRACES_METRICS,
        "per-endpoint health score 0-100, penalties and state",
        HEALTH_SCORE_SCHEMA,
    ),
    ComponentType(
        "processors", "slo", _TRACES_METRICS, "SLO error budgets, burn rates, alerts and exemplars", SLO_SCHEMA
    ),
    ComponentType(
        "processors",
        "cause_attribution",
        _TRACES_METRICS,
        "network vs application verdict for degraded endpoints (with tcp_flows evidence)",
        CAUSE_ATTRIBUTION_SCHEMA,
    ),
    ComponentType("exporters", "otlp", SIGNALS, "OTLP/gRPC to a Collector or backend", OTLP_EXPORTER_SCHEMA),
    ComponentType("exporters", "otlp_grpc", SIGNALS, "same as otlp (the Collector's newer name)", OTLP_EXPORTER_SCHEMA),
    ComponentType("exporters", "file", SIGNALS, "OTLP JSON lines appended to a file", FILE_EXPORTER_SCHEMA),
    ComponentType("exporters", "debug", SIGNALS, "prints telemetry to the console", DEBUG_EXPORTER_SCHEMA),
    ComponentType("exporters", "nop", SIGNALS, "discards everything (counted)", Section({})),
):
    register(_component)


def get(kind: str, type_name: str) -> ComponentType | None:
    """The registered type, or None."""
    return REGISTRY.get(kind, {}).get(type_name)


def known_types(kind: str) -> list[str]:
    """Sorted type names of a kind."""
    return sorted(REGISTRY.get(kind, {}))
