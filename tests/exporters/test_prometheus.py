"""The ``prometheus`` exporter: translation, state, the HTTP endpoint, promtool's lint.

Expected names come from the OpenTelemetry "Prometheus and OpenMetrics Compatibility"
specification and from the test tables of ``github.com/prometheus/otlptranslator``
(``metric_namer_test.go``, ``label_namer_test.go``), which the Collector's exporter uses.
"""

from __future__ import annotations

import gzip
import math
import socket
import subprocess
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, ArrayValue, InstrumentationScope, KeyValue, KeyValueList
from opentelemetry.proto.metrics.v1 import metrics_pb2
from opentelemetry.proto.resource.v1.resource_pb2 import Resource
from opentelemetry.proto.trace.v1 import trace_pb2
from prometheus_client.exposition import choose_encoder
from prometheus_client.exposition import generate_latest as text_encode
from prometheus_client.openmetrics.parser import text_string_to_metric_families

from otel_ebpf.component import METRICS, RECEIVERS, TRACES, CreateSettings, Factory, Telemetry
from otel_ebpf.config import ConfigError, Registry, load_config
from otel_ebpf.config.schema import Section
from otel_ebpf.exporters.prometheus import translate
from otel_ebpf.exporters.prometheus.exporter import PrometheusExporter
from otel_ebpf.exporters.prometheus.factory import factory
from tests.harness import require_binary

CUMULATIVE = metrics_pb2.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
DELTA = metrics_pb2.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
T0 = 1_700_000_000_000_000_000  # epoch ns
SECOND = 1_000_000_000
OPENMETRICS = "application/openmetrics-text; version=1.0.0"
# What Prometheus 2.x sends (scrape/scrape.go acceptHeader): OpenMetrics first.
PROMETHEUS_ACCEPT = (
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
)
HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]
TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
SPAN_ID = "b7ad6b7169203331"
# The scope labels of request(...) without a schema URL, with job and instance of its default resource.
NO_SCHEMA = (
    'instance="i-1",job="checkout",otel_scope_name="otel_ebpf",otel_scope_schema_url="",otel_scope_version="0.1.0"'
)
SCOPE_LABELS = 'otel_scope_name="otel_ebpf",otel_scope_schema_url="https://opentelemetry.io/schemas/1.26.0",otel_scope_version="0.1.0"'


# -- building requests ----------------------------------------------------------------------


def kv(key: str, value) -> KeyValue:
    if isinstance(value, AnyValue):
        return KeyValue(key=key, value=value)
    if isinstance(value, bool):
        return KeyValue(key=key, value=AnyValue(bool_value=value))
    if isinstance(value, int):
        return KeyValue(key=key, value=AnyValue(int_value=value))
    if isinstance(value, float):
        return KeyValue(key=key, value=AnyValue(double_value=value))
    return KeyValue(key=key, value=AnyValue(string_value=value))


def attrs(mapping: dict) -> list[KeyValue]:
    return [kv(k, v) for k, v in mapping.items()]


def request(*metrics, resource=None, scope_name="otel_ebpf", scope_version="0.1.0", schema_url="", scope_attrs=None):
    if resource is None:
        resource = {"service.name": "checkout", "service.instance.id": "i-1"}
    return ExportMetricsServiceRequest(
        resource_metrics=[
            metrics_pb2.ResourceMetrics(
                resource=Resource(attributes=attrs(resource)),
                scope_metrics=[
                    metrics_pb2.ScopeMetrics(
                        scope=InstrumentationScope(
                            name=scope_name, version=scope_version, attributes=attrs(scope_attrs or {})
                        ),
                        schema_url=schema_url,
                        metrics=list(metrics),
                    )
                ],
            )
        ]
    )


def gauge(name, value, unit="", labels=None, time_ns=T0, description=""):
    point = metrics_pb2.NumberDataPoint(attributes=attrs(labels or {}), time_unix_nano=time_ns)
    if isinstance(value, int):
        point.as_int = value
    else:
        point.as_double = value
    return metrics_pb2.Metric(
        name=name, unit=unit, description=description, gauge=metrics_pb2.Gauge(data_points=[point])
    )


def counter(
    name,
    value,
    unit="",
    labels=None,
    start_ns=T0,
    time_ns=T0 + SECOND,
    temporality=CUMULATIVE,
    monotonic=True,
    exemplars=(),
    description="",
):
    point = metrics_pb2.NumberDataPoint(
        attributes=attrs(labels or {}), start_time_unix_nano=start_ns, time_unix_nano=time_ns, exemplars=list(exemplars)
    )
    if isinstance(value, int):
        point.as_int = value
    else:
        point.as_double = value
    return metrics_pb2.Metric(
        name=name,
        unit=unit,
        description=description,
        sum=metrics_pb2.Sum(aggregation_temporality=temporality, is_monotonic=monotonic, data_points=[point]),
    )


def histogram(
    name,
    counts,
    bounds,
    total,
    unit="s",
    labels=None,
    start_ns=T0,
    time_ns=T0 + SECOND,
    temporality=CUMULATIVE,
    exemplars=(),
    description="Duration of HTTP server requests.",
):
    point = metrics_pb2.HistogramDataPoint(
        attributes=attrs(labels or {}),
        start_time_unix_nano=start_ns,
        time_unix_nano=time_ns,
        count=sum(counts),
        sum=total,
        explicit_bounds=bounds,
        bucket_counts=counts,
        exemplars=list(exemplars),
    )
    return metrics_pb2.Metric(
        name=name,
        unit=unit,
        description=description,
        histogram=metrics_pb2.Histogram(aggregation_temporality=temporality, data_points=[point]),
    )


