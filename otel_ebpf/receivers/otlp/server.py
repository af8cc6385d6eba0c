"""The OTLP/gRPC server: ``TraceService/Export`` and ``MetricsService/Export`` (the Collector's ``otlp`` receiver).

Requests are decoded here, not by gRPC, so that garbage is answered ``INVALID_ARGUMENT`` and
counted instead of being logged as a server exception, and so that the received bytes can be
counted.  Outcomes follow the Collector:

* a request that the pipelines could not take now (``admit`` says why: a ``memory_limiter``
  over its soft limit, an exporter queue full in bytes or requests) is answered
  ``RESOURCE_EXHAUSTED`` with a ``RetryInfo`` of 1 s, before it is even decoded, so that senders
  back off and keep the data (the OTLP spec: retry RESOURCE_EXHAUSTED when RetryInfo says so);
* a decoded request is handed to the signal's callback; if it returns normally the answer is
  OK (with ``partial_success`` when spans or points were rejected); if it raises
  :class:`~otel_ebpf.component.Refused` the answer is ``RESOURCE_EXHAUSTED`` as above, any other
  exception ``UNAVAILABLE`` (retryable: the sender keeps the data and tries again); either way
  every item is counted as refused;
* spans whose trace or span id is not 16/8 non-zero bytes are removed before the callback and
  reported in ``partial_success`` (the rest of the request is accepted);
* a signal without callback is not served (``UNIMPLEMENTED``, as a Collector without that
  pipeline answers); logs are never served;
* a request over ``max_recv_msg_size_mib`` is refused by gRPC itself (``RESOURCE_EXHAUSTED``),
  as are requests past the server's concurrency bound; neither reaches our counters.

Self-metrics (:meth:`OtlpReceiver.counters`), named after the Collector's
``otelcol_receiver_*`` in our namespace, all with ``receiver`` and ``transport=grpc``:
``otel_ebpf.receiver.{accepted,refused}_spans``, ``otel_ebpf.receiver.{accepted,refused}_metric_points``,
``otel_ebpf.receiver.requests`` (+ ``signal``, ``outcome`` = accepted | refused | invalid; a refused
request also has ``reason`` = memory_limit | queue_full | queue_bytes_full | pipeline_error |
shutting_down) and
``otel_ebpf.receiver.received_bytes`` (+ ``signal``; after gRPC decompression).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from concurrent import futures
from dataclasses import dataclass
from typing import Any

import grpc
from google.protobuf import duration_pb2
from google.protobuf.message import DecodeError
from google.rpc import code_pb2, error_details_pb2, status_pb2
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2, metrics_service_pb2_grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc

from otel_ebpf.component import Refused
from otel_ebpf.config.schema import resolve
from otel_ebpf.model.pipeline import count_data_points, count_spans
from otel_ebpf.receivers.otlp.config import SCHEMA

__all__ = ["GrpcSettings", "OtlpReceiver", "Rejected"]

log = logging.getLogger(__name__)

_TRACE_SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService"
_METRICS_SERVICE = "opentelemetry.proto.collector.metrics.v1.MetricsService"
_LOG_INTERVAL_S = 10.0  # at most one warning per signal and reason per interval
# How long a sender refused for lack of room is asked to wait: about a memory_limiter's
# check_interval, and a few of a sending queue's sends.
_RETRY_DELAY_S = 1.0
_STATUS_DETAILS_KEY = "grpc-status-details-bin"  # a google.rpc.Status: where gRPC clients find RetryInfo


def _retry_later(context: grpc.ServicerContext, message: str) -> None:
    """Answers RESOURCE_EXHAUSTED with a RetryInfo: the OTLP spec's signal to back off and retry."""
    info = error_details_pb2.RetryInfo(retry_delay=duration_pb2.Duration(seconds=int(_RETRY_DELAY_S)))
    status = status_pb2.Status(code=code_pb2.RESOURCE_EXHAUSTED, message=message)
    status.details.add().Pack(info)
    context.set_trailing_metadata(((_STATUS_DETAILS_KEY, status.SerializeToString()),))
    context.set_code(grpc.StatusCode.RESOURCE_EXHAUSTED)
    context.set_details(message)


