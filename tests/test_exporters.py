"""Exporters against real receivers: rotel (a Rust OTLP collector) and in-process gRPC servers."""

from __future__ import annotations

import io
import json
import textwrap
import threading
import time
from concurrent import futures

import grpc
import pytest
from google.protobuf import duration_pb2
from google.rpc import error_details_pb2, status_pb2
from hypothesis import given, settings
from hypothesis import strategies as st
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2, metrics_service_pb2_grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.proto.common.v1.common_pb2 import AnyValue

from otel_ebpf.component import CreateSettings
from otel_ebpf.components import create_component, load_config
from otel_ebpf.config import ConfigError
from otel_ebpf.exporters.debug.exporter import DebugExporter
from otel_ebpf.exporters.debug.factory import factory as debug_factory
from otel_ebpf.exporters.file.framing import read_frames
from otel_ebpf.exporters.helper.otlp_json import parse_otlp_json, to_otlp_json
from otel_ebpf.exporters.helper.otlp_settings import grpc_target, resolve_grpc
from otel_ebpf.exporters.helper.queued import METRICS, TRACES
from otel_ebpf.exporters.helper.retry import Backoff, RetrySettings
from otel_ebpf.model import EncodedRequest
from otel_ebpf.model.pipeline import count_data_points, count_spans
from tests.conftest_rotel import free_port, rotel, rotel_factory  # noqa: F401 - fixtures
from tests.otlp_requests import _set, assert_accounted, metrics_request, trace_request
from tests.tls import certificate  # noqa: F401 - fixture

# Retries fast enough for a test; max_elapsed_time long enough to outlive any test.
FAST_RETRY = {"initial_interval": "20ms", "max_interval": "100ms", "max_elapsed_time": "30s"}


def create_exporter(type_name: str, config: dict | None = None, environ: dict | None = None):
    """An exporter built from its id and raw config, as the service builds it (ConfigError when invalid)."""
    return create_component("exporters", type_name, config, environ=environ)


def debug_exporter(stream, **config) -> DebugExporter:
    """The debug exporter writing to `stream` (the factory makes one on stdout)."""
    resolved, errors = debug_factory.resolve(config, "exporters.debug")
    if errors:
        raise ConfigError(errors)
    return DebugExporter(CreateSettings("debug", "exporters"), resolved, stream=stream)


# -- request builders -----------------------------------------------------------------


# -- an in-process OTLP server whose answers a test scripts ---------------------------


class ScriptedServer:
    """A real gRPC OTLP server; each call pops the next action: a grpc.StatusCode, a
    (code, retry_delay_s) pair, an int (rejected items: partial success) or None (accept)."""

    def __init__(self, actions=(), credentials: grpc.ServerCredentials | None = None, port: int = 0):
        self.actions = list(actions)
        self.calls: list[tuple[float, dict[str, str], object]] = []
        self.lock = threading.Lock()
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        outer = self

        class Traces(trace_service_pb2_grpc.TraceServiceServicer):
            def Export(self, request, context):  # noqa: N802 - gRPC method name
                rejected = outer._act(request, context)
                resp = trace_service_pb2.ExportTraceServiceResponse()
                if rejected:
                    resp.partial_success.rejected_spans = rejected
                    resp.partial_success.error_message = "too old"
                return resp

        class Metrics(metrics_service_pb2_grpc.MetricsServiceServicer):
            def Export(self, request, context):  # noqa: N802
                rejected = outer._act(request, context)
                resp = metrics_service_pb2.ExportMetricsServiceResponse()
                if rejected:
                    resp.partial_success.rejected_data_points = rejected
                return resp

        trace_service_pb2_grpc.add_TraceServiceServicer_to_server(Traces(), self.server)
        metrics_service_pb2_grpc.add_MetricsServiceServicer_to_server(Metrics(), self.server)
        if credentials is None:
            self.port = self.server.add_insecure_port(f"127.0.0.1:{port}")
        else:
            self.port = self.server.add_secure_port(f"127.0.0.1:{port}", credentials)
        self.server.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _act(self, request, context) -> int:
        with self.lock:
            self.calls.append((time.monotonic(), dict(context.invocation_metadata()), request))
            action = self.actions.pop(0) if self.actions else None
        if action is None:
            return 0
        if isinstance(action, int) and not isinstance(action, grpc.StatusCode):
            return action
        if isinstance(action, tuple):
            code, delay = action
            info = error_details_pb2.RetryInfo(retry_delay=duration_pb2.Duration(nanos=int(delay * 1e9)))
            status = status_pb2.Status(code=code.value[0], message="slow down")
            status.details.add().Pack(info)
            context.set_trailing_metadata((("grpc-status-details-bin", status.SerializeToString()),))
            context.abort(code, "slow down")
        context.abort(action, f"scripted {action.name}")
        return 0

    def stop(self) -> None:
        self.server.stop(0)


