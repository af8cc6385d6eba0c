"""The ``slo`` processor: error budgets, multi-window burn rates and alerts, with exemplars.

Every SERVER exchange is matched against the objectives (``service.name`` and ``http.route``
globs, methods) and counted good or bad.  Bad events are marked ``keep`` (their spans are
exported whatever the sampling) and become exemplars of ``otel_ebpf.slo.events.bad``.

Metrics (attributes ``otel_ebpf.slo.name`` and ``otel_ebpf.slo.sli`` on every point):

* ``otel_ebpf.slo.events.good`` / ``.bad`` / ``.total`` (``{event}``): cumulative counters
  since counting began (kept across restarts);
* ``otel_ebpf.slo.error_budget.remaining`` (``1``): fraction of the compliance window's budget
  left (1 = untouched, 0 = spent, negative = overspent);
* ``otel_ebpf.slo.burn_rate`` (``1``) per ``otel_ebpf.slo.window`` (5m, 30m, 1h, 6h with the
  default alerts): bad ratio over the window ÷ (1 − target);
* ``otel_ebpf.slo.alert`` (``1``) per ``otel_ebpf.slo.alert`` name (page, ticket): 1 while firing;
  fires when both its long and short windows burn at least ``burn_rate``;
* ``otel_ebpf.slo.target`` (``1``): the objective as a ratio.

Budget and burn-rate points carry ``otel_ebpf.slo.window.partial`` = true while counting has
covered less than their window (the agent is younger than the window): they are then
computed from what exists.

Other components read the burning objectives through :class:`~otel_ebpf.component.BurnRates`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping

from opentelemetry.proto.metrics.v1.metrics_pb2 import Metric

from otel_ebpf.component import BurnRates, Consumer, ExchangeProcessor, Host, MetricsProducer
from otel_ebpf.config.schema import resolve
from otel_ebpf.model import HttpExchange, ProcessInfo, RequestCount, Role, is_received
from otel_ebpf.processors import status_api
from otel_ebpf.processors.slo import store
from otel_ebpf.processors.slo.config import SLO_SCHEMA, STATUS_PATH
from otel_ebpf.processors.slo.objective import Objective
from otel_ebpf.telemetry.outcome import count_buckets, endpoint_of, outcome
from otel_ebpf.telemetry.points import add_point, cumulative_sum, gauge, group_by_resource
from otel_ebpf.telemetry.resource import AGENT_SERVICE_NAME
from otel_ebpf.telemetry.semconv import KNOWN_METHODS, OTHER
from otel_ebpf.telemetry.service_resources import ServiceResources

log = logging.getLogger("otel_ebpf.slo")

ATTR_NAME = "otel_ebpf.slo.name"
ATTR_SLI = "otel_ebpf.slo.sli"
ATTR_WINDOW = "otel_ebpf.slo.window"
ATTR_ALERT = "otel_ebpf.slo.alert"
ATTR_PARTIAL = "otel_ebpf.slo.window.partial"
GOOD = "otel_ebpf.slo.events.good"
BAD = "otel_ebpf.slo.events.bad"
TOTAL = "otel_ebpf.slo.events.total"
BUDGET = "otel_ebpf.slo.error_budget.remaining"
BURN = "otel_ebpf.slo.burn_rate"
ALERT = "otel_ebpf.slo.alert"
TARGET = "otel_ebpf.slo.target"
UNKNOWN_SERVICE = "unknown_service"
_MATCH_CACHE_MAX = 50_000


class SloProcessor(ExchangeProcessor, MetricsProducer, BurnRates):
    """Counts good and bad events per objective and turns them into budgets, burn rates and alerts.

    Args:
        config: The ``processors: slo:`` mapping (raw or resolved). Raises ValueError when invalid.
        clock: Wall-clock seconds (injectable for tests; buckets are wall-clock so restarts line up).
        next_consumer: The next stage of the pipeline.
    """

    def __init__(self, config: Mapping | None = None, clock=time.time, next_consumer: Consumer | None = None):
        super().__init__(next_consumer)
        resolved, errors = resolve(SLO_SCHEMA, dict(config or {}), "slo")
        if errors:
            raise ValueError("; ".join(errors))
        self.config = resolved
        self._clock = clock
        self.alerts = resolved["alerts"]
        self.burn_windows = sorted({a[k] for a in self.alerts for k in ("long_window", "short_window")})
        retention = max(self.burn_windows, default=3600.0)
        bad = frozenset(resolved["bad_severities"])
        self.objectives = [Objective(o, bad, resolved["bucket"], retention, clock()) for o in resolved["objectives"]]
        self.max_exemplars: int = resolved["max_exemplars"]
        self.state_file: str = resolved["state_file"]
        self.evaluation_interval: float = resolved["evaluation_interval"]
        self._lock = threading.Lock()
        self._match_cache: dict[tuple[str, str, str], list[Objective]] = {}
        self._dirty = False
        self.restored = 0
        self.persist_errors = 0
        self.events = 0
        self.alert_transitions = 0
        self._resources = ServiceResources()  # host.name and service.instance.id of the node
        if self.state_file and self.objectives:
            self.restored = store.load(self.state_file, self.objectives, clock())
            if self.restored:
                log.info("slo: restored %d objective(s) from %s", self.restored, self.state_file)
        self._status = status_api.StatusPath(resolved["endpoint"], STATUS_PATH, self.snapshot)

    def start(self, host: Host | None = None) -> None:
        """Serves ``GET /slo``; evaluates alerts and saves the state every ``evaluation_interval``."""
        self._status.open()
        if host is not None:
            host.every(self.evaluation_interval, self.tick, "slo evaluation")

    # ------------------------------------------------------------------ input

    def process(self, batch: list[HttpExchange]) -> list[HttpExchange]:
        """Counts every SERVER exchange against its objectives; marks bad ones ``keep``."""
        if not self.objectives:
            return batch
        now = self._clock()
        last = None
        with self._lock:
            for x in batch:
                if x.role != Role.SERVER:
                    continue
                if x.process is not last:  # once per sender and batch: a sidecar's services name their host
                    last = x.process
                    if is_received(x):
                        self._resources.observe_received(last)
                matched = self._matching(*endpoint_of(x))
                if not matched:
                    continue
                kind, severity = outcome(x)
                duration = max(0, x.end_time_ns - x.start_time_ns) / 1e9
                for objective in matched:
                    good = objective.is_good(kind, severity, duration)
                    objective.add(now, 1 if good else 0, 1)
                    if not good:
                        x.mark_keep()
                        if x.trace_id and x.span_id and self.max_exemplars:
                            self._exemplar(objective, x.trace_id, x.span_id, x.end_time_ns)
                self.events += 1
                self._dirty = True
        return batch

    def record(
        self,
        service: str,
        route: str,
        method: str,
        kind: int,
        severity: str | None,
        duration_s: float,
        count: int = 1,
        exemplar: tuple[bytes, bytes, int] | None = None,
    ) -> None:
        """Counts ``count`` requests that did not come as exchanges (e.g. OTLP histogram buckets)."""
        now = self._clock()
        with self._lock:
            for objective in self._matching(service, route, method if method in KNOWN_METHODS else OTHER):
                good = objective.is_good(kind, severity, duration_s)
                objective.add(now, count if good else 0, count)
                if not good and exemplar is not None and self.max_exemplars:
                    self._exemplar(objective, *exemplar)
            self.events += count
            self._dirty = True

    def count(self, counts: list[RequestCount]) -> None:
        """Requests counted from received duration histograms (no bodies: no business errors)."""
        for service, route, method, kind, duration_s, n in count_buckets(counts):
            self.record(service, route, method, kind, None, duration_s, n)

    def _exemplar(self, objective: Objective, trace_id: bytes, span_id: bytes, time_ns: int) -> None:
        exemplars = objective.exemplars
        if len(exemplars) >= self.max_exemplars:
            exemplars.pop(0)  # keep the latest
        exemplars.append((trace_id, span_id, time_ns))

    def _matching(self, service: str, route: str, method: str) -> list[Objective]:
        key = (service, route, method)
        found = self._match_cache.get(key)
        if found is None:
            if len(self._match_cache) >= _MATCH_CACHE_MAX:
                self._match_cache.clear()  # raw paths can be many: bound the memo
            found = self._match_cache[key] = [o for o in self.objectives if o.matches(service, route, method)]
        return found

    # ------------------------------------------------------------------ evaluation

    def tick(self, now: float | None = None) -> None:
        """Evaluates alerts and saves the state (every ``evaluation_interval``, on the service's timer)."""
        self.evaluate(now)
        self.persist()

    def evaluate(self, now: float | None = None) -> list[tuple[str, str, bool]]:
        """Updates every alert; returns and logs the transitions ``(slo, alert, firing)``."""
        now = self._clock() if now is None else now
        changes = []
        with self._lock:
            for objective in self.objectives:
                for alert in self.alerts:
                    long_rate, _ = objective.burn_rate(now, alert["long_window"])
                    short_rate, _ = objective.burn_rate(now, alert["short_window"])
                    firing = long_rate >= alert["burn_rate"] and short_rate >= alert["burn_rate"]
                    if firing != objective.alerts.get(alert["name"], False):
                        objective.alerts[alert["name"]] = firing
                        self.alert_transitions += 1
                        changes.append((objective.name, alert, firing, long_rate, short_rate))
        for name, alert, firing, long_rate, short_rate in changes:
            log.log(
                logging.WARNING if firing else logging.INFO,
                "slo: %s %s alert %s (burn rate %.2f over %s, %.2f over %s; threshold %.1f)",
                name,
                alert["name"],
                "FIRING" if firing else "resolved",
                long_rate,
                window_label(alert["long_window"]),
                short_rate,
                window_label(alert["short_window"]),
                alert["burn_rate"],
            )
        return [(name, alert["name"], firing) for name, alert, firing, *_ in changes]

    def persist(self) -> None:
        """Saves the counts when they changed (errors are logged once and counted)."""
        if not self.state_file or not self._dirty:
            return
        with self._lock:
            self._dirty = False
            try:
                store.save(self.state_file, self.objectives)
            except OSError as exc:
                self.persist_errors += 1
                if self.persist_errors == 1:
                    log.error("slo: cannot write %s (%s): budgets will restart full", self.state_file, exc)

    # ------------------------------------------------------------------ output

    def collect_metrics(self, now_ns: int) -> list[tuple[ProcessInfo, Metric]]:
        """Counters, budget, burn rates, alert states and targets, grouped per service resource."""
        now = self._clock()
        out = []
        with self._lock:
            for objective in self.objectives:
                exemplars, objective.exemplars = objective.exemplars, []
                out.extend((self._service_info(objective), m) for m in self._metrics(objective, now, now_ns, exemplars))
        return out

    def _metrics(self, o: Objective, now: float, now_ns: int, exemplars) -> list[Metric]:
        base = ((ATTR_NAME, o.name), (ATTR_SLI, o.sli))
        start_ns = int(o.created * 1e9)
        covered = now - o.created
        good = cumulative_sum(GOOD, "{event}", "Events that met the objective.")
        bad = cumulative_sum(BAD, "{event}", "Events that violated the objective; exemplars link to their traces.")
        total = cumulative_sum(TOTAL, "{event}", "Events the objective covers.")
        add_point(good.sum, base, o.good_total, now_ns, start_ns)
        bad_point = add_point(bad.sum, base, o.bad_total, now_ns, start_ns)
        for trace_id, span_id, time_ns in exemplars:
            bad_point.exemplars.add(trace_id=trace_id, span_id=span_id, as_int=1, time_unix_nano=time_ns)
        add_point(total.sum, base, o.good_total + o.bad_total, now_ns, start_ns)
        budget = gauge(BUDGET, "1", "Fraction of the error budget left over the compliance window.")
        remaining, _, _ = o.budget_remaining(now)
        add_point(
            budget.gauge,
            base + ((ATTR_WINDOW, window_label(o.window_s)), (ATTR_PARTIAL, covered < o.window_s)),
            remaining,
            now_ns,
        )
        burn = gauge(BURN, "1", "Bad-event ratio over the window divided by the ratio the objective allows.")
        for window in self.burn_windows:
            rate, _ = o.burn_rate(now, window)
            attrs = base + ((ATTR_WINDOW, window_label(window)), (ATTR_PARTIAL, covered < window))
            add_point(burn.gauge, attrs, rate, now_ns)
        alert = gauge(ALERT, "1", "1 while the multi-window burn-rate alert fires.")
        for a in self.alerts:
            add_point(alert.gauge, base + ((ATTR_ALERT, a["name"]),), 1 if o.alerts.get(a["name"]) else 0, now_ns)
        target = gauge(TARGET, "1", "The objective: the promised ratio of good events.")
        add_point(target.gauge, base, o.target, now_ns)
        return [good, bad, total, budget, burn, alert, target]

    def produce_metrics(self, now_ns: int) -> list:
        return group_by_resource(self.collect_metrics(now_ns))

    def burning(self, min_rate: float) -> list[tuple[str, str, str, float, str]]:
        """Objectives burning at ``min_rate`` or faster over the shortest burn window."""
        if not self.burn_windows:
            return []
        window = min(self.burn_windows)
        label = window_label(window)
        now = self._clock()
        out = []
        with self._lock:
            for o in self.objectives:
                rate = o.burn_rate(now, window)[0]
                if rate >= min_rate:
                    out.append((o.name, o.service_glob, o.route_glob, rate, label))
        return out

    def _service_info(self, objective: Objective) -> ProcessInfo:
        return self._resources.info(objective.service_literal or AGENT_SERVICE_NAME)

    def snapshot(self, query: Mapping[str, str] | None = None) -> dict:
        """The JSON document of ``GET /slo``."""
        now = self._clock()
        name = (query or {}).get("name")
        rows = []
        with self._lock:
            for o in self.objectives:
                if name is not None and o.name != name:
                    continue
                remaining, good, total = o.budget_remaining(now)
                rows.append(
                    {
                        "name": o.name,
                        "sli": o.sli,
                        "target": o.target,
                        "window_s": o.window_s,
                        "covered_s": round(now - o.created, 3),
                        "good_total": o.good_total,
                        "bad_total": o.bad_total,
                        "window_good": good,
                        "window_total": total,
                        "error_budget_remaining": remaining,
                        "burn_rate": {window_label(w): o.burn_rate(now, w)[0] for w in self.burn_windows},
                        "alerts": {a["name"]: bool(o.alerts.get(a["name"])) for a in self.alerts},
                    }
                )
        return {"objectives": rows}

    def stats(self) -> dict[str, int]:
        return {
            "slo.events": self.events,
            "slo.alert_transitions": self.alert_transitions,
            "slo.persist_errors": self.persist_errors,
        }

    @property
    def status_port(self) -> int | None:
        """The bound port of the JSON endpoint (None when off, not started or not bound)."""
        return self._status.port

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Saves the state and stops the status endpoint. Safe to call twice."""
        self._dirty = True
        self.persist()
        self._status.close()

    def force_flush(self, timeout_s: float = 5.0) -> bool:
        self._dirty = True
        self.persist()
        return True


def window_label(seconds: float) -> str:
    """``300`` -> ``5m``, ``2592000`` -> ``30d``: the largest unit that divides the window."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"
