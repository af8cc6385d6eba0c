"""OTLP/gRPC exporter with a bounded sending queue, retry and backoff (the Collector's `otlp`).

Settings come from three places, strongest first: the config file, the
``OTEL_EXPORTER_OTLP_*`` environment variables (a ``_TRACES_`` / ``_METRICS_``
variant beats the generic one), and the defaults.  Each signal resolves its own
settings, so traces and metrics may go to different endpoints; they share a
channel when they go to the same place.

Only transient gRPC errors are retried (the Collector's list); everything else is
dropped and counted at once.  A server's RetryInfo delay is honoured.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import grpc
from google.rpc import error_details_pb2, status_pb2
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2_grpc import MetricsServiceStub
from opentelemetry.proto.collector.trace.v1.trace_service_pb2_grpc import TraceServiceStub

from otel_ebpf import __version__
from otel_ebpf.exporters.base import (
    METRICS,
    SIGNAL_NAMES,
    TRACES,
    Batch,
    ExportError,
    QueuedExporter,
    parse_duration,
)

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "localhost:4317"
DEFAULT_PORT = 4317
DEFAULT_TIMEOUT_S = 5.0
USER_AGENT = f"otel-ebpf/{__version__}"

# The Collector's otlpexporter retries these; RESOURCE_EXHAUSTED only when the
# server says when to come back (RetryInfo), otherwise it is a hard quota.
RETRYABLE_CODES = frozenset(
    {
        grpc.StatusCode.CANCELLED,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.ABORTED,
        grpc.StatusCode.OUT_OF_RANGE,
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DATA_LOSS,
    }
)
_STATUS_DETAILS_KEY = "grpc-status-details-bin"  # a google.rpc.Status, the standard place for RetryInfo
_RETRY_INFO_KEY = "google.rpc.retryinfo-bin"  # a bare RetryInfo, as some servers send it

_COMPRESSION = {"gzip": grpc.Compression.Gzip, "none": grpc.Compression.NoCompression, "": None}


@dataclass(frozen=True)
class RetrySettings:
    """`retry_on_failure`, with the Collector's defaults."""

    enabled: bool = True
    initial_interval: float = 5.0
    max_interval: float = 30.0
    max_elapsed_time: float = 300.0  # 0 = retry until shutdown
    multiplier: float = 1.5
    randomization_factor: float = 0.5

    @classmethod
    def from_config(cls, cfg: Mapping[str, Any] | None) -> RetrySettings:
        cfg = cfg or {}
        d = cls()
        s = cls(
            enabled=bool(cfg.get("enabled", d.enabled)),
            initial_interval=parse_duration(cfg.get("initial_interval", d.initial_interval), "initial_interval"),
            max_interval=parse_duration(cfg.get("max_interval", d.max_interval), "max_interval"),
            max_elapsed_time=parse_duration(cfg.get("max_elapsed_time", d.max_elapsed_time), "max_elapsed_time"),
            multiplier=float(cfg.get("multiplier", d.multiplier)),
            randomization_factor=float(cfg.get("randomization_factor", d.randomization_factor)),
        )
        if s.multiplier < 1.0:
            raise ValueError(f"retry_on_failure.multiplier must be >= 1, got {s.multiplier}")
        if not 0.0 <= s.randomization_factor <= 1.0:
            raise ValueError(f"retry_on_failure.randomization_factor must be in [0, 1], got {s.randomization_factor}")
        return s


class Backoff:
    """Exponential backoff with jitter for one request (cenkalti/backoff, as in the Collector).

    Each delay is the current interval randomised by ±`randomization_factor`; the
    interval grows by `multiplier` up to `max_interval`.
    """

    __slots__ = ("_settings", "_interval", "_random")

    def __init__(self, settings: RetrySettings, rng: random.Random | None = None):
        self._settings = settings
        self._interval = settings.initial_interval
        self._random = rng or random

    def next_delay(self) -> float:
        s = self._settings
        delta = s.randomization_factor * self._interval
        delay = self._interval - delta + self._random.random() * 2 * delta
        self._interval = min(self._interval * s.multiplier, s.max_interval)
        return delay


@dataclass(frozen=True)
class OtlpSettings:
    """Connection settings of one signal, resolved from config, environment and defaults."""

    target: str  # what grpc dials: host:port (no scheme, no path)
    insecure: bool
    ca_file: str | None = None
    cert_file: str | None = None
    key_file: str | None = None
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # may hold credentials
    compression: str = "gzip"  # "gzip" or "none"
    timeout: float = DEFAULT_TIMEOUT_S
    warnings: tuple[str, ...] = field(default=(), compare=False)