@pytest.fixture
def scripted():
    servers: list[ScriptedServer] = []

    def make(*actions, credentials: grpc.ServerCredentials | None = None, port: int = 0) -> ScriptedServer:
        servers.append(ScriptedServer(actions, credentials, port))
        return servers[-1]

    yield make
    for s in servers:
        s.stop()


def otlp(endpoint: str, **config):
    config.setdefault("retry_on_failure", FAST_RETRY)
    exporter = create_exporter("otlp", {"endpoint": endpoint, **config})
    exporter.start()
    return exporter


# -- config helpers -------------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint, target, insecure",
    [
        ("http://collector:4317", "collector:4317", True),
        ("https://collector:4317/", "collector:4317", False),
        ("collector:4317", "collector:4317", None),
        ("HTTP://Collector", "Collector:80", True),  # a URL without a port: the scheme's
        ("https://collector.example.com", "collector.example.com:443", False),
        ("collector", "collector:4317", None),  # no scheme: OTLP/gRPC's port
        ("[::1]:4317", "[::1]:4317", None),
        ("http://[::1]", "[::1]:80", True),
        ("unix:///run/otel.sock", "unix:///run/otel.sock", None),
    ],
)
def test_grpc_target(endpoint, target, insecure):
    assert grpc_target(endpoint) == (target, insecure)


def test_settings_precedence_config_over_signal_env_over_generic_env_over_defaults():
    assert resolve_grpc({}, TRACES, {}).target == "localhost:4317"
    assert resolve_grpc({}, TRACES, {}).timeout == 5.0
    assert resolve_grpc({}, TRACES, {}).compression == "gzip"
    env = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://generic:4317",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://traces:4317",
        "OTEL_EXPORTER_OTLP_TIMEOUT": "2500",  # milliseconds
        "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT": "100",
        "OTEL_EXPORTER_OTLP_HEADERS": "Api-Key=s%3Dcret%2C1,x-team = core ,broken",
        "OTEL_EXPORTER_OTLP_COMPRESSION": "none",
    }
    traces, metrics = resolve_grpc({}, TRACES, env), resolve_grpc({}, METRICS, env)
    assert (traces.target, traces.insecure) == ("traces:4317", False)
    assert (metrics.target, metrics.insecure) == ("generic:4317", True)
    assert traces.timeout == 2.5 and metrics.timeout == 0.1
    assert dict(traces.headers) == {"api-key": "s=cret,1", "x-team": "core"}
    assert traces.compression == "none"
    config = {"endpoint": "cfg:1234", "timeout": 1.0, "compression": "gzip", "headers": {"X-Team": "edge"}}
    s = resolve_grpc(config, TRACES, env)
    assert (s.target, s.insecure, s.timeout, s.compression) == ("cfg:1234", False, 1.0, "gzip")
    assert dict(s.headers) == {"api-key": "s=cret,1", "x-team": "edge"}
    # No scheme: tls.insecure from the config, else OTEL_EXPORTER_OTLP_INSECURE.
    assert resolve_grpc({"endpoint": "cfg:1"}, TRACES, {"OTEL_EXPORTER_OTLP_INSECURE": "true"}).insecure
    assert not resolve_grpc(
        {"endpoint": "cfg:1", "tls": {"insecure": False}}, TRACES, {"OTEL_EXPORTER_OTLP_INSECURE": "true"}
    ).insecure
    # None means unset (a config loader fills every key): the environment applies.
    unset = {"endpoint": None, "tls": {"insecure": None, "ca_file": None}, "compression": None, "timeout": None}
    env2 = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": "generic:4317",
        "OTEL_EXPORTER_OTLP_INSECURE": "true",
        "OTEL_EXPORTER_OTLP_COMPRESSION": "none",
        "OTEL_EXPORTER_OTLP_TIMEOUT": "100",
    }
    s2 = resolve_grpc(unset, METRICS, env2)
    assert (s2.target, s2.insecure, s2.compression, s2.timeout) == ("generic:4317", True, "none", 0.1)
    # Credentials in headers are kept out of the settings' repr (it may end up in a log).
    assert "cret" not in repr(s)


