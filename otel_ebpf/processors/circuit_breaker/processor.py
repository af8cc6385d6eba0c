"""The ``circuit_breaker`` processor: breakers in the agent, enforced by the user's gateway.

It acts on the ``health_score`` processor's evaluations (found through
:class:`~otel_ebpf.component.EndpointStates`) and on the outcomes of the SERVER exchanges
that pass through it (after ``semantic_errors``: a silent failure fails a probe), and serves

* ``GET /breaker/check`` on the status endpoint, for gateways that enforce without a Python
  process in the data path (nginx ``auth_request``, Envoy ``ext_authz``): query ``service``,
  ``method``, ``path`` or, without them, nginx's ``X-Original-Method`` and ``X-Original-URI``
  headers; ``204`` when the request may pass, else the breaker's status (503 or 429) with
  ``Retry-After``.  Envoy's ``ext_authz`` form works too: the original request's method, with its
  path and query appended (``POST /breaker/check/checkout?x=1``), the service in
  ``X-Breaker-Service``; it passes with 200 (Envoy's rule) and refuses with 429, as Envoy takes a
  5xx from the authorization service for a failure of its own.  ``deny_status=403`` answers 403
  instead, for nginx, whose ``auth_request`` takes only 401 and 403 as a refusal (any other status
  is an error).  A check that passes while half-open takes a probe's turn: to look, ``GET /breaker``;
* ``GET /breaker``: every breaker's state and recent transitions, as JSON.

A gateway check is a request the breaker admitted: while half-open, the first ``probes`` checks
pass and the exchanges the backend then answers are the probes' outcomes.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping

from otel_ebpf.breaker.board import ANY_SERVICE, BreakerBoard
from otel_ebpf.breaker.config import CHECK_PATH, PROCESSOR_SCHEMA, STATUS_PATH
from otel_ebpf.breaker.matcher import RouteMatcher
from otel_ebpf.breaker.metrics import breaker_metrics
from otel_ebpf.breaker.state import BUSINESS, GOOD, breaker_kind, silent_failure
from otel_ebpf.component import Consumer, EndpointStates, ExchangeProcessor, Host, MetricsProducer
from otel_ebpf.component.listener import Request, Response
from otel_ebpf.config.schema import resolve
from otel_ebpf.model import HttpExchange, Role
from otel_ebpf.processors import status_api
from otel_ebpf.telemetry import outcome as outcomes
from otel_ebpf.telemetry.points import group_by_resource
from otel_ebpf.telemetry.rpc import effective_status
from otel_ebpf.telemetry.semconv import KNOWN_METHODS, OTHER
from otel_ebpf.telemetry.service_resources import ServiceResources

log = logging.getLogger("otel_ebpf.breaker")

_SERVER = Role.SERVER
# How often the health score's evaluations are looked at: each is acted on once, as it comes.
POLL_INTERVAL_S = 0.25
# The service asked about, for gateways that cannot put it in the query (Envoy).
SERVICE_HEADER = "x-breaker-service"
DENY_HEADER = "x-breaker-deny-status"
_NO_CONTENT = Response(204, b"", "text/plain; charset=utf-8")
_ENVOY_OK = Response(200, b"", "text/plain; charset=utf-8")  # Envoy's ext_authz lets through on 200 only


class CircuitBreakerProcessor(ExchangeProcessor, MetricsProducer):
    """Breakers per endpoint (service, route, method), fed by the health score and the exchanges.

    Args:
        config: The ``processors: circuit_breaker:`` mapping (raw or resolved).
        clock, wall_ns: Monotonic seconds and wall-clock ns (injectable for tests).
    """

    def __init__(
        self,
        config: Mapping | None = None,
        clock=time.monotonic,
        wall_ns=time.time_ns,
        next_consumer: Consumer | None = None,
    ):
        super().__init__(next_consumer)
        resolved, errors = resolve(PROCESSOR_SCHEMA, dict(config or {}), "circuit_breaker")
        if errors:
            raise ValueError("; ".join(errors))
        self.config = resolved
        self.board = BreakerBoard(resolved, clock, wall_ns)
        self._patterns = tuple(resolved["route_patterns"])
        self._matchers: dict[str, RouteMatcher] = {}  # service (ANY_SERVICE: all) -> its routes
        self._fallback = RouteMatcher(self._patterns)  # before any health data
        self._health: list[EndpointStates] = []
        self._seen_ns: dict[int, int] = {}  # health provider -> its last evaluation acted on
        self._resources = ServiceResources()
        self._start_ns = wall_ns()
        self.checks = 0
        self.bad_checks = 0
        self._check = status_api.StatusPath(resolved["endpoint"], CHECK_PATH, self.answer_check, raw=True)
        self._status = status_api.StatusPath(resolved["endpoint"], STATUS_PATH, self._snapshot)

    def start(self, host: Host | None = None) -> None:
        """Serves the check and the status, and follows the health score's evaluations."""
        self._check.open()
        self._status.open()
        if host is not None:
            self._health = host.find(EndpointStates)
            if not self._health:
                log.warning(
                    "circuit_breaker: no health_score processor in this agent: breakers open on failures seen only"
                )
            host.every(POLL_INTERVAL_S, self.follow_health, "circuit_breaker health")

    def follow_health(self) -> None:
        """Feeds a new evaluation of the health score to the breakers (once per evaluation)."""
        evaluations = []
        for i, provider in enumerate(self._health):
            found = provider.endpoint_health(self._seen_ns.get(i, 0))
            if found:
                evaluations += found
                self._seen_ns[i] = max(health.evaluated_at_ns for health in found)
        if evaluations:
            self.observe(evaluations)

    def observe(self, evaluations: list) -> None:
        """Feeds evaluations (:class:`~otel_ebpf.model.EndpointHealth`) and learns their routes."""
        routes: dict[str, set[str]] = {ANY_SERVICE: set()}
        for health in evaluations:
            routes.setdefault(health.service, set()).add(health.route)
            routes[ANY_SERVICE].add(health.route)
        for service, known in routes.items():
            self._matcher(service).learn(known)
        for service in [s for s in self._matchers if s not in routes]:  # services gone from the data
            del self._matchers[service]
        self.board.observe_health(evaluations)

    def _matcher(self, service: str) -> RouteMatcher:
        """A service's matcher, made for the services the health data names (never for a name a
        request brings: those use every service's routes)."""
        matcher = self._matchers.get(service)
        if matcher is None:
            matcher = self._matchers[service] = RouteMatcher(self._patterns)
        return matcher

    # ------------------------------------------------------------------ exchanges

    def process(self, batch: list[HttpExchange]) -> list[HttpExchange]:
        """Feeds every SERVER exchange's outcome to its endpoint's breaker; the batch goes on unchanged.

        A good exchange costs a test here; only failures, and exchanges of endpoints whose breaker
        is not closed or counts failures, reach the board.
        """
        board = self.board
        attention = board.attention  # the set itself: it follows the board
        for x in batch:
            if x.role != _SERVER:
                continue
            status = effective_status(x)  # a gRPC call's status as its HTTP equivalent
            good = not (x.attributes or status is None or status >= 500 or x.error_type)
            if good and not attention:
                continue  # the common case: nothing to learn from a success
            key = outcomes.endpoint_of(x)
            if good:
                if key not in attention:
                    continue
                kind = GOOD
            else:
                kind = breaker_kind(outcomes.outcome(x)[0], status)
            board.outcome(*key, kind, _why(x, kind))
        return batch

    # ------------------------------------------------------------------ the check

    def answer_check(self, request: Request) -> Response:
        """``GET /breaker/check``: 204 when the request may pass, else the refusal with Retry-After."""
        self.checks += 1
        query = request.query
        headers = request.headers
        envoy = request.path.startswith(CHECK_PATH + "/")
        if envoy:
            # Envoy's ext_authz (HTTP): the original method, path and query, appended to the prefix;
            # the query is the original request's, so the service comes in a header.
            method = request.method
            target = request.path[len(CHECK_PATH) :] + (f"?{request.query_string}" if request.query_string else "")
            query = {"service": headers.get(SERVICE_HEADER, ""), "deny_status": headers.get(DENY_HEADER, "")}
        else:
            method = (query.get("method") or headers.get("x-original-method") or "").upper()
            target = query.get("path") or headers.get("x-original-uri") or ""
        if not method or not target.startswith("/"):
            self.bad_checks += 1
            body = {"error": "say which request: query method and path, or X-Original-Method and X-Original-URI"}
            return Response(400, json.dumps(body).encode(), "application/json")
        if method not in KNOWN_METHODS:
            method = OTHER
        service = query.get("service") or headers.get(SERVICE_HEADER) or ANY_SERVICE
        matcher = self._matchers.get(service) or self._matchers.get(ANY_SERVICE) or self._fallback
        route = matcher.route(target)
        if service == ANY_SERVICE:
            service = self.board.service_of(route, method) or ANY_SERVICE
        decision = self.board.admit(service, route, method)
        if not decision.enforce:
            return _ENVOY_OK if envoy else _NO_CONTENT
        status = decision.status
        deny = query.get("deny_status")
        if deny in ("401", "403", "429"):
            status = int(deny)
        elif envoy and status >= 500:
            status = 429  # Envoy takes a 5xx from the authorization service for its failure, not a refusal
        return Response(status, decision.body, "application/json", dict(decision.headers))

    def _snapshot(self, query: Mapping[str, str]) -> dict:
        return self.board.snapshot(query.get("service"))

    # ------------------------------------------------------------------ output

    def produce_metrics(self, now_ns: int) -> list:
        return group_by_resource(breaker_metrics(self.board.rows(), self._resources.info, now_ns, self._start_ns))

    def stats(self) -> dict[str, int]:
        """Own counters for the agent's self-metrics."""
        return {**self.board.stats(), "breaker.checks": self.checks, "breaker.bad_checks": self.bad_checks}

    @property
    def status_port(self) -> int | None:
        return self._check.port

    def shutdown(self, timeout_s: float = 5.0) -> None:
        self._check.close()
        self._status.close()


def _why(x: HttpExchange, kind: int) -> str:
    if kind == GOOD:
        return ""
    if x.status_code is None:
        return x.error_type or "no response"
    if kind == BUSINESS:
        return silent_failure(x.status_code, (x.attributes or {}).get("error.type"))
    return f"{x.status_code}"
