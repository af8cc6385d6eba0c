"""The ``cause_attribution`` processor: is a degraded endpoint's trouble the network's or the application's?

Endpoints are (``service.name``, ``http.route``, role): SERVER exchanges by their route, CLIENT
exchanges by the route the heuristic gives their path (``/users/{id}``).  Every ``interval`` the
processor closes an interval of each endpoint and of the TCP flows it reads from the
``tcp_flows`` receiver (:class:`~otel_ebpf.component.FlowTotals`), then, for each endpoint that
is degraded (its own window against its baseline, or a ``health_score`` / ``slo`` processor says
so: :class:`~otel_ebpf.component.EndpointStates`, :class:`~otel_ebpf.component.BurnRates` -- while
the window shows failures or a latency rise of its own, :func:`.rule.own_evidence`), applies
:func:`.rule.judge` over the window: ``network``, ``application`` or ``unknown``, with a reason.

Output:

* ``otel_ebpf.cause.verdict`` (``1``): 1 for the current verdict, 0 for the others, attribute
  ``otel_ebpf.cause.verdict`` = network | application | unknown; all 0 once the endpoint is no
  longer degraded (exported for every endpoint that had a verdict, until it expires);
* while it has a verdict, the figures behind it: ``otel_ebpf.cause.requests`` (``{request}``),
  ``otel_ebpf.cause.error_ratio`` (``1``), ``otel_ebpf.cause.latency`` and
  ``otel_ebpf.cause.handler.latency`` (``s``), each per ``otel_ebpf.cause.period`` = window |
  baseline where both exist, ``otel_ebpf.cause.network.segments`` / ``.retransmits`` /
  ``.resets`` (``{segment}``), ``.retransmit_ratio`` (``1``), ``.connect.failures``
  (``{connection}``, per ``otel_ebpf.tcp.failure.reason``) and ``.connect.duration`` (``s``);
* one log line (logger ``otel_ebpf.cause``) per verdict change, naming the endpoint, the
  verdict, the reason and the figures;
* ``GET /cause[?service=...]`` on the status endpoint.

Every point has ``http.route`` and ``otel_ebpf.cause.role`` (server | client) under the
resource ``service.name`` of the endpoint.
"""

from __future__ import annotations

import fnmatch
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping

from opentelemetry.proto.metrics.v1.metrics_pb2 import Metric

from otel_ebpf.component import (
    BurnRates,
    Consumer,
    EndpointStates,
    ExchangeProcessor,
    FlowTotals,
    Host,
    MetricsProducer,
)
from otel_ebpf.config.schema import resolve
from otel_ebpf.model import HttpExchange, ProcessInfo, Role, is_received
from otel_ebpf.processors import status_api
from otel_ebpf.processors.cause_attribution.config import CAUSE_ATTRIBUTION_SCHEMA, STATUS_PATH
from otel_ebpf.processors.cause_attribution.flows import FlowHistory
from otel_ebpf.processors.cause_attribution.rule import (
    VERDICTS,
    Inputs,
    Related,
    Thresholds,
    Verdict,
    degradation,
    judge,
    own_evidence,
)
from otel_ebpf.processors.cause_attribution.series import ANSWERED, UNANSWERED, Series, Totals
from otel_ebpf.telemetry.outcome import GOOD, UNKNOWN_SERVICE, outcome
from otel_ebpf.telemetry.points import add_point, gauge, group_by_resource
from otel_ebpf.telemetry.routes import heuristic_route
from otel_ebpf.telemetry.service_resources import ServiceResources

log = logging.getLogger("otel_ebpf.cause")

VERDICT = "otel_ebpf.cause.verdict"
REQUESTS = "otel_ebpf.cause.requests"
ERROR_RATIO = "otel_ebpf.cause.error_ratio"
LATENCY = "otel_ebpf.cause.latency"
HANDLER_LATENCY = "otel_ebpf.cause.handler.latency"
SEGMENTS = "otel_ebpf.cause.network.segments"
RETRANSMITS = "otel_ebpf.cause.network.retransmits"
RETRANSMIT_RATIO = "otel_ebpf.cause.network.retransmit_ratio"
CONNECT_FAILURES = "otel_ebpf.cause.network.connect.failures"
CONNECT_DURATION = "otel_ebpf.cause.network.connect.duration"
RESETS = "otel_ebpf.cause.network.resets"
ATTR_VERDICT = "otel_ebpf.cause.verdict"
ATTR_ROLE = "otel_ebpf.cause.role"
ATTR_PERIOD = "otel_ebpf.cause.period"
ATTR_FAILURE_REASON = "otel_ebpf.tcp.failure.reason"
NONE = "none"  # no verdict: the endpoint is not degraded

