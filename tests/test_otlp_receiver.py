"""The OTLP/gRPC receiver, fed by the real OpenTelemetry Python SDK (and rotel) over loopback.

What is measured: the exchanges and request counts the callbacks get from what the SDK
exported (fields, ids, durations, deltas across exports), the answers to garbage, failing
callbacks and invalid spans, the self-metric counters against what was actually sent, and the
time shutdown takes while calls are in flight.
"""

from __future__ import annotations

import os
import random
import subprocess
import threading
import time
from collections.abc import Iterator

import grpc
import pytest
from opentelemetry import context as otel_context
from opentelemetry import trace as trace_api
from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2_grpc import TraceServiceStub
from opentelemetry.proto.metrics.v1 import metrics_pb2
from opentelemetry.proto.trace.v1 import trace_pb2
from opentelemetry.sdk.metrics import Histogram, MeterProvider
from opentelemetry.sdk.metrics.export import AggregationTemporality, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode

from otel_ebpf.model import STATUS_ERROR, Role
from otel_ebpf.receivers.otlp.histograms import HistogramDeltaState, requests_from_histograms
from otel_ebpf.receivers.otlp.resources import ProcessCache
from otel_ebpf.receivers.otlp.server import OtlpReceiver, Rejected
from otel_ebpf.receivers.otlp.spans import SpanConversionStats, exchanges_from_spans
from otel_ebpf.telemetry.attributes import to_key_values
from tests.conftest_rotel import free_port, require_rotel

BASE = (("receiver", "otlp"), ("transport", "grpc"))
TRACE_METHOD = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"
METRICS_METHOD = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export"
SEMCONV_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)
LOOPBACK = {"protocols": {"grpc": {"endpoint": "127.0.0.1:0"}}}


class Sink:
    """Callback that records requests (and may fail or block on demand)."""

    def __init__(self) -> None:
        self.requests: list = []
        self.fail: Exception | None = None
        self.result: Rejected | None = None
        self.delay_s = 0.0
        self.gate: threading.Event | None = None
        self.entered = threading.Event()
        self.lock = threading.Lock()

    def __call__(self, request):
        self.entered.set()
        if self.gate is not None:
            self.gate.wait(30)
        if self.delay_s:
            time.sleep(self.delay_s)
        if self.fail is not None:
            raise self.fail
        with self.lock:
            self.requests.append(request)
        return self.result


@pytest.fixture
def sinks() -> tuple[Sink, Sink]:
    return Sink(), Sink()


@pytest.fixture
def receiver(sinks) -> Iterator[OtlpReceiver]:
    r = OtlpReceiver(LOOPBACK, sinks[0], sinks[1])
    r.start()
    yield r
    r.shutdown(2.0)


@pytest.fixture
def providers(receiver) -> Iterator[list]:
    """SDK providers to shut down after the test (before the receiver, so nothing is left retrying)."""
    made: list = []
    yield made
    for provider in made:
        provider.shutdown()


def channel_to(r: OtlpReceiver) -> grpc.Channel:
    return grpc.insecure_channel(f"127.0.0.1:{r.bound_port}")


def raw_call(r: OtlpReceiver, method: str, payload: bytes, timeout: float = 5.0) -> tuple[grpc.StatusCode, bytes]:
    """Sends ``payload`` as is (no protobuf on our side) and returns (status, response bytes)."""
    with channel_to(r) as channel:
        call = channel.unary_unary(method, request_serializer=None, response_deserializer=None)
        try:
            return grpc.StatusCode.OK, call(payload, timeout=timeout)
        except grpc.RpcError as err:
            return err.code(), b""


def tracer_provider(port: int, compression: grpc.Compression | None = None) -> TracerProvider:
    provider = TracerProvider(
        resource=Resource.create({"service.name": "checkout", "process.pid": 4242, "service.instance.id": "i-1"})
    )
    exporter = OTLPSpanExporter(endpoint=f"127.0.0.1:{port}", insecure=True, timeout=5, compression=compression)
    provider.add_span_processor(BatchSpanProcessor(exporter, schedule_delay_millis=60_000))
    return provider


