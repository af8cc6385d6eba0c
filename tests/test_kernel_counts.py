"""The userspace half of shedding (docs/cost.md), without a kernel: the reader of the kernel's
``shed_counts`` map, the metrics that add its counts to the exchanges' series, and the tracker's
resync after shed exchanges.  The kernel half is tested against real nginx in test_shedding.py."""

from __future__ import annotations

import dataclasses
import random

import pytest

from otel_ebpf.kernel.records import (
    ROLE_CLIENT,
    ROLE_SERVER,
    SHED_BOUNDS_NS,
    SHED_KEY,
    SHED_OVERFLOW_KEY,
    SHED_VALUE,
)
from otel_ebpf.model import HttpExchange, ProcessInfo, Role
from otel_ebpf.receivers.ebpf import events as ev
from otel_ebpf.receivers.ebpf.connections import ConnectionTracker
from otel_ebpf.receivers.ebpf.kernel_counts import BOUNDS_S, KernelCounts
from otel_ebpf.telemetry.http_metrics import DURATION_BUCKETS, SERVER_DURATION, HttpMetrics
from otel_ebpf.telemetry.outcome import count_buckets
from tests.kernel_socket import KernelSocket

N_BUCKETS = len(SHED_BOUNDS_NS) + 1
NO_MIN = (1 << 64) - 1
PROCESS = ProcessInfo(77, "server", "server", {"service.name": "shop"})


def _value(count=0, sum_ns=0, buckets=None, low=NO_MIN, high=0, comm=b"", path=b"") -> bytes:
    buckets = buckets or [0] * N_BUCKETS
    return SHED_VALUE.struct.pack(count, sum_ns, *buckets, low, high, comm, path)


def _bucket(ns: int) -> list[int]:
    out = [0] * N_BUCKETS
    out[sum(1 for b in SHED_BOUNDS_NS if ns > b)] += 1
    return out


class _Map:
    """Per-CPU values of a few keys, as BPF_MAP_LOOKUP_ELEM returns them (2 CPUs)."""

    def __init__(self) -> None:
        self.items: dict[bytes, list[bytes]] = {SHED_OVERFLOW_KEY: [_value(), _value()]}
        self.deleted: list[bytes] = []

    def read(self, fd, key_size, value_size):
        assert key_size == SHED_KEY.size and value_size == 2 * SHED_VALUE.size
        return [(k, b"".join(v)) for k, v in self.items.items()]

    def delete(self, fd, key) -> bool:
        self.deleted.append(key)
        return self.items.pop(key, None) is not None


def _key(tgid=77, role=ROLE_SERVER, method=1, status=200, port=8080, path_hash=5, minor=1, tls=0) -> bytes:
    return SHED_KEY.struct.pack(path_hash, tgid, status, port, role, method, minor, tls)


def test_the_reader_sums_cpus_and_hands_over_what_each_entry_gained():
    kmap = _Map()
    alive = {77}
    counts = KernelCounts(0, 2, lambda pid, comm: PROCESS, read=kmap.read, alive=alive.__contains__, delete=kmap.delete)
    key = _key()
    # CPU 0 made the entry (comm, path); CPU 1 counted into it later.
    kmap.items[key] = [
        _value(2, 6_000_000, [1, 1] + [0] * 13, 2_000_000, 4_000_000, b"nginx", b"/items/42"),
        _value(1, 30_000_000, _bucket(30_000_000), 30_000_000, 30_000_000),
    ]
    (first,) = counts.poll(now=0.0)
    c = first.count
    assert (first.pid, first.comm, first.port, first.path) == (77, "nginx", 8080, "/items/42")
    assert (c.method, c.status_code, c.error_type, c.role, c.http_version) == ("GET", 200, None, Role.SERVER, "1.1")
    assert c.count == 3 and c.sum_s == pytest.approx(0.036) and sum(c.bucket_counts) == 3
    assert (c.min_s, c.max_s) == (0.002, 0.03) and c.process is PROCESS and c.bounds_s == DURATION_BUCKETS
    assert counts.poll(now=0.5) == []  # once per interval
    kmap.items[key][1] = _value(3, 90_000_000, [0, 0, 0, 3] + [0] * 11, 30_000_000, 30_000_000)
    (second,) = counts.poll(now=1.0)
    assert second.count.count == 2 and second.count.sum_s == pytest.approx(0.06)
    assert second.count.bucket_counts[3] == 2 and sum(second.count.bucket_counts) == 2
    assert counts.counted == 5
    # A process that is gone: its idle entry is removed at the next sweep (once a minute).
    alive.clear()
    assert counts.poll(now=2.0) == []
    counts._last_sweep = -100.0
    assert counts.poll(now=3.0) == [] and kmap.deleted == [key]


