"""Uprobes without bcc: a loaded BPF program attached to an offset in an ELF file.

A uprobe is a perf event of the kernel's ``uprobe`` PMU on (file, offset), opened for every
process (pid -1): the kernel puts the breakpoint in the file's inode, so every process that
maps the file, now or later, runs the program there.  The event's fd holds the attachment;
closing it detaches.  This is what bcc's ``attach_uprobe`` does (perf_event_open, then
PERF_EVENT_IOC_SET_BPF and PERF_EVENT_IOC_ENABLE), done here so that the agent can attach
programs the compile child loaded to files it discovers later, without bcc.

Offsets are file offsets of an instruction (receivers/ebpf/elf_symbols.py finds them).
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import platform
from pathlib import Path

__all__ = ["UprobeError", "attach_uprobe"]

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

# perf_event_open(2) by machine (arch/*/entry/syscalls tables).
_PERF_EVENT_OPEN = {"x86_64": 298, "aarch64": 241}
_PERF_FLAG_FD_CLOEXEC = 1 << 3
# <linux/perf_event.h>: _IO('$', 0) and _IOW('$', 8, __u32)
_PERF_EVENT_IOC_ENABLE = 0x2400
_PERF_EVENT_IOC_SET_BPF = 0x40042408
_PMU = Path("/sys/bus/event_source/devices/uprobe")


class UprobeError(OSError):
    """A uprobe could not be attached (the reason in the message)."""


class _PerfEventAttr(ctypes.Structure):
    # struct perf_event_attr up to config2 (PERF_ATTR_SIZE_VER1), padded to the size passed: the
    # kernel takes any size it knows, the rest zero.
    _fields_ = [
        ("type", ctypes.c_uint32),
        ("size", ctypes.c_uint32),
        ("config", ctypes.c_uint64),
        ("sample_period", ctypes.c_uint64),
        ("sample_type", ctypes.c_uint64),
        ("read_format", ctypes.c_uint64),
        ("flags", ctypes.c_uint64),
        ("wakeup_events", ctypes.c_uint32),
        ("bp_type", ctypes.c_uint32),
        ("config1", ctypes.c_uint64),  # uprobe_path: a pointer to the file's path
        ("config2", ctypes.c_uint64),  # probe_offset
        ("pad", ctypes.c_uint8 * 56),
    ]


def _pmu() -> tuple[int, int]:
    """The uprobe PMU's type and its config bit for a return probe (format/retprobe: config:N)."""
    try:
        pmu_type = int((_PMU / "type").read_text())
        bit = int((_PMU / "format" / "retprobe").read_text().strip().partition(":")[2])
    except (OSError, ValueError) as exc:
        raise UprobeError(f"the kernel has no uprobe PMU ({_PMU}): {exc}") from exc
    return pmu_type, bit


def attach_uprobe(prog_fd: int, path: str, offset: int, retprobe: bool = False) -> int:
    """Attaches the loaded program `prog_fd` (BPF_PROG_TYPE_KPROBE) at `offset` of file `path`,
    for every process; returns the perf event fd that holds the attachment."""
    number = _PERF_EVENT_OPEN.get(platform.machine())
    if number is None:
        raise UprobeError(f"no perf_event_open number is known for {platform.machine()}")
    pmu_type, bit = _pmu()
    encoded = ctypes.create_string_buffer(os.fsencode(path))
    attr = _PerfEventAttr()
    attr.type = pmu_type
    attr.size = ctypes.sizeof(attr)
    attr.config = (1 << bit) if retprobe else 0
    attr.config1 = ctypes.addressof(encoded)
    attr.config2 = offset
    attr.sample_period = 1
    attr.wakeup_events = 1
    # pid -1 and cpu 0: every process (a uprobe's program runs on whichever CPU hits it).
    fd = _libc.syscall(number, ctypes.byref(attr), -1, 0, -1, _PERF_FLAG_FD_CLOEXEC)
    if fd < 0:
        err = ctypes.get_errno()
        raise UprobeError(err, f"perf_event_open(uprobe {path}+{offset:#x}): {os.strerror(err)}")
    try:
        fcntl.ioctl(fd, _PERF_EVENT_IOC_SET_BPF, prog_fd)
        fcntl.ioctl(fd, _PERF_EVENT_IOC_ENABLE, 0)
    except OSError as exc:
        os.close(fd)
        raise UprobeError(exc.errno, f"attaching to uprobe {path}+{offset:#x}: {exc.strerror}") from exc
    return fd