def parse_endpoint(endpoint: str) -> tuple[str, bool | None]:
    """Splits an OTLP endpoint into a gRPC target and what its scheme says about TLS.

    ``http://host:port`` means insecure, ``https://host:port`` means TLS, a bare
    ``host:port`` says nothing (None).  A path is ignored (gRPC has none), and a
    missing port becomes 4317.  ``unix:``/``dns:`` targets pass through.
    """
    text = endpoint.strip()
    lower = text.lower()
    insecure: bool | None = None
    if lower.startswith("http://"):
        text, insecure = text[7:], True
    elif lower.startswith("https://"):
        text, insecure = text[8:], False
    elif lower.startswith(("unix:", "unix-abstract:", "dns:", "ipv4:", "ipv6:", "vsock:")):
        return text, None
    host = text.split("/", 1)[0]
    if not host:
        raise ValueError(f"endpoint: no host in {endpoint!r}")
    has_port = ("]:" in host) if host.startswith("[") else (":" in host)
    if not has_port:
        host = f"{host}:{DEFAULT_PORT}"
    return host, insecure


def parse_headers(text: str) -> dict[str, str]:
    """Parses ``OTEL_EXPORTER_OTLP_HEADERS``: ``k=v,k2=v2``, URL-encoded; bad entries are skipped."""
    headers: dict[str, str] = {}
    for entry in text.split(","):
        key, sep, value = entry.partition("=")
        key = unquote(key).strip().lower()
        if not sep or not key:
            continue
        headers[key] = unquote(value).strip()
    return headers


def _env(environ: Mapping[str, str], signal: int, suffix: str) -> str | None:
    """The signal-specific variable if set, else the generic one."""
    specific = environ.get(f"OTEL_EXPORTER_OTLP_{SIGNAL_NAMES[signal].upper()}_{suffix}")
    if specific is not None and specific.strip() != "":
        return specific.strip()
    generic = environ.get(f"OTEL_EXPORTER_OTLP_{suffix}")
    if generic is not None and generic.strip() != "":
        return generic.strip()
    return None


def resolve_settings(config: Mapping[str, Any], signal: int, environ: Mapping[str, str] | None = None) -> OtlpSettings:
    """Resolves one signal's connection settings: config beats environment beats defaults.

    Args:
        config: the exporter's config dict.
        signal: TRACES or METRICS (selects the ``_TRACES_``/``_METRICS_`` variables).
        environ: the environment (``os.environ`` by default).

    Raises:
        ValueError: a config value is invalid (bad environment values are warned about and ignored).

    A key that is absent or None counts as unset, so that a config loader which fills
    in every key must use None (not the default) for the environment to apply.
    """
    environ = os.environ if environ is None else environ
    warnings: list[str] = []
    tls = config.get("tls") or {}

    endpoint = config.get("endpoint") or _env(environ, signal, "ENDPOINT") or DEFAULT_ENDPOINT
    target, scheme_insecure = parse_endpoint(str(endpoint))

    if scheme_insecure is not None:
        insecure = scheme_insecure  # the scheme is explicit: it wins, as in the Collector
    elif tls.get("insecure") is not None:
        insecure = bool(tls["insecure"])
    elif (env_insecure := _env(environ, signal, "INSECURE")) is not None:
        insecure = env_insecure.lower() == "true"
    else:
        insecure = False

    ca_file = tls.get("ca_file") or _env(environ, signal, "CERTIFICATE")
    cert_file = tls.get("cert_file") or _env(environ, signal, "CLIENT_CERTIFICATE")
    key_file = tls.get("key_file") or _env(environ, signal, "CLIENT_KEY")
    if bool(cert_file) != bool(key_file):
        raise ValueError("tls: cert_file and key_file must be given together")
    if tls.get("insecure_skip_verify"):
        warnings.append("tls.insecure_skip_verify is not supported by gRPC Python and is ignored")

    headers: dict[str, str] = {}
    if (env_headers := _env(environ, signal, "HEADERS")) is not None:
        headers.update(parse_headers(env_headers))
    for key, value in (config.get("headers") or {}).items():
        headers[str(key).strip().lower()] = str(value)

    if config.get("compression") is not None:
        compression = str(config["compression"]).lower()
        if compression not in _COMPRESSION:
            raise ValueError(f"compression: expected gzip or none, got {config['compression']!r}")
    else:
        compression = (_env(environ, signal, "COMPRESSION") or "gzip").lower()
        if compression not in _COMPRESSION:
            warnings.append(f"OTEL_EXPORTER_OTLP_COMPRESSION={compression!r} is not gzip or none; using gzip")
            compression = "gzip"
    compression = compression or "none"

    if config.get("timeout") is not None:
        timeout = parse_duration(config["timeout"], "timeout")
    elif (env_timeout := _env(environ, signal, "TIMEOUT")) is not None:
        try:
            timeout = float(env_timeout) / 1000.0  # milliseconds, per the specification
        except ValueError:
            warnings.append(f"OTEL_EXPORTER_OTLP_TIMEOUT={env_timeout!r} is not milliseconds; using 5s")
            timeout = DEFAULT_TIMEOUT_S
    else:
        timeout = DEFAULT_TIMEOUT_S
    if timeout <= 0:
        raise ValueError("timeout must be positive")

    return OtlpSettings(
        target=target,
        insecure=insecure,
        ca_file=ca_file,
        cert_file=cert_file,
        key_file=key_file,
        headers=tuple(sorted(headers.items())),
        compression=compression,
        timeout=timeout,
        warnings=tuple(warnings),
    )


