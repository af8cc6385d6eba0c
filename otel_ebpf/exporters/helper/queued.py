"""The machinery every queued exporter shares: a bounded queue, worker threads, the counters.

Every exporter takes ready-made OTLP protobuf requests and must never block or raise in
the caller's thread: the caller is a pipeline.  So :class:`QueuedExporter` puts each
request in a bounded :class:`~otel_ebpf.exporters.helper.sending_queue.SendingQueue` and
worker threads hand it to the subclass's ``_deliver``.  The base owns all the bookkeeping,
so every exporter reports the same counters (``otel_ebpf.exporter.*``, attribute
``exporter`` = its id) and keeps the invariant::

    received == sent + dropped + queued        (per signal, in spans / data points)

This is the Collector's ``exporterhelper``: the sending queue (``sending_queue``) and the
retry settings (:mod:`.retry`) have its names and defaults.
"""

from __future__ import annotations

import abc
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from otel_ebpf.component import CreateSettings, Exporter, Host
from otel_ebpf.exporters.helper.queue_bytes import MIB, EnqueueFailures, request_bytes
from otel_ebpf.exporters.helper.retry import Backoff, RetrySettings
from otel_ebpf.exporters.helper.sending_queue import SendingQueue
from otel_ebpf.model.pipeline import count_data_points, count_spans

log = logging.getLogger(__name__)

TRACES = 0
METRICS = 1
SIGNAL_NAMES = ("traces", "metrics")
# What one item of each signal is called in the counters' names.
UNITS = ("spans", "metric_points")


class RateLimitedLog:
    """Logs a message at most once per `interval_s` per key, counting what it held back.

    A backend that is down fails every request; one warning per interval is enough.
    """

    def __init__(self, logger: logging.Logger, interval_s: float = 30.0):
        self._log = logger
        self._interval = interval_s
        self._last: dict[str, float] = {}
        self._suppressed: dict[str, int] = {}
        self._lock = threading.Lock()

    def __call__(self, key: str, level: int, msg: str, *args: object, exc_info: bool = False) -> None:
        now = time.monotonic()
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last < self._interval:
                self._suppressed[key] = self._suppressed.get(key, 0) + 1
                return
            self._last[key] = now
            suppressed = self._suppressed.pop(key, 0)
        if suppressed:
            msg += " (%d similar messages suppressed)"
            args = (*args, suppressed)
        self._log.log(level, msg, *args, exc_info=exc_info)


class Batch:
    """One queued request and its bookkeeping."""

    __slots__ = ("signal", "request", "items", "nbytes", "settled")

    def __init__(self, signal: int, request: Any, items: int, nbytes: int = 0):
        self.signal = signal
        self.request = request
        self.items = items
        self.nbytes = nbytes  # serialized size, what the queue's byte bound counts (0: not measured)
        # Set once the batch is counted as sent or dropped, so that a worker that
        # finishes after shutdown gave up on it cannot count it a second time.
        self.settled = False


class ExportError(Exception):
    """A request could not be delivered and is dropped (after any retries)."""


