"""The latest point of every series, ready to be scraped, and their expiry.

A series is a family name plus its final label set (the exposed identity).  What the store
does is the Collector's ``accumulator.go`` (``lastValueAccumulator``):

* a cumulative point replaces the held one unless it is older (the Collector keeps "only the
  datapoint with latest timestamp");
* a delta point (monotonic sums, histograms) is added to the held one when its start time is
  the held point's time; a start time after it is a restart (the delta becomes the value), one
  before it is a misalignment and the point is dropped (the spec's "Sums: detecting alignment
  issues"; the Collector's accumulateHistogram);
* a series not updated for ``metric_expiration`` is dropped (the Collector's ``Collect``).

Exemplars (counters and histogram buckets) go further than the Collector, which shows only the
exemplars of the last point received: the latest exemplar of each bucket (of a counter) is kept
while the series runs on, as the spec asks ("the latest exemplar that falls into each bucket
SHOULD be converted") and as Prometheus client libraries do; a reset or new bucket bounds forget
them.  The agent exports each exemplar once, so without this a bucket's exemplar would vanish
one export interval after the request it points at.

Family names are unique per type: a point whose family (or one of its sample names, such as
``x_total`` of a counter ``x``) is held by a family of another type is refused, as the spec
requires ("Exporters MUST drop entire metrics to prevent conflicting TYPE comments"); the first
HELP and UNIT of a family win.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = [
    "COUNTER",
    "GAUGE",
    "HISTOGRAM",
    "SUMMARY",
    "Exemplar",
    "Family",
    "Histogram",
    "Point",
    "Series",
    "SeriesStore",
    "Summary",
    "Target",
    "Update",
]

# Exposed types (Prometheus TYPE); a non-monotonic sum is a gauge.
GAUGE = "gauge"
COUNTER = "counter"
HISTOGRAM = "histogram"
SUMMARY = "summary"

Labels = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Exemplar:
    """An exemplar as exposed: labels (``trace_id``, ``span_id``, ...), value, time (0: none)."""

    labels: tuple[tuple[str, str], ...]
    value: float
    time_ns: int


@dataclass(frozen=True, slots=True)
class Histogram:
    """Explicit-bucket histogram value: ``counts`` per OTLP bucket (``len(bounds) + 1``)."""

    bounds: tuple[float, ...]
    counts: tuple[int, ...]
    count: int
    sum: float

    def bucket_of(self, value: float) -> int:
        """Index of the bucket ``value`` falls in: bucket i is (bounds[i-1], bounds[i]]."""
        return bisect.bisect_left(self.bounds, value)


@dataclass(frozen=True, slots=True)
class Summary:
    count: int
    sum: float
    quantiles: tuple[tuple[float, float], ...]  # (quantile, value), ascending


@dataclass(frozen=True, slots=True)
class Point:
    """One converted data point.  ``delta``: a delta monotonic sum or delta histogram."""

    value: float | Histogram | Summary
    start_ns: int
    time_ns: int
    delta: bool = False
    exemplars: tuple[Exemplar, ...] = ()


@dataclass(frozen=True, slots=True)
class Target:
    """What ``target_info`` says of a resource: its job, instance and other labels."""

    job: str
    instance: str
    labels: Labels


@dataclass(frozen=True, slots=True)
class Update:
    """A point for the series ``(family, labels)``; ``point`` None removes the series (the OTLP
    ``NoRecordedValue`` flag, as the Collector does)."""

    family: str
    type: str
    help: str
    unit: str
    labels: Labels
    point: Point | None
    target: Target | None


@dataclass(slots=True)
class Family:
    name: str
    type: str
    help: str
    unit: str
    names: tuple[str, ...]
    series: int = 0


@dataclass(slots=True)
class Series:
    family: Family
    labels: Labels
    point: Point
    # Counters: {0: latest}; histograms: bucket index -> latest exemplar in that bucket.
    exemplars: dict[int, Exemplar]
    target: Target | None
    updated: float = 0.0


def sample_names(name: str, type_: str) -> tuple[str, ...]:
    """Every name a family's samples use in either exposition format."""
    if type_ == COUNTER:
        base = name.removesuffix("_total")
        return (base, base + "_total")
    if type_ == HISTOGRAM:
        return (name, name + "_bucket", name + "_count", name + "_sum")
    if type_ == SUMMARY:
        return (name, name + "_count", name + "_sum")
    return (name,)


def _latest(exemplars: Iterable[Exemplar]) -> Exemplar | None:
    best = None
    for ex in exemplars:
        if best is None or ex.time_ns >= best.time_ns:
            best = ex
    return best


def _exemplars_of(point: Point, type_: str, kept: dict[int, Exemplar]) -> dict[int, Exemplar]:
    """``kept`` updated with the point's exemplars: the latest per bucket (per counter)."""
    if not point.exemplars:
        return kept
    out = dict(kept)
    if type_ == COUNTER:
        latest = _latest((*point.exemplars, *out.values()))
        return {0: latest} if latest is not None else {}
    if type_ == HISTOGRAM:
        hist = point.value
        for ex in point.exemplars:
            index = hist.bucket_of(ex.value)
            held = out.get(index)
            if held is None or ex.time_ns >= held.time_ns:
                out[index] = ex
    return out