def make_span(trace_id: bytes = b"\x01" * 16, span_id: bytes = b"\x02" * 8, **attrs) -> trace_pb2.Span:
    return trace_pb2.Span(
        trace_id=trace_id,
        span_id=span_id,
        name="GET",
        kind=trace_pb2.Span.SPAN_KIND_SERVER,
        start_time_unix_nano=1_000,
        end_time_unix_nano=2_000,
        attributes=to_key_values(attrs or {"http.request.method": "GET"}),
    )


def trace_request(*spans: trace_pb2.Span, service: str = "svc") -> ExportTraceServiceRequest:
    request = ExportTraceServiceRequest()
    rs = request.resource_spans.add()
    rs.resource.attributes.extend(to_key_values({"service.name": service}))
    rs.scope_spans.add().spans.extend(spans)
    return request


# --- traces from the SDK ---------------------------------------------------------------------


@pytest.mark.parametrize("compression", [None, grpc.Compression.Gzip], ids=["plain", "gzip"])
def test_sdk_spans_become_exchanges(receiver, sinks, providers, compression):
    provider = tracer_provider(receiver.bound_port, compression)
    providers.append(provider)
    tracer = provider.get_tracer("test")
    t0 = time.time_ns()
    server = tracer.start_span(
        "GET /users/{id}",
        kind=SpanKind.SERVER,
        start_time=t0,
        attributes={
            "http.request.method": "GET",
            "http.route": "/users/{id}",
            "url.path": "/users/42",
            "url.query": "verbose=1",
            "url.scheme": "http",
            "http.response.status_code": 200,
            "server.port": 8080,
            "network.peer.address": "10.0.0.7",
            "network.peer.port": 51000,
            "network.protocol.version": "1.1",
            "user_agent.original": "curl/8.0",
        },
    )
    server.end(end_time=t0 + 25_000_000)
    # Old (pre-1.21) attribute names, a CLIENT span in error with our semantic-error attributes.
    with trace_api.use_span(server):
        client = tracer.start_span(
            "POST",
            kind=SpanKind.CLIENT,
            start_time=t0 + 1_000_000,
            attributes={
                "http.method": "POST",
                "http.status_code": 503,
                "http.url": "http://payments:9000/charge?id=7",
                "server.address": "payments",
                "server.port": 9000,
                "error.type": "503",
                "otel_ebpf.error.kind": "system",
                "otel_ebpf.error.type": "server_error",
                "otel_ebpf.error.severity": "high",
            },
        )
    client.set_status(Status(StatusCode.ERROR, "upstream down"))
    client.end(end_time=t0 + 21_000_000)
    tracer.start_span("work", kind=SpanKind.INTERNAL).end()
    tracer.start_span("rmi", kind=SpanKind.SERVER, attributes={"rpc.system": "java_rmi"}).end()
    # A gRPC server span as the SDK's gRPC instrumentations make it (RPC conventions 1.38 and before).
    grpc_attrs = {"rpc.system": "grpc", "rpc.service": "shop.v1.Users", "rpc.method": "Get"}
    tracer.start_span(
        "shop.v1.Users/Get", kind=SpanKind.SERVER, attributes={**grpc_attrs, "rpc.grpc.status_code": 5}
    ).end()
    assert provider.force_flush(10_000)
    provider.shutdown()

    requests = sinks[0].requests
    assert requests, "the receiver got nothing"
    stats = SpanConversionStats()
    cache = ProcessCache()
    exchanges = [ex for req in requests for ex in exchanges_from_spans(req, cache, stats)]
    assert (stats.converted, stats.not_http, stats.other_kind, stats.invalid) == (3, 1, 1, 0)

    (g,) = [ex for ex in exchanges if ex.rpc_system]
    assert (g.role, g.method, g.route, g.status_code, g.rpc_method, g.rpc_status) == (
        Role.SERVER,
        "POST",
        "/shop.v1.Users/Get",
        200,
        "shop.v1.Users/Get",
        5,
    )
    by_role = {ex.role: ex for ex in exchanges if not ex.rpc_system}
    s, c = by_role[Role.SERVER], by_role[Role.CLIENT]
    ctx = server.get_span_context()
    assert (s.method, s.route, s.path, s.query, s.target) == (
        "GET",
        "/users/{id}",
        "/users/42",
        "verbose=1",
        "/users/42?verbose=1",
    )
    assert (s.status_code, s.error_type, s.status_override) == (200, None, None)
    assert (s.start_time_ns, s.end_time_ns) == (t0, t0 + 25_000_000)
    assert s.duration_s == pytest.approx(0.025)
    assert s.trace_id == ctx.trace_id.to_bytes(16, "big")
    assert s.span_id == ctx.span_id.to_bytes(8, "big")
    assert s.parent_span_id == b""
    assert (s.local_port, s.peer_address, s.peer_port, s.http_version) == (8080, "10.0.0.7", 51000, "1.1")
    assert s.request_headers == {"user-agent": "curl/8.0"}
    assert s.attributes == {}

    cctx = client.get_span_context()
    assert (c.method, c.route, c.path, c.query, c.status_code, c.error_type) == (
        "POST",
        None,
        "/charge",
        "id=7",
        503,
        "503",
    )
    assert c.trace_id == s.trace_id and c.parent_span_id == s.span_id
    assert c.span_id == cctx.span_id.to_bytes(8, "big")
    assert (c.peer_address, c.peer_port, c.request_headers["host"]) == ("payments", 9000, "payments")
    assert (c.status_override, c.status_message) == (STATUS_ERROR, "upstream down")
    assert c.attributes == {
        "otel_ebpf.error.kind": "system",
        "otel_ebpf.error.type": "server_error",
        "otel_ebpf.error.severity": "high",
    }
    assert c.duration_s == pytest.approx(0.020)

    # One ProcessInfo object per resource, built from the SDK's resource.
    assert s.process is c.process
    assert (s.process.service_name, s.process.pid, s.pid) == ("checkout", 4242, 4242)
    assert s.process.resource_attributes["service.instance.id"] == "i-1"
    assert s.process.resource_attributes["telemetry.sdk.language"] == "python"

    counters = receiver.counters()
    assert counters[("otel_ebpf.receiver.accepted_spans", BASE)] == 5
    assert counters[("otel_ebpf.receiver.refused_spans", BASE)] == 0
    n_requests = counters[("otel_ebpf.receiver.requests", BASE + (("signal", "traces"), ("outcome", "accepted")))]
    assert n_requests == len(requests)
    # Bytes are counted after gRPC decompression: exactly the protobuf size of what was delivered.
    assert counters[("otel_ebpf.receiver.received_bytes", BASE + (("signal", "traces"),))] == sum(
        r.ByteSize() for r in requests
    )


