"""OTLP/gRPC exporter with a bounded sending queue, retry and backoff (the Collector's ``otlp``).

Where to send comes from the config file, then the ``OTEL_EXPORTER_OTLP_*`` variables,
then the defaults (:mod:`otel_ebpf.exporters.helper.otlp_settings`).  Traces and metrics
share a channel when they go to the same place.

Only transient gRPC errors are retried (the Collector's list); everything else is
dropped and counted at once.  A server's RetryInfo delay is honoured.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

import grpc
from google.rpc import error_details_pb2, status_pb2
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceResponse
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse

from otel_ebpf.component import CreateSettings
from otel_ebpf.exporters.helper.otlp_settings import (
    USER_AGENT,
    OtlpDestinations,
    SignalSettings,
    read_pem,
    resolve_grpc,
)
from otel_ebpf.exporters.helper.queued import (
    METRICS,
    SIGNAL_NAMES,
    TRACES,
    Batch,
    ExportError,
    QueuedExporter,
    RetryableError,
)
from otel_ebpf.exporters.helper.retry import RetrySettings

log = logging.getLogger(__name__)


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

_COMPRESSION = {"gzip": grpc.Compression.Gzip, "none": grpc.Compression.NoCompression}

# The OTLP services' Export methods, called with the request's bytes (no request_serializer: gRPC
# sends bytes as they are) instead of the generated stubs, which would serialize a message again.
_METHODS = (
    ("/opentelemetry.proto.collector.trace.v1.TraceService/Export", ExportTraceServiceResponse.FromString),
    ("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", ExportMetricsServiceResponse.FromString),
)

# The longest a channel waits between two attempts to reconnect to a backend that is down
# (gRPC's own default grows to 120 s).  An attempt is one TCP connect: cheap, and it bounds
# how long after the backend's return the channel is READY again (then the retry loop, which
# watches the channel's state, sends at once).
MAX_RECONNECT_BACKOFF_MS = 2000


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


class _Target:
    """One signal's destination: the stub method and the per-call arguments."""

    __slots__ = ("settings", "call", "metadata", "compression", "state")

    def __init__(self, settings: SignalSettings, call, compression, state: _ChannelState):
        self.settings = settings
        self.call = call
        self.metadata = settings.headers or None
        self.compression = compression
        self.state = state


class _ChannelState:
    """A channel's connectivity as gRPC reports it; ``ready()`` is the reconnect probe of a
    retry after UNAVAILABLE (see :class:`~otel_ebpf.exporters.helper.queued.RetryableError`)."""

    def __init__(self, channel: grpc.Channel) -> None:
        self.channel = channel
        self.current: grpc.ChannelConnectivity | None = None
        channel.subscribe(self._update, try_to_connect=False)

    def _update(self, state: grpc.ChannelConnectivity) -> None:
        self.current = state

    def ready(self) -> bool:
        return self.current is grpc.ChannelConnectivity.READY

    def close(self) -> None:
        try:
            self.channel.unsubscribe(self._update)
        except (ValueError, KeyError):  # never subscribed, or already gone
            pass


