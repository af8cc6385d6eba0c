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
from dataclasses import replace
from typing import Any

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from otel_ebpf.component import CreateSettings, Exporter, Host
from otel_ebpf.exporters.helper.queue_bytes import MIB, EnqueueFailures, request_bytes
from otel_ebpf.exporters.helper.retry import Backoff, RetrySettings
from otel_ebpf.exporters.helper.sending_queue import SendingQueue
from otel_ebpf.model import EncodedRequest
from otel_ebpf.model.pipeline import count_data_points, count_spans

log = logging.getLogger(__name__)

TRACES = 0
METRICS = 1
SIGNAL_NAMES = ("traces", "metrics")
# What one item of each signal is called in the counters' names.
UNITS = ("spans", "metric_points")
# While an export keeps failing, how often a line says so again (with what was dropped).
STILL_FAILING_LOG_S = 60.0
# How often a connection-level failure's probe is asked whether the backend is back.
PROBE_INTERVAL_S = 0.25
# The first retry interval after the probe saw the backend come back (then the usual growth).
RECOVERED_INITIAL_S = 0.5
# How long the final self-metrics request may take on one exporter (after close_queue).
FINAL_DELIVERY_S = 1.0
# Why shutdown discarded something (the log line's words, the order they are listed in).
DISCARD_UNSENT = "not sent before the shutdown deadline"
DISCARD_FAILED = "failed to send during shutdown"
DISCARD_OUTAGE = "exporter failing at shutdown"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def describe_items(spans: int, points: int) -> str:
    """``"1,200 spans and 3 metric points"``: the words of every loss line."""
    return f"{_plural(spans, 'span')} and {_plural(points, 'metric point')}"


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


class _Outage:
    """An export that fails for a transient reason (backend down, throttling), until one succeeds."""

    __slots__ = ("since", "reason", "dropped_before", "last_report")

    def __init__(self, since: float, reason: str, dropped_before: tuple[int, int]) -> None:
        self.since = since
        self.reason = reason
        self.dropped_before = dropped_before
        self.last_report = since


class ExportError(Exception):
    """A request could not be delivered and is dropped (after any retries)."""