def test_bad_config_fails_fast_and_bad_env_is_ignored():
    for raw, key in (
        ({"compression": "zstd"}, "exporters.otlp.compression"),
        ({"timeout": "soon"}, "exporters.otlp.timeout"),
        ({"tls": {"cert_file": "/x.pem"}}, "exporters.otlp.tls.key_file"),
        ({"sending_queue": {"queue_size": 0}}, "exporters.otlp.sending_queue.queue_size"),
        ({"headers": {"bad name": "x"}}, "exporters.otlp.headers.bad name"),
        ({"headers": {"x-a": "1\r\nx-b: 2"}}, "exporters.otlp.headers.x-a"),
    ):
        with pytest.raises(ConfigError) as info:
            create_exporter("otlp", raw)
        assert info.value.errors[0].startswith(key + ": "), info.value.errors
    with pytest.raises(ValueError, match="ca_file"):
        create_exporter("otlp", {"endpoint": "collector:4317", "tls": {"ca_file": "/nonexistent/ca.pem"}})
    s = resolve_grpc({}, TRACES, {"OTEL_EXPORTER_OTLP_TIMEOUT": "5s", "OTEL_EXPORTER_OTLP_COMPRESSION": "lz4"})
    assert (s.timeout, s.compression) == (5.0, "gzip")
    assert len(s.warnings) == 2
    with pytest.raises(ConfigError, match="unknown type 'zipkin'"):
        create_exporter("zipkin", {})
    with pytest.raises(ConfigError, match="exporters.file.path: a value is required"):
        create_exporter("file", {})


def test_backoff_grows_with_jitter_up_to_max_interval():
    settings_ = RetrySettings(initial_interval=1.0, max_interval=4.0, multiplier=2.0, randomization_factor=0.5)
    delays = [Backoff(settings_).next_delay() for _ in range(200)]
    assert all(0.5 <= d <= 1.5 for d in delays) and max(delays) - min(delays) > 0.5  # jittered
    b = Backoff(settings_)
    seq = [b.next_delay() for _ in range(8)]
    assert 1.0 <= seq[1] <= 3.0 and 2.0 <= seq[2] <= 6.0
    assert all(2.0 <= d <= 6.0 for d in seq[3:])  # capped at max_interval ± 50 %


def test_counting_items():
    assert count_spans(trace_request(5)) == 5
    assert count_data_points(metrics_request()) == 3


# -- OTLP against rotel -----------------------------------------------------------------


@pytest.mark.parametrize("compression", ["gzip", "none"])
def test_spans_and_metrics_arrive_in_rotel_with_attributes(rotel, compression):  # noqa: F811
    exporter = otlp(f"http://{rotel.endpoint}", compression=compression)
    exporter.export_traces(trace_request(3, service="checkout", tag="g", status=2))
    exporter.export_metrics(metrics_request(service="checkout"))
    assert exporter.force_flush(10)
    exporter.shutdown()

    spans = rotel.wait_for_spans(3)
    assert len(spans) == 3
    assert sorted(s.attributes["url.path"] for s in spans) == ["/api/orders/0", "/api/orders/1", "/api/orders/2"]
    first = next(s for s in spans if s.attributes["url.path"] == "/api/orders/1")
    assert first.name == "GET /api/orders/{id}"
    assert first.trace_id == (bytes([ord("g"), 1]) + bytes(range(14))).hex()
    assert first.kind == "SPAN_KIND_SERVER"
    assert first.status_code == "STATUS_CODE_ERROR"
    assert first.attributes["http.request.method"] == "GET"
    assert first.attributes["http.response.status_code"] == 500
    assert first.resource == {"service.name": "checkout", "process.pid": 4242}

    metrics = {m.name: m for m in rotel.wait_for_metrics(3)}
    hist = metrics["http.server.request.duration"]
    assert (hist.unit, hist.data_type, hist.resource["service.name"]) == ("s", "Histogram", "checkout")
    assert {p.attributes["http.request.method"]: p.count for p in hist.points} == {"GET": 3, "POST": 1}
    retrans = metrics["otel_ebpf.tcp.retransmits"]
    assert retrans.points[0].value == 7 and retrans.points[0].attributes == {"network.peer.address": "10.0.0.1"}

    stats = exporter.stats()
    assert (stats["sent_spans"], stats["sent_metric_points"], stats["sent_requests"]) == (3, 3, 2)
    assert stats["dropped_spans"] == stats["dropped_metric_points"] == stats["failed_requests"] == 0
    assert_accounted(stats)


