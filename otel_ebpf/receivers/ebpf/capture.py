"""The kernel program every ``ebpf`` receiver of the agent shares, and the thread that drains it.

Two ``ebpf`` receivers (``ebpf/python``, ``ebpf/node``) are two filters, route sets, header
policies and sets of pipelines, but one kernel program: loading one per receiver would run
every hooked syscall of the host through the programs twice.  So the first receiver created
makes the :class:`Capture`, the others join it, and the first one started loads the program
with the union of their filters (per dimension, and only where every receiver filters on it:
the kernel can only AND its dimensions).  Which receivers a connection belongs to is decided
once, when the agent first sees it, from the facts the kernel filtered on (process id, the
thread's name, the ports); exchanges are then delivered to each of those receivers (a fork
for every one but the first).

One thread drains the ring buffer every ``drain_interval`` (the kernel never wakes us per
event: it writes with BPF_RB_NO_WAKEUP), decodes the batch, and delivers the completed
exchanges.  Everything it counts, and everything the kernel counts, is in :meth:`Capture.counters`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from otel_ebpf.kernel.bpf import possible_cpus
from otel_ebpf.kernel.records import SHED_REASONS
from otel_ebpf.model import ExchangeSource, HttpExchange, Role, forget_forks
from otel_ebpf.protocols.http1_stream import DROP_REASONS
from otel_ebpf.receivers.ebpf.config import KERNEL_KEYS
from otel_ebpf.receivers.ebpf.connections import ConnectionTracker
from otel_ebpf.receivers.ebpf.cpu_budget import PERIOD_S as STEER_PERIOD_S
from otel_ebpf.receivers.ebpf.cpu_budget import CpuBudget
from otel_ebpf.receivers.ebpf.events import HEADER_SIZE, STAT_NAMES
from otel_ebpf.receivers.ebpf.kernel_counts import KernelCounts, ShedCount
from otel_ebpf.receivers.ebpf.loader import CaptureOptions, HttpCaptureProgram
from otel_ebpf.receivers.ebpf.telemetry_exclusion import TelemetryExclusion
from otel_ebpf.receivers.ebpf.tls import TlsProbes
from otel_ebpf.receivers.helper.processes import shared_resolver

log = logging.getLogger(__name__)

# The agent's CPU per exchange it receives (drain, parse, default processors, OTLP export): with
# `max_cpu`, the kernel starts by sending at most max_cpu / this many exchanges a second and sheds
# the rest (they are still counted in the metrics); cpu_budget.py then corrects the rate from what
# the agent really uses.  Measured by bench/bench_nginx.py (paced, 5,000 req/s,
# default processors, OTLP/gRPC with gzip): 54 µs before issue 11, 21.4 µs after it (docs/cost.md);
# the target is 10 µs: lower this as the measurement goes down.
AGENT_CPU_PER_EXCHANGE_S = 21.4e-6


# Events handled per step of a drain: one step's events and the exchanges made of them are all
# that is held at once, whatever waits in the ring buffer (up to ring_buffer_size when the load
# surges: drained whole, the agent's peak RSS rose by ~25 MB at the onset of saturation).
DRAIN_STEP = 2048


def span_rate(max_spans_per_second: int, max_cpu: float) -> int:
    """The kernel's token-bucket rate: the configured one, lowered to what `max_cpu` allows (0: no limit)."""
    if max_cpu <= 0:
        return max_spans_per_second
    budget = max(1, int(max_cpu / AGENT_CPU_PER_EXCHANGE_S))
    return min(max_spans_per_second, budget) if max_spans_per_second else budget


@dataclass(frozen=True)
class TrafficFilter:
    """Which traffic a receiver takes: every list given must match; empty lists match everything.

    Attributes:
        pids: Process ids (thread group ids).
        executables: Names as in ``/proc/PID/comm`` (the kernel reads the thread's name).
        ports: Local or peer port.
        telemetry: Collectors and telemetry agents left alone (userspace only; None: none).
    """

    pids: frozenset[int] = frozenset()
    executables: frozenset[str] = frozenset()
    ports: frozenset[int] = frozenset()
    telemetry: TelemetryExclusion | None = field(default=None, compare=False)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> TrafficFilter:
        return cls(frozenset(config["pids"]), frozenset(config["executables"]), frozenset(config["ports"]))

    def accepts(self, pid: int, comm: str, local_port: int, peer_port: int) -> bool:
        return (
            (not self.pids or pid in self.pids)
            and (not self.executables or comm in self.executables)
            and (not self.ports or local_port in self.ports or peer_port in self.ports)
            and (self.telemetry is None or self.telemetry.reason(pid, comm, local_port, peer_port) is None)
        )

    @staticmethod
    def union(filters: list[TrafficFilter]) -> TrafficFilter:
        """What the kernel can filter on for several receivers: a superset of their traffic."""

        def dimension(name: str) -> frozenset:
            sets = [getattr(f, name) for f in filters]
            return frozenset().union(*sets) if sets and all(sets) else frozenset()

        return TrafficFilter(dimension("pids"), dimension("executables"), dimension("ports"))


