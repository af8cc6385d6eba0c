"""Feeds what the ``otlp`` receiver gets into the agent's pipelines (sidecar mode).

* Traces: the request is forwarded unchanged to the trace exporters (every span, HTTP or
  not), and its HTTP spans, as exchanges, go through the processors (``semantic_errors``,
  ``health_score``, ``slo``, ...), which turn them into decisions and metrics.
* Metrics: the request is forwarded unchanged to the metric exporters; when the receiver's
  ``http_requests_from`` lists ``metrics``, the senders' ``http.server.request.duration``
  histograms also count as requests for the processors that accept counts (``health_score``,
  ``slo``): 5xx and ``error.type`` are system errors, the rest is good (histograms carry no
  bodies, so no business errors).

List only one source per sender: a sender that exports both spans and the histogram would
otherwise be counted twice.  Spans are the default (they carry the classification of an
otel-ebpf agent upstream); use metrics for SDKs that sample their spans.
"""

from __future__ import annotations

import logging

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from otel_ebpf.processors.outcome import GOOD, SYSTEM
from otel_ebpf.receivers.otlp.histograms import HistogramDeltaState, RequestCount, requests_from_histograms
from otel_ebpf.receivers.otlp.resources import ProcessCache
from otel_ebpf.receivers.otlp.spans import SpanConversionStats, exchanges_from_spans

log = logging.getLogger(__name__)


class OtlpPipelineInput:
    """The receiver's callbacks, bound to one set of pipelines.

    Args:
        pipelines: The agent's :class:`~otel_ebpf.agent.Pipelines`.
        sources: ``http_requests_from`` of the receiver: ``spans`` and/or ``metrics``.
    """

    def __init__(self, pipelines, sources: list[str]) -> None:
        self.pipelines = pipelines
        self.from_spans = "spans" in sources
        self.from_metrics = "metrics" in sources
        self.cache = ProcessCache()
        self.span_stats = SpanConversionStats()
        self.histograms = HistogramDeltaState(process_cache=self.cache)

    def on_traces(self, request: ExportTraceServiceRequest) -> None:
        for exporter in self.pipelines.trace_exporters:
            exporter.export_traces(request)
        if self.from_spans:
            exchanges = exchanges_from_spans(request, self.cache, self.span_stats)
            if exchanges:
                self.pipelines.consume_received(exchanges)

    def on_metrics(self, request: ExportMetricsServiceRequest) -> None:
        for exporter in self.pipelines.metric_exporters:
            exporter.export_metrics(request)
        if self.from_metrics:
            for counts in requests_from_histograms(request, self.histograms):
                self._record(counts)

    def _record(self, counts: RequestCount) -> None:
        status = counts.status_code
        kind = SYSTEM if counts.error_type or status is None or status >= 500 else GOOD
        route = counts.route or "/"
        bounds = counts.bounds_s
        for index, n in enumerate(counts.bucket_counts):
            if not n:
                continue
            # A bucket's requests are taken at its upper bound (the overflow bucket: just past the last one).
            duration = bounds[index] if index < len(bounds) else (bounds[-1] * 1.1 if bounds else 0.0)
            for processor in self.pipelines.processors:
                record = getattr(processor, "record", None)
                if record is not None:
                    record(counts.service_name, route, counts.method, kind, None, duration, n)

    def counters(self) -> dict:
        out = dict(self.span_stats.as_counters())
        out.update(self.histograms.counters())
        return out