def test_backend_down_is_bounded_and_accounted_then_drains_when_it_comes_up(rotel_factory):  # noqa: F811
    port = free_port()
    exporter = otlp(f"http://127.0.0.1:{port}", sending_queue={"queue_size": 20}, timeout="1s")
    produced = 60
    t0 = time.monotonic()
    for i in range(produced):
        exporter.export_traces(trace_request(2, tag=chr(ord("A") + i % 26)))
    elapsed = time.monotonic() - t0
    assert elapsed < 0.5, f"export_traces blocked the caller for {elapsed:.2f}s"

    stats = exporter.stats()
    assert stats["received_spans"] == 2 * produced
    assert stats["queue_size"] <= 20  # bounded: the memory held is at most queue_size requests (+1 in flight)
    assert stats["queued_spans"] <= 2 * 21
    assert stats["dropped_spans"] == 2 * stats["enqueue_failed_requests"] >= 2 * (produced - 21)
    assert_accounted(stats)
    assert exporter.force_flush(0.3) is False  # nothing can be delivered yet
    assert exporter.stats()["retries"] > 0
    assert exporter.stats()["sent_spans"] == 0

    receiver = rotel_factory(port)
    assert exporter.force_flush(15), exporter.stats()
    stats = exporter.stats()
    assert stats["queued_spans"] == 0 and stats["queue_size"] == 0
    assert stats["sent_spans"] == 2 * produced - stats["dropped_spans"] >= 2 * 20
    assert stats["failed_requests"] == 0
    assert_accounted(stats)
    assert len(receiver.wait_for_spans(stats["sent_spans"])) == stats["sent_spans"]
    exporter.shutdown()


def test_shutdown_with_backend_down_honours_deadline_and_counts_leftovers():
    exporter = otlp(f"http://127.0.0.1:{free_port()}", timeout="5s")
    for _ in range(10):
        exporter.export_traces(trace_request(3))
        exporter.export_metrics(metrics_request())
    t0 = time.monotonic()
    exporter.shutdown(0.4)
    assert time.monotonic() - t0 < 0.9
    stats = exporter.stats()
    assert stats["sent_spans"] == 0 and stats["dropped_spans"] == 30 and stats["dropped_metric_points"] == 30
    assert stats["queued_spans"] == stats["queued_metric_points"] == 0
    assert_accounted(stats)
    exporter.shutdown(1)  # idempotent
    exporter.export_traces(trace_request(2))  # after shutdown: counted, not raised
    assert exporter.stats()["dropped_spans"] == 32
    assert_accounted(exporter.stats())


# -- OTLP against scripted servers ----------------------------------------------------


def test_permanent_error_is_not_retried_and_is_counted(scripted):
    server = scripted(grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.RESOURCE_EXHAUSTED)
    exporter = otlp(server.endpoint)
    exporter.export_traces(trace_request(4))
    exporter.export_metrics(metrics_request())  # RESOURCE_EXHAUSTED without RetryInfo: a hard quota
    assert exporter.force_flush(5)
    stats = exporter.stats()
    assert len(server.calls) == 2
    assert stats["retries"] == 0 and stats["failed_requests"] == 2
    assert (stats["dropped_spans"], stats["dropped_metric_points"], stats["sent_spans"]) == (4, 3, 0)
    assert_accounted(stats)
    exporter.shutdown()


def test_transient_errors_are_retried_until_success(scripted):
    server = scripted(grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.ABORTED, grpc.StatusCode.DEADLINE_EXCEEDED)
    exporter = otlp(server.endpoint)
    exporter.export_traces(trace_request(2))
    assert exporter.force_flush(5)
    stats = exporter.stats()
    assert len(server.calls) == 4 and stats["retries"] == 3
    assert (stats["sent_spans"], stats["dropped_spans"], stats["failed_requests"]) == (2, 0, 0)
    exporter.shutdown()


def test_server_retry_info_delay_is_honoured(scripted):
    server = scripted((grpc.StatusCode.RESOURCE_EXHAUSTED, 0.4))
    exporter = otlp(server.endpoint)  # backoff alone would wait ~20 ms
    exporter.export_traces(trace_request(1))
    assert exporter.force_flush(5)
    assert len(server.calls) == 2
    gap = server.calls[1][0] - server.calls[0][0]
    assert gap >= 0.39, f"retried after {gap:.3f}s, the server asked for 0.4s"
    assert exporter.stats()["sent_spans"] == 1
    exporter.shutdown()


