"""What one request meant for its endpoint: good, a system error or a business error.

Shared by the ``health_score`` and ``slo`` processors so both judge a request the same way:

* **system error**: no response at all (reset, timeout: ``error_type``), a 5xx, or a
  ``semantic_errors`` verdict of kind ``system``;
* **business error**: a ``semantic_errors`` verdict of kind ``business`` (a silent
  ``200 {"success": false}``, a 402, a 429, ...) with its severity;
* otherwise **good**.

Without a ``semantic_errors`` processor earlier in the pipeline only status codes and
missing responses count: list it first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from otel_ebpf.model import STATUS_ERROR, HttpExchange, RequestCount, Role
from otel_ebpf.telemetry.rpc import effective_status
from otel_ebpf.telemetry.semconv import KNOWN_METHODS, OTHER, classify

ATTR_KIND = "otel_ebpf.error.kind"
ATTR_SEVERITY = "otel_ebpf.error.severity"

UNKNOWN_SERVICE = "unknown_service"

GOOD = 0
SYSTEM = 1
BUSINESS = 2

SEVERITIES = ("critical", "high", "medium", "low")


def endpoint_of(x: HttpExchange) -> tuple[str, str, str]:
    """``(service.name, http.route or path, method)``: the endpoint a server exchange belongs to.

    A gRPC call's route is its ``/package.Service/Method`` (set by the receivers), so a gRPC
    endpoint is a service's method."""
    process = x.process
    service = process.service_name if process is not None else UNKNOWN_SERVICE
    method = x.method if x.method in KNOWN_METHODS else OTHER
    return service, x.route or x.path or "/", method


def outcome(x: HttpExchange) -> tuple[int, str | None]:
    """``(GOOD | SYSTEM | BUSINESS, severity or None)`` of one server exchange."""
    attributes = x.attributes
    kind = attributes.get(ATTR_KIND) if attributes else None
    if kind == "business":
        severity = attributes.get(ATTR_SEVERITY)
        return BUSINESS, severity if severity in SEVERITIES else "medium"
    status = effective_status(x)  # a gRPC call's status as its HTTP equivalent
    if kind == "system" or x.error_type or status is None or status >= 500:
        return SYSTEM, attributes.get(ATTR_SEVERITY, "high") if attributes else "high"
    return GOOD, None


def is_error(x: HttpExchange) -> bool:
    """True for an exchange whose span must survive sampling: a span with an Error status
    (what :func:`~otel_ebpf.telemetry.semconv.classify` exports: a client's 4xx too), a
    ``semantic_errors`` verdict, or a processor asked to keep it."""
    if x.keep or classify(x)[0] == STATUS_ERROR:
        return True
    attributes = x.attributes
    return bool(attributes) and ATTR_KIND in attributes


def count_buckets(counts: Iterable[RequestCount]) -> Iterator[tuple[str, str, str, int, float, int]]:
    """``(service, route, method, GOOD | SYSTEM, duration_s, n)`` per non-empty bucket of each count.

    Histograms carry no bodies, so no business errors: 5xx, a missing status and ``error.type``
    are system errors, the rest is good.  A bucket's requests are taken at its upper bound (the
    overflow bucket's: just past the last bound).
    """
    for c in counts:
        if c.role != Role.SERVER:
            continue  # endpoints are what a service serves
        status = c.status_code
        kind = SYSTEM if c.error_type or status is None or status >= 500 else GOOD
        route = c.route or "/"
        bounds = c.bounds_s
        for index, n in enumerate(c.bucket_counts):
            if n:
                duration = bounds[index] if index < len(bounds) else (bounds[-1] * 1.1 if bounds else 0.0)
                yield c.service_name, route, c.method, kind, duration, n
