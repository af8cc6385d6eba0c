"""The agent's own metrics (``otel_ebpf.*``) and the small counter type processors share.

:class:`CounterSet` is a cumulative counter keyed by an attribute tuple of ``(key, value)``
pairs; callers keep their tuples as module constants so ``add`` allocates nothing::

    _DROPPED_FULL = (("reason", "ring_full"),)
    dropped = self_metrics.register_counter("otel_ebpf.ebpf.dropped", "{event}", "Events lost")
    dropped.add(n, _DROPPED_FULL)

:class:`SelfMetrics` is the registry exported under the agent's resource (``service.name``
``otel-ebpf`` unless the agent's own ``OTEL_SERVICE_NAME`` says otherwise; see
:mod:`otel_ebpf.telemetry.resource`).  Values that live elsewhere (kernel map counters, queue
depths) are exposed with :meth:`SelfMetrics.register_callback`: a function returning
``{(name, attrs): value}`` read at collect time.  A callback name registered as a counter is
exported as a cumulative monotonic sum (its value is the running total the callback reports,
plus any ``add`` calls), a gauge name as a gauge; a name never registered is declared the
first time it is seen by ``describe(name) -> (is_level, unit, description)``, or is a gauge.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from opentelemetry.proto.common.v1.common_pb2 import InstrumentationScope
from opentelemetry.proto.metrics.v1 import metrics_pb2
from opentelemetry.proto.resource.v1.resource_pb2 import Resource

from otel_ebpf import __version__
from otel_ebpf.telemetry.attributes import to_key_values
from otel_ebpf.telemetry.points import number_point
from otel_ebpf.telemetry.resource import agent_resource_attributes

__all__ = ["Attrs", "CounterSet", "GaugeSet", "Reading", "SelfMetrics"]

logger = logging.getLogger(__name__)

Attrs = tuple[tuple[str, object], ...]
Callback = Callable[[], Mapping[tuple[str, Attrs], float]]

_CUMULATIVE = metrics_pb2.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
OVERFLOW_ATTRS: Attrs = (("otel.metric.overflow", True),)


class CounterSet:
    """A cumulative counter: attribute tuple -> int, with a cap on distinct tuples.

    Args:
        name: Metric name (no ``_total`` suffix in OTLP).
        unit: UCUM unit, e.g. ``{event}``, ``By``, ``1``.
        description: One line for the metric's description.
        max_series: Distinct attribute tuples kept; further tuples are added to the
            ``otel.metric.overflow=true`` series (the SDK's convention) and counted in ``overflowed``.
    """

    __slots__ = ("name", "unit", "description", "max_series", "overflowed", "_values", "_lock")

    def __init__(self, name: str, unit: str, description: str, max_series: int = 1000) -> None:
        self.name = name
        self.unit = unit
        self.description = description
        self.max_series = max_series
        self.overflowed = 0
        self._values: dict[Attrs, int] = {}
        # add() may run on the pipeline thread while collect() runs on the exporter's timer.
        self._lock = threading.Lock()

    def add(self, value: int = 1, attrs: Attrs = ()) -> None:
        """Add ``value`` (>= 0) to the series ``attrs``."""
        with self._lock:
            values = self._values
            current = values.get(attrs)
            if current is None:
                if len(values) >= self.max_series:
                    self.overflowed += 1
                    attrs = OVERFLOW_ATTRS
                    current = values.get(attrs, 0)
                else:
                    current = 0
            values[attrs] = current + value

    def value(self, attrs: Attrs = ()) -> int:
        """Current total of one series (0 if never added)."""
        return self._values.get(attrs, 0)

    def snapshot(self) -> dict[Attrs, int]:
        """A copy of every series' total."""
        with self._lock:
            return dict(self._values)

    def values(self, extra: Mapping[Attrs, float] | None = None) -> dict[Attrs, float]:
        """Every series' total, with the values callbacks reported for this metric (``extra``) added."""
        values: dict[Attrs, float] = self.snapshot()
        for attrs, v in (extra or {}).items():
            values[attrs] = values.get(attrs, 0) + v
        return values

    def to_metric(self, now_ns: int, start_ns: int, extra: Mapping[Attrs, float] | None = None) -> metrics_pb2.Metric:
        """Export as a cumulative monotonic ``Sum``.

        Args:
            now_ns: Collection time.
            start_ns: Start of the cumulative window (when counting began).
            extra: Values reported by callbacks for the same metric, added to the counted ones.
        """
        values = self.values(extra)
        return metrics_pb2.Metric(
            name=self.name,
            unit=self.unit,
            description=self.description,
            sum=metrics_pb2.Sum(
                aggregation_temporality=_CUMULATIVE,
                is_monotonic=True,
                data_points=[number_point(a, v, now_ns, start_ns) for a, v in values.items()],
            ),
        )


class GaugeSet:
    """Last-value gauge: attribute tuple -> number (``set`` replaces)."""

    __slots__ = ("name", "unit", "description", "_values", "_lock")

    def __init__(self, name: str, unit: str, description: str) -> None:
        self.name = name
        self.unit = unit
        self.description = description
        self._values: dict[Attrs, float] = {}
        self._lock = threading.Lock()

    def set(self, value: float, attrs: Attrs = ()) -> None:
        """Record the current value of the series ``attrs``."""
        with self._lock:
            self._values[attrs] = value

    def snapshot(self) -> dict[Attrs, float]:
        """A copy of every series' value."""
        with self._lock:
            return dict(self._values)

    def values(self, extra: Mapping[Attrs, float] | None = None) -> dict[Attrs, float]:
        """Every series' value; values callbacks reported for this metric (``extra``) override them."""
        values = self.snapshot()
        values.update(extra or {})
        return values

    def to_metric(self, now_ns: int, extra: Mapping[Attrs, float] | None = None) -> metrics_pb2.Metric:
        """Export as a ``Gauge``; ``extra`` (callback values) override set values for the same attrs."""
        values = self.values(extra)
        return metrics_pb2.Metric(
            name=self.name,
            unit=self.unit,
            description=self.description,
            gauge=metrics_pb2.Gauge(data_points=[number_point(a, v, now_ns) for a, v in values.items()]),
        )


@dataclass(frozen=True)
class Reading:
    """One self-metric as read now, without OTLP: what the log summary and the internal
    Prometheus endpoint show.  ``monotonic``: a running total (else a level)."""

    name: str
    unit: str
    description: str
    monotonic: bool
    values: Mapping[Attrs, float]


class SelfMetrics:
    """Registry of the agent's own health metrics, exported as one ``ResourceMetrics``.

    Args:
        resource_attributes: The agent's resource; default :func:`agent_resource_attributes`
            of ``environ`` (the agent's own ``OTEL_SERVICE_NAME``/``OTEL_RESOURCE_ATTRIBUTES``).
        scope_version: Version of the ``otel_ebpf`` scope.
        start_ns: Start of every cumulative series; default: now.
        environ: The agent's environment (default ``os.environ``), when ``resource_attributes`` is not given.
        host_name: ``host.name`` of the agent's resource, when ``resource_attributes`` is not given.
        describe: Declares a callback name never registered: ``name -> (is_level, unit, description)``.
    """

    def __init__(
        self,
        resource_attributes: Mapping[str, object] | None = None,
        scope_version: str = __version__,
        start_ns: int | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        host_name: str | None = None,
        describe: Callable[[str], tuple[bool, str, str]] | None = None,
    ) -> None:
        if resource_attributes is not None:
            attrs = dict(resource_attributes)
        else:
            attrs = agent_resource_attributes(environ, host_name)
        self.resource_attributes = attrs
        self._resource = Resource(attributes=to_key_values(attrs))
        self._scope = InstrumentationScope(name="otel_ebpf", version=scope_version)
        self.start_ns = time.time_ns() if start_ns is None else start_ns
        self._counters: dict[str, CounterSet] = {}
        self._gauges: dict[str, GaugeSet] = {}
        self._callbacks: list[Callback] = []
        self._describe = describe
        self._declare_lock = threading.Lock()
        self.callback_errors = 0

    def register_counter(self, name: str, unit: str, description: str, max_series: int = 1000) -> CounterSet:
        """Create (or return the existing) counter ``name``."""
        self._check_name(name, self._gauges)
        counter = self._counters.get(name)
        if counter is None:
            counter = self._counters[name] = CounterSet(name, unit, description, max_series)
        return counter

    def register_gauge(self, name: str, unit: str, description: str) -> GaugeSet:
        """Create (or return the existing) gauge ``name``."""
        self._check_name(name, self._counters)
        gauge = self._gauges.get(name)
        if gauge is None:
            gauge = self._gauges[name] = GaugeSet(name, unit, description)
        return gauge

    def add_counter(self, counter: CounterSet) -> CounterSet:
        """Export a counter created elsewhere (e.g. by a processor) with the agent's metrics."""
        self._check_name(counter.name, self._gauges)
        existing = self._counters.setdefault(counter.name, counter)
        if existing is not counter:
            raise ValueError(f"a different counter named {counter.name!r} is already registered")
        return counter

    def register_callback(self, fn: Callback) -> None:
        """Call ``fn()`` at each collect; it returns ``{(metric name, attrs tuple): value}``."""
        self._callbacks.append(fn)

    @staticmethod
    def _check_name(name: str, other: Mapping[str, object]) -> None:
        if not name or name.startswith("otel."):
            raise ValueError(f"invalid self-metric name {name!r} (the otel.* namespace is reserved)")
        if name in other:
            raise ValueError(f"{name!r} is already registered with another instrument type")

    def read(self) -> list[Reading]:
        """Every instrument and callback, read now (counters first, then gauges)."""
        reported = self._reported()
        out = []
        for name, counter in list(self._counters.items()):
            out.append(Reading(name, counter.unit, counter.description, True, counter.values(reported.pop(name, None))))
        for name, gauge in list(self._gauges.items()):
            out.append(Reading(name, gauge.unit, gauge.description, False, gauge.values(reported.pop(name, None))))
        for name, values in reported.items():
            out.append(Reading(name, "", "", False, values))
        return out

    def collect(self, now_ns: int | None = None) -> metrics_pb2.ResourceMetrics:
        """Read every instrument and callback into one ``ResourceMetrics``."""
        now_ns = time.time_ns() if now_ns is None else now_ns
        reported = self._reported()
        metrics = []
        for name, counter in list(self._counters.items()):
            metrics.append(counter.to_metric(now_ns, self.start_ns, reported.pop(name, None)))
        for name, gauge in list(self._gauges.items()):
            metrics.append(gauge.to_metric(now_ns, reported.pop(name, None)))
        for name, values in reported.items():  # unregistered callback names: gauges, no unit claim
            metrics.append(GaugeSet(name, "", "").to_metric(now_ns, values))

        return metrics_pb2.ResourceMetrics(
            resource=self._resource,
            scope_metrics=[metrics_pb2.ScopeMetrics(scope=self._scope, metrics=metrics)],
        )

    def _reported(self) -> dict[str, dict[Attrs, float]]:
        """What the callbacks report now, by name (names seen the first time are declared)."""
        reported: dict[str, dict[Attrs, float]] = {}
        for fn in list(self._callbacks):
            try:
                values = fn()
                for (name, attrs), value in values.items():
                    reported.setdefault(name, {})[tuple(attrs)] = value
            except Exception:  # a broken callback must not hide the other metrics
                self.callback_errors += 1
                logger.warning("self-metric callback %r failed", fn, exc_info=True)

        if self._describe is not None:
            with self._declare_lock:  # a scrape and a collection may both see a new name
                for name in [n for n in reported if n not in self._counters and n not in self._gauges]:
                    is_level, unit, description = self._describe(name)
                    if is_level:
                        self.register_gauge(name, unit, description)
                    else:
                        self.register_counter(name, unit, description)
        return reported
