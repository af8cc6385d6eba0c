"""Received gRPC spans (sidecar mode): converted to the exchange the ``ebpf`` receiver makes of a call.

What is measured: the exchange fields made from the RPC conventions of semantic-conventions 1.39+
(``rpc.system.name``, fully-qualified ``rpc.method``, ``rpc.response.status_code``/``rpc.status_code``
names) and of 1.38 and before (``rpc.system``, ``rpc.service`` + ``rpc.method``,
``rpc.grpc.status_code``); the counts of spans that are invalid or not converted; and, through the
``otlp`` receiver of a sidecar service, what ``health_score``, ``slo`` and ``cause_attribution``
make of them: one endpoint ``(service, "/pkg.Service/Method", "POST")``, INTERNAL and UNAVAILABLE
system errors, NOT_FOUND not.
"""

from __future__ import annotations

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1 import trace_pb2

from otel_ebpf.components import load_config
from otel_ebpf.model import STATUS_ERROR, STATUS_UNSET, Role
from otel_ebpf.receivers.otlp.resources import ProcessCache
from otel_ebpf.receivers.otlp.spans import SpanConversionStats, exchanges_from_spans
from otel_ebpf.service import Service
from otel_ebpf.telemetry.attributes import to_key_values
from otel_ebpf.telemetry.outcome import GOOD, SYSTEM, endpoint_of, outcome
from otel_ebpf.telemetry.semconv import classify

SERVER = trace_pb2.Span.SPAN_KIND_SERVER
CLIENT = trace_pb2.Span.SPAN_KIND_CLIENT
METHOD = "shop.v1.Users/Get"
ROUTE = "/" + METHOD
T0 = 1_700_000_000_000_000_000


def span(kind=SERVER, n: int = 1, error: bool = False, message: str = "", **attrs) -> trace_pb2.Span:
    s = trace_pb2.Span(
        trace_id=bytes([n % 256]) * 16,
        span_id=(n + 1).to_bytes(8, "big"),
        parent_span_id=b"\x09" * 8 if kind == CLIENT else b"",
        name=METHOD,
        kind=kind,
        start_time_unix_nano=T0 + n,
        end_time_unix_nano=T0 + n + 3_000_000,
        attributes=to_key_values(attrs),
    )
    if error:
        s.status.code = STATUS_ERROR
        s.status.message = message
    return s


def current(status: object = "OK", **extra) -> dict:
    """Attributes of the current conventions (1.39+)."""
    attrs = {"rpc.system.name": "grpc", "rpc.method": METHOD, **extra}
    if status is not None:
        attrs["rpc.response.status_code"] = status
    return attrs


def old(status: object = 0, **extra) -> dict:
    """Attributes of the experimental conventions (1.38 and before)."""
    attrs = {"rpc.system": "grpc", "rpc.service": "shop.v1.Users", "rpc.method": "Get", **extra}
    if status is not None:
        attrs["rpc.grpc.status_code"] = status
    return attrs


def request(*spans: trace_pb2.Span, service: str = "shop") -> ExportTraceServiceRequest:
    req = ExportTraceServiceRequest()
    rs = req.resource_spans.add()
    rs.resource.attributes.extend(to_key_values({"service.name": service, "process.pid": 4242}))
    rs.scope_spans.add().spans.extend(spans)
    return req


def convert(*spans: trace_pb2.Span, stats: SpanConversionStats | None = None) -> list:
    return exchanges_from_spans(request(*spans), ProcessCache(), stats)


# --- conversion ------------------------------------------------------------------------------


