"""``otel-ebpf check``: can the agent run on this machine, and if not, how to fix it.

Each check looks at the machine through a :class:`Host` (a root directory, the kernel
release, the bcc importer), so tests run the same checks against a fake ``/sys`` and
``/proc`` tree as against the real machine.  Kernel features are probed where they can
be (tracepoint directories, kernel symbols) rather than inferred from the version.
"""

from __future__ import annotations

import enum
import importlib
import os
import platform
import re
import resource
import sys
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from otel_ebpf.kernel.capabilities import (
    CAP_BPF,
    CAP_DAC_READ_SEARCH,
    CAP_NAMES,
    CAP_PERFMON,
    CAP_SYS_ADMIN,
    CAP_SYS_PTRACE,
    describe_missing,
    missing_capabilities,
    parse_capabilities,
)
from otel_ebpf.kernel.mounts import TRACEFS_DIRS
from otel_ebpf.receivers.ebpf.capture_path import AUTO, ENV_VAR, PATHS
from otel_ebpf.receivers.ebpf.capture_path import SOCK as SOCK_PATH
from otel_ebpf.receivers.ebpf.capture_path import SYSCALL as SYSCALL_PATH
from otel_ebpf.receivers.tcp_flows.loader import SIGNALS as TCP_FLOW_SIGNALS
from otel_ebpf.receivers.tcp_flows.loader import SUBSTITUTES as TCP_FLOW_SUBSTITUTES
from otel_ebpf.receivers.tcp_flows.loader import TRACEPOINTS as TCP_FLOW_TRACEPOINTS

__all__ = [
    "CAP_BPF",
    "CAP_DAC_READ_SEARCH",
    "CAP_PERFMON",
    "CAP_SYS_ADMIN",
    "CAP_SYS_PTRACE",
    "Access",
    "Check",
    "Host",
    "Status",
    "can_run",
    "capture_blockers",
    "main",
    "missing_capabilities",
    "parse_capabilities",
    "render",
    "run_checks",
]

# What works without root (verified by dropping each one, docs/reference.md §5.3): file capabilities
# (setcap) on the `otel-ebpf` script are ignored by the kernel, so the capabilities must be ambient.
GRANT_RECIPE = (
    "run as root, or give the user the ambient capabilities CAP_BPF CAP_PERFMON CAP_DAC_READ_SEARCH"
    " CAP_SYS_PTRACE (systemd AmbientCapabilities=, or capsh --addamb; docs/reference.md §5.3)"
)

# The tracepoints every build of bpf/http_capture.c attaches (as raw tracepoints); bcc attaches every
# probe at load, so one missing tracepoint fails the whole program.
CAPTURE_TRACEPOINTS = (
    ("sock", "inet_sock_set_state"),
    ("tcp", "tcp_destroy_sock"),
    ("sched", "sched_process_exit"),
)
# Those of each capture path (otel_ebpf/receivers/ebpf/capture_path.py), in the order `auto` tries them.
CAPTURE_PATH_TRACEPOINTS = {
    SOCK_PATH: (("sock", "sock_recv_length"), ("sock", "sock_send_length")),
    SYSCALL_PATH: (("raw_syscalls", "sys_exit"),),
}
RINGBUF_KERNEL = (5, 8)  # BPF_MAP_TYPE_RINGBUF
MEMCG_ACCOUNTING_KERNEL = (5, 11)  # BPF memory charged to the cgroup instead of RLIMIT_MEMLOCK
MIN_KERNEL = (4, 18)

TABLE_WIDTH = 100


class Status(enum.Enum):
    """Outcome of a check; only FAIL stops the agent."""

    OK = "ok"
    WARN = "warn"
    FAIL = "FAIL"
    INFO = "info"


@dataclass(frozen=True)
class Check:
    """One row of the preflight table."""

    name: str
    status: Status
    detail: str
    fix: str = ""


class Access(enum.Enum):
    """What a stat() of a path said."""

    PRESENT = "present"
    ABSENT = "absent"
    DENIED = "permission denied"


def _import_bcc() -> object:
    return importlib.import_module("bcc")


def _memlock() -> tuple[int, int]:
    return resource.getrlimit(resource.RLIMIT_MEMLOCK)