def test_process_cache_is_stable_and_bounded():
    cache = ProcessCache(max_entries=2)
    a1 = cache.get(trace_request(service="a").resource_spans[0].resource)
    a2 = cache.get(trace_request(service="a").resource_spans[0].resource)
    assert a1 is a2 and cache.misses == 1
    for name in ("b", "c", "d"):
        cache.get(trace_request(service=name).resource_spans[0].resource)
    assert len(cache) <= 2
    nameless = ExportTraceServiceRequest().resource_spans.add().resource
    nameless.attributes.extend(to_key_values({"process.executable.name": "java", "process.pid": "17"}))
    info = cache.get(nameless)
    assert (info.service_name, info.pid, info.executable_name) == ("unknown_service:java", 17, "java")


def test_span_attribute_variants_and_bad_values():
    stats = SpanConversionStats()
    spans = [
        make_span(**{"http.method": "GET", "http.target": "/a/b?x=1", "http.status_code": "404"}),
        make_span(**{"http.request.method": "_OTHER", "http.request.method_original": "PURGE", "url.path": "/c"}),
        make_span(**{"http.request.method": "GET", "http.response.status_code": "not-a-number"}),
        make_span(**{"http.request.method": "GET", "url.path": "/timeout", "error.type": "timeout"}),
    ]
    exchanges = exchanges_from_spans(trace_request(*spans), ProcessCache(), stats)
    assert [(e.method, e.path, e.query, e.status_code, e.error_type) for e in exchanges] == [
        ("GET", "/a/b", "x=1", 404, None),
        ("PURGE", "/c", "", None, None),
        ("GET", "/timeout", "", None, "timeout"),
    ]
    assert stats.invalid == 1 and stats.converted == 3