def test_current_conventions_server_span_is_the_call_on_the_wire():
    attrs = current(
        "NOT_FOUND",
        **{
            "error.type": "NOT_FOUND",  # the status says it: not a failure without an answer
            "server.address": "users",
            "server.port": 50051,
            "network.peer.address": "10.0.0.9",
            "network.peer.port": 40000,
        },
    )
    stats = SpanConversionStats()
    (x,) = convert(span(**attrs), stats=stats)
    assert (stats.converted, stats.not_http, stats.invalid) == (1, 0, 0)
    assert (x.role, x.method, x.http_version) == (Role.SERVER, "POST", "2")
    assert (x.rpc_system, x.rpc_method, x.rpc_status) == ("grpc", METHOD, 5)
    assert (x.path, x.route, x.target, x.query) == (ROUTE, ROUTE, ROUTE, "")
    assert (x.status_code, x.error_type, x.status_override) == (200, None, None)
    assert (x.local_port, x.peer_address, x.peer_port) == (50051, "10.0.0.9", 40000)
    assert (x.start_time_ns, x.end_time_ns) == (T0 + 1, T0 + 1 + 3_000_000)
    assert (x.trace_id, x.span_id, x.parent_span_id) == (b"\x01" * 16, (2).to_bytes(8, "big"), b"")
    assert (x.process.service_name, x.pid) == ("shop", 4242)
    assert x.request_headers == {} and x.attributes == {}
    # Judged as a gRPC call: a server's NOT_FOUND is the caller's problem.
    assert classify(x) == (STATUS_UNSET, None)
    assert outcome(x) == (GOOD, None)
    assert endpoint_of(x) == ("shop", ROUTE, "POST")


def test_old_conventions_client_span():
    attrs = old(14, **{"server.address": "users.svc", "server.port": 50051, "error.type": "UNAVAILABLE"})
    (x,) = convert(span(CLIENT, error=True, message="connection refused", **attrs))
    assert (x.role, x.method, x.http_version) == (Role.CLIENT, "POST", "2")
    assert (x.rpc_system, x.rpc_method, x.rpc_status) == ("grpc", METHOD, 14)
    assert (x.path, x.route, x.status_code, x.error_type) == (ROUTE, ROUTE, 200, None)
    assert (x.peer_address, x.peer_port, x.request_headers) == ("users.svc", 50051, {"host": "users.svc"})
    assert (x.status_override, x.status_message) == (STATUS_ERROR, "connection refused")
    assert x.parent_span_id == b"\x09" * 8
    assert classify(x) == (STATUS_ERROR, "UNAVAILABLE")


def test_both_conventions_on_one_span_read_the_newest_names():
    """``OTEL_SEMCONV_STABILITY_OPT_IN=rpc/dup``: old and new names side by side."""
    attrs = {
        **old(13),
        **current("OK"),  # rpc.method is the fully-qualified one: rpc.service is not prepended
        "rpc.status_code": "DEADLINE_EXCEEDED",  # after 1.44: wins over rpc.response.status_code
    }
    (x,) = convert(span(**attrs))
    assert (x.rpc_method, x.rpc_status, x.route) == (METHOD, 4, ROUTE)
    (y,) = convert(span(**{**old(13), **current(None)}))
    assert y.rpc_status == 13  # only the old number: it is read


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("rpc.response.status_code", "OK", 0),
        ("rpc.response.status_code", "NOT_FOUND", 5),
        ("rpc.response.status_code", "not_found", 5),  # Connect's spelling of the same name
        ("rpc.response.status_code", "UNAVAILABLE", 14),
        ("rpc.response.status_code", "UNAUTHENTICATED", 16),
        ("rpc.response.status_code", "5", 5),
        ("rpc.response.status_code", " 13 ", 13),
        ("rpc.response.status_code", "99", 99),  # a code gRPC does not define is kept
        ("rpc.response.status_code", 2, 2),  # an int where a string is expected: the number
        ("rpc.status_code", "INTERNAL", 13),
        ("rpc.grpc.status_code", 0, 0),
        ("rpc.grpc.status_code", 16, 16),
        ("rpc.grpc.status_code", "12", 12),
    ],
)
def test_status_names_and_numbers(key, value, code):
    (x,) = convert(span(**{**current(None), key: value}))
    assert (x.rpc_status, x.status_code) == (code, 200)


def test_missing_status_is_a_call_without_an_answer():
    (x,) = convert(span(CLIENT, error=True, **current(None, **{"error.type": "java.net.ConnectException"})))
    assert (x.rpc_status, x.status_code, x.error_type) == (None, None, "java.net.ConnectException")
    assert classify(x) == (STATUS_ERROR, "java.net.ConnectException")
    assert outcome(x)[0] == SYSTEM
    (y,) = convert(span(**old(None)))
    assert (y.rpc_status, y.status_code, y.error_type) == (None, None, None)
    assert classify(y) == (STATUS_ERROR, "_OTHER")


