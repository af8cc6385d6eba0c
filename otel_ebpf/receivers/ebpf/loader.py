"""Compiles and attaches bpf/http_capture.c with bcc, and reads its ring buffer.

bcc compiles the C at load time against kernel headers.  When the running kernel's
own headers are missing (no /lib/modules/$(uname -r)/build), the distribution's
headers installed under /usr/src are used through BCC_KERNEL_SOURCE: tracepoint
argument structs come from tracefs at run time, and the program reads no kernel
struct, so headers of another kernel version are fine.
"""

from __future__ import annotations

import ctypes
import glob
import logging
import os
import platform
from collections.abc import Callable
from dataclasses import dataclass, field

from otel_ebpf import BPF_DIR
from otel_ebpf.receivers.ebpf.events import STAT_NAMES

log = logging.getLogger(__name__)

SOURCE_FILE = BPF_DIR / "http_capture.c"
TRACEFS_DIRS = ("/sys/kernel/tracing", "/sys/kernel/debug/tracing")
PAGE_SIZE = 4096


class LoadError(RuntimeError):
    """The BPF program could not be compiled or attached; the message says why and what to do."""


@dataclass
class CaptureOptions:
    capture_bytes: int = 1024
    ring_buffer_size: int = 8 * 1024 * 1024
    max_connections: int = 65536
    max_threads: int = 16384
    read_chunks: int = 4  # a large read ships up to this many capture_bytes pieces
    pids: list[int] = field(default_factory=list)
    executables: list[str] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)
    self_pid: int = field(default_factory=os.getpid)

    def cflags(self) -> list[str]:
        pow2 = 1
        while pow2 < self.capture_bytes:
            pow2 <<= 1
        pages = max(8, self.ring_buffer_size // PAGE_SIZE)
        if pages & (pages - 1):
            raise LoadError(f"ring_buffer_size must be a power of two times {PAGE_SIZE}, got {self.ring_buffer_size}")
        flags = [
            f"-I{BPF_DIR}",
            f"-DCAPTURE_BYTES={self.capture_bytes}",
            f"-DCAPTURE_POW2={pow2}",
            f"-DRINGBUF_PAGES={pages}",
            f"-DMAX_CONNECTIONS={self.max_connections}",
            f"-DMAX_THREADS={self.max_threads}",
            f"-DREAD_CHUNKS={max(1, self.read_chunks)}",
            f"-DSELF_PID={self.self_pid}",
        ]
        if self.pids:
            flags.append("-DFILTER_PIDS=1")
        if self.executables:
            flags.append("-DFILTER_COMMS=1")
        if self.ports:
            flags.append("-DFILTER_PORTS=1")
        return flags


def ensure_tracefs() -> None:
    """Mounts tracefs when it is not mounted (tracepoints are attached through it)."""
    if any(os.path.isdir(os.path.join(d, "events")) for d in TRACEFS_DIRS):
        return
    rc = os.system("mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null")
    if rc != 0 or not os.path.isdir("/sys/kernel/tracing/events"):
        raise LoadError("tracefs is not mounted and could not be mounted: mount -t tracefs nodev /sys/kernel/tracing")


def ensure_kernel_headers() -> None:
    """Points bcc at installed kernel headers when the running kernel's are missing."""
    if os.environ.get("BCC_KERNEL_SOURCE"):
        return
    if os.path.isdir(f"/lib/modules/{platform.release()}/build/include"):
        return
    candidates = sorted(glob.glob("/usr/src/linux-headers-*-amd64") + glob.glob("/usr/src/linux-headers-*-arm64"))
    if not candidates:
        raise LoadError(
            f"no kernel headers for bcc: /lib/modules/{platform.release()}/build is missing and none are installed "
            "under /usr/src; run `sh scripts/setup.sh` (installs linux-headers-amd64 and links them)"
        )
    os.environ["BCC_KERNEL_SOURCE"] = candidates[-1]
    log.info("using kernel headers from %s", candidates[-1])


def import_bcc():
    try:
        import bcc  # noqa: PLC0415 - imported lazily: only the capture path needs it
    except ImportError as exc:
        raise LoadError(
            "the bcc Python module is not importable: install Debian's python3-bpfcc and run from a venv made "
            "with --system-site-packages (`sh scripts/setup.sh` does both)"
        ) from exc
    return bcc


class HttpCaptureProgram:
    """The loaded BPF program: attach, drain events, read kernel counters, detach."""

    def __init__(self, options: CaptureOptions):
        self.options = options
        self._bpf = None

    def load(self) -> None:
        ensure_tracefs()
        ensure_kernel_headers()
        bcc = import_bcc()
        try:
            self._bpf = bcc.BPF(src_file=str(SOURCE_FILE).encode(), cflags=self.options.cflags())
        except Exception as exc:  # bcc raises plain Exception with the compiler/verifier output
            raise LoadError(f"loading {SOURCE_FILE.name} failed: {exc}") from exc
        self._fill_filters()

    def _fill_filters(self) -> None:
        opts = self.options
        if opts.pids:
            table = self._bpf[b"filter_pids"]
            for pid in opts.pids:
                table[ctypes.c_uint32(pid)] = ctypes.c_uint8(1)
        if opts.executables:
            table = self._bpf[b"filter_comms"]
            for name in opts.executables:
                key = table.Key()
                key.comm = name.encode()[:15]
                table[key] = ctypes.c_uint8(1)
        if opts.ports:
            table = self._bpf[b"filter_ports"]
            for port in opts.ports:
                table[ctypes.c_uint16(port)] = ctypes.c_uint8(1)

    def open_events(self, on_event: Callable[[bytes], None]) -> None:
        """Registers the consumer of raw events (header + payload bytes)."""
        string_at = ctypes.string_at

        def callback(_ctx, data, size):
            # The only work done per event in the callback: copy the bytes out of the ring.
            on_event(string_at(data, size))

        self._callback = callback  # bcc keeps a weak reference only
        self._bpf[b"events"].open_ring_buffer(callback)

    def drain(self) -> None:
        """Consumes every event waiting in the ring buffer, without blocking."""
        self._bpf.ring_buffer_consume()

    def kernel_stats(self) -> dict[str, int]:
        """Sums of the per-CPU counters in the `stats` map."""
        table = self._bpf[b"stats"]
        totals = {}
        for index, name in enumerate(STAT_NAMES):
            totals[name] = sum(int(v) for v in table[ctypes.c_int(index)])
        return totals

    def map_sizes(self) -> dict[str, int]:
        return {name: len(self._bpf[name.encode()]) for name in ("conns", "sock_addrs", "active_calls")}

    def close(self) -> None:
        if self._bpf is not None:
            self._bpf.cleanup()
            self._bpf = None
