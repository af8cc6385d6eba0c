"""Request-duration histograms: ``http.{server,client}.request.duration`` and, for gRPC calls,
``rpc.{server,client}.call.duration`` (RPC conventions, see :mod:`otel_ebpf.telemetry.rpc`).

``record`` sees every exchange (before sampling) and is on the hot path: one attribute tuple,
one dict lookup, one ``bisect`` and a few adds per exchange; no protobuf until ``collect``,
which the agent calls once per export interval and which returns cumulative histograms.

Series are keyed per resource (``exchange.process.key``) and per metric by a tuple of
attribute *values* in a fixed order (see ``_SERVER_KEYS``/``_CLIENT_KEYS``); ``url.scheme``
is ``https`` for exchanges read from a TLS library, else ``http``.  ``url.path`` is never an attribute.

Cardinality: at most ``max_series`` series per metric per resource; further combinations are
recorded into the series ``otel.metric.overflow=true`` (the SDK's convention) and counted in
:attr:`HttpMetrics.overflowed`.

Exemplars: for exchanges with an ``error.type``, a semantic error, or flagged ``keep`` by a processor (SLO
violations, latency-threshold breaches), the latest exemplar per bucket is kept and exported
with the next collect, then cleared (as the SDK's reservoirs are).  The agent exports the
spans of exactly those exchanges whatever the sampling, so every exemplar points at a span.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterable, Mapping

from opentelemetry.proto.common.v1.common_pb2 import InstrumentationScope
from opentelemetry.proto.metrics.v1 import metrics_pb2

from otel_ebpf import __version__
from otel_ebpf.model import HttpExchange, ProcessInfo, RequestCount, Role
from otel_ebpf.telemetry.attributes import to_key_values
from otel_ebpf.telemetry.hosts import parse_host
from otel_ebpf.telemetry.resource import UNKNOWN_PROCESS, resource_message
from otel_ebpf.telemetry.rpc import status_name
from otel_ebpf.telemetry.self_metrics import Attrs
from otel_ebpf.telemetry.semconv import KNOWN_METHODS, OTHER, SCHEMA_URL, classify

__all__ = ["DURATION_BUCKETS", "HttpMetrics"]

DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)
SERVER_DURATION = "http.server.request.duration"
CLIENT_DURATION = "http.client.request.duration"
RPC_SERVER_DURATION = "rpc.server.call.duration"
RPC_CLIENT_DURATION = "rpc.client.call.duration"
_DESCRIPTIONS = {
    SERVER_DURATION: "Duration of HTTP server requests.",
    CLIENT_DURATION: "Duration of HTTP client requests.",
    RPC_SERVER_DURATION: "Measures the duration of inbound remote procedure calls (RPC).",
    RPC_CLIENT_DURATION: "Measures the duration of outbound remote procedure calls (RPC).",
}

# Attribute names for the positions of a series key tuple.
_SERVER_KEYS = (
    "http.request.method",
    "http.response.status_code",
    "http.route",
    "network.protocol.version",
    "error.type",
    "url.scheme",
)
_CLIENT_KEYS = _SERVER_KEYS + ("server.address", "server.port")
_RPC_SERVER_KEYS = ("rpc.system.name", "rpc.method", "rpc.response.status_code", "error.type", "server.port")
_RPC_CLIENT_KEYS = ("rpc.system.name", "rpc.method", "rpc.response.status_code", "error.type")
_RPC_CLIENT_KEYS += ("server.address", "server.port")
_ERROR_KIND = "otel_ebpf.error.kind"  # set by semantic_errors on business and system errors
_OVERFLOW = ("__overflow__",)  # a key no real tuple can equal
_CUMULATIVE = metrics_pb2.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
_SERVER = Role.SERVER
_CLIENT = Role.CLIENT


class _Series:
    """One histogram data point's running state."""

    __slots__ = ("count", "total", "min", "max", "buckets", "start_ns", "exemplars")

    def __init__(self, n_buckets: int, start_ns: int) -> None:
        self.count = 0
        self.total = 0.0
        self.min = float("inf")
        self.max = float("-inf")
        self.buckets = [0] * n_buckets
        self.start_ns = start_ns
        # bucket index -> (trace_id, span_id, value, time_ns)
        self.exemplars: dict[int, tuple[bytes, bytes, float, int]] = {}