# --- metrics from the SDK --------------------------------------------------------------------


def meter_provider(port: int, temporality: AggregationTemporality) -> MeterProvider:
    exporter = OTLPMetricExporter(
        endpoint=f"127.0.0.1:{port}", insecure=True, timeout=5, preferred_temporality={Histogram: temporality}
    )
    reader = PeriodicExportingMetricReader(exporter, export_interval_millis=3_600_000)
    return MeterProvider(resource=Resource.create({"service.name": "shop"}), metric_readers=[reader])


def received_counts(sink: Sink, state: HistogramDeltaState, start: int) -> list:
    """RequestCounts of the requests the sink got since index ``start``."""
    return [rc for req in sink.requests[start:] for rc in requests_from_histograms(req, state)]


def test_sdk_histograms_become_request_deltas(receiver, sinks, providers):
    state = HistogramDeltaState()  # before the SDK starts: its streams are new, counted whole
    provider = meter_provider(receiver.bound_port, AggregationTemporality.CUMULATIVE)
    providers.append(provider)
    meter = provider.get_meter("test")
    duration = meter.create_histogram(
        "http.server.request.duration", unit="s", explicit_bucket_boundaries_advisory=SEMCONV_BUCKETS
    )
    old = meter.create_histogram("http.server.duration", unit="ms")
    ok = {"http.request.method": "GET", "http.route": "/users/{id}", "http.response.status_code": 200}
    failed = {
        "http.request.method": "POST",
        "http.route": "/orders",
        "http.response.status_code": 500,
        "error.type": "500",
    }

    # A sampled span in context: the SDK attaches an exemplar (trace_based filter).
    span_ctx = trace_api.SpanContext(
        0xABC, 0xDEF, is_remote=False, trace_flags=trace_api.TraceFlags(trace_api.TraceFlags.SAMPLED)
    )
    token = otel_context.attach(trace_api.set_span_in_context(trace_api.NonRecordingSpan(span_ctx)))
    try:
        for value in (0.003, 0.2, 0.2):
            duration.record(value, ok)
        duration.record(1.5, failed)
    finally:
        otel_context.detach(token)
    old.record(30.0, {"http.method": "GET", "http.route": "/legacy", "http.status_code": 200})
    assert provider.force_flush(10_000)

    first = {
        (rc.service_name, rc.method, rc.route, rc.status_code, rc.error_type): rc
        for rc in received_counts(sinks[1], state, 0)
    }
    assert set(first) == {
        ("shop", "GET", "/users/{id}", 200, None),
        ("shop", "POST", "/orders", 500, "500"),
        ("shop", "GET", "/legacy", 200, None),
    }
    get = first[("shop", "GET", "/users/{id}", 200, None)]
    assert get.count == 3 and get.sum_s == pytest.approx(0.403)
    assert get.bounds_s == SEMCONV_BUCKETS
    assert get.bucket_counts[0] == 1  # 0.003 s in (-inf, 0.005]
    assert get.bucket_counts[SEMCONV_BUCKETS.index(0.25)] == 2  # 0.2 s in (0.1, 0.25]
    assert len(get.bucket_counts) == len(SEMCONV_BUCKETS) + 1
    assert {(e.trace_id, e.span_id) for e in get.exemplars} == {(0xABC.to_bytes(16, "big"), 0xDEF.to_bytes(8, "big"))}
    assert all(e.value_s in (0.003, 0.2) for e in get.exemplars)
    legacy = first[("shop", "GET", "/legacy", 200, None)]
    # ms -> s: the SDK's default bounds (0, 5, 10, 25, ... ms) and the sum arrive in seconds.
    assert legacy.count == 1 and legacy.sum_s == pytest.approx(0.030)
    assert legacy.bucket_counts[legacy.bounds_s.index(0.025) + 1] == 1  # 30 ms falls in (25 ms, 50 ms]

    # Second export: the SDK resends cumulative totals; only the new requests come out.
    seen = len(sinks[1].requests)
    duration.record(0.2, ok)
    duration.record(0.2, ok)
    assert provider.force_flush(10_000)
    second = received_counts(sinks[1], state, seen)
    assert [(rc.route, rc.count, rc.sum_s) for rc in second] == [("/users/{id}", 2, pytest.approx(0.4))]

    # Third export without new requests: nothing.
    seen = len(sinks[1].requests)
    assert provider.force_flush(10_000)
    assert received_counts(sinks[1], state, seen) == []
    provider.shutdown()

    points = sum(
        len(m.histogram.data_points)
        for r in sinks[1].requests
        for rm in r.resource_metrics
        for sm in rm.scope_metrics
        for m in sm.metrics
    )
    assert receiver.counters()[("otel_ebpf.receiver.accepted_metric_points", BASE)] == points


