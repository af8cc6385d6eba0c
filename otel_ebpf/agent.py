"""The running agent: builds the pipelines from the config and runs them until a signal.

    ebpf receiver ──▶ processors ──┬─▶ HTTP metrics (every exchange) ──▶ metric exporters
                                   └─▶ sampler ──▶ span batch ──▶ trace exporters

The receiver thread does the capture-side work; exporters send from their own
threads through bounded queues; the main thread ticks the span batch and the
periodic metric export, and on SIGINT/SIGTERM drains everything within a deadline.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import socket
import threading
import time

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest

from otel_ebpf import __version__
from otel_ebpf.config.loader import Config
from otel_ebpf.exporters import create_exporter
from otel_ebpf.model import HttpExchange
from otel_ebpf.processors.outcome import is_error
from otel_ebpf.receivers.ebpf.loader import CaptureOptions, LoadError
from otel_ebpf.receivers.ebpf.process_info import ProcessResolver
from otel_ebpf.receivers.ebpf.receiver import EbpfReceiver
from otel_ebpf.telemetry.http_metrics import HttpMetrics
from otel_ebpf.telemetry.redaction import Redactor
from otel_ebpf.telemetry.routes import RouteResolver
from otel_ebpf.telemetry.sampling import Sampler
from otel_ebpf.telemetry.self_metrics import CounterSet, SelfMetrics
from otel_ebpf.telemetry.semconv import configure_known_methods_from_env
from otel_ebpf.telemetry.spans import SpanGroups, assemble_request, encode_spans

log = logging.getLogger("otel_ebpf")

SHUTDOWN_DEADLINE_S = 5.0


class SpanBatch:
    """Groups spans into export requests: by size or after `timeout_s`, like the Collector's batch.

    Spans are encoded as they arrive, so a pending batch holds protobuf bytes (~0.5 KB a
    span) rather than the exchanges with their headers and bodies.
    """

    def __init__(self, exporters, redactor: Redactor, send_batch_size: int, timeout_s: float):
        self._exporters = exporters
        self._redactor = redactor
        self._size = send_batch_size
        self._timeout = timeout_s
        self._groups: SpanGroups = {}
        self._count = 0
        self._oldest = 0.0
        self._lock = threading.Lock()
        self.spans_built = 0
        # Exchanges that could not be encoded (counted, never silently lost).
        self.skipped = CounterSet("otel_ebpf.spans.skipped", "{span}", "exchanges that could not become spans")
        # TcpSpanEvidence when the tcp_flows receiver runs: retransmits and RTT of each span's connection
        self.tcp_evidence = None

    def add(self, exchanges: list[HttpExchange]) -> None:
        # Exported spans only, on the receiver thread in the drain cycle that completed them: as
        # close to the response's end (and the socket's close) as userspace gets.  Outside the lock.
        if self.tcp_evidence is not None:
            self.tcp_evidence.annotate(exchanges)
        with self._lock:
            if not self._count:
                self._oldest = time.monotonic()
            self._count += encode_spans(exchanges, self._redactor, self._groups, skipped=self.skipped)
            if self._count >= self._size:
                self._flush_locked()

    def tick(self) -> None:
        with self._lock:
            if self._count and time.monotonic() - self._oldest >= self._timeout:
                self._flush_locked()

    def flush(self) -> None:
        with self._lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        if not self._count:
            return
        groups, self._groups = self._groups, {}
        self.spans_built += self._count
        self._count = 0
        request = assemble_request(groups, __version__, skipped=self.skipped)
        for exporter in self._exporters:
            exporter.export_traces(request)


class Pipelines:
    """Everything between the receiver and the exporters."""

    def __init__(self, config: Config, environ=os.environ):
        self.config = config
        receiver_cfg = config.receivers.get("ebpf", {})
        http_cfg = receiver_cfg.get("http", {})
        routes_cfg = http_cfg.get("routes", {})
        self.routes = RouteResolver(
            routes_cfg.get("patterns", []),
            heuristic=routes_cfg.get("heuristic", True),
            max_routes_per_service=routes_cfg.get("max_per_service", 1000),
        )
        self.redactor = Redactor(
            capture_headers=http_cfg.get("capture_headers", {}),
            capture_body=http_cfg.get("capture_body", False),
            sensitive_query_params=http_cfg.get("sensitive_query_params", []),
        )
        self.sampler = Sampler.from_env(environ)
        configure_known_methods_from_env(environ)
        self.exporters = {eid: create_exporter(eid.split("/")[0], cfg) for eid, cfg in config.exporters.items()}

        traces = _pipeline(config, "traces")
        metrics = _pipeline(config, "metrics")
        self.processors = []
        self.sampling_ratio = 1.0
        batch_size, batch_timeout = 8192, 0.2
        # Exchanges are processed once, before they fork into spans and metrics: the processors
        # of both pipelines apply (traces' order first), so `semantic_errors` listed under
        # metrics alone still counts business errors.
        processor_ids = list(traces.processors) if traces else []
        for pid in metrics.processors if metrics else []:
            if pid not in processor_ids:
                processor_ids.append(pid)
        for pid in processor_ids:
            ptype = pid.split("/")[0]
            pcfg = config.processors[pid]
            if ptype == "batch":
                batch_size = int(pcfg.get("send_batch_size", 8192)) or 8192
                batch_timeout = pcfg.get("timeout", 0.2)  # durations arrive in seconds from the config loader
            elif ptype == "probabilistic_sampler":
                self.sampling_ratio = float(pcfg.get("sampling_percentage", 100)) / 100.0
            elif ptype == "semantic_errors":
                from otel_ebpf.processors.semantic_errors import SemanticErrorsProcessor

                self.processors.append(SemanticErrorsProcessor(pcfg))
            elif ptype == "health_score":
                from otel_ebpf.processors.health_score import HealthScoreProcessor

                self.processors.append(HealthScoreProcessor(pcfg))
            elif ptype == "slo":
                from otel_ebpf.processors.slo import SloProcessor

                self.processors.append(SloProcessor(pcfg))
            elif ptype == "cause_attribution":
                from otel_ebpf.processors.cause_attribution import CauseAttributionProcessor

                # The flow receiver starts after the processors (and may fail to): look it up at each evaluation.
                flows, peers = (lambda: self.tcp_flows), (lambda: self.processors)
                self.processors.append(CauseAttributionProcessor(pcfg, flows=flows, peers=peers))
        self.trace_exporters = [self.exporters[e] for e in traces.exporters] if traces else []
        self.metric_exporters = [self.exporters[e] for e in metrics.exporters] if metrics else []
        self.spans = SpanBatch(self.trace_exporters, self.redactor, batch_size, batch_timeout)
        self.http_metrics = HttpMetrics() if metrics else None
        self.self_metrics = SelfMetrics(environ=environ)
        self.exchanges_in = 0
        self.exchanges_received = 0
        self.tcp_flows = None  # set when the tcp_flows receiver runs: its metrics join every export
        self.load_failures = 0
        self._received_lock = threading.Lock()
        self.spans_sampled_out = 0

    def consume(self, batch: list[HttpExchange]) -> None:
        """Called by the receiver thread with every completed exchange."""
        self.exchanges_in += len(batch)
        self.routes.annotate(batch)  # http.route is a server-side attribute
        for processor in self.processors:
            batch = processor.process(batch)
        if self.http_metrics is not None:
            self.http_metrics.record(batch)
        if self.trace_exporters:
            sampled = [x for x in batch if self._sample(x)]
            self.spans_sampled_out += len(batch) - len(sampled)
            if sampled:
                self.spans.add(sampled)

    def consume_received(self, batch: list[HttpExchange]) -> None:
        """Exchanges made from received OTLP spans (sidecar mode): processors only.

        Their spans were already forwarded as they came, and their senders export their own
        duration metrics: only the processors' decisions are added.  Called from the gRPC
        server's threads, hence the lock.
        """
        with self._received_lock:
            self.exchanges_received += len(batch)
            self.routes.annotate(batch)
            for processor in self.processors:
                batch = processor.process(batch)

    def _sample(self, exchange: HttpExchange) -> bool:
        # Failures and SLO violations are always exported: metric exemplars point at them.
        if is_error(exchange):
            return True
        if not self.sampler.should_sample(exchange):
            return False
        if self.sampling_ratio < 1.0:
            return int.from_bytes(exchange.trace_id[8:], "big") < self.sampling_ratio * 2**64
        return True

    def tick(self) -> None:
        """Called often by the main thread: batches time out, processors evaluate on their interval."""
        self.spans.tick()
        for processor in self.processors:
            tick = getattr(processor, "tick", None)
            if tick is not None:
                try:
                    tick()
                except Exception:  # a processor bug must not stop the agent
                    log.exception("%s.tick failed", type(processor).__name__)

    def shutdown_processors(self) -> None:
        for processor in self.processors:
            shutdown = getattr(processor, "shutdown", None)
            if shutdown is not None:
                try:
                    shutdown()
                except Exception:
                    log.exception("%s.shutdown failed", type(processor).__name__)

    def export_metrics(self) -> None:
        now = time.time_ns()
        request = ExportMetricsServiceRequest()
        if self.http_metrics is not None:
            request.resource_metrics.extend(self.http_metrics.collect(now))
        if self.tcp_flows is not None:
            request.resource_metrics.extend(self.tcp_flows.collect(now))
        for processor in self.processors:
            collect = getattr(processor, "collect_metrics", None)
            if collect:
                _add_processor_metrics(request, collect(now))
        request.resource_metrics.append(self.self_metrics.collect(now))
        for exporter in self.metric_exporters:
            exporter.export_metrics(request)


def _add_processor_metrics(request: ExportMetricsServiceRequest, items) -> None:
    """Processor metrics come as (ProcessInfo, Metric): group them under the process's resource."""
    from otel_ebpf.telemetry.attributes import fill_resource

    by_resource = {}
    for process, metric in items:
        rm = by_resource.get(process.key)
        if rm is None:
            rm = request.resource_metrics.add()
            fill_resource(rm.resource, process.resource_attributes)
            sm = rm.scope_metrics.add()
            sm.scope.name = "otel_ebpf"
            sm.scope.version = __version__
            by_resource[process.key] = rm
        rm.scope_metrics[0].metrics.append(metric)


