"""The ``health_score`` processor: a per-endpoint score (0-100), its penalties and a state.

Endpoints are (``service.name``, ``http.route``, method) of SERVER exchanges, aggregated
over every process and every agent that feeds this pipeline (in sidecar mode, several
agents' spans meet here).  ``process`` counts; ``evaluate`` (every ``interval``, on the
service's timer) closes an interval and scores every endpoint; ``collect_metrics`` exports
the last evaluation as gauges:

* ``otel_ebpf.health.score`` (``1``): the score, 0-100;
* ``otel_ebpf.health.penalty`` (``1``) with ``otel_ebpf.health.factor`` = business | system | latency;
* ``otel_ebpf.health.state`` (``1``): 1 for the current state, 0 for the others, attribute
  ``otel_ebpf.health.state`` = healthy | degraded | critical (the ``hw.status`` convention);
* ``otel_ebpf.health.requests`` (``{request}``): requests in the window behind the score.

Requests slower than their latency threshold are marked ``keep`` so their spans survive
sampling (exemplars of slow requests then point at real spans).

Other components read the degraded endpoints through :class:`~otel_ebpf.component.EndpointStates`.
"""

from __future__ import annotations

import fnmatch
import logging
import threading
import time
from collections import deque
from collections.abc import Mapping

from opentelemetry.proto.metrics.v1.metrics_pb2 import Metric

from otel_ebpf.component import Consumer, EndpointStates, ExchangeProcessor, Host, MetricsProducer
from otel_ebpf.config.schema import resolve
from otel_ebpf.model import EndpointHealth, HttpExchange, ProcessInfo, RequestCount, Role, is_received
from otel_ebpf.processors import status_api
from otel_ebpf.processors.health_score.config import HEALTH_SCORE_SCHEMA, STATUS_PATH
from otel_ebpf.processors.health_score.scoring import FACTORS, ScoreWeights, WindowStats, penalties, score
from otel_ebpf.processors.health_score.state import CRITICAL, DEGRADED, STATES, UNKNOWN, HealthState
from otel_ebpf.processors.health_score.window import SlotWindow
from otel_ebpf.telemetry.latency import latency_bucket
from otel_ebpf.telemetry.outcome import BUSINESS, SYSTEM, count_buckets, endpoint_of, outcome
from otel_ebpf.telemetry.points import add_point, gauge, group_by_resource
from otel_ebpf.telemetry.semconv import KNOWN_METHODS, OTHER
from otel_ebpf.telemetry.service_resources import ServiceResources

log = logging.getLogger("otel_ebpf.health")

SCORE = "otel_ebpf.health.score"
PENALTY = "otel_ebpf.health.penalty"
STATE = "otel_ebpf.health.state"
REQUESTS = "otel_ebpf.health.requests"
ATTR_FACTOR = "otel_ebpf.health.factor"
ATTR_STATE = "otel_ebpf.health.state"
UNKNOWN_SERVICE = "unknown_service"
_SERVER = Role.SERVER
_MISSING = object()


class _Endpoint:
    __slots__ = (
        "service",
        "route",
        "method",
        "window",
        "state",
        "threshold_s",
        "score",
        "raw_score",
        "penalty",
        "requests",
        "percentile_s",
        "last_seen",
        "state_since_ns",
    )

    def __init__(self, key: tuple[str, str, str], slots: int, state: HealthState, threshold_s: float, now: float):
        self.service, self.route, self.method = key
        self.window = SlotWindow(slots)
        self.state = state
        self.threshold_s = threshold_s
        self.score: float | None = None
        self.raw_score: float | None = None
        self.penalty: dict[str, float] = {}
        self.requests = 0
        self.percentile_s: float | None = None
        self.last_seen = now
        self.state_since_ns = 0  # wall clock of the last state change: names the episode