# figure key -> (metric, extra attributes)
_FIGURE_METRICS = {
    "requests": (REQUESTS, ()),
    "error_ratio": (ERROR_RATIO, ((ATTR_PERIOD, "window"),)),
    "baseline.error_ratio": (ERROR_RATIO, ((ATTR_PERIOD, "baseline"),)),
    "latency": (LATENCY, ((ATTR_PERIOD, "window"),)),
    "baseline.latency": (LATENCY, ((ATTR_PERIOD, "baseline"),)),
    "handler.latency": (HANDLER_LATENCY, ((ATTR_PERIOD, "window"),)),
    "baseline.handler.latency": (HANDLER_LATENCY, ((ATTR_PERIOD, "baseline"),)),
    "network.segments": (SEGMENTS, ()),
    "network.retransmits": (RETRANSMITS, ()),
    "network.retransmit_ratio": (RETRANSMIT_RATIO, ()),
    "network.connect.failures.refused": (CONNECT_FAILURES, ((ATTR_FAILURE_REASON, "refused"),)),
    "network.connect.failures.timeout": (CONNECT_FAILURES, ((ATTR_FAILURE_REASON, "timeout"),)),
    "network.connect.failures.aborted": (CONNECT_FAILURES, ((ATTR_FAILURE_REASON, "aborted"),)),
    "network.connect.duration": (CONNECT_DURATION, ()),
    "network.resets": (RESETS, ()),
}
_METRIC_INFO = {
    VERDICT: ("1", "1 for the cause of the endpoint's degradation (network, application, unknown), 0 for the others."),
    REQUESTS: ("{request}", "Requests of the endpoint in the window behind the verdict."),
    ERROR_RATIO: ("1", "Failed requests / requests, over the window and over the baseline."),
    LATENCY: ("s", "The endpoint's latency percentile, over the window and over the baseline."),
    HANDLER_LATENCY: ("s", "Mean time the servers that answered the endpoint's calls took, window and baseline."),
    SEGMENTS: ("{segment}", "TCP segments sent and received with the endpoint's peers in the window."),
    RETRANSMITS: ("{segment}", "TCP segments retransmitted to the endpoint's peers in the window."),
    RETRANSMIT_RATIO: ("1", "Retransmitted / sent segments of the worst peer with enough traffic."),
    CONNECT_FAILURES: ("{connection}", "Failed connects to the endpoint's peers in the window, by reason."),
    CONNECT_DURATION: ("s", "Mean TCP handshake duration with the endpoint's peers in the window."),
    RESETS: ("{segment}", "Resets received on established connections with the endpoint's peers in the window."),
}
_ROUTE_CACHE_MAX = 10000


class _Endpoint:
    __slots__ = (
        "service",
        "route",
        "role",
        "series",
        "verdict",
        "triggers",
        "since",
        "degraded_since",
        "judged",
        "calm",
    )

    def __init__(self, key: tuple[str, str, str], series: Series) -> None:
        self.service, self.route, self.role = key
        self.series = series
        self.verdict: Verdict | None = None
        self.triggers: list[str] = []
        self.since: float | None = None  # when the current verdict (or its absence) began
        self.degraded_since: float | None = None
        self.judged = False  # had a verdict once: its verdict gauge is exported (0s when cleared)
        self.calm = 0  # evaluations in a row without degradation