def exemplar(value, trace_id=TRACE_ID, span_id=SPAN_ID, time_ns=T0 + SECOND // 2, **filtered):
    ex = metrics_pb2.Exemplar(time_unix_nano=time_ns, filtered_attributes=attrs(filtered))
    if isinstance(value, int):
        ex.as_int = value
    else:
        ex.as_double = value
    if trace_id:
        ex.trace_id = bytes.fromhex(trace_id)
    if span_id:
        ex.span_id = bytes.fromhex(span_id)
    return ex


# -- exporters outside a service -------------------------------------------------------------


class Recorder(Telemetry):
    """settings.telemetry that keeps the readers, as the service's self-metrics do."""

    def __init__(self) -> None:
        self.readers = []

    def register(self, read) -> None:
        self.readers.append(read)

    def add_counter(self, counter) -> None:
        pass

    def read(self) -> dict:
        out = {}
        for read in self.readers:
            out.update(read())
        return out


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make(config=None, clock=None, telemetry=None, component_id="prometheus") -> PrometheusExporter:
    resolved, errors = factory.resolve({"endpoint": "127.0.0.1:0", **(config or {})}, f"exporters.{component_id}")
    assert not errors
    settings = CreateSettings(id=component_id, kind="exporters", telemetry=telemetry or Recorder())
    if clock is None:
        return factory.create(settings, resolved)
    return PrometheusExporter(settings, resolved, clock=clock)


@pytest.fixture
def exporters():
    made = []
    yield made
    for exp in made:
        exp.shutdown(2.0)


def text(exp: PrometheusExporter, accept: str = "") -> str:
    encoder, _ = choose_encoder(accept)
    return encoder(exp.collector()).decode()


def sample_lines(exposition: str) -> list[str]:
    return [line for line in exposition.splitlines() if line and not line.startswith("#")]


# == translation ================================================================================


@pytest.mark.parametrize(
    ("name", "unit", "kind", "expected"),
    [
        # The agent's own metrics.
        ("http.server.request.duration", "s", translate.HISTOGRAM, "http_server_request_duration_seconds"),
        ("http.client.request.duration", "s", translate.HISTOGRAM, "http_client_request_duration_seconds"),
        ("otel_ebpf.ebpf.events", "{event}", translate.COUNTER, "otel_ebpf_ebpf_events_total"),
        ("otel_ebpf.exporter.sent_spans", "{span}", translate.COUNTER, "otel_ebpf_exporter_sent_spans_total"),
        ("otel_ebpf.tcp.sent", "By", translate.COUNTER, "otel_ebpf_tcp_sent_bytes_total"),
        ("otel_ebpf.tcp.retransmits", "1", translate.COUNTER, "otel_ebpf_tcp_retransmits_total"),
        ("otel_ebpf.health.score", "1", translate.GAUGE, "otel_ebpf_health_score_ratio"),
        ("otel_ebpf.exporter.queue_size", "1", translate.UPDOWN, "otel_ebpf_exporter_queue_size"),
        ("otel_ebpf.tcp.rtt", "s", translate.GAUGE, "otel_ebpf_tcp_rtt_seconds"),
        # otlptranslator metric_namer_test.go (UnderscoreEscapingWithSuffixes).
        ("requests", "", translate.COUNTER, "requests_total"),
        ("cpu_usage", "1", translate.GAUGE, "cpu_usage_ratio"),
        ("items", "1", translate.COUNTER, "items_total"),
        ("response_time", "ms", translate.GAUGE, "response_time_milliseconds"),
        ("throughput", "By/s", translate.GAUGE, "throughput_bytes_per_second"),
        ("custom_metric", "custom_unit", translate.GAUGE, "custom_metric_custom_unit"),
        ("custom_metric", "{custom}", translate.GAUGE, "custom_metric"),
        ("requests_total", "", translate.COUNTER, "requests_total"),
        ("cpu_usage_ratio", "1", translate.GAUGE, "cpu_usage_ratio"),
        ("otelcol.process.cpu.seconds", "s", translate.COUNTER, "otelcol_process_cpu_seconds_total"),
        ("custom_metric", "unit@with#special/chars", translate.GAUGE, "custom_metric_unit_with_special_per_chars"),
        # No duplicated suffixes; annotations dropped; "/" -> "_per_"; invalid characters -> "_".
        ("request.duration.seconds", "s", translate.HISTOGRAM, "request_duration_seconds"),
        ("tcp.bytes", "By", translate.COUNTER, "tcp_bytes_total"),
        ("packets", "{packet}/s", translate.GAUGE, "packets_per_second"),
        ("requests.total.count", "{request}", translate.COUNTER, "requests_count_total"),
        ("disk.io", "MiBy", translate.GAUGE, "disk_io_mebibytes"),
        ("temperature", "Cel", translate.GAUGE, "temperature_celsius"),
        ("http-requests  in flight", "{request}", translate.UPDOWN, "http_requests_in_flight"),
        ("foo__bar", "", translate.GAUGE, "foo_bar"),
        ("3d.render", "", translate.GAUGE, "_3d_render"),
        ("ratio.used", "1", translate.UPDOWN, "ratio_used"),
    ],
)
def test_metric_names_units_and_suffixes(name, unit, kind, expected):
    assert translate.metric_name(name, unit, kind) == expected


def test_metric_names_without_suffixes_and_with_namespace():
    # otlptranslator UnderscoreEscapingWithoutSuffixes: only invalid characters are replaced.
    assert translate.metric_name("http.server.request.duration", "s", translate.HISTOGRAM, add_suffixes=False) == (
        "http_server_request_duration"
    )
    assert translate.metric_name("metric@@##$$name", "", translate.GAUGE, add_suffixes=False) == "metric_name"
    assert translate.metric_name("events", "{event}", translate.COUNTER, add_suffixes=False) == "events"
    assert translate.metric_name("123metric", "", translate.GAUGE, add_suffixes=False) == "_123metric"
    assert translate.metric_name("@_#_$_%", "", translate.GAUGE, add_suffixes=False) is None
    # Namespaces come first, cleaned ("test@namespace!!??" -> "test_namespace", as in otlptranslator's tests).
    assert translate.clean_namespace("test@namespace!!??") == "test_namespace"
    assert translate.metric_name("123_requests", "", translate.COUNTER, "app") == "app_123_requests_total"
    namer = translate.Namer("my-agent")
    assert namer.metric("http.server.request.duration", "s", translate.HISTOGRAM) == (
        "my_agent_http_server_request_duration_seconds"
    )
    assert namer.target_info == "my_agent_target_info"
    # Nothing valid left: refused.
    assert translate.metric_name("@#$%", "", translate.GAUGE) is None
    assert translate.metric_name("", "s", translate.GAUGE) is None


@pytest.mark.parametrize(
    ("unit", "word"),
    [("s", "seconds"), ("By/s", "bytes_per_second"), ("{event}", ""), ("1", ""), ("{request}/s", "per_second")],
)
def test_unit_words(unit, word):
    assert translate.unit_name(unit) == word


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("http.request.method", "http_request_method"),
        ("service.instance.id", "service_instance_id"),
        ("0abc", "key_0abc"),  # label_namer_test.go: leading digit -> "key_"
        ("__reserved__", "__reserved__"),  # reserved names keep their underscores
        ("a..b", "a_b"),
        ("a__b", "a_b"),  # runs of "_" collapse (the spec's Metric Attributes)
        ("_private", "_private"),
        ("label with spaces", "label_with_spaces"),
        ("ключ", None),  # nothing valid left: refused
        ("", None),
    ],
)
def test_label_names(key, label):
    assert translate.label_name(key) == label