def test_retry_disabled_and_max_elapsed_time_give_up(scripted):
    server = scripted(*[grpc.StatusCode.UNAVAILABLE] * 50)
    no_retry = otlp(server.endpoint, retry_on_failure={"enabled": False})
    no_retry.export_traces(trace_request(2))
    assert no_retry.force_flush(5)
    assert len(server.calls) == 1 and no_retry.stats()["dropped_spans"] == 2
    short = otlp(server.endpoint, retry_on_failure={**FAST_RETRY, "max_elapsed_time": "150ms"})
    t0 = time.monotonic()
    short.export_traces(trace_request(2))
    assert short.force_flush(5)
    assert time.monotonic() - t0 < 1.0
    stats = short.stats()
    assert stats["retries"] >= 1 and stats["dropped_spans"] == 2 and stats["failed_requests"] == 1
    for e in (no_retry, short):
        e.shutdown()


def test_partial_success_counts_rejected_items_as_dropped(scripted):
    server = scripted(3, 1)
    exporter = otlp(server.endpoint)
    exporter.export_traces(trace_request(5))
    exporter.export_metrics(metrics_request())
    assert exporter.force_flush(5)
    stats = exporter.stats()
    assert (stats["sent_spans"], stats["dropped_spans"]) == (2, 3)
    assert (stats["sent_metric_points"], stats["dropped_metric_points"]) == (2, 1)
    assert stats["retries"] == 0
    assert_accounted(stats)
    exporter.shutdown()


def test_headers_and_user_agent_reach_the_server(scripted, monkeypatch):
    server = scripted()
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20t0k,x-env=prod")
    exporter = otlp(server.endpoint, headers={"x-env": "staging"})
    exporter.export_traces(trace_request(1))
    assert exporter.force_flush(5)
    metadata = server.calls[0][1]
    assert metadata["authorization"] == "Bearer t0k"
    assert metadata["x-env"] == "staging"  # config beats the environment
    assert metadata["user-agent"].startswith("otel-ebpf/")
    assert server.calls[0][2] == trace_request(1)
    exporter.shutdown()


def test_requests_are_queued_serialized_and_sent_as_they_are(scripted):
    # The gRPC exporter queues bytes (an EncodedRequest as the traces pipeline gives it, or a
    # message serialized once when queued): the byte bound counts their length, no ByteSize().
    gate = threading.Event()
    server = scripted()
    original = server._act
    server._act = lambda request, context: gate.wait(5) and original(request, context)
    exporter = otlp(server.endpoint, sending_queue={"queue_size": 10, "num_consumers": 1})
    assert exporter.accepts_encoded
    encoded = EncodedRequest(trace_request(3).SerializeToString(), 3, trace_service_pb2.ExportTraceServiceRequest)
    exporter.export_traces(trace_request(1))  # taken by the consumer, held at the gate
    deadline = time.monotonic() + 2
    while exporter.stats()["queue_size"] and time.monotonic() < deadline:
        time.sleep(0.01)
    held = trace_request(1).ByteSize()
    exporter.export_traces(encoded)
    exporter.export_metrics(metrics_request())
    stats = exporter.stats()
    assert stats["queue_size_bytes"] == held + len(encoded.data) + metrics_request().ByteSize()
    gate.set()
    assert exporter.force_flush(5)
    assert [call[2] for call in server.calls] == [trace_request(1), trace_request(3), metrics_request()]
    stats = exporter.stats()
    assert (stats["sent_spans"], stats["sent_metric_points"], stats["queue_size_bytes"]) == (4, 3, 0)
    assert_accounted(stats)
    exporter.shutdown()


def test_an_exporter_that_wants_messages_gets_one_from_encoded_bytes(tmp_path):
    exporter = create_exporter("file", {"path": str(tmp_path / "out.jsonl")})
    assert not exporter.accepts_encoded
    exporter.start()
    exporter.export_traces(
        EncodedRequest(trace_request(2).SerializeToString(), 2, trace_service_pb2.ExportTraceServiceRequest)
    )
    exporter.shutdown()
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    assert count_spans(parse_otlp_json(lines[0])) == 2