def test_sdk_delta_histograms_pass_through(receiver, sinks, providers):
    state = HistogramDeltaState()
    provider = meter_provider(receiver.bound_port, AggregationTemporality.DELTA)
    providers.append(provider)
    duration = provider.get_meter("test").create_histogram("http.server.request.duration", unit="s")
    attrs = {"http.request.method": "GET", "http.route": "/", "http.response.status_code": 200}
    duration.record(0.01, attrs)
    assert provider.force_flush(10_000)
    seen = len(sinks[1].requests)
    duration.record(0.02, attrs)
    duration.record(0.03, attrs)
    assert provider.force_flush(10_000)
    provider.shutdown()
    first = [rc for req in sinks[1].requests[:seen] for rc in requests_from_histograms(req, state)]
    assert [rc.count for rc in first] == [1]
    assert [(rc.count, rc.sum_s) for rc in received_counts(sinks[1], state, seen)] == [(2, pytest.approx(0.05))]


# --- cumulative state, by hand ---------------------------------------------------------------


def histogram_request(count_per_bucket, start_ns, time_ns, route="/r", service="svc", unit="s"):
    point = metrics_pb2.HistogramDataPoint(
        start_time_unix_nano=start_ns,
        time_unix_nano=time_ns,
        count=sum(count_per_bucket),
        sum=0.1 * sum(count_per_bucket),
        bucket_counts=count_per_bucket,
        explicit_bounds=[0.1, 1.0],
        attributes=to_key_values({"http.request.method": "GET", "http.route": route}),
    )
    metric = metrics_pb2.Metric(
        name="http.server.request.duration",
        unit=unit,
        histogram=metrics_pb2.Histogram(
            aggregation_temporality=metrics_pb2.AGGREGATION_TEMPORALITY_CUMULATIVE, data_points=[point]
        ),
    )
    request = ExportMetricsServiceRequest()
    rm = request.resource_metrics.add()
    rm.resource.attributes.extend(to_key_values({"service.name": service}))
    rm.scope_metrics.add().metrics.append(metric)
    return request


def counts(request, state):
    return [rc.bucket_counts for rc in requests_from_histograms(request, state)]


