"""Compiles and attaches bpf/http_capture.c with bcc (in a child process), and reads its ring buffer.

bcc compiles the C at load time against kernel headers (see otel_ebpf.kernel.toolchain for how
they are found).  The program attaches to raw tracepoints only and reads the few `struct sock`
members it needs at offsets taken from the running kernel's BTF (KERNEL_OFFSETS), so headers of
another kernel version are fine.
"""

from __future__ import annotations

import ctypes
import dataclasses
import json
import logging
import os
import struct
from dataclasses import dataclass, field

from otel_ebpf import BPF_DIR
from otel_ebpf.kernel.bpf import (
    atomic_fetch_supported,
    map_lookup,
    map_update,
    percpu_u64_sum,
    possible_cpus,
    program_misses,
    require_bpf_permission,
)
from otel_ebpf.kernel.btf import SOCK_OFFSETS, SOCK_V6_OFFSETS, Btf, BtfError, check_arities, offset_flags
from otel_ebpf.kernel.errors import LoadError
from otel_ebpf.kernel.handoff import run_child
from otel_ebpf.kernel.mounts import ensure_tracefs
from otel_ebpf.kernel.records import HTTP_STAT_NAMES, SHED_BOUNDS_NS, SHED_OVERFLOW_KEY, SHED_VALUE
from otel_ebpf.kernel.ringbuf import RingBufferReader
from otel_ebpf.kernel.toolchain import ensure_kernel_headers, import_bcc
from otel_ebpf.receivers.ebpf.capture_path import AUTO, SOCK, SYSCALL, CapturePath, choose, requested_path

__all__ = ["TLS_PROGRAMS", "CaptureOptions", "HttpCaptureProgram", "LoadError", "compile_and_attach", "per_cpu_rate"]

log = logging.getLogger(__name__)

SOURCE_FILE = BPF_DIR / "http_capture.c"
PAGE_SIZE = 4096
# What the calls of an HTTP/2 connection are captured up to (bpf/http_capture.c H2_CAPTURE_BYTES):
# measured with tests/test_grpc_e2e.py (16 grpcio calls in flight on one channel): at 1024 bytes the
# client's batched writes lose header blocks and its HPACK table (0.5% of calls seen), at 8192 all.
H2_CAPTURE_BYTES = 8192

# Program -> raw tracepoint it attaches to (bcc names a RAW_TRACEPOINT_PROBE after it), and how
# many of the tracepoint's arguments it reads: those of every build, then those of each capture path.
TRACEPOINTS = {
    "inet_sock_set_state": ("inet_sock_set_state", 3),  # sk, oldstate, newstate
    "tcp_destroy_sock": ("tcp_destroy_sock", 1),  # sk
    "sched_process_exit": ("sched_process_exit", 0),  # a thread ends: its TLS call in progress is forgotten
}
PATH_TRACEPOINTS = {
    SOCK: {
        "sock_send_length": ("sock_send_length", 3),  # sk, ret, flags
        "sock_recv_length": ("sock_recv_length", 3),
    },
    SYSCALL: {"sys_exit": ("sys_exit", 2)},  # regs, ret
}
# The uprobe programs on the TLS library (bpf/http_capture.c), loaded with the rest when TLS capture is
# on and attached by the agent (otel_ebpf/receivers/ebpf/tls.py) to the files it finds.
TLS_PROGRAMS = (
    "tls_read_enter",
    "tls_read_ex_enter",
    "tls_write_enter",
    "tls_write_ex_enter",
    "tls_read_return",
    "tls_write_return",
    "go_tls_read_enter",
    "go_tls_write_enter",
    "go_tls_read_return",
    "go_tls_write_return",
)
# -D flag -> (struct, member path, size) read at that offset by bpf/http_capture.c.
KERNEL_OFFSETS = {
    **SOCK_OFFSETS,
    "SK_RCV_SADDR": ("sock", "__sk_common.skc_rcv_saddr", 4),
    "SK_SHUTDOWN": ("sock", "sk_shutdown", 1),
}
# The syscall path's walk from the task to the socket of an fd, and to its saved registers.
SYSCALL_PATH_OFFSETS = {
    "TASK_FILES": ("task_struct", "files", 8),
    "TASK_STACK": ("task_struct", "stack", 8),
    "FILES_FDT": ("files_struct", "fdt", 8),
    "FDT_MAX_FDS": ("fdtable", "max_fds", 4),
    "FDT_FD": ("fdtable", "fd", 8),
    "FILE_INODE": ("file", "f_inode", 8),
    "FILE_PRIVATE_DATA": ("file", "private_data", 8),
    "INODE_MODE": ("inode", "i_mode", 2),
    "SOCKET_SK": ("socket", "sk", 8),
}
OPTIONAL_OFFSETS = {  # absent without IPv6
    **SOCK_V6_OFFSETS,
    "SK_V6_RCV_SADDR": ("sock", "__sk_common.skc_v6_rcv_saddr", 16),
}