def test_queue_full_drops_new_requests_and_counts_their_items(scripted):
    gate = threading.Event()
    server = scripted()
    original = server._act

    def slow(request, context):  # the first request blocks the only consumer until the gate opens
        gate.wait(5)
        return original(request, context)

    server._act = slow
    exporter = otlp(server.endpoint, sending_queue={"queue_size": 3, "num_consumers": 1})
    exporter.export_traces(trace_request(1))
    deadline = time.monotonic() + 2
    while exporter.stats()["queue_size"] and time.monotonic() < deadline:  # wait until it is in flight
        time.sleep(0.01)
    for _ in range(3):
        exporter.export_traces(trace_request(2))  # fills the queue
    exporter.export_traces(trace_request(5))  # dropped
    exporter.export_metrics(metrics_request())  # dropped
    stats = exporter.stats()
    assert stats["enqueue_failed_requests"] == 2
    assert (stats["dropped_spans"], stats["dropped_metric_points"]) == (5, 3)
    assert stats["queue_size"] == 3
    assert_accounted(stats)
    gate.set()
    assert exporter.force_flush(5)
    stats = exporter.stats()
    assert (stats["sent_spans"], stats["dropped_spans"], stats["sent_requests"]) == (7, 5, 4)
    assert_accounted(stats)
    exporter.shutdown()


def test_shutdown_cancels_a_request_stuck_in_a_hanging_backend(scripted):
    release = threading.Event()
    server = scripted()
    original = server._act
    server._act = lambda request, context: (release.wait(10), original(request, context))[1]
    exporter = otlp(server.endpoint, timeout="10s")
    for _ in range(3):
        exporter.export_traces(trace_request(2))
    time.sleep(0.1)  # the first request is now in flight, blocked in the server
    t0 = time.monotonic()
    exporter.shutdown(0.3)
    assert time.monotonic() - t0 < 0.8
    stats = exporter.stats()
    assert (stats["dropped_spans"], stats["queued_spans"], stats["sent_spans"]) == (6, 0, 0)
    release.set()
    time.sleep(0.2)  # the abandoned worker finishes: it must not count its request twice
    assert exporter.stats()["dropped_spans"] == 6
    assert_accounted(exporter.stats())


def test_tls_with_ca_file_and_client_certificate(scripted, certificate):  # noqa: F811 - the fixture
    cert, key = certificate
    pair = [(key.read_bytes(), cert.read_bytes())]
    server = scripted(credentials=grpc.ssl_server_credentials(pair, cert.read_bytes(), require_client_auth=True))
    tls = {"ca_file": str(cert), "cert_file": str(cert), "key_file": str(key)}
    exporter = otlp(f"localhost:{server.port}", tls=tls)
    exporter.export_traces(trace_request(2))
    assert exporter.force_flush(5)
    assert exporter.stats()["sent_spans"] == 2
    exporter.shutdown()
    # Without the client certificate the server refuses the handshake: nothing is delivered.
    anonymous = otlp(f"https://localhost:{server.port}", tls={"ca_file": str(cert)}, timeout="300ms")
    anonymous.export_traces(trace_request(2))
    assert not anonymous.force_flush(0.5)
    anonymous.shutdown(0.1)
    assert anonymous.stats()["sent_spans"] == 0 and anonymous.stats()["dropped_spans"] == 2
    assert len(server.calls) == 1


# -- lifecycle, for every exporter type -------------------------------------------------


@pytest.fixture(params=["otlp", "file", "debug"])
def any_exporter(request, tmp_path):
    config = {
        "otlp": {"endpoint": f"http://127.0.0.1:{free_port()}", "retry_on_failure": FAST_RETRY},
        "file": {"path": str(tmp_path / "out.jsonl")},
        "debug": {"verbosity": "normal"},
    }[request.param]
    if request.param == "debug":
        return debug_exporter(io.StringIO(), **config)
    return create_exporter(request.param, config)


def test_lifecycle_shutdown_without_start_is_safe_and_counts(any_exporter):
    any_exporter.export_traces(trace_request(2))  # queued before start
    t0 = time.monotonic()
    any_exporter.shutdown(2)
    any_exporter.shutdown(2)
    assert time.monotonic() - t0 < 0.5
    stats = any_exporter.stats()
    assert stats["dropped_spans"] == 2 and stats["queued_spans"] == 0
    assert_accounted(stats)


def test_lifecycle_bad_input_is_counted_never_raised(any_exporter):
    any_exporter.start()
    for bad in (None, b"\x00garbage", 42, metrics_request()):
        any_exporter.export_traces(bad)
    any_exporter.export_metrics(trace_request(1))
    any_exporter.export_traces(trace_service_pb2.ExportTraceServiceRequest())  # empty: nothing to do
    stats = any_exporter.stats()
    assert stats["invalid_requests"] == 5
    assert stats["received_spans"] == stats["received_metric_points"] == 0
    assert any_exporter.force_flush(1)
    any_exporter.shutdown(1)


# -- file exporter ----------------------------------------------------------------------