def test_attribute_values_follow_the_non_otlp_representation():
    value = translate.attribute_value
    assert value(AnyValue(string_value="GET")) == "GET"
    assert value(AnyValue(bool_value=True)) == "true"
    assert value(AnyValue(int_value=-42)) == "-42"
    assert value(AnyValue(double_value=1.5)) == "1.5"
    assert value(AnyValue(double_value=math.nan)) == "NaN"
    assert value(AnyValue(double_value=-math.inf)) == "-Infinity"
    assert value(AnyValue(bytes_value=b"hello world")) == "aGVsbG8gd29ybGQ="
    array = AnyValue(array_value=ArrayValue(values=[AnyValue(int_value=1), AnyValue(string_value="a")]))
    assert value(array) == '[1,"a"]'
    kvlist = AnyValue(kvlist_value=KeyValueList(values=[kv("b", 2), kv("c", math.inf)]))
    assert value(kvlist) == '{"b":2,"c":"Infinity"}'
    assert value(AnyValue()) == ""


def test_job_and_instance():
    assert translate.job_and_instance({"service.name": "checkout", "service.instance.id": "i-1"}) == ("checkout", "i-1")
    assert translate.job_and_instance({"service.name": "checkout", "service.namespace": "shop"}) == (
        "shop/checkout",
        None,
    )
    assert translate.job_and_instance({"host.name": "h"}) == (None, None)


# == labels, target_info, configuration =======================================================


def test_labels_job_instance_scope_and_target_info():
    exp = make()
    resource = {
        "service.name": "checkout",
        "service.namespace": "shop",
        "service.instance.id": "i-1",
        "process.pid": 4242,
        "host.name": "node-1",
    }
    exp.export_metrics(
        request(
            counter("otel_ebpf.ebpf.events", 7, "{event}", labels={"http.request.method": "GET"}),
            resource=resource,
            schema_url="https://opentelemetry.io/schemas/1.26.0",
        )
    )
    out = text(exp)
    labels = f'http_request_method="GET",instance="i-1",job="shop/checkout",{SCOPE_LABELS}'
    assert f"otel_ebpf_ebpf_events_total{{{labels}}} 7.0" in out
    # target_info: every other resource attribute, job and instance, nothing else (the spec).
    assert 'target_info{host_name="node-1",instance="i-1",job="shop/checkout",process_pid="4242"} 1.0' in out
    assert "# TYPE target_info gauge" in out
    # OpenMetrics: an info-typed family.
    om = text(exp, OPENMETRICS)
    assert "# TYPE target info" in om
    assert om.endswith("# EOF\n")


def test_no_target_info_without_job_and_instance():
    exp = make()
    exp.export_metrics(request(gauge("queue.size", 3), resource={"service.name": "checkout", "host.name": "h"}))
    out = text(exp)
    assert "target_info" not in out
    assert 'queue_size{job="checkout",' in out


def test_const_labels_namespace_and_no_suffixes():
    exp = make({"namespace": "agent", "const_labels": {"region": "eu", "job": "forced"}, "add_metric_suffixes": False})
    exp.export_metrics(
        request(
            histogram("http.server.request.duration", [1, 0], [0.1], 0.05),
            counter("otel_ebpf.ebpf.events", 2, "{event}"),
        )
    )
    out = text(exp)
    # const_labels on every series, and they win over a label of the same name.
    assert (
        'agent_http_server_request_duration_bucket{instance="i-1",job="forced",le="0.1",otel_scope_name="otel_ebpf",'
        'otel_scope_schema_url="",otel_scope_version="0.1.0",region="eu"} 1.0'
    ) in out
    # prometheus_client always writes a counter's samples as <name>_total.
    assert "# TYPE agent_otel_ebpf_ebpf_events_total counter" in out
    assert 'agent_target_info{instance="i-1",job="checkout"} 1.0' in out  # no const labels on target_info