@dataclass
class CaptureOptions:
    capture_bytes: int = 1024
    ring_buffer_size: int = 8 * 1024 * 1024
    max_connections: int = 65536
    read_chunks: int = 4  # a large read ships up to this many capture_bytes pieces
    # Exchanges per second the kernel sends to userspace (0: no limit); past it they are shed
    # (counted in `shed_counts`, no event).  The kernel's buckets are per CPU: each gets its share.
    max_spans_per_second: int = 0
    max_shed_keys: int = 4096  # entries of `shed_counts` (process, role, method, status, path)
    # Shed when this fraction of the ring buffer waits to be read (the agent is behind); 1: never
    # (events are then lost when it is full, counted as ringbuf_full).
    shed_ring_fill: float = 0.5
    pids: list[int] = field(default_factory=list)
    executables: list[str] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)
    self_pid: int = field(default_factory=os.getpid)
    tls: bool = True  # load TLS_PROGRAMS (attached to TLS libraries by the agent)
    capture_path: str = AUTO  # AUTO, SOCK or SYSCALL (capture_path.py); the environment may override it

    def cflags(self) -> list[str]:
        h2_capture = max(self.capture_bytes, H2_CAPTURE_BYTES)
        pow2 = 1
        while pow2 < h2_capture:
            pow2 <<= 1
        pages = max(8, self.ring_buffer_size // PAGE_SIZE)
        if pages & (pages - 1):
            raise LoadError(f"ring_buffer_size must be a power of two times {PAGE_SIZE}, got {self.ring_buffer_size}")
        flags = [
            f"-I{BPF_DIR}",
            f"-DCAPTURE_BYTES={self.capture_bytes}",
            f"-DCAPTURE_POW2={pow2}",
            f"-DH2_CAPTURE_BYTES={h2_capture}",
            f"-DRINGBUF_PAGES={pages}",
            f"-DMAX_CONNECTIONS={self.max_connections}",
            f"-DREAD_CHUNKS={max(1, self.read_chunks)}",
            f"-DSELF_PID={self.self_pid}",
            f"-DMAX_SHED_KEYS={self.max_shed_keys}",
        ]
        if self.pids:
            flags.append("-DFILTER_PIDS=1")
        if self.executables:
            flags.append("-DFILTER_COMMS=1")
        if self.ports:
            flags.append("-DFILTER_PORTS=1")
        return flags


# shed_config[0]: each CPU's token-bucket rate (bpf/http_capture.c).
_RATE_KEY = struct.pack("=I", 0)


def per_cpu_rate(per_second: int) -> int:
    """A rate of exchanges per second as each CPU's token bucket holds it (at least 1 a CPU)."""
    cpus = os.cpu_count() or 1
    return -(-per_second // cpus)


def kernel_flags(requested: str = AUTO) -> tuple[CapturePath, list[str]]:
    """The capture path for the running kernel and the -D flags describing it (the path's, struct
    offsets) from its BTF; raises LoadError."""
    try:
        btf = Btf()
        value, source = requested_path(requested)
        path = choose(value, btf, source)
        check_arities(btf, {**TRACEPOINTS, **PATH_TRACEPOINTS[path.name]})
        required = dict(KERNEL_OFFSETS)
        flags = []
        if path.name == SYSCALL:
            required.update(SYSCALL_PATH_OFFSETS)
            flags.append("-DSYSCALL_PATH=1")
        if not atomic_fetch_supported():
            flags.append("-DNO_ATOMIC_FETCH=1")  # before Linux 5.12
        return path, flags + offset_flags(btf, SOURCE_FILE.name, required, OPTIONAL_OFFSETS)
    except (BtfError, ValueError) as exc:
        raise LoadError(f"HTTP capture: {exc}") from exc


def compile_and_attach(options: CaptureOptions):
    """Compiles the program with bcc, which attaches every RAW_TRACEPOINT_PROBE; fills the filter maps.

    Runs in compile_child.py, a short-lived process: see there why.
    """
    ensure_tracefs()
    require_bpf_permission()
    ensure_kernel_headers()
    bcc = import_bcc()
    path, flags = kernel_flags(options.capture_path)
    try:
        bpf = bcc.BPF(src_file=str(SOURCE_FILE).encode(), cflags=[*options.cflags(), *flags])
    except Exception as exc:  # bcc raises plain Exception with the compiler/verifier output
        raise LoadError(f"loading {SOURCE_FILE.name} ({path.name}) failed: {exc}") from exc
    bpf.otel_capture_path = path
    # The walk of an HTTP/2 call's iovecs (it ships the call's events), tail-called by the socket programs.
    # The program array must stay open in the agent (walk_fd): the kernel empties it when the last
    # user fd of it closes.
    try:
        walk = bpf.load_func(b"h2_iov_walk", bcc.BPF.RAW_TRACEPOINT)
        bpf[b"walk_programs"][ctypes.c_int(0)] = ctypes.c_int(walk.fd)
    except Exception as exc:  # bcc raises plain Exception with the verifier's output
        raise LoadError(f"loading h2_iov_walk failed: {exc}") from exc
    bpf.otel_tls_error = ""  # why the TLS programs are not loaded (HTTPS not captured; the rest is)
    if options.tls:
        for name in TLS_PROGRAMS:
            try:
                bpf.load_func(name.encode(), bcc.BPF.KPROBE)
            except Exception as exc:  # bcc raises plain Exception with the verifier's output
                bpf.otel_tls_error = f"loading {name} failed: {(str(exc).strip().splitlines() or [''])[-1]}"
                break
    if options.pids:
        table = bpf[b"filter_pids"]
        for pid in options.pids:
            table[ctypes.c_uint32(pid)] = ctypes.c_uint8(1)
    if options.executables:
        table = bpf[b"filter_comms"]
        for name in options.executables:
            key = table.Key()
            key.comm = name.encode()[:15]
            table[key] = ctypes.c_uint8(1)
    if options.ports:
        table = bpf[b"filter_ports"]
        for port in options.ports:
            table[ctypes.c_uint16(port)] = ctypes.c_uint8(1)
    config = bpf[b"shed_config"]
    if options.max_spans_per_second:
        config[ctypes.c_int(0)] = ctypes.c_uint64(per_cpu_rate(options.max_spans_per_second))
    if options.shed_ring_fill < 1:
        ring_bytes = max(8, options.ring_buffer_size // PAGE_SIZE) * PAGE_SIZE
        config[ctypes.c_int(1)] = ctypes.c_uint64(max(1, int(ring_bytes * options.shed_ring_fill)))
    # The overflow entry exists from the start: a full map still has somewhere to count.
    empty = SHED_VALUE.struct.pack(0, 0, *[0] * len(SHED_BOUNDS_NS), 0, (1 << 64) - 1, 0, b"", b"")
    map_update(bpf[b"shed_counts"].map_fd, SHED_OVERFLOW_KEY, empty * possible_cpus())
    return bpf


class HttpCaptureProgram:
    """The attached program as the agent holds it: fds handed over by the compile child."""

    def __init__(self, options: CaptureOptions, compile_timeout_s: float = 300.0):
        self.options = options
        self._timeout = compile_timeout_s
        self._ring: RingBufferReader | None = None
        self._stats_fd = -1
        self._ring_fd = -1
        self.shed_counts_fd = -1  # the kernel's counts of shed exchanges (kernel_counts.py reads them)
        self._shed_config_fd = -1  # the token bucket's rate (set_span_rate)
        self._walk_fd = -1  # walk_programs: held so that the kernel keeps h2_iov_walk in it
        self._h2_marks_fd = -1  # sockets found to be HTTP/2 in userspace (mark_http2)
        self._link_fds: list[int] = []  # raw tracepoint links: closing them detaches
        self._prog_fds: list[int] = []
        self.tracepoints: list[str] = []
        self.capture_path: CapturePath | None = None
        self._ncpus = possible_cpus()

    def load(self) -> None:
        """Compiles and attaches in a child process; raises LoadError with the reason on failure."""
        reply, fds = run_child(
            "otel_ebpf.receivers.ebpf.compile_child",
            json.dumps(dataclasses.asdict(self.options)),
            cwd=BPF_DIR.parent,
            timeout_s=self._timeout,
            max_fds=256,
            what="compiling the BPF program",
            error=LoadError,
        )
        (self._ring_fd, self._stats_fd, self.shed_counts_fd, self._shed_config_fd, self._walk_fd, self._h2_marks_fd,
         *attachments) = fds  # fmt: skip
        self.tracepoints = reply["tracepoints"]
        self.tls_error: str = reply.get("tls_error", "")
        self.capture_path = CapturePath(*reply["capture_path"])  # the path built, and why
        self.programs: list[str] = reply["programs"]  # names, in the order of the program fds
        self._link_fds = attachments[: len(self.tracepoints)]
        self._prog_fds = attachments[len(self.tracepoints) :]
        pages = max(8, self.options.ring_buffer_size // PAGE_SIZE)
        self._ring = RingBufferReader(self._ring_fd, pages * PAGE_SIZE)
        log.debug("attached %d raw tracepoints", len(self._link_fds))

    def program_fd(self, name: str) -> int:
        """The fd of the loaded program `name` (-1 if it was not loaded)."""
        try:
            return self._prog_fds[self.programs.index(name)]
        except (AttributeError, ValueError):
            return -1

    def drain(self, limit: int = 0) -> list[bytes]:
        """The events waiting in the ring buffer (header + payload bytes), at most `limit` (0: every
        one), without blocking."""
        out: list[bytes] = []
        if self._ring is not None:
            self._ring.read(out, limit)
        return out

    def set_span_rate(self, per_second: int) -> None:
        """Exchanges per second the kernel sends to userspace from now on (0: no limit), shared out
        over the CPUs as at load (`max_spans_per_second`)."""
        if self._shed_config_fd >= 0:
            rate = per_cpu_rate(per_second) if per_second > 0 else 0
            map_update(self._shed_config_fd, _RATE_KEY, struct.pack("=Q", rate))

    def mark_http2(self, sk: int) -> None:
        """Tells the kernel that socket `sk` (a connection older than the agent) carries HTTP/2: from
        its next phase its calls are captured as HTTP/2's are (8 KiB pieces, every iovec)."""
        if self._h2_marks_fd >= 0:
            map_update(self._h2_marks_fd, struct.pack("=Q", sk), b"\x01")

    def per_cpu_span_rate(self) -> int:
        """The rate each CPU's token bucket applies now (0: no limit)."""
        raw = map_lookup(self._shed_config_fd, _RATE_KEY, 8) if self._shed_config_fd >= 0 else None
        return struct.unpack("=Q", raw)[0] if raw else 0

    def kernel_stat(self, name: str) -> int:
        """One counter of the `stats` map (a name of HTTP_STAT_NAMES), summed over the CPUs."""
        return percpu_u64_sum(self._stats_fd, HTTP_STAT_NAMES.index(name), self._ncpus)

    def kernel_stats(self) -> dict[str, int]:
        """Sums of the per-CPU counters in the `stats` map, and `skipped`: program runs the kernel skipped."""
        stats = {name: percpu_u64_sum(self._stats_fd, i, self._ncpus) for i, name in enumerate(HTTP_STAT_NAMES)}
        stats["skipped"] = sum(program_misses(fd) for fd in self._prog_fds)
        return stats

    def close(self) -> None:
        """Detaches every probe (closing the link fds) and releases the maps. Idempotent."""
        for fd in [*self._link_fds, *self._prog_fds]:
            os.close(fd)
        self._link_fds = []
        self._prog_fds = []
        if self._ring is not None:
            self._ring.close()
            self._ring = None
        map_fds = (
            self._ring_fd, self._stats_fd, self.shed_counts_fd, self._shed_config_fd, self._walk_fd, self._h2_marks_fd,
        )  # fmt: skip
        for fd in map_fds:
            if fd >= 0:
                os.close(fd)
        self._ring_fd = self._stats_fd = self.shed_counts_fd = self._shed_config_fd = -1
        self._walk_fd = self._h2_marks_fd = -1