def test_http_attributes_on_a_grpc_span():
    """An HTTP server span enriched with rpc.* (ASP.NET Core's gRPC support): a gRPC call."""
    http = {"http.request.method": "POST", "http.route": "/ignored/{x}", "url.path": "/ignored/1"}
    (x,) = convert(span(**{**http, "http.response.status_code": 200, **old(13)}))
    assert (x.rpc_system, x.route, x.status_code, x.rpc_status) == ("grpc", ROUTE, 200, 13)
    assert outcome(x)[0] == SYSTEM
    # A proxy's 503 before any gRPC status: the HTTP status is what the caller got.
    (y,) = convert(span(**{**http, "http.response.status_code": 503, **old(None)}))
    assert (y.status_code, y.rpc_status) == (503, None)
    assert classify(y) == (STATUS_ERROR, "503")


@pytest.mark.parametrize(
    ("attrs", "method"),
    [
        (current(**{"rpc.method": "_OTHER", "rpc.method_original": "shop.v1.Users/Nope"}), "shop.v1.Users/Nope"),
        (current(**{"rpc.method": "_OTHER"}), "_OTHER"),
        ({"rpc.system.name": "grpc", "rpc.response.status_code": "UNIMPLEMENTED"}, "_OTHER"),
        (current(**{"rpc.method": "/" + METHOD}), METHOD),  # the HTTP/2 :path, as some record it
        (old(**{"rpc.service": ""}), "Get"),  # <= 1.38 without a service: the method alone
        (current(**{"rpc.service": "other.Service"}), METHOD),  # already qualified
    ],
    ids=["other-with-original", "other", "no-method", "leading-slash", "no-service", "qualified"],
)
def test_method_names(attrs, method):
    (x,) = convert(span(**attrs))
    assert (x.rpc_method, x.path, x.route) == (method, "/" + method, "/" + method)


def test_garbage_values_are_counted_invalid_never_raised():
    bad = [
        current("BOGUS"),
        current("5x"),
        current("-"),
        current("9" * 20),
        current(2.5),
        current(True),
        current(b"\x05"),
        current(["OK"]),
        old("ABORTED!"),
        current(**{"rpc.method": ["a.B/C"]}),
        current(**{"rpc.method": 7}),
        current(**{"rpc.method": "_OTHER", "rpc.method_original": b"x"}),
        old(**{"rpc.service": ("a", "b")}),
        current(**{"server.port": "not-a-port"}),
        current(**{"http.response.status_code": "abc"}),
    ]
    stats = SpanConversionStats()
    exchanges = convert(*(span(n=i, **attrs) for i, attrs in enumerate(bad)), span(n=99, **current("OK")), stats=stats)
    assert (stats.invalid, stats.converted) == (len(bad), 1)
    assert [x.span_id for x in exchanges] == [(100).to_bytes(8, "big")]


def test_other_rpc_systems_are_not_converted_unless_they_are_http():
    stats = SpanConversionStats()
    spans = [
        span(n=1, **{"rpc.system.name": "jsonrpc", "rpc.method": "subtract", "rpc.response.status_code": "-32602"}),
        span(n=2, **{"rpc.system.name": "dubbo", "rpc.method": "org.Demo/hello"}),
        span(n=3, **{"rpc.system": "connect_rpc", "rpc.service": "a.B", "rpc.method": "C"}),
        span(n=4, **{"rpc.system.name": "GRPC", "rpc.method": METHOD}),  # the value is lower case
        # Connect over HTTP, with the HTTP attributes: an HTTP exchange as before.
        span(
            n=5,
            **{
                "rpc.system.name": "connectrpc",
                "rpc.method": METHOD,
                "http.request.method": "POST",
                "url.path": ROUTE,
                "http.response.status_code": 404,
            },
        ),
        span(trace_pb2.Span.SPAN_KIND_INTERNAL, n=6, **current("OK")),
    ]
    (x,) = convert(*spans, stats=stats)
    assert (stats.converted, stats.not_http, stats.other_kind, stats.invalid) == (1, 4, 1, 0)
    assert (x.rpc_system, x.rpc_status, x.method, x.path, x.status_code) == ("", None, "POST", ROUTE, 404)


def test_http_spans_are_unchanged():
    attrs = {"http.request.method": "GET", "url.path": "/users/1", "http.response.status_code": 200}
    (x,) = convert(span(**attrs))
    assert (x.rpc_system, x.rpc_method, x.rpc_status, x.http_version) == ("", "", None, "1.1")
    assert (x.method, x.path, x.route, x.status_code) == ("GET", "/users/1", None, 200)