def retry_delay_from(error: grpc.RpcError) -> float | None:
    """The delay a server asked for in a RetryInfo detail, in seconds, or None."""
    try:
        metadata = error.trailing_metadata() or ()
    except Exception:
        return None
    for key, value in metadata:
        try:
            if key == _STATUS_DETAILS_KEY:
                status = status_pb2.Status.FromString(value)
                for detail in status.details:
                    if detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
                        info = error_details_pb2.RetryInfo()
                        detail.Unpack(info)
                        return info.retry_delay.seconds + info.retry_delay.nanos / 1e9
            elif key == _RETRY_INFO_KEY:
                info = error_details_pb2.RetryInfo.FromString(value)
                return info.retry_delay.seconds + info.retry_delay.nanos / 1e9
        except Exception:  # a malformed detail is the server's problem: treat as absent
            continue
    return None


def _read(path: str | None, what: str) -> bytes | None:
    if not path:
        return None
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        raise ValueError(f"tls.{what}: cannot read {path!r}: {exc.strerror}") from None


class _Target:
    """One signal's destination: the stub method and the per-call arguments."""

    __slots__ = ("settings", "call", "metadata", "compression")

    def __init__(self, settings: OtlpSettings, call, compression):
        self.settings = settings
        self.call = call
        self.metadata = settings.headers or None
        self.compression = compression