def test_statuses_errors_clients_and_the_overflow_entry():
    kmap = _Map()
    counts = KernelCounts(0, 2, lambda pid, comm: PROCESS, read=kmap.read)
    kmap.items[_key(status=503)] = [_value(1, 1, _bucket(1), 1, 1, b"nginx", b"/a"), _value()]
    kmap.items[_key(status=0, path_hash=6)] = [_value(1, 1, _bucket(1), 1, 1, b"nginx", b"/b"), _value()]
    kmap.items[_key(role=ROLE_CLIENT, status=404, port=443, method=2)] = [
        _value(1, 1, _bucket(1), 1, 1, b"curl", b"/c"),
        _value(),
    ]
    kmap.items[SHED_OVERFLOW_KEY] = [_value(), _value(4, 4, [4] + [0] * 14, 1, 1)]
    got = {(s.path, s.count.status_code): s for s in counts.poll(now=0.0)}
    assert got[("/a", 503)].count.error_type == "503"
    assert got[("/b", None)].count.error_type == "connection_reset"  # no response before the end
    client = got[("/c", 404)].count
    assert (client.role, client.error_type, client.server_port, client.method) == (Role.CLIENT, "404", 443, "POST")
    overflow = got[("/", None)]
    assert overflow.pid == 0 and overflow.count.count == 4 and overflow.count.process is None
    # health_score and slo count the server's requests: the 503 and the unanswered one are system errors.
    kinds = sorted((route, kind) for _, route, _, kind, _, _ in count_buckets(s.count for s in got.values()))
    assert kinds == [("/", 1), ("/", 1), ("/", 1)]  # route is resolved by the receiver: None until then


def test_counts_go_into_the_series_of_the_same_exchanges():
    metrics = HttpMetrics()
    x = HttpExchange()
    x.role, x.process, x.method, x.status_code, x.route, x.http_version = Role.SERVER, PROCESS, "GET", 200, "/r", "1.1"
    x.start_time_ns, x.end_time_ns = 0, 3_000_000
    metrics.record([x])
    kmap = _Map()
    entry = _value(2, 40_000_000, [0, 0, 2] + [0] * 12, 15_000_000, 25_000_000, b"nginx", b"/r")
    kmap.items[_key()] = [entry, _value()]
    (shed,) = KernelCounts(0, 2, lambda pid, comm: PROCESS, read=kmap.read).poll(now=0.0)
    metrics.record_counts([dataclasses.replace(shed.count, route="/r")])
    (rm,) = metrics.collect(10)
    (metric,) = rm.scope_metrics[0].metrics
    assert metric.name == SERVER_DURATION
    (point,) = metric.histogram.data_points
    assert point.count == 3 and point.sum == pytest.approx(0.043)
    assert list(point.bucket_counts)[:3] == [1, 0, 2] and point.min == 0.003 and point.max == 0.025
    assert BOUNDS_S == DURATION_BUCKETS


def test_counts_over_tls_go_into_the_https_series():
    metrics = HttpMetrics()
    x = HttpExchange()
    x.role, x.process, x.method, x.status_code, x.route, x.http_version = Role.SERVER, PROCESS, "GET", 200, "/r", "1.1"
    x.scheme, x.start_time_ns, x.end_time_ns = "https", 0, 3_000_000
    metrics.record([x])
    kmap = _Map()
    tls_entry = _value(2, 40_000_000, [0, 0, 2] + [0] * 12, 15_000_000, 25_000_000, b"nginx", b"/r")
    kmap.items[_key(tls=1)] = [tls_entry, _value()]
    kmap.items[_key(path_hash=6)] = [
        _value(1, 1_000_000, [1] + [0] * 14, 1_000_000, 1_000_000, b"nginx", b"/r"),
        _value(),
    ]
    sheds = KernelCounts(0, 2, lambda pid, comm: PROCESS, read=kmap.read).poll(now=0.0)
    assert sorted(s.count.scheme for s in sheds) == ["http", "https"]
    metrics.record_counts([dataclasses.replace(s.count, route="/r") for s in sheds])
    (rm,) = metrics.collect(10)
    points = rm.scope_metrics[0].metrics[0].histogram.data_points
    by_scheme = {next(a.value.string_value for a in p.attributes if a.key == "url.scheme"): p.count for p in points}
    assert by_scheme == {"https": 3, "http": 1}


@pytest.mark.parametrize("seed", range(4))
def test_the_tracker_resumes_after_shed_exchanges_without_counting_them_lost(seed):
    rng = random.Random(seed)
    kernel = KernelSocket()
    events, kept = [], 0
    for i in range(300):
        shed = rng.random() < 0.6 or (seed == 0 and i == 0)  # seed 0: the connection's first exchange too
        kept += not shed
        request = f"GET /r/{i} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
        body = str(i).encode()
        response = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
        events += [kernel.data(ev.DIR_INBOUND, request, shed), kernel.data(ev.DIR_OUTBOUND, response, shed)]
    events.append(kernel.close())  # after a shed exchange, when the last one was
    tracker = ConnectionTracker(lambda pid, comm: PROCESS)
    out: list[HttpExchange] = []
    tracker.process([e for e in events if e is not None], out)
    assert len(out) == kept
    assert all(x.path == f"/r/{x.response_body.decode()}" for x in out)
    stats = tracker.http_stats
    assert sum(stats.dropped_by_reason.values()) == 0 and stats.unprocessed_requests == 0
    assert stats.unmatched_responses == 0
    assert tracker.stats.resyncs > 0
