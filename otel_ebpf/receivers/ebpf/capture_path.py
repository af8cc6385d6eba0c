"""Which capture path the kernel program takes, chosen by probing the running kernel's BTF.

``sock_tracepoints`` (Linux 6.3+): raw tracepoints inside sock_sendmsg/sock_recvmsg, which fire
for sockets only, with the `struct sock *` in hand.  ``syscall_tracepoints`` (5.8+, the ring
buffer's minimum): ``raw_syscalls:sys_exit`` for every syscall, the fd turned into its socket
through the task's file table (bpf/http_capture.c, "the syscall path").  Both send the same events
for the same traffic, but for what docs/reference.md §2.10 lists (sendfile and splice: one event per
syscall; recvmmsg/sendmmsg not counted on the syscall path).

``auto`` takes the first whose tracepoints the kernel has: the feature is probed (the tracepoint's
``btf_trace_*`` type in the kernel's BTF), never inferred from the version number, so a
distribution kernel with the tracepoints backported gets the cheaper path.  The environment
variable ``OTEL_EBPF_CAPTURE_PATH`` overrides ``receivers.ebpf.capture_path`` (as OBI's
``OTEL_EBPF_*`` variables override its file): a test suite, or a DaemonSet, can force one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from otel_ebpf.kernel.btf import Btf, BtfError
from otel_ebpf.receivers.ebpf.config import CAPTURE_PATHS

__all__ = ["AUTO", "ENV_VAR", "PATHS", "SOCK", "SYSCALL", "CapturePath", "choose", "requested_path"]

AUTO, SOCK, SYSCALL = CAPTURE_PATHS
PATHS = CAPTURE_PATHS
ENV_VAR = "OTEL_EBPF_CAPTURE_PATH"

# The raw tracepoints each path needs besides those every build attaches.
NEEDS = {
    SOCK: ("sock_send_length", "sock_recv_length"),
    SYSCALL: ("sys_exit",),
}


@dataclass(frozen=True)
class CapturePath:
    name: str  # SOCK or SYSCALL
    reason: str  # why, for logs and `otel-ebpf check`


def requested_path(configured: str = AUTO) -> tuple[str, str]:
    """The path asked for, and by whom: the environment variable's if set, else the configuration's."""
    value = os.environ.get(ENV_VAR, "").strip()
    if not value:
        return configured, "receivers.ebpf.capture_path"
    if value not in PATHS:
        raise ValueError(f"{ENV_VAR}={value!r}: not one of {', '.join(PATHS)}")
    return value, ENV_VAR


def _missing(btf: Btf, path: str) -> list[str]:
    missing = []
    for tracepoint in NEEDS[path]:
        try:
            btf.tracepoint_arity(tracepoint)
        except BtfError:
            missing.append(tracepoint)
    return missing


def choose(requested: str, btf: Btf, forced_by: str = "receivers.ebpf.capture_path") -> CapturePath:
    """The path to build for `requested` (AUTO, SOCK or SYSCALL, asked by `forced_by`); raises
    BtfError when the kernel lacks what the forced path needs, or what both need."""
    if requested != AUTO:
        missing = _missing(btf, requested)
        if missing:
            raise BtfError(f"{forced_by} {requested}: the kernel has no tracepoint {', '.join(missing)}")
        return CapturePath(requested, f"forced by {forced_by}")
    missing_sock = _missing(btf, SOCK)
    if not missing_sock:
        return CapturePath(SOCK, "sock:sock_send_length and sock_recv_length present (Linux 6.3+)")
    if not _missing(btf, SYSCALL):
        absent = ", ".join("sock:" + t for t in missing_sock)
        return CapturePath(SYSCALL, f"no {absent} (Linux < 6.3): raw_syscalls:sys_exit")
    raise BtfError("neither sock:sock_*_length nor raw_syscalls:sys_exit is in the kernel: no capture path")
