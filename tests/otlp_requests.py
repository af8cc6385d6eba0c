"""OTLP requests and the accounting check the exporter tests share."""

from __future__ import annotations

from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
from opentelemetry.proto.trace.v1 import trace_pb2


def _set(attrs, key, value) -> None:
    kv = attrs.add(key=key)
    if isinstance(value, bool):
        kv.value.bool_value = value
    elif isinstance(value, int):
        kv.value.int_value = value
    elif isinstance(value, float):
        kv.value.double_value = value
    else:
        kv.value.string_value = value


def trace_request(n_spans: int = 3, service: str = "checkout", tag: str = "a", status: int = 0, parent: bytes = b""):
    """A request with `n_spans` HTTP server spans; span i has trace id bytes [tag, i, 0..13]."""
    req = trace_service_pb2.ExportTraceServiceRequest()
    rs = req.resource_spans.add()
    _set(rs.resource.attributes, "service.name", service)
    _set(rs.resource.attributes, "process.pid", 4242)
    ss = rs.scope_spans.add()
    ss.scope.name = "otel_ebpf"
    ss.scope.version = "0.1.0"
    for i in range(n_spans):
        span = ss.spans.add()
        span.trace_id = bytes([ord(tag[0]), i % 256]) + bytes(range(14))
        span.span_id = bytes([i % 256]) + b"\x01" * 7
        span.parent_span_id = parent
        span.name = "GET /api/orders/{id}"
        span.kind = trace_pb2.Span.SPAN_KIND_SERVER
        span.start_time_unix_nano = 1_700_000_000_000_000_000
        span.end_time_unix_nano = 1_700_000_000_012_345_678
        span.status.code = status
        _set(span.attributes, "http.request.method", "GET")
        _set(span.attributes, "url.path", f"/api/orders/{i}")
        _set(span.attributes, "http.response.status_code", 500 if status == 2 else 200)
        _set(span.attributes, "test.tag", tag)
    return req


def metrics_request(service: str = "checkout"):
    """Two histogram points and one sum point."""
    req = metrics_service_pb2.ExportMetricsServiceRequest()
    rm = req.resource_metrics.add()
    _set(rm.resource.attributes, "service.name", service)
    sm = rm.scope_metrics.add()
    sm.scope.name = "otel_ebpf"
    hist = sm.metrics.add(name="http.server.request.duration", unit="s")
    hist.histogram.aggregation_temporality = 2
    for method, count in (("GET", 3), ("POST", 1)):
        p = hist.histogram.data_points.add(count=count, sum=0.25 * count, min=0.01, max=0.5)
        p.explicit_bounds.extend([0.005, 0.01, 0.1, 1.0])
        p.bucket_counts.extend([0, 1, count - 1, 0, 0])
        p.time_unix_nano = 1_700_000_000_000_000_000
        _set(p.attributes, "http.request.method", method)
        _set(p.attributes, "http.route", "/api/orders/{id}")
    total = sm.metrics.add(name="otel_ebpf.tcp.retransmits", unit="{segment}")
    total.sum.is_monotonic = True
    total.sum.aggregation_temporality = 2
    point = total.sum.data_points.add(as_int=7)
    _set(point.attributes, "network.peer.address", "10.0.0.1")
    return req


def assert_accounted(stats: dict[str, int]) -> None:
    """Nothing is lost without being counted."""
    for unit in ("spans", "metric_points"):
        assert (
            stats[f"sent_{unit}"] + stats[f"dropped_{unit}"] + stats[f"queued_{unit}"] == stats[f"received_{unit}"]
        ), stats
