"""Agent CPU per exchange after the receiver: pipelines, processors, span encoding, OTLP/gRPC export.

Usage (it starts rotel: run it under the tests' lock)::

    flock /tmp/otel_ebpf_tests.lock .venv/bin/python bench/bench_pipeline.py [--exchanges N] [--rounds R]
        [--batch B] [--flush-every F] [--bodies K] [--profile FILE]

What it measures: a real :class:`~otel_ebpf.service.Service` built from the default
configuration's processors (``traces: [semantic_errors, batch]``, ``metrics: [semantic_errors,
health_score, batch]``) with an ``otlp`` (gRPC) exporter to a real rotel (``--exporter
blackhole``, in its own process).  A receiver of the bench's own hands the pipelines
``PipelineData(exchanges)`` in receiver-sized batches (``--batch``, 225: what a 50 ms drain holds
at 4,500 req/s); every ``--flush-every`` exchanges (900: 200 ms at 4,500 req/s) the batch
processors are flushed, as their timer would.  Each batch's exchanges are made just before it
goes to the pipelines, as a receiver makes them; the clock is the process's CPU time (every
thread: the pipelines, the exporter's worker, gRPC's own threads) from the first batch until the
exporter's queue is empty, less the main thread's CPU spent making the exchanges, divided by the
exchanges.  Prints the minimum over rounds.

The exchanges are what nginx serving one small JSON document gives: SERVER, ``GET
/api/items/<n>`` (route ``/api/items/{id}``), a few request headers, 200 with
``application/json`` and the same ~120-byte body (``--bodies K``: K different bodies).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from otel_ebpf.component import METRICS, RECEIVERS, TRACES, Component, Factory  # noqa: E402
from otel_ebpf.components import BUILTIN, load_config  # noqa: E402
from otel_ebpf.config import Registry  # noqa: E402
from otel_ebpf.config.schema import Section  # noqa: E402
from otel_ebpf.model import ExchangeSource, HttpExchange, PipelineData, ProcessInfo, Role  # noqa: E402
from otel_ebpf.service import Service  # noqa: E402
from otel_ebpf.telemetry.redaction import Redactor  # noqa: E402

NGINX = ProcessInfo(
    1234,
    "nginx",
    "nginx",
    {
        "service.name": "nginx",
        "service.instance.id": "6f1c1b7e-3d8b-5c1e-9a0a-0b4c3e2d1f00",
        "process.pid": 1234,
        "process.executable.name": "nginx",
        "process.command_line": "nginx: worker process",
        "host.name": "node-1",
        "telemetry.distro.name": "otel-ebpf",
        "telemetry.distro.version": "0.1.0",
    },
)

BODY = (
    b'{"id": 42, "name": "widget", "price": 9.99, "currency": "EUR", "in_stock": true,'
    b' "tags": ["tools", "hardware"], "updated": "2024-05-01T10:00:00Z"}'
)

CONFIG = """
receivers:
  feed: {{}}
processors:
  semantic_errors: {{}}
  health_score: {{endpoint: ""}}
  batch: {{send_batch_size: 8192, timeout: 200ms}}
exporters:
  otlp:
    endpoint: http://127.0.0.1:{port}
    compression: {compression}
service:
  telemetry:
    metrics: {{level: none}}
  pipelines:
    traces:
      receivers: [feed]
      processors: [semantic_errors, batch]
      exporters: [otlp]
    metrics:
      receivers: [feed]
      processors: [semantic_errors, health_score, batch]
      exporters: [otlp]
"""


class Feed(Component):
    """The bench's receiver: hands the pipelines what it is given."""

    instance: Feed | None = None

    def __init__(self, next_consumer):
        self.next_consumer = next_consumer
        Feed.instance = self


FEED = Factory(RECEIVERS, "feed", (TRACES, METRICS), "bench", lambda s, c, n: Feed(n), schema=Section({}))


def make_exchanges(n: int, bodies: int, source: ExchangeSource, first: int = 0) -> list[HttpExchange]:
    out = []
    t0 = time.time_ns()
    body_list = [BODY] if bodies <= 1 else [BODY.replace(b"42", str(1000 + i).encode()) for i in range(bodies)]
    urandom = os.urandom
    for i in range(first, first + n):
        x = HttpExchange()
        x.role = Role.SERVER
        x.process = NGINX
        x.pid = x.tid = 1234
        x.start_time_ns = t0 + i * 200_000
        x.end_time_ns = x.start_time_ns + 350_000 + (i % 7) * 10_000
        x.method = "GET"
        x.path = x.target = f"/api/items/{i % 500}"
        x.request_headers = {"host": "shop.example:8080", "user-agent": "wrk/4.2.0", "accept": "*/*"}
        x.status_code = 200
        body = body_list[i % len(body_list)]
        x.response_headers = {
            "server": "nginx/1.24.0",
            "content-type": "application/json",
            "content-length": str(len(body)),
            "connection": "keep-alive",
        }
        x.response_body = body
        x.response_body_size = len(body)
        x.local_address, x.local_port = "10.0.0.2", 8080
        x.peer_address, x.peer_port = "10.0.0.9", 40000 + i % 20000
        x.trace_id = urandom(16)
        x.span_id = urandom(8)
        x.route = "/api/items/{id}"
        x.source = source
        out.append(x)
    return out


