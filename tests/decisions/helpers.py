"""Builders shared by the health and SLO tests: exchanges and a clock the test moves."""

from __future__ import annotations

import itertools

from otel_ebpf.model import HttpExchange, ProcessInfo, Role

SHOP = ProcessInfo(10, "shop", "python3", {"service.name": "shop", "process.pid": 10})
T0 = 1_700_000_000 * 10**9
_ids = itertools.count(1)


class Clock:
    """A settable clock (seconds)."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def exchange(
    route: str = "/checkout",
    status: int | None = 200,
    duration_s: float = 0.01,
    business: str | None = None,
    system: bool = False,
    process: ProcessInfo = SHOP,
    method: str = "POST",
) -> HttpExchange:
    """A SERVER exchange as the pipeline sees it after semantic_errors (business=severity)."""
    x = HttpExchange()
    x.role = Role.SERVER
    x.process = process
    x.method = method
    x.path = x.route = route
    x.status_code = status
    x.start_time_ns = T0
    x.end_time_ns = T0 + int(duration_s * 1e9)
    n = next(_ids)  # distinct ids, the same every run
    x.trace_id, x.span_id = n.to_bytes(16, "big"), n.to_bytes(8, "big")
    if business:
        x.attributes = {
            "otel_ebpf.error.kind": "business",
            "otel_ebpf.error.type": "payment",
            "otel_ebpf.error.severity": business,
        }
    if system:
        x.status_code = 503
    return x


def batch(n: int, bad: int = 0, **bad_kwargs) -> list[HttpExchange]:
    """``n`` exchanges of which the first ``bad`` are built with ``bad_kwargs``."""
    return [exchange(**bad_kwargs) for _ in range(bad)] + [exchange() for _ in range(n - bad)]
