"""Sidecar fed by duration histograms (``http_requests_from: [metrics]``): counts reach health and SLO."""

from __future__ import annotations

import time

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.metrics.v1 import metrics_pb2

from otel_ebpf.components import load_config
from otel_ebpf.service import Service

CONFIG = """
receivers:
  otlp:
    protocols: {{grpc: {{endpoint: "127.0.0.1:4327"}}}}
    http_requests_from: [metrics]
processors:
  health_score: {{interval: 1s, window: 1s, min_requests: 10, endpoint: ""}}
  slo:
    state_file: ""
    endpoint: ""
    objectives:
      - {{name: avail, service: shop, route: /checkout, target: 99}}
      - {{name: fast, service: shop, route: /checkout, sli: latency, latency_threshold: 100ms, target: 90}}
exporters:
  file: {{path: {out}}}
service:
  pipelines:
    metrics: {{receivers: [otlp], processors: [health_score, slo], exporters: [file]}}
"""


def histogram_request(start_ns: int, status: int, buckets: list[int]) -> ExportMetricsServiceRequest:
    request = ExportMetricsServiceRequest()
    rm = request.resource_metrics.add()
    rm.resource.attributes.add(key="service.name").value.string_value = "shop"
    metric = rm.scope_metrics.add().metrics.add(name="http.server.request.duration", unit="s")
    metric.histogram.aggregation_temporality = metrics_pb2.AGGREGATION_TEMPORALITY_CUMULATIVE
    point = metric.histogram.data_points.add(start_time_unix_nano=start_ns, time_unix_nano=time.time_ns())
    for key, value in (("http.request.method", "POST"), ("http.route", "/checkout")):
        point.attributes.add(key=key).value.string_value = value
    point.attributes.add(key="http.response.status_code").value.int_value = status
    point.explicit_bounds.extend([0.05, 0.1, 0.5])
    point.bucket_counts.extend(buckets)
    point.count = sum(buckets)
    return request


def test_histograms_count_as_requests(tmp_path):
    path = tmp_path / "sidecar.yaml"
    path.write_text(CONFIG.format(out=tmp_path / "out.jsonl"))
    config = load_config([path], {})
    service = Service(config, {})  # built, not started: the receiver is fed by hand, no port is bound
    feed = service.receivers["otlp"]
    start = time.time_ns()  # streams that start after the sidecar: their first point counts whole
    feed.on_metrics(histogram_request(start, 200, [80, 10, 5, 0]))
    feed.on_metrics(histogram_request(start, 503, [3, 2, 0, 0]))
    feed.on_metrics(histogram_request(start, 200, [90, 10, 5, 0]))  # cumulative: +10 fast ones
    (_, health), (_, slo) = service.pipelines["metrics"].processors
    health.evaluate()
    (row,) = health.snapshot()["endpoints"]
    assert row["requests"] == 110 and row["penalty"]["system"] == round(2 * 100 * 5 / 110, 2)
    avail, fast = slo.snapshot()["objectives"]
    assert (avail["good_total"], avail["bad_total"]) == (105, 5)
    assert (fast["good_total"], fast["bad_total"]) == (105, 5)  # the 0.1-0.5 s bucket is over 100 ms
    service.shutdown(1.0)
