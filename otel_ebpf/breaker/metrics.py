"""The breakers' metrics, as OTLP: one set per service (the resource says which).

* ``otel_ebpf.breaker.state`` (gauge, ``1``): closed 0, half-open 1, open 2;
* ``otel_ebpf.breaker.transitions`` (counter, ``{transition}``): state changes so far;
* ``otel_ebpf.breaker.requests`` (counter, ``{request}``): requests decided, by
  ``otel_ebpf.breaker.decision`` = allowed | rejected | probe (dry run: what it would have done).

Points carry ``http.route`` and ``http.request.method``, like the health score's.
"""

from __future__ import annotations

from collections.abc import Callable

from opentelemetry.proto.metrics.v1.metrics_pb2 import Metric

from otel_ebpf.breaker.state import DECISIONS
from otel_ebpf.model import ProcessInfo
from otel_ebpf.telemetry.points import add_point, cumulative_sum, gauge

STATE = "otel_ebpf.breaker.state"
TRANSITIONS = "otel_ebpf.breaker.transitions"
REQUESTS = "otel_ebpf.breaker.requests"
ATTR_DECISION = "otel_ebpf.breaker.decision"


def breaker_metrics(
    rows: list[tuple[str, str, str, int, int, dict[str, int]]],
    service_info: Callable[[str], ProcessInfo],
    now_ns: int,
    start_ns: int,
) -> list[tuple[ProcessInfo, Metric]]:
    """``(resource, metric)`` pairs of the board's :meth:`~otel_ebpf.breaker.board.BreakerBoard.rows`."""
    by_service: dict[str, dict[str, Metric]] = {}
    for service, route, method, state, transitions, requests in rows:
        metrics = by_service.get(service)
        if metrics is None:
            metrics = by_service[service] = {
                STATE: gauge(STATE, "1", "Circuit breaker state of the endpoint: closed 0, half-open 1, open 2."),
                TRANSITIONS: cumulative_sum(TRANSITIONS, "{transition}", "Circuit breaker state changes."),
                REQUESTS: cumulative_sum(REQUESTS, "{request}", "Requests the circuit breaker decided, by decision."),
            }
        base = (("http.route", route), ("http.request.method", method))
        add_point(metrics[STATE].gauge, base, state, now_ns)
        add_point(metrics[TRANSITIONS].sum, base, transitions, now_ns, start_ns)
        for decision in DECISIONS:
            add_point(metrics[REQUESTS].sum, base + ((ATTR_DECISION, decision),), requests[decision], now_ns, start_ns)
    out = []
    for service, metrics in by_service.items():
        info = service_info(service)
        out.extend((info, metric) for metric in metrics.values())
    return out