class OtlpGrpcExporter(QueuedExporter):
    """Sends OTLP requests over gRPC from worker threads, retrying transient failures.

    Args:
        name: the exporter id, for logs.
        config: the ``otlp`` exporter config (see module docstring for keys).
        environ: environment to read ``OTEL_EXPORTER_OTLP_*`` from (``os.environ`` by default).
    """

    def __init__(self, name: str, config: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None):
        config = dict(config or {})
        super().__init__(name, config)
        self._retry = RetrySettings.from_config(config.get("retry_on_failure"))
        self._settings = (resolve_settings(config, TRACES, environ), resolve_settings(config, METRICS, environ))
        self._credentials = {}
        for s in self._settings:
            for w in s.warnings:
                log.warning("exporter %s: %s", name, w)
            if not s.insecure:
                key = (s.ca_file, s.cert_file, s.key_file)
                if key not in self._credentials:
                    self._credentials[key] = grpc.ssl_channel_credentials(
                        root_certificates=_read(s.ca_file, "ca_file"),
                        private_key=_read(s.key_file, "key_file"),
                        certificate_chain=_read(s.cert_file, "cert_file"),
                    )
        self._channels: dict[tuple, grpc.Channel] = {}
        self._targets: tuple[_Target, ...] = ()
        self._channel_lock = threading.Lock()

    @property
    def settings(self) -> tuple[OtlpSettings, OtlpSettings]:
        """The resolved (traces, metrics) settings."""
        return self._settings

    def _channel_options(self) -> list[tuple[str, Any]]:
        # gRPC's own reconnect backoff grows to 120 s by default: a channel that saw the
        # backend down would then fail fast long after the backend is back.  Keep it in
        # step with our retry intervals so a retry finds a freshly reconnected channel.
        r = self._retry
        initial_ms = int(min(max(r.initial_interval, 0.1), 1.0) * 1000)
        max_ms = int(max(r.max_interval, 0.1) * 1000)
        return [
            ("grpc.primary_user_agent", USER_AGENT),
            ("grpc.initial_reconnect_backoff_ms", initial_ms),
            ("grpc.min_reconnect_backoff_ms", min(initial_ms, 1000)),
            ("grpc.max_reconnect_backoff_ms", max(max_ms, initial_ms)),
        ]

    def _open(self) -> None:
        targets = []
        with self._channel_lock:
            for signal, s in enumerate(self._settings):
                key = (s.target, s.insecure, s.ca_file, s.cert_file, s.key_file)
                channel = self._channels.get(key)
                if channel is None:
                    options = self._channel_options()
                    if s.insecure:
                        channel = grpc.insecure_channel(s.target, options=options)
                    else:
                        creds = self._credentials[(s.ca_file, s.cert_file, s.key_file)]
                        channel = grpc.secure_channel(s.target, creds, options=options)
                    self._channels[key] = channel
                stub = TraceServiceStub(channel) if signal == TRACES else MetricsServiceStub(channel)
                targets.append(_Target(s, stub.Export, _COMPRESSION[s.compression]))
            self._targets = tuple(targets)
        for signal, s in enumerate(self._settings):
            # Not the settings object itself: its headers may carry credentials.
            log.debug(
                "exporter %s: %s to %s (%s, compression %s)",
                self.name,
                SIGNAL_NAMES[signal],
                s.target,
                "insecure" if s.insecure else "TLS",
                s.compression,
            )

    def _close(self) -> None:
        with self._channel_lock:
            channels, self._channels = list(self._channels.values()), {}
        for channel in channels:
            channel.close()  # also cancels an RPC still in flight past the deadline

    def _deliver(self, batch: Batch) -> int:
        target = self._targets[batch.signal]
        retry = self._retry
        backoff: Backoff | None = None
        first_attempt = time.monotonic()
        while True:
            timeout = target.settings.timeout
            deadline = self.shutdown_deadline
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ExportError("shutdown deadline reached")
                timeout = min(timeout, remaining)
            try:
                response = target.call(
                    batch.request, timeout=timeout, metadata=target.metadata, compression=target.compression
                )
            except grpc.RpcError as err:
                code = err.code() if hasattr(err, "code") else grpc.StatusCode.UNKNOWN
                details = err.details() if hasattr(err, "details") else str(err)
                server_delay = retry_delay_from(err)
                retryable = code in RETRYABLE_CODES or (
                    code is grpc.StatusCode.RESOURCE_EXHAUSTED and server_delay is not None
                )
                if not retryable:
                    raise ExportError(f"permanent error {code.name}: {details}") from None
                if not retry.enabled:
                    raise ExportError(f"{code.name} (retry disabled): {details}") from None
                if backoff is None:
                    backoff = Backoff(retry)
                delay = backoff.next_delay()
                if server_delay is not None:
                    delay = max(delay, server_delay)
                elapsed = time.monotonic() - first_attempt
                if retry.max_elapsed_time > 0 and elapsed + delay > retry.max_elapsed_time:
                    raise ExportError(f"{code.name}, no more retries after {elapsed:.1f}s: {details}") from None
                log.debug("exporter %s: %s, retrying in %.2fs: %s", self.name, code.name, delay, details)
                self._wait_before_retry(delay, code)
                self._count_retry()
                continue
            except ValueError as exc:  # "Cannot invoke RPC on closed channel": shutdown closed it
                if self.stopping.is_set():
                    raise ExportError("exporter shut down") from None
                raise ExportError(str(exc)) from None
            return self._rejected(batch.signal, response)

    def _wait_before_retry(self, delay: float, code: grpc.StatusCode) -> None:
        """Sleeps `delay`, or gives up (ExportError) if shutdown's deadline comes first."""
        wake_at = time.monotonic() + delay
        while (remaining := wake_at - time.monotonic()) > 0:
            deadline = self.shutdown_deadline
            if deadline is not None:
                if wake_at > deadline:
                    raise ExportError(f"{code.name}, shutting down before the next retry")
                time.sleep(remaining)
                return
            self.stopping.wait(remaining)  # returns early when shutdown starts, to re-check

    def _rejected(self, signal: int, response) -> int:
        try:
            partial = response.partial_success
            rejected = partial.rejected_spans if signal == TRACES else partial.rejected_data_points
            message = partial.error_message
        except AttributeError:
            return 0
        if rejected or message:
            self._warn(
                "partial_success",
                logging.WARNING,
                "exporter %s: the receiver rejected %d %s: %s",
                self.name,
                rejected,
                "spans" if signal == TRACES else "data points",
                message or "(no message)",
            )
        return rejected
