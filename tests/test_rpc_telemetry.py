"""gRPC calls as the RPC semantic conventions describe them: spans, duration metrics, and how the
processors judge them (otel_ebpf.telemetry.rpc, spans, http_metrics, outcome, semantic_errors)."""

from __future__ import annotations

import pytest

from otel_ebpf.model import STATUS_ERROR, STATUS_UNSET, HttpExchange, ProcessInfo, Role
from otel_ebpf.processors.semantic_errors.processor import SemanticErrorsProcessor
from otel_ebpf.telemetry.http_metrics import HttpMetrics
from otel_ebpf.telemetry.outcome import BUSINESS, GOOD, SYSTEM, endpoint_of, outcome
from otel_ebpf.telemetry.redaction import Redactor
from otel_ebpf.telemetry.rpc import (
    HTTP_EQUIVALENT,
    SERVER_ERRORS,
    STATUS_NAMES,
    classify_rpc,
    effective_status,
    grpc_status_of,
    status_name,
)
from otel_ebpf.telemetry.spans import build_trace_request


def attrs(key_values) -> dict[str, object]:
    out = {}
    for kv in key_values:
        kind = kv.value.WhichOneof("value")
        out[kv.key] = getattr(kv.value, kind)
    return out


INVENTORY = ProcessInfo(7, "inventory", "python3", {"service.name": "inventory", "process.pid": 7})
T0 = 1_700_000_000_000_000_000
METHOD = "demo.Inventory/GetItem"


def call(code: int | None, role: Role = Role.SERVER, message: str | None = None, **fields) -> HttpExchange:
    x = HttpExchange()
    x.role = role
    x.process = INVENTORY
    x.start_time_ns, x.end_time_ns = T0, T0 + 3_000_000
    x.method = "POST"
    x.path = x.target = x.route = "/" + METHOD
    x.http_version = "2"
    x.status_code = 200
    x.request_headers = {"host": "inventory:50051", "content-type": "application/grpc", "te": "trailers"}
    x.response_headers = {"content-type": "application/grpc"}
    if code is not None:
        x.response_headers["grpc-status"] = str(code)
    if message is not None:
        x.response_headers["grpc-message"] = message
    x.local_address, x.local_port = "10.0.0.2", 50051
    x.peer_address, x.peer_port = "10.0.0.9", 40000
    x.trace_id, x.span_id = bytes(range(1, 17)), bytes(range(1, 9))
    x.rpc_system, x.rpc_method, x.rpc_status = "grpc", METHOD, code
    for name, value in fields.items():
        setattr(x, name, value)
    return x


def span_of(x: HttpExchange, redactor: Redactor | None = None):
    request = build_trace_request([x], redactor or Redactor(), "0.0.0")
    (span,) = [s for rs in request.resource_spans for ss in rs.scope_spans for s in ss.spans]
    return span, attrs(span.attributes)


def test_status_table_is_grpcs():
    assert len(STATUS_NAMES) == 17 == len(HTTP_EQUIVALENT)
    assert status_name(0) == "OK" and status_name(5) == "NOT_FOUND" and status_name(16) == "UNAUTHENTICATED"
    assert status_name(99) == "99"
    assert {status_name(c) for c in SERVER_ERRORS} == {
        "UNKNOWN",
        "DEADLINE_EXCEEDED",
        "UNIMPLEMENTED",
        "INTERNAL",
        "UNAVAILABLE",
        "DATA_LOSS",
    }
    assert grpc_status_of({"grpc-status": "13"}) == 13
    for bad in ("", "x", "-1", "1e3", "9" * 12):
        assert grpc_status_of({"grpc-status": bad}) is None
    assert grpc_status_of({}) is None


def test_server_span_follows_the_rpc_conventions():
    span, a = span_of(call(0))
    assert span.name == METHOD
    assert span.kind == 2
    assert a["rpc.system.name"] == "grpc"
    assert a["rpc.method"] == METHOD
    assert a["rpc.response.status_code"] == "OK"
    assert a["network.protocol.version"] == "2"
    assert a["server.address"] == "inventory" and a["server.port"] == 50051
    assert a["network.peer.address"] == "10.0.0.9" and a["network.peer.port"] == 40000
    assert "error.type" not in a and "http.request.method" not in a and "url.path" not in a
    assert span.status.code == STATUS_UNSET


@pytest.mark.parametrize("code", range(17))
def test_span_status_per_role(code):
    server, sa = span_of(call(code))
    client, ca = span_of(call(code, Role.CLIENT))
    name = STATUS_NAMES[code]
    assert sa["rpc.response.status_code"] == ca["rpc.response.status_code"] == name
    server_error = code in SERVER_ERRORS
    assert (server.status.code == STATUS_ERROR) == server_error
    assert sa.get("error.type") == (name if server_error else None)
    assert (client.status.code == STATUS_ERROR) == (code != 0)
    assert ca.get("error.type") == (name if code else None)