def _pipeline(config: Config, signal_name: str):
    for name, pipeline in config.pipelines.items():
        if name.split("/")[0] == signal_name:
            return pipeline
    return None


def build_receiver(config: Config, pipelines: Pipelines, resolver: ProcessResolver) -> EbpfReceiver:
    cfg = config.receivers.get("ebpf", {})
    filt = cfg.get("filter", {})
    options = CaptureOptions(
        capture_bytes=int(cfg.get("capture_bytes", 1024)),
        ring_buffer_size=int(cfg.get("ring_buffer_size", 8 * 1024 * 1024)),
        max_connections=int(cfg.get("max_connections", 65536)),
        pids=list(filt.get("pids", [])),
        executables=list(filt.get("executables", [])),
        ports=list(filt.get("ports", [])),
        read_chunks=int(cfg.get("read_chunks", 4)),
    )
    return EbpfReceiver(
        options,
        pipelines.consume,
        resolver.get,
        drain_interval_s=cfg.get("drain_interval", 0.05),
        max_cpu=float(cfg.get("max_cpu", 0) or 0),
    )


def limit_malloc_arenas(arenas: int = 1) -> None:
    """Caps glibc's per-thread malloc arenas before any thread starts.

    Every thread (receiver, exporters, gRPC's own) otherwise gets an arena of its own and
    freed memory stays spread over them: measured at saturation, peak RSS 168 MB with the
    default, 120 MB with one arena, for no measurable CPU cost (the GIL serialises Python's
    allocations anyway). MALLOC_ARENA_MAX in the environment wins.
    """
    if "MALLOC_ARENA_MAX" in os.environ:
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(-8, arenas)  # M_ARENA_MAX
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass


