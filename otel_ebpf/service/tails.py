"""The ends of pipelines: where exchanges become the pipeline's signal and go to its exporters.

* :class:`TracesTail`: captured exchanges that survive the head sampler (``OTEL_TRACES_SAMPLER``;
  failures and exchanges marked ``keep`` always do) become spans; exchanges made from received
  spans annotate those spans instead, and the received request is forwarded.
* :class:`MetricsTail`: captured exchanges go into the pipeline's own HTTP duration histograms
  (every one, before any sampling), and so do the kernel's counts of the exchanges it shed
  (``PipelineData.counts`` with a ``process``); forwarded and collected metric requests go to
  the exporters.
"""

from __future__ import annotations

import logging
import threading

from otel_ebpf import __version__
from otel_ebpf.component import Consumer, Exporter, first_refusal
from otel_ebpf.model import EncodedRequest, HttpExchange, PipelineData, is_received
from otel_ebpf.telemetry.http_metrics import HttpMetrics
from otel_ebpf.telemetry.outcome import is_error
from otel_ebpf.telemetry.received import annotate_received_spans, scrub_received_spans
from otel_ebpf.telemetry.redaction import Redactor
from otel_ebpf.telemetry.sampling import Sampler
from otel_ebpf.telemetry.self_metrics import CounterSet
from otel_ebpf.telemetry.spans import SpanGroups, encode_request, encode_spans

log = logging.getLogger(__name__)

# Exchanges made outside a receiver (tests, tools) export nothing that a default policy would hide.
_DEFAULT_REDACTOR = Redactor()


class TracesTail(Consumer):
    """Args:
    name: The pipeline's name (``traces/python``), the ``pipeline`` attribute of its counters.
    exporters: Where its requests go.
    sampler: The head sampler (``OTEL_TRACES_SAMPLER``).
    """

    def __init__(self, name: str, exporters: list[Exporter], sampler: Sampler) -> None:
        self.name = name
        self.exporters = exporters
        # Those that send the request's bytes as they are get them; the others a message, parsed
        # once per request for all of them (see otel_ebpf.model.encoded).
        self._wants_message = any(not getattr(e, "accepts_encoded", False) for e in exporters)
        self.sampler = sampler
        self.attrs = (("pipeline", name),)
        self.skipped = CounterSet("otel_ebpf.spans.skipped", "{span}", "exchanges that could not become spans")
        self._lock = threading.Lock()
        self.spans_built = 0
        self.sampled_out = 0
        self.annotated = 0

    def consume(self, data: PipelineData) -> None:
        if data.spans is not None:
            annotated = annotate_received_spans(data.spans, [x for x in data.exchanges if is_received(x)])
            # Received spans leave through the same gate as captured ones (the built-in policy).
            scrub_received_spans(data.spans, _DEFAULT_REDACTOR)
            with self._lock:
                self.annotated += annotated
            self._export(data.spans)
        should_sample = self.sampler.should_sample
        by_policy: dict[int, tuple[Redactor, list[HttpExchange]]] = {}
        dropped = 0
        for x in data.exchanges:
            if is_received(x):
                continue
            if not (should_sample(x) or is_error(x)):  # the cheaper test first
                dropped += 1
                continue
            redactor = (x.source.redactor if x.source is not None else None) or _DEFAULT_REDACTOR
            entry = by_policy.get(id(redactor))
            if entry is None:
                entry = by_policy[id(redactor)] = (redactor, [])
            entry[1].append(x)
        if by_policy:
            groups: SpanGroups = {}
            built = 0
            for redactor, exchanges in by_policy.values():
                built += encode_spans(exchanges, redactor, groups, skipped=self.skipped)
            request = encode_request(groups, __version__)
            with self._lock:
                self.spans_built += built
                self.sampled_out += dropped
            if request.items:
                self._export_encoded(request)
        elif dropped:
            with self._lock:
                self.sampled_out += dropped

    def _export(self, request) -> None:
        for exporter in self.exporters:
            exporter.export_traces(request)

    def _export_encoded(self, request: EncodedRequest) -> None:
        message = request.message() if self._wants_message else None
        for exporter in self.exporters:
            exporter.export_traces(request if getattr(exporter, "accepts_encoded", False) else message)

    def refusal(self, nbytes: int) -> str | None:
        return first_refusal(self.exporters, nbytes)

    def counters(self) -> dict:
        attrs = self.attrs
        out = {
            ("otel_ebpf.spans.built", attrs): self.spans_built,
            ("otel_ebpf.spans.sampled_out", attrs): self.sampled_out,
            ("otel_ebpf.spans.annotated", attrs): self.annotated,
        }
        for reason_attrs, value in self.skipped.snapshot().items():
            out[("otel_ebpf.spans.skipped", attrs + reason_attrs)] = value
        return out


class MetricsTail(Consumer):
    """Args:
    name: The pipeline's name, the ``pipeline`` attribute of its counters.
    exporters: Where its requests go.
    """

    def __init__(self, name: str, exporters: list[Exporter]) -> None:
        self.name = name
        self.exporters = exporters
        self.attrs = (("pipeline", name),)
        self.http_metrics = HttpMetrics()

    def consume(self, data: PipelineData) -> None:
        if data.exchanges:
            captured = [x for x in data.exchanges if not is_received(x)]
            if captured:
                self.http_metrics.record(captured)
        if data.counts:  # the exchanges the kernel shed (received counts are forwarded as metrics instead)
            self.http_metrics.record_counts(data.counts)
        if data.metrics is not None:
            for exporter in self.exporters:
                exporter.export_metrics(data.metrics)

    def refusal(self, nbytes: int) -> str | None:
        return first_refusal(self.exporters, nbytes)

    def counters(self) -> dict:
        return {(name, self.attrs): value for (name, _), value in self.http_metrics.self_metrics().items()}
