"""The `ebpf` receiver: kernel events in, batches of HttpExchange out.

One thread drains the ring buffer every `drain_interval` (the kernel never wakes
us per event: it writes with BPF_RB_NO_WAKEUP), decodes the batch, and hands the
completed exchanges to the next stage.  Everything it counts, and everything the
kernel counts, is readable through `counters()` for the agent's own metrics.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from otel_ebpf.model import HttpExchange, ProcessInfo
from otel_ebpf.receivers.ebpf.connections import ConnectionTracker
from otel_ebpf.receivers.ebpf.events import STAT_NAMES
from otel_ebpf.receivers.ebpf.loader import CaptureOptions, HttpCaptureProgram

log = logging.getLogger(__name__)

Consumer = Callable[[list[HttpExchange]], None]


class EbpfReceiver:
    def __init__(
        self,
        options: CaptureOptions,
        consumer: Consumer,
        process_info: Callable[[int, str], ProcessInfo],
        drain_interval_s: float = 0.05,
        program: HttpCaptureProgram | None = None,
        max_cpu: float = 0.0,
    ):
        self.options = options
        self._consumer = consumer
        self._drain_interval = drain_interval_s
        self._max_cpu = max_cpu
        self.throttled_s = 0.0  # time spent waiting because the CPU budget was used up
        self.program = program or HttpCaptureProgram(options)
        self.tracker = ConnectionTracker(
            process_info,
            body_limit=options.capture_bytes,
            max_connections=options.max_connections,
            ports=frozenset(options.ports),
        )
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # serialises drain cycles with shutdown's final drain
        self.consumer_errors = 0
        self._kernel_stats = dict.fromkeys(STAT_NAMES, 0)

    def start(self) -> None:
        """Loads and attaches the BPF program (raises LoadError), then starts draining."""
        self.program.load()
        self._thread = threading.Thread(target=self._run, name="ebpf-receiver", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        interval = self._drain_interval
        budget = self._max_cpu
        while not self._stop.is_set():
            started = time.monotonic()
            cpu_started = time.thread_time()
            self.cycle()
            elapsed = time.monotonic() - started
            wait = interval - elapsed
            if budget > 0:
                # Stay within the budget: a cycle that used c CPU-seconds is followed by enough
                # idle time that c / (cycle + wait) <= budget. Meanwhile the ring buffer fills and
                # the kernel counts what it has to drop.
                used = time.thread_time() - cpu_started
                needed = used / budget - elapsed
                if needed > wait:
                    self.throttled_s += needed - max(wait, 0.0)
                    wait = needed
            if wait > 0:
                self._stop.wait(wait)

    def cycle(self, final: bool = False) -> None:
        """One drain: ring buffer → tracker → consumer."""
        with self._lock:
            if self.program is None:
                return
            raw = self.program.drain()
            out: list[HttpExchange] = []
            if raw:
                self.tracker.process(raw, out)
            self.tracker.tick(time.monotonic_ns(), out)
            if final:
                self.tracker.flush(out)
            if out:
                try:
                    self._consumer(out)
                except Exception:  # a processor bug must not stop capture; counted and logged
                    self.consumer_errors += 1
                    log.exception("pipeline failed on a batch of %d exchanges", len(out))

    def shutdown(self) -> None:
        """Stops draining, processes what is left, detaches every probe. Safe without start."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self.program is not None and self._thread is not None:
            try:
                self.cycle(final=True)
            finally:
                with self._lock:
                    self.program.close()
        self._thread = None

    def counters(self) -> dict[tuple[str, tuple[tuple[str, str], ...]], int]:
        """Counts for the agent's own metrics: {(metric name, attributes): value}."""
        result: dict[tuple[str, tuple[tuple[str, str], ...]], int] = {}
        try:
            self._kernel_stats = self.program.kernel_stats()
        except Exception:  # not loaded yet, or already closed: the last values stand
            pass
        kernel = self._kernel_stats
        if kernel:
            result[("otel_ebpf.ebpf.events", ())] = kernel["events"] - kernel["ringbuf_full"]
            for reason in ("ringbuf_full", "conn_map_full", "active_map_full", "addr_map_full"):
                result[("otel_ebpf.ebpf.dropped", (("reason", reason),))] = kernel[reason]
            # Syscalls whose program the kernel did not run (another BPF program or a bpf() map
            # syscall was running on that CPU): their data never reached the ring buffer.
            result[("otel_ebpf.ebpf.dropped", (("reason", "program_skipped"),))] = kernel.get("skipped", 0)
            result[("otel_ebpf.ebpf.truncated_payloads", ())] = kernel["truncated"]
        t = self.tracker.stats
        result[("otel_ebpf.ebpf.events.decoded", ())] = t.events
        result[("otel_ebpf.ebpf.dropped", (("reason", "bad_event"),))] = t.bad_events
        result[("otel_ebpf.connections.opened", ())] = t.connections_opened
        result[("otel_ebpf.connections.evicted", ())] = t.connections_evicted
        result[("otel_ebpf.connections.address_lookups", ())] = t.address_lookups
        result[("otel_ebpf.http.exchanges", ())] = t.exchanges
        for name, value in self.tracker.http_stats.as_dict().items():
            result[(f"otel_ebpf.http.parser.{name}", ())] = value
        result[("otel_ebpf.pipeline.errors", ())] = self.consumer_errors
        result[("otel_ebpf.ebpf.throttled_time", ())] = round(self.throttled_s, 3)
        result[("otel_ebpf.traces.parent_wait_overflow", ())] = self.tracker.trace_context.waiting_overflow
        return result
