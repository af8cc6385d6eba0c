"""What moves through a pipeline: exchanges, requests to forward, and request counts.

A receiver hands a :class:`PipelineData` to its pipelines; processors read and annotate it;
each pipeline's end turns it into its signal (see docs/components.md, "What flows through a
pipeline").  Every part is optional: an empty list or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from otel_ebpf.model.exchange import HttpExchange, ProcessInfo, Role, is_received


class PipelineData:
    """One batch on its way through a pipeline.

    Attributes:
        exchanges: HTTP request/response pairs, captured or made from received spans.
        spans: An ``ExportTraceServiceRequest`` received to be forwarded (traces pipelines).
        metrics: An ``ExportMetricsServiceRequest`` received to be forwarded, or collected by
            the pipeline itself (metrics pipelines).
        counts: :class:`RequestCount` records: made from received duration histograms, or by the
            kernel capture for the exchanges it shed (metrics pipelines only).
    """

    __slots__ = ("exchanges", "spans", "metrics", "counts")

    def __init__(
        self,
        exchanges: list[HttpExchange] | None = None,
        spans: Any = None,
        metrics: Any = None,
        counts: list[RequestCount] | None = None,
    ) -> None:
        self.exchanges = exchanges if exchanges is not None else []
        self.spans = spans
        self.metrics = metrics
        self.counts = counts if counts is not None else []

    def is_empty(self) -> bool:
        return not self.exchanges and self.spans is None and self.metrics is None and not self.counts

    def item_count(self) -> int:
        """What ``batch`` sizes and drops count: spans, metric data points, and the exchanges and
        counts that are not a view of them (an exchange made from a received span is its span;
        counts are made from the received metrics they travel with)."""
        exchanges = self.exchanges
        if self.spans is None:
            n = len(exchanges)
        else:
            n = count_spans(self.spans) + sum(1 for x in exchanges if not is_received(x))
        n += len(self.counts) if self.metrics is None else count_data_points(self.metrics)
        return n

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        parts = [f"{len(self.exchanges)} exchanges"]
        if self.spans is not None:
            parts.append("spans")
        if self.metrics is not None:
            parts.append("metrics")
        if self.counts:
            parts.append(f"{len(self.counts)} counts")
        return f"PipelineData({', '.join(parts)})"


def count_spans(request) -> int:
    """Spans in an ``ExportTraceServiceRequest``."""
    return sum(span_count(rs) for rs in request.resource_spans)


def count_data_points(request) -> int:
    """Data points in an ``ExportMetricsServiceRequest`` (a histogram point counts as one)."""
    return sum(point_count(rm) for rm in request.resource_metrics)


def span_count(resource_spans) -> int:
    """Spans in one ``ResourceSpans``."""
    return sum(len(ss.spans) for ss in resource_spans.scope_spans)


def point_count(resource_metrics) -> int:
    """Data points in one ``ResourceMetrics`` (a histogram point counts as one)."""
    n = 0
    for sm in resource_metrics.scope_metrics:
        for metric in sm.metrics:
            kind = metric.WhichOneof("data")
            if kind is not None:
                n += len(getattr(metric, kind).data_points)
    return n


@dataclass(frozen=True, slots=True)
class Exemplar:
    """A sampled request of a histogram point: its duration and, when known, its span."""

    value_s: float
    time_ns: int
    trace_id: bytes = b""
    span_id: bytes = b""


@dataclass(frozen=True, slots=True)
class RequestCount:
    """Requests of one (service, route, method, status, error.type) since the previous export.

    Made by the ``otlp`` receiver from its senders' ``http.server.request.duration`` histograms
    (``http_requests_from: [metrics]``): request rates and latency that do not depend on span
    sampling.  Streams with the same key and the same bucket bounds (e.g. two instances of one
    service) are added together; different bounds give separate records.

    Also made by the ``ebpf`` receiver for the exchanges the kernel shed (counted, never seen
    by userspace: docs/cost.md): those have ``process`` set, and a pipeline's HTTP duration
    histograms add them to the process's series (a received count is forwarded as the
    metrics it came in, so it is not recorded again).

    Attributes:
        service_name: The resource's ``service.name``.
        route: ``http.route``, or None when the sender had none.
        method: ``http.request.method`` as sent (``_OTHER`` included).
        status_code: ``http.response.status_code``, or None (no response).
        error_type: ``error.type``, or None.
        bounds_s: Bucket upper bounds in seconds, ascending; the last bucket has no upper bound.
        bucket_counts: Requests per bucket, ``len(bounds_s) + 1`` entries.
        count: Requests in total (the sum of ``bucket_counts``).
        sum_s: Total duration in seconds, or None when a sender did not report sums.
        time_ns: End of the newest window that contributed (epoch ns).
        exemplars: The points' exemplars, values in seconds.
        process: The captured process (kernel counts only); None for received counts.
        role: Server or client requests (received counts: server).
        http_version: ``network.protocol.version`` (kernel counts).
        server_address: ``server.address`` of client requests (kernel counts: the peer's address).
        server_port: ``server.port`` of client requests.
        scheme: ``url.scheme``: ``https`` for requests over TLS.
        min_s: The shortest duration, or None when unknown.
        max_s: The longest duration, or None when unknown.
    """

    service_name: str
    route: str | None
    method: str
    status_code: int | None
    error_type: str | None
    bounds_s: tuple[float, ...]
    bucket_counts: tuple[int, ...]
    count: int
    sum_s: float | None
    time_ns: int
    exemplars: tuple[Exemplar, ...] = ()
    process: ProcessInfo | None = None
    role: Role = Role.SERVER
    http_version: str = ""
    server_address: str = ""
    server_port: int = 0
    min_s: float | None = None
    max_s: float | None = None
    scheme: str = "http"
