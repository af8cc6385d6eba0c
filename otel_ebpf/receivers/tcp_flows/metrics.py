"""OTLP metrics (``otel_ebpf.tcp.*``) from flow snapshots, as ``metrics_pb2`` messages built directly.

One ``ResourceMetrics`` per local process (its resource from the :class:`ProcessResolver`);
flows whose process is unknown (accepted by a listener older than the agent, resets sent for
no socket) and the overflow flow go under the ``unknown_service`` resource.  The overflow flow
carries the single attribute ``otel.metric.overflow=true`` (the SDK's convention).

Counters are cumulative monotonic sums starting at the flow's creation in the kernel, so a
restarted agent that resumes pinned maps continues the same series.
"""

from __future__ import annotations

from collections.abc import Callable

from opentelemetry.proto.common.v1.common_pb2 import InstrumentationScope
from opentelemetry.proto.metrics.v1 import metrics_pb2

from otel_ebpf import __version__
from otel_ebpf.model import ProcessInfo
from otel_ebpf.receivers.tcp_flows.layout import CLOSE_REASONS, CONNECT_BOUNDS_S
from otel_ebpf.receivers.tcp_flows.reader import FlowSnapshot
from otel_ebpf.telemetry.attributes import to_key_values
from otel_ebpf.telemetry.resource import UNKNOWN_PROCESS, resource_message
from otel_ebpf.telemetry.semconv import SCHEMA_URL

__all__ = ["build_metrics", "METRIC_NAMES"]

_CUMULATIVE = metrics_pb2.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
# Connect failures: the kernel's reasons renamed for what they mean before establishment.
_FAILURE_REASONS = {"reset_received": "refused", "timeout": "timeout", "aborted": "aborted"}

CONNECTIONS = "otel_ebpf.tcp.connections"
OPEN = "otel_ebpf.tcp.connections.open"
FAILURES = "otel_ebpf.tcp.connection.failures"
CLOSES = "otel_ebpf.tcp.connection.closes"
CONNECT_DURATION = "otel_ebpf.tcp.connect.duration"
BYTES = "otel_ebpf.tcp.bytes"
SEGMENTS = "otel_ebpf.tcp.segments"
RETRANSMITS = "otel_ebpf.tcp.retransmits"
RESETS = "otel_ebpf.tcp.resets"
RTT = "otel_ebpf.tcp.rtt"

# name -> (unit, description, kind)
METRIC_NAMES = {
    CONNECTIONS: ("{connection}", "TCP connections established (client: connect completed; server: accepted).", "sum"),
    OPEN: ("{connection}", "TCP connections currently open.", "updown"),
    FAILURES: ("{connection}", "Client connects that failed, by otel_ebpf.tcp.failure.reason.", "sum"),
    CLOSES: ("{connection}", "Established TCP connections that ended, by otel_ebpf.tcp.close.reason.", "sum"),
    CONNECT_DURATION: (
        "s",
        "Handshake duration: client SYN sent to established; server first SYN-ACK sent to final ACK received.",
        "histogram",
    ),
    BYTES: ("By", "Payload bytes moved by socket calls, by network.io.direction.", "sum"),
    SEGMENTS: ("{segment}", "TCP segments sent (retransmissions included) and received, per direction.", "sum"),
    RETRANSMITS: ("{segment}", "TCP segments retransmitted.", "sum"),
    RESETS: ("{segment}", "TCP resets, by network.io.direction (transmit: sent by this host).", "sum"),
    RTT: ("s", "Smoothed round-trip time: mean of the kernel's srtt samples since the previous collect.", "gauge"),
}


def _flow_attributes(snap: FlowSnapshot) -> tuple:
    key = snap.key
    if key.overflow:
        return (("otel.metric.overflow", True),)
    attrs: list[tuple[str, object]] = [
        ("network.peer.address", key.peer),
        ("server.port", key.server_port),
    ]
    if key.direction == "client":
        attrs.append(("server.address", key.peer))
    attrs += [
        ("network.transport", "tcp"),
        ("network.type", key.network_type),
        ("otel_ebpf.tcp.direction", key.direction),
    ]
    return tuple(attrs)


