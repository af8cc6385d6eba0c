"""A receiver's data, given to every pipeline that lists the receiver."""

from __future__ import annotations

import logging
import threading

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from otel_ebpf.component import TRACES, Consumer, Refused, first_refusal
from otel_ebpf.model import PipelineData, forget_forks

log = logging.getLogger(__name__)


class PipelineInput(Consumer):
    """The entrance of one pipeline.

    While the pipeline cannot deliver (one of its processors, or all its exporters, failed to
    start) its data is dropped here and counted; an exception escaping the pipeline costs that
    batch only, counted and logged.  A refusal (:class:`~otel_ebpf.component.Refused`, e.g. the
    ``memory_limiter``'s) is counted by reason and goes on to the receiver, which pushes back or counts.
    """

    def __init__(self, name: str, signal: str, head: Consumer) -> None:
        self.name = name
        self.signal = signal
        self.head = head
        self.down = False
        self.dropped_items = 0
        self.errors = 0
        self.refused: dict[str, int] = {}  # items refused, by reason
        self._lock = threading.Lock()

    def refusal(self, nbytes: int) -> str | None:
        if self.down:
            return None  # dropped and counted at the entrance; pushing back would not make it run
        return self.head.refusal(nbytes)

    def consume(self, data: PipelineData) -> None:
        if self.down:
            with self._lock:
                self.dropped_items += data.item_count()
            return
        try:
            self.head.consume(data)
        except Refused as refused:
            n = data.item_count()
            with self._lock:
                self.refused[refused.reason] = self.refused.get(refused.reason, 0) + n
            raise
        except Exception:  # a processor bug must not stop the receiver
            with self._lock:
                self.errors += 1
                first = self.errors == 1
            if first:
                log.exception(
                    "pipeline %s failed on a batch (%r); counted in otel_ebpf.pipeline.errors", self.name, data
                )

    def counters(self) -> dict:
        attrs = (("pipeline", self.name),)
        out = {
            ("otel_ebpf.pipeline.errors", attrs): self.errors,
            ("otel_ebpf.pipeline.dropped_items", attrs): self.dropped_items,
        }
        with self._lock:
            for reason, n in self.refused.items():
                out[("otel_ebpf.pipeline.refused_items", attrs + (("reason", reason),))] = n
        return out


class Fanout(Consumer):
    """Gives each pipeline its own copy of what a receiver produced.

    Exchanges are forked (``HttpExchange.fork``) and forwarded requests copied for all but one
    pipeline, all before any pipeline runs, so a processor in one pipeline never changes what
    another exports (``keep`` excepted: see ``HttpExchange.mark_keep``).  Metrics pipelines run
    first, so the spans their processors mark ``keep`` are kept by the traces pipelines; the
    copies stop knowing each other once every pipeline has had the batch (a processor behind a
    ``batch`` marks only its own copy).  A
    pipeline gets only what its signal uses: traces pipelines exchanges and spans, metrics
    pipelines exchanges, metrics and counts.

    A pipeline that refuses (:class:`~otel_ebpf.component.Refused`) does not stop the others from
    getting the batch; the refusal is raised once they all had it, as the Collector's fan-out
    returns its consumers' errors: a sender that retries may then deliver twice to the pipelines
    that accepted.  :meth:`refusal` (asked before a request is taken) is any pipeline's.
    """

    def __init__(self, inputs: list[PipelineInput]) -> None:
        self.inputs = sorted(inputs, key=lambda p: p.signal == TRACES)
        traces = [i for i, p in enumerate(self.inputs) if p.signal == TRACES]
        metrics = [i for i, p in enumerate(self.inputs) if p.signal != TRACES]
        self._last_traces = traces[-1] if traces else -1
        self._last_metrics = metrics[-1] if metrics else -1
        self.signals = frozenset(p.signal for p in self.inputs)  # what the receiver's pipelines carry

    def consume(self, data: PipelineData) -> None:
        inputs = self.inputs
        last = len(inputs) - 1
        parts = []
        for i, pipeline in enumerate(inputs):
            exchanges = data.exchanges if i == last else [x.fork() for x in data.exchanges]
            if pipeline.signal == TRACES:
                spans = data.spans
                if spans is not None and i != self._last_traces:
                    spans = ExportTraceServiceRequest.FromString(spans.SerializeToString())
                parts.append(PipelineData(exchanges, spans=spans))
            else:
                metrics = data.metrics
                if metrics is not None and i != self._last_metrics:
                    metrics = ExportMetricsServiceRequest.FromString(metrics.SerializeToString())
                parts.append(PipelineData(exchanges, metrics=metrics, counts=list(data.counts)))
        refused: Refused | None = None
        for pipeline, part in zip(inputs, parts, strict=True):
            if not part.is_empty():
                try:
                    pipeline.consume(part)
                except Refused as exc:
                    refused = refused or exc
        if last:
            forget_forks(data.exchanges)  # the copies know each other only while the pipelines run
        if refused is not None:
            raise refused

    def refusal(self, nbytes: int) -> str | None:
        return first_refusal(self.inputs, nbytes)
