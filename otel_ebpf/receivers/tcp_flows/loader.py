"""Loads bpf/tcp_flows.c: compiled with bcc in a short-lived child, attached through pinnable links.

Lifecycle of the kernel objects (maps and attachments):

* ``pin_path`` empty: the agent holds every fd; closing them (shutdown, or the agent dying)
  detaches the programs and frees the maps.  Nothing is left behind.
* ``pin_path`` set (default ``/sys/fs/bpf/otel_ebpf/tcp_flows``): the child pins the maps and
  the BPF links there.  The programs keep counting while no agent runs, and the next agent
  whose program is identical (same source, build flags and kernel: the ``fingerprint`` stored
  in the pinned ``meta`` map) reopens the maps without compiling anything, so cumulative
  counts continue across restarts.  A different program replaces the pins (counts restart,
  with a new start time).  ``remove_pins(path)`` or ``rm -r <pin_path>`` detaches everything.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import os
import platform
import shutil
from dataclasses import dataclass

from otel_ebpf import BPF_DIR
from otel_ebpf.kernel.bpf import (
    link_program_fd,
    map_info,
    map_lookup,
    obj_get,
    percpu_u64_sum,
    possible_cpus,
    program_misses,
)
from otel_ebpf.kernel.btf import (
    BTF_VMLINUX,
    SOCK_OFFSETS,
    SOCK_V6_OFFSETS,
    Btf,
    BtfError,
    check_arities,
    offset_flags,
)
from otel_ebpf.kernel.errors import LoadError
from otel_ebpf.kernel.handoff import run_child
from otel_ebpf.kernel.mounts import ensure_bpffs
from otel_ebpf.receivers.tcp_flows import layout
from otel_ebpf.receivers.tcp_flows.config import DEFAULT_PIN_PATH

__all__ = [
    "DEFAULT_PIN_PATH",
    "SIGNALS",
    "TRACEPOINTS",
    "TcpFlowOptions",
    "TcpFlowProgram",
    "attached_programs",
    "missing_signals",
    "substituted_signals",
    "remove_pins",
]

log = logging.getLogger(__name__)

SOURCE_FILE = BPF_DIR / "tcp_flows.c"
HEADER_FILE = BPF_DIR / "tcp_flows.h"
MAPS = ("flows", "socks", "listeners", "tcp_stats")  # pinned under these names, plus "meta"

# Program -> raw tracepoint it attaches to, and how many of the tracepoint's arguments it reads
# (ctx->args[]: the kernel refuses to attach a program reading more than the tracepoint has).
TRACEPOINTS = {
    "on_inet_sock_set_state": ("inet_sock_set_state", 3),  # sk, oldstate, newstate
    "on_tcp_destroy_sock": ("tcp_destroy_sock", 1),  # sk
    "on_tcp_receive_reset": ("tcp_receive_reset", 1),  # sk
    "on_tcp_retransmit_skb": ("tcp_retransmit_skb", 2),  # sk, skb[, err since 6.12]
    "on_tcp_retransmit_synack": ("tcp_retransmit_synack", 2),  # listener sk, request sock
    "on_tcp_send_reset": ("tcp_send_reset", 2),  # sk, skb[, reason]
    "on_tcp_probe": ("tcp_probe", 1),  # sk[, skb]
    "on_sock_send_length": ("sock_send_length", 3),  # sk, ret, flags
    "on_sock_recv_length": ("sock_recv_length", 3),  # sk, ret, flags
}

# What each program's tracepoint brings.  A kernel without one of these tracepoints runs the others:
# that signal stays zero and is reported (missing_signals(), `otel-ebpf check`), e.g. the bytes on
# kernels before 6.3, which have no sock_*_length.  The connection's life (set_state, destroy) is
# the program's backbone: without it nothing loads.
SIGNALS = {
    "on_tcp_receive_reset": "resets received",
    "on_tcp_retransmit_skb": "retransmitted segments",
    "on_tcp_retransmit_synack": "retransmitted SYN-ACKs",
    "on_tcp_send_reset": "resets sent",
    "on_tcp_probe": "smoothed RTT and segments",
    "on_sock_send_length": "bytes sent",
    "on_sock_recv_length": "bytes received",
}
# Signals measured another way when their tracepoint is missing: before 6.3 the bytes are the
# deltas of the socket's own counters, read where the segments are (tcp_probe) and at its end.
SUBSTITUTES = {
    "on_sock_send_length": "bytes sent, as TCP sent them (tcp_sock.bytes_sent - bytes_retrans)",
    "on_sock_recv_length": "bytes received (tcp_sock.bytes_received, less the peer's FIN)",
}
BYTES_FROM_TCP_SOCK_OFFSETS = {
    "TCP_BYTES_RECEIVED": ("tcp_sock", "bytes_received", 8),
    "TCP_BYTES_SENT": ("tcp_sock", "bytes_sent", 8),
    "TCP_BYTES_RETRANS": ("tcp_sock", "bytes_retrans", 8),
}
# sk_flags moved into sock_common (skc_flags) in 6.x; before, a member of struct sock.
SK_FLAGS_PATHS = ("__sk_common.skc_flags", "sk_flags")

# -D flag -> (struct, member path, expected size) read at that offset by bpf/tcp_flows.c.
KERNEL_OFFSETS = {
    **SOCK_OFFSETS,
    "TCP_SRTT_US": ("tcp_sock", "srtt_us", 4),
    "TCP_SEGS_IN": ("tcp_sock", "segs_in", 4),
    "TCP_SEGS_OUT": ("tcp_sock", "segs_out", 4),
    "TCP_TOTAL_RETRANS": ("tcp_sock", "total_retrans", 4),
    "SKB_CB": ("sk_buff", "cb", 48),
    "SKB_HEAD": ("sk_buff", "head", 8),
    "SKB_NETWORK_HEADER": ("sk_buff", "network_header", 2),
    "SKB_TRANSPORT_HEADER": ("sk_buff", "transport_header", 2),
    "TCP_SKB_CB_GSO_SEGS": ("tcp_skb_cb", "tcp_gso_segs", 2),
}
OPTIONAL_OFFSETS = {
    **SOCK_V6_OFFSETS,
    "TCP_TOTAL_RTO": ("tcp_sock", "total_rto", 2),  # Linux 6.7+
    "TCP_TOTAL_RTO_TIME": ("tcp_sock", "total_rto_time", 4),
}


@dataclass
class TcpFlowOptions:
    """Build and lifecycle options of the kernel program.

    Attributes:
        max_flows: Flow aggregates (the cardinality bound); one more slot holds the overflow flow.
        max_sockets: Sockets tracked at once (connect latency, close reason, per-socket evidence).
        max_listeners: Listening ports whose owning process is remembered.
        pin_path: bpffs directory to pin maps and links in ("" = do not pin).
    """

    max_flows: int = 16384
    max_sockets: int = 65536
    max_listeners: int = 4096
    pin_path: str = DEFAULT_PIN_PATH

    def build_flags(self) -> list[str]:
        """The -D flags chosen by configuration (the kernel's own come from kernel_flags())."""
        return [
            f"-I{BPF_DIR}",
            f"-DMAX_FLOWS={self.max_flows}",
            f"-DMAX_SOCKETS={self.max_sockets}",
            f"-DMAX_LISTENERS={self.max_listeners}",
            f"-DEPHEMERAL_MIN={ephemeral_min()}",
        ]

    def cflags(self) -> list[str]:
        """Everything the compiler gets; reads the kernel's BTF (~0.5 s), so only the compile child calls it."""
        return [*self.build_flags(), *kernel_flags()]

    def fingerprint(self) -> int:
        """Identifies the program: a pinned one is reused only when this matches (u64).

        The kernel is identified by its release, build and BTF size rather than by the offsets
        read from its BTF: computing it parses no BTF (resuming does, once, to know which of the
        signals' tracepoints this kernel has: attached_programs()).
        """
        digest = hashlib.sha256()
        digest.update(SOURCE_FILE.read_bytes())
        digest.update(HEADER_FILE.read_bytes())
        digest.update(json.dumps(self.build_flags()).encode())
        digest.update(platform.release().encode())
        digest.update(platform.version().encode())
        try:
            digest.update(str(os.stat(BTF_VMLINUX).st_size).encode())
        except OSError:
            pass
        return int.from_bytes(digest.digest()[:8], "little")


def ephemeral_min() -> int:
    """First port of the (root namespace's) ephemeral range: ports at or above are never flow keys."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


@functools.cache
def attached_programs() -> dict[str, tuple[str, int]]:
    """The TRACEPOINTS entries whose tracepoint the running kernel has (its BTF), in TRACEPOINTS
    order.  Raises LoadError when one outside SIGNALS (the backbone) is missing."""
    try:
        btf = Btf()
        present = {}
        for prog, (tracepoint, needed) in TRACEPOINTS.items():
            try:
                btf.tracepoint_arity(tracepoint)
            except BtfError:
                if prog not in SIGNALS:
                    raise
                continue
            present[prog] = (tracepoint, needed)
        check_arities(btf, present)
    except BtfError as exc:
        raise LoadError(f"TCP flows: {exc}") from exc
    return present


def missing_signals() -> dict[str, str]:
    """Tracepoint -> the signal this kernel cannot give (its tracepoint is absent, nothing replaces it)."""
    present = attached_programs()
    return {TRACEPOINTS[p][0]: s for p, s in SIGNALS.items() if p not in present and p not in SUBSTITUTES}


def substituted_signals() -> dict[str, str]:
    """Tracepoint -> how its signal is measured instead on this kernel (SUBSTITUTES)."""
    present = attached_programs()
    return {TRACEPOINTS[p][0]: s for p, s in SUBSTITUTES.items() if p not in present}


def _sk_flags_offset(btf: Btf) -> int:
    for path in SK_FLAGS_PATHS:
        try:
            if btf.size("sock", path) == 8:
                return btf.offset("sock", path)
        except BtfError:
            continue
    raise BtfError("struct sock has no 8-byte sk_flags")


@functools.cache
def kernel_flags() -> tuple[str, ...]:
    """-D flags describing the running kernel (struct offsets, tracepoint arities) from its BTF.

    Raises LoadError naming what is missing: the program cannot read a struct it has no offsets for.
    """
    try:
        btf = Btf()
        bytes_from_tcp_sock = bool(substituted_signals())
        required = {**KERNEL_OFFSETS, **(BYTES_FROM_TCP_SOCK_OFFSETS if bytes_from_tcp_sock else {})}
        flags = offset_flags(btf, "bpf/tcp_flows.c", required, OPTIONAL_OFFSETS)
        if bytes_from_tcp_sock:
            flags += ["-DBYTES_FROM_TCP_SOCK=1", f"-DSK_FLAGS={_sk_flags_offset(btf)}"]
            flags.append(f"-DSOCK_DONE_BIT={btf.enum_values('sock_flags')['SOCK_DONE']}")
        if "on_tcp_retransmit_skb" in attached_programs() and btf.tracepoint_arity("tcp_retransmit_skb") >= 3:
            flags.append("-DRETRANSMIT_HAS_ERR=1")
    except BtfError as exc:
        raise LoadError(f"TCP flows: {exc}") from exc
    return tuple(flags)


def remove_pins(pin_path: str) -> bool:
    """Removes the pinned maps and links (which detaches the programs); True if there were any."""
    if not pin_path or not os.path.isdir(pin_path):
        return False
    shutil.rmtree(pin_path)
    return True


class TcpFlowProgram:
    """The attached program as the agent holds it: map fds (and link fds when not pinned)."""

    def __init__(self, options: TcpFlowOptions, compile_timeout_s: float = 300.0):
        self.options = options
        self._timeout = compile_timeout_s
        self.fds: dict[str, int] = {}
        self._link_fds: list[int] = []
        self._prog_fds: dict[str, int] = {}  # program name -> fd, for the kernel's run statistics
        self.resumed = False  # True when pinned maps of a previous agent were reopened
        self._ncpus = possible_cpus()

    # -- loading ----------------------------------------------------------------------------------

    def load(self) -> None:
        """Reopens identical pinned objects, or compiles and attaches afresh; raises LoadError."""
        pin = self.options.pin_path
        fingerprint = self.options.fingerprint()
        for tracepoint, signal in missing_signals().items():
            log.warning("TCP flows: the kernel has no tracepoint %s: %s are not measured", tracepoint, signal)
        for tracepoint, signal in substituted_signals().items():
            log.info("TCP flows: the kernel has no tracepoint %s: %s", tracepoint, signal)
        if pin:
            try:
                ensure_bpffs()
            except OSError as exc:
                raise LoadError(str(exc)) from exc
            if self._reopen(pin, fingerprint):
                self.resumed = True
                log.info("TCP flows: resumed the pinned program in %s", pin)
                self._open_programs([os.path.join(pin, "link_" + p) for p in attached_programs()])
                return
            if remove_pins(pin):
                log.info("TCP flows: replaced the pinned program in %s (different build)", pin)
        self._compile(fingerprint)
        self._check_sizes()
        self._open_programs(self._link_fds)

    def _open_programs(self, links: list) -> None:
        """Opens the programs behind the links (fds, or pinned paths), in attached_programs() order."""
        for prog, link in zip(attached_programs(), links, strict=True):
            link_fd = obj_get(link) if isinstance(link, str) else link
            try:
                self._prog_fds[prog] = link_program_fd(link_fd)
            except OSError as exc:  # statistics only: the program runs anyway
                log.warning("TCP flows: cannot open program %s for its statistics: %s", prog, exc)
            finally:
                if isinstance(link, str):
                    os.close(link_fd)

    def _reopen(self, pin: str, fingerprint: int) -> bool:
        names = (*MAPS, "meta")
        if not all(os.path.exists(os.path.join(pin, n)) for n in names):
            return False
        if not all(os.path.exists(os.path.join(pin, "link_" + p)) for p in attached_programs()):
            return False
        fds = {}
        try:
            for name in names:
                fds[name] = obj_get(os.path.join(pin, name))
            stored = map_lookup(fds["meta"], b"\0\0\0\0", 8)
        except OSError:
            stored = None
        if stored is None or int.from_bytes(stored, "little") != fingerprint:
            for fd in fds.values():
                os.close(fd)
            return False
        self.fds = fds
        self._check_sizes()
        return True

    def _compile(self, fingerprint: int) -> None:
        reply, fds = run_child(
            "otel_ebpf.receivers.tcp_flows.compile_child",
            json.dumps({"options": dataclasses.asdict(self.options), "fingerprint": fingerprint}),
            cwd=BPF_DIR.parent,
            timeout_s=self._timeout,
            max_fds=64,
            what="compiling the TCP flow program",
            error=LoadError,
        )
        names = reply["maps"]
        self.fds = dict(zip(names, fds[: len(names)], strict=True))
        self._link_fds = list(fds[len(names) :])

    def _check_sizes(self) -> None:
        expected = {
            "flows": (layout.FLOW_KEY.size, layout.FLOW_STATS.size),
            "socks": (layout.SK_KEY.size, layout.SOCK_STATE.size),
            "listeners": (layout.LISTENER_KEY.size, layout.LISTENER_VALUE.size),
        }
        for name, sizes in expected.items():
            info = map_info(self.fds[name])
            if (info.key_size, info.value_size) != sizes:
                raise LoadError(f"map {name}: kernel sizes {(info.key_size, info.value_size)}, layout.py {sizes}")

    # -- reading ----------------------------------------------------------------------------------

    def boot_wall_ns(self) -> int:
        """Wall-clock ns of monotonic zero as recorded when the maps were created (meta[1])."""
        raw = map_lookup(self.fds["meta"], b"\1\0\0\0", 8)
        return int.from_bytes(raw, "little") if raw else 0

    def kernel_stats(self) -> dict[str, int]:
        """Sums of the per-CPU counters in `tcp_stats`."""
        fd = self.fds["tcp_stats"]
        return {name: percpu_u64_sum(fd, i, self._ncpus) for i, name in enumerate(layout.STAT_NAMES)}

    def missed_runs(self) -> dict[str, int]:
        """Per tracepoint: events the kernel did not run the program for (it was already running on
        that CPU, interrupted by the same event in softirq); cumulative since the program was loaded."""
        out = {}
        for prog, fd in self._prog_fds.items():
            try:
                out[TRACEPOINTS[prog][0]] = program_misses(fd)
            except OSError:
                continue
        return out

    def close(self) -> None:
        """Closes our fds: without pins this detaches the programs and frees the maps. Idempotent."""
        for fd in [*self._link_fds, *self.fds.values(), *self._prog_fds.values()]:
            os.close(fd)
        self._link_fds = []
        self._prog_fds = {}
        self.fds = {}
