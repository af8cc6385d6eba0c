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
    key: tuple[int, int, int] | None = None  # (st_dev, st_ino, st_mtime_ns)


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
        # (st_dev, st_ino, st_mtime_ns) -> target: each file once, an inode reused by a new file anew
        self.targets: dict[tuple[int, int, int], TlsTarget] = {}
        self._pinned: set[tuple[int, int, int]] = set()  # the system's and configured libraries
        self._seen: set[tuple[int, int, int]] = set()  # the files met during the current full scan
        self._counted: set[tuple[int, int, int]] = set()  # files whose failure was counted (once each)
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
        """Attaches to the system's libraries and the configured ones (a few files: at once), then
        to what running processes use: with `watch`, on the ``tls-discovery`` thread, which then
        looks for new ones every rescan_interval (reading every executable of a busy host takes a
        while: the capture thread is draining meanwhile); without, here."""
        with self._lock:
            for path in self._config["libraries"]:
                self._pin(self._consider(path, "library", explicit=True))
            for directory in LIBRARY_DIRS:
                for path in sorted(glob(os.path.join(directory, "libssl.so*"))):
                    self._pin(self._consider(path, "library"))
        attached = self.attached()
        log.info("TLS capture: uprobes on %d file(s): %s", len(attached), ", ".join(t.path for t in attached) or "none")
        if watch:
            self._thread = threading.Thread(target=self._watch, name="tls-discovery", daemon=True)
            self._thread.start()
        else:
            self.rescan(time.monotonic(), force=True)

    def _pin(self, key: tuple[int, int, int] | None) -> None:
        if key is not None:
            self._pinned.add(key)

    def _watch(self) -> None:
        force = True  # the running processes, first
        while True:
            try:
                self.rescan(time.monotonic(), force=force)
            except Exception:  # a bug must not end discovery silently: logged, the next scan goes on
                log.exception("TLS capture: scanning /proc failed")
            force = False
            if self._stop.wait(self._interval):
                return

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
        self._seen = set()
        for pid in sorted(todo):
            if pid != self._self_pid and not self._stop.is_set():
                self._scan_process(pid)
        self._seen_pids = pids
        if full:
            self._forget_unused()

    def _forget_unused(self) -> None:
        """After a full scan: the files no process uses any more are detached and forgotten (a
        deleted binary's inode is freed, and the attachment counts no more against the limit);
        those never attached are forgotten too, to be read again should a process use them."""
        freed = False
        for key in [k for k in self.targets if k not in self._seen and k not in self._pinned]:
            target = self.targets.pop(key)
            for fd in target.fds:
                os.close(fd)
            if target.fds:
                freed = True
                log.info("TLS capture: uprobes removed from %s (no process uses it)", target.path)
            target.fds = []
        if freed:  # room again: the files refused for the limit are read again at the next scan
            for key in [k for k, t in self.targets.items() if t.error.startswith("limit")]:
                del self.targets[key]
        if len(self._counted) > 4 * self._max + 4096:
            self._counted.clear()  # bounded: a file failing again after this is counted again

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
            if b"libssl.so" in path and path.endswith(b"(deleted)"):
                self._still_used(root, line)
                continue
            if b"libssl.so" in path:
                text = "/" + path.decode(errors="replace")
                if _LIBSSL.search(text):
                    libraries.add(text)
        for path in sorted(libraries):
            # Through the process's root: a container's library, in its own mount namespace.
            self._consider(f"{root}/root{path}", "library", name=self._name_in(pid, path))

    def _still_used(self, root: str, line: bytes) -> None:
        """A library a process still maps after it was deleted (replaced by an upgrade): its probes
        stay (map_files/ reaches the deleted inode), no new ones are set on it."""
        try:
            st = os.stat(f"{root}/map_files/{line.split(b' ', 1)[0].decode()}")
        except (OSError, UnicodeDecodeError):
            return
        self._seen.add((st.st_dev, st.st_ino, st.st_mtime_ns))

    def _name_in(self, pid: int, path: str) -> str:
        """How to name a file that process `pid` maps at `path`: the path, and whose it is when
        this agent's `path` is another file (a container's)."""
        try:
            theirs, ours = os.stat(f"{self._proc}/{pid}/root{path}"), os.stat(path)
            if (theirs.st_dev, theirs.st_ino) == (ours.st_dev, ours.st_ino):
                return path
        except OSError:
            pass
        return f"{path} (in the root of pid {pid})"

    def _consider(self, path: str, kind: str, explicit: bool = False, name: str = "") -> tuple[int, int, int] | None:
        """Attaches the probes to file `path` unless it was considered before; returns its key."""
        try:
            st = os.stat(path)
        except OSError as exc:
            if explicit:
                self._fail(TlsTarget(path, kind), "unreadable", str(exc))
            return None
        key = (st.st_dev, st.st_ino, st.st_mtime_ns)
        self._seen.add(key)
        if key in self.targets:
            return key
        if kind == "executable" and not name:
            try:
                name = os.readlink(path)  # /proc/PID/exe: the path the process was started from
            except OSError:
                name = path
        target = self.targets[key] = TlsTarget(name or os.path.realpath(path), kind, key=key)
        try:
            probes = self._openssl_probes(target, path)
            if probes is None and kind == "executable":
                probes = self._go_probes(target, path)
        except Exception as exc:  # noqa: BLE001 - any file, however malformed, is one failure, never a crash
            if explicit or kind == "library" or not isinstance(exc, (OSError, ValueError)):
                self._fail(target, "unreadable", f"{exc.__class__.__name__}: {exc}")
            else:
                target.error = "not ELF"  # scripts, kernel threads' absent exe: nothing to count
            return key
        if probes is None:
            if explicit:
                self._fail(target, "no_symbols", "neither SSL_read/SSL_write nor crypto/tls found")
            elif not target.error:
                target.error = "no TLS library"
            return key
        if len(self.attached()) >= self._max:
            self._fail(target, "limit", f"max_attachments ({self._max}) reached")
            return key
        self._attach(target, path, probes)
        return key

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
        if version is None or not functions:
            return None  # not Go, or no crypto/tls in it
        target.library = f"go {version or '(version unknown: built before Go 1.18)'}"
        if not register_abi(version):
            # The register ABI came with Go 1.17, but only Go 1.18 writes its version where it is read.
            self._fail(target, "go_version", f"{target.library}: the probes need Go >= 1.18")
            return None
        if len(functions) < len(GO_PROBES):
            target.error = "crypto/tls incomplete"
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
        """Counts (and logs) a file not attached, once per file however often it is read again."""
        target.error = f"{reason}: {detail}"
        if target.key is not None:
            if target.key in self._counted:
                return
            self._counted.add(target.key)
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
