"""The kernel pseudo-filesystems the receivers need mounted: tracefs (tracepoints) and bpffs (pins).

Some machines mount neither at boot; as root the agent mounts them itself rather than fail.
"""

from __future__ import annotations

import os

from otel_ebpf.kernel.errors import LoadError

__all__ = ["BPFFS", "TRACEFS_DIRS", "ensure_bpffs", "ensure_tracefs"]

BPFFS = "/sys/fs/bpf"
TRACEFS_DIRS = ("/sys/kernel/tracing", "/sys/kernel/debug/tracing")


def ensure_tracefs() -> None:
    """Mounts tracefs when it is not mounted (tracepoints are attached through it); raises LoadError.

    A tracefs this process may not read (mode 0700, no CAP_DAC_READ_SEARCH) is told apart from a
    missing one: os.path.isdir says False for both, and mounting again would not help.
    """
    for directory in TRACEFS_DIRS:
        events = os.path.join(directory, "events")
        try:
            os.stat(events)
        except PermissionError:
            raise LoadError(
                f"tracefs is mounted but {directory} is not readable (permission denied): run as root,"
                " or add CAP_DAC_READ_SEARCH (otel-ebpf check; docs/reference.md §5.3)"
            ) from None
        except OSError:
            continue
        if os.path.isdir(events):
            return
    rc = os.system("mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null")
    if rc != 0 or not os.path.isdir("/sys/kernel/tracing/events"):
        raise LoadError("tracefs is not mounted and could not be mounted: mount -t tracefs nodev /sys/kernel/tracing")


def ensure_bpffs() -> None:
    """Mounts bpffs on /sys/fs/bpf when it is not (pins live there); raises OSError."""
    with open("/proc/mounts") as f:
        if any(line.split()[1:3] == [BPFFS, "bpf"] for line in f):
            return
    if os.system(f"mount -t bpf bpf {BPFFS} 2>/dev/null") != 0:
        raise OSError(f"bpffs is not mounted and could not be mounted: mount -t bpf bpf {BPFFS}")