class RetryableError(Exception):
    """One attempt failed for a reason that may pass (a backend down, throttling): try again later.

    Args:
        reason: What happened, for the logs and the final ExportError.
        server_delay: The least the server asked us to wait (RetryInfo, Retry-After), in seconds.
    """

    def __init__(self, reason: str, server_delay: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.server_delay = server_delay


class QueuedExporter(Exporter):
    """Base class: a bounded sending queue, worker threads and the counters.

    Subclasses implement :meth:`_deliver` (and optionally :meth:`_open` /
    :meth:`_close`).  ``sending_queue: {enabled: false}`` delivers in the caller's
    thread instead, which blocks it: the Collector's semantics, meant for tests.

    Args:
        settings: Its id (for logs and the counters' ``exporter`` attribute) and telemetry.
        config: The exporter's resolved config; only ``sending_queue`` is read here.
    """

    def __init__(self, settings: CreateSettings, config: dict[str, Any]):
        queue_cfg = config["sending_queue"]
        self.name = settings.id
        self.settings = settings
        self._lock = threading.Lock()
        self._received = [0, 0]
        self._sent = [0, 0]
        self._dropped = [0, 0]
        self._queued = [0, 0]
        self._counters = {
            "sent_requests": 0,
            "failed_requests": 0,
            "enqueue_failed_requests": 0,
            "invalid_requests": 0,
            "retries": 0,
        }
        self._started = False
        self._shut_down = False
        # Set by shutdown: retry loops look at it to stop trying after the deadline.
        self.shutdown_deadline: float | None = None
        self.stopping = threading.Event()
        self._warn = RateLimitedLog(log)
        self._queue: SendingQueue[Batch] | None = None
        if queue_cfg["enabled"]:
            self._queue = SendingQueue(
                queue_cfg["queue_size"],
                queue_cfg["num_consumers"],
                self._process,
                name=f"exporter-{self.name}",
                capacity_bytes=int(queue_cfg["queue_size_mib"] * MIB),
            )
        self._enqueue_failed = EnqueueFailures(settings.attributes, UNITS)
        settings.report_stats("otel_ebpf.exporter", self.stats)
        settings.telemetry.register(self._enqueue_failed.readings)

    # -- to implement ---------------------------------------------------------------

    @abc.abstractmethod
    def _deliver(self, batch: Batch) -> int:
        """Sends one request, retrying if the exporter does.

        Returns:
            How many of its items the receiver rejected (0 when all were accepted).

        Raises:
            Exception: the request was not delivered; all its items are dropped.
        """

    def _open(self) -> None:
        """Acquires resources (channel, file); called by start()."""

    def _close(self) -> None:
        """Releases resources; called once by shutdown(), after the queue stopped."""

    # -- the interface ----------------------------------------------------------------

    def start(self, host: Host | None = None) -> None:
        """Opens the destination (raises when it cannot: then, what the exporter is given is dropped
        and counted at once, never held), then starts the sending threads."""
        with self._lock:
            if self._started or self._shut_down:
                return
        self._open()
        with self._lock:
            self._started = True
        if self._queue is not None:
            self._queue.start()

    def export_traces(self, request: ExportTraceServiceRequest) -> None:
        try:
            n = count_spans(request)
        except Exception:  # not a trace request: count, never raise into the pipeline
            self._invalid(request)
            return
        self._submit(TRACES, request, n)

    def export_metrics(self, request: ExportMetricsServiceRequest) -> None:
        try:
            n = count_data_points(request)
        except Exception:
            self._invalid(request)
            return
        self._submit(METRICS, request, n)

    def force_flush(self, timeout_s: float = 5.0) -> bool:
        if self._queue is None or not self._started:
            return self._queue is None or len(self._queue) == 0
        return self._queue.join(timeout_s)

    def shutdown(self, timeout_s: float = 5.0) -> None:
        with self._lock:
            if self._shut_down:
                return
            self._shut_down = True
            started = self._started
        deadline = time.monotonic() + max(0.0, timeout_s)
        self.shutdown_deadline = deadline
        self.stopping.set()  # wakes workers sleeping in a backoff
        if self._queue is not None:
            # Without start() nothing ever ran: what was queued is dropped at once.
            leftovers = self._queue.close(deadline if started else time.monotonic())
            for batch in leftovers:
                self._settle(batch, 0, batch.items, failed=False)
            if leftovers:
                self._warn(
                    "shutdown",
                    logging.WARNING,
                    "exporter %s: shutdown deadline reached, dropped %d queued requests",
                    self.name,
                    len(leftovers),
                )
        try:
            self._close()
        except Exception:
            log.warning("exporter %s: error while closing", self.name, exc_info=True)

    def stats(self) -> dict[str, int]:
        with self._lock:
            out: dict[str, int] = {}
            for sig, unit in enumerate(UNITS):
                out[f"received_{unit}"] = self._received[sig]
                out[f"sent_{unit}"] = self._sent[sig]
                out[f"dropped_{unit}"] = self._dropped[sig]
                out[f"queued_{unit}"] = self._queued[sig]
            out.update(self._counters)
        if self._queue is not None:
            out["queue_size"] = len(self._queue)
            out["queue_capacity"] = self._queue.capacity
            out["queue_size_bytes"] = self._queue.size_bytes
            out["queue_capacity_bytes"] = self._queue.capacity_bytes
        else:
            out["queue_size"] = 0
            out["queue_capacity"] = 0
            out["queue_size_bytes"] = 0
            out["queue_capacity_bytes"] = 0
        return out

    def refusal(self, nbytes: int) -> str | None:
        """Why a request of about `nbytes` (serialized) would be dropped at the queue now, or None.

        Receivers that can push back ask before accepting (see ``Consumer.refusal``).
        """
        if self._queue is None:
            return None
        return self._queue.refusal(nbytes)

    # -- bookkeeping ------------------------------------------------------------------

    def _submit(self, signal: int, request: Any, items: int) -> None:
        if items == 0:
            return  # nothing to send; an empty request would only cost a round trip
        nbytes = request_bytes(request) if self._queue is not None and self._queue.capacity_bytes else 0
        batch = Batch(signal, request, items, nbytes)
        with self._lock:
            self._received[signal] += items
            self._queued[signal] += items
            running = self._started and not self._shut_down
        if not running:  # not started (or it could not start), or shut down: nothing would send it
            self._settle(batch, 0, items, failed=False)
            return
        if self._queue is None:
            self._process(batch)
        elif (reason := self._queue.offer(batch, nbytes)) is not None:
            with self._lock:
                self._counters["enqueue_failed_requests"] += 1
            self._enqueue_failed.add(signal, reason, items)
            self._settle(batch, 0, items, failed=False)
            self._warn(
                "queue_full",
                logging.WARNING,
                "exporter %s: sending queue is full (%s: %d requests, %.1f MiB held of %d requests, %.1f MiB),"
                " dropping %s",
                self.name,
                reason,
                len(self._queue),
                self._queue.size_bytes / MIB,
                self._queue.capacity,
                self._queue.capacity_bytes / MIB,
                SIGNAL_NAMES[signal],
            )

    def _process(self, batch: Batch) -> None:
        """Runs in a worker thread (or the caller's, without a queue); never raises."""
        try:
            rejected = self._deliver(batch)
        except ExportError as exc:
            if batch.settled:  # shutdown gave up on it and already counted it: no second report
                return
            self._settle(batch, 0, batch.items, failed=True)
            self._warn(
                "export_error",
                logging.WARNING,
                "exporter %s: dropped %s: %s",
                self.name,
                SIGNAL_NAMES[batch.signal],
                exc,
            )
        except Exception:
            self._settle(batch, 0, batch.items, failed=True)
            self._warn("unexpected", logging.ERROR, "exporter %s: unexpected error", self.name, exc_info=True)
        else:
            rejected = min(max(0, rejected), batch.items)
            self._settle(batch, batch.items - rejected, rejected, failed=False)

    def _settle(self, batch: Batch, sent: int, dropped: int, failed: bool) -> None:
        sig = batch.signal
        with self._lock:
            if batch.settled:
                return
            batch.settled = True
            self._queued[sig] -= batch.items
            self._sent[sig] += sent
            self._dropped[sig] += dropped
            if failed:
                self._counters["failed_requests"] += 1
            elif sent:
                self._counters["sent_requests"] += 1

    def _rejected_by_receiver(self, signal: int, rejected: int, message: str) -> int:
        """A partial success: the receiver refused ``rejected`` items (counted as dropped); warns."""
        if rejected or message:
            self._warn(
                "partial_success",
                logging.WARNING,
                "exporter %s: the receiver rejected %d %s: %s",
                self.name,
                rejected,
                "spans" if signal == TRACES else "data points",
                message or "(no message)",
            )
        return rejected

    def _count_retry(self) -> None:
        with self._lock:
            self._counters["retries"] += 1

    # -- retries (the Collector's retry_on_failure) ------------------------------------------

    def _with_retries(self, retry: RetrySettings, timeout_s: float, attempt: Callable[[float], int]) -> int:
        """Calls ``attempt(timeout)`` until it returns (the items the receiver rejected).

        ``attempt`` raises :class:`RetryableError` for a failure worth another try (waited with
        exponential backoff and jitter, at least what the server asked for), :class:`ExportError`
        for one that is not.  Gives up (ExportError) past ``max_elapsed_time``, or when the
        shutdown deadline would pass; each attempt's timeout never outlasts that deadline.
        """
        backoff: Backoff | None = None
        first_attempt = time.monotonic()
        while True:
            timeout = timeout_s
            deadline = self.shutdown_deadline
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ExportError("shutdown deadline reached")
                timeout = min(timeout, remaining)
            try:
                return attempt(timeout)
            except RetryableError as failure:
                reason = failure.reason
                if not retry.enabled:
                    raise ExportError(f"{reason} (retry disabled)") from None
                if backoff is None:
                    backoff = Backoff(retry)
                delay = backoff.next_delay()
                if failure.server_delay is not None:
                    delay = max(delay, failure.server_delay)
                elapsed = time.monotonic() - first_attempt
                if retry.max_elapsed_time > 0 and elapsed + delay > retry.max_elapsed_time:
                    raise ExportError(f"{reason}, no more retries after {elapsed:.1f}s") from None
                log.debug("exporter %s: %s, retrying in %.2fs", self.name, reason, delay)
                self._wait_before_retry(delay, reason)
                self._count_retry()

    def _wait_before_retry(self, delay: float, reason: str) -> None:
        """Sleeps `delay`, or gives up (ExportError) if shutdown's deadline comes first."""
        wake_at = time.monotonic() + delay
        while (remaining := wake_at - time.monotonic()) > 0:
            deadline = self.shutdown_deadline
            if deadline is not None:
                if wake_at > deadline:
                    raise ExportError(f"{reason}, shutting down before the next retry")
                time.sleep(remaining)
                return
            self.stopping.wait(remaining)  # returns early when shutdown starts, to re-check

    def _invalid(self, request: object) -> None:
        with self._lock:
            self._counters["invalid_requests"] += 1
        self._warn(
            "invalid",
            logging.WARNING,
            "exporter %s: ignored a %s, not an OTLP request",
            self.name,
            type(request).__name__,
        )
