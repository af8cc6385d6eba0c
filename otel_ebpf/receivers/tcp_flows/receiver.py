"""The TCP flow receiver: kernel aggregates -> OTLP metrics, self-metrics, per-socket evidence."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from typing import Any

from opentelemetry.proto.metrics.v1 import metrics_pb2

from otel_ebpf.component import Component, FlowTotals, Host, MetricsProducer, SocketStates
from otel_ebpf.config.schema import resolve
from otel_ebpf.kernel.bpf import BPF_NOEXIST, U64KeyLookup, map_update
from otel_ebpf.kernel.procfs import listener_owners
from otel_ebpf.receivers.tcp_flows.config import SCHEMA
from otel_ebpf.receivers.tcp_flows.layout import LISTENER_KEY, LISTENER_VALUE, SOCK_EVIDENCE, SOCK_STATE, STAT_NAMES
from otel_ebpf.receivers.tcp_flows.loader import TcpFlowOptions, TcpFlowProgram, remove_pins
from otel_ebpf.receivers.tcp_flows.metrics import build_metrics
from otel_ebpf.receivers.tcp_flows.reader import FlowReader, FlowWindow

__all__ = ["TcpFlowReceiver"]

log = logging.getLogger(__name__)

Attrs = tuple[tuple[str, object], ...]


class TcpFlowReceiver(Component, MetricsProducer, SocketStates, FlowTotals):
    """TCP flow observability from tracepoints, aggregated in the kernel.

    Read at every metrics collection (:class:`MetricsProducer`); its per-socket state and flow
    totals serve the ``ebpf`` receiver's span evidence and ``cause_attribution``.

    Args:
        options: The ``receivers: tcp_flows:`` config (see :data:`.factory.SCHEMA`); absent keys
            take their defaults.  Raises ValueError naming a bad key.
        resolver: A :class:`~otel_ebpf.receivers.helper.processes.ProcessResolver` (``get(pid)``);
            None puts every flow under the ``unknown_service`` resource.
    """

    def __init__(self, options: Mapping[str, Any] | None = None, resolver=None) -> None:
        cfg, errors = resolve(SCHEMA, options, "receivers.tcp_flows")
        if errors:
            raise ValueError("; ".join(errors))
        self.options = TcpFlowOptions(
            max_flows=cfg["max_flows"],
            max_sockets=cfg["max_sockets"],
            max_listeners=cfg["max_listeners"],
            pin_path=cfg["pin_path"] if cfg["pin"] else "",
        )
        self._idle_timeout_s: float = cfg["idle_timeout"]
        self._window_s: float = cfg["window"]
        self._resolver = resolver
        self._program: TcpFlowProgram | None = None
        self._reader: FlowReader | None = None
        self._boot_wall_ns = 0
        self._lock = threading.Lock()  # collect() and shutdown() may run on different threads
        self.collects = 0
        # socket_state(): reused buffers, and never a lookup on an fd that shutdown() closed
        self._sock_lookup: U64KeyLookup | None = None
        self._sock_lock = threading.Lock()

    # -- lifecycle ----------------------------------------------------------------------------------

    def start(self, host: Host | None = None) -> None:
        """Loads (or resumes the pinned) kernel program; raises ``LoadError`` with the reason."""
        program = TcpFlowProgram(self.options)
        program.load()
        self._program = program
        self._boot_wall_ns = program.boot_wall_ns() or time.time_ns() - time.monotonic_ns()
        self._reader = FlowReader(program.fds["flows"], self.options.max_flows, self._idle_timeout_s, self._window_s)
        with self._sock_lock:
            self._sock_lookup = U64KeyLookup(program.fds["socks"], SOCK_STATE.size)
        seeded = self._seed_listeners(program.fds["listeners"])
        log.info(
            "TCP flows: %s (max %d flows, %d sockets%s; owners of %d listening ports read from /proc)",
            "resumed" if program.resumed else "attached",
            self.options.max_flows,
            self.options.max_sockets,
            f", pinned in {self.options.pin_path}" if self.options.pin_path else "",
            seeded,
        )

    def _seed_listeners(self, listeners_fd: int) -> int:
        """Tells the kernel who owns each listening port now, from /proc: a connection accepted by a
        listener older than the program is otherwise attributed only once its owner moved bytes on
        one (sock_*_length), which kernels before 6.3 never report.  Entries the kernel learnt
        itself are kept (BPF_NOEXIST).  Returns how many were added."""
        added = 0
        proc_root = getattr(self._resolver, "proc_root", "/proc")
        for port, pid in listener_owners(proc_root).items():
            if added >= self.options.max_listeners:
                break
            try:
                map_update(listeners_fd, LISTENER_KEY.pack(port), LISTENER_VALUE.pack(pid), BPF_NOEXIST)
                added += 1
            except OSError:  # known already (EEXIST), or the map is full (E2BIG)
                continue
        return added

    @property
    def resumed(self) -> bool:
        """Whether start() reopened the pinned program of a previous agent (counts continue)."""
        return bool(self._program and self._program.resumed)

    def shutdown(self, timeout_s: float = 5.0, unpin: bool = False) -> None:
        """Releases the kernel objects; pinned ones stay (and keep counting) unless `unpin`.

        Safe without start() and idempotent.
        """
        with self._lock:
            if self._program is not None:
                with self._sock_lock:
                    self._sock_lookup = None
                self._program.close()
                self._program = None
                self._reader = None
            if unpin:
                remove_pins(self.options.pin_path)

    # -- reading -------------------------------------------------------------------------------------

    def collect(self, now_ns: int | None = None) -> list[metrics_pb2.ResourceMetrics]:
        """Cumulative ``otel_ebpf.tcp.*`` metrics of every flow, one ``ResourceMetrics`` per process.

        Also advances the delta history of :meth:`peer_window` and evicts idle flows (after
        including them this one last time).
        """
        now_ns = time.time_ns() if now_ns is None else now_ns
        with self._lock:
            if self._reader is None:
                return []
            boot_wall_ns = self._boot_wall_ns
            snapshots = self._reader.read(now_ns)
            self.collects += 1
        return build_metrics(snapshots, self._resolve, boot_wall_ns, now_ns)

    def produce_metrics(self, now_ns: int) -> list:
        return self.collect(now_ns)

    def _resolve(self, pid: int):
        if self._resolver is None:
            return None
        try:
            return self._resolver.get(pid)
        except Exception:  # a vanished process must not break a collect
            return None

    def counters(self) -> dict[tuple[str, Attrs], int]:
        """Self-metrics (for ``SelfMetrics.register_callback``): kernel overflow and untracked counts,
        evictions, and events the kernel skipped (``otel_ebpf.tcp.events.missed`` per tracepoint)."""
        with self._lock:
            if self._program is None:
                return {}
            stats = self._program.kernel_stats()
            missed = self._program.missed_runs()
            evicted = self._reader.evicted if self._reader else 0
        out = {(f"otel_ebpf.tcp.{name}", ()): stats[name] for name in STAT_NAMES}
        out[("otel_ebpf.tcp.flows.evicted", ())] = evicted
        for tracepoint, count in missed.items():
            out[("otel_ebpf.tcp.events.missed", (("otel_ebpf.tracepoint", tracepoint),))] = count
        return out

    def socket_evidence(self, sk: int) -> tuple[int, float] | None:
        """(retransmits so far, latest smoothed RTT in seconds) of a live tracked socket, or None.

        Args:
            sk: The kernel ``struct sock *`` (HTTP events carry it as ``sk``).
        """
        state = self.socket_state(sk)
        return None if state is None else (state[1], state[2] / 1e6)

    def socket_state(self, sk: int) -> tuple[int, int, int] | None:
        """(start_ns, retransmits so far, latest smoothed RTT in µs) of a live tracked socket, or None.

        ``start_ns`` (kernel monotonic time the socket began to be tracked) tells apart two sockets
        that the kernel allocated at the same address one after the other.  The RTT is 0 until the
        socket has received a segment while established.  One ``bpf()`` syscall (~1.6 µs); safe
        from any thread, and None once :meth:`shutdown` ran.

        Args:
            sk: The kernel ``struct sock *`` (HTTP events carry it as ``sk``).
        """
        if not sk:
            return None
        with self._sock_lock:
            lookup = self._sock_lookup
            if lookup is None or not lookup(sk):
                return None
            return SOCK_EVIDENCE.unpack_from(lookup.value)

    def peer_window(self, peer_address: str, server_port: int, since_ns: int) -> FlowWindow:
        """Deltas (retransmits, bytes, connects, connect latency sum, failures, resets) with one peer and
        server port, summed over the collects at or after `since_ns` (wall-clock ns)."""
        reader = self._reader
        return reader.peer_window(peer_address, server_port, since_ns) if reader else FlowWindow()

    def flow_totals(self) -> list | None:
        """Every flow's ``(FlowKey, FlowStats)`` with its cumulative counts read now, or None when not started.

        Unlike :meth:`peer_window` (per-collect deltas, so the metric export interval is the
        resolution) this reads the kernel map at the caller's own pace, keyed by process, peer,
        server port and direction; the caller diffs two reads.  Two syscalls per flow; safe from
        any thread (a concurrent :meth:`shutdown` waits for the walk).
        """
        with self._lock:
            reader = self._reader
            return None if reader is None else reader.totals()