def run(config: Config, environ=os.environ, ready: threading.Event | None = None) -> int:
    """Runs until SIGINT/SIGTERM; returns the process exit code."""
    if config.sdk_disabled:
        log.warning("OTEL_SDK_DISABLED=true: telemetry is disabled, nothing to run")
        return 0
    used = [rid for rid in config.receivers if any(rid in p.receivers for p in config.pipelines.values())]
    limit_malloc_arenas()
    pipelines = Pipelines(config, environ)
    counter_sources = []
    receiver = None
    resolver = None
    if any(rid.split("/")[0] == "ebpf" for rid in used):
        resolver = ProcessResolver(host_name=socket.gethostname())
        receiver = build_receiver(config, pipelines, resolver)
        counter_sources.append(receiver.counters)
    tcp_flows = None
    if any(rid.split("/")[0] == "tcp_flows" for rid in used):
        tcp_flows = start_tcp_flows(config, pipelines, resolver, counter_sources)
    otlp_receivers = []
    for rid in used:
        if rid.split("/")[0] == "otlp":
            otlp_receivers.append(build_otlp_receiver(rid, config.receivers[rid], pipelines, counter_sources))
    _register_self_metrics(pipelines, counter_sources, resolver)

    stop = threading.Event()

    def on_signal(signum, _frame):
        log.info("received %s: shutting down", signal.Signals(signum).name)
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, on_signal)

    for exporter in pipelines.exporters.values():
        exporter.start()
    try:
        for otlp in otlp_receivers:
            otlp.start()
        if receiver is not None:
            receiver.start()
    except (LoadError, OSError) as exc:
        log.error("%s", exc)
        for otlp in otlp_receivers:
            otlp.shutdown(1.0)
        for exporter in pipelines.exporters.values():
            exporter.shutdown(1.0)
        pipelines.shutdown_processors()
        return 1
    # Everything built so far (modules, config, pipelines) lives as long as the agent: keep it out
    # of the cyclic collector, and collect the young generation less often (the hot path allocates
    # many short-lived objects that reference counting frees anyway): ~7% less CPU per request.
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    interval = config.metric_export_interval_s
    what = ["capturing HTTP"] if receiver is not None else []
    what += [f"receiving OTLP on :{otlp.bound_port}" for otlp in otlp_receivers]
    log.info("otel-ebpf %s %s (config: %s); metrics every %.0fs", __version__, ", ".join(what), config.source, interval)
    if ready is not None:
        ready.set()
    next_metrics = time.monotonic() + interval
    while not stop.wait(0.05):
        pipelines.tick()
        if time.monotonic() >= next_metrics:
            next_metrics += interval
            pipelines.export_metrics()

    deadline = time.monotonic() + SHUTDOWN_DEADLINE_S
    for otlp in otlp_receivers:  # stop accepting first: what was accepted is then flushed below
        otlp.shutdown(max(0.1, min(2.0, deadline - time.monotonic())))
    if receiver is not None:
        receiver.shutdown()  # final drain, then every probe is detached
    pipelines.spans.flush()
    pipelines.export_metrics()  # with the flows' last values: detach them only afterwards
    if tcp_flows is not None:
        pipelines.tcp_flows = None
        tcp_flows.shutdown()  # pinned counters keep counting for the next agent
    pipelines.shutdown_processors()
    for exporter in pipelines.exporters.values():
        exporter.shutdown(max(0.1, deadline - time.monotonic()))
    log.info("otel-ebpf stopped: %d exchanges, %d spans", pipelines.exchanges_in, pipelines.spans.spans_built)
    return 0


