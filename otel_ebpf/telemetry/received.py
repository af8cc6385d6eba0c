"""Processors' annotations written back into received spans (sidecar mode).

An exchange made from a received span (the ``otlp`` receiver) goes through the processors like
a captured one; what they conclude (``error.type`` and ``otel_ebpf.error.*`` of a silent
failure, an Error status) belongs on the span the sender made, which is forwarded, not on a
second span.  Matched by span id; attributes the span already has with the same value are left
alone, others are replaced or added; an Error status never becomes Unset.
"""

from __future__ import annotations

from collections.abc import Iterable

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from otel_ebpf.model import STATUS_ERROR, HttpExchange
from otel_ebpf.telemetry.attributes import to_any_value


def annotate_received_spans(request: ExportTraceServiceRequest, exchanges: Iterable[HttpExchange]) -> int:
    """Applies the exchanges' annotations to their spans in ``request``; returns how many spans changed."""
    wanted = {x.span_id: x for x in exchanges if x.attributes or x.status_override == STATUS_ERROR}
    if not wanted:
        return 0
    changed = 0
    for rs in request.resource_spans:
        for ss in rs.scope_spans:
            for span in ss.spans:
                x = wanted.get(span.span_id)
                if x is not None and _annotate(span, x):
                    changed += 1
    return changed


def _annotate(span, x: HttpExchange) -> bool:
    changed = False
    if x.attributes:
        index = {kv.key: kv for kv in span.attributes}
        for key, value in x.attributes.items():
            any_value = to_any_value(value)
            kv = index.get(key)
            if kv is None:
                span.attributes.add(key=key, value=any_value)
                changed = True
            elif kv.value != any_value:
                kv.value.CopyFrom(any_value)
                changed = True
    if x.status_override == STATUS_ERROR and span.status.code != STATUS_ERROR:
        span.status.code = STATUS_ERROR
        if x.status_message and not span.status.message:
            span.status.message = x.status_message
        changed = True
    return changed