@dataclass
class Host:
    """Where the checks look: the real machine by default, a fake tree in tests.

    Attributes:
        root: Prefix of every absolute path read (/proc, /sys, /lib/modules, /usr/src).
        kernel_release: ``uname -r``.
        environ: Environment (BCC_KERNEL_SOURCE).
        import_bcc: Imports and returns the bcc module, or raises ImportError.
        memlock: Returns (soft, hard) RLIMIT_MEMLOCK.
    """

    root: Path = Path("/")
    kernel_release: str = field(default_factory=platform.release)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    import_bcc: Callable[[], object] = _import_bcc
    memlock: Callable[[], tuple[int, int]] = _memlock

    def path(self, absolute: str) -> Path:
        """A path of the inspected machine, under ``root``."""
        return Path(self.root, absolute.lstrip("/"))

    def cap_eff(self) -> int | None:
        """This process's effective capabilities (``CapEff`` of /proc/self/status), or None."""
        text = self.read_text("/proc/self/status")
        return parse_capabilities(text) if text else None

    def access(self, path: str | Path) -> Access:
        """Whether a path (absolute on the inspected machine, or already under ``root``) is there,
        and whether this process may look: ``Path.is_dir`` raises on EACCES, and says False for it
        before Python 3.12, hiding a mounted but unreadable tracefs."""
        target = path if isinstance(path, Path) else self.path(path)
        try:
            target.stat()
        except PermissionError:
            return Access.DENIED
        except OSError:
            return Access.ABSENT
        return Access.PRESENT

    def read_text(self, absolute: str) -> str | None:
        try:
            return self.path(absolute).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None

    @property
    def kernel_version(self) -> tuple[int, int] | None:
        match = re.match(r"(\d+)\.(\d+)", self.kernel_release)
        return (int(match.group(1)), int(match.group(2))) if match else None


def check_privileges(host: Host) -> Check:
    name = "privileges"
    cap_eff = host.cap_eff()
    if cap_eff is None:
        return Check(name, Status.WARN, "cannot read CapEff from /proc/self/status", "run as root")
    missing = missing_capabilities(cap_eff, host.kernel_version)
    if not missing:
        held = [n for c, n in sorted(CAP_NAMES.items(), reverse=True) if cap_eff >> c & 1]
        return Check(name, Status.OK, f"effective: {', '.join(held)}")
    needed = describe_missing(missing)
    return Check(
        name,
        Status.FAIL,
        f"missing {needed} (CapEff {cap_eff:016x})",
        GRANT_RECIPE + "; in a container --cap-add BPF --cap-add PERFMON",
    )


def check_process_access(host: Host) -> Check:
    """CAP_SYS_PTRACE: other users' /proc/PID/exe and fd links need it; without, capture still works
    but those processes lose their executable path (their environ stays readable with
    CAP_DAC_READ_SEARCH: OTEL_SERVICE_NAME still names them; observed on kernel 6.18)."""
    name = "other users' /proc"
    cap_eff = host.cap_eff()
    if cap_eff is not None and cap_eff >> CAP_SYS_PTRACE & 1:
        return Check(name, Status.OK, "CAP_SYS_PTRACE: /proc/PID/exe and fd links readable")
    return Check(
        name,
        Status.WARN,
        "no CAP_SYS_PTRACE: other users' processes get no process.executable.path, and their connections"
        " older than the agent no addresses (/proc/PID/exe and fd links)",
        "add CAP_SYS_PTRACE (ambient, see docs/reference.md §5.3)",
    )


def check_kernel(host: Host) -> Check:
    version = host.kernel_version
    if version is None:
        return Check("kernel", Status.WARN, f"cannot parse the release {host.kernel_release!r}")
    if version < MIN_KERNEL:
        return Check(
            "kernel", Status.FAIL, f"{host.kernel_release}: older than 4.18", "upgrade the kernel (5.8+ recommended)"
        )
    return Check("kernel", Status.OK, host.kernel_release)


