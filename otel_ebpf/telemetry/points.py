"""Building OTLP metric messages: one way for every component (processors, self-metrics).

Clarity over speed: these run once per export interval, not per request.
"""

from __future__ import annotations

from collections.abc import Iterable

from opentelemetry.proto.common.v1.common_pb2 import InstrumentationScope
from opentelemetry.proto.metrics.v1 import metrics_pb2

from otel_ebpf import __version__
from otel_ebpf.model import ProcessInfo
from otel_ebpf.telemetry.attributes import to_key_values
from otel_ebpf.telemetry.resource import resource_message

Attrs = tuple[tuple[str, object], ...]

_CUMULATIVE = metrics_pb2.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
SCOPE = InstrumentationScope(name="otel_ebpf", version=__version__)


def gauge(name: str, unit: str, description: str) -> metrics_pb2.Metric:
    """An empty ``Gauge`` metric; add points to its ``.gauge`` with :func:`add_point`."""
    metric = metrics_pb2.Metric(name=name, unit=unit, description=description)
    metric.gauge.SetInParent()
    return metric


def cumulative_sum(name: str, unit: str, description: str) -> metrics_pb2.Metric:
    """An empty cumulative ``Sum`` metric; add points to its ``.sum`` with :func:`add_point`."""
    metric = metrics_pb2.Metric(name=name, unit=unit, description=description)
    metric.sum.aggregation_temporality = _CUMULATIVE
    metric.sum.is_monotonic = True
    return metric


def fill_point(point: metrics_pb2.NumberDataPoint, attrs: Attrs, value: float, now_ns: int, start_ns: int = 0):
    """Sets a number point: an int stays an int (a bool is a number here, 0 or 1); attributes keep their types."""
    point.time_unix_nano = now_ns
    if start_ns:
        point.start_time_unix_nano = start_ns
    if isinstance(value, int):
        point.as_int = int(value)
    else:
        point.as_double = float(value)
    if attrs:
        point.attributes.extend(to_key_values(attrs))
    return point


def add_point(container, attrs: Attrs, value: float, now_ns: int, start_ns: int = 0) -> metrics_pb2.NumberDataPoint:
    """Appends a number point to ``metric.gauge`` or ``metric.sum``; returns it (for exemplars)."""
    return fill_point(container.data_points.add(), attrs, value, now_ns, start_ns)


def number_point(attrs: Attrs, value: float, now_ns: int, start_ns: int = 0) -> metrics_pb2.NumberDataPoint:
    """A detached number point."""
    return fill_point(metrics_pb2.NumberDataPoint(), attrs, value, now_ns, start_ns)


def group_by_resource(items: Iterable[tuple[ProcessInfo | None, metrics_pb2.Metric]]) -> list:
    """``(process, metric)`` pairs -> one ``ResourceMetrics`` per process (scope ``otel_ebpf``)."""
    by_resource: dict[tuple, metrics_pb2.ResourceMetrics] = {}
    for process, metric in items:
        key = process.key if process is not None else ()
        rm = by_resource.get(key)
        if rm is None:
            rm = by_resource[key] = metrics_pb2.ResourceMetrics(resource=resource_message(process))
            rm.scope_metrics.add(scope=SCOPE)
        rm.scope_metrics[0].metrics.append(metric)
    return list(by_resource.values())
