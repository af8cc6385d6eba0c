"""OTLP/JSON without json_format (exporters/helper/otlp_json_encode.py): the same line, byte for byte."""

from __future__ import annotations

import itertools

from google.protobuf.descriptor import FieldDescriptor
from hypothesis import given, settings
from hypothesis import strategies as st
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue

from otel_ebpf.exporters.helper.otlp_json import parse_otlp_json, to_otlp_json, to_otlp_json_reference
from otel_ebpf.model import Role
from otel_ebpf.telemetry.http_metrics import HttpMetrics
from otel_ebpf.telemetry.redaction import Redactor
from otel_ebpf.telemetry.spans import build_trace_request
from tests.otlp_requests import metrics_request, trace_request
from tests.test_http_metrics import T0
from tests.test_http_metrics import exchange as metrics_exchange
from tests.test_spans import typical_batch


def assert_same_line(request) -> None:
    line = to_otlp_json(request)
    assert line == to_otlp_json_reference(request)
    assert parse_otlp_json(line, type(request)) == request


def test_the_agents_spans_and_metrics_are_written_as_json_format_writes_them():
    assert_same_line(build_trace_request(typical_batch(200), Redactor(), "1.2.3"))
    assert_same_line(trace_request(3, status=2, parent=b"\x07" * 8))
    assert_same_line(metrics_request())
    m = HttpMetrics()
    m.record(
        [
            metrics_exchange(0.3, status_code=500, trace_id=b"\x0a" * 16, span_id=b"\x0b" * 8),  # an exemplar
            metrics_exchange(0.002, role=Role.CLIENT, route="/r"),
        ]
    )
    request = ExportMetricsServiceRequest()
    request.resource_metrics.extend(m.collect(T0 + 10**9))
    assert_same_line(request)


_values = itertools.count(1)


def fill(message, choice: int, depth: int = 0) -> None:
    """Sets every field of `message` and of the messages in it (a repeated one twice) to a value
    that is not the default, so that every field type of OTLP goes through both encoders; of a
    oneof (a metric's kind, a point's value, an AnyValue), the member number `choice` (modulo)."""
    for fd in message.DESCRIPTOR.fields:
        oneof = fd.containing_oneof
        if oneof is not None and fd is not oneof.fields[choice % len(oneof.fields)]:
            continue
        repeat = 2 if fd.is_repeated else 1
        if fd.type == FieldDescriptor.TYPE_MESSAGE:
            if depth > 8:  # AnyValue in AnyValue (arrays, kvlists) has no end
                continue
            for _ in range(repeat):
                fill(
                    getattr(message, fd.name).add() if fd.is_repeated else getattr(message, fd.name), choice, depth + 1
                )
            continue
        n = next(_values)
        value = {
            FieldDescriptor.TYPE_STRING: f"s{n}é",
            FieldDescriptor.TYPE_BYTES: bytes([n % 256]) * (16 if "trace" in fd.name else 8),
            FieldDescriptor.TYPE_BOOL: True,
            FieldDescriptor.TYPE_DOUBLE: n + 0.25,
            FieldDescriptor.TYPE_ENUM: 1,
        }.get(fd.type, n if fd.type not in (FieldDescriptor.TYPE_SINT32, FieldDescriptor.TYPE_SINT64) else -n)
        for _ in range(repeat):
            if fd.is_repeated:
                getattr(message, fd.name).append(value)
            else:
                setattr(message, fd.name, value)


def test_every_field_of_otlp_traces_and_metrics_is_written_as_json_format_writes_it():
    lines = []
    for request_type in (ExportTraceServiceRequest, ExportMetricsServiceRequest):
        for choice in range(8):  # AnyValue has 8 members, Metric.data 5
            request = request_type()
            fill(request, choice)
            assert_same_line(request)
            lines.append(to_otlp_json(request))
    text = "".join(lines)
    for kind in ("gauge", "sum", "histogram", "exponentialHistogram", "summary", "exemplars", "links", "events"):
        assert f'"{kind}":' in text  # the deepest messages too


any_values = st.recursive(
    st.one_of(
        st.builds(AnyValue),  # no value at all
        st.text().map(lambda v: AnyValue(string_value=v)),
        st.booleans().map(lambda v: AnyValue(bool_value=v)),
        st.integers(-(2**63), 2**63 - 1).map(lambda v: AnyValue(int_value=v)),
        st.floats(allow_nan=True, allow_infinity=True).map(lambda v: AnyValue(double_value=v)),
        st.binary().map(lambda v: AnyValue(bytes_value=v)),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda vs: AnyValue(array_value={"values": vs})),
        st.lists(st.tuples(st.text(max_size=5), inner), max_size=3).map(
            lambda kvs: AnyValue(kvlist_value={"values": [{"key": k, "value": v} for k, v in kvs]})
        ),
    ),
    max_leaves=6,
)


@settings(max_examples=100, deadline=None)
@given(key=st.text(max_size=8), value=any_values, with_value=st.booleans(), number=st.floats(allow_nan=True))
def test_any_attribute_value_is_written_as_json_format_writes_it(key, value, with_value, number):
    request = trace_request(1)
    span = request.resource_spans[0].scope_spans[0].spans[0]
    kv = span.attributes.add(key=key)
    if with_value:
        kv.value.CopyFrom(value)
    line = to_otlp_json(request)
    assert line == to_otlp_json_reference(request)
    metrics = metrics_request()
    metrics.resource_metrics[0].scope_metrics[0].metrics[0].histogram.data_points[0].sum = number
    assert to_otlp_json(metrics) == to_otlp_json_reference(metrics)


def test_a_full_attribute_memo_starts_afresh_and_writes_the_same(monkeypatch):
    from otel_ebpf.exporters.helper import otlp_json_encode

    monkeypatch.setattr(otlp_json_encode, "MAX_MEMO", 3)
    monkeypatch.setattr(otlp_json_encode, "_memo", {})
    request = build_trace_request(typical_batch(20), Redactor(), "1.2.3")
    assert_same_line(request)
    assert len(otlp_json_encode._memo) <= 3