def start_tcp_flows(config: Config, pipelines: Pipelines, resolver, counter_sources: list):
    """The TCP flow receiver, started; None (logged) when it cannot load: HTTP capture still runs."""
    from otel_ebpf.receivers.tcp import TcpFlowReceiver

    resolver = resolver or ProcessResolver(host_name=socket.gethostname())
    flows = TcpFlowReceiver(config.receivers.get("tcp_flows", {}), resolver)
    try:
        flows.start()
    except (LoadError, OSError) as exc:
        log.error("tcp_flows: cannot load (%s); continuing without TCP flow metrics", exc)
        pipelines.load_failures += 1
        return None
    counter_sources.append(flows.counters)
    pipelines.tcp_flows = flows
    if pipelines.trace_exporters:
        from otel_ebpf.telemetry.tcp_evidence import TcpSpanEvidence

        evidence = TcpSpanEvidence(flows.socket_state)
        counter_sources.append(evidence.counters)
        pipelines.spans.tcp_evidence = evidence
    return flows


def build_otlp_receiver(rid: str, cfg: dict, pipelines: Pipelines, counter_sources: list):
    """The ``otlp`` receiver (sidecar mode) wired to the pipelines; its counters join ``counter_sources``."""
    from otel_ebpf.receivers.otlp import OtlpReceiver
    from otel_ebpf.receivers.otlp.pipeline_input import OtlpPipelineInput

    feed = OtlpPipelineInput(pipelines, list(cfg.get("http_requests_from", ["spans"])))
    otlp = OtlpReceiver(cfg, on_traces=feed.on_traces, on_metrics=feed.on_metrics, name=rid)
    counter_sources.extend((otlp.counters, feed.counters))
    return otlp


