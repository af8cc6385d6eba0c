"""The proxy's decision hook: a request's endpoint, its breaker's decision, and its outcome.

For each request the gate resolves the route (:class:`~otel_ebpf.breaker.matcher.RouteMatcher`),
asks the board, and either lets it through (keeping a sample of the response body when it is a
probe) or hands the proxy the refusal to answer.  When the response is complete it judges it:

* no response, a timeout, a 5xx: a failure (``SYSTEM``), which counts towards ``failures``;
* the client left before the response was complete: nothing (a probe's turn goes to another);
* a probe's response also goes through ``judge`` (the semantic error rules, wired in by the
  command): a ``200`` whose body says the operation failed fails the probe, and so does a 429; a
  4xx that is the client's (a wrong password, an unknown item) does not;
* anything else: good.
"""

from __future__ import annotations

from collections.abc import Callable

from otel_ebpf.breaker.board import BreakerBoard
from otel_ebpf.breaker.matcher import RouteMatcher
from otel_ebpf.breaker.proxy import Admission, Outcome
from otel_ebpf.breaker.state import GOOD, PROBE, SYSTEM, breaker_kind
from otel_ebpf.telemetry.semconv import KNOWN_METHODS, OTHER

# (method, target, route, outcome) -> (GOOD | SYSTEM | BUSINESS, why)
Judge = Callable[[str, str, str, Outcome], tuple[int, str]]

# A probe's body kept for the judge: what the semantic error rules read of a captured body.
PROBE_SAMPLE_BYTES = 16384


class BreakerGate:
    """Implements the proxy's ``Gate`` for one backend, known to the health score as ``service``."""

    def __init__(
        self,
        board: BreakerBoard,
        matcher: RouteMatcher,
        service: str,
        judge: Judge | None = None,
        sample_bytes: int = PROBE_SAMPLE_BYTES,
    ) -> None:
        self.board = board
        self.matcher = matcher
        self.service = service
        self._judge = judge
        self._sample_bytes = sample_bytes

    def admit(self, method: str, target: str, headers: list[tuple[bytes, bytes]]) -> Admission:
        if method not in KNOWN_METHODS:
            method = OTHER
        route = self.matcher.route(target)
        decision = self.board.admit(self.service, route, method)
        if decision.enforce:
            return Admission(False, decision.status, decision.headers, decision.body)
        sample = self._sample_bytes if decision.decision == PROBE and self._judge is not None else 0
        return Admission(True, sample_body=sample, ticket=(decision, method, target, route))

    def settle(self, admission: Admission, outcome: Outcome) -> None:
        decision, method, target, route = admission.ticket
        status = outcome.status
        if outcome.failure == "client":  # the client left: nothing learnt about the backend
            self.board.forget(decision)
            return
        if outcome.failure is not None or status is None:
            kind, why = SYSTEM, outcome.failure or "no response"
        elif status >= 500:
            kind, why = SYSTEM, str(status)
        elif admission.sample_body and self._judge is not None:
            kind, why = self._judge(method, target, route, outcome)
            kind = breaker_kind(kind, status)
        else:
            kind, why = GOOD, ""
        self.board.settle(decision, kind, why)
