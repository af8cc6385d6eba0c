"""The ``nop`` exporter: accepts everything and sends nothing (the Collector's ``nopexporter``).

For a pipeline that must exist but whose output goes nowhere: in sidecar mode the traces
pipeline feeds the processors while the Collector already sends the spans to the backend.
What it discards is counted, like every exporter's output.
"""

from __future__ import annotations

from otel_ebpf.exporters.base import Exporter, count_data_points, count_spans


class NopExporter(Exporter):
    def __init__(self, name: str = "nop", config: dict | None = None) -> None:
        self.name = name
        self._spans = 0
        self._points = 0

    def start(self) -> None:
        pass

    def export_traces(self, request) -> None:
        try:
            self._spans += count_spans(request)
        except Exception:  # not a trace request: nothing to count
            pass

    def export_metrics(self, request) -> None:
        try:
            self._points += count_data_points(request)
        except Exception:
            pass

    def force_flush(self, timeout_s: float = 5.0) -> bool:
        return True

    def shutdown(self, timeout_s: float = 5.0) -> None:
        pass

    def stats(self) -> dict[str, int]:
        return {"discarded_spans": self._spans, "discarded_metric_points": self._points}
