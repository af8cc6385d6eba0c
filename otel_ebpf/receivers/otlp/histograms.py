"""HTTP server duration histograms received over OTLP -> request counts per route, as deltas.

Senders that do not export spans for every request (sampling) still export the duration
histogram of every request, so the request rate and the latency distribution per route come
from it.  Read metrics:

* ``http.server.request.duration`` (stable semconv), unit ``s`` (the convention) or ``ms``;
* ``http.server.duration`` (semconv 1.20 and before), unit ``ms`` (or whatever unit it declares).

Attributes read: ``http.request.method``/``http.method``, ``http.response.status_code``/
``http.status_code``, ``http.route``, ``error.type``; ``service.name`` comes from the resource.

Cumulative points become deltas per *stream* (resource, scope, metric, full attribute set):
the first point of a stream is only a baseline -- unless the stream started after this state
was created, then all of it is new (the Collector's ``cumulativetodelta`` ``initial_value:
auto``).  A stream is *reset* when its start time changes, its count or a bucket decreases, or
its bucket bounds change; the point after a reset counts whole (everything since the restart).
Delta points pass as they are.  Exponential histograms, unspecified temporality and points
flagged "no recorded value" are skipped and counted.

The per-stream state is bounded: at most ``max_streams`` streams (a new cumulative stream past
the cap is dropped and counted in :attr:`HistogramDeltaState.overflow`), and a stream not seen
for ``expire_after_s`` is forgotten (its next point is a new baseline).

This module does not import grpc: it is a pure function over the decoded request plus the
explicit state object.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.metrics.v1 import metrics_pb2

from otel_ebpf.model import Exemplar, RequestCount
from otel_ebpf.receivers.otlp.resources import ProcessCache, to_python

__all__ = ["Exemplar", "HistogramDeltaState", "RequestCount", "requests_from_histograms"]

STABLE_METRIC = "http.server.request.duration"
OLD_METRIC = "http.server.duration"
_DEFAULT_UNIT = {STABLE_METRIC: "s", OLD_METRIC: "ms"}  # when the sender left the unit empty
_SECONDS_PER_UNIT = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}
_METHOD = ("http.request.method", "http.method")
_STATUS = ("http.response.status_code", "http.status_code")
_DELTA = metrics_pb2.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
_CUMULATIVE = metrics_pb2.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
_NO_RECORDED_VALUE = metrics_pb2.DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK


class _Stream:
    """The last cumulative point of one stream."""

    __slots__ = ("start_ns", "time_ns", "count", "sum", "buckets", "bounds", "seen_at")

    def __init__(self, point, bounds: tuple[float, ...], seen_at: float) -> None:
        self.update(point, bounds, seen_at)

    def update(self, point, bounds: tuple[float, ...], seen_at: float) -> None:
        self.start_ns = point.start_time_unix_nano
        self.time_ns = point.time_unix_nano
        self.count = point.count
        self.sum = point.sum if point.HasField("sum") else None
        self.buckets = tuple(point.bucket_counts)
        self.bounds = bounds
        self.seen_at = seen_at


class HistogramDeltaState:
    """Per-stream memory for cumulative -> delta conversion; share one per receiver.

    Thread-safe (one lock per call of :func:`requests_from_histograms`).

    Args:
        max_streams: Cumulative streams remembered; new streams past the cap are dropped and counted.
        expire_after_s: A stream not seen for this long is forgotten.
        process_cache: Resolves resources (service.name, identity); a private one by default.
        clock: Monotonic seconds, for expiry (injectable for tests).
        start_time_ns: Epoch ns this state starts counting from: a cumulative stream first seen
            with a start time at or after it counts whole (default: now).
    """

    def __init__(
        self,
        max_streams: int = 10_000,
        expire_after_s: float = 600.0,
        process_cache: ProcessCache | None = None,
        clock: Callable[[], float] = time.monotonic,
        start_time_ns: int | None = None,
    ) -> None:
        if max_streams < 1:
            raise ValueError("max_streams must be at least 1")
        self.max_streams = max_streams
        self.expire_after_s = expire_after_s
        self.process_cache = process_cache or ProcessCache()
        self.clock = clock
        self.start_time_ns = time.time_ns() if start_time_ns is None else start_time_ns
        # Least recently seen first, so expiry pops from the front until a live stream.
        self._streams: OrderedDict[tuple, _Stream] = OrderedDict()
        self._lock = threading.Lock()
        self.overflow = 0  # points of new cumulative streams dropped by the cap
        self.resets = 0  # cumulative streams that restarted
        self.expired = 0  # streams forgotten after expire_after_s
        self.skipped = 0  # points not convertible (exponential, unspecified temporality, bad unit/attributes)

    def __len__(self) -> int:
        return len(self._streams)

    def counters(self) -> dict[tuple[str, tuple], int]:
        """Self-metrics in :meth:`SelfMetrics.register_callback` form."""
        name = "otel_ebpf.receiver.otlp.histogram_points"
        return {
            (name, (("outcome", "overflow"),)): self.overflow,
            (name, (("outcome", "reset"),)): self.resets,
            (name, (("outcome", "skipped"),)): self.skipped,
            ("otel_ebpf.receiver.otlp.histogram_streams_expired", ()): self.expired,
        }

    def _expire(self, now: float) -> None:
        limit = now - self.expire_after_s
        streams = self._streams
        while streams:
            key, stream = next(iter(streams.items()))
            if stream.seen_at > limit:
                break
            del streams[key]
            self.expired += 1

    def delta(self, key: tuple, point, bounds: tuple[float, ...], now: float) -> tuple[list[int], float | None] | None:
        """The delta (bucket counts, sum) of a cumulative point since its stream's previous one, or None.

        None means "nothing to report": a baseline, a repeated point, or a stream dropped by the cap.
        Call with the lock held.
        """
        streams = self._streams
        prev = streams.get(key)
        buckets = list(point.bucket_counts)
        total = point.sum if point.HasField("sum") else None
        if prev is None:
            if len(streams) >= self.max_streams:
                self.overflow += 1
                return None
            streams[key] = _Stream(point, bounds, now)
            start = point.start_time_unix_nano
            if start and start >= self.start_time_ns:
                return buckets, total  # the stream began after us: all of it is new
            return None
        streams.move_to_end(key)
        if point.start_time_unix_nano == prev.start_ns and point.time_unix_nano < prev.time_ns:
            # An older point arriving late (a sender's retry): already counted.  Checked before
            # the reset test, which its lower count would otherwise trip.
            prev.seen_at = now
            return None
        restarted = (
            point.start_time_unix_nano != prev.start_ns
            or point.count < prev.count
            or bounds != prev.bounds
            or len(buckets) != len(prev.buckets)
            or any(b < p for b, p in zip(buckets, prev.buckets, strict=True))
        )
        if restarted:
            self.resets += 1
            prev.update(point, bounds, now)
            return buckets, total  # everything since the restart
        delta_buckets = [b - p for b, p in zip(buckets, prev.buckets, strict=True)]
        delta_sum = total - prev.sum if total is not None and prev.sum is not None else None
        prev.update(point, bounds, now)
        return delta_buckets, delta_sum


class _Accumulator:
    __slots__ = ("buckets", "sum", "time_ns", "exemplars")

    def __init__(self, n_buckets: int) -> None:
        self.buckets = [0] * n_buckets
        self.sum: float | None = 0.0
        self.time_ns = 0
        self.exemplars: list[Exemplar] = []


def requests_from_histograms(request: ExportMetricsServiceRequest, state: HistogramDeltaState) -> list[RequestCount]:
    """Request counts per (service, route, method, status, error.type) from the HTTP server duration histograms.

    Args:
        request: A decoded ``ExportMetricsServiceRequest``; it is not modified.
        state: Per-stream memory shared by all requests of one receiver.

    Returns:
        One record per key and bucket layout with a non-zero delta, in first-seen order.
    """
    totals: dict[tuple, _Accumulator] = {}
    with state._lock:
        now = state.clock()
        state._expire(now)
        for resource_metrics in request.resource_metrics:
            process = state.process_cache.get(resource_metrics.resource)
            for scope_metrics in resource_metrics.scope_metrics:
                scope = (scope_metrics.scope.name, scope_metrics.scope.version)
                for metric in scope_metrics.metrics:
                    if metric.name not in _DEFAULT_UNIT:
                        continue
                    if metric.WhichOneof("data") != "histogram":
                        state.skipped += _point_count(metric)
                        continue
                    scale = _SECONDS_PER_UNIT.get(metric.unit or _DEFAULT_UNIT[metric.name])
                    temporality = metric.histogram.aggregation_temporality
                    if scale is None or temporality not in (_DELTA, _CUMULATIVE):
                        state.skipped += len(metric.histogram.data_points)
                        continue
                    stream_prefix = (process.key, scope, metric.name)
                    for point in metric.histogram.data_points:
                        _add_point(state, totals, process.service_name, stream_prefix, point, scale, temporality, now)
    return [
        RequestCount(
            service_name=key[0],
            route=key[1],
            method=key[2],
            status_code=key[3],
            error_type=key[4],
            bounds_s=key[5],
            bucket_counts=tuple(acc.buckets),
            count=sum(acc.buckets),
            sum_s=acc.sum,
            time_ns=acc.time_ns,
            exemplars=tuple(acc.exemplars),
        )
        for key, acc in totals.items()
        if any(acc.buckets)
    ]


def _add_point(
    state: HistogramDeltaState,
    totals: dict[tuple, _Accumulator],
    service_name: str,
    stream_prefix: tuple,
    point,
    scale: float,
    temporality: int,
    now: float,
) -> None:
    if point.flags & _NO_RECORDED_VALUE:
        state.skipped += 1
        return
    bounds = tuple(b * scale for b in point.explicit_bounds)
    if len(point.bucket_counts) != len(bounds) + 1:
        # Only the "no buckets at all" form is legal besides this; neither says where requests fell.
        state.skipped += 1
        return
    attrs = {kv.key: kv.value for kv in point.attributes}
    try:
        method = _first(attrs, _METHOD)
        status = _first(attrs, _STATUS)
        status_code = None if status in (None, "") else int(status)  # "200" from string-typed senders
    except (TypeError, ValueError):
        state.skipped += 1
        return
    route = _first(attrs, ("http.route",))
    error_type = _first(attrs, ("error.type",))

    if temporality == _DELTA:
        buckets = list(point.bucket_counts)
        total = point.sum if point.HasField("sum") else None
    else:
        # Identity = every attribute, not just the five we group by: two streams that differ in
        # e.g. server.port are separate cumulative counters.
        stream_key = (*stream_prefix, tuple(sorted((kv.key, kv.value.SerializeToString()) for kv in point.attributes)))
        delta = state.delta(stream_key, point, bounds, now)
        if delta is None:
            return
        buckets, total = delta
    if not any(buckets):
        return

    key = (
        service_name,
        str(route) if route not in (None, "") else None,
        "" if method is None else str(method),
        status_code,
        str(error_type) if error_type not in (None, "") else None,
        bounds,
    )
    acc = totals.get(key)
    if acc is None:
        acc = totals[key] = _Accumulator(len(buckets))
    for i, n in enumerate(buckets):
        acc.buckets[i] += n
    acc.sum = acc.sum + total * scale if acc.sum is not None and total is not None else None
    acc.time_ns = max(acc.time_ns, point.time_unix_nano)
    for ex in point.exemplars:
        value = ex.as_double if ex.WhichOneof("value") == "as_double" else float(ex.as_int)
        acc.exemplars.append(Exemplar(value * scale, ex.time_unix_nano, ex.trace_id, ex.span_id))


def _first(attrs: dict, names: tuple[str, ...]) -> object:
    for name in names:
        value = attrs.get(name)
        if value is not None:
            return to_python(value)
    return None


def _point_count(metric) -> int:
    kind = metric.WhichOneof("data")
    return len(getattr(metric, kind).data_points) if kind else 0