def test_resource_to_telemetry_conversion():
    exp = make({"resource_to_telemetry_conversion": {"enabled": True}})
    resource = {"service.name": "checkout", "service.instance.id": "i-1", "host.name": "node-1", "k8s.pod.name": "p"}
    exp.export_metrics(request(gauge("queue.size", 3, labels={"host.name": "own"}), resource=resource))
    (line,) = [line for line in sample_lines(text(exp)) if line.startswith("queue_size")]
    # Every resource attribute becomes a label; the point's own attribute wins over the resource's.
    assert 'host_name="own"' in line
    assert 'k8s_pod_name="p"' in line
    assert 'service_name="checkout"' in line
    assert 'service_instance_id="i-1"' in line
    assert 'job="checkout"' in line and 'instance="i-1"' in line
    # Off by default.
    plain = make()
    plain.export_metrics(request(gauge("queue.size", 3), resource=resource))
    assert "k8s_pod_name" not in [line for line in sample_lines(text(plain)) if line.startswith("queue_size")][0]


def test_scope_attributes_and_colliding_keys():
    exp = make()
    exp.export_metrics(
        request(
            gauge("g", 1, labels={"a.b": "dot", "a_b": "underscore"}),
            scope_attrs={"name": "dropped", "team": "net"},
            scope_version="",
        )
    )
    (line,) = sample_lines(text(exp))[1:]  # after target_info
    # Keys mapping to one label: values joined with ";" in the order of the original keys (the spec).
    assert 'a_b="dot;underscore"' in line
    # Scope attributes as otel_scope_<key>; one that would replace otel_scope_name is dropped.
    assert 'otel_scope_team="net"' in line
    assert 'otel_scope_name="otel_ebpf"' in line
    assert 'otel_scope_version=""' in line


def test_factory_config_defaults_validation_and_claims():
    assert factory.signals == (METRICS,)
    defaults = factory.default_config()
    assert defaults == {
        "endpoint": "127.0.0.1:9464",
        "namespace": "",
        "const_labels": {},
        "send_timestamps": False,
        "metric_expiration": 300.0,
        "resource_to_telemetry_conversion": {"enabled": False},
        "enable_open_metrics": False,
        "add_metric_suffixes": True,
    }
    _, errors = factory.resolve({"endpoint": "localhost", "metric_expiration": "soon"}, "exporters.prometheus")
    assert "exporters.prometheus.endpoint: 'localhost' is not host:port (e.g. 127.0.0.1:4317)" in errors
    assert any(e.startswith("exporters.prometheus.metric_expiration:") for e in errors)
    _, errors = factory.resolve({"const_labels": {"bad-name": "x", "le": "1", "ok": "y"}}, "exporters.prometheus")
    assert errors == [
        "exporters.prometheus.const_labels: 'bad-name' is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, no __)",
        "exporters.prometheus.const_labels: 'le' is reserved for histogram buckets and summary quantiles",
    ]
    _, errors = factory.resolve({"namespace": "--"}, "exporters.prometheus")
    assert errors == ["exporters.prometheus.namespace: '--' has no letter or digit to build metric names from"]
    assert [c.resource for c in factory.claims(defaults)] == ["TCP port 9464"]
    assert factory.claims({**defaults, "endpoint": "127.0.0.1:0"}) == []


def test_two_listeners_on_one_port_are_a_config_error(tmp_path: Path):
    stub = Factory(RECEIVERS, "stub", (TRACES, METRICS), "a receiver", lambda s, c, n: None, schema=Section({}))
    path = tmp_path / "agent.yaml"
    path.write_text(
        "receivers: {stub: {}}\n"
        "exporters:\n"
        "  prometheus/a: {endpoint: '127.0.0.1:9999'}\n"
        "  prometheus/b: {endpoint: '0.0.0.0:9999'}\n"
        "service: {pipelines: {metrics: {receivers: [stub], exporters: [prometheus/a, prometheus/b]}}}\n"
    )
    with pytest.raises(ConfigError) as err:
        load_config([path], {}, registry=Registry([factory, stub]))
    assert "exporters.prometheus/b: TCP port 9999 is already used by exporters.prometheus/a" in str(err.value)


def test_builtin_factory_list_has_prometheus():
    from otel_ebpf.components import BUILTIN

    assert factory in BUILTIN


# == state: histograms, temporality, exemplars, expiry ========================================


def test_histogram_buckets_are_cumulative_with_inf_equal_to_count():
    exp = make()
    exp.export_metrics(request(histogram("http.server.request.duration", [1, 2, 0, 4], [0.005, 0.01, 0.025], 12.5)))
    lines = [line for line in sample_lines(text(exp)) if line.startswith("http_server_request_duration_seconds")]
    values = [
        (line.split('le="')[1].split('"')[0] if "le=" in line else line.split("{")[0], line.rsplit(" ", 1)[1])
        for line in lines
    ]
    assert values == [
        ("0.005", "1.0"),
        ("0.01", "3.0"),
        ("0.025", "3.0"),
        ("+Inf", "7.0"),
        ("http_server_request_duration_seconds_count", "7.0"),
        ("http_server_request_duration_seconds_sum", "12.5"),
    ]


def test_cumulative_points_replace_older_ones_and_stale_points_are_refused():
    exp = make()
    exp.export_metrics(request(counter("events", 5, time_ns=T0 + 2 * SECOND)))
    exp.export_metrics(request(counter("events", 3, time_ns=T0 + SECOND)))  # older: refused
    assert 'events_total{instance="i-1"' in text(exp) and " 5.0" in text(exp)
    exp.export_metrics(request(counter("events", 9, time_ns=T0 + 3 * SECOND)))
    assert [line for line in sample_lines(text(exp)) if line.startswith("events_total")][0].endswith(" 9.0")
    assert exp.refused() == {"out_of_order": 1}


