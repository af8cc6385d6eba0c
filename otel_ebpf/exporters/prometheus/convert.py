"""An ``ExportMetricsServiceRequest`` as store updates: names, labels, values, exemplars.

Labels of a point (the spec's "Metric Attributes", "Instrumentation Scope" and "Resource
Attributes" sections; the Collector's ``collector.go`` getMetricMetadata):

* the point's attributes, named by :func:`~.translate.label_name`;
* with ``resource_to_telemetry_conversion.enabled``, every resource attribute the point does
  not have itself (the Collector's ``resourcetotelemetry`` wrapper: ``service.name`` included);
* ``otel_scope_name``, ``otel_scope_version``, ``otel_scope_schema_url`` (always, empty when
  unset, as the current Collector writes them) and the scope's attributes as ``otel_scope_<key>``
  (those that would replace one of the three are dropped, as the spec requires);
* ``job`` (``service.namespace/service.name``) and ``instance`` (``service.instance.id``);
* ``const_labels`` last (they win over a label of the same name; the Collector would fail the
  whole metric instead).

Keys that end up with one label name have their values joined with ";" in the lexicographic
order of the original keys (the spec's "Metric Attributes"; the Collector does the same for
``target_info``).

What is refused (counted per reason, never raised): exponential histograms (``exponential_histogram``;
the Collector turns them into native histograms, which need the protobuf scrape format), sums
and histograms of unspecified temporality and non-monotonic delta sums (``unsupported_temporality``;
the Collector drops them too), names and label names with nothing valid left (``invalid_name``,
``invalid_label_name``), the ``le`` label on a histogram and ``quantile`` on a summary
(``reserved_label``), and malformed points (``invalid_point``: no value, bucket counts that do
not match the bounds or the count, unsorted or non-finite bounds, quantiles outside [0, 1]);
``conversion_error`` if converting a metric fails unexpectedly (a bug: the rest of the request
is kept).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from opentelemetry.proto.metrics.v1 import metrics_pb2

from otel_ebpf.exporters.prometheus import translate
from otel_ebpf.exporters.prometheus.store import (
    COUNTER,
    GAUGE,
    HISTOGRAM,
    SUMMARY,
    Exemplar,
    Histogram,
    Point,
    Summary,
    Target,
    Update,
)

__all__ = ["Conversion", "Converter"]

_CUMULATIVE = metrics_pb2.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
_DELTA = metrics_pb2.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
_NO_RECORDED_VALUE = metrics_pb2.DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK

# The spec's "Instrumentation Scope": scope attributes may not replace these.
_SCOPE_LABELS = ("otel_scope_name", "otel_scope_version", "otel_scope_schema_url")
_SERVICE_KEYS = frozenset(("service.name", "service.namespace", "service.instance.id"))
# OpenMetrics 1.0 "Exemplars": the label names and values of an exemplar, 128 code points at most.
_EXEMPLAR_MAX_CHARS = 128
_TRACE_ID = "trace_id"  # otlptranslator ExemplarTraceIDKey
_SPAN_ID = "span_id"  # otlptranslator ExemplarSpanIDKey

Entries = list[tuple[str, str, str]]  # (original key, label name, value)


class Conversion:
    """What one request became: updates for the store, points received, points refused by reason."""

    __slots__ = ("updates", "received", "refused")

    def __init__(self) -> None:
        self.updates: list[Update] = []
        self.received = 0
        self.refused: dict[str, int] = {}

    def refuse(self, reason: str, n: int = 1) -> None:
        if n:
            self.refused[reason] = self.refused.get(reason, 0) + n


def _join(entries: Entries) -> dict[str, str]:
    """Label name -> value; keys mapping to one name joined with ";" by original key order."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for original, name, value in entries:
        grouped.setdefault(name, []).append((original, value))
    out = {}
    for name, items in grouped.items():
        if len(items) == 1:
            out[name] = items[0][1]
        else:
            items.sort(key=lambda item: item[0])
            out[name] = ";".join(value for _, value in items)
    return out


def _number(point: metrics_pb2.NumberDataPoint | metrics_pb2.Exemplar) -> float | None:
    kind = point.WhichOneof("value")
    if kind == "as_double":
        return point.as_double
    if kind == "as_int":
        return float(point.as_int)
    return None