class RetryableError(Exception):
    """One attempt failed for a reason that may pass (a backend down, throttling): try again later.

    Args:
        reason: What happened, for the logs and the final ExportError.
        server_delay: The least the server asked us to wait (RetryInfo, Retry-After), in seconds.
        probe: For a connection-level failure (refused, reset, UNAVAILABLE): says whether the
            backend can be reached again.  The wait before the next try polls it and ends as
            soon as it sees the backend come back (down, then up), so that export resumes
            within about a second of the backend's return instead of after the backoff
            interval (up to 30 s and more); a backend that answers errors while reachable
            never looks "back", and keeps the full backoff.
    """

    def __init__(self, reason: str, server_delay: float | None = None, probe: Callable[[], bool] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.server_delay = server_delay
        self.probe = probe


class QueuedExporter(Exporter):
    """Base class: a bounded sending queue, worker threads and the counters.

    Subclasses implement :meth:`_deliver` (and optionally :meth:`_open` /
    :meth:`_close`).  ``sending_queue: {enabled: false}`` delivers in the caller's
    thread instead, which blocks it: the Collector's semantics, meant for tests.

    A subclass that sends bytes sets ``accepts_encoded``: its batches then always hold an
    :class:`~otel_ebpf.model.EncodedRequest`, the bytes it was given or a message serialized once
    when queued (whose size is then known for free: no ``ByteSize()``, which upb computes by
    encoding).  The others always get a message.

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
        # The current outage (see _failed and _recovered); None while exports succeed.
        self._outage: _Outage | None = None
        # close_queue() ran: what comes next (the final self-metrics) is delivered at once.
        self._queue_closed = False
        # What shutdown discarded: reason -> [spans, metric points, requests], and the last error.
        self._discarded: dict[str, list[int]] = {}
        self._last_shutdown_error = ""
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

    def export_traces(self, request: ExportTraceServiceRequest | EncodedRequest) -> None:
        if request.__class__ is EncodedRequest:
            self._submit(TRACES, request, request.items)
            return
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

    @property
    def failing(self) -> bool:
        """True from a transient failure until the next delivery succeeds."""
        return self._outage is not None

    def close_queue(self, timeout_s: float = 5.0) -> None:
        """The first half of :meth:`shutdown`: stops taking requests into the queue, lets the
        workers drain it until the deadline, then discards what is left; every discarded span
        and point is counted (``dropped_*``, ``shutdown_dropped_*``), and :meth:`shutdown` logs
        one WARNING line saying how many and why.

        Afterwards (until :meth:`shutdown`) a request is delivered at once in the caller's
        thread, one attempt of at most :data:`FINAL_DELIVERY_S`, or dropped at once (counted)
        while the exporter is failing: that is how the service's final self-metrics, which
        count these discards, reach the exporters that still work.
        """
        with self._lock:
            if self._queue_closed or self._shut_down:
                return
            self._queue_closed = True
            started = self._started
        deadline = time.monotonic() + max(0.0, timeout_s)
        self.shutdown_deadline = deadline
        self.stopping.set()  # wakes workers sleeping in a backoff
        if self._queue is not None:
            # Without start() nothing ever ran: what was queued is dropped at once.
            leftovers = self._queue.close(deadline if started else time.monotonic())
            for batch in leftovers:
                if self._settle(batch, 0, batch.items, failed=False):
                    self._count_discard(DISCARD_UNSENT, batch)

    def shutdown(self, timeout_s: float = 5.0) -> None:
        self.close_queue(timeout_s)
        with self._lock:
            if self._shut_down:
                return
            self._shut_down = True
        self._log_discards()  # after close_queue and the final request: one line with everything
        try:
            self._close()
        except Exception:
            log.warning("exporter %s: error while closing", self.name, exc_info=True)

    def discarded_at_shutdown(self) -> dict[str, tuple[int, int, int]]:
        """What shutdown discarded so far: reason -> (spans, metric points, requests)."""
        with self._lock:
            return {reason: tuple(n) for reason, n in self._discarded.items()}  # type: ignore[misc]

    def _count_discard(self, reason: str, batch: Batch) -> None:
        with self._lock:
            counts = self._discarded.setdefault(reason, [0, 0, 0])
            counts[batch.signal] += batch.items
            counts[2] += 1

    def _log_discards(self) -> None:
        discarded = self.discarded_at_shutdown()
        if not discarded:
            return
        spans = sum(n[0] for n in discarded.values())
        points = sum(n[1] for n in discarded.values())
        requests = sum(n[2] for n in discarded.values())
        parts = []
        for reason in (DISCARD_UNSENT, DISCARD_FAILED, DISCARD_OUTAGE):
            if reason in discarded:
                n = discarded[reason]
                part = f"{describe_items(n[0], n[1])} {reason}"
                if reason != DISCARD_UNSENT and self._last_shutdown_error:
                    part += f" ({self._last_shutdown_error})"
                parts.append(part)
        log.warning(
            "exporter %s: shutdown discarded %s (%s): %s",
            self.name,
            describe_items(spans, points),
            _plural(requests, "request"),
            "; ".join(parts),
        )

    def stats(self) -> dict[str, int]:
        with self._lock:
            out: dict[str, int] = {}
            for sig, unit in enumerate(UNITS):
                out[f"received_{unit}"] = self._received[sig]
                out[f"sent_{unit}"] = self._sent[sig]
                out[f"dropped_{unit}"] = self._dropped[sig]
                out[f"queued_{unit}"] = self._queued[sig]
                out[f"shutdown_dropped_{unit}"] = sum(n[sig] for n in self._discarded.values())
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
        if request.__class__ is EncodedRequest:
            if not self.accepts_encoded:
                request = request.message()
        elif self.accepts_encoded:
            try:
                request = EncodedRequest(request.SerializeToString(), items, type(request))
            except Exception:  # counted like a request that is not OTLP; nothing was counted yet
                self._invalid(request)
                return
        nbytes = request_bytes(request) if self._queue is not None and self._queue.capacity_bytes else 0
        batch = Batch(signal, request, items, nbytes)
        with self._lock:
            self._received[signal] += items
            self._queued[signal] += items
            running = self._started and not self._shut_down
            final = self._queue_closed
        if not running:  # not started (or it could not start), or shut down: nothing would send it
            self._settle(batch, 0, items, failed=False)
            return
        if final:  # between close_queue and shutdown: the final self-metrics
            if self._outage is not None:
                self._settle(batch, 0, items, failed=False)
                self._count_discard(DISCARD_OUTAGE, batch)
                return
            self.shutdown_deadline = time.monotonic() + FINAL_DELIVERY_S
            self._process(batch)
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
            if self.stopping.is_set():  # shutdown's one summary line says it, not a line per request
                if self._settle(batch, 0, batch.items, failed=True):
                    self._last_shutdown_error = str(exc)
                    self._count_discard(DISCARD_FAILED, batch)
                return
            self._settle(batch, 0, batch.items, failed=True)
            self._warn(
                "export_error",
                logging.WARNING,
                "exporter %s: dropped a request of %s: %s",
                self.name,
                _plural(batch.items, "span" if batch.signal == TRACES else "metric point"),
                exc,
            )
        except Exception:
            self._settle(batch, 0, batch.items, failed=True)
            self._warn("unexpected", logging.ERROR, "exporter %s: unexpected error", self.name, exc_info=True)
        else:
            rejected = min(max(0, rejected), batch.items)
            self._settle(batch, batch.items - rejected, rejected, failed=False)
            if self._outage is not None:
                self._recovered()

    def _settle(self, batch: Batch, sent: int, dropped: int, failed: bool) -> bool:
        """Counts a batch as sent and/or dropped, once; False when it was already settled."""
        sig = batch.signal
        with self._lock:
            if batch.settled:
                return False
            batch.settled = True
            self._queued[sig] -= batch.items
            self._sent[sig] += sent
            self._dropped[sig] += dropped
            if failed:
                self._counters["failed_requests"] += 1
            elif sent:
                self._counters["sent_requests"] += 1
        return True

    # -- outages: one line when they start, one when they end ---------------------------------

    def _backlog(self) -> str:
        """What waits: ``"queued 1,200 spans and 0 metric points in 40 requests (capacity 1000)"``."""
        with self._lock:
            spans, points = self._queued
        if self._queue is None:
            return f"queued {describe_items(spans, points)}"
        requests = len(self._queue) + self._queue.in_flight
        return (
            f"queued {describe_items(spans, points)} in {_plural(requests, 'request')}"
            f" (queue capacity {self._queue.capacity})"
        )

    def _failed(self, reason: str, retry: RetrySettings) -> None:
        """One attempt failed for a transient reason: the first of an outage is a WARNING line
        (the error and what is queued), then one line every :data:`STILL_FAILING_LOG_S`."""
        now = time.monotonic()
        with self._lock:
            outage = self._outage
            if outage is None:
                self._outage = _Outage(now, reason, (self._dropped[0], self._dropped[1]))
                since = None
            else:
                outage.reason = reason
                if now - outage.last_report < STILL_FAILING_LOG_S:
                    return
                outage.last_report = now
                since = outage.since
                dropped = self._dropped_since(outage)
        if since is None:
            if retry.enabled:
                limit = f"{retry.max_elapsed_time:g}s of retries" if retry.max_elapsed_time > 0 else "shutdown"
                plan = f"retrying; a request is dropped after {limit} or when the queue is full"
            else:
                plan = "retry_on_failure is disabled: every failed request is dropped"
            log.warning("exporter %s: export failing: %s; %s; %s", self.name, reason, self._backlog(), plan)
        else:
            log.warning(
                "exporter %s: export still failing after %.0fs: %s; %s; dropped since it began: %s",
                self.name,
                now - since,
                reason,
                self._backlog(),
                describe_items(*dropped),
            )

    def _dropped_since(self, outage: _Outage) -> tuple[int, int]:
        """(spans, metric points) dropped since ``outage`` began; the caller holds the lock."""
        return (self._dropped[0] - outage.dropped_before[0], self._dropped[1] - outage.dropped_before[1])

    def _recovered(self) -> None:
        """A delivery succeeded after an outage: one line with how long it lasted and what it cost."""
        with self._lock:
            outage, self._outage = self._outage, None
            if outage is None:
                return
            dropped = self._dropped_since(outage)
        log.log(
            logging.WARNING if any(dropped) else logging.INFO,
            "exporter %s: export recovered after %.1fs down (last error: %s); dropped meanwhile: %s",
            self.name,
            time.monotonic() - outage.since,
            outage.reason,
            describe_items(*dropped),
        )

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
                if not self.stopping.is_set():
                    self._failed(reason, retry)
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
                if self._wait_before_retry(delay, reason, failure.probe):
                    # The backend came back: a failure now is most likely its start-up (a port
                    # open before the server answers, a 503, a slow first answer), so the backoff
                    # starts over from a short interval instead of resuming where the outage left
                    # it.  Seen in CI: one such failure cost a full 5-7 s wait after the return.
                    backoff = Backoff(replace(retry, initial_interval=min(retry.initial_interval, RECOVERED_INITIAL_S)))
                self._count_retry()

    def _wait_before_retry(self, delay: float, reason: str, probe: Callable[[], bool] | None = None) -> bool:
        """Sleeps `delay`, or gives up (ExportError) if shutdown's deadline comes first.

        With a ``probe`` (a connection-level failure), asks it at once and then every
        :data:`PROBE_INTERVAL_S`, and returns early (True) once it has seen the backend unreachable
        and then reachable again.
        """
        wake_at = time.monotonic() + delay
        seen_down = False
        if probe is not None and self.shutdown_deadline is None:
            # Asked at once, not first after PROBE_INTERVAL_S: a backend back within that first
            # interval would otherwise be seen only "up", and cost the whole delay (seen in CI:
            # resumed 8.4 s after the return, the next retry of the Collector's backoff).
            try:
                seen_down = not probe()
            except Exception:
                log.debug("exporter %s: reconnect probe failed", self.name, exc_info=True)
                probe = None
        while (remaining := wake_at - time.monotonic()) > 0:
            deadline = self.shutdown_deadline
            if deadline is not None:
                if wake_at > deadline:
                    raise ExportError(f"{reason}, shutting down before the next retry")
                time.sleep(remaining)
                return False
            if probe is None:
                self.stopping.wait(remaining)  # returns early when shutdown starts, to re-check
                continue
            if self.stopping.wait(min(remaining, PROBE_INTERVAL_S)):
                continue
            try:
                up = probe()
            except Exception:  # a probe's bug must not stop the retries: wait the full delay
                log.debug("exporter %s: reconnect probe failed", self.name, exc_info=True)
                probe = None
                continue
            if not up:
                seen_down = True
            elif seen_down:
                log.debug("exporter %s: backend reachable again, retrying now", self.name)
                return True
        return False

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
