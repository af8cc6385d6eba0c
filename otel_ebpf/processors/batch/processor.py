"""Groups what flows through a pipeline into batches, by size or after a timeout (the Collector's ``batch``).

Items are what the data holds: exchanges, spans of forwarded requests, metric data points of
forwarded or collected requests, request counts.  A batch goes on when it holds
``send_batch_size`` items (in the thread that filled it) or when its first item is ``timeout``
old (on the service's timer).  With ``send_batch_max_size``, a larger batch is cut: exchanges
and counts item by item, forwarded requests by whole resource (a single resource with more
items than the maximum goes whole), an exchange made from a received span with its span.

A batch also goes when it holds ``send_batch_size_mib`` (serialized bytes: forwarded requests
are measured with ``ByteSize()``, about 0.4-1.2 ms for 3 MiB of large spans and 8-11 ms for
2.7 MiB of 15,000 small ones, measured; a captured exchange counts 1 KiB plus its captured
bodies); an incoming batch that would take it past that bound first sends what waits.  What is
waiting is bounded by ``send_batch_size`` items and ``send_batch_size_mib`` (plus one incoming
batch), and goes on at shutdown: the processors after this one are still running then.  What arrives after shutdown
(a receiver's last drain) passes straight through.  A part that the next stages fail on is
counted in ``batch.send_errors`` and ``batch.dropped_items``; the other parts go on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from otel_ebpf.component import Consumer, Host, Processor
from otel_ebpf.model import HttpExchange, PipelineData, is_received
from otel_ebpf.model.pipeline import point_count, span_count

log = logging.getLogger(__name__)

# How often the timer looks at the oldest item, at most, on a host without one-shot timers: a
# batch waits timeout + this, at worst.  The service's host has them: one timer per batch, set
# at its first item, so an idle pipeline costs no wake-up (polling every 50 ms was 20 wake-ups a
# second per batch processor, ~80 µs of CPU each on the bench VM) and a batch waits timeout exactly.
_MAX_CHECK_INTERVAL_S = 0.05
_MIB = 1024 * 1024
# A captured exchange's span, serialized: about 0.6-1 KB without bodies (attributes, ids, times).
_EXCHANGE_BYTES = 1024


class BatchProcessor(Processor):
    """Args:
    config: The resolved ``batch`` config.
    next_consumer: The next stage of the pipeline.
    clock: Monotonic seconds (injectable for tests).
    """

    def __init__(self, config: Mapping, next_consumer: Consumer | None = None, clock=time.monotonic) -> None:
        super().__init__(next_consumer)
        self.send_batch_size: int = config["send_batch_size"]
        self.timeout_s: float = config["timeout"]
        self.max_size: int = config["send_batch_max_size"]
        self.max_bytes: int = int(config.get("send_batch_size_mib", 0) * _MIB)
        self._clock = clock
        self._lock = threading.Lock()
        self._pending = PipelineData()
        self._items = 0
        self._bytes = 0
        self._oldest = 0.0
        self.batches_by_size = 0
        self.batches_by_timeout = 0
        self.send_errors = 0
        self.dropped_items = 0
        self._stopped = False
        self._host: Host | None = None  # set when the host has one-shot timers

    def start(self, host: Host | None = None) -> None:
        if host is None:
            return
        if host.after(self.timeout_s, self._noop, "batch timeout"):  # asks whether it has one-shots
            self._host = host
        else:
            host.every(min(_MAX_CHECK_INTERVAL_S, self.timeout_s / 2), self.flush_if_due, "batch timeout")

    @staticmethod
    def _noop() -> None:
        pass

    def _arm(self, oldest: float, delay_s: float) -> None:
        """The timer of the batch whose first item came at ``oldest``."""
        self._host.after(delay_s, lambda: self._on_timer(oldest), "batch timeout")

    def _on_timer(self, oldest: float) -> None:
        with self._lock:
            if not self._items or self._oldest != oldest:
                return  # that batch went by size (or shutdown); the next one has its own timer
            age = self._clock() - oldest
            if age < self.timeout_s:
                out = None  # early (another clock in tests): set it again
            else:
                out = self._take()
                self.batches_by_timeout += 1
        if out is None:
            self._arm(oldest, self.timeout_s - age)
        else:
            self._send(out)

    def consume(self, data: PipelineData) -> None:
        if self._stopped:
            self._send(data)
            return
        n = data.item_count()
        if not n:
            return
        nbytes = data_bytes(data) if self.max_bytes else 0
        first = None
        with self._lock:
            if self._items and self._bytes + nbytes > self.max_bytes > 0:
                first = self._take()  # what waits goes first, so that no batch passes the bound
                self.batches_by_size += 1
            arm = not self._items and self._host is not None
            if not self._items:
                self._oldest = self._clock()
            oldest = self._oldest
            _merge(self._pending, data)
            self._items += n
            self._bytes += nbytes
            full = self._items >= self.send_batch_size or self._bytes >= self.max_bytes > 0
            out = self._take() if full else None
            if out is not None:
                self.batches_by_size += 1
        if arm and out is None:
            self._arm(oldest, self.timeout_s)
        if first is not None:
            self._send(first)
        if out is not None:
            self._send(out)

    def refusal(self, nbytes: int) -> str | None:
        """The next stages are asked for what this batch will hand them: what waits plus ``nbytes``."""
        return self.next_consumer.refusal(self._bytes + nbytes)

    def flush_if_due(self) -> None:
        """Sends the waiting batch when its first item is ``timeout`` old (the service's timer calls this)."""
        with self._lock:
            out = self._take() if self._items and self._clock() - self._oldest >= self.timeout_s else None
            if out is not None:
                self.batches_by_timeout += 1
        if out is not None:
            self._send(out)

    def force_flush(self, timeout_s: float = 5.0) -> bool:
        with self._lock:
            out = self._take() if self._items else None
        if out is not None:
            self._send(out)
        return True

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Sends what waits on (the next stages still run during shutdown)."""
        self._stopped = True
        self.force_flush(timeout_s)

    def stats(self) -> dict[str, int]:
        return {
            "batch.sent_by_size": self.batches_by_size,
            "batch.sent_by_timeout": self.batches_by_timeout,
            "batch.queued_items": self._items,
            "batch.queued_bytes": self._bytes,
            "batch.send_errors": self.send_errors,
            "batch.dropped_items": self.dropped_items,
        }

    def _take(self) -> PipelineData:
        out, self._pending, self._items, self._bytes = self._pending, PipelineData(), 0, 0
        return out

    def _send(self, data: PipelineData) -> None:
        for part in self._split(data):
            try:
                self.next_consumer.consume(part)
            except Exception:  # one part's failure must not cost the parts after it
                with self._lock:
                    self.send_errors += 1
                    self.dropped_items += part.item_count()
                    first = self.send_errors == 1
                if first:
                    log.exception("batch: the next stage failed on %r; counted in batch.send_errors", part)

    def _split(self, data: PipelineData) -> list[PipelineData]:
        limit = self.max_size
        if not limit or data.item_count() <= limit:
            return [data]
        parts: list[PipelineData] = []
        exchanges = data.exchanges
        with_spans: dict[bytes, list[HttpExchange]] = {}
        if data.spans is not None:  # an exchange made from a received span travels with its span
            exchanges = []
            for x in data.exchanges:
                if is_received(x):
                    with_spans.setdefault(x.span_id, []).append(x)
                else:
                    exchanges.append(x)
            for chunk in _chunks(data.spans.resource_spans, span_count, limit):
                views = [x for span_id in _span_ids(chunk) for x in with_spans.pop(span_id, ())]
                parts.append(PipelineData(views, spans=ExportTraceServiceRequest(resource_spans=chunk)))
            exchanges += [x for views in with_spans.values() for x in views]  # no span: none expected
        for i in range(0, len(exchanges), limit):
            parts.append(PipelineData(exchanges=exchanges[i : i + limit]))
        for i in range(0, len(data.counts), limit):
            parts.append(PipelineData(counts=data.counts[i : i + limit]))
        if data.metrics is not None:
            parts.extend(
                PipelineData(metrics=ExportMetricsServiceRequest(resource_metrics=chunk))
                for chunk in _chunks(data.metrics.resource_metrics, point_count, limit)
            )
        return parts


def data_bytes(data: PipelineData) -> int:
    """About what ``data`` weighs serialized: its forwarded requests, and its captured exchanges."""
    n = 0
    if data.spans is not None:
        n += data.spans.ByteSize()
    if data.metrics is not None:
        n += data.metrics.ByteSize()
    for x in data.exchanges:
        if not is_received(x):  # a received exchange is a view of a span counted above
            n += _EXCHANGE_BYTES + len(x.request_body) + len(x.response_body)
    return n


def _merge(into: PipelineData, data: PipelineData) -> None:
    into.exchanges.extend(data.exchanges)
    into.counts.extend(data.counts)
    if data.spans is not None:
        if into.spans is None:
            into.spans = ExportTraceServiceRequest()
        into.spans.resource_spans.extend(data.spans.resource_spans)
    if data.metrics is not None:
        if into.metrics is None:
            into.metrics = ExportMetricsServiceRequest()
        into.metrics.resource_metrics.extend(data.metrics.resource_metrics)


def _span_ids(resource_spans) -> list[bytes]:
    return [span.span_id for rs in resource_spans for ss in rs.scope_spans for span in ss.spans]


def _chunks(resources, count, limit: int):
    chunk, n = [], 0
    for resource in resources:
        size = count(resource)
        if chunk and n + size > limit:
            yield chunk
            chunk, n = [], 0
        chunk.append(resource)
        n += size
    if chunk:
        yield chunk
