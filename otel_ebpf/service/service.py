"""The pipeline graph built from ``service.pipelines``, and its lifecycle (docs/components.md).

* every exporter id used is created once and shared by the pipelines that list it;
* every pipeline gets its own processors, created from the last to the first so that each
  knows the next, and its end (:mod:`.tails`);
* every receiver id used is created once, with a :class:`~.fanout.Fanout` over the entrances of
  the pipelines that list it;
* the extensions of ``service.extensions``.

Start order: the internal metrics endpoint, extensions, exporters, processors (last first),
receivers; shutdown the reverse, with one last metrics collection after the receivers that push
have stopped and the processors have flushed what they hold, and before the receivers read at
collection time (``tcp_flows``) stop.  Exporters stop at the same time, each on its own thread,
in two steps: their queues close first (what cannot be sent by the deadline is discarded,
counted and logged), then the agent's final self-metrics, which count those discards, go straight
to the exporters of the metrics pipelines that still work (a file exporter, when the backend is
down), then the exporters close; the self-metrics summary is logged last (:mod:`.self_report`).
A component that cannot be created or started is marked permanently failed and the agent runs
on without it (see :meth:`Service.start`).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest

from otel_ebpf.component import (
    EXPORTERS,
    EXTENSIONS,
    METRICS,
    PROCESSORS,
    RECEIVERS,
    TRACES,
    Component,
    CreateSettings,
    MetricsProducer,
    Refused,
    Status,
)
from otel_ebpf.config import Config, pipeline_signal
from otel_ebpf.model import PipelineData
from otel_ebpf.service.fanout import Fanout, PipelineInput
from otel_ebpf.service.host import ServiceHost
from otel_ebpf.service.internal_metrics import InternalMetricsServer
from otel_ebpf.service.scheduler import Scheduler
from otel_ebpf.service.self_report import SUMMARY_INTERVAL_S, SelfReport
from otel_ebpf.service.status import Key, StatusBook
from otel_ebpf.service.tails import MetricsTail, TracesTail
from otel_ebpf.service.telemetry import ServiceTelemetry, describe
from otel_ebpf.telemetry.sampling import Sampler
from otel_ebpf.telemetry.self_metrics import SelfMetrics
from otel_ebpf.telemetry.semconv import configure_known_methods_from_env

log = logging.getLogger("otel_ebpf")

# The share of the shutdown deadline kept for the final self-metrics once the queues are closed.
FINAL_SHARE = 0.2


@dataclass
class Pipeline:
    """One pipeline as built: its entrance, its processors in order, its end."""

    name: str
    signal: str
    receivers: tuple[str, ...]
    exporters: tuple[str, ...]
    input: PipelineInput
    tail: TracesTail | MetricsTail
    processors: list[tuple[str, Component | None]] = field(default_factory=list)  # (id, None if it failed)


class Service:
    """Builds every component of a configuration; :meth:`start`, :meth:`collect_metrics`, :meth:`shutdown`.

    Args:
        config: The validated configuration (``config.registry`` has the factories).
        environ: The agent's environment (``OTEL_*`` variables).
    """

    def __init__(self, config: Config, environ: Mapping[str, str] = os.environ) -> None:
        self.config = config
        self.environ = environ
        self.self_metrics = SelfMetrics(environ=environ, describe=describe)
        self.telemetry = ServiceTelemetry(self.self_metrics)
        self.self_report = SelfReport(self.self_metrics)
        self.internal_metrics: InternalMetricsServer | None = None
        if config.metrics_address and config.metrics_level != "none":
            self.internal_metrics = InternalMetricsServer(self.self_metrics, config.metrics_address)
        self.scheduler = Scheduler()
        self.status = StatusBook()
        self.components: list[Component] = []  # everything created: what host.find searches
        self.host = ServiceHost(self.components, self.scheduler, self.status)
        self.sampler = Sampler.from_env(environ)
        configure_known_methods_from_env(environ)
        self._created: dict[Key, Component | None] = {}  # None: creation failed (status says why)
        self.pipelines: dict[str, Pipeline] = {}
        self.receivers: dict[str, Component | None] = {}
        self.exporters: dict[str, Component | None] = {}
        self.extensions: dict[str, Component | None] = {}
        self.collections = 0
        self.collect_errors = 0
        self._shut_down = False
        self._build()
        self.self_metrics.register_callback(self._counters)

    # -- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        config = self.config
        for ext_id in config.service_extensions:
            key = (EXTENSIONS, ext_id)
            self.status.add_extension(key)
            self.extensions[ext_id] = self._create(key, config.extensions[ext_id])
        for spec in config.pipelines.values():
            for exp_id in spec.exporters:
                if exp_id not in self.exporters:
                    self.exporters[exp_id] = self._create((EXPORTERS, exp_id), config.exporters[exp_id])
        inputs: dict[str, list[PipelineInput]] = {}
        for name, spec in config.pipelines.items():
            pipeline = self._build_pipeline(name, spec)
            self.pipelines[name] = pipeline
            for rid in spec.receivers:
                inputs.setdefault(rid, []).append(pipeline.input)
        for rid, pipeline_inputs in inputs.items():
            self.receivers[rid] = self._create((RECEIVERS, rid), config.receivers[rid], Fanout(pipeline_inputs))

    def _build_pipeline(self, name: str, spec) -> Pipeline:
        signal = pipeline_signal(name)
        exporters = [e for e in (self.exporters[x] for x in spec.exporters) if e is not None]
        tail = TracesTail(name, exporters, self.sampler) if signal == TRACES else MetricsTail(name, exporters)
        processors: list[tuple[str, Component | None]] = []
        next_consumer = tail
        for pid in reversed(spec.processors):
            processor = self._create((PROCESSORS, pid, name), self.config.processors[pid], next_consumer)
            processors.insert(0, (pid, processor))
            if processor is not None:
                next_consumer = processor
        pipeline = Pipeline(
            name, signal, spec.receivers, spec.exporters, PipelineInput(name, signal, next_consumer), tail
        )
        pipeline.processors = processors
        keys: list[Key] = [(RECEIVERS, r) for r in spec.receivers]
        keys += [(PROCESSORS, pid, name) for pid in spec.processors]
        keys += [(EXPORTERS, e) for e in spec.exporters]
        self.status.add_pipeline(name, keys)
        return pipeline

    def _create(self, key: Key, config: dict, next_consumer=None) -> Component | None:
        if key in self._created:
            return self._created[key]
        kind, component_id = key[0], key[1]
        factory = self.config.registry.of_id(kind, component_id)
        settings = CreateSettings(
            id=component_id,
            kind=kind,
            pipeline=key[2] if len(key) > 2 else None,
            environ=self.environ,
            telemetry=self.telemetry,
            report_status=lambda status, error="", _key=key: self.status.set(_key, status, error),
        )
        try:
            component = factory.create(settings, config, next_consumer)
        except Exception as exc:
            self._fail(key, "cannot be created", exc)
            component = None
        else:
            self.components.append(component)
        self._created[key] = component
        return component

    def _fail(self, key: Key, what: str, exc: BaseException) -> None:
        error = f"{exc}" or type(exc).__name__
        self.status.set(key, Status.PERMANENT_ERROR, error)
        name = "/".join(key[:2]) + (f" (pipeline {key[2]})" if len(key) > 2 else "")
        log.error("%s %s: %s", name, what, error, exc_info=not isinstance(exc, (OSError, ValueError, RuntimeError)))

    # -- running ------------------------------------------------------------------------------

    def start(self) -> bool:
        """Starts everything that was created; returns False when no pipeline can carry data.

        A pipeline whose processors do not all run, or none of whose exporters runs, is down
        before any receiver starts (its data is then dropped at its entrance, counted); one
        with no running receiver gets nothing.  Either is reported by the ``health_check``
        extension and logged; the others run.
        """
        if self.internal_metrics is not None:
            self.internal_metrics.start()
        order: list[Key] = [(EXTENSIONS, e) for e in self.extensions]
        order += [(EXPORTERS, e) for e in self.exporters]
        for pipeline in self.pipelines.values():
            order += [(PROCESSORS, pid, pipeline.name) for pid, _ in reversed(pipeline.processors)]
        for key in order:
            self._start(key)
        for pipeline in self.pipelines.values():
            if not self._can_deliver(pipeline):
                pipeline.input.down = True
                log.error("pipeline %s cannot carry data: it is down until the agent restarts", pipeline.name)
        for rid in self.receivers:
            self._start((RECEIVERS, rid))
        alive = [
            p
            for p in self.pipelines.values()
            if not p.input.down and any(self._ok((RECEIVERS, r)) for r in p.receivers)
        ]
        if any(p.signal == METRICS for p in self.pipelines.values()):
            self.scheduler.every(self.config.metric_export_interval_s, self.collect_metrics, "metrics collection")
        self.scheduler.every(SUMMARY_INTERVAL_S, self.self_report.periodic, "self-metrics summary")
        self.status.up_since_ns = time.time_ns()
        return bool(alive)

    def _start(self, key: Key) -> None:
        component = self._created.get(key)
        if component is None:
            return  # its creation failed: already reported
        try:
            component.start(self.host)
        except Exception as exc:
            self._fail(key, "cannot start", exc)
        else:
            self.status.set(key, Status.OK)

    def _ok(self, key: Key) -> bool:
        return self.status.get(key).status is Status.OK

    def _can_deliver(self, pipeline: Pipeline) -> bool:
        processors_ok = all(self._ok((PROCESSORS, pid, pipeline.name)) for pid, _ in pipeline.processors)
        return processors_ok and any(self._ok((EXPORTERS, e)) for e in pipeline.exporters)

    def collect_metrics(self) -> None:
        """One collection: every metrics pipeline sends one request through its processors.

        A pipeline's request holds its HTTP duration histograms, its processors' metrics, its
        receivers' metrics (each receiver read once, whatever the number of pipelines) and the
        agent's own metrics (unless ``service.telemetry.metrics.level`` is ``none``).
        """
        now_ns = time.time_ns()
        self.collections += 1
        from_receivers: dict[str, list] = {}
        for pipeline in self.pipelines.values():
            if pipeline.signal != METRICS:
                continue
            for rid in pipeline.receivers:
                receiver = self.receivers.get(rid)
                if rid not in from_receivers and isinstance(receiver, MetricsProducer):
                    from_receivers[rid] = self._produce(receiver, now_ns, f"receivers/{rid}")
        own = [self.self_metrics.collect(now_ns)] if self.config.metrics_level != "none" else []
        for pipeline in self.pipelines.values():
            if pipeline.signal != METRICS or pipeline.input.down:
                continue
            resource_metrics = list(pipeline.tail.http_metrics.collect(now_ns))
            for pid, processor in pipeline.processors:
                if isinstance(processor, MetricsProducer):
                    resource_metrics += self._produce(processor, now_ns, f"processors/{pid}")
            for rid in pipeline.receivers:
                resource_metrics += from_receivers.get(rid, [])
            resource_metrics += own
            request = ExportMetricsServiceRequest(resource_metrics=resource_metrics)
            try:
                pipeline.input.consume(PipelineData(metrics=request))
            except Refused:
                # A memory_limiter holds this collection back (counted in otel_ebpf.pipeline.refused_items);
                # cumulative sums lose nothing: the next collection carries the totals.
                pass

    def _produce(self, producer: MetricsProducer, now_ns: int, name: str) -> list:
        try:
            return list(producer.produce_metrics(now_ns))
        except Exception:  # one component's bug must not cost the others' metrics
            self.collect_errors += 1
            log.exception("%s: collecting its metrics failed", name)
            return []

    def shutdown(self, deadline_s: float = 5.0) -> None:
        """Stops everything in order within ``deadline_s`` (see the module docstring); once."""
        if self._shut_down:
            return
        self._shut_down = True
        deadline = time.monotonic() + deadline_s
        self.scheduler.clear()

        def remaining(share: float = 1.0) -> float:
            return max(0.1, (deadline - time.monotonic()) * share)

        read_at_collection = {rid for rid, r in self.receivers.items() if isinstance(r, MetricsProducer)}
        for rid, receiver in self.receivers.items():
            if rid not in read_at_collection:
                self._stop((RECEIVERS, rid), receiver, remaining(0.4))
        if any(p.signal == METRICS for p in self.pipelines.values()):
            # What the processors hold (a batch) reaches the pipelines' ends before the last
            # collection reads them; the collection itself then goes through still-running processors.
            self._flush_processors(remaining(0.2))
            try:
                self.collect_metrics()
            except Exception:
                log.exception("the last metrics collection failed")
        for rid in read_at_collection:
            self._stop((RECEIVERS, rid), self.receivers[rid], remaining(0.4))
        for pipeline in self.pipelines.values():
            for pid, processor in pipeline.processors:  # first to last: each flushes into the next
                self._stop((PROCESSORS, pid, pipeline.name), processor, remaining(0.4))
        exporters = [((EXPORTERS, e), x) for e, x in self.exporters.items()]
        drain_deadline = deadline - FINAL_SHARE * (deadline - time.monotonic())
        self._stop_together(exporters, drain_deadline, self._close_queue)
        self._export_final_self_metrics()
        self._stop_together(exporters, deadline, self._stop)
        self.self_report.final()
        for ext_id, extension in self.extensions.items():
            self._stop((EXTENSIONS, ext_id), extension, remaining())
        if self.internal_metrics is not None:
            self.internal_metrics.stop(remaining())

    def _close_queue(self, key: Key, exporter: Component | None, timeout_s: float) -> None:
        if exporter is None:
            return
        self.status.set(key, Status.STOPPING)
        try:
            exporter.close_queue(timeout_s)  # type: ignore[attr-defined]
        except Exception:
            log.exception("%s: closing its queue failed", "/".join(key[:2]))

    def _export_final_self_metrics(self) -> None:
        """The agent's metrics once the queues are closed, so that they count what was discarded,
        straight to the exporters of the metrics pipelines (the processors have stopped) that are
        not failing: one that works (a file, when the backend is down) gets the final counts."""
        if self.config.metrics_level == "none":
            return
        exporters: list = []
        for pipeline in self.pipelines.values():
            if pipeline.signal == METRICS and not pipeline.input.down:
                exporters += [x for x in pipeline.tail.exporters if all(x is not y for y in exporters)]
        # One whose backend is down would only discard it: its counts would then move once more
        # after the final reading, and the log line would no longer match what the others got.
        exporters = [x for x in exporters if not getattr(x, "failing", False)]
        if not exporters:
            return
        request = ExportMetricsServiceRequest(resource_metrics=[self.self_metrics.collect()])
        for exporter in exporters:
            try:
                exporter.export_metrics(request)
            except Exception:  # an exporter must not raise; one that does must not cost the others
                log.exception("the final self-metrics could not be given to an exporter")

    def _flush_processors(self, timeout_s: float) -> None:
        for pipeline in self.pipelines.values():
            for pid, processor in pipeline.processors:  # first to last: each flushes into the next
                if processor is None:
                    continue
                try:
                    processor.force_flush(timeout_s)
                except Exception:
                    log.exception("processors/%s (pipeline %s): flush failed", pid, pipeline.name)

    def _stop_together(self, components: list[tuple[Key, Component | None]], deadline: float, stop) -> None:
        """Calls ``stop(key, component, timeout)`` on every component at once, each on its own thread:
        exporters that retry or drain a queue wait for their backends in parallel, not one after the other."""
        threads = []
        for key, component in components:
            if component is None:
                continue
            timeout = max(0.1, deadline - time.monotonic())
            thread = threading.Thread(target=stop, args=(key, component, timeout), name=f"stop {key[1]}", daemon=True)
            thread.start()
            threads.append((key, thread))
        for key, thread in threads:
            thread.join(max(0.1, deadline - time.monotonic()) + 0.5)
            if thread.is_alive():
                log.warning("%s did not stop within the shutdown deadline; left behind", "/".join(key[:2]))

    def _stop(self, key: Key, component: Component | None, timeout_s: float) -> None:
        if component is None:
            return
        self.status.set(key, Status.STOPPING)
        try:
            component.shutdown(timeout_s)
        except Exception:
            log.exception("%s: shutdown failed", "/".join(key[:2]))
        self.status.set(key, Status.STOPPED)

    def _counters(self) -> dict:
        out: dict = {
            # A level: health_check says which, and why.
            ("otel_ebpf.service.failed_components", ()): self.status.count(Status.PERMANENT_ERROR),
            ("otel_ebpf.service.collections", ()): self.collections,
            ("otel_ebpf.service.collect_errors", ()): self.collect_errors,
            ("otel_ebpf.service.timer_errors", ()): self.scheduler.errors,
        }
        for pipeline in self.pipelines.values():
            out.update(pipeline.input.counters())
            out.update(pipeline.tail.counters())
        return out

    def summary(self) -> str:
        """``traces: ebpf -> semantic_errors, batch -> debug; metrics: ...`` for the start-up log line."""
        return "; ".join(self.config.summary().splitlines())
