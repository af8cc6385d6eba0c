"""The ``otlp`` receiver as a component: what it receives goes to its pipelines like any receiver's.

* A trace request goes to the traces pipelines as it is (every span, HTTP or not), with its HTTP
  and gRPC SERVER/CLIENT spans made into exchanges (``http_requests_from: [spans]``, the
  default) for the processors: their annotations (``error.type``, ``otel_ebpf.error.*``, Error
  status) are written into those spans before they are forwarded (``telemetry.received``).  Metrics
  pipelines get the exchanges (``health_score``, ``slo`` count them); their duration histograms
  are not recorded again (the senders export their own).
* A metrics request goes to the metrics pipelines as it is; with ``http_requests_from:
  [metrics]`` the senders' ``http.server.request.duration`` histograms also become request
  counts for the processors that count requests (``health_score``, ``slo``).

List one source per sender: a sender that exports both spans and the histogram would otherwise
be counted twice.  Spans are the default (they carry the classification of an otel-ebpf agent
upstream); use metrics for SDKs that sample their spans.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from otel_ebpf.component import Component, Consumer, CreateSettings, Host
from otel_ebpf.model import ExchangeSource, PipelineData
from otel_ebpf.receivers.otlp.histograms import HistogramDeltaState, requests_from_histograms
from otel_ebpf.receivers.otlp.resources import ProcessCache
from otel_ebpf.receivers.otlp.server import OtlpReceiver
from otel_ebpf.receivers.otlp.spans import SpanConversionStats, exchanges_from_spans
from otel_ebpf.telemetry.routes import RouteResolver

log = logging.getLogger(__name__)


class OtlpReceiverComponent(Component):
    """Args:
    settings: Its id and telemetry.
    config: The resolved ``otlp`` receiver config.
    next_consumer: The fan-out to its pipelines.
    """

    def __init__(self, settings: CreateSettings, config: Mapping[str, Any], next_consumer: Consumer) -> None:
        self.id = settings.id
        sources = config["http_requests_from"]
        self.from_spans = "spans" in sources
        self.from_metrics = "metrics" in sources
        self.next_consumer = next_consumer
        self.source = ExchangeSource(settings.id, received=True)
        self.cache = ProcessCache()
        self.span_stats = SpanConversionStats()
        self.histograms = HistogramDeltaState(process_cache=self.cache)
        self.routes = RouteResolver()  # senders without http.route: the heuristic, as for captured traffic
        # gRPC calls run on several threads: the process cache, the conversion counters, the
        # histogram deltas and the route heuristic are each one shared state.
        self._lock = threading.Lock()
        signals = getattr(next_consumer, "signals", frozenset({"traces", "metrics"}))
        serve_traces = "traces" in signals or ("metrics" in signals and self.from_spans)
        self.server = OtlpReceiver(
            config,
            on_traces=self.on_traces if serve_traces else None,
            on_metrics=self.on_metrics if "metrics" in signals else None,
            admit=next_consumer.refusal,  # a full memory_limiter or exporter queue: RESOURCE_EXHAUSTED
            name=settings.id,
        )
        settings.telemetry.register(self.counters)

    @property
    def bound_port(self) -> int | None:
        return self.server.bound_port

    def start(self, host: Host | None = None) -> None:
        self.server.start()
        log.info("receiver %s: receiving OTLP on :%d", self.id, self.server.bound_port)

    def shutdown(self, timeout_s: float = 5.0) -> None:
        self.server.shutdown(timeout_s)

    def on_traces(self, request: ExportTraceServiceRequest) -> None:
        exchanges = []
        if self.from_spans:
            with self._lock:
                exchanges = exchanges_from_spans(request, self.cache, self.span_stats)
                if exchanges:
                    self.routes.annotate(exchanges)
        for x in exchanges:
            x.source = self.source
        self.next_consumer.consume(PipelineData(exchanges, spans=request))

    def on_metrics(self, request: ExportMetricsServiceRequest) -> None:
        counts = list(requests_from_histograms(request, self.histograms)) if self.from_metrics else []
        self.next_consumer.consume(PipelineData(metrics=request, counts=counts))

    def counters(self) -> dict:
        out = dict(self.server.counters())  # these name the receiver already
        mine = (("receiver", self.id),)
        for (name, attrs), value in (*self.span_stats.as_counters().items(), *self.histograms.counters().items()):
            out[(name, mine + tuple(attrs))] = value
        return out
