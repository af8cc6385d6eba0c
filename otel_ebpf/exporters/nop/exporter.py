"""The ``nop`` exporter: accepts everything and sends nothing (the Collector's ``nopexporter``).

For a pipeline that must exist but whose output goes nowhere: in sidecar mode the traces
pipeline feeds the processors while the Collector already sends the spans to the backend.
What it discards is counted, like every exporter's output.
"""

from __future__ import annotations

import threading

from otel_ebpf.component import CreateSettings, Exporter
from otel_ebpf.model import EncodedRequest
from otel_ebpf.model.pipeline import count_data_points, count_spans


class NopExporter(Exporter):
    def __init__(self, settings: CreateSettings) -> None:
        self.name = settings.id
        self._spans = 0
        self._points = 0
        self._lock = threading.Lock()  # pipelines call from several threads
        settings.report_stats("otel_ebpf.exporter", self.stats)

    accepts_encoded = True  # it only counts

    def export_traces(self, request) -> None:
        try:
            n = request.items if isinstance(request, EncodedRequest) else count_spans(request)
        except Exception:  # not a trace request: nothing to count
            return
        with self._lock:
            self._spans += n

    def export_metrics(self, request) -> None:
        try:
            n = count_data_points(request)
        except Exception:
            return
        with self._lock:
            self._points += n

    def stats(self) -> dict[str, int]:
        return {"discarded_spans": self._spans, "discarded_metric_points": self._points}