class HealthScoreProcessor(ExchangeProcessor, MetricsProducer, EndpointStates):
    """Scores endpoints from the exchanges that pass through it.

    Args:
        config: The ``processors: health_score:`` mapping (raw or resolved); defaults fill
            the rest. Raises ValueError naming every bad key.
        clock: Monotonic seconds (injectable for tests).
        next_consumer: The next stage of the pipeline.
    """

    def __init__(self, config: Mapping | None = None, clock=time.monotonic, next_consumer: Consumer | None = None):
        super().__init__(next_consumer)
        resolved, errors = resolve(HEALTH_SCORE_SCHEMA, dict(config or {}), "health_score")
        if errors:
            raise ValueError("; ".join(errors))
        self.config = resolved
        self._clock = clock
        self.interval_s: float = resolved["interval"]
        self.slots = max(1, round(resolved["window"] / self.interval_s))
        self.min_requests: int = resolved["min_requests"]
        self.smoothing: float = resolved["smoothing"]
        self.weights = ScoreWeights.from_config(resolved)
        self.percentile: float = resolved["latency"]["percentile"]
        self.default_threshold_s: float = resolved["latency"]["threshold"]
        self.max_endpoints: int = resolved["max_endpoints"]
        self.expire_after_s: float = resolved["expire_after"]
        self._routes = resolved["routes"]
        self._endpoints: dict[tuple[str, str, str], _Endpoint] = {}
        self._resources = ServiceResources()  # host.name and service.instance.id of the node
        self._lock = threading.Lock()
        self.last_evaluation_ns = 0
        self.transitions: deque[dict] = deque(maxlen=200)  # recent state changes, for the status endpoint
        # own counters
        self.evaluations = 0
        self.transition_count = 0
        self.endpoints_overflow = 0
        self.records = 0
        self._status = status_api.StatusPath(resolved["endpoint"], STATUS_PATH, self.snapshot)

    def start(self, host: Host | None = None) -> None:
        """Serves ``GET /health`` and evaluates every ``interval`` (``host`` None: evaluate by hand)."""
        self._status.open()
        if host is not None:
            host.every(self.interval_s, self.evaluate, "health_score evaluation")

    # ------------------------------------------------------------------ input

    def process(self, batch: list[HttpExchange]) -> list[HttpExchange]:
        """Counts every SERVER exchange of the batch; returns the batch unchanged (except ``keep``).

        Written for the hot path (1.09 -> 0.55 µs an exchange, measured with 900 exchanges of one
        endpoint): each endpoint is looked up once per batch, and an exchange without an error
        (no processor verdict, a status below 500) is counted inline.
        """
        now = self._clock()
        last = None
        endpoints: dict[tuple, _Endpoint | None] = {}  # (process, route or path, method) -> endpoint
        with self._lock:
            for x in batch:
                if x.role != _SERVER:
                    continue
                process = x.process
                if process is not last:  # once per sender and batch: a sidecar's services name their host
                    last = process
                    if is_received(x):
                        self._resources.observe_received(last)
                key = (process, x.route or x.path, x.method)
                endpoint = endpoints.get(key, _MISSING)
                if endpoint is _MISSING:
                    endpoint = endpoints[key] = self._endpoint(*endpoint_of(x), now)
                if endpoint is None:
                    continue
                duration = (x.end_time_ns - x.start_time_ns) / 1e9
                if duration < 0.0:
                    duration = 0.0
                status = x.status_code
                if x.attributes or status is None or status >= 500 or x.error_type or x.rpc_system:
                    kind, severity = outcome(x)
                    self._count(endpoint, kind, severity, duration, 1)
                else:  # good: outcome() would say so (a gRPC call's status is not its HTTP one)
                    slot = endpoint.window.current
                    slot.total += 1
                    latency = slot.latency
                    index = latency_bucket(duration)
                    latency[index] = latency.get(index, 0) + 1
                    self.records += 1
                if duration > endpoint.threshold_s:
                    x.mark_keep()
        return batch

    def count(self, counts: list[RequestCount]) -> None:
        """Requests counted from received duration histograms (no bodies: no business errors)."""
        for service, route, method, kind, duration_s, n in count_buckets(counts):
            self.record(service, route, method, kind, None, duration_s, n)

    def record(
        self, service: str, route: str, method: str, kind: int, severity: str | None, duration_s: float, count: int = 1
    ) -> None:
        """Counts ``count`` requests that did not come as exchanges (e.g. from OTLP histograms)."""
        now = self._clock()
        with self._lock:
            endpoint = self._endpoint(service, route, method if method in KNOWN_METHODS else OTHER, now)
            if endpoint is not None:
                self._count(endpoint, kind, severity, duration_s, count)

    def _count(self, endpoint: _Endpoint, kind: int, severity: str | None, duration_s: float, count: int) -> None:
        slot = endpoint.window.current
        slot.total += count
        if kind == SYSTEM:
            slot.system += count
        elif kind == BUSINESS:
            slot.business[severity or "medium"] += count
        slot.add_latency(duration_s, count)
        self.records += count

    def _endpoint(self, service: str, route: str, method: str, now: float) -> _Endpoint | None:
        key = (service, route, method)
        endpoint = self._endpoints.get(key)
        if endpoint is None:
            if len(self._endpoints) >= self.max_endpoints:
                self.endpoints_overflow += 1
                return None
            cfg = self.config
            state = HealthState(
                cfg["thresholds"]["degraded"],
                cfg["thresholds"]["critical"],
                cfg["hysteresis"]["margin"],
                cfg["hysteresis"]["period"],
            )
            endpoint = self._endpoints[key] = _Endpoint(key, self.slots, state, self._threshold_for(key), now)
        endpoint.last_seen = now
        return endpoint

    def _threshold_for(self, key: tuple[str, str, str]) -> float:
        service, route, method = key
        for entry in self._routes:
            if entry["methods"] and method not in entry["methods"]:
                continue
            if fnmatch.fnmatchcase(service, entry["service"]) and fnmatch.fnmatchcase(route, entry["match"]):
                if entry["latency_threshold"] is not None:
                    return entry["latency_threshold"]
        return self.default_threshold_s

    # ------------------------------------------------------------------ evaluation

    def evaluate(self, now: float | None = None) -> None:
        """Closes the current interval of every endpoint and scores it."""
        now = self._clock() if now is None else now
        changes = []
        with self._lock:
            self.evaluations += 1
            self.last_evaluation_ns = time.time_ns()
            for key, ep in list(self._endpoints.items()):
                ep.window.rotate()
                if self.expire_after_s and now - ep.last_seen > self.expire_after_s and ep.window.idle():
                    del self._endpoints[key]
                    continue
                total, system, business = ep.window.totals()
                ep.requests = total
                if total < self.min_requests:
                    ep.score = ep.raw_score = None  # too few requests to say anything
                    ep.penalty = {}
                    continue
                ep.percentile_s = ep.window.percentile(self.percentile)
                stats = WindowStats(total, system, business, ep.percentile_s, ep.threshold_s)
                ep.penalty = penalties(stats, self.weights)
                raw = score(ep.penalty)
                ep.raw_score = raw
                if ep.score is None or not self.smoothing:
                    ep.score = raw
                else:
                    ep.score = self.smoothing * ep.score + (1.0 - self.smoothing) * raw
                change = ep.state.update(ep.score, now)
                if change is not None:
                    ep.state_since_ns = self.last_evaluation_ns
                    self.transition_count += 1
                    changes.append((ep, change))
        for ep, (old, new) in changes:
            record = {
                "time_unix_nano": self.last_evaluation_ns,
                "monotonic_s": round(now, 3),
                "service.name": ep.service,
                "http.route": ep.route,
                "http.request.method": ep.method,
                "from": old,
                "to": new,
                "score": round(ep.score or 0.0, 2),
                "penalty": {k: round(v, 2) for k, v in ep.penalty.items()},
            }
            self.transitions.append(record)
            level = logging.INFO if new == "healthy" or old == UNKNOWN else logging.WARNING
            log.log(
                level,
                "health: %s %s %s %s -> %s (score %.1f; penalties %s; %d requests)",
                ep.service,
                ep.method,
                ep.route,
                old,
                new,
                ep.score,
                ", ".join(f"{k} {v:.1f}" for k, v in ep.penalty.items()),
                ep.requests,
            )

    # ------------------------------------------------------------------ output

    def collect_metrics(self, now_ns: int) -> list[tuple[ProcessInfo, Metric]]:
        """Gauges of the last evaluation, one set of metrics per service."""
        with self._lock:
            rows = [
                (ep.service, ep.route, ep.method, ep.score, dict(ep.penalty), ep.state.state, ep.requests)
                for ep in self._endpoints.values()
                if ep.score is not None
            ]
        by_service: dict[str, dict[str, Metric]] = {}
        for service, route, method, value, penalty, state, requests in rows:
            metrics = by_service.get(service)
            if metrics is None:
                metrics = by_service[service] = {
                    SCORE: gauge(SCORE, "1", "Health score of the endpoint, 0 (broken) to 100 (healthy)."),
                    PENALTY: gauge(PENALTY, "1", "Points the score loses to each factor."),
                    STATE: gauge(STATE, "1", "1 for the endpoint's current health state, 0 for the others."),
                    REQUESTS: gauge(REQUESTS, "{request}", "Requests in the window behind the score."),
                }
            base = (("http.route", route), ("http.request.method", method))
            add_point(metrics[SCORE].gauge, base, value, now_ns)
            for factor in FACTORS:
                add_point(metrics[PENALTY].gauge, base + ((ATTR_FACTOR, factor),), penalty.get(factor, 0.0), now_ns)
            for name in STATES:
                add_point(metrics[STATE].gauge, base + ((ATTR_STATE, name),), 1 if name == state else 0, now_ns)
            add_point(metrics[REQUESTS].gauge, base, requests, now_ns)
        out = []
        for service, metrics in by_service.items():
            info = self._service_info(service)
            out.extend((info, metric) for metric in metrics.values())
        return out

    def produce_metrics(self, now_ns: int) -> list:
        return group_by_resource(self.collect_metrics(now_ns))

    def degraded_endpoints(self) -> dict[tuple[str, str], list[str]]:
        """``(service.name, http.route)`` -> why, for every endpoint now degraded or critical."""
        out: dict[tuple[str, str], list[str]] = {}
        with self._lock:
            for ep in self._endpoints.values():
                state = ep.state.state
                if state in (DEGRADED, CRITICAL):
                    score = None if ep.score is None else round(ep.score, 2)
                    out.setdefault((ep.service, ep.route), []).append(f"health {state} (score {score}, {ep.method})")
        return out

    def endpoint_health(self, after_ns: int = 0) -> list[EndpointHealth] | None:
        """The last evaluation of every endpoint, for a circuit breaker (None: none newer than ``after_ns``)."""
        degraded, critical = self.config["thresholds"]["degraded"], self.config["thresholds"]["critical"]
        window_s = self.interval_s * self.slots
        with self._lock:
            evaluated = self.last_evaluation_ns
            if evaluated <= after_ns:
                return None
            return [
                EndpointHealth(
                    ep.service,
                    ep.route,
                    ep.method,
                    ep.state.state,
                    ep.score,
                    ep.state_since_ns,
                    evaluated,
                    window_s,
                    degraded,
                    critical,
                    ep.requests,
                )
                for ep in self._endpoints.values()
            ]

    def _service_info(self, service: str) -> ProcessInfo:
        return self._resources.info(service)

    def snapshot(self, query: Mapping[str, str] | None = None) -> dict:
        """The JSON document of ``GET /health``: every scored endpoint and recent transitions."""
        query = query or {}
        service = query.get("service")
        with self._lock:
            endpoints = [
                {
                    "service.name": ep.service,
                    "http.route": ep.route,
                    "http.request.method": ep.method,
                    "score": None if ep.score is None else round(ep.score, 2),
                    "state": ep.state.state,
                    "penalty": {k: round(v, 2) for k, v in ep.penalty.items()},
                    "requests": ep.requests,
                    "latency_percentile_s": ep.percentile_s,
                    "latency_threshold_s": ep.threshold_s,
                    "state_since_s": None
                    if ep.state.changed_at is None
                    else round(self._clock() - ep.state.changed_at, 3),
                    "state_since_unix_nano": ep.state_since_ns,
                }
                for ep in self._endpoints.values()
                if service is None or ep.service == service
            ]
            transitions = [t for t in self.transitions if service is None or t["service.name"] == service]
        return {
            "evaluated_at_unix_nano": self.last_evaluation_ns,
            "interval_s": self.interval_s,
            "window_s": self.interval_s * self.slots,
            "thresholds": dict(self.config["thresholds"]),
            "hysteresis_period_s": self.config["hysteresis"]["period"],
            "endpoints": sorted(
                endpoints, key=lambda e: (e["service.name"], e["http.route"], e["http.request.method"])
            ),
            "transitions": transitions,
        }

    def stats(self) -> dict[str, int]:
        """Own counters for the agent's self-metrics."""
        with self._lock:
            suppressed = sum(ep.state.suppressed for ep in self._endpoints.values())
            endpoints = len(self._endpoints)
        return {
            "health.evaluations": self.evaluations,
            "health.transitions": self.transition_count,
            "health.suppressed_transitions": suppressed,
            "health.endpoints": endpoints,
            "health.endpoints_overflow": self.endpoints_overflow,
        }

    @property
    def status_port(self) -> int | None:
        """The bound port of the JSON endpoint (None when off, not started or not bound)."""
        return self._status.port

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Stops the status endpoint. Safe to call twice."""
        self._status.close()