def test_call_without_a_status_is_an_error_of_its_transport():
    span, a = span_of(call(None, error_type="connection_reset"))
    assert span.status.code == STATUS_ERROR and a["error.type"] == "connection_reset"
    assert "rpc.response.status_code" not in a
    span, a = span_of(call(None))  # trailers never came, no transport error known
    assert span.status.code == STATUS_ERROR and a["error.type"] == "_OTHER"


def test_grpc_message_is_the_status_message_percent_decoded_and_scrubbed():
    span, _ = span_of(call(13, message="db%20down%3A%20password%3Dhunter2"))
    assert span.status.code == STATUS_ERROR
    assert span.status.message.startswith("db down:")
    assert "hunter2" not in span.status.message


def test_malformed_method_is_other():
    span, a = span_of(call(0, rpc_method="nomethod"))
    assert a["rpc.method"] == "_OTHER" and a["rpc.method_original"] == "nomethod"
    assert span.name == "grpc"


def test_duration_metrics_are_rpc_call_durations():
    metrics = HttpMetrics()
    metrics.record([call(0), call(0), call(13), call(5, Role.CLIENT)])
    (resource,) = metrics.collect(T0 + 10**9)
    by_name = {m.name: m for sm in resource.scope_metrics for m in sm.metrics}
    assert set(by_name) == {"rpc.server.call.duration", "rpc.client.call.duration"}
    server = by_name["rpc.server.call.duration"]
    assert server.unit == "s"
    points = {attrs(p.attributes)["rpc.response.status_code"]: p for p in server.histogram.data_points}
    assert points["OK"].count == 2 and points["INTERNAL"].count == 1
    assert attrs(points["INTERNAL"].attributes) == {
        "rpc.system.name": "grpc",
        "rpc.method": METHOD,
        "rpc.response.status_code": "INTERNAL",
        "error.type": "INTERNAL",
        "server.port": 50051,
    }
    (client_point,) = by_name["rpc.client.call.duration"].histogram.data_points
    assert attrs(client_point.attributes)["error.type"] == "NOT_FOUND"
    assert attrs(client_point.attributes)["server.address"] == "inventory"


def test_endpoints_and_outcomes_judge_grpc_like_http():
    assert endpoint_of(call(0)) == ("inventory", "/" + METHOD, "POST")
    assert outcome(call(0))[0] == GOOD
    assert outcome(call(13))[0] == SYSTEM
    assert outcome(call(14))[0] == SYSTEM
    assert outcome(call(None))[0] == SYSTEM  # a 200 without grpc-status is a broken call
    assert outcome(call(5))[0] == GOOD  # without semantic_errors: a 404 is the caller's
    assert effective_status(call(8)) == 429 and effective_status(call(16)) == 401
    assert classify_rpc(call(5)) == (STATUS_UNSET, None)


@pytest.mark.parametrize(
    "code, message, kind, type_",
    [
        (0, None, "none", None),
        (5, "item 42 not found", "business", "not_found"),
        (8, "quota exceeded", "business", "rate_limit"),
        (16, None, "business", "auth_failure"),
        (7, None, "business", "auth_failure"),
        (3, "bad field", "business", "validation"),
        (9, "card declined", "business", "payment"),
        (13, "boom", "system", "server_error"),
        (14, None, "system", "server_error"),
    ],
)
def test_semantic_errors_type_grpc_statuses_like_their_http_equivalents(code, message, kind, type_):
    processor = SemanticErrorsProcessor({})
    verdict = processor.classify(call(code, message=message))
    assert (verdict.kind, verdict.type) == (kind, type_)
    (x,) = processor.process([call(code, message=message)])
    assert outcome(x)[0] == {"none": GOOD, "business": BUSINESS, "system": SYSTEM}[kind]
    span, a = span_of(x)
    if kind != "none":
        assert a["otel_ebpf.error.type"] == type_
    # The status of a gRPC error shows the failure: no silent-failure override of the span status.
    assert x.status_override is None


def test_protobuf_answers_are_never_read_as_text():
    """An OK call whose message happens to hold words of failure is a success: its bytes are
    protobuf, not a body the classifier reads."""
    x = call(0, response_body=b'\x00\x00\x00\x00\x1a{"success": false, "error": "payment declined"}')
    assert SemanticErrorsProcessor({}).classify(x).kind == "none"