@dataclass(frozen=True)
class Rejected:
    """What a callback returns when it refused part of a request (permanently: not retried).

    Attributes:
        count: Spans or data points rejected.
        message: Why, for the sender's ``partial_success.error_message``.
    """

    count: int
    message: str = ""


Admit = Callable[[int], "str | None"]
TraceCallback = Callable[[trace_service_pb2.ExportTraceServiceRequest], "Rejected | None"]
MetricsCallback = Callable[[metrics_service_pb2.ExportMetricsServiceRequest], "Rejected | None"]


@dataclass(frozen=True)
class GrpcSettings:
    """``protocols.grpc`` of the receiver config (defaults and checks: the factory's schema)."""

    endpoint: str
    max_recv_msg_size_mib: float
    max_concurrent_streams: int  # per connection; 0 = gRPC's default

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> GrpcSettings:
        """Reads ``{"protocols": {"grpc": {...}}}`` through the receiver's schema (absent keys: defaults).

        Raises:
            ValueError: a value is invalid (the message names the key).
        """
        resolved, errors = resolve(SCHEMA, config, "receivers.otlp")
        if errors:
            raise ValueError("; ".join(errors))
        grpc_cfg = resolved["protocols"]["grpc"]
        endpoint = grpc_cfg["endpoint"]
        if endpoint.startswith(":"):
            endpoint = "0.0.0.0" + endpoint  # Go's ":4317" (all interfaces); gRPC Python needs a host
        return cls(endpoint, grpc_cfg["max_recv_msg_size_mib"], grpc_cfg["max_concurrent_streams"])


class _Signal:
    """What differs between the trace and metrics services."""

    __slots__ = ("name", "parse", "response", "count_items", "set_rejected", "callback", "accepted", "refused")

    def __init__(self, name, parse, response, count_items, set_rejected, callback, accepted, refused):
        self.name = name
        self.parse = parse
        self.response = response
        self.count_items = count_items
        self.set_rejected = set_rejected
        self.callback = callback
        self.accepted = accepted  # counter names for items
        self.refused = refused


def _set_rejected_spans(response, count: int, message: str) -> None:
    response.partial_success.rejected_spans = count
    response.partial_success.error_message = message


def _set_rejected_points(response, count: int, message: str) -> None:
    response.partial_success.rejected_data_points = count
    response.partial_success.error_message = message


_ZERO_TRACE_ID = bytes(16)
_ZERO_SPAN_ID = bytes(8)


def _valid_ids(span) -> bool:
    trace_id, span_id = span.trace_id, span.span_id
    return len(trace_id) == 16 and len(span_id) == 8 and trace_id != _ZERO_TRACE_ID and span_id != _ZERO_SPAN_ID


def drop_invalid_spans(request: trace_service_pb2.ExportTraceServiceRequest) -> int:
    """Removes spans with an invalid trace or span id (the OTLP spec: 16/8 bytes, not all zero); returns how many."""
    dropped = 0
    for rs in request.resource_spans:
        for ss in rs.scope_spans:
            spans = ss.spans
            bad = [i for i, span in enumerate(spans) if not _valid_ids(span)]
            for i in reversed(bad):
                del spans[i]
            dropped += len(bad)
    return dropped


class _Servicers:
    """The generated servicer interfaces, answering through :meth:`OtlpReceiver._export`."""

    class Trace(trace_service_pb2_grpc.TraceServiceServicer):
        def __init__(self, receiver: OtlpReceiver) -> None:
            self._receiver = receiver

        def Export(self, request: bytes, context: grpc.ServicerContext):  # noqa: N802 - the gRPC method name
            return self._receiver._export(self._receiver._signals["traces"], request, context)

    class Metrics(metrics_service_pb2_grpc.MetricsServiceServicer):
        def __init__(self, receiver: OtlpReceiver) -> None:
            self._receiver = receiver

        def Export(self, request: bytes, context: grpc.ServicerContext):  # noqa: N802
            return self._receiver._export(self._receiver._signals["metrics"], request, context)