def test_file_exporter_round_trip(tmp_path):
    path = tmp_path / "otlp.jsonl"
    exporter = create_exporter("file", {"path": str(path)})
    exporter.start()
    sent = [trace_request(3, tag="f"), metrics_request(), trace_request(1, service="cart", tag="z")]
    exporter.export_traces(sent[0])
    exporter.export_metrics(sent[1])
    exporter.export_traces(sent[2])
    assert exporter.force_flush(5)
    exporter.shutdown()

    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert [parse_otlp_json(line) for line in lines] == sent
    doc = json.loads(lines[0])
    span = doc["resourceSpans"][0]["scopeSpans"][0]["spans"][0]
    # OTLP/JSON as the Collector writes it: camelCase, hex ids, integer enums.
    assert span["traceId"] == sent[0].resource_spans[0].scope_spans[0].spans[0].trace_id.hex()
    assert span["spanId"] == "0001010101010101"
    assert span["kind"] == 2
    assert span["startTimeUnixNano"] == "1700000000000000000"
    assert "resourceMetrics" in json.loads(lines[1])
    stats = exporter.stats()
    assert (stats["sent_spans"], stats["sent_metric_points"], stats["sent_requests"]) == (4, 3, 3)

    # Appends, and a second exporter on the same file keeps the earlier lines.
    again = create_exporter("file", {"path": str(path)})
    again.start()
    again.export_traces(sent[2])
    again.shutdown()
    assert len(path.read_text(encoding="utf-8").splitlines()) == 4