def test_delta_sums_and_histograms_accumulate_into_cumulative():
    exp = make()
    for i in range(3):  # aligned deltas: each starts where the previous ended
        start, end = T0 + i * SECOND, T0 + (i + 1) * SECOND
        exp.export_metrics(
            request(
                counter("events", 2, start_ns=start, time_ns=end, temporality=DELTA),
                histogram("latency", [1, 1], [0.1], 0.3, start_ns=start, time_ns=end, temporality=DELTA),
            )
        )
    out = text(exp)
    assert [line for line in sample_lines(out) if line.startswith("events_total")][0].endswith(" 6.0")
    assert [line for line in sample_lines(out) if line.startswith("latency_seconds_count")][0].endswith(" 6.0")
    assert [line for line in sample_lines(out) if 'le="0.1"' in line][0].endswith(" 3.0")
    # A delta starting before the held point's end is misaligned: dropped (the Collector's rule).
    exp.export_metrics(request(counter("events", 100, start_ns=T0, time_ns=T0 + 9 * SECOND, temporality=DELTA)))
    # A delta starting after it is a restart: it becomes the running total.
    exp.export_metrics(
        request(counter("events", 1, start_ns=T0 + 10 * SECOND, time_ns=T0 + 11 * SECOND, temporality=DELTA))
    )
    assert [line for line in sample_lines(text(exp)) if line.startswith("events_total")][0].endswith(" 1.0")
    # Non-monotonic deltas cannot be made cumulative: refused.
    exp.export_metrics(request(counter("level", 1, temporality=DELTA, monotonic=False)))
    assert exp.refused() == {"misaligned_delta": 1, "unsupported_temporality": 1}


def test_refused_points_are_counted_never_raised():
    telemetry = Recorder()
    exp = make(telemetry=telemetry)
    exponential = metrics_pb2.Metric(
        name="exp",
        exponential_histogram=metrics_pb2.ExponentialHistogram(
            aggregation_temporality=CUMULATIVE, data_points=[metrics_pb2.ExponentialHistogramDataPoint(count=1)]
        ),
    )
    bad_buckets = histogram("bad", [1, 2, 3], [0.1], 1.0)
    bad_buckets.histogram.data_points[0].count = 99  # does not match the bucket counts
    exp.export_metrics(
        request(
            exponential,
            bad_buckets,
            histogram("with.le", [1, 0], [0.1], 0.1, labels={"le": "x"}),
            gauge("kind.clash", 1.0),
            counter("kind.clash", 1),  # kind_clash_total: its family "kind_clash" is a gauge already
            gauge("ключ", 1.0),
            gauge("label.clash", 1.0, labels={"ключ": "v"}),
            gauge("target.info", 1.0),
            metrics_pb2.Metric(
                name="empty.point", gauge=metrics_pb2.Gauge(data_points=[metrics_pb2.NumberDataPoint()])
            ),
        )
    )
    exp.export_metrics("not a request")
    exp.export_traces(
        ExportTraceServiceRequest(
            resource_spans=[trace_pb2.ResourceSpans(scope_spans=[trace_pb2.ScopeSpans(spans=[trace_pb2.Span()] * 3)])]
        )
    )
    assert exp.refused() == {
        "exponential_histogram": 1,
        "invalid_point": 2,
        "reserved_label": 1,
        "type_conflict": 2,
        "invalid_name": 1,
        "invalid_label_name": 1,
    }
    readings = telemetry.read()
    me = (("exporter", "prometheus"),)
    assert readings[("otel_ebpf.exporter.received_metric_points", me)] == 9
    assert readings[("otel_ebpf.exporter.series_held", me)] == 1  # kind_clash gauge
    assert readings[("otel_ebpf.exporter.invalid_requests", me)] == 1
    assert readings[("otel_ebpf.exporter.dropped_spans", me)] == 3
    assert readings[("otel_ebpf.exporter.refused_metric_points", (*me, ("reason", "type_conflict")))] == 2
    # What is exposed is still valid.
    assert sample_lines(text(exp)) == [
        'target_info{instance="i-1",job="checkout"} 1.0',
        f"kind_clash{{{NO_SCHEMA}}} 1.0",
    ]


def test_a_failing_metric_does_not_lose_the_rest_of_the_request(monkeypatch):
    exp = make()
    convert_point = exp._converter._point

    def broken(point, type_, delta):
        if type_ == "summary":
            raise RuntimeError("bug")
        return convert_point(point, type_, delta)

    monkeypatch.setattr(exp._converter, "_point", broken)
    summary = metrics_pb2.Metric(
        name="s", summary=metrics_pb2.Summary(data_points=[metrics_pb2.SummaryDataPoint(count=1, sum=1.0)])
    )
    exp.export_metrics(request(gauge("before", 1.0), summary, gauge("after", 2.0)))
    assert exp.refused() == {"conversion_error": 1}
    assert exp.stats()["received_metric_points"] == 3
    assert [line.split("{")[0] for line in sample_lines(text(exp))] == ["target_info", "after", "before"]


def test_no_recorded_value_removes_the_series():
    exp = make()
    exp.export_metrics(request(gauge("g", 1.0)))
    stale = gauge("g", 0.0, time_ns=T0 + SECOND)
    stale.gauge.data_points[0].flags = metrics_pb2.DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK
    exp.export_metrics(request(stale))
    assert sample_lines(text(exp)) == []
    assert exp.stats()["series_held"] == 0


