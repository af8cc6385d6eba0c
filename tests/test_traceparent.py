"""W3C traceparent parsing and id generation."""

from __future__ import annotations

import pytest

from otel_ebpf.protocols.traceparent import new_span_id, new_trace_id, parse_traceparent

TRACE = "0af7651916cd43dd8448eb211c80319c"
SPAN = "b7ad6b7169203331"
VALID = f"00-{TRACE}-{SPAN}-01"


def test_valid_header_gives_binary_ids_and_flags():
    assert parse_traceparent(VALID) == (bytes.fromhex(TRACE), bytes.fromhex(SPAN), 1)
    assert parse_traceparent(f"00-{TRACE}-{SPAN}-00")[2] == 0


def test_surrounding_optional_whitespace_is_ignored():
    assert parse_traceparent(f" \t{VALID}\t ") is not None


def test_future_version_extra_fields_are_ignored():
    assert parse_traceparent(f"cc-{TRACE}-{SPAN}-09-what-the-future-will-be-like") == (
        bytes.fromhex(TRACE),
        bytes.fromhex(SPAN),
        9,
    )
    assert parse_traceparent(f"01-{TRACE}-{SPAN}-01") is not None


@pytest.mark.parametrize(
    "value",
    [
        "",
        "00",
        f"00-{'0' * 32}-{SPAN}-01",  # all-zero trace id
        f"00-{TRACE}-{'0' * 16}-01",  # all-zero parent id
        f"00-{TRACE.upper()}-{SPAN}-01",  # upper-case hex is invalid
        f"00-{TRACE}-{SPAN.upper()}-01",
        f"00-{TRACE[:-1]}g-{SPAN}-01",  # not hex
        f"00-{TRACE}-{SPAN}-0g",
        f"0g-{TRACE}-{SPAN}-01",
        f"00-{TRACE[:-1]}-{SPAN}-01",  # wrong lengths
        f"00-{TRACE}0-{SPAN}-01",
        f"00-{TRACE}-{SPAN}0-01",
        f"00-{TRACE}-{SPAN}-1",
        f"00-{TRACE}-{SPAN}-01-extra",  # version 00 is exactly 55 characters
        f"ff-{TRACE}-{SPAN}-01",  # version ff is forbidden
        f"cc-{TRACE}-{SPAN}-01.extra",  # future versions separate extra fields with a dash
        f"00_{TRACE}_{SPAN}_01",
        f"00-{TRACE[:16]} {TRACE[17:]}-{SPAN}-01",  # bytes.fromhex would skip the space
    ],
)
def test_invalid_headers_are_rejected(value):
    assert parse_traceparent(value) is None


def test_new_ids_have_the_right_size_and_vary():
    traces = {new_trace_id() for _ in range(1000)}
    spans = {new_span_id() for _ in range(1000)}
    assert len(traces) == 1000 and len(spans) == 1000
    assert all(len(t) == 16 and any(t) for t in traces)
    assert all(len(s) == 8 and any(s) for s in spans)


def test_new_ids_round_trip_through_a_header():
    trace, span = new_trace_id(), new_span_id()
    assert parse_traceparent(f"00-{trace.hex()}-{span.hex()}-01") == (trace, span, 1)