def test_file_exporter_concurrent_writers_produce_whole_lines(tmp_path):
    path = tmp_path / "concurrent.jsonl"
    exporter = create_exporter("file", {"path": str(path), "sending_queue": {"num_consumers": 4}})
    exporter.start()

    def produce(tag: str) -> None:
        for _ in range(25):
            exporter.export_traces(trace_request(4, tag=tag))

    threads = [threading.Thread(target=produce, args=(t,)) for t in "abcd"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert exporter.force_flush(10)
    exporter.shutdown()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 100
    assert sum(count_spans(parse_otlp_json(line)) for line in lines) == 400


@settings(max_examples=40, deadline=None)
@given(value=st.text(), name=st.text(min_size=1), trace_id=st.binary(min_size=16, max_size=16))
def test_otlp_json_round_trips_any_text(value, name, trace_id):
    req = trace_request(1)
    span = req.resource_spans[0].scope_spans[0].spans[0]
    span.name = name
    span.trace_id = trace_id
    span.links.add(trace_id=trace_id, span_id=b"\x02" * 8)
    _set(span.attributes, "odd", value)
    line = to_otlp_json(req)
    assert "\n" not in line
    assert parse_otlp_json(line, trace_service_pb2.ExportTraceServiceRequest) == req


def test_file_exporter_proto_format_is_the_collectors_length_prefixed_protobuf(tmp_path):
    path = tmp_path / "traces.binpb"
    sent = [trace_request(3, tag="p"), trace_request(1, service="cart", tag="q")]
    for request in sent:  # two exporters in turn: the second appends
        exporter = create_exporter("file", {"path": str(path), "format": "proto"})
        exporter.start()
        exporter.export_traces(request)
        assert exporter.force_flush(5)
        exporter.shutdown()
    data = path.read_bytes()
    first = sent[0].SerializeToString()
    assert data[:4] == len(first).to_bytes(4, "big") and data[4 : 4 + len(first)] == first  # the Collector's framing
    with path.open("rb") as f:
        frames = list(read_frames(f))
    assert [trace_service_pb2.ExportTraceServiceRequest.FromString(b) for b in frames] == sent
    with (tmp_path / "cut").open("wb") as f:
        f.write(data[:-1])
    with (tmp_path / "cut").open("rb") as f, pytest.raises(ValueError, match="truncated request"):
        list(read_frames(f))


def test_file_exporter_proto_format_holds_one_signal(tmp_path):
    path = tmp_path / "config.yaml"
    out = tmp_path / "out.binpb"
    body = f"""
        receivers: {{ebpf: {{}}}}
        exporters: {{file: {{path: {out}, format: proto}}}}
        service:
          pipelines:
            traces: {{receivers: [ebpf], exporters: [file]}}
    """
    path.write_text(textwrap.dedent(body))
    assert load_config([str(path)], {}).exporters["file"]["format"] == "proto"
    path.write_text(textwrap.dedent(body + "        metrics: {receivers: [ebpf], exporters: [file]}\n"))
    with pytest.raises(ConfigError) as info:
        load_config([str(path)], {})
    assert info.value.errors == [
        "exporters.file.format: proto: a proto file holds one signal, but this exporter is in traces and metrics"
        " pipelines; give each signal its own file exporter (file/traces, file/metrics)"
    ]


def test_file_exporter_unwritable_path_fails_at_start(tmp_path):
    exporter = create_exporter("file", {"path": str(tmp_path / "missing-dir" / "out.jsonl")})
    with pytest.raises(OSError):
        exporter.start()
    exporter.shutdown(0.1)


# -- debug exporter ---------------------------------------------------------------------


def debug_output(verbosity: str) -> str:
    stream = io.StringIO()
    exporter = debug_exporter(stream, verbosity=verbosity)
    exporter.start()
    exporter.export_traces(trace_request(3, tag="d", status=2))
    exporter.export_metrics(metrics_request())
    assert exporter.force_flush(5)
    exporter.shutdown()
    return stream.getvalue()


def test_debug_basic_prints_one_summary_line_per_request():
    assert debug_output("basic").splitlines() == ["traces: 3 spans", "metrics: 3 data points"]


def test_debug_normal_prints_one_line_per_span_and_point():
    lines = debug_output("normal").splitlines()
    assert len(lines) == 6
    trace_id = (bytes([ord("d"), 1]) + bytes(range(14))).hex()
    assert lines[1] == (
        f"checkout SERVER GET /api/orders/{{id}} ERROR 12.35ms trace={trace_id}"
        " [http.request.method=GET url.path=/api/orders/1 http.response.status_code=500]"
    )
    assert lines[3].startswith("checkout http.server.request.duration (s) histogram count=3 sum=0.75")
    assert "http.request.method=GET http.route=/api/orders/{id}" in lines[3]
    assert lines[5] == ("checkout otel_ebpf.tcp.retransmits ({segment}) sum value=7 [network.peer.address=10.0.0.1]")
    assert "\x1b[" not in "".join(lines)  # not a terminal: no colour codes


def test_debug_detailed_prints_everything():
    out = debug_output("detailed")
    assert out.startswith("traces: 3 spans\nresource checkout\n")
    for expected in (
        "    service.name=checkout",
        "    process.pid=4242",
        "  scope otel_ebpf 0.1.0",
        "    span GET /api/orders/{id} SERVER ERROR 12.346ms",
        "span_id=0201010101010101 parent_span_id=-",
        "start=2023-11-14T22:13:20.000000Z end=2023-11-14T22:13:20.012345Z",
        "      test.tag=d",
        "      http.response.status_code=500",
        "metrics: 3 data points",
        "    metric http.server.request.duration (histogram, unit s, cumulative)",
        "      point count=1 sum=0.25 min=0.01 max=0.5",
        "        buckets ≤0.005:0 ≤0.01:1 ≤0.1:0 ≤1:0 ≤+Inf:0",
        "        http.request.method=POST",
        "    metric otel_ebpf.tcp.retransmits (sum, unit {segment}, cumulative, monotonic)",
    ):
        assert expected in out, expected
    assert max(len(line) for line in out.splitlines()) <= 120


def test_debug_escapes_control_characters_and_rejects_unknown_verbosity():
    req = trace_request(1)
    span = req.resource_spans[0].scope_spans[0].spans[0]
    span.name = "GET /\x1b[2Jevil\nline"
    _set(span.attributes, "error.type", "a\tb")
    stream = io.StringIO()
    exporter = debug_exporter(stream, verbosity="normal", sending_queue={"enabled": False})
    exporter.start()
    exporter.export_traces(req)  # no queue: written before export_traces returns
    out = stream.getvalue()
    assert out.count("\n") == 1 and "\x1b" not in out  # one line per span, whatever the span holds
    assert "GET /\\x1b[2Jevil\\nline" in out and "error.type=a\\tb" in out
    exporter.shutdown()
    with pytest.raises(ConfigError, match="verbosity"):
        debug_exporter(stream, verbosity="loud")


def test_debug_exporter_values_of_every_type():
    from otel_ebpf.exporters.debug.exporter import format_value

    v = AnyValue()
    v.array_value.values.add(int_value=1)
    v.array_value.values.add(string_value="x")
    kv = v.array_value.values.add().kvlist_value.values.add(key="k")
    kv.value.bool_value = True
    assert format_value(v) == "[1, x, {k=true}]"
    assert format_value(AnyValue(double_value=0.5)) == "0.5"
    assert format_value(AnyValue(bytes_value=b"\x01\xff")) == "0x01ff"
    assert format_value(AnyValue()) == ""