def run_round(service: Service, n: int, batch: int, flush_every: int, bodies: int, source: ExchangeSource) -> float:
    """CPU seconds the process spent on ``n`` exchanges, less what building them cost."""
    feed = Feed.instance
    batchers = [p for pl in service.pipelines.values() for pid, p in pl.processors if pid == "batch"]
    exporters = [e for e in service.exporters.values() if e is not None]
    building = 0.0  # the main thread's CPU spent making exchanges: not the pipelines'
    start = time.process_time()
    since_flush = 0
    for done in range(0, n, batch):
        # Made batch by batch, as a receiver does: only what the pipelines hold is alive (a
        # heap of every exchange of the round would make the collector's passes dearer).
        t = time.thread_time()
        chunk = make_exchanges(min(batch, n - done), bodies, source, first=done)
        building += time.thread_time() - t
        feed.next_consumer.consume(PipelineData(chunk))
        del chunk
        since_flush += batch
        if since_flush >= flush_every:
            since_flush = 0
            for b in batchers:
                b.force_flush()
    for b in batchers:
        b.force_flush()
    for e in exporters:
        if not e.force_flush(30.0):
            raise RuntimeError("the exporter did not drain")
    return time.process_time() - start - building


def _rss_mb(field: str = "VmRSS") -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def run_rate(service: Service, rate: int, seconds: float, bodies: int, source: ExchangeSource) -> None:
    """Feeds ``rate`` exchanges a second in real time (a batch every 50 ms, the receiver's drain
    interval) with the service's own timers, run here as the agent's main thread runs them; prints
    RSS and what the exporter dropped."""
    feed = Feed.instance
    per_drain = max(1, rate // 20)
    start = time.monotonic()
    rss_start = _rss_mb()
    sent = 0
    next_at = start
    while (now := time.monotonic()) - start < seconds:
        wait = service.scheduler.run_due()  # the agent's main thread: batch timeouts, collections
        now = time.monotonic()
        if now < next_at:
            time.sleep(min(wait, next_at - now))
            continue
        next_at += 0.05
        feed.next_consumer.consume(PipelineData(make_exchanges(per_drain, bodies, source, first=sent)))
        sent += per_drain
    behind = time.monotonic() - start - seconds
    stats = service.exporters["otlp"].stats()
    print(f"fed {sent} exchanges in {seconds:.0f}s ({behind:.1f}s behind); RSS at start {rss_start:.1f} MB,")
    peak = _rss_mb("VmHWM")
    print(f"  now {_rss_mb():.1f} MB, peak {peak:.1f} MB; exporter queue {stats['queue_size_bytes']} bytes,")
    print(f"  sent {stats['sent_spans']} spans, dropped {stats['dropped_spans']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--exchanges", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=225)
    parser.add_argument("--flush-every", type=int, default=900)
    parser.add_argument("--bodies", type=int, default=1)
    parser.add_argument("--compression", default="gzip", choices=("gzip", "none"))
    parser.add_argument("--profile", help="write a cProfile of the last round here")
    parser.add_argument("--rate", type=int, help="instead: feed this many exchanges a second, report RSS")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long --rate feeds")
    parser.add_argument("--backend-down", action="store_true", help="with --rate: rotel stopped first")
    args = parser.parse_args()

    from common import start_rotel  # bench/common.py: rotel discarding what it gets, no debug log

    from tests.harness import stop_process

    with tempfile.TemporaryDirectory() as tmp:
        rotel, port = start_rotel(Path(tmp))
        try:
            path = Path(tmp) / "agent.yaml"
            path.write_text(CONFIG.format(port=port, compression=args.compression))
            config = load_config([path], {}, Registry([*BUILTIN, FEED]))
            service = Service(config, {})
            service.start()
            source = ExchangeSource("feed", Redactor())
            if args.rate:
                if args.backend_down:
                    stop_process(rotel)
                try:
                    run_rate(service, args.rate, args.seconds, args.bodies, source)
                finally:
                    service.shutdown(2.0)
                return 0
            try:
                run_round(service, 2000, args.batch, args.flush_every, args.bodies, source)  # warm
                results = []
                for r in range(args.rounds):
                    gc.collect()
                    profiler = cProfile.Profile() if args.profile and r == args.rounds - 1 else None
                    if profiler is not None:
                        profiler.enable()
                    cpu = run_round(service, args.exchanges, args.batch, args.flush_every, args.bodies, source)
                    if profiler is not None:
                        profiler.disable()
                        profiler.dump_stats(args.profile)
                    results.append(cpu / args.exchanges * 1e6)
                sent = service.exporters["otlp"].stats()
            finally:
                service.shutdown(5.0)
        finally:
            stop_process(rotel)
    print(f"rounds (µs/exchange): {' '.join(f'{r:.2f}' for r in results)}")
    print(
        f"exported spans: {sent['sent_spans']}, dropped: {sent['dropped_spans']},"
        f" metric points: {sent['sent_metric_points']}"
    )
    print(f"min µs per exchange: {min(results):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