def check_btf(host: Host) -> Check:
    # Both programs attach to raw tracepoints and read `struct sock` at offsets taken from it.
    access = host.access("/sys/kernel/btf/vmlinux")
    if access is Access.PRESENT:
        return Check("BTF", Status.OK, "/sys/kernel/btf/vmlinux")
    if access is Access.DENIED:
        return Check("BTF", Status.FAIL, "/sys/kernel/btf/vmlinux: permission denied", "CAP_DAC_READ_SEARCH")
    return Check(
        "BTF",
        Status.FAIL,
        "no /sys/kernel/btf/vmlinux: required for the struct offsets the programs read",
        "a kernel with CONFIG_DEBUG_INFO_BTF=y (Debian's have it)",
    )


def find_tracefs(host: Host) -> tuple[str, Path] | None:
    """(mount point, its ``events`` directory) of a mounted tracefs this process can read, or None."""
    for directory in TRACEFS_DIRS:
        events = host.path(directory) / "events"
        if host.access(events) is Access.PRESENT and events.is_dir():
            return directory, events
    return None


def unreadable_tracefs(host: Host) -> str | None:
    """The tracefs directory that this process may not look into (EACCES, not ENOENT), or None.

    /sys/kernel/tracing is mode 0700: mounted, but to a non-root user without
    CAP_DAC_READ_SEARCH it looks the same as absent unless the error is told apart.
    """
    for directory in TRACEFS_DIRS:
        if host.access(f"{directory}/events") is Access.DENIED:
            return directory
    return None


def _can_mount(cap_eff: int | None) -> bool:
    """Whether this process may mount tracefs itself (CAP_SYS_ADMIN)."""
    return cap_eff is not None and bool(cap_eff >> CAP_SYS_ADMIN & 1)


def check_tracefs(host: Host, tracefs: tuple[str, Path] | None, can_mount: bool) -> Check:
    if tracefs is not None:
        return Check("tracefs", Status.OK, f"mounted at {tracefs[0]}")
    denied = unreadable_tracefs(host)
    if denied is not None:
        return Check(
            "tracefs",
            Status.FAIL,
            f"{denied}: permission denied (bcc reads the tracepoint formats there)",
            "run as root, or add CAP_DAC_READ_SEARCH (ambient, see docs/reference.md §5.3)",
        )
    fix = "mount -t tracefs nodev /sys/kernel/tracing"
    if can_mount and host.access("/sys/kernel/tracing") is Access.PRESENT:
        # The agent mounts it at start when it may (CAP_SYS_ADMIN): not a failure.
        return Check("tracefs", Status.WARN, "not mounted: the agent mounts it at start", fix)
    return Check("tracefs", Status.FAIL, "not mounted (tracepoints attach through it)", fix)


def _header_candidates(host: Host) -> list[Path]:
    src = host.path("/usr/src")
    try:
        names = sorted(p.name for p in src.iterdir() if p.name.startswith("linux-headers-"))
    except OSError:
        return []
    # The loader uses the architecture-specific tree (it includes the generated headers).
    return [src / n for n in names if n.endswith(("-amd64", "-arm64"))]


def check_headers(host: Host) -> Check:
    name = "kernel headers"
    own = f"/lib/modules/{host.kernel_release}/build/include"
    if host.access(own) is Access.PRESENT:
        return Check(name, Status.OK, own)
    if host.environ.get("BCC_KERNEL_SOURCE"):
        return Check(name, Status.OK, f"BCC_KERNEL_SOURCE={host.environ['BCC_KERNEL_SOURCE']}")
    if host.access("/sys/kernel/kheaders.tar.xz") is Access.PRESENT:
        return Check(name, Status.OK, "built into the kernel (CONFIG_IKHEADERS)")
    candidates = _header_candidates(host)
    if candidates:
        return Check(name, Status.OK, f"/usr/src/{candidates[-1].name} (other kernel: fine for tracepoints)")
    return Check(name, Status.FAIL, f"none: no {own}, none under /usr/src", "sh scripts/setup.sh")


def check_bcc(host: Host) -> Check:
    try:
        module = host.import_bcc()
    except Exception as exc:  # ImportError, or an OSError from loading libbcc.so
        return Check(
            "bcc",
            Status.FAIL,
            f"not importable ({type(exc).__name__}): it comes from Debian's python3-bpfcc, not PyPI",
            "sh scripts/setup.sh (a venv with --system-site-packages)",
        )
    version = getattr(module, "__version__", "")
    return Check("bcc", Status.OK, f"importable{' ' + version if version else ''}")