def test_cumulative_baseline_reset_and_late_retry():
    state = HistogramDeltaState(start_time_ns=1_000)
    # Started before the state: the first point is only a baseline.
    assert counts(histogram_request([5, 1, 0], 500, 2_000), state) == []
    assert counts(histogram_request([7, 1, 1], 500, 3_000), state) == [(2, 0, 1)]
    # A retry of an older point: already counted.
    assert counts(histogram_request([6, 1, 0], 500, 2_500), state) == []
    # Sender restarted (new start time, smaller totals): everything since the restart counts.
    assert counts(histogram_request([1, 0, 0], 3_500, 4_000), state) == [(1, 0, 0)]
    assert state.resets == 1
    # Count went down without a new start time: also a reset.
    assert counts(histogram_request([0, 1, 0], 3_500, 5_000), state) == [(0, 1, 0)]
    assert state.resets == 2
    # A stream that started after the state counts whole from its first point.
    assert counts(histogram_request([2, 0, 0], 1_500, 2_000, route="/new"), state) == [(2, 0, 0)]


def test_stream_cap_and_expiry():
    now = [0.0]
    state = HistogramDeltaState(max_streams=2, expire_after_s=60, clock=lambda: now[0], start_time_ns=0)
    for route in ("/a", "/b", "/c"):
        requests_from_histograms(histogram_request([1, 0, 0], 10, 20, route=route), state)
    assert len(state) == 2 and state.overflow == 1
    now[0] = 30.0
    requests_from_histograms(histogram_request([2, 0, 0], 10, 30, route="/a"), state)  # /a refreshed
    now[0] = 70.0  # /b last seen at 0: expired; /a seen at 30: kept
    assert counts(histogram_request([1, 0, 0], 10, 40, route="/c"), state) == [(1, 0, 0)]
    assert state.expired == 1 and len(state) == 2


def test_units_and_unsupported_points():
    state = HistogramDeltaState(start_time_ns=0)
    [rc] = requests_from_histograms(histogram_request([1, 0, 0], 10, 20, unit="ms"), state)
    assert rc.bounds_s == (0.0001, 0.001) and rc.sum_s == pytest.approx(0.0001)
    request = histogram_request([1, 0, 0], 10, 20, route="/x", unit="furlongs")
    assert requests_from_histograms(request, state) == [] and state.skipped == 1


# --- protocol behaviour ----------------------------------------------------------------------


def test_garbage_never_crashes_the_server(receiver, sinks):
    for method in (TRACE_METHOD, METRICS_METHOD):
        code, _ = raw_call(receiver, method, b"\xff\xff\xff\xff not protobuf")
        assert code == grpc.StatusCode.INVALID_ARGUMENT
    truncated = trace_request(make_span()).SerializeToString()[:-3]
    assert raw_call(receiver, TRACE_METHOD, truncated)[0] == grpc.StatusCode.INVALID_ARGUMENT

    rng = random.Random(7)
    codes = [raw_call(receiver, TRACE_METHOD, rng.randbytes(rng.randrange(1, 300)))[0] for _ in range(200)]
    assert set(codes) <= {grpc.StatusCode.OK, grpc.StatusCode.INVALID_ARGUMENT}

    # Still serving, and every call was counted under one outcome or another.
    code, body = raw_call(receiver, TRACE_METHOD, trace_request(make_span()).SerializeToString())
    assert code == grpc.StatusCode.OK
    counters = receiver.counters()
    traces = [
        v
        for (name, attrs), v in counters.items()
        if name == "otel_ebpf.receiver.requests" and ("signal", "traces") in attrs
    ]
    assert sum(traces) == 1 + 1 + 200 + 1
    invalid = counters[("otel_ebpf.receiver.requests", BASE + (("signal", "traces"), ("outcome", "invalid")))]
    assert invalid == 2 + codes.count(grpc.StatusCode.INVALID_ARGUMENT)


def test_failing_callback_answers_unavailable_and_counts_refused(receiver, sinks):
    sinks[0].fail = RuntimeError("queue full")
    stub = TraceServiceStub(channel_to(receiver))
    with pytest.raises(grpc.RpcError) as err:
        stub.Export(trace_request(make_span(), make_span(span_id=b"\x03" * 8)), timeout=5)
    assert err.value.code() == grpc.StatusCode.UNAVAILABLE  # retryable: the SDK and Collector retry it
    counters = receiver.counters()
    assert counters[("otel_ebpf.receiver.refused_spans", BASE)] == 2
    assert counters[("otel_ebpf.receiver.accepted_spans", BASE)] == 0