def test_summaries():
    exp = make()
    point = metrics_pb2.SummaryDataPoint(
        count=10,
        sum=2.5,
        time_unix_nano=T0,
        quantile_values=[
            metrics_pb2.SummaryDataPoint.ValueAtQuantile(quantile=0.99, value=0.9),
            metrics_pb2.SummaryDataPoint.ValueAtQuantile(quantile=0.5, value=0.2),
        ],
    )
    exp.export_metrics(
        request(metrics_pb2.Metric(name="rpc.duration", unit="s", summary=metrics_pb2.Summary(data_points=[point])))
    )
    lines = [line for line in sample_lines(text(exp)) if line.startswith("rpc_duration_seconds")]
    common = NO_SCHEMA
    assert lines == [
        f'rpc_duration_seconds{{{common},quantile="0.5"}} 0.2',
        f'rpc_duration_seconds{{{common},quantile="0.99"}} 0.9',
        f"rpc_duration_seconds_count{{{common}}} 10.0",
        f"rpc_duration_seconds_sum{{{common}}} 2.5",
    ]


def test_expiry_with_an_injected_clock():
    clock = Clock()
    telemetry = Recorder()
    exp = make({"metric_expiration": "5m"}, clock=clock, telemetry=telemetry)
    exp.export_metrics(request(gauge("a", 1.0), gauge("b", 2.0)))
    clock.now += 200
    exp.export_metrics(request(gauge("b", 3.0)))  # b is refreshed, a is not
    clock.now += 100.5  # a: 300.5 s without update; b: 100.5 s
    out = text(exp)
    assert not any(line.startswith("a{") for line in sample_lines(out))
    assert any(line.startswith("b{") for line in sample_lines(out))
    assert "target_info" in out  # b still refers to the resource
    me = (("exporter", "prometheus"),)
    readings = telemetry.read()
    assert readings[("otel_ebpf.exporter.expired_series", me)] == 1
    assert readings[("otel_ebpf.exporter.series_held", me)] == 1
    clock.now += 300
    assert sample_lines(text(exp)) == []  # target_info goes with the last series
    assert exp.stats()["expired_series"] == 2