def describe(traffic: TrafficFilter) -> str:
    """``pids [42], ports [8080]``, or ``every process``."""
    dimensions = {"pids": traffic.pids, "executables": traffic.executables, "ports": traffic.ports}
    parts = [f"{name} {sorted(values)}" for name, values in dimensions.items() if values]
    return ", ".join(parts) if parts else "every process"


class Member:
    """One receiver as the capture sees it: its filter, its source, where its exchanges go, and
    where the kernel's counts of the exchanges it shed go (:class:`~.kernel_counts.ShedCount`)."""

    __slots__ = ("source", "filter", "deliver", "deliver_counts", "delivered")

    def __init__(
        self,
        source: ExchangeSource,
        traffic: TrafficFilter,
        deliver: Callable[[list], None],
        deliver_counts: Callable[[list[ShedCount]], None] | None = None,
    ) -> None:
        self.source = source
        self.filter = traffic
        self.deliver = deliver
        self.deliver_counts = deliver_counts
        self.delivered = 0


class _Group:
    """The destination of a connection that several receivers take."""

    __slots__ = ("members",)

    def __init__(self, members: tuple[Member, ...]) -> None:
        self.members = members


# One capture per kernel configuration (validation makes it one per agent).
_captures: dict[tuple, Capture] = {}
_captures_lock = threading.Lock()


def join(config: Mapping[str, Any], member: Member, telemetry) -> Capture:
    """The capture for ``config``'s kernel settings, made on first use; ``member`` joins it."""
    key = tuple(config[k] for k in KERNEL_KEYS)
    with _captures_lock:
        capture = _captures.get(key)
        if capture is None:
            capture = _captures[key] = Capture(config, key)
            telemetry.register(capture.counters)
        capture.members.append(member)
    return capture