def test_partial_success_for_invalid_ids_and_pipeline_rejections(receiver, sinks):
    stub = TraceServiceStub(channel_to(receiver))
    good, zero_trace, short_span = make_span(), make_span(trace_id=b"\0" * 16), make_span(span_id=b"\x01")
    response = stub.Export(trace_request(good, zero_trace, short_span), timeout=5)
    assert response.partial_success.rejected_spans == 2
    assert "invalid trace_id or span_id" in response.partial_success.error_message
    [delivered] = sinks[0].requests
    assert [s.span_id for s in delivered.resource_spans[0].scope_spans[0].spans] == [good.span_id]

    sinks[0].result = Rejected(1, "over the span rate limit")
    response = stub.Export(trace_request(good, make_span(span_id=b"\x05" * 8)), timeout=5)
    assert response.partial_success.rejected_spans == 1
    assert response.partial_success.error_message == "over the span rate limit"
    counters = receiver.counters()
    assert counters[("otel_ebpf.receiver.accepted_spans", BASE)] == 1 + 1
    assert counters[("otel_ebpf.receiver.refused_spans", BASE)] == 2 + 1


def test_signal_without_callback_is_unimplemented():
    r = OtlpReceiver(LOOPBACK, None, Sink())
    r.start()
    try:
        assert raw_call(r, TRACE_METHOD, b"")[0] == grpc.StatusCode.UNIMPLEMENTED
        assert raw_call(r, METRICS_METHOD, b"")[0] == grpc.StatusCode.OK  # empty request: valid OTLP
    finally:
        r.shutdown(1)


def test_message_size_limit():
    sink = Sink()
    r = OtlpReceiver({"protocols": {"grpc": {"endpoint": "127.0.0.1:0", "max_recv_msg_size_mib": 0.01}}}, sink, None)
    r.start()
    try:
        big = trace_request(make_span(**{"http.request.method": "GET", "url.path": "/" + "x" * 20_000}))
        assert raw_call(r, TRACE_METHOD, big.SerializeToString())[0] == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert sink.requests == []
    finally:
        r.shutdown(1)


def test_config_errors_name_the_key():
    with pytest.raises(ValueError, match="max_recv_msg_size_mib"):
        OtlpReceiver({"protocols": {"grpc": {"max_recv_msg_size_mib": -1}}}, Sink(), Sink())
    with pytest.raises(ValueError, match=r"receivers.otlp.protocols.http: unknown key \(allowed: grpc\)"):
        OtlpReceiver({"protocols": {"http": {}}}, Sink(), Sink())


# --- lifecycle -------------------------------------------------------------------------------


def test_lifecycle_without_start_twice_and_port_in_use():
    r = OtlpReceiver(LOOPBACK, Sink(), Sink())
    assert r.bound_port is None
    assert r.shutdown(0.1) is True
    assert r.shutdown(0.1) is True
    r.start()  # after shutdown: stays stopped
    assert r.bound_port is None

    first = OtlpReceiver(LOOPBACK, Sink(), Sink())
    first.start()
    try:
        taken = {"protocols": {"grpc": {"endpoint": f"127.0.0.1:{first.bound_port}"}}}
        with pytest.raises(OSError, match="cannot listen"):
            OtlpReceiver(taken, Sink(), Sink()).start()
    finally:
        assert first.shutdown(1) is True


