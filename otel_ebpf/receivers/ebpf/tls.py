"""TLS plaintext: finds the TLS libraries processes use and attaches bpf/http_capture.c's uprobes.

The kernel side (``tls_*`` programs) sends what SSL_read/SSL_write moved as the data of the
connection's socket, flagged EVENT_TLS; the socket's own ciphertext never becomes an event.  Here
the programs are attached, by the agent itself (:mod:`otel_ebpf.kernel.uprobes`), to:

* **OpenSSL and its forks** in shared libraries: every ``libssl.so*`` file in the system's
  library directories, the files of ``tls.libraries``, and the ``libssl.so*`` any process maps
  (containers bring their own);
* **executables that export the OpenSSL API** (OpenSSL linked statically: Node.js official
  builds): the ``/proc/PID/exe`` of every process, looked up in its dynamic symbol hash table.

A uprobe is set on a file's inode: one attachment per file (told apart by device and inode) covers
every process that maps it, those started later included.  So a process that starts after the
agent with the system's libssl, or an executable already seen, is covered from its first call.

Discovery rescans /proc every ``rescan_interval`` on a thread of its own, ``tls-discovery`` (the
processes that appeared since; every process every RESCAN_ALL_S, for libraries loaded late with
dlopen): reading a large executable never holds up the capture thread.  /proc rather than an exec
tracepoint: the tracepoint would tell sooner, but each exec would still wait for this thread to
read the ELF file and attach; the files that matter most (the system's libssl, executables seen
once) are attached before any process uses them anyway.  What could not be attached is counted
by reason (``otel_ebpf.ebpf.tls.attach_failures``), at most ``max_attachments`` files are
attached (past it: reason ``limit``).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from glob import glob
from typing import Any

from otel_ebpf.kernel.uprobes import UprobeError, attach_uprobe
from otel_ebpf.receivers.ebpf.elf_symbols import symbol_offsets
from otel_ebpf.receivers.ebpf.go_binaries import go_functions, register_abi

__all__ = ["GO_PROBES", "OPENSSL_PROBES", "TlsProbes", "TlsTarget"]

log = logging.getLogger(__name__)

# Symbol -> the programs attached there: (program, on return).  SSL_read and SSL_write are
# required (OpenSSL 1.1, 3.x, BoringSSL, LibreSSL); the _ex forms exist from OpenSSL 1.1.1.
OPENSSL_PROBES: dict[str, tuple[tuple[str, bool], ...]] = {
    "SSL_read": (("tls_read_enter", False), ("tls_read_return", True)),
    "SSL_write": (("tls_write_enter", False), ("tls_write_return", True)),
    "SSL_read_ex": (("tls_read_ex_enter", False), ("tls_read_return", True)),
    "SSL_write_ex": (("tls_write_ex_enter", False), ("tls_write_return", True)),
}
_REQUIRED = ("SSL_read", "SSL_write")
# Go's crypto/tls: function -> (program at its entry, program on each of its RET instructions).
GO_PROBES: dict[str, tuple[str, str]] = {
    "crypto/tls.(*Conn).Read": ("go_tls_read_enter", "go_tls_read_return"),
    "crypto/tls.(*Conn).Write": ("go_tls_write_enter", "go_tls_write_return"),
}
# Where distributions keep shared libraries (libssl.so* there is attached at start).
LIBRARY_DIRS = (
    "/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib", "/usr/local/lib64",
    "/lib/*-linux-gnu", "/usr/lib/*-linux-gnu",
)  # fmt: skip
_LIBSSL = re.compile(r"/libssl\.so[.\d]*$")
RESCAN_ALL_S = 30.0  # every process's maps again (libraries loaded late)


@dataclass
class TlsTarget:
    """A file the probes were attached to (or could not be)."""

    path: str
    kind: str  # "library" or "executable"
    library: str = ""  # "openssl", "go 1.19.8": what TLS implementation it holds
    symbols: tuple[str, ...] = ()
    error: str = ""  # why it is not attached ("" when it is)
    fds: list[int] = field(default_factory=list)


class TlsProbes:
    """Args:
    program_fd: The fd of a loaded program by name (-1: not loaded).
    config: The receiver's ``tls`` section.
    self_pid: The agent's pid (its own TLS is not captured: the kernel skips it too).
    proc: The /proc to scan (tests).
    """

    def __init__(self, program_fd: Callable[[str], int], config: Mapping[str, Any], self_pid: int | None = None,
                 proc: str = "/proc") -> None:  # fmt: skip
        self._program_fd = program_fd
        self._config = config
        self._self_pid = os.getpid() if self_pid is None else self_pid
        self._proc = proc
        self._max = config["max_attachments"]
        self._interval = config["rescan_interval"]
        self.targets: dict[tuple[int, int], TlsTarget] = {}  # (st_dev, st_ino) -> target
        self._seen_pids: set[int] = set()
        self._next_scan = 0.0
        self._next_full_scan = 0.0
        self.failures: dict[str, int] = {}  # reason -> files not attached
        self.scans = 0
        self._lock = threading.Lock()  # scans and close()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self, watch: bool = True) -> None:
        """Attaches to the system's libraries, the configured ones, and what running processes use;
        then (`watch`) looks for new ones every rescan_interval on the ``tls-discovery`` thread."""
        with self._lock:
            for path in self._config["libraries"]:
                self._consider(path, "library", explicit=True)
            for directory in LIBRARY_DIRS:
                for path in sorted(glob(os.path.join(directory, "libssl.so*"))):
                    self._consider(path, "library")
            self._rescan(time.monotonic(), force=True)
        attached = self.attached()
        log.info("TLS capture: uprobes on %d file(s): %s", len(attached), ", ".join(t.path for t in attached) or "none")
        if watch:
            self._thread = threading.Thread(target=self._watch, name="tls-discovery", daemon=True)
            self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.rescan(time.monotonic())
            except Exception:  # a bug must not end discovery silently: logged, the next scan goes on
                log.exception("TLS capture: scanning /proc failed")

    def close(self) -> None:
        """Stops discovery and detaches every uprobe."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        with self._lock:
            for target in self.targets.values():
                for fd in target.fds:
                    os.close(fd)
                target.fds = []

    # -- discovery ----------------------------------------------------------------------------

    def rescan(self, now: float, force: bool = False) -> None:
        """Every rescan_interval: the processes that appeared since (all of them every RESCAN_ALL_S)."""
        with self._lock:
            if not self._stop.is_set():
                self._rescan(now, force)

    def _rescan(self, now: float, force: bool) -> None:
        if not force and now < self._next_scan:
            return
        self._next_scan = now + self._interval
        full = force or now >= self._next_full_scan
        if full:
            self._next_full_scan = now + RESCAN_ALL_S
        self.scans += 1
        try:
            pids = {int(name) for name in os.listdir(self._proc) if name.isdigit()}
        except OSError:
            return
        todo = pids if full else pids - self._seen_pids
        self._seen_pids = pids
        for pid in sorted(todo):
            if pid != self._self_pid:
                self._scan_process(pid)

    def _scan_process(self, pid: int) -> None:
        root = f"{self._proc}/{pid}"
        self._consider(f"{root}/exe", "executable")
        try:
            with open(f"{root}/maps", "rb") as f:
                maps = f.read()
        except OSError:
            return  # gone, or a kernel thread
        libraries = set()
        for line in maps.split(b"\n"):
            path = line.partition(b"/")[2]
            if b"libssl.so" in path and not path.endswith(b"(deleted)"):
                text = "/" + path.decode(errors="replace")
                if _LIBSSL.search(text):
                    libraries.add(text)
        for path in sorted(libraries):
            # Through the process's root: a container's library, in its own mount namespace.
            self._consider(f"{root}/root{path}", "library")

    def _consider(self, path: str, kind: str, explicit: bool = False) -> None:
        """Attaches the probes to file `path` unless its inode was considered before."""
        try:
            st = os.stat(path)
        except OSError as exc:
            if explicit:
                self._fail(TlsTarget(path, kind), "unreadable", str(exc))
            return
        key = (st.st_dev, st.st_ino)
        if key in self.targets:
            return
        target = self.targets[key] = TlsTarget(os.path.realpath(path), kind)
        try:
            probes = self._openssl_probes(target, path)
            if probes is None and kind == "executable":
                probes = self._go_probes(target, path)
        except (OSError, ValueError) as exc:
            if explicit or kind == "library":
                self._fail(target, "unreadable", str(exc))
            else:
                target.error = "not ELF"  # scripts, kernel threads' absent exe: nothing to count
            return
        if probes is None:
            if explicit:
                self._fail(target, "no_symbols", "neither SSL_read/SSL_write nor crypto/tls found")
            elif not target.error:
                target.error = "no TLS library"
            return
        if sum(1 for t in self.targets.values() if t.fds) >= self._max:
            self._fail(target, "limit", f"max_attachments ({self._max}) reached")
            return
        self._attach(target, path, probes)

    def _openssl_probes(self, target: TlsTarget, path: str) -> list[tuple[str, int, bool]] | None:
        """The OpenSSL probes of a file that exports SSL_read and SSL_write, else None."""
        offsets = symbol_offsets(path, tuple(OPENSSL_PROBES))
        if not all(name in offsets for name in _REQUIRED):
            return None
        target.library = "openssl"
        target.symbols = tuple(offsets)
        if not self._config["openssl"]:
            target.error = "openssl disabled"
            return None
        return [
            (program, offset, on_return)
            for name, offset in offsets.items()
            for program, on_return in OPENSSL_PROBES[name]
        ]

    def _go_probes(self, target: TlsTarget, path: str) -> list[tuple[str, int, bool]] | None:
        """The crypto/tls probes of a Go executable (register ABI), else None."""
        version, functions = go_functions(path, tuple(GO_PROBES))
        if version is None:
            return None
        target.library = f"go {version or '< 1.18'}"
        if not register_abi(version):
            self._fail(target, "go_version", f"Go {version or '< 1.18'}: the probes need Go >= 1.17")
            return None
        if len(functions) < len(GO_PROBES):
            target.error = "no crypto/tls" if not functions else "crypto/tls incomplete"
            return None
        target.symbols = tuple(functions)
        if not self._config["go"]:
            target.error = "go disabled"
            return None
        probes = []
        for name, function in functions.items():
            enter, leave = GO_PROBES[name]
            probes.append((enter, function.entry, False))
            probes += [(leave, offset, False) for offset in function.returns]  # uprobes on RETs, never uretprobes
        return probes

    def _attach(self, target: TlsTarget, path: str, probes: list[tuple[str, int, bool]]) -> None:
        fds: list[int] = []
        try:
            for program, offset, on_return in probes:
                fd = self._program_fd(program)
                if fd < 0:
                    raise UprobeError(f"program {program} is not loaded")
                fds.append(attach_uprobe(fd, path, offset, retprobe=on_return))
        except UprobeError as exc:
            for fd in fds:
                os.close(fd)
            self._fail(target, "attach_error", str(exc))
            return
        target.fds = fds
        log.log(
            logging.INFO if self.scans > 1 else logging.DEBUG,  # after the start's summary: each one
            "TLS capture: %d uprobes on %s (%s: %s)",
            len(fds),
            target.path,
            target.library,
            ", ".join(target.symbols),
        )

    def _fail(self, target: TlsTarget, reason: str, detail: str) -> None:
        target.error = f"{reason}: {detail}"
        self.failures[reason] = self.failures.get(reason, 0) + 1
        log.warning("TLS capture: %s not attached (%s)", target.path, target.error)

    # -- reporting ----------------------------------------------------------------------------

    def attached(self) -> list[TlsTarget]:
        return [t for t in list(self.targets.values()) if t.fds]

    def counters(self) -> Iterable[tuple[tuple[str, tuple[tuple[str, str], ...]], int]]:
        yield ("otel_ebpf.ebpf.tls.attached_files", ()), len(self.attached())
        failures = dict(self.failures)
        for reason in ("unreadable", "no_symbols", "go_version", "limit", "attach_error"):
            yield ("otel_ebpf.ebpf.tls.attach_failures", (("reason", reason),)), failures.get(reason, 0)
