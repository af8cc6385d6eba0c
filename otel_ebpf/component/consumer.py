"""How data moves between components: consumers, processors and exporters.

A receiver holds a :class:`Consumer` (the fan-out to its pipelines); a processor is a consumer
that hands data to the next one; the end of each pipeline turns the data into its signal and
calls its exporters with OTLP requests.

Back-pressure.  A consumer that cannot take data now (the ``memory_limiter`` over its soft
limit) raises :class:`Refused` from ``consume``: the data was not taken, and a receiver that can
push back asks its sender to retry later (``otlp``: gRPC ``RESOURCE_EXHAUSTED``); one that
cannot (``ebpf``) counts it.  Because ``batch`` decouples a pipeline's end from its receiver, a
full exporter queue cannot raise into the receiver's call; so a receiver that can push back
first asks :meth:`Consumer.refusal` whether data of its size would be refused or dropped for
want of room now, and refuses the request before decoding it.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable

from otel_ebpf.component.lifecycle import Component
from otel_ebpf.model import HttpExchange, PipelineData, RequestCount


class Refused(Exception):  # noqa: N818 - the Collector's word (ErrDataRefused)
    """Data refused for now (memory, a full queue): not taken, the sender should retry later.

    Args:
        reason: Why, for the counters' ``reason`` attribute (``memory_limit``, ``queue_bytes_full``).
        message: For the logs and the sender.
    """

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(message or reason)
        self.reason = reason


class Consumer(abc.ABC):
    """Takes a batch: a pipeline, a processor, the end of a pipeline."""

    @abc.abstractmethod
    def consume(self, data: PipelineData) -> None:
        """Handles ``data`` (and passes it on); may be called from several threads at once.

        Raises:
            Refused: the data was not taken (see the module docstring); nothing else is raised on purpose.
        """

    def refusal(self, nbytes: int) -> str | None:
        """Why data of about ``nbytes`` (serialized) would be refused or dropped for want of room now, or None.

        Advisory and cheap (no lock held across the pipeline): a receiver asks before taking a
        request.  The default has no bound of its own.
        """
        return None


def first_refusal(stages: Iterable[Consumer | Exporter], nbytes: int) -> str | None:
    """The first of ``stages`` that would refuse or drop data of about ``nbytes``, or None: taking
    it would lose it there (the Collector's fan-out also fails when one of its consumers does)."""
    for stage in stages:
        reason = stage.refusal(nbytes)
        if reason is not None:
            return reason
    return None


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

    def refusal(self, nbytes: int) -> str | None:
        """A processor without a bound of its own answers for the stages after it."""
        return self.next_consumer.refusal(nbytes)


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

    ``accepts_encoded``: True when ``export_traces`` also takes an
    :class:`~otel_ebpf.model.EncodedRequest` (the request's bytes, already serialized), which the
    traces pipelines then give it instead of a message they would parse for it.
    """

    accepts_encoded = False

    def refusal(self, nbytes: int) -> str | None:
        """Why a request of about ``nbytes`` (serialized) would be dropped for want of room now, or None."""
        return None

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