def _register_self_metrics(pipelines: Pipelines, counter_sources: list, resolver: ProcessResolver | None) -> None:
    def pipeline_counters():
        result = {}
        for source in counter_sources:
            result.update(source())
        result[("otel_ebpf.spans.built", ())] = pipelines.spans.spans_built
        result[("otel_ebpf.spans.sampled_out", ())] = pipelines.spans_sampled_out
        result[("otel_ebpf.routes.overflow", ())] = getattr(pipelines.routes, "overflow", 0)
        if resolver is not None:
            result[("otel_ebpf.processes.vanished", ())] = resolver.vanished
        result[("otel_ebpf.receiver.load_failures", ())] = pipelines.load_failures
        for processor in pipelines.processors:
            stats = getattr(processor, "stats", None)
            if stats:
                name = type(processor).__name__
                for key, value in stats().items():
                    result[(f"otel_ebpf.processor.{key}", (("processor", name),))] = value
        for eid, exporter in pipelines.exporters.items():
            for name, value in exporter.stats().items():
                result[(f"otel_ebpf.exporter.{name}", (("exporter", eid),))] = value
        return result

    registry = pipelines.self_metrics
    registry.register_callback(pipeline_counters)
    if pipelines.http_metrics is not None:
        registry.register_callback(pipelines.http_metrics.self_metrics)
    registry.add_counter(pipelines.spans.skipped)
    # Declare what each reported name is: running totals are cumulative sums, levels are gauges.
    names = set(pipeline_counters())
    if pipelines.http_metrics is not None:
        names |= set(pipelines.http_metrics.self_metrics())
    for name in sorted({n for n, _attrs in names}):
        if name.endswith(("queue_size", "queue_capacity", ".endpoints")) or ".queued_" in name:
            registry.register_gauge(name, _unit(name), "current level")
        elif name.startswith("otel_ebpf.tcp."):  # kernel counters: pinned programs outlive the agent
            registry.register_counter(
                name, _unit(name), "running total since the TCP flow program was loaded (pinned: across agent restarts)"
            )
        else:
            registry.register_counter(name, _unit(name), "running total since the agent started")


def _unit(name: str) -> str:
    if name.endswith("_time"):
        return "s"
    for part, unit in (
        ("bytes", "By"),
        ("span", "{span}"),
        ("metric_point", "{data_point}"),
        ("request", "{request}"),
        ("connection", "{connection}"),
        ("exchange", "{exchange}"),
        ("event", "{event}"),
        ("dropped", "{event}"),
    ):
        if part in name:
            return unit
    return "1"