class CauseAttributionProcessor(ExchangeProcessor, MetricsProducer):
    """Judges degraded endpoints: network, application or unknown.

    Args:
        config: The ``processors: cause_attribution:`` mapping (raw or resolved). Raises ValueError naming
            every bad key.
        flows: Returns the :class:`FlowTotals` to read (the ``tcp_flows`` receiver) or None; by default
            the host's, found at :meth:`start`.
        peers: Returns the :class:`EndpointStates` and :class:`BurnRates` to ask whether an endpoint
            is degraded; by default the host's, found at :meth:`start`.
        clock: Monotonic seconds (injectable for tests).
        next_consumer: The next stage of the pipeline.
    """

    def __init__(
        self,
        config: Mapping | None = None,
        flows: Callable[[], FlowTotals | None] | None = None,
        peers: Callable[[], list] | None = None,
        clock=time.monotonic,
        next_consumer: Consumer | None = None,
    ):
        super().__init__(next_consumer)
        resolved, errors = resolve(CAUSE_ATTRIBUTION_SCHEMA, dict(config or {}), "cause_attribution")
        if errors:
            raise ValueError("; ".join(errors))
        self.config = resolved
        self._clock = clock
        self._flows = flows
        self._peers = peers
        self.thresholds = Thresholds.from_config(resolved)
        self.interval_s: float = resolved["interval"]
        self.window_slots = max(1, round(resolved["window"] / self.interval_s))
        self.baseline_slots = max(1, round(resolved["baseline"] / self.interval_s))
        self.relearn_after_s: float = resolved["relearn_after"]
        self.clear_after_s: float = resolved["clear_after"]
        self.max_endpoints: int = resolved["max_endpoints"]
        self.expire_after_s: float = resolved["expire_after"]
        self.use_health: bool = resolved["degraded"]["health"]
        self.slo_burn_rate: float = resolved["degraded"]["slo_burn_rate"]
        self._endpoints: dict[tuple[str, str, str], _Endpoint] = {}
        self._listeners: dict[tuple[str, int], Series] = {}  # server exchanges by (local address, port)
        self._callers: dict[int, Series] = {}  # client exchanges by calling process
        self._routes: dict[str, str] = {}
        self.history = FlowHistory(self.window_slots)
        self._lock = threading.Lock()
        self.last_evaluation_ns = 0
        self.transitions: deque[dict] = deque(maxlen=200)
        self._resources = ServiceResources()  # host.name and service.instance.id of the node
        self.evaluations = 0
        self.verdict_changes = 0
        self.endpoints_overflow = 0
        self.series_overflow = 0  # listeners or callers not tracked: max_endpoints reached
        self.flow_read_errors = 0
        self.triggers_without_evidence = 0  # health/SLO said degraded, the window showed nothing
        self._status = status_api.StatusPath(resolved["endpoint"], STATUS_PATH, self.snapshot)

    def start(self, host: Host | None = None) -> None:
        """Serves ``GET /cause``, finds its evidence providers, evaluates every ``interval``."""
        self._status.open()
        if host is None:
            return
        if self._flows is None:
            self._flows = lambda: next(iter(host.find(FlowTotals)), None)
        if self._peers is None:
            self._peers = lambda: [*host.find(EndpointStates), *host.find(BurnRates)]
        host.every(self.interval_s, self.evaluate, "cause_attribution evaluation")

    # ------------------------------------------------------------------ input

    def process(self, batch: list[HttpExchange]) -> list[HttpExchange]:
        """Counts every SERVER and CLIENT exchange; returns the batch unchanged."""
        now = self._clock()
        last = None
        with self._lock:
            for x in batch:
                role = x.role
                if role == Role.SERVER:
                    route, address = x.route or x.path or "/", (x.local_address, x.local_port)
                elif role == Role.CLIENT:
                    route = x.route if x.rpc_system else self._client_route(x.path)  # a gRPC method is its route
                    address = (x.peer_address, x.peer_port)
                else:
                    continue
                process = x.process
                service = process.service_name if process is not None else UNKNOWN_SERVICE
                if process is not last:  # once per sender and batch: a sidecar's services name their host
                    last = process
                    if is_received(x):
                        self._resources.observe_received(process)
                kind, _severity = outcome(x)
                failure = UNANSWERED if x.status_code is None else (0 if kind == GOOD else ANSWERED)
                duration = max(0, x.end_time_ns - x.start_time_ns) / 1e9
                key = (service, route, "server" if role == Role.SERVER else "client")
                endpoint = self._endpoint(key, now)
                if endpoint is not None:
                    endpoint.series.current.add(failure, duration, x.pid, address)
                # The far end and the callers, for the handler-time comparisons.
                table, tkey = (self._listeners, address) if role == Role.SERVER else (self._callers, x.pid)
                series = self._series(table, tkey, now)
                if series is not None:
                    series.current.add(failure, duration, x.pid, address)
        return batch

    def _client_route(self, path: str) -> str:
        route = self._routes.get(path)
        if route is None:
            if len(self._routes) >= _ROUTE_CACHE_MAX:
                self._routes.clear()
            route = self._routes[path] = heuristic_route(path or "/")
        return route

    def _endpoint(self, key: tuple[str, str, str], now: float) -> _Endpoint | None:
        endpoint = self._endpoints.get(key)
        if endpoint is None:
            if len(self._endpoints) >= self.max_endpoints:
                self.endpoints_overflow += 1
                return None
            endpoint = self._endpoints[key] = _Endpoint(key, Series(self.window_slots, self.baseline_slots, now))
        endpoint.series.last_seen = now
        return endpoint

    def _series(self, table: dict, key, now: float) -> Series | None:
        series = table.get(key)
        if series is None:
            if len(table) >= self.max_endpoints:
                self.series_overflow += 1
                return None
            series = table[key] = Series(self.window_slots, self.baseline_slots, now)
        series.last_seen = now
        return series

    # ------------------------------------------------------------------ evaluation

    def evaluate(self, now: float | None = None) -> list[dict]:
        """Closes an interval (requests and flows) and judges every endpoint; returns the verdict changes."""
        now = self._clock() if now is None else now
        receiver = self._flows() if self._flows is not None else None
        totals = None
        if receiver is not None:
            try:
                totals = receiver.flow_totals()
            except Exception as exc:  # a failed read means no evidence this interval, never a crash
                self.flow_read_errors += 1
                if self.flow_read_errors == 1:
                    log.error("cause: cannot read TCP flows (%s); verdicts are unknown meanwhile", exc)
        health, slo = self._external_states(now)
        changes = []
        with self._lock:
            self.evaluations += 1
            self.last_evaluation_ns = time.time_ns()
            self.history.advance(totals)
            for table in (self._listeners, self._callers):
                for key, series in list(table.items()):
                    series.rotate()
                    if self._expired(series, now):
                        del table[key]
            note = (
                "the tcp_flows receiver is not running"
                if receiver is None
                else "TCP flows cannot be read"
                if totals is None
                else "the TCP flow history does not cover the window yet"
            )
            for key, ep in list(self._endpoints.items()):
                ep.series.rotate()
                if self._expired(ep.series, now):
                    del self._endpoints[key]
                    continue
                change = self._judge(ep, now, health, slo, note)
                if change is not None:
                    changes.append(change)
        for change in changes:
            self._log(change)
        return changes

    def _expired(self, series: Series, now: float) -> bool:
        return bool(self.expire_after_s) and now - series.last_seen > self.expire_after_s and series.idle()

    def _judge(self, ep: _Endpoint, now: float, health: dict, slo: list, note: str) -> dict | None:
        t = self.thresholds
        window = ep.series.window()
        base = ep.series.base()
        baseline = base if base.requests >= t.min_requests else None
        triggers = degradation(window, baseline, t) if window.requests else []
        if ep.role == "server" and window.requests:
            held = health.get((ep.service, ep.route), []) + [
                f"slo {name} burn rate {rate:.1f} over {label}"
                for name, service_glob, route_glob, rate, label in slo
                if fnmatch.fnmatchcase(ep.service, service_glob) and fnmatch.fnmatchcase(ep.route, route_glob)
            ]
            # A health state (held by its hysteresis) or an SLO burn (over minutes) outlives its
            # cause: it counts only while the window shows failures or a latency rise of its own.
            if held and not triggers and not own_evidence(window, baseline, t):
                self.triggers_without_evidence += 1
                held = []
            triggers += held
        old = ep.verdict
        if triggers:
            # Neither this window nor what it is compared with may become a baseline.
            ep.series.taint()
            for series in self._related_series(ep, window):
                series.taint()
            if ep.degraded_since is None:
                ep.degraded_since = now
            elif self.relearn_after_s and now - ep.degraded_since >= self.relearn_after_s:
                log.info(
                    "cause: %s %s %s degraded for %.0f s: its current behaviour becomes the new baseline",
                    ep.service,
                    ep.role,
                    ep.route,
                    now - ep.degraded_since,
                )
                ep.series.forget_baseline()
                ep.degraded_since = now
            ep.triggers = triggers
            ep.verdict = judge(self._inputs(ep, window, baseline, note), t)
            ep.judged = True
            ep.calm = 0
        else:
            ep.calm += 1
            # A verdict is kept until the endpoint has been calm for `clear_after`: a tail that
            # hovers at a threshold does not flap the verdict (nor the log).
            if ep.verdict is None or ep.calm * self.interval_s >= self.clear_after_s - 1e-9:
                ep.triggers = []
                ep.verdict = None
                ep.degraded_since = None
        before = old.verdict if old else NONE
        after = ep.verdict.verdict if ep.verdict else NONE
        if before == after:
            return None
        ep.since = now
        self.verdict_changes += 1
        record = {
            "time_unix_nano": time.time_ns(),
            "monotonic_s": now,
            "service.name": ep.service,
            "http.route": ep.route,
            "role": ep.role,
            "from": before,
            "to": after,
            "reason": ep.verdict.reason if ep.verdict else "no longer degraded",
            "degraded_by": list(ep.triggers),
            "figures": _rounded(ep.verdict.figures) if ep.verdict else {},
        }
        self.transitions.append(record)
        return record

    def _inputs(self, ep: _Endpoint, window: Totals, baseline: Totals | None, note: str) -> Inputs:
        t = self.thresholds
        pids = window.pids
        handlers = upstream = None
        if ep.role == "server":
            ports = {port for _address, port in window.addresses}
            network = self.history.evidence(pids, server_ports=ports, upstream=True)
            callers = [self._callers[pid] for pid in pids if pid in self._callers]
            calls_w = Totals.of(s for series in callers for s in series.closed)
            calls_b = _sum(series.base() for series in callers)
            if calls_w.requests and calls_b.requests >= t.min_requests and window.requests:
                per_request = calls_w.requests / window.requests
                upstream = _related(calls_w, calls_b, t.percentile, per_request, "its HTTP calls")
            handlers = self._handlers(calls_w.addresses, calls_w.requests / window.requests if window.requests else 1)
        else:
            network = self.history.evidence(pids, peers=window.addresses)
            handlers = self._handlers(window.addresses, 1.0)
        return Inputs(ep.role, window, baseline, network, note if network is None else "", handlers, upstream)

    def _related_series(self, ep: _Endpoint, window: Totals) -> list[Series]:
        """The callers and far-end listeners an endpoint is compared with."""
        if ep.role == "server":
            callers = [self._callers[pid] for pid in window.pids if pid in self._callers]
            addresses = {a for series in callers for s in series.closed for a in s.addresses}
            return callers + [self._listeners[a] for a in addresses if a in self._listeners]
        return [self._listeners[a] for a in window.addresses if a in self._listeners]

    def _handlers(self, addresses: set[tuple[str, int]], per_request: float) -> Related | None:
        """The server side of calls to ``addresses``, when the agent sees it (same host) with a baseline."""
        seen = sorted(a for a in addresses if a in self._listeners)
        if not seen:
            return None
        w = Totals.of(s for a in seen for s in self._listeners[a].closed)
        b = _sum(self._listeners[a].base() for a in seen)
        if not w.requests or b.requests < self.thresholds.min_requests:
            return None
        label = ", ".join(f"{a}:{p}" for a, p in seen[:3])
        return _related(w, b, self.thresholds.percentile, per_request, label)

    def _external_states(self, now: float) -> tuple[dict, list]:
        """What the endpoint-state and burn-rate providers say, read outside our lock."""
        health: dict[tuple[str, str], list[str]] = {}
        slo: list[tuple[str, str, str, float, str]] = []
        if self._peers is None:
            return health, slo
        for peer in self._peers():
            try:
                if isinstance(peer, EndpointStates) and self.use_health:
                    for key, reasons in peer.degraded_endpoints().items():
                        health.setdefault(key, []).extend(reasons)
                if isinstance(peer, BurnRates) and self.slo_burn_rate > 0:
                    slo.extend(peer.burning(self.slo_burn_rate))
            except Exception:  # another component's bug must not stop the verdicts
                log.exception("cause: reading %s failed", type(peer).__name__)
        return health, slo

    def _log(self, change: dict) -> None:
        figures = " ".join(f"{k}={v}" for k, v in change["figures"].items())
        log.log(
            logging.INFO if change["to"] == NONE else logging.WARNING,
            "cause: service=%s route=%s role=%s verdict=%s previous=%s reason=%s degraded_by=%s%s",
            json.dumps(change["service.name"]),
            json.dumps(change["http.route"]),
            change["role"],
            change["to"],
            change["from"],
            json.dumps(change["reason"]),
            json.dumps("; ".join(change["degraded_by"])),
            f" {figures}" if figures else "",
        )

    # ------------------------------------------------------------------ output

    def collect_metrics(self, now_ns: int) -> list[tuple[ProcessInfo, Metric]]:
        """The verdict gauge of every endpoint that had a verdict, and the figures of the degraded ones."""
        with self._lock:
            rows = [
                (ep.service, ep.route, ep.role, ep.verdict.verdict, dict(ep.verdict.figures))
                if ep.verdict
                else (ep.service, ep.route, ep.role, NONE, {})
                for ep in self._endpoints.values()
                if ep.judged
            ]
        by_service: dict[str, dict[str, Metric]] = {}
        for service, route, role, verdict, numbers in rows:
            metrics = by_service.setdefault(service, {})
            base = (("http.route", route), (ATTR_ROLE, role))
            for name in VERDICTS:
                add_point(
                    _metric(metrics, VERDICT), base + ((ATTR_VERDICT, name),), 1 if name == verdict else 0, now_ns
                )
            for key, value in numbers.items():
                metric_name, extra = _FIGURE_METRICS[key]
                add_point(_metric(metrics, metric_name), base + extra, value, now_ns)
        out = []
        for service, metrics in by_service.items():
            info = self._service_info(service)
            out.extend((info, metric) for metric in metrics.values())
        return out

    def produce_metrics(self, now_ns: int) -> list:
        return group_by_resource(self.collect_metrics(now_ns))

    def _service_info(self, service: str) -> ProcessInfo:
        return self._resources.info(service)

    def snapshot(self, query: Mapping[str, str] | None = None) -> dict:
        """The JSON document of ``GET /cause``: every endpoint's verdict (or none) and recent changes."""
        service = (query or {}).get("service")
        now = self._clock()
        with self._lock:
            endpoints = []
            for ep in self._endpoints.values():
                if service is not None and ep.service != service:
                    continue
                v = ep.verdict
                endpoints.append(
                    {
                        "service.name": ep.service,
                        "http.route": ep.route,
                        "role": ep.role,
                        "degraded": v is not None and ep.calm == 0,
                        "degraded_by": list(ep.triggers),
                        "verdict": v.verdict if v else NONE,
                        "reason": v.reason if v else "",
                        "network_evidence": list(v.network_signals) if v else [],
                        "application_evidence": list(v.application_signals) if v else [],
                        "figures": _rounded(v.figures) if v else {},
                        "verdict_since_s": None if ep.since is None else round(now - ep.since, 3),
                    }
                )
            transitions = [t for t in self.transitions if service is None or t["service.name"] == service]
            flows = self.history.available
        return {
            "evaluated_at_unix_nano": self.last_evaluation_ns,
            "interval_s": self.interval_s,
            "window_s": self.interval_s * self.window_slots,
            "baseline_s": self.interval_s * self.baseline_slots,
            "network_evidence": flows,
            "endpoints": sorted(endpoints, key=lambda e: (e["service.name"], e["http.route"], e["role"])),
            "transitions": transitions,
        }

    def stats(self) -> dict[str, int]:
        """Own counters for the agent's self-metrics."""
        with self._lock:
            endpoints = len(self._endpoints)
        return {
            "cause.evaluations": self.evaluations,
            "cause.verdict_changes": self.verdict_changes,
            "cause.endpoints": endpoints,
            "cause.endpoints_overflow": self.endpoints_overflow,
            "cause.series_overflow": self.series_overflow,
            "cause.flow_read_errors": self.flow_read_errors,
            "cause.triggers_without_evidence": self.triggers_without_evidence,
        }

    @property
    def status_port(self) -> int | None:
        """The bound port of the JSON endpoint (None when off, not started or not bound)."""
        return self._status.port

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Stops the status endpoint. Safe to call twice."""
        self._status.close()


def _sum(totals) -> Totals:
    out = Totals()
    for t in totals:
        out.add(t, sets=False)
    return out


def _related(window: Totals, baseline: Totals, q: float, per_request: float, label: str) -> Related | None:
    w, b = window.percentile(q), baseline.percentile(q)
    return None if w is None or b is None else Related(w, b, per_request, label)


def _rounded(figures: Mapping[str, float]) -> dict[str, float]:
    return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in figures.items()}


def _metric(metrics: dict[str, Metric], name: str):
    """The gauge container of metric ``name`` (created on first use)."""
    metric = metrics.get(name)
    if metric is None:
        unit, description = _METRIC_INFO[name]
        metric = metrics[name] = gauge(name, unit, description)
    return metric.gauge