def _add_histograms(prev: Histogram, new: Histogram) -> Histogram:
    """The Collector's accumulateHistogramValues: buckets added when the bounds match, else the new."""
    if prev.bounds != new.bounds:
        return new
    return Histogram(
        new.bounds,
        tuple(a + b for a, b in zip(prev.counts, new.counts, strict=True)),
        prev.count + new.count,
        prev.sum + new.sum,
    )


class SeriesStore:
    """Thread-safe map of series; :meth:`apply` from pipelines, :meth:`snapshot` from scrapes.

    Args:
        expiration_s: A series not updated for this long is dropped (``metric_expiration``).
        clock: Monotonic seconds (injectable for tests).
        reserved: Names no family may use (``target_info``).
    """

    def __init__(
        self, expiration_s: float, clock: Callable[[], float] = time.monotonic, reserved: Iterable[str] = ()
    ) -> None:
        self.expiration_s = expiration_s
        self._clock = clock
        self._lock = threading.Lock()
        self._series: dict[tuple[str, Labels], Series] = {}
        self._families: dict[str, Family] = {}
        self._names: dict[str, Family] = {}  # every sample name -> the family using it
        self._reserved = frozenset(reserved)
        self.expired = 0

    def __len__(self) -> int:
        return len(self._series)

    def apply(self, updates: Iterable[Update]) -> dict[str, int]:
        """Stores the updates; returns {reason: points refused}."""
        refused: dict[str, int] = {}
        now = self._clock()
        with self._lock:
            for update in updates:
                reason = self._apply(update, now)
                if reason is not None:
                    refused[reason] = refused.get(reason, 0) + 1
        return refused

    def _family(self, update: Update) -> Family | str:
        family = self._families.get(update.family)
        if family is not None:
            return family if family.type == update.type else "type_conflict"
        names = sample_names(update.family, update.type)
        for name in names:
            if name in self._reserved or name in self._names:
                return "type_conflict"
        family = Family(update.family, update.type, update.help, update.unit, names)
        self._families[update.family] = family
        for name in names:
            self._names[name] = family
        return family

    def _apply(self, update: Update, now: float) -> str | None:
        key = (update.family, update.labels)
        series = self._series.get(key)
        if update.point is None:
            if series is not None:
                self._drop(key, series)
            return None
        if series is None:
            family = self._family(update)
            if isinstance(family, str):
                return family
            family.series += 1
            point = update.point
            exemplars = _exemplars_of(point, family.type, {})
            self._series[key] = Series(family, update.labels, point, exemplars, update.target, now)
            return None

        prev = series.point
        point = update.point
        kept = series.exemplars
        if point.delta:
            if point.start_ns == prev.time_ns:
                value = point.value
                if isinstance(value, Histogram) and isinstance(prev.value, Histogram):
                    if prev.value.bounds != value.bounds:
                        kept = {}
                    value = _add_histograms(prev.value, value)
                elif isinstance(value, float) and isinstance(prev.value, float):
                    value = prev.value + value
                point = Point(value, prev.start_ns, point.time_ns, True, point.exemplars)
            elif point.start_ns < prev.time_ns:
                return "misaligned_delta"
            else:
                kept = {}  # a restart: the delta is the new running total
        else:
            if point.time_ns < prev.time_ns:
                return "out_of_order"
            if point.start_ns != prev.start_ns or (
                isinstance(point.value, Histogram)
                and isinstance(prev.value, Histogram)
                and point.value.bounds != prev.value.bounds
            ):
                kept = {}
        series.point = point
        series.exemplars = _exemplars_of(point, series.family.type, kept)
        series.target = update.target
        series.updated = now
        return None

    def _drop(self, key: tuple[str, Labels], series: Series) -> None:
        del self._series[key]
        family = series.family
        family.series -= 1
        if family.series <= 0:
            del self._families[family.name]
            for name in family.names:
                self._names.pop(name, None)

    def sweep(self) -> int:
        """Drops the series not updated for ``expiration_s``; returns how many."""
        deadline = self._clock() - self.expiration_s
        with self._lock:
            old = [(key, s) for key, s in self._series.items() if s.updated < deadline]
            for key, series in old:
                self._drop(key, series)
            self.expired += len(old)
        return len(old)

    def snapshot(self) -> tuple[list[tuple[Family, list[Series]]], list[Target]]:
        """Families (by name) with their series (by labels), and one target per (job, instance).

        Points, exemplar maps and a family's name, type, help and unit are never changed in
        place, so the copies can be read without the lock.  A target comes from the most recently updated series of its
        (job, instance): the spec allows one ``target_info`` per job and instance.
        """
        with self._lock:
            series = [
                Series(s.family, s.labels, s.point, s.exemplars, s.target, s.updated) for s in self._series.values()
            ]
        grouped: dict[str, list[Series]] = {}
        targets: dict[tuple[str, str], tuple[float, Target]] = {}
        for s in series:
            grouped.setdefault(s.family.name, []).append(s)
            t = s.target
            if t is not None:
                held = targets.get((t.job, t.instance))
                if held is None or s.updated > held[0]:
                    targets[(t.job, t.instance)] = (s.updated, t)
        out = []
        for name in sorted(grouped):
            members = grouped[name]
            members.sort(key=lambda s: s.labels)
            out.append((members[0].family, members))
        return out, [t for _, (_, t) in sorted(targets.items())]