class _ResourceState:
    __slots__ = ("process", "server", "client", "rpc_server", "rpc_client", "idle_collects", "last_count")

    def __init__(self, process: ProcessInfo) -> None:
        self.process = process
        self.server: dict[tuple, _Series] = {}
        self.client: dict[tuple, _Series] = {}
        self.rpc_server: dict[tuple, _Series] = {}
        self.rpc_client: dict[tuple, _Series] = {}
        self.idle_collects = 0
        self.last_count = 0


def _copy_series(series_map: Mapping[tuple, _Series]) -> list[tuple[tuple, _Series]]:
    """Detached copies of the non-empty series; exemplars move to the copy (exported once)."""
    out = []
    for attrs, s in series_map.items():
        if s.count:
            c = _Series(0, s.start_ns)
            c.count, c.total, c.min, c.max, c.buckets = s.count, s.total, s.min, s.max, s.buckets[:]
            c.exemplars, s.exemplars = s.exemplars, {}
            out.append((attrs, c))
    return out


class HttpMetrics:
    """Cumulative HTTP duration histograms per process resource.

    Args:
        max_series: Distinct attribute combinations per metric per resource.
        boundaries: Explicit bucket boundaries in seconds (semconv defaults).
        scope_version: Version of the ``otel_ebpf`` scope.
        expire_after_collects: A resource that recorded nothing for this many consecutive
            collects is dropped after that collect (its process is gone); 0 keeps forever.
    """

    def __init__(
        self,
        max_series: int = 2000,
        boundaries: Iterable[float] = DURATION_BUCKETS,
        scope_version: str = __version__,
        expire_after_collects: int = 10,
    ) -> None:
        self.max_series = max_series
        self.boundaries = tuple(float(b) for b in boundaries)
        if list(self.boundaries) != sorted(set(self.boundaries)):
            raise ValueError("boundaries must be strictly increasing")
        self.expire_after_collects = expire_after_collects
        self._scope = InstrumentationScope(name="otel_ebpf", version=scope_version)
        self._states: dict[tuple, _ResourceState] = {}
        self._lock = threading.Lock()
        self.overflowed = 0  # records that went to an overflow series
        self.invalid = 0  # records that could not be recorded (bad fields, unknown role)

    # -- hot path -------------------------------------------------------------------------------

    def record(self, exchanges: Iterable[HttpExchange]) -> None:
        """Add every exchange's duration to its series (call with all exchanges, before sampling)."""
        bounds = self.boundaries
        n_buckets = len(bounds) + 1
        states = self._states
        last_key: tuple | None = None
        state: _ResourceState | None = None
        with self._lock:
            for ex in exchanges:
                try:
                    process = ex.process or UNKNOWN_PROCESS
                    key = process.key
                    if key != last_key:
                        state = states.get(key)
                        if state is None:
                            state = states[key] = _ResourceState(process)
                        last_key = key
                    role = ex.role
                    method = ex.method
                    if method not in KNOWN_METHODS:
                        method = OTHER
                    _, err = classify(ex)
                    if ex.rpc_system:
                        series_map, attrs = self._rpc_series(state, ex, err)
                        if series_map is None:
                            self.invalid += 1
                            continue
                    elif role == _SERVER:
                        series_map = state.server  # type: ignore[union-attr]
                        attrs: tuple = (method, ex.status_code, ex.route, ex.http_version, err, ex.scheme)
                    elif role == _CLIENT:
                        series_map = state.client  # type: ignore[union-attr]
                        host_header = ex.request_headers.get("host")
                        server_addr = parse_host(host_header)[0] if host_header else ""
                        attrs = (
                            method,
                            ex.status_code,
                            ex.route,
                            ex.http_version,
                            err,
                            ex.scheme,
                            server_addr or ex.peer_address,
                            ex.peer_port,
                        )
                    else:
                        self.invalid += 1
                        continue
                    end = ex.end_time_ns
                    duration = (end - ex.start_time_ns) / 1e9
                    if duration < 0.0:
                        duration = 0.0
                    series = series_map.get(attrs)
                    if series is None:
                        series = self._new_series(series_map, attrs, n_buckets, end)
                    index = bisect_left(bounds, duration)
                    series.buckets[index] += 1
                    series.count += 1
                    series.total += duration
                    if duration < series.min:
                        series.min = duration
                    if duration > series.max:
                        series.max = duration
                    if err is not None or ex.keep or (ex.attributes and _ERROR_KIND in ex.attributes):
                        if ex.trace_id and ex.span_id:
                            series.exemplars[index] = (ex.trace_id, ex.span_id, duration, end)
                except Exception:  # bad record: count and ignore
                    self.invalid += 1

    @staticmethod
    def _rpc_series(state: _ResourceState, ex: HttpExchange, err: str | None) -> tuple[dict | None, tuple]:
        """The series map and key of a gRPC call (``rpc.*.call.duration``)."""
        method = ex.rpc_method
        if "/" not in method or method.startswith("/") or method.endswith("/"):
            method = OTHER
        code = ex.rpc_status
        status = status_name(code) if code is not None and code >= 0 else None  # (-1: STATUS_UNDECODED)
        if ex.role == _SERVER:
            return state.rpc_server, (ex.rpc_system, method, status, err, ex.local_port)
        if ex.role == _CLIENT:
            host_header = ex.request_headers.get("host")
            server_addr = parse_host(host_header)[0] if host_header else ""
            return state.rpc_client, (ex.rpc_system, method, status, err, server_addr or ex.peer_address, ex.peer_port)
        return None, ()

    def _new_series(self, series_map: dict, attrs: tuple, n_buckets: int, start_ns: int) -> _Series:
        """The series for attributes not seen yet (under the lock): a new one, or past
        ``max_series`` the overflow series (counted)."""
        if len(series_map) >= self.max_series:
            self.overflowed += 1
            series = series_map.get(_OVERFLOW)
            if series is not None:
                return series
            attrs = _OVERFLOW
        series = series_map[attrs] = _Series(n_buckets, start_ns)
        return series

    def record_counts(self, counts: Iterable[RequestCount]) -> None:
        """Add requests known only as counts (the exchanges the kernel shed) to their series.

        The series is the one the process's exchanges of the same attributes go to.  Counts
        without ``process`` (made from received histograms, forwarded as they came) and counts
        with other bucket bounds are not recorded (the latter are counted in ``invalid``).
        """
        bounds = self.boundaries
        n_buckets = len(bounds) + 1
        with self._lock:
            for c in counts:
                process = c.process
                if process is None:
                    continue
                if c.bounds_s != bounds or len(c.bucket_counts) != n_buckets:
                    self.invalid += 1
                    continue
                state = self._states.get(process.key)
                if state is None:
                    state = self._states[process.key] = _ResourceState(process)
                method = c.method if c.method in KNOWN_METHODS else OTHER
                attrs: tuple = (method, c.status_code, c.route, c.http_version, c.error_type, c.scheme)
                if c.role == _SERVER:
                    series_map = state.server
                elif c.role == _CLIENT:
                    series_map = state.client
                    attrs += (c.server_address, c.server_port)
                else:
                    self.invalid += 1
                    continue
                series = series_map.get(attrs)
                if series is None:
                    series = self._new_series(series_map, attrs, n_buckets, c.time_ns)
                buckets = series.buckets
                for i, n in enumerate(c.bucket_counts):
                    buckets[i] += n
                series.count += c.count
                series.total += c.sum_s or 0.0
                low = c.min_s if c.min_s is not None else (c.sum_s or 0.0) / max(c.count, 1)
                high = c.max_s if c.max_s is not None else low
                if low < series.min:
                    series.min = low
                if high > series.max:
                    series.max = high

    # -- export -------------------------------------------------------------------------------

    def collect(self, now_ns: int) -> list[metrics_pb2.ResourceMetrics]:
        """Cumulative histograms of every live series, one ``ResourceMetrics`` per process.

        Args:
            now_ns: Collection time (``time_unix_nano`` of every point).
        """
        # Copy the numbers under the lock and build protobuf outside it: record() must not wait
        # for thousands of messages to be built.
        with self._lock:
            snapshot = []
            for key, state in list(self._states.items()):
                count = sum(
                    s.count
                    for series_map in (state.server, state.client, state.rpc_server, state.rpc_client)
                    for s in series_map.values()
                )
                if count == state.last_count:
                    state.idle_collects += 1
                else:
                    state.idle_collects = 0
                    state.last_count = count
                snapshot.append(
                    (
                        state.process,
                        _copy_series(state.server),
                        _copy_series(state.client),
                        _copy_series(state.rpc_server),
                        _copy_series(state.rpc_client),
                    )
                )
                if self.expire_after_collects and state.idle_collects >= self.expire_after_collects:
                    del self._states[key]
        out = []
        for process, server_series, client_series, rpc_server_series, rpc_client_series in snapshot:
            metrics = []
            for name, series, names in (
                (SERVER_DURATION, server_series, _SERVER_KEYS),
                (CLIENT_DURATION, client_series, _CLIENT_KEYS),
                (RPC_SERVER_DURATION, rpc_server_series, _RPC_SERVER_KEYS),
                (RPC_CLIENT_DURATION, rpc_client_series, _RPC_CLIENT_KEYS),
            ):
                points = self._points(series, now_ns, names)
                if points:
                    metrics.append(
                        metrics_pb2.Metric(
                            name=name,
                            unit="s",
                            description=_DESCRIPTIONS[name],
                            histogram=metrics_pb2.Histogram(aggregation_temporality=_CUMULATIVE, data_points=points),
                        )
                    )
            if metrics:
                out.append(
                    metrics_pb2.ResourceMetrics(
                        resource=resource_message(process),
                        scope_metrics=[
                            metrics_pb2.ScopeMetrics(scope=self._scope, metrics=metrics, schema_url=SCHEMA_URL)
                        ],
                    )
                )
        return out

    def _points(
        self, series: list[_Series], now_ns: int, names: tuple[str, ...]
    ) -> list[metrics_pb2.HistogramDataPoint]:
        points = []
        bounds = list(self.boundaries)
        for attrs, s in series:
            point = metrics_pb2.HistogramDataPoint(
                attributes=to_key_values(self._attributes(attrs, names)),
                start_time_unix_nano=s.start_ns,
                time_unix_nano=max(now_ns, s.start_ns),
                count=s.count,
                sum=s.total,
                bucket_counts=s.buckets,
                explicit_bounds=bounds,
                min=s.min,
                max=s.max,
            )
            for index in sorted(s.exemplars):
                trace_id, span_id, value, time_ns = s.exemplars[index]
                point.exemplars.add(trace_id=trace_id, span_id=span_id, as_double=value, time_unix_nano=time_ns)
            points.append(point)
        return points

    @staticmethod
    def _attributes(attrs: tuple, names: tuple[str, ...]) -> Attrs:
        if attrs == _OVERFLOW:
            return (("otel.metric.overflow", True),)
        out: list[tuple[str, object]] = []
        for name, value in zip(names, attrs, strict=True):
            if value is None or value == "" or (name == "server.port" and not value):
                continue
            out.append((name, value))
        return tuple(out)

    def self_metrics(self) -> dict[tuple[str, Attrs], int]:
        """Callback for :meth:`SelfMetrics.register_callback`: overflow and invalid-record counts."""
        return {
            ("otel_ebpf.http_metrics.overflow", ()): self.overflowed,
            ("otel_ebpf.http_metrics.invalid", ()): self.invalid,
        }

    def forget(self, process_key: tuple) -> None:
        """Drop every series of one resource (its process exited)."""
        with self._lock:
            self._states.pop(process_key, None)