def check_tracepoints(host: Host, events: Path | None) -> list[Check]:
    if events is None:
        return [Check("tracepoints", Status.WARN, "not checked: tracefs is not mounted or not readable")]

    def present(path: Path) -> bool:
        return host.access(path) is Access.PRESENT

    checks = []
    for group, tracepoint in CAPTURE_TRACEPOINTS:
        label = f"{group}:{tracepoint}"
        if present(events / group / tracepoint):
            checks.append(Check(label, Status.OK, "present"))
        else:
            checks.append(Check(label, Status.FAIL, "missing: required for HTTP capture", "a kernel 5.8 or newer"))
    return [*checks, *check_capture_path(host, events), check_tcp_flow_signals(host, events)]


def _group(tracepoint: str) -> str:
    return tracepoint.split("_", 1)[0] if tracepoint.startswith(("tcp_", "sock_")) else "sock"


def check_capture_path(host: Host, events: Path) -> list[Check]:
    """Which capture path the agent will build, and why: the first whose tracepoints are present, or
    the one OTEL_EBPF_CAPTURE_PATH forces (receivers.ebpf.capture_path may force one too)."""
    requested = host.environ.get(ENV_VAR, "").strip() or AUTO
    if requested not in PATHS:
        return [Check("capture path", Status.FAIL, f"{ENV_VAR}={requested!r}", f"one of {', '.join(PATHS)}")]
    missing = {
        path: [f"{g}:{t}" for g, t in tracepoints if host.access(events / g / t) is not Access.PRESENT]
        for path, tracepoints in CAPTURE_PATH_TRACEPOINTS.items()
    }
    if requested == AUTO:
        chosen = next((path for path, absent in missing.items() if not absent), None)
    else:
        chosen = requested
    rows = []
    for path, tracepoints in CAPTURE_PATH_TRACEPOINTS.items():
        if path == SYSCALL_PATH and chosen != SYSCALL_PATH:
            continue  # listed only when used
        for g, t in tracepoints:
            label = f"{g}:{t}"
            if label not in missing[path]:
                rows.append(Check(label, Status.OK, "present"))
            elif chosen == path:
                rows.append(Check(label, Status.FAIL, f"missing: required by capture path {path}"))
            else:
                rows.append(Check(label, Status.INFO, "absent (Linux < 6.3): the syscall path is used instead"))
    if chosen is None:
        rows.append(Check("capture path", Status.FAIL, "none: no sock:sock_*_length and no raw_syscalls:sys_exit"))
        return rows
    if missing[chosen]:
        rows.append(Check("capture path", Status.FAIL, f"{chosen} ({ENV_VAR}): missing {', '.join(missing[chosen])}"))
    elif requested != AUTO:
        rows.append(Check("capture path", Status.OK, f"{chosen}: forced by {ENV_VAR}"))
    elif chosen == SOCK_PATH:
        rows.append(Check("capture path", Status.OK, f"{chosen}: sock:sock_*_length present (Linux 6.3+)"))
    else:
        rows.append(
            Check(
                "capture path",
                Status.OK,
                f"{chosen}: no sock:sock_*_length (Linux < 6.3); raw_syscalls:sys_exit and the fd's file"
                " table instead (more CPU a syscall: docs/cost.md)",
            )
        )
    return rows


def check_tcp_flow_signals(host: Host, events: Path) -> Check:
    """The signals of the tcp_flows receiver this kernel can give (each has its tracepoint)."""
    absent, substituted = [], []
    for prog, signal in TCP_FLOW_SIGNALS.items():
        tracepoint = TCP_FLOW_TRACEPOINTS[prog][0]
        group = _group(tracepoint)
        if host.access(events / group / tracepoint) is Access.PRESENT:
            continue
        if prog in TCP_FLOW_SUBSTITUTES:
            substituted.append(f"{TCP_FLOW_SUBSTITUTES[prog]} (no {group}:{tracepoint})")
        else:
            absent.append(f"{signal} (no {group}:{tracepoint})")
    if absent:
        return Check("TCP flow signals", Status.WARN, "not measured: " + "; ".join(absent) + "; the others are")
    if substituted:
        return Check("TCP flow signals", Status.OK, "every one; " + "; ".join(substituted))
    return Check("TCP flow signals", Status.OK, "every one: " + ", ".join(TCP_FLOW_SIGNALS.values()))