def _histogram(point: metrics_pb2.HistogramDataPoint) -> Histogram | None:
    """The point's value, or None when it is malformed (OTLP metrics.proto HistogramDataPoint)."""
    bounds = tuple(point.explicit_bounds)
    counts = tuple(point.bucket_counts)
    if counts:
        if len(counts) != len(bounds) + 1 or sum(counts) != point.count:
            return None
    elif bounds:
        return None
    for i, bound in enumerate(bounds):
        if not math.isfinite(bound) or (i and bound <= bounds[i - 1]):
            return None
    if not counts:
        counts = (point.count,)
    return Histogram(bounds, counts, point.count, point.sum if point.HasField("sum") else 0.0)


def _summary(point: metrics_pb2.SummaryDataPoint) -> Summary | None:
    quantiles = sorted((q.quantile, q.value) for q in point.quantile_values)
    for q, _ in quantiles:
        if not 0.0 <= q <= 1.0:  # also false for NaN
            return None
    return Summary(point.count, point.sum, tuple(quantiles))


class Converter:
    """Turns requests into store updates with one exporter's settings.

    Args:
        namer: Names and label names (namespace, suffixes).
        const_labels: ``const_labels`` of the config (names already checked).
        resource_labels: ``resource_to_telemetry_conversion.enabled``.
    """

    def __init__(self, namer: translate.Namer, const_labels: Mapping[str, str], resource_labels: bool) -> None:
        self.namer = namer
        self.const_labels = dict(const_labels)
        self.resource_labels = resource_labels

    # -- one request ---------------------------------------------------------------------

    def convert(self, request) -> Conversion:
        """Never raises on odd content: what cannot be exposed is refused and counted."""
        out = Conversion()
        for rm in request.resource_metrics:
            resource = {kv.key: translate.attribute_value(kv.value) for kv in rm.resource.attributes}
            job, instance = translate.job_and_instance(resource)
            target = self._target(resource, job, instance)
            common: Entries = []
            if self.resource_labels:
                for key, value in resource.items():
                    name = self.namer.label(key)
                    if name is not None:
                        common.append((key, name, value))
            for sm in rm.scope_metrics:
                scope = self._scope_entries(sm)
                if job is not None:
                    scope.append(("job", "job", job))
                if instance is not None:
                    scope.append(("instance", "instance", instance))
                for metric in sm.metrics:
                    mark = (len(out.updates), out.received, dict(out.refused))
                    try:
                        self._metric(metric, common, scope, target, out)
                    except Exception:  # a bug here must not lose the rest of the request
                        del out.updates[mark[0] :]
                        out.received, out.refused = mark[1], mark[2]
                        data = metric.WhichOneof("data")
                        n = len(getattr(metric, data).data_points) if data else 0
                        out.received += n
                        out.refuse("conversion_error", n)
        return out

    def _target(self, resource: dict[str, str], job: str | None, instance: str | None) -> Target | None:
        """``target_info`` of a resource: its attributes but the three that make job and instance.

        Like the Collector (createTargetInfoMetrics/resourceSignature), only for a resource with
        both a job and an instance: that pair is what joins ``target_info`` to the series.
        """
        if not job or not instance:
            return None
        entries: Entries = []
        for key, value in resource.items():
            if key in _SERVICE_KEYS:
                continue
            name = self.namer.label(key)
            if name is not None and name not in ("job", "instance"):
                entries.append((key, name, value))
        labels = _join(entries)
        labels["job"] = job
        labels["instance"] = instance
        return Target(job, instance, tuple(sorted(labels.items())))

    def _scope_entries(self, sm: metrics_pb2.ScopeMetrics) -> Entries:
        entries: Entries = [
            ("otel_scope_name", "otel_scope_name", sm.scope.name),
            ("otel_scope_version", "otel_scope_version", sm.scope.version),
            ("otel_scope_schema_url", "otel_scope_schema_url", sm.schema_url),
        ]
        for kv in sm.scope.attributes:
            name = self.namer.label("otel_scope_" + kv.key)
            if name is not None and name not in _SCOPE_LABELS:
                entries.append(("otel_scope_" + kv.key, name, translate.attribute_value(kv.value)))
        return entries

    # -- one metric ----------------------------------------------------------------------

    def _metric(self, metric, common: Entries, scope: Entries, target: Target | None, out: Conversion) -> None:
        data = metric.WhichOneof("data")
        if data is None:
            return
        points = getattr(metric, data).data_points
        out.received += len(points)
        if data == "gauge":
            naming, type_, delta = translate.GAUGE, GAUGE, False
        elif data == "sum":
            temporality = metric.sum.aggregation_temporality
            if metric.sum.is_monotonic and temporality in (_CUMULATIVE, _DELTA):
                naming, type_, delta = translate.COUNTER, COUNTER, temporality == _DELTA
            elif temporality == _CUMULATIVE:
                naming, type_, delta = translate.UPDOWN, GAUGE, False
            else:
                out.refuse("unsupported_temporality", len(points))
                return
        elif data == "histogram":
            temporality = metric.histogram.aggregation_temporality
            if temporality not in (_CUMULATIVE, _DELTA):
                out.refuse("unsupported_temporality", len(points))
                return
            naming, type_, delta = translate.HISTOGRAM, HISTOGRAM, temporality == _DELTA
        elif data == "summary":
            naming, type_, delta = translate.SUMMARY, SUMMARY, False
        else:
            out.refuse(data, len(points))  # exponential_histogram
            return

        family = self.namer.metric(metric.name, metric.unit, naming)
        if family is None:
            out.refuse("invalid_name", len(points))
            return
        base = family.removesuffix("_total") if type_ == COUNTER else family
        unit = self.namer.unit(base, metric.unit)
        reserved = "le" if type_ == HISTOGRAM else "quantile" if type_ == SUMMARY else None
        for point in points:
            labels = self._labels(point.attributes, common, scope)
            if labels is None:
                out.refuse("invalid_label_name")
                continue
            if reserved is not None and any(name == reserved for name, _ in labels):
                out.refuse("reserved_label")
                continue
            if point.flags & _NO_RECORDED_VALUE:
                out.updates.append(Update(family, type_, metric.description, unit, labels, None, target))
                continue
            converted = self._point(point, type_, delta)
            if converted is None:
                out.refuse("invalid_point")
                continue
            out.updates.append(Update(family, type_, metric.description, unit, labels, converted, target))

    def _labels(self, attributes, common: Entries, scope: Entries) -> tuple[tuple[str, str], ...] | None:
        entries: Entries = []
        own = set()
        for kv in attributes:
            name = self.namer.label(kv.key)
            if name is None:
                return None
            own.add(kv.key)
            entries.append((kv.key, name, translate.attribute_value(kv.value)))
        if common:
            entries.extend(e for e in common if e[0] not in own)
        entries.extend(scope)
        labels = _join(entries)
        labels.update(self.const_labels)
        return tuple(sorted(labels.items()))

    def _point(self, point, type_: str, delta: bool) -> Point | None:
        if type_ == HISTOGRAM:
            value = _histogram(point)
        elif type_ == SUMMARY:
            value = _summary(point)
        else:
            value = _number(point)
        if value is None:
            return None
        exemplars: tuple[Exemplar, ...] = ()
        # The spec: exemplars of counters and histograms are converted; others dropped.
        if type_ in (COUNTER, HISTOGRAM) and point.exemplars:
            exemplars = tuple(ex for ex in map(self._exemplar, point.exemplars) if ex is not None)
        return Point(value, point.start_time_unix_nano, point.time_unix_nano, delta, exemplars)

    def _exemplar(self, exemplar: metrics_pb2.Exemplar) -> Exemplar | None:
        """The spec's "Exemplar Conversion": ``trace_id`` and ``span_id`` (hex) first, then the
        filtered attributes that still fit the OpenMetrics limit of 128 characters."""
        value = _number(exemplar)  # an exemplar has a number point's value oneof
        if value is None:
            return None
        labels: dict[str, str] = {}
        if exemplar.trace_id:
            labels[_TRACE_ID] = exemplar.trace_id.hex()
        if exemplar.span_id:
            labels[_SPAN_ID] = exemplar.span_id.hex()
        used = sum(len(k) + len(v) for k, v in labels.items())
        for kv in sorted(exemplar.filtered_attributes, key=lambda kv: kv.key):
            name = self.namer.label(kv.key)
            if name is None or name in labels:
                continue
            text = translate.attribute_value(kv.value)
            if used + len(name) + len(text) > _EXEMPLAR_MAX_CHARS:
                continue
            labels[name] = text
            used += len(name) + len(text)
        return Exemplar(tuple(sorted(labels.items())), value, exemplar.time_unix_nano)
