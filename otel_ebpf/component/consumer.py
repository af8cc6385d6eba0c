"""How data moves between components: consumers, processors and exporters.

A receiver holds a :class:`Consumer` (the fan-out to its pipelines); a processor is a consumer
that hands data to the next one; the end of each pipeline turns the data into its signal and
calls its exporters with OTLP requests.
"""

from __future__ import annotations

import abc

from otel_ebpf.component.lifecycle import Component
from otel_ebpf.model import HttpExchange, PipelineData, RequestCount


class Consumer(abc.ABC):
    """Takes a batch: a pipeline, a processor, the end of a pipeline."""

    @abc.abstractmethod
    def consume(self, data: PipelineData) -> None:
        """Handles ``data`` (and passes it on); may be called from several threads at once."""


class Discard(Consumer):
    """The consumer of a processor built outside a pipeline (unit tests): drops what it gets."""

    def consume(self, data: PipelineData) -> None:
        pass


DISCARD = Discard()


class Processor(Component, Consumer):
    """A stage of one pipeline: gets data and hands it, or what is left of it, to ``next_consumer``.

    Args:
        next_consumer: The next processor, or the end of the pipeline.
    """

    def __init__(self, next_consumer: Consumer | None = None) -> None:
        self.next_consumer = next_consumer if next_consumer is not None else DISCARD


class ExchangeProcessor(Processor):
    """A processor that reads and annotates exchanges and passes everything else on unchanged.

    Subclasses implement :meth:`process`; those that count requests from received duration
    histograms (``otlp`` receiver, ``http_requests_from: [metrics]``) also :meth:`count`.
    """

    def consume(self, data: PipelineData) -> None:
        if data.exchanges:
            data.exchanges = self.process(data.exchanges)
        if data.counts:
            self.count(data.counts)
        self.next_consumer.consume(data)

    @abc.abstractmethod
    def process(self, exchanges: list[HttpExchange]) -> list[HttpExchange]:
        """Reads and annotates a batch of exchanges; returns the ones that go on."""

    def count(self, counts: list[RequestCount]) -> None:
        """Requests known only as counts (no exchange); ignored unless the processor counts requests."""


class Exporter(Component):
    """The end of a pipeline's road: sends OTLP requests somewhere.

    ``export_*`` never block the caller and never raise: a request is queued, or dropped and
    counted.  An exporter listed by several pipelines is one instance.
    """

    @abc.abstractmethod
    def export_traces(self, request) -> None:
        """Takes an ``ExportTraceServiceRequest`` (or counts it as dropped)."""

    @abc.abstractmethod
    def export_metrics(self, request) -> None:
        """Takes an ``ExportMetricsServiceRequest`` (or counts it as dropped)."""

    def close_queue(self, timeout_s: float = 5.0) -> None:
        """The first half of shutdown, for an exporter that queues: stop queueing, send what
        can be sent within ``timeout_s``, count and log what is discarded.  Until ``shutdown``
        a request is then sent at once or dropped (counted): the service's final self-metrics,
        which include those discards.  Nothing to do for an exporter that holds no queue."""