class OtlpReceiver:
    """Accepts OTLP/gRPC exports and hands each decoded request to a callback.

    Args:
        config: The receiver config in the Collector's shape:
            ``{"protocols": {"grpc": {"endpoint": "0.0.0.0:4317", "max_recv_msg_size_mib": 4}}}``.
            Port 0 binds an ephemeral port (see :attr:`bound_port`).
        on_traces: Called with each ``ExportTraceServiceRequest`` (on a server thread; may run
            concurrently with itself).  Returns None or :class:`Rejected`; raising makes the
            sender retry.  None disables the trace service.
        on_metrics: The same for ``ExportMetricsServiceRequest``.
        admit: Called with a request's size in bytes before it is decoded; returns why the
            pipelines cannot take it now (answered ``RESOURCE_EXHAUSTED``), or None.
        name: The component id (``otlp``, ``otlp/sidecar``), the ``receiver`` attribute of counters.
        max_workers: Threads running callbacks.
        max_concurrent_rpcs: Calls accepted at once (running or waiting for a thread); gRPC answers
            ``RESOURCE_EXHAUSTED`` beyond it, so a flood cannot queue without bound.

    Raises:
        ValueError: the config is invalid.
    """

    def __init__(
        self,
        config: Mapping[str, Any] | None,
        on_traces: TraceCallback | None,
        on_metrics: MetricsCallback | None,
        *,
        admit: Admit | None = None,
        name: str = "otlp",
        max_workers: int = 4,
        max_concurrent_rpcs: int = 64,
    ) -> None:
        self.name = name
        self._admit = admit
        self.settings = GrpcSettings.from_config(config)
        self._max_workers = max_workers
        self._max_concurrent_rpcs = max_concurrent_rpcs
        self._signals = {
            "traces": _Signal(
                "traces",
                trace_service_pb2.ExportTraceServiceRequest.FromString,
                trace_service_pb2.ExportTraceServiceResponse,
                count_spans,
                _set_rejected_spans,
                on_traces,
                "otel_ebpf.receiver.accepted_spans",
                "otel_ebpf.receiver.refused_spans",
            ),
            "metrics": _Signal(
                "metrics",
                metrics_service_pb2.ExportMetricsServiceRequest.FromString,
                metrics_service_pb2.ExportMetricsServiceResponse,
                count_data_points,
                _set_rejected_points,
                on_metrics,
                "otel_ebpf.receiver.accepted_metric_points",
                "otel_ebpf.receiver.refused_metric_points",
            ),
        }
        self._base_attrs = (("receiver", name), ("transport", "grpc"))
        self._counts: dict[tuple[str, tuple], int] = {}
        for signal in self._signals.values():
            self._count(signal.accepted, self._base_attrs, 0)
            self._count(signal.refused, self._base_attrs, 0)
        self._lock = threading.Lock()
        # Callbacks running now: gRPC reports the server stopped at the grace deadline even while a
        # handler thread is still inside a callback, so shutdown() tracks them itself.
        self._in_flight = 0
        self._idle = threading.Condition(self._lock)
        self._server: grpc.Server | None = None
        self._executor: futures.ThreadPoolExecutor | None = None
        self._port: int | None = None
        self._stopping = False
        self._last_log: dict[tuple[str, str], float] = {}

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def bound_port(self) -> int | None:
        """The port listened on once started (the real one when the endpoint asked for port 0)."""
        return self._port

    def start(self) -> None:
        """Binds the endpoint and starts serving.

        Raises:
            OSError: the endpoint cannot be bound (in use, bad address, no permission).
        """
        with self._lock:
            if self._server is not None or self._stopping:
                return
            executor = futures.ThreadPoolExecutor(max_workers=self._max_workers, thread_name_prefix="otlp-receiver")
            options = [
                ("grpc.max_receive_message_length", int(self.settings.max_recv_msg_size_mib * 1024 * 1024)),
                # gRPC sets SO_REUSEPORT by default on Linux: a second agent on the same port would
                # then silently share (and steal half of) the traffic instead of failing to start.
                ("grpc.so_reuseport", 0),
            ]
            if self.settings.max_concurrent_streams:
                options.append(("grpc.max_concurrent_streams", self.settings.max_concurrent_streams))
            server = grpc.server(
                executor,
                handlers=self._handlers(),
                options=options,
                maximum_concurrent_rpcs=self._max_concurrent_rpcs,
            )
            try:
                port = server.add_insecure_port(self.settings.endpoint)
            except RuntimeError as exc:  # gRPC >= 1.5x raises instead of returning 0
                port, error = 0, exc
            else:
                error = None
            if not port:
                server.stop(None)
                executor.shutdown(wait=False)
                raise OSError(
                    f"receiver {self.name}: cannot listen on {self.settings.endpoint}: {error or 'bind failed'}"
                )
            server.start()
            self._server, self._executor, self._port = server, executor, port
        log.info("receiver %s: OTLP/gRPC on %s (port %d)", self.name, self.settings.endpoint, port)

    def shutdown(self, timeout_s: float = 5.0) -> bool:
        """Stops accepting calls, lets calls in flight finish within ``timeout_s``, then cancels them.

        Safe without :meth:`start` and when called twice.  A callback still running at the
        deadline is not interrupted (Python cannot), but its caller has been answered
        ``CANCELLED`` and this method returns.

        Returns:
            True when no callback was still running at the deadline.
        """
        deadline = time.monotonic() + max(0.0, timeout_s)
        with self._lock:
            self._stopping = True  # calls already queued answer UNAVAILABLE instead of running
            server, executor = self._server, self._executor
            self._server = self._executor = None
        if server is None:
            return True
        # stop(grace): refuse new calls now, cancel the remaining ones at the grace deadline.
        stopped = server.stop(grace=max(0.0, timeout_s * 0.9))
        stopped.wait(max(0.0, deadline - time.monotonic()))
        with self._idle:
            finished = self._idle.wait_for(lambda: self._in_flight == 0, max(0.0, deadline - time.monotonic()))
        if executor is not None:
            # Never wait here: a callback stuck past the deadline must not hold up shutdown.
            executor.shutdown(wait=False, cancel_futures=True)
        if not finished:
            log.warning(
                "receiver %s: %d callbacks still running at the shutdown deadline (their senders were answered"
                " CANCELLED/UNAVAILABLE and may resend)",
                self.name,
                self._in_flight,
            )
        return finished

    # -- self-metrics -----------------------------------------------------------------------

    def counters(self) -> dict[tuple[str, tuple], int]:
        """A snapshot ``{(metric name, attrs tuple): value}`` (for ``SelfMetrics.register_callback``)."""
        with self._lock:
            return dict(self._counts)

    def _count(self, name: str, attrs: tuple, n: int) -> None:
        key = (name, attrs)
        self._counts[key] = self._counts.get(key, 0) + n

    def _record(
        self, signal: _Signal, outcome: str, nbytes: int, accepted: int, refused: int, reason: str = ""
    ) -> None:
        base = self._base_attrs
        request_attrs = base + (("signal", signal.name), ("outcome", outcome))
        if reason:
            request_attrs += (("reason", reason),)
        with self._lock:
            self._count("otel_ebpf.receiver.requests", request_attrs, 1)
            self._count("otel_ebpf.receiver.received_bytes", base + (("signal", signal.name),), nbytes)
            self._count(signal.accepted, base, accepted)
            self._count(signal.refused, base, refused)

    def _warn(self, signal: _Signal, reason: str, message: str, *args: object) -> None:
        """Logs at most once per signal and reason per interval: a misbehaving sender retries a lot."""
        now = time.monotonic()
        key = (signal.name, reason)
        if now - self._last_log.get(key, -_LOG_INTERVAL_S) >= _LOG_INTERVAL_S:
            self._last_log[key] = now
            log.warning(message, *args)

    # -- serving ----------------------------------------------------------------------------

    def _handlers(self) -> list[grpc.GenericRpcHandler]:
        handlers = []
        for service, signal, servicer in (
            (_TRACE_SERVICE, "traces", _Servicers.Trace(self)),
            (_METRICS_SERVICE, "metrics", _Servicers.Metrics(self)),
        ):
            if self._signals[signal].callback is None:
                continue
            handler = grpc.unary_unary_rpc_method_handler(
                servicer.Export,
                request_deserializer=None,  # raw bytes: decoded (and counted) in _export
                response_serializer=lambda response: response.SerializeToString(),
            )
            handlers.append(grpc.method_handlers_generic_handler(service, {"Export": handler}))
        return handlers

    def _exhausted(self, signal: _Signal, context: grpc.ServicerContext, nbytes: int, items: int, reason: str) -> None:
        """Answers RESOURCE_EXHAUSTED with a retry delay (the sender backs off), counted by reason."""
        self._record(signal, "refused", nbytes, 0, items, reason)
        self._warn(
            signal,
            "exhausted",
            "receiver %s: refusing %s requests (%s), senders are asked to retry in %.0fs",
            self.name,
            signal.name,
            reason,
            _RETRY_DELAY_S,
        )
        _retry_later(context, f"the agent cannot take more data now ({reason}); retry later")

    def _export(self, signal: _Signal, raw: bytes, context: grpc.ServicerContext):
        response = signal.response()
        nbytes = len(raw)
        reason = self._admit(nbytes) if self._admit is not None else None
        if reason is not None:
            # Refused before decoding: a 3 MiB request decodes into ~10 MB that nobody could keep.
            self._exhausted(signal, context, nbytes, 0, reason)
            return response
        try:
            request = signal.parse(raw)
        except (DecodeError, ValueError, RuntimeError) as exc:
            # Garbage never becomes valid: a permanent error, so the sender does not retry it.
            self._record(signal, "invalid", nbytes, 0, 0)
            self._warn(
                signal,
                "invalid",
                "receiver %s: undecodable %s request (%d bytes): %s",
                self.name,
                signal.name,
                nbytes,
                exc,
            )
            context.set_code(grpc.StatusCode.INVALID_ARGUMENT)
            context.set_details(f"cannot decode the {signal.name} request: {exc}")
            return response

        rejected, message = 0, ""
        if signal.name == "traces":
            rejected = drop_invalid_spans(request)
            if rejected:
                message = f"{rejected} spans with an invalid trace_id or span_id (16 and 8 non-zero bytes)"
        items = signal.count_items(request)
        with self._lock:
            # Checked and counted under one lock, so shutdown() cannot miss a callback about to start.
            stopping = self._stopping
            if not stopping and items:
                self._in_flight += 1
        if stopping:
            # Queued before shutdown began: the sender keeps the data and resends it elsewhere or later.
            self._record(signal, "refused", nbytes, 0, items + rejected, "shutting_down")
            context.set_code(grpc.StatusCode.UNAVAILABLE)
            context.set_details("receiver is shutting down")
            return response
        if items == 0:
            # Nothing left to deliver (an empty request is valid OTLP, e.g. a connection check).
            self._record(signal, "accepted", nbytes, 0, rejected)
            if rejected:
                signal.set_rejected(response, rejected, message)
            return response
        try:
            result = signal.callback(request)
        except Refused as exc:
            self._exhausted(signal, context, nbytes, items + rejected, exc.reason)
            return response
        except Exception as exc:
            self._record(signal, "refused", nbytes, 0, items + rejected, "pipeline_error")
            self._warn(
                signal,
                "refused",
                "receiver %s: the pipeline refused %d %s items, the sender will retry: %r",
                self.name,
                items,
                signal.name,
                exc,
            )
            context.set_code(grpc.StatusCode.UNAVAILABLE)
            context.set_details(f"the pipeline refused the data: {type(exc).__name__}")
            return response
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()
        if isinstance(result, Rejected) and result.count > 0:
            pipeline_rejected = min(result.count, items)
            rejected += pipeline_rejected
            items -= pipeline_rejected
            message = "; ".join(m for m in (message, result.message) if m)
        self._record(signal, "accepted", nbytes, items, rejected)
        if rejected:
            signal.set_rejected(response, rejected, message or f"{rejected} items rejected")
        return response