def test_exemplars_per_bucket_only_in_openmetrics_and_kept_until_reset():
    exp = make()
    bounds = [0.005, 0.01, 0.025]
    first = exemplar(0.007, time_ns=T0 + SECOND // 2)
    exp.export_metrics(
        request(histogram("http.server.request.duration", [0, 1, 0, 0], bounds, 0.007, exemplars=[first]))
    )
    # The next export has an exemplar in another bucket only: the first one stays (latest per bucket).
    second = exemplar(0.02, trace_id="1" * 32, span_id="2" * 16, time_ns=T0 + 3 * SECOND // 2, **{"http.route": "/x"})
    exp.export_metrics(
        request(
            histogram(
                "http.server.request.duration", [0, 1, 1, 0], bounds, 0.027, time_ns=T0 + 2 * SECOND, exemplars=[second]
            )
        )
    )
    plain = text(exp)
    assert " # {" not in plain  # no exemplars in the text format
    om = text(exp, OPENMETRICS)
    assert 'le="0.01"' in om and f'# {{span_id="{SPAN_ID}",trace_id="{TRACE_ID}"}} 0.007 1700000000.500000000' in om
    kept = f'# {{span_id="{SPAN_ID}",trace_id="{TRACE_ID}"}} 0.007 1700000000.500000000'
    new = '# {http_route="/x",span_id="2222222222222222",trace_id="11111111111111111111111111111111"} 0.02'
    assert kept in om and f"{new} 1700000001.500000000" in om
    # A reset (new start time) forgets the kept exemplars.
    exp.export_metrics(
        request(
            histogram(
                "http.server.request.duration",
                [0, 0, 0, 1],
                bounds,
                1.0,
                start_ns=T0 + 5 * SECOND,
                time_ns=T0 + 6 * SECOND,
            )
        )
    )
    assert " # {" not in text(exp, OPENMETRICS)


def test_send_timestamps():
    exp = make({"send_timestamps": True})
    exp.export_metrics(request(gauge("g", 1.0, time_ns=T0 + 123_000_000)))
    (line,) = [line for line in sample_lines(text(exp)) if line.startswith("g{")]
    assert line.endswith(" 1.0 1700000000123")  # milliseconds in the text format
    (line,) = [line for line in sample_lines(text(exp, OPENMETRICS)) if line.startswith("g{")]
    assert line.endswith(" 1.0 1700000000.123000000")  # seconds in OpenMetrics


# == the HTTP endpoint ==========================================================================


def agent_request(trace_ids: list[str]) -> ExportMetricsServiceRequest:
    """What a metrics pipeline of the agent sends: two services, histograms with exemplars, sums, gauges."""
    counts = [3, 5, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    server = histogram(
        "http.server.request.duration",
        counts,
        HTTP_BUCKETS,
        0.321,
        labels={
            "http.request.method": "GET",
            "http.route": "/cart",
            "http.response.status_code": 200,
            "url.scheme": "http",
        },
        exemplars=[
            exemplar(0.004, trace_id=trace_ids[0], time_ns=T0 + 100_000_000),
            exemplar(0.009, trace_id=trace_ids[1], time_ns=T0 + 200_000_000),
            exemplar(0.093, trace_id=trace_ids[2], time_ns=T0 + 300_000_000),
        ],
    )
    errors = histogram(
        "http.server.request.duration",
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
        HTTP_BUCKETS,
        1.7,
        labels={
            "http.request.method": "POST",
            "http.route": "/pay",
            "http.response.status_code": 503,
            "error.type": "503",
        },
        exemplars=[exemplar(1.7, trace_id=trace_ids[3], time_ns=T0 + 400_000_000)],
    )
    server.histogram.data_points.append(errors.histogram.data_points[0])
    agent_metrics = [
        server,
        counter(
            "otel_ebpf.ebpf.events",
            1234,
            "{event}",
            exemplars=[exemplar(1, trace_id=trace_ids[4], time_ns=T0 + 500_000_000)],
            description="running total since the agent started",
        ),
        counter(
            "otel_ebpf.tcp.sent",
            987654,
            "By",
            labels={"network.peer.address": "10.0.0.7"},
            description="Bytes sent on TCP flows",
        ),
        counter("otel_ebpf.tcp.retransmits", 3, "1", description="TCP segments retransmitted"),
        counter(
            "otel_ebpf.exporter.sent_spans",
            40,
            "{span}",
            labels={"exporter": "otlp"},
            description="running total since the agent started",
        ),
        gauge("otel_ebpf.health.score", 0.75, "1", labels={"http.route": "/cart"}, description="Endpoint health"),
        gauge("otel_ebpf.tcp.rtt", 0.0021, "s", description="Smoothed TCP round-trip time"),
    ]
    checkout = metrics_pb2.ResourceMetrics(
        resource=Resource(
            attributes=attrs(
                {
                    "service.name": "checkout",
                    "service.namespace": "shop",
                    "service.instance.id": "9f6c3e-1",
                    "process.pid": 4242,
                    "process.executable.name": "python3",
                    "host.name": "node-1",
                    "telemetry.distro.name": "otel-ebpf",
                }
            )
        ),
        scope_metrics=[
            metrics_pb2.ScopeMetrics(
                scope=InstrumentationScope(name="otel_ebpf", version="0.1.0"),
                schema_url="https://opentelemetry.io/schemas/1.26.0",
                metrics=agent_metrics,
            )
        ],
    )
    cart_histogram = histogram(
        "http.server.request.duration",
        [1] + [0] * 14,
        HTTP_BUCKETS,
        0.001,
        labels={"http.request.method": "GET", "http.route": "/items", "http.response.status_code": 200},
    )
    cart = metrics_pb2.ResourceMetrics(
        resource=Resource(attributes=attrs({"service.name": "cart", "service.instance.id": "c-2", "process.pid": 77})),
        scope_metrics=[
            metrics_pb2.ScopeMetrics(
                scope=InstrumentationScope(name="otel_ebpf", version="0.1.0"),
                schema_url="https://opentelemetry.io/schemas/1.26.0",
                metrics=[cart_histogram],
            )
        ],
    )
    return ExportMetricsServiceRequest(resource_metrics=[checkout, cart])


def scrape(port: int, accept: str | None = None, path: str = "/metrics", gzipped: bool = False):
    headers = {}
    if accept is not None:
        headers["Accept"] = accept
    if gzipped:
        headers["Accept-Encoding"] = "gzip"
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    with urllib.request.urlopen(req, timeout=5) as resp:
        body = resp.read()
        if resp.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return resp.headers["Content-Type"], body.decode()


def promtool_check(exposition: str) -> None:
    """``promtool check metrics`` must find nothing: neither a parse error nor a lint problem."""
    promtool = require_binary("promtool")
    result = subprocess.run(
        [promtool, "check", "metrics"], input=exposition, capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0 and not result.stdout.strip() and not result.stderr.strip(), (
        f"promtool check metrics: rc={result.returncode}\n{result.stdout}\n{result.stderr}"
    )


class _Families:
    def __init__(self, families):
        self.families = families

    def collect(self):
        return iter(self.families)


def test_http_scrape_plain_text_and_openmetrics(exporters):
    telemetry = Recorder()
    exp = make(telemetry=telemetry)
    exporters.append(exp)
    exp.start(None)
    trace_ids = [f"{i:032x}" for i in range(1, 6)]
    exp.export_metrics(agent_request(trace_ids))
    port = exp.server.port

    # Plain text (no Accept header): Prometheus text 0.0.4, no exemplars, no EOF.
    content_type, plain = scrape(port)
    assert content_type == "text/plain; version=0.0.4; charset=utf-8"
    checkout = 'instance="9f6c3e-1",job="shop/checkout"'
    get_cart = f'http_request_method="GET",http_response_status_code="200",http_route="/cart",{checkout}'
    assert (
        f'http_server_request_duration_seconds_bucket{{{get_cart},le="0.005",{SCOPE_LABELS},url_scheme="http"}} 3.0'
        in plain
    )
    assert (
        f'http_server_request_duration_seconds_bucket{{{get_cart},le="0.01",{SCOPE_LABELS},url_scheme="http"}} 8.0'
        in plain
    )
    assert (
        f'http_server_request_duration_seconds_bucket{{{get_cart},le="+Inf",{SCOPE_LABELS},url_scheme="http"}} 11.0'
        in plain
    )
    assert f'http_server_request_duration_seconds_count{{{get_cart},{SCOPE_LABELS},url_scheme="http"}} 11.0' in plain
    assert f"otel_ebpf_ebpf_events_total{{{checkout},{SCOPE_LABELS}}} 1234.0" in plain
    assert (
        f'otel_ebpf_tcp_sent_bytes_total{{{checkout},network_peer_address="10.0.0.7",{SCOPE_LABELS}}} 987654.0' in plain
    )
    assert f"otel_ebpf_tcp_retransmits_total{{{checkout},{SCOPE_LABELS}}} 3.0" in plain
    assert f'otel_ebpf_exporter_sent_spans_total{{exporter="otlp",{checkout},{SCOPE_LABELS}}} 40.0' in plain
    assert f'otel_ebpf_health_score_ratio{{http_route="/cart",{checkout},{SCOPE_LABELS}}} 0.75' in plain
    assert f"otel_ebpf_tcp_rtt_seconds{{{checkout},{SCOPE_LABELS}}} 0.0021" in plain
    assert (
        'target_info{host_name="node-1",instance="9f6c3e-1",job="shop/checkout",process_executable_name="python3",'
        'process_pid="4242",telemetry_distro_name="otel-ebpf"} 1.0' in plain
    )
    assert 'target_info{instance="c-2",job="cart",process_pid="77"} 1.0' in plain
    assert "# {" not in plain and "# EOF" not in plain

    # What Prometheus with exemplar storage asks for: OpenMetrics 1.0 with exemplars.
    content_type, om = scrape(port, PROMETHEUS_ACCEPT)
    assert content_type.startswith("application/openmetrics-text; version=1.0.0; charset=utf-8")
    assert om.endswith("# EOF\n")
    assert "# UNIT http_server_request_duration_seconds seconds" in om
    assert (
        f'http_server_request_duration_seconds_bucket{{{get_cart},le="0.01",{SCOPE_LABELS},url_scheme="http"}} 8.0 '
        f'# {{span_id="{SPAN_ID}",trace_id="{trace_ids[1]}"}} 0.009 1700000000.200000000'
    ) in om
    assert (
        f"otel_ebpf_ebpf_events_total{{{checkout},{SCOPE_LABELS}}} 1234.0 "
        f'# {{span_id="{SPAN_ID}",trace_id="{trace_ids[4]}"}} 1.0 1700000000.500000000'
    ) in om
    # Prometheus client's strict OpenMetrics parser reads it back, exemplars included.
    families = {f.name: f for f in text_string_to_metric_families(om)}
    buckets = [s for s in families["http_server_request_duration_seconds"].samples if s.exemplar is not None]
    assert sorted((s.labels["le"], s.exemplar.labels["trace_id"], s.exemplar.value) for s in buckets) == [
        ("0.005", trace_ids[0], 0.004),
        ("0.01", trace_ids[1], 0.009),
        ("0.1", trace_ids[2], 0.093),
        ("2.5", trace_ids[3], 1.7),  # 1.7 falls in (1, 2.5]
    ]
    assert families["target"].type == "info"

    # Explicit Accept header; gzip; "/" serves the metrics too; other paths are 404.
    content_type, om2 = scrape(port, "application/openmetrics-text; version=1.0.0", path="/", gzipped=True)
    assert content_type.startswith("application/openmetrics-text") and om2 == om
    with pytest.raises(urllib.error.HTTPError) as err:
        scrape(port, path="/other")
    assert err.value.code == 404
    readings = telemetry.read()
    assert readings[("otel_ebpf.exporter.scrapes", (("exporter", "prometheus"),))] == 3


def test_promtool_check_metrics_on_both_expositions(exporters):
    """promtool (Debian's ``prometheus`` package) lints both scrapes: skipped without it, failed
    without it under CI=true.  It reads the text format only (prometheus/prometheus#8932), so
    the OpenMetrics scrape is parsed by prometheus_client's strict parser and what it holds is
    linted in the text format."""
    exp = make()
    exporters.append(exp)
    exp.start(None)
    exp.export_metrics(agent_request([f"{i:032x}" for i in range(1, 6)]))
    _, plain = scrape(exp.server.port)
    _, om = scrape(exp.server.port, PROMETHEUS_ACCEPT)
    promtool_check(plain)
    promtool_check(text_encode(_Families(list(text_string_to_metric_families(om)))).decode())


def test_enable_open_metrics_serves_openmetrics_to_every_scraper(exporters):
    exp = make({"enable_open_metrics": True})
    exporters.append(exp)
    exp.start(None)
    exp.export_metrics(agent_request([f"{i:032x}" for i in range(1, 6)]))
    content_type, body = scrape(exp.server.port)
    assert content_type.startswith("application/openmetrics-text; version=1.0.0")
    assert body.endswith("# EOF\n") and " # {" in body


def test_port_already_taken_fails_start_with_a_clear_message(exporters):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        exp = make({"endpoint": f"127.0.0.1:{port}"})
        exporters.append(exp)
        with pytest.raises(RuntimeError) as err:
            exp.start(None)
    assert str(err.value) == (
        f"prometheus exporter prometheus: cannot listen on 127.0.0.1:{port}: "
        "the port is already in use (another process, or another listener in this agent)"
    )
    exp.shutdown(1.0)  # safe after a failed start


def test_lifecycle_shutdown_is_safe_idempotent_and_stops_the_server():
    never_started = make()
    never_started.shutdown(0.5)
    never_started.shutdown(0.5)
    assert never_started.force_flush(0.5)

    exp = make()
    exp.start(None)
    port = exp.server.port
    scrape(port)
    exp.shutdown(2.0)
    exp.shutdown(2.0)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    exp.export_metrics(request(gauge("late", 1.0)))  # after shutdown: counted, never raised
    assert exp.refused() == {"stopped": 1}


def test_concurrent_exports_and_scrapes(exporters):
    exp = make()
    exporters.append(exp)
    exp.start(None)
    errors = []

    def push(worker: int) -> None:
        try:
            for i in range(50):
                exp.export_metrics(request(counter("events", i, labels={"worker": worker}, time_ns=T0 + i * SECOND)))
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=push, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for _ in range(10):
        scrape(exp.server.port, PROMETHEUS_ACCEPT)
    for t in threads:
        t.join()
    assert not errors
    final = sample_lines(scrape(exp.server.port)[1])
    assert sorted(line for line in final if line.startswith("events_total")) == [
        f'events_total{{{NO_SCHEMA},worker="{w}"}} 49.0' for w in range(4)
    ]
    assert exp.stats()["received_metric_points"] == 200