class OtlpGrpcExporter(QueuedExporter, OtlpDestinations):
    """Sends OTLP requests over gRPC from worker threads, retrying transient failures.

    Requests are queued serialized (``accepts_encoded``) and sent as bytes.

    Args:
        settings: Its id and telemetry; ``settings.environ`` has the ``OTEL_EXPORTER_OTLP_*`` variables.
        config: The resolved ``otlp`` exporter config.

    Raises:
        ValueError: A TLS file cannot be read, or a setting cannot be used.
    """

    accepts_encoded = True

    def __init__(self, settings: CreateSettings, config: Mapping[str, Any]):
        super().__init__(settings, config)
        environ = settings.environ
        self._retry = RetrySettings.from_config(config["retry_on_failure"])
        self._settings = (resolve_grpc(config, TRACES, environ), resolve_grpc(config, METRICS, environ))
        self._credentials = {}
        for s in self._settings:
            for w in s.warnings:
                log.warning("exporter %s: %s", self.name, w)
            if s.insecure_skip_verify:
                log.warning(
                    "exporter %s: tls.insecure_skip_verify is not supported by gRPC Python and is ignored", self.name
                )
            if not s.insecure:
                key = (s.ca_file, s.cert_file, s.key_file)
                if key not in self._credentials:
                    self._credentials[key] = grpc.ssl_channel_credentials(
                        root_certificates=read_pem(s.ca_file, "ca_file"),
                        private_key=read_pem(s.key_file, "key_file"),
                        certificate_chain=read_pem(s.cert_file, "cert_file"),
                    )
        self._channels: dict[tuple, _ChannelState] = {}
        self._targets: tuple[_Target, ...] = ()
        self._channel_lock = threading.Lock()

    def _channel_options(self) -> list[tuple[str, Any]]:
        # gRPC's own reconnect backoff grows to 120 s by default: a channel that saw the
        # backend down would then fail fast long after the backend is back.  Keep it short
        # (MAX_RECONNECT_BACKOFF_MS) so that the channel is READY within about two seconds of
        # the backend's return; the retry loop sees it and sends at once.
        r = self._retry
        initial_ms = int(min(max(r.initial_interval, 0.1), 1.0) * 1000)
        return [
            ("grpc.primary_user_agent", USER_AGENT),
            ("grpc.initial_reconnect_backoff_ms", initial_ms),
            ("grpc.min_reconnect_backoff_ms", min(initial_ms, 1000)),
            ("grpc.max_reconnect_backoff_ms", max(MAX_RECONNECT_BACKOFF_MS, initial_ms)),
        ]

    def _open(self) -> None:
        targets = []
        with self._channel_lock:
            for signal, s in enumerate(self._settings):
                key = (s.target, s.insecure, s.ca_file, s.cert_file, s.key_file)
                state = self._channels.get(key)
                if state is None:
                    options = self._channel_options()
                    if s.insecure:
                        channel = grpc.insecure_channel(s.target, options=options)
                    else:
                        creds = self._credentials[(s.ca_file, s.cert_file, s.key_file)]
                        channel = grpc.secure_channel(s.target, creds, options=options)
                    state = self._channels[key] = _ChannelState(channel)
                method, response_deserializer = _METHODS[signal]
                call = state.channel.unary_unary(method, response_deserializer=response_deserializer)
                targets.append(_Target(s, call, _COMPRESSION[s.compression], state))
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
        for state in channels:
            state.close()
            state.channel.close()  # also cancels an RPC still in flight past the deadline

    def _deliver(self, batch: Batch) -> int:
        target = self._targets[batch.signal]
        return self._with_retries(self._retry, target.settings.timeout, lambda t: self._attempt(target, batch, t))

    def _attempt(self, target: _Target, batch: Batch, timeout: float) -> int:
        try:
            response = target.call(
                batch.request.SerializeToString(),  # an EncodedRequest's bytes (see accepts_encoded)
                timeout=timeout,
                metadata=target.metadata,
                compression=target.compression,
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
            # UNAVAILABLE is how gRPC says it could not connect (refused, reset, no route): the
            # wait before the next try ends as soon as the channel is READY again.
            probe = target.state.ready if code is grpc.StatusCode.UNAVAILABLE else None
            raise RetryableError(f"{code.name}: {details}", server_delay, probe) from None
        except ValueError as exc:  # "Cannot invoke RPC on closed channel": shutdown closed it
            if self.stopping.is_set():
                raise ExportError("exporter shut down") from None
            raise ExportError(str(exc)) from None
        return self._rejected(batch.signal, response)

    def _rejected(self, signal: int, response) -> int:
        try:
            partial = response.partial_success
            rejected = partial.rejected_spans if signal == TRACES else partial.rejected_data_points
            message = partial.error_message
        except AttributeError:
            return 0
        return self._rejected_by_receiver(signal, rejected, message)