# --- sidecar pipeline -------------------------------------------------------------------------

CONFIG = """
receivers:
  otlp:
    protocols: {grpc: {endpoint: "127.0.0.1:0"}}
processors:
  health_score: {interval: 1s, window: 1s, min_requests: 10, endpoint: ""}
  slo:
    state_file: ""
    endpoint: ""
    objectives:
      - {name: users-get, service: shop, route: /shop.v1.Users/Get, methods: [POST], target: 99}
      - {name: users-get-by-get, service: shop, route: /shop.v1.Users/Get, methods: [GET], target: 99}
  cause_attribution: {interval: 1s, window: 1s, endpoint: ""}
exporters:
  nop: {}
service:
  pipelines:
    metrics: {receivers: [otlp], processors: [health_score, slo, cause_attribution], exporters: [nop]}
"""

# 20 calls of shop.v1.Users/Get: 2 INTERNAL and 1 UNAVAILABLE (server failures, span status
# Error), 3 NOT_FOUND (the caller's problem), 14 OK; half in each convention.
OUTCOMES = ["INTERNAL"] * 2 + ["UNAVAILABLE"] + ["NOT_FOUND"] * 3 + ["OK"] * 14
CODES = {"OK": 0, "NOT_FOUND": 5, "INTERNAL": 13, "UNAVAILABLE": 14}


def grpc_server_spans() -> list[trace_pb2.Span]:
    out = []
    for n, name in enumerate(OUTCOMES):
        failed = name in ("INTERNAL", "UNAVAILABLE")
        extra = {"error.type": name} if name != "OK" else {}
        attrs = current(name, **extra) if n % 2 else old(CODES[name], **extra)
        out.append(span(n=n, error=failed, message="boom" if failed else "", **attrs))
    return out


@pytest.fixture
def sidecar(tmp_path):
    path = tmp_path / "sidecar.yaml"
    path.write_text(CONFIG)
    service = Service(load_config([path], {}), {})  # built, not started: fed by hand, no port bound
    (_, health), (_, slo), (_, cause) = service.pipelines["metrics"].processors
    service.receivers["otlp"].on_traces(request(*grpc_server_spans()))  # what the gRPC server calls
    yield service, health, slo, cause
    service.shutdown(1.0)


def test_sidecar_grpc_spans_are_one_endpoint_for_health_score(sidecar):
    service, health, _, _ = sidecar
    assert service.receivers["otlp"].span_stats.converted == len(OUTCOMES)
    health.evaluate()
    (row,) = health.snapshot()["endpoints"]
    assert (row["service.name"], row["http.route"], row["http.request.method"]) == ("shop", ROUTE, "POST")
    assert row["requests"] == len(OUTCOMES)


def test_sidecar_health_score_counts_grpc_server_failures_as_system_errors(sidecar):
    _, health, _, _ = sidecar
    health.evaluate()
    (row,) = health.snapshot()["endpoints"]
    # 3 system errors of 20 (INTERNAL, UNAVAILABLE; not NOT_FOUND), weight 2: 2 * 100 * 3 / 20.
    assert row["penalty"]["system"] == 30.0


def test_sidecar_slo_counts_internal_and_unavailable_bad_and_not_found_good(sidecar):
    _, _, slo, _ = sidecar
    by_name = {o["name"]: o for o in slo.snapshot()["objectives"]}
    post = by_name["users-get"]
    assert (post["good_total"], post["bad_total"]) == (17, 3)  # 14 OK + 3 NOT_FOUND good
    get = by_name["users-get-by-get"]
    assert (get["good_total"], get["bad_total"]) == (0, 0)  # the endpoint's method is POST


def test_sidecar_cause_attribution_sees_the_server_failures(sidecar):
    _, _, _, cause = sidecar
    cause.evaluate()
    (row,) = cause.snapshot()["endpoints"]
    assert (row["service.name"], row["http.route"], row["role"]) == ("shop", ROUTE, "server")
    # 3 failed of 20: the 2 INTERNAL and the UNAVAILABLE, answered (a status came back).
    assert row["degraded_by"] == ["errors 15.0% of 20 requests (baseline 0.0%)"]
    assert row["application_evidence"] == ["answered errors (business, 5xx) 15.0% (baseline 0.0%)"]