class Capture:
    """Args:
    config: An ``ebpf`` receiver's resolved config (only the kernel settings are read).
    key: Its entry in the module's registry.
    program: Injectable for tests (default: the real kernel program, loaded at the first start).
    """

    def __init__(self, config: Mapping[str, Any], key: tuple, program: HttpCaptureProgram | None = None) -> None:
        self._key = key
        self.members: list[Member] = []
        self._stopped: set[int] = set()
        self._drain_interval: float = config["drain_interval"]
        self._max_cpu: float = config["max_cpu"] or 0.0
        self._config = config
        self._program = program
        self.program: HttpCaptureProgram | None = None
        self.resolver = shared_resolver()  # tcp_flows names the same processes
        self.tracker: ConnectionTracker | None = None
        self.throttled_s = 0.0  # time spent waiting because the CPU budget was used up
        self.consumer_errors = 0
        self.evidence = None  # telemetry.tcp_evidence.TcpSpanEvidence, when a receiver asks for it
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # serialises drain cycles, starts and the final drain
        self._kernel_stats = dict.fromkeys(STAT_NAMES, 0)
        self.kernel_counts: KernelCounts | None = None  # the kernel's counts of shed exchanges
        self.budget: CpuBudget | None = None  # with max_cpu: steers the kernel's span rate
        self._span_rate = 0  # the kernel's span rate set at load (0: no limit)
        self.tls: TlsProbes | None = None  # the uprobes on TLS libraries (tls.enabled)

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self, member: Member) -> None:
        """The first start loads the program with every member's filter (raises LoadError), then drains."""
        with self._lock:
            if self.program is None:
                self._load()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="ebpf-capture", daemon=True)
            self._thread.start()

    def _load(self) -> None:
        union = TrafficFilter.union([m.filter for m in self.members])
        c = self._config
        options = CaptureOptions(
            capture_bytes=c["capture_bytes"],
            ring_buffer_size=c["ring_buffer_size"],
            max_connections=c["max_connections"],
            read_chunks=c["read_chunks"],
            max_spans_per_second=span_rate(c["max_spans_per_second"], self._max_cpu),
            shed_ring_fill=c["shed_ring_fill"],
            pids=sorted(union.pids),
            executables=sorted(union.executables),
            ports=sorted(union.ports),
            tls=c["tls"]["enabled"],
            capture_path=c["capture_path"],
        )
        program = self._program or HttpCaptureProgram(options)
        program.load()
        self.program = program
        if options.tls and getattr(program, "tls_error", ""):
            log.warning("HTTPS is not captured: %s (cleartext capture goes on)", program.tls_error)
        elif options.tls and hasattr(program, "program_fd"):
            self.tls = TlsProbes(program.program_fd, c["tls"], options.self_pid)
            self.tls.start()
        self._span_rate = program.options.max_spans_per_second
        if self._max_cpu > 0 and self._span_rate > 0 and hasattr(program, "set_span_rate"):
            self.budget = CpuBudget(self._max_cpu, self._span_rate, c["max_spans_per_second"])
        if getattr(program, "shed_counts_fd", -1) >= 0:
            self.kernel_counts = KernelCounts(program.shed_counts_fd, possible_cpus(), self.resolver.get)
        path = getattr(program, "capture_path", None)
        log.info(
            "kernel HTTP capture: one program for %s (%d tracepoints; capture path: %s; kernel filter: %s)",
            ", ".join(m.source.receiver for m in self.members),
            len(program.tracepoints),
            f"{path.name}, {path.reason}" if path else "n/a",
            describe(union),
        )
        self.tracker = ConnectionTracker(
            self.resolver.get,
            body_limit=options.capture_bytes,
            max_connections=options.max_connections,
            ports=union.ports,
            select=self._select,
        )

    def stop(self, member: Member, timeout_s: float = 5.0) -> None:
        """A member leaves; the last one to leave drains for every member a last time, then detaches.

        Within ``timeout_s``: a drain cycle still running then (a pipeline stuck in an exporter
        that does not return) is left to finish on its own thread, and the probes stay attached
        until the process exits.
        """
        deadline = time.monotonic() + timeout_s
        with _captures_lock:
            self._stopped.add(id(member))
            last = all(id(m) in self._stopped for m in self.members)
            if last and _captures.get(self._key) is self:
                del _captures[self._key]
        if not last:
            return
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=max(0.0, deadline - time.monotonic()))
            self._thread = None
        if self.program is None:
            return
        if not self._lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            log.warning("kernel HTTP capture: a drain cycle is still running at the deadline; no last drain")
            return
        try:
            self._cycle(final=True)
        finally:
            try:
                if self.tls is not None:
                    self.tls.close()
                self.program.close()
            finally:
                self._lock.release()

    # -- draining -----------------------------------------------------------------------------

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
                # the kernel counts what it has to drop.  (A backstop: the kernel's span rate,
                # steered below, keeps the whole agent within it.)
                used = time.thread_time() - cpu_started
                needed = used / budget - elapsed
                if needed > wait:
                    if self.budget is not None:
                        # The span rate is steered once a period (in cycle()): a backlog drained at
                        # once must not hold the thread off for longer, or the rate is corrected late.
                        needed = min(needed, STEER_PERIOD_S)
                    self.throttled_s += max(0.0, needed - max(wait, 0.0))
                    wait = max(wait, needed)
            if wait > 0:
                self._stop.wait(wait)

    def _steer_span_rate(self) -> None:
        """Once a second: the kernel's span rate corrected from the agent's CPU (cpu_budget.py)."""
        budget, program = self.budget, self.program
        now = time.monotonic()
        if program is None or not budget.due(now):
            return
        try:
            shed = program.kernel_stat("shed_rate")  # one counter, not every one and the programs' misses
            rate = budget.adjust(now, time.process_time(), shed)
            if rate is not None:
                program.set_span_rate(rate)
                log.debug("kernel HTTP capture: span rate %d/s (max_cpu %s)", rate, budget.max_cpu)
        except OSError:  # the program is being closed
            return

    def cycle(self) -> None:
        """One drain: ring buffer -> tracker -> each receiver; with `max_cpu`, the span rate steered."""
        with self._lock:
            self._cycle()
            if self.budget is not None:
                self._steer_span_rate()  # under the lock: stop() closes the program under it

    def _cycle(self, final: bool = False) -> None:
        """A drain, with the lock held; the final one also flushes what the tracker holds."""
        if self.program is None:
            return
        tracker = self.tracker
        # A full ring holds at most this many steps of the smallest events: the loop ends even
        # while the kernel keeps writing.
        for _ in range(self.program.options.ring_buffer_size // (HEADER_SIZE * DRAIN_STEP) + 1):
            raw = self.program.drain(DRAIN_STEP)
            if raw:
                made: list[HttpExchange] = []
                tracker.process(raw, made)
                if made:
                    self._deliver(made)
                if tracker.found_http2:
                    for sk in tracker.found_http2:
                        self.program.mark_http2(sk)
                    tracker.found_http2.clear()
            if len(raw) < DRAIN_STEP:
                break
        out: list[HttpExchange] = []
        tracker.tick(time.monotonic_ns(), out)
        if final:
            tracker.flush(out)
        if out:
            self._deliver(out)
        if self.kernel_counts is not None:
            shed = self.kernel_counts.poll(force=final)  # once a second
            if shed:
                self._deliver_counts(shed)

    def _select(self, pid: int, comm: str, local_port: int, peer_port: int) -> Member | _Group | None:
        """The receiver(s) a new connection belongs to (None: none takes it; it is not parsed)."""
        members = self.members
        if len(members) == 1:
            only = members[0]
            if only.filter.telemetry is None:
                return only  # the kernel and the tracker applied its filter exactly
            return only if only.filter.accepts(pid, comm, local_port, peer_port) else None
        taking = tuple(m for m in members if m.filter.accepts(pid, comm, local_port, peer_port))
        if not taking:
            return None
        return taking[0] if len(taking) == 1 else _Group(taking)

    def _deliver(self, out: list[HttpExchange]) -> None:
        if self.evidence is not None:
            self.evidence.annotate(out)
        # Member -> its exchanges (a Member hashes by identity, as id() did).  No tuple or list is built per
        # exchange for a member already seen (setdefault would): 0.09 µs against 0.17 µs an
        # exchange (development VM).
        batches: dict[Member, list[HttpExchange]] = {}
        forked: list[HttpExchange] = []
        for x in out:
            destination = x.source  # set by the tracker from the connection's _select()
            if isinstance(destination, _Group):
                first = True
                for member in destination.members:
                    copy = x if first else x.fork()
                    first = False
                    batch = batches.get(member)
                    if batch is None:
                        batch = batches[member] = []
                    batch.append(copy)
                forked.append(x)
            elif destination is not None:
                batch = batches.get(destination)
                if batch is None:
                    batch = batches[destination] = []
                batch.append(x)
        for member, exchanges in batches.items():
            source = member.source
            for x in exchanges:
                x.source = source
            member.delivered += len(exchanges)
            try:
                member.deliver(exchanges)
            except Exception:  # a pipeline bug must not stop capture; counted and logged
                self.consumer_errors += 1
                log.exception("receiver %s: delivering %d exchanges failed", member.source.receiver, len(exchanges))
        forget_forks(forked)  # the copies know each other only while delivered

    def _deliver_counts(self, shed: list[ShedCount]) -> None:
        """Each count to the receiver(s) whose filter takes its process and port (the overflow
        entry, whose process is unknown, to the first receiver)."""
        batches: dict[int, tuple[Member, list[ShedCount]]] = {}
        for s in shed:
            if s.pid == 0:
                taking: tuple = (self.members[0],) if self.members else ()
            else:
                client = s.count.role == Role.CLIENT
                chosen = self._select(s.pid, s.comm, 0 if client else s.port, s.port if client else 0)
                taking = chosen.members if isinstance(chosen, _Group) else (chosen,) if chosen else ()
            for member in taking:
                batches.setdefault(id(member), (member, []))[1].append(s)
        for member, counts in batches.values():
            if member.deliver_counts is None:
                continue
            try:
                member.deliver_counts(counts)
            except Exception:  # a pipeline bug must not stop capture; counted and logged
                self.consumer_errors += 1
                log.exception("receiver %s: delivering %d shed counts failed", member.source.receiver, len(counts))

    # -- self-metrics -------------------------------------------------------------------------

    def counters(self) -> dict[tuple[str, tuple[tuple[str, str], ...]], int]:
        """Counts for the agent's own metrics: {(metric name, attributes): value}."""
        result: dict[tuple[str, tuple[tuple[str, str], ...]], int] = {}
        program = self.program
        if program is not None:
            try:
                self._kernel_stats = program.kernel_stats()
            except Exception:  # already closed: the last values stand
                pass
        kernel = self._kernel_stats
        result[("otel_ebpf.ebpf.events", ())] = kernel["events"] - kernel["ringbuf_full"]
        # tls_unlinked: TLS plaintext of a connection whose socket is not known yet (a library that
        # moves ciphertext through memory, not the socket); tls_calls_full: a call not remembered;
        # walk_cut: an HTTP/2 call on many iovecs whose last pieces the kernel could not ship.
        for reason in ("ringbuf_full", "addr_map_full", "tls_unlinked", "tls_calls_full", "walk_cut"):
            result[("otel_ebpf.ebpf.dropped", (("reason", reason),))] = kernel[reason]
        # Socket calls whose program the kernel did not run (it would have interrupted itself on
        # that CPU): their data never reached the ring buffer.
        result[("otel_ebpf.ebpf.dropped", (("reason", "program_skipped"),))] = kernel.get("skipped", 0)
        result[("otel_ebpf.ebpf.truncated_payloads", ())] = kernel["truncated"]
        # Exchanges the kernel shed (no event; counted in the metrics from its shed_counts map).
        for reason in SHED_REASONS:
            result[("otel_ebpf.ebpf.shed_exchanges", (("reason", reason),))] = kernel[f"shed_{reason}"]
        result[("otel_ebpf.ebpf.shed_counts.overflow", ())] = kernel["shed_overflow"]
        if self.tls is not None:
            result.update(self.tls.counters())
        if self.kernel_counts is not None:
            result[("otel_ebpf.ebpf.shed_counts.delivered", ())] = self.kernel_counts.counted
        # Data events whose stream position the kernel could not give: a gap of unknown size.
        result[("otel_ebpf.ebpf.unpositioned_events", (("reason", "pos_map_full"),))] = kernel["pos_map_full"]
        result[("otel_ebpf.pipeline.errors", (("receiver", "ebpf"),))] = self.consumer_errors
        result[("otel_ebpf.ebpf.throttled_time", ())] = round(self.throttled_s, 3)
        result[("otel_ebpf.ebpf.span_rate_limit", ())] = self.budget.rate if self.budget else self._span_rate
        result[("otel_ebpf.processes.vanished", ())] = self.resolver.vanished
        for member in self.members:
            result[("otel_ebpf.receiver.accepted_exchanges", (("receiver", member.source.receiver),))] = (
                member.delivered
            )
        tracker = self.tracker
        if tracker is None:
            return result
        t = tracker.stats
        result[("otel_ebpf.ebpf.events.decoded", ())] = t.events
        result[("otel_ebpf.ebpf.dropped", (("reason", "bad_event"),))] = t.bad_events
        result[("otel_ebpf.connections.opened", ())] = t.connections_opened
        result[("otel_ebpf.connections.evicted", ())] = t.connections_evicted
        result[("otel_ebpf.connections.address_lookups", ())] = t.address_lookups
        result[("otel_ebpf.connections.resyncs", ())] = t.resyncs
        result[("otel_ebpf.connections.not_selected", ())] = t.connections_ignored
        result[("otel_ebpf.http.exchanges", ())] = t.exchanges
        http_stats = tracker.http_stats
        for name, value in http_stats.as_dict().items():
            result[(f"otel_ebpf.http.parser.{name}", ())] = value
        for reason, value in http_stats.ambiguous_requests.items():
            result[("otel_ebpf.http.parser.ambiguous_requests", (("reason", reason),))] = value
        by_reason = http_stats.dropped_by_reason
        for reason in DROP_REASONS:
            result[("otel_ebpf.http.parser.dropped_requests", (("reason", reason),))] = by_reason.get(reason, 0)
        for name, value in tracker.http2_stats.as_dict().items():
            result[(f"otel_ebpf.http2.parser.{name}", ())] = value
        result[("otel_ebpf.traces.parent_wait_overflow", ())] = tracker.trace_context.waiting_overflow
        if self.evidence is not None:
            result.update(self.evidence.counters())
        return result
