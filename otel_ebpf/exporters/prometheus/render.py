"""The store's snapshot as ``prometheus_client`` metric families; the library writes the formats.

The exposition (Prometheus text 0.0.4 or OpenMetrics 1.0, escaping, exemplars only in
OpenMetrics, ``# EOF``) is ``prometheus_client``'s: this module only builds its ``Metric``
objects, one per family, with the samples each series makes:

* histograms: a ``_bucket`` sample per explicit bound with the cumulative count up to and
  including it, then ``+Inf`` with the count, then ``_count`` and ``_sum`` (the spec's
  "Histograms"); a bucket's exemplar is the latest that fell into it;
* counters: ``<base>_total`` with the latest exemplar;
* summaries: a ``quantile`` sample per quantile, ``_count`` and ``_sum`` (the spec's "Summaries");
* gauges (and non-monotonic sums): the value;
* ``target_info``: an info-typed family (``# TYPE target info`` in OpenMetrics, a gauge named
  ``target_info`` in the text format), value 1, the resource's labels (the spec: "a gauge-typed
  metric family named target_info ... MUST be used" only when info is not supported).

``le`` and ``quantile`` values are written as ``prometheus_client`` writes its own
(``floatToGoString``: "0.005", "1.0", "1e+06", "+Inf"), in both formats, so a series keeps its
identity whichever format a scraper negotiates (OpenMetrics' canonical form; Go's text format
would write "1", which Prometheus 2 stores as another series).  No ``_created`` samples are written:
the Collector's default handler does not write them either.
"""

from __future__ import annotations

from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    InfoMetricFamily,
    Metric,
    SummaryMetricFamily,
)
from prometheus_client.samples import Exemplar as PromExemplar
from prometheus_client.samples import Timestamp
from prometheus_client.utils import floatToGoString

from otel_ebpf.exporters.prometheus.store import COUNTER, HISTOGRAM, SUMMARY, Exemplar, Family, Series, Target

__all__ = ["TARGET_INFO_HELP", "families"]

TARGET_INFO_HELP = "Target metadata"  # the Collector's HELP of target_info


def _timestamp(time_ns: int) -> Timestamp | None:
    return Timestamp(time_ns // 1_000_000_000, time_ns % 1_000_000_000) if time_ns > 0 else None


def _exemplar(ex: Exemplar | None) -> PromExemplar | None:
    if ex is None:
        return None
    return PromExemplar(dict(ex.labels), ex.value, _timestamp(ex.time_ns))


def _family(family: Family) -> Metric:
    unit = family.unit
    if family.type == COUNTER:
        return CounterMetricFamily(family.name, family.help, unit=unit)
    if family.type == HISTOGRAM:
        return HistogramMetricFamily(family.name, family.help, unit=unit)
    if family.type == SUMMARY:
        return SummaryMetricFamily(family.name, family.help, unit=unit)
    return GaugeMetricFamily(family.name, family.help, unit=unit)


def _add_series(metric: Metric, family: Family, series: Series, send_timestamps: bool) -> None:
    point = series.point
    labels = dict(series.labels)
    ts = _timestamp(point.time_ns) if send_timestamps else None
    name = metric.name
    if family.type == HISTOGRAM:
        hist = point.value
        cumulative = 0
        for index, bound in enumerate(hist.bounds):
            cumulative += hist.counts[index]
            metric.add_sample(
                name + "_bucket",
                {**labels, "le": floatToGoString(bound)},
                cumulative,
                ts,
                _exemplar(series.exemplars.get(index)),
            )
        metric.add_sample(
            name + "_bucket",
            {**labels, "le": "+Inf"},
            hist.count,
            ts,
            _exemplar(series.exemplars.get(len(hist.bounds))),
        )
        metric.add_sample(name + "_count", labels, hist.count, ts)
        metric.add_sample(name + "_sum", labels, hist.sum, ts)
    elif family.type == SUMMARY:
        summary = point.value
        for quantile, value in summary.quantiles:
            metric.add_sample(name, {**labels, "quantile": floatToGoString(quantile)}, value, ts)
        metric.add_sample(name + "_count", labels, summary.count, ts)
        metric.add_sample(name + "_sum", labels, summary.sum, ts)
    elif family.type == COUNTER:
        metric.add_sample(name + "_total", labels, point.value, ts, _exemplar(series.exemplars.get(0)))
    else:
        metric.add_sample(name, labels, point.value, ts)


def families(
    snapshot: list[tuple[Family, list[Series]]], targets: list[Target], target_info: str, send_timestamps: bool
) -> list[Metric]:
    """``prometheus_client`` families for a snapshot; ``target_info`` is the (namespaced) name."""
    out: list[Metric] = []
    if targets:
        info = InfoMetricFamily(target_info.removesuffix("_info"), TARGET_INFO_HELP)
        for target in targets:
            info.add_metric([], dict(target.labels))
        out.append(info)
    for family, members in snapshot:
        metric = _family(family)
        for series in members:
            _add_series(metric, family, series, send_timestamps)
        out.append(metric)
    return out
