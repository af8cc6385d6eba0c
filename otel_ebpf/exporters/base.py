"""The exporter interface, the shared queue-and-count machinery, and small helpers.

Every exporter takes ready-made OTLP protobuf requests and must never block or
raise in the caller's thread: the caller is the agent's pipeline.  So the common
base, :class:`QueuedExporter`, puts each request in a bounded
:class:`~otel_ebpf.exporters.sending_queue.SendingQueue` and worker threads hand
it to the subclass's ``_deliver``.  The base owns all the bookkeeping, so every
exporter reports the same counters and keeps the invariant::

    received == sent + dropped + queued        (per signal, in spans / data points)
"""

from __future__ import annotations

import abc
import logging
import re
import threading
import time
from typing import Any

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from otel_ebpf.exporters.sending_queue import SendingQueue

log = logging.getLogger(__name__)

TRACES = 0
METRICS = 1
SIGNAL_NAMES = ("traces", "metrics")
# What one item of each signal is called in the counters' names.
UNITS = ("spans", "metric_points")

DEFAULT_QUEUE_SIZE = 1000
DEFAULT_NUM_CONSUMERS = 1

_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
# Go's time.ParseDuration syntax (what Collector configs use): "300ms", "1.5s", "1m30s".
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_DURATION_FULL = re.compile(r"(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+")


def parse_duration(value: str | float | int, field: str = "duration") -> float:
    """Converts a config duration to seconds.

    Args:
        value: a number of seconds (``5``, ``0.2``, ``"5"``) or a Go-style duration
            string (``"5s"``, ``"200ms"``, ``"1m"``, ``"1m30s"``).
        field: the config field, named in the error message.

    Returns:
        The duration in seconds (never negative).

    Raises:
        ValueError: the value is not a duration, or is negative.
    """
    if isinstance(value, bool):  # bool is an int: `timeout: true` is a config mistake
        raise ValueError(f"{field}: expected a duration such as '5s' or '200ms', got {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip()
        try:
            seconds = float(text)
        except ValueError:
            if not _DURATION_FULL.fullmatch(text):
                raise ValueError(f"{field}: expected a duration such as '5s' or '200ms', got {value!r}") from None
            seconds = sum(float(num) * _DURATION_UNITS[unit] for num, unit in _DURATION_PART.findall(text))
    else:
        raise ValueError(f"{field}: expected a duration such as '5s' or '200ms', got {value!r}")
    if not seconds >= 0:  # also rejects NaN
        raise ValueError(f"{field}: a duration cannot be negative, got {value!r}")
    return seconds


def count_spans(request: ExportTraceServiceRequest) -> int:
    """Number of spans in a trace request."""
    return sum(len(ss.spans) for rs in request.resource_spans for ss in rs.scope_spans)


def count_data_points(request: ExportMetricsServiceRequest) -> int:
    """Number of data points in a metrics request (a histogram point counts as one)."""
    n = 0
    for rm in request.resource_metrics:
        for sm in rm.scope_metrics:
            for metric in sm.metrics:
                kind = metric.WhichOneof("data")
                if kind is not None:
                    n += len(getattr(metric, kind).data_points)
    return n


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


class Exporter(abc.ABC):
    """What the pipeline sees of an exporter.

    ``export_*`` never block the caller and never raise: a request is queued, or
    dropped and counted.  ``shutdown`` is safe without ``start``, idempotent, and
    returns within its deadline.
    """

    @abc.abstractmethod
    def start(self) -> None:
        """Opens connections or files and starts the sending threads."""

    @abc.abstractmethod
    def export_traces(self, request: ExportTraceServiceRequest) -> None:
        """Queues a trace request (or counts it as dropped)."""

    @abc.abstractmethod
    def export_metrics(self, request: ExportMetricsServiceRequest) -> None:
        """Queues a metrics request (or counts it as dropped)."""

    @abc.abstractmethod
    def force_flush(self, timeout_s: float = 5.0) -> bool:
        """Waits until everything queued is sent or dropped; False if the timeout came first."""

    @abc.abstractmethod
    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Sends what is queued within the deadline, drops and counts the rest, releases resources."""

    @abc.abstractmethod
    def stats(self) -> dict[str, int]:
        """A snapshot of the exporter's counters (names are stable: they become metric names)."""


class Batch:
    """One queued request and its bookkeeping."""

    __slots__ = ("signal", "request", "items", "settled")

    def __init__(self, signal: int, request: Any, items: int):
        self.signal = signal
        self.request = request
        self.items = items
        # Set once the batch is counted as sent or dropped, so that a worker that
        # finishes after shutdown gave up on it cannot count it a second time.
        self.settled = False


class ExportError(Exception):
    """A request could not be delivered and is dropped (after any retries)."""


class QueuedExporter(Exporter):
    """Base class: a bounded sending queue, worker threads and the counters.

    Subclasses implement :meth:`_deliver` (and optionally :meth:`_open` /
    :meth:`_close`).  ``sending_queue: {enabled: false}`` delivers in the caller's
    thread instead, which blocks it: the Collector's semantics, meant for tests.

    Args:
        name: the exporter's id in the config, for log messages.
        config: the exporter's config; only ``sending_queue`` is read here.
    """

    def __init__(self, name: str, config: dict[str, Any] | None = None):
        config = config or {}
        queue_cfg = config.get("sending_queue") or {}
        self.name = name
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
        if queue_cfg.get("enabled", True):
            capacity = int(queue_cfg.get("queue_size", DEFAULT_QUEUE_SIZE))
            consumers = int(queue_cfg.get("num_consumers", DEFAULT_NUM_CONSUMERS))
            if capacity < 1:
                raise ValueError(f"{name}: sending_queue.queue_size must be at least 1, got {capacity}")
            if consumers < 1:
                raise ValueError(f"{name}: sending_queue.num_consumers must be at least 1, got {consumers}")
            self._queue = SendingQueue(capacity, consumers, self._process, name=f"exporter-{name}")

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

    def start(self) -> None:
        with self._lock:
            if self._started or self._shut_down:
                return
            self._started = True
        self._open()
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
        else:
            out["queue_size"] = 0
            out["queue_capacity"] = 0
        return out

    # -- bookkeeping ------------------------------------------------------------------

    def _submit(self, signal: int, request: Any, items: int) -> None:
        if items == 0:
            return  # nothing to send; an empty request would only cost a round trip
        batch = Batch(signal, request, items)
        with self._lock:
            self._received[signal] += items
            self._queued[signal] += items
            closed = self._shut_down
        if closed:
            self._settle(batch, 0, items, failed=False)
            return
        if self._queue is None:
            if not self._started:
                self._settle(batch, 0, items, failed=False)
                return
            self._process(batch)
        elif not self._queue.offer(batch):
            with self._lock:
                self._counters["enqueue_failed_requests"] += 1
            self._settle(batch, 0, items, failed=False)
            self._warn(
                "queue_full",
                logging.WARNING,
                "exporter %s: sending queue is full (%d requests), dropping %s",
                self.name,
                self._queue.capacity,
                SIGNAL_NAMES[signal],
            )

    def _process(self, batch: Batch) -> None:
        """Runs in a worker thread (or the caller's, without a queue); never raises."""
        try:
            rejected = self._deliver(batch)
        except ExportError as exc:
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

    def _count_retry(self) -> None:
        with self._lock:
            self._counters["retries"] += 1

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