def check_kprobes(host: Host, events: Path | None) -> Check:
    if events is None:
        detail = "unknown (tracefs is not mounted or not readable)"
    elif host.access(events.parent / "kprobe_events") is Access.PRESENT:
        detail = "available"
    else:
        detail = "not available"
    return Check("kprobes", Status.INFO, f"{detail}; not needed: the agent uses tracepoints only")


def check_ring_buffer(host: Host) -> Check:
    name = "BPF ring buffer"
    symbols = host.read_text("/proc/kallsyms")
    if symbols:
        present = re.search(r" bpf_ringbuf_reserve$", symbols, re.MULTILINE) is not None
        how = "bpf_ringbuf_reserve in /proc/kallsyms"
    else:
        version = host.kernel_version
        present = version is None or version >= RINGBUF_KERNEL
        how = f"kernel {host.kernel_release}"
    if present:
        return Check(name, Status.INFO, f"supported ({how})")
    return Check(
        name,
        Status.FAIL,
        "not supported: events are delivered through a BPF ring buffer",
        "a kernel 5.8 or newer",
    )


def _format_limit(value: int) -> str:
    if value == resource.RLIM_INFINITY:
        return "unlimited"
    return f"{value // 1024} KiB" if value < 1 << 20 else f"{value / (1 << 20):g} MiB"


def check_memlock(host: Host) -> Check:
    try:
        soft, hard = host.memlock()
    except (OSError, ValueError):
        return Check("memlock", Status.INFO, "unknown")
    detail = f"RLIMIT_MEMLOCK {_format_limit(soft)} (hard {_format_limit(hard)})"
    version = host.kernel_version
    if version is None or version >= MEMCG_ACCOUNTING_KERNEL:
        return Check("memlock", Status.INFO, f"{detail}: unused, BPF memory is charged to the cgroup")
    if soft != resource.RLIM_INFINITY and soft < 64 << 20:
        return Check("memlock", Status.WARN, f"{detail}: BPF maps count against it", "ulimit -l unlimited")
    return Check("memlock", Status.INFO, detail)


def check_lockdown(host: Host) -> Check | None:
    text = host.read_text("/sys/kernel/security/lockdown")
    if text is None:
        return None
    match = re.search(r"\[(\w+)\]", text)
    mode = match.group(1) if match else text.strip()
    if mode == "confidentiality":
        return Check(
            "lockdown",
            Status.FAIL,
            "confidentiality: BPF may not read memory",
            "boot with lockdown=integrity or none",
        )
    return Check("lockdown", Status.INFO, mode)


def check_tls(host: Host) -> list[Check]:
    """The TLS libraries and executables found (as the agent finds them at start), and whether the
    uprobes attach to each: a do-nothing program of the uprobes' type is attached and detached."""
    if host.access("/sys/bus/event_source/devices/uprobe/type") is not Access.PRESENT:
        return [Check("uprobes", Status.WARN, "no uprobe PMU: HTTPS stays invisible", "a kernel with CONFIG_UPROBES")]
    if host.root != Path("/"):
        return [Check("uprobes", Status.INFO, "available")]
    from otel_ebpf.config.schema import defaults  # noqa: PLC0415
    from otel_ebpf.kernel.bpf import load_noop_kprobe  # noqa: PLC0415
    from otel_ebpf.receivers.ebpf.config import SCHEMA  # noqa: PLC0415
    from otel_ebpf.receivers.ebpf.tls import TlsProbes  # noqa: PLC0415

    try:
        program = load_noop_kprobe()
    except OSError as exc:
        return [Check("uprobes", Status.WARN, f"cannot try them: the kernel refused a program ({exc.strerror})")]
    probes = TlsProbes(lambda name: program, defaults(SCHEMA)["tls"])
    try:
        probes.start(watch=False)
    finally:
        probes.close()
        os.close(program)
    checks = [Check("uprobes", Status.OK, "available; TLS capture attaches to the files below")]
    for target in sorted(probes.targets.values(), key=lambda t: (t.kind, t.path)):
        if not target.library:
            continue  # no TLS library in it
        label = f"TLS {target.kind}"
        what = f"{target.path}: {target.library}"
        if target.symbols and not target.error:
            checks.append(Check(label, Status.OK, f"{what}: uprobes attach ({', '.join(target.symbols)})"))
        else:
            checks.append(Check(label, Status.WARN, f"{what}: not attached ({target.error})"))
    if len(checks) == 1:
        checks.append(Check("TLS libraries", Status.INFO, "none found yet (processes started later are found then)"))
    return checks


