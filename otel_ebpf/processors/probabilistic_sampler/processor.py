"""Keeps ``sampling_percentage`` of the traces, deciding by trace id, and every failure.

The decision is the OpenTelemetry SDK's ``TraceIdRatioBased``: a trace is kept when the low
64 bits of its id (big-endian) are below ``percentage / 100 * 2**64``, so every agent, SDK and
Collector applying the same ratio keeps the same traces whole.

Exchanges that failed or that a processor marked ``keep`` (SLO violations, slow requests: the
metrics' exemplars point at them) are kept whatever the ratio; list this processor after
``semantic_errors`` so that silent failures count.  In forwarded requests (``otlp`` receiver),
spans with an error status and the spans of kept exchanges are kept the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from otel_ebpf.component import Consumer, Processor
from otel_ebpf.model import STATUS_ERROR, PipelineData, is_received
from otel_ebpf.telemetry.outcome import is_error
from otel_ebpf.telemetry.sampling import ratio_bound, trace_id_below


class ProbabilisticSampler(Processor):
    """Args:
    config: The resolved ``probabilistic_sampler`` config.
    next_consumer: The next stage of the pipeline.
    """

    def __init__(self, config: Mapping, next_consumer: Consumer | None = None) -> None:
        super().__init__(next_consumer)
        self.ratio = float(config["sampling_percentage"]) / 100.0
        self.bound = ratio_bound(self.ratio)
        self.sampled_out = 0
        self._lock = threading.Lock()  # receivers call consume from their own threads

    def sampled(self, trace_id: bytes) -> bool:
        return len(trace_id) == 16 and trace_id_below(trace_id, self.bound)

    def consume(self, data: PipelineData) -> None:
        if self.ratio < 1.0:
            self._sample(data)
        if not data.is_empty():
            self.next_consumer.consume(data)

    def _sample(self, data: PipelineData) -> None:
        kept_exchanges = []
        keep_spans: set[bytes] = set()
        dropped = 0
        for x in data.exchanges:
            if self.sampled(x.trace_id) or is_error(x):  # the cheaper test first
                kept_exchanges.append(x)
                keep_spans.add(x.span_id)
            elif not is_received(x):  # a received span's exchange is counted with its span
                dropped += 1
        data.exchanges = kept_exchanges
        if data.spans is not None:
            dropped += self._sample_request(data, keep_spans)
        with self._lock:
            self.sampled_out += dropped

    def _sample_request(self, data: PipelineData, keep_spans: set[bytes]) -> int:
        """Drops the received spans not kept; returns how many."""
        dropped = 0
        remaining = 0
        for rs in data.spans.resource_spans:
            for ss in rs.scope_spans:
                spans = ss.spans
                drop = [
                    i
                    for i, span in enumerate(spans)
                    if not (
                        span.status.code == STATUS_ERROR or span.span_id in keep_spans or self.sampled(span.trace_id)
                    )
                ]
                for i in reversed(drop):
                    del spans[i]
                dropped += len(drop)
                remaining += len(spans)
        if not remaining:
            data.spans = None
        return dropped

    def stats(self) -> dict[str, int]:
        return {"sampler.sampled_out_spans": self.sampled_out}
