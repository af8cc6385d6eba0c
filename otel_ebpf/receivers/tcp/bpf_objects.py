"""Kernel objects by raw syscalls: raw tracepoint links, bpffs pins, map and program info.

A raw tracepoint attachment (BPF_RAW_TRACEPOINT_OPEN) is a BPF link, which can be pinned in
bpffs, so the programs stay attached, and keep counting, while the agent restarts.
"""

from __future__ import annotations

import ctypes
import os
import struct

from otel_ebpf.receivers.ebpf.bpf_sys import _bpf, program_misses

__all__ = [
    "BPFFS",
    "MapInfo",
    "ensure_bpffs",
    "link_program_fd",
    "link_raw_tracepoint",
    "map_exists",
    "map_info",
    "obj_get",
    "obj_pin",
    "program_misses",
]

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

BPFFS = "/sys/fs/bpf"
BPF_OBJ_PIN = 6
BPF_OBJ_GET = 7
BPF_PROG_GET_FD_BY_ID = 13
BPF_OBJ_GET_INFO_BY_FD = 15
BPF_RAW_TRACEPOINT_OPEN = 17


class _ObjAttr(ctypes.Structure):
    _fields_ = [("pathname", ctypes.c_uint64), ("bpf_fd", ctypes.c_uint32), ("file_flags", ctypes.c_uint32),
                ("path_fd", ctypes.c_int32), ("pad", ctypes.c_uint32)]  # fmt: skip


class _RawTracepointAttr(ctypes.Structure):
    _fields_ = [("name", ctypes.c_uint64), ("prog_fd", ctypes.c_uint32), ("pad", ctypes.c_uint32),
                ("cookie", ctypes.c_uint64)]  # fmt: skip


class _InfoAttr(ctypes.Structure):
    _fields_ = [("bpf_fd", ctypes.c_uint32), ("info_len", ctypes.c_uint32), ("info", ctypes.c_uint64)]


class MapInfo:
    """The parts of struct bpf_map_info the loader checks."""

    __slots__ = ("type", "id", "key_size", "value_size", "max_entries", "name")

    def __init__(self, raw: bytes):
        self.type, self.id, self.key_size, self.value_size, self.max_entries, _flags = struct.unpack_from("<6I", raw)
        self.name = raw[24:40].split(b"\0", 1)[0].decode()


def ensure_bpffs() -> None:
    """Mounts bpffs on /sys/fs/bpf when it is not (pins live there)."""
    with open("/proc/mounts") as f:
        if any(line.split()[1:3] == [BPFFS, "bpf"] for line in f):
            return
    if os.system(f"mount -t bpf bpf {BPFFS} 2>/dev/null") != 0:
        raise OSError(f"bpffs is not mounted and could not be mounted: mount -t bpf bpf {BPFFS}")


def obj_pin(fd: int, path: str) -> None:
    """Pins a map, program or link fd at `path` (inside bpffs)."""
    buf = ctypes.create_string_buffer(path.encode())
    _bpf(BPF_OBJ_PIN, _ObjAttr(pathname=ctypes.addressof(buf), bpf_fd=fd))


def obj_get(path: str) -> int:
    """Opens a pinned object: a new fd the caller closes."""
    buf = ctypes.create_string_buffer(path.encode())
    return _bpf(BPF_OBJ_GET, _ObjAttr(pathname=ctypes.addressof(buf)))


BPF_MAP_GET_FD_BY_ID = 14


def map_exists(map_id: int) -> bool:
    """Whether a map with this id still exists (to check nothing outlives a shutdown)."""
    attr = (ctypes.c_uint32 * 4)(map_id, 0, 0, 0)
    fd = _libc.syscall(321, BPF_MAP_GET_FD_BY_ID, attr, ctypes.sizeof(attr))
    if fd < 0:
        return False
    os.close(fd)
    return True


def map_info(fd: int) -> MapInfo:
    info = ctypes.create_string_buffer(88)
    _bpf(BPF_OBJ_GET_INFO_BY_FD, _InfoAttr(bpf_fd=fd, info_len=len(info), info=ctypes.addressof(info)))
    return MapInfo(info.raw)


def link_raw_tracepoint(prog_fd: int, name: str) -> int:
    """Attaches a raw tracepoint program (BPF_RAW_TRACEPOINT_OPEN); returns the link fd (pinnable)."""
    buf = ctypes.create_string_buffer(name.encode())
    return _bpf(BPF_RAW_TRACEPOINT_OPEN, _RawTracepointAttr(name=ctypes.addressof(buf), prog_fd=prog_fd))


def link_program_fd(link_fd: int) -> int:
    """A new fd of the program a link runs (to read its run statistics)."""
    info = ctypes.create_string_buffer(64)  # struct bpf_link_info: type, id, prog_id, ...
    _bpf(BPF_OBJ_GET_INFO_BY_FD, _InfoAttr(bpf_fd=link_fd, info_len=len(info), info=ctypes.addressof(info)))
    prog_id = struct.unpack_from("<I", info.raw, 8)[0]
    return _bpf(BPF_PROG_GET_FD_BY_ID, (ctypes.c_uint32 * 4)(prog_id, 0, 0, 0))