def run_checks(host: Host | None = None) -> list[Check]:
    """Runs every check against ``host`` (the real machine by default)."""
    host = host or Host()
    tracefs = find_tracefs(host)
    events = tracefs[1] if tracefs else None
    can_mount = _can_mount(host.cap_eff())
    checks = [
        check_privileges(host),
        check_process_access(host),
        check_kernel(host),
        check_btf(host),
        check_tracefs(host, tracefs, can_mount),
        check_headers(host),
        check_bcc(host),
        *check_tracepoints(host, events),
        check_kprobes(host, events),
        check_ring_buffer(host),
        check_memlock(host),
        *check_tls(host),
    ]
    lockdown = check_lockdown(host)
    if lockdown is not None:
        checks.append(lockdown)
    return checks


def capture_blockers(host: Host | None = None) -> list[Check]:
    """The failed checks that ``run`` stops on before loading anything: privileges and tracefs
    access, the failures an unprivileged user meets (the rest surfaces as load errors)."""
    host = host or Host()
    can_mount = _can_mount(host.cap_eff())
    checks = [check_privileges(host), check_tracefs(host, find_tracefs(host), can_mount)]
    return [c for c in checks if c.status is Status.FAIL]


def can_run(checks: list[Check]) -> bool:
    """True unless a check failed."""
    return all(c.status is not Status.FAIL for c in checks)


def render(checks: list[Check], stream: TextIO, width: int = TABLE_WIDTH) -> None:
    """Writes the checks as a plain-text table no wider than ``width`` columns."""
    status_w = max(len("status"), *(len(c.status.value) for c in checks)) if checks else 6
    name_w = min(24, max(len("check"), *(len(c.name) for c in checks))) if checks else 5
    rest = width - status_w - name_w - 6  # three two-space gutters
    # Natural widths when they fit; otherwise shared in proportion, each keeping at least a third.
    detail_natural = max(len("detail"), *(len(c.detail) for c in checks)) if checks else 6
    fix_natural = max(len("how to fix"), *(len(c.fix) for c in checks)) if checks else 10
    if detail_natural + fix_natural <= rest:
        fix_w = fix_natural
    else:
        fix_w = min(max(rest * fix_natural // (detail_natural + fix_natural), rest // 3), rest - rest // 3)
    detail_w = rest - fix_w

    def cells(text: str, w: int) -> list[str]:
        return textwrap.wrap(text, w, break_on_hyphens=False) or [""]

    def line(parts: list[str]) -> str:
        widths = (status_w, name_w, detail_w, fix_w)
        return "  ".join(p.ljust(w) for p, w in zip(parts, widths, strict=True)).rstrip()

    stream.write(line(["status", "check", "detail", "how to fix"]) + "\n")
    stream.write(line(["-" * status_w, "-" * name_w, "-" * detail_w, "-" * fix_w]) + "\n")
    for check in checks:
        columns = [cells(check.status.value, status_w), cells(check.name, name_w)]
        columns += [cells(check.detail, detail_w), cells(check.fix, fix_w)]
        for row in range(max(len(c) for c in columns)):
            stream.write(line([c[row] if row < len(c) else "" for c in columns]) + "\n")
    failed = [c.name for c in checks if c.status is Status.FAIL]
    warned = sum(c.status is Status.WARN for c in checks)
    if failed:
        summary = f"the agent cannot run: {len(failed)} failed ({', '.join(failed)})"
    else:
        summary = "the agent can run" + (f" ({warned} warning{'s' if warned != 1 else ''})" if warned else "")
    stream.write("\n" + "\n".join(textwrap.wrap(summary, width)) + "\n")


def main(host: Host | None = None, stream: TextIO | None = None) -> int:
    """Runs the checks, prints the table; exit code 1 when the agent cannot run, else 0."""
    checks = run_checks(host)
    render(checks, stream or sys.stdout)
    return 0 if can_run(checks) else 1