class _Builder:
    """Data points of one resource, grouped by metric."""

    def __init__(self) -> None:
        self.points: dict[str, list] = {name: [] for name in METRIC_NAMES}

    def add(self, snap: FlowSnapshot, start_ns: int, now_ns: int) -> None:
        s = snap.stats
        base = _flow_attributes(snap)
        now_ns = max(now_ns, start_ns)

        def num(name: str, value: int | float, extra: tuple = ()) -> None:
            point = metrics_pb2.NumberDataPoint(
                attributes=to_key_values(base + extra), start_time_unix_nano=start_ns, time_unix_nano=now_ns
            )
            if isinstance(value, float):
                point.as_double = value
            else:
                point.as_int = value
            self.points[name].append(point)

        num(CONNECTIONS, s.connects)
        num(OPEN, max(0, s.active))
        for i, reason in enumerate(CLOSE_REASONS):
            if reason in _FAILURE_REASONS and s.connect_failures[i]:
                num(FAILURES, s.connect_failures[i], (("otel_ebpf.tcp.failure.reason", _FAILURE_REASONS[reason]),))
            if s.closes[i]:
                num(CLOSES, s.closes[i], (("otel_ebpf.tcp.close.reason", reason),))
        num(BYTES, s.bytes_sent, (("network.io.direction", "transmit"),))
        num(BYTES, s.bytes_received, (("network.io.direction", "receive"),))
        num(SEGMENTS, s.segs_received, (("network.io.direction", "receive"),))
        num(SEGMENTS, s.segs_sent, (("network.io.direction", "transmit"),))
        num(RETRANSMITS, s.retransmits)
        num(RESETS, s.resets_sent, (("network.io.direction", "transmit"),))
        num(RESETS, s.resets_received, (("network.io.direction", "receive"),))
        if snap.rtt_s is not None:
            self.points[RTT].append(
                metrics_pb2.NumberDataPoint(attributes=to_key_values(base), time_unix_nano=now_ns, as_double=snap.rtt_s)
            )
        count = s.connect_count
        if count:
            self.points[CONNECT_DURATION].append(
                metrics_pb2.HistogramDataPoint(
                    attributes=to_key_values(base),
                    start_time_unix_nano=start_ns,
                    time_unix_nano=now_ns,
                    count=count,
                    sum=s.connect_ns_sum / 1e9,
                    bucket_counts=list(s.connect_buckets),
                    explicit_bounds=list(CONNECT_BOUNDS_S),
                )
            )

    def metrics(self) -> list[metrics_pb2.Metric]:
        out = []
        for name, points in self.points.items():
            if not points:
                continue
            unit, description, kind = METRIC_NAMES[name]
            metric = metrics_pb2.Metric(name=name, unit=unit, description=description)
            if kind == "histogram":
                histogram = metrics_pb2.Histogram(aggregation_temporality=_CUMULATIVE, data_points=points)
                metric.histogram.CopyFrom(histogram)
            elif kind == "gauge":
                metric.gauge.CopyFrom(metrics_pb2.Gauge(data_points=points))
            else:
                metric.sum.CopyFrom(
                    metrics_pb2.Sum(aggregation_temporality=_CUMULATIVE, is_monotonic=kind == "sum", data_points=points)
                )
            out.append(metric)
        return out


def build_metrics(
    snapshots: list[FlowSnapshot],
    resolve: Callable[[int], ProcessInfo | None],
    boot_wall_ns: int,
    now_ns: int,
    scope_version: str = __version__,
) -> list[metrics_pb2.ResourceMetrics]:
    """``ResourceMetrics`` for every flow, one per local process.

    Args:
        snapshots: Flows as read by :class:`FlowReader`.
        resolve: pid -> ProcessInfo (None when the process cannot be resolved).
        boot_wall_ns: Wall-clock time of monotonic zero: converts the kernel's first_ns to a start time.
        now_ns: Collection time (wall-clock ns).
    """
    by_process: dict[tuple, tuple[ProcessInfo, _Builder]] = {}
    for snap in snapshots:
        tgid = snap.key.tgid
        process = None if snap.key.overflow or tgid == 0 else resolve(tgid)
        process = process or UNKNOWN_PROCESS
        entry = by_process.get(process.key)
        if entry is None:
            entry = by_process[process.key] = (process, _Builder())
        start_ns = boot_wall_ns + snap.stats.first_ns if snap.stats.first_ns else now_ns
        entry[1].add(snap, start_ns, now_ns)
    scope = InstrumentationScope(name="otel_ebpf.tcp", version=scope_version)
    out = []
    for process, builder in by_process.values():
        metrics = builder.metrics()
        if metrics:
            out.append(
                metrics_pb2.ResourceMetrics(
                    resource=resource_message(process),
                    scope_metrics=[metrics_pb2.ScopeMetrics(scope=scope, metrics=metrics, schema_url=SCHEMA_URL)],
                )
            )
    return out
