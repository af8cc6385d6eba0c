"""Kernel objects by raw syscalls: tracepoint perf events, BPF links, bpffs pins, map info.

bcc attaches tracepoints with a perf event and an ioctl, which cannot outlive the process
that holds the fd.  A BPF link (BPF_LINK_CREATE on the perf event) can be pinned in bpffs,
so the programs stay attached, and keep counting, while the agent restarts.
"""

from __future__ import annotations

import ctypes
import os
import struct

from otel_ebpf.receivers.ebpf.bpf_sys import _bpf

__all__ = [
    "BPFFS",
    "MapInfo",
    "ensure_bpffs",
    "link_tracepoint",
    "map_exists",
    "map_info",
    "obj_get",
    "obj_pin",
    "tracepoint_id",
]

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

BPFFS = "/sys/fs/bpf"
SYS_PERF_EVENT_OPEN = 298  # x86_64
PERF_TYPE_TRACEPOINT = 2
PERF_FLAG_FD_CLOEXEC = 8
BPF_OBJ_PIN = 6
BPF_OBJ_GET = 7
BPF_OBJ_GET_INFO_BY_FD = 15
BPF_LINK_CREATE = 28
BPF_PERF_EVENT = 41  # enum bpf_attach_type
TRACEFS_DIRS = ("/sys/kernel/tracing", "/sys/kernel/debug/tracing")


class _ObjAttr(ctypes.Structure):
    _fields_ = [("pathname", ctypes.c_uint64), ("bpf_fd", ctypes.c_uint32), ("file_flags", ctypes.c_uint32),
                ("path_fd", ctypes.c_int32), ("pad", ctypes.c_uint32)]  # fmt: skip


class _LinkCreateAttr(ctypes.Structure):
    _fields_ = [("prog_fd", ctypes.c_uint32), ("target_fd", ctypes.c_uint32), ("attach_type", ctypes.c_uint32),
                ("flags", ctypes.c_uint32), ("bpf_cookie", ctypes.c_uint64), ("pad", ctypes.c_uint64 * 4)]  # fmt: skip


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


def tracepoint_id(category: str, name: str) -> int:
    for root in TRACEFS_DIRS:
        path = f"{root}/events/{category}/{name}/id"
        if os.path.exists(path):
            with open(path) as f:
                return int(f.read())
    raise FileNotFoundError(f"tracepoint {category}:{name} not found under {' or '.join(TRACEFS_DIRS)}")


def tracepoint_format(category: str, name: str) -> dict[str, tuple[int, int]]:
    """{field: (offset, size)} of a tracepoint's record, from tracefs."""
    for root in TRACEFS_DIRS:
        path = f"{root}/events/{category}/{name}/format"
        if os.path.exists(path):
            break
    else:
        raise FileNotFoundError(f"tracepoint {category}:{name} not found")
    fields = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("field:"):
                continue
            parts = dict(p.strip().split(":", 1) for p in line.rstrip(";").split(";") if ":" in p)
            decl = parts["field"].strip()
            field_name = decl.split()[-1].split("[")[0]
            fields[field_name] = (int(parts["offset"]), int(parts["size"]))
    return fields


def link_tracepoint(prog_fd: int, category: str, name: str) -> int:
    """Attaches a tracepoint program through a BPF link; returns the link fd.

    The perf event fd is closed right away: the link holds it.
    """
    attr = bytearray(128)  # struct perf_event_attr, zero-filled beyond the fields we set
    struct.pack_into("<IIQQ", attr, 0, PERF_TYPE_TRACEPOINT, len(attr), tracepoint_id(category, name), 1)
    struct.pack_into("<I", attr, 48, 1)  # wakeup_events
    buf = ctypes.create_string_buffer(bytes(attr), len(attr))
    perf_fd = _libc.syscall(SYS_PERF_EVENT_OPEN, buf, -1, 0, -1, PERF_FLAG_FD_CLOEXEC)
    if perf_fd < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"perf_event_open({category}:{name}): {os.strerror(err)}")
    try:
        return _bpf(BPF_LINK_CREATE, _LinkCreateAttr(prog_fd=prog_fd, target_fd=perf_fd, attach_type=BPF_PERF_EVENT))
    finally:
        os.close(perf_fd)


# --- BTF: one member offset of one struct, read from the running kernel's own type info ----------

BTF_VMLINUX = "/sys/kernel/btf/vmlinux"
# Bytes after struct btf_type (12 bytes) per kind, as (fixed, per vlen item).
_BTF_EXTRA = {1: (4, 0), 3: (12, 0), 4: (0, 12), 5: (0, 12), 6: (0, 8), 13: (0, 8), 14: (4, 0), 15: (0, 12),
              17: (4, 0), 19: (0, 12)}  # fmt: skip
_BTF_STRUCT = 4


def btf_member_offset(struct_name: str, member: str, path: str = BTF_VMLINUX) -> int | None:
    """Byte offset of a direct member of a kernel struct, from BTF; None when absent.

    The kernel headers bcc compiles against may be of another version than the running kernel:
    an offset from the running kernel's BTF is the one that is right.
    """
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    magic, _version, _flags, hdr_len, type_off, type_len, str_off, _str_len = struct.unpack_from("<HBBIIIII", data)
    if magic != 0xEB9F:
        return None
    types = hdr_len + type_off
    strings = hdr_len + str_off

    def name(off: int) -> bytes:
        end = data.index(b"\0", strings + off)
        return data[strings + off : end]

    want_struct, want_member = struct_name.encode(), member.encode()
    pos, end = types, types + type_len
    while pos < end:
        name_off, info, _size = struct.unpack_from("<III", data, pos)
        kind, vlen, kind_flag = (info >> 24) & 0x1F, info & 0xFFFF, info >> 31
        fixed, per_item = _BTF_EXTRA.get(kind, (0, 0))
        if kind == _BTF_STRUCT and name(name_off) == want_struct:
            for i in range(vlen):
                m_name, _m_type, m_offset = struct.unpack_from("<III", data, pos + 12 + 12 * i)
                if name(m_name) == want_member:
                    bits = m_offset & 0xFFFFFF if kind_flag else m_offset
                    return bits // 8
        pos += 12 + fixed + per_item * vlen
    return None