def test_shutdown_while_clients_send_returns_within_deadline(sinks):
    r = OtlpReceiver(LOOPBACK, sinks[0], sinks[1])
    r.start()
    sinks[0].delay_s = 0.05  # a slow pipeline: there is always a call in flight
    stop = threading.Event()
    codes: list[grpc.StatusCode] = []

    def client() -> None:
        with channel_to(r) as channel:
            stub = TraceServiceStub(channel)
            while not stop.is_set():
                try:
                    stub.Export(trace_request(make_span()), timeout=5)
                    codes.append(grpc.StatusCode.OK)
                except grpc.RpcError as err:
                    codes.append(err.code())
                    time.sleep(0.01)

    threads = [threading.Thread(target=client) for _ in range(3)]
    for t in threads:
        t.start()
    assert sinks[0].entered.wait(5)
    time.sleep(0.2)
    started = time.monotonic()
    clean = r.shutdown(timeout_s=1.0)
    elapsed = time.monotonic() - started
    stop.set()
    for t in threads:
        t.join(10)
    assert clean and elapsed < 1.0 + 0.3, f"shutdown took {elapsed:.2f}s"
    assert grpc.StatusCode.OK in codes
    assert set(codes) <= {grpc.StatusCode.OK, grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED}
    # Every span the clients saw accepted was counted as accepted, and delivered.
    counters = r.counters()
    assert counters[("otel_ebpf.receiver.accepted_spans", BASE)] == codes.count(grpc.StatusCode.OK)
    assert len(sinks[0].requests) == codes.count(grpc.StatusCode.OK)


def test_shutdown_with_a_stuck_callback_still_returns_at_the_deadline(sinks):
    r = OtlpReceiver(LOOPBACK, sinks[0], sinks[1])
    r.start()
    sinks[0].gate = threading.Event()  # the pipeline never answers
    result: list = []

    def client() -> None:
        with channel_to(r) as channel:
            try:
                TraceServiceStub(channel).Export(trace_request(make_span()), timeout=10)
                result.append(grpc.StatusCode.OK)
            except grpc.RpcError as err:
                result.append(err.code())

    t = threading.Thread(target=client)
    t.start()
    try:
        assert sinks[0].entered.wait(5)
        started = time.monotonic()
        clean = r.shutdown(timeout_s=0.5)
        elapsed = time.monotonic() - started
        assert elapsed < 0.5 + 0.3, f"shutdown took {elapsed:.2f}s"
        t.join(5)
        assert result and result[0] != grpc.StatusCode.OK  # the sender knows it was not delivered
        assert clean is False  # a callback is still running: shutdown says so instead of waiting
    finally:
        sinks[0].gate.set()  # let the worker thread end
        t.join(5)


# --- rotel (a Rust OTLP collector) as the sender -----------------------------------------------


def test_rotel_forwards_to_the_receiver(receiver, sinks, providers, tmp_path):
    binary = require_rotel()
    rotel_port = free_port()
    proc = subprocess.Popen(
        [
            str(binary),
            "start",
            "--otlp-grpc-endpoint",
            f"127.0.0.1:{rotel_port}",
            "--otlp-http-endpoint",
            f"127.0.0.1:{free_port()}",
            "--exporter",
            "otlp",
            "--otlp-exporter-endpoint",
            f"http://127.0.0.1:{receiver.bound_port}",
            "--otlp-exporter-protocol",
            "grpc",
            "--otlp-exporter-compression",
            "gzip",
            "--disable-batching",
            "--pid-file",
            str(tmp_path / "rotel.pid"),
            "--log-file",
            str(tmp_path / "rotel.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        provider = tracer_provider(rotel_port)
        providers.append(provider)
        deadline = time.monotonic() + 10
        # rotel needs a moment to listen; the SDK exporter retries UNAVAILABLE meanwhile.
        span = provider.get_tracer("t").start_span(
            "GET /x",
            kind=SpanKind.SERVER,
            attributes={"http.request.method": "GET", "http.route": "/x", "http.response.status_code": 201},
        )
        span.end()
        assert provider.force_flush(10_000)
        provider.shutdown()
        while not sinks[0].requests and time.monotonic() < deadline:
            time.sleep(0.05)
        [ex] = [e for req in sinks[0].requests for e in exchanges_from_spans(req, ProcessCache())]
        assert (ex.method, ex.route, ex.status_code) == ("GET", "/x", 201)
        assert ex.span_id == span.get_span_context().span_id.to_bytes(8, "big")
        assert ex.process.service_name == "checkout"
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
