"""The few BPF operations the long-running agent needs, without bcc: reading maps and the ring buffer.

bcc embeds LLVM; keeping it in the agent costs ~130 MB of memory for as long as the
agent runs, and its ring-buffer callback crosses ctypes once per event.  So a
short-lived child compiles and attaches the program with bcc and hands over file
descriptors (see compile_child.py); this module then reads the ring buffer straight
from its memory mapping, in batches, and reads per-CPU counters with the bpf() syscall.
"""

from __future__ import annotations

import ctypes
import mmap
import os
import struct

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

SYS_BPF = 321  # x86_64
BPF_MAP_LOOKUP_ELEM = 1

# Ring buffer record header flags (include/uapi/linux/bpf.h).
RINGBUF_BUSY_BIT = 1 << 31
RINGBUF_DISCARD_BIT = 1 << 30
RINGBUF_HDR_SZ = 8
_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")


class _MapElemAttr(ctypes.Structure):
    _fields_ = [
        ("map_fd", ctypes.c_uint32),
        ("pad", ctypes.c_uint32),
        ("key", ctypes.c_uint64),
        ("value", ctypes.c_uint64),
        ("flags", ctypes.c_uint64),
    ]


def possible_cpus() -> int:
    """Number of possible CPUs: the length of a per-CPU map value."""
    text = open("/sys/devices/system/cpu/possible").read().strip()
    count = 0
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        count += int(hi or lo) - int(lo) + 1
    return count


def percpu_u64_sum(map_fd: int, index: int, ncpus: int) -> int:
    """Sum over CPUs of a BPF_MAP_TYPE_PERCPU_ARRAY element of u64."""
    key = ctypes.c_uint32(index)
    values = (ctypes.c_uint64 * ncpus)()  # per-CPU values are 8-byte aligned: u64 needs no padding
    attr = _MapElemAttr(map_fd=map_fd, key=ctypes.addressof(key), value=ctypes.addressof(values))
    if _libc.syscall(SYS_BPF, BPF_MAP_LOOKUP_ELEM, ctypes.byref(attr), ctypes.sizeof(attr)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"bpf map lookup: {os.strerror(err)}")
    return sum(values)


class RingBufferReader:
    """Consumer side of a BPF_MAP_TYPE_RINGBUF, as libbpf's ring_buffer__consume does it.

    Layout of the mapping: one page with the consumer position (we write it), then one
    page with the producer position, then the data area mapped twice in a row, so a
    record that wraps around the end can be read as one contiguous slice.
    """

    def __init__(self, map_fd: int, data_size: int):
        page = mmap.PAGESIZE
        self._mask = data_size - 1
        self._consumer = mmap.mmap(map_fd, page, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE, offset=0)
        self._producer = mmap.mmap(map_fd, page + 2 * data_size, mmap.MAP_SHARED, mmap.PROT_READ, offset=page)
        self._data = memoryview(self._producer)[page:]
        self._producer_view = memoryview(self._producer)[:8]

    def read(self, out: list[bytes]) -> int:
        """Appends every complete record waiting in the ring to `out`; returns how many."""
        unpack_u32 = _U32.unpack_from
        consumer = _U64.unpack_from(self._consumer, 0)[0]
        producer = _U64.unpack_from(self._producer_view, 0)[0]
        data = self._data
        mask = self._mask
        append = out.append
        start = consumer
        count = 0
        while consumer < producer:
            offset = consumer & mask
            header = unpack_u32(data, offset)[0]
            if header & RINGBUF_BUSY_BIT:
                break  # the producer is still writing this record
            length = header & ~(RINGBUF_BUSY_BIT | RINGBUF_DISCARD_BIT)
            if not header & RINGBUF_DISCARD_BIT:
                begin = offset + RINGBUF_HDR_SZ
                append(bytes(data[begin : begin + length]))
                count += 1
            consumer += (length + RINGBUF_HDR_SZ + 7) & ~7
        if consumer != start:
            # x86 stores are not reordered with earlier loads: a plain store releases the space.
            _U64.pack_into(self._consumer, 0, consumer)
        return count

    def close(self) -> None:
        self._data.release()
        self._producer_view.release()
        self._producer.close()
        self._consumer.close()


# --- Generic map access by raw bytes (used by the TCP flow reader) ---------------------------

BPF_MAP_UPDATE_ELEM = 2
BPF_MAP_DELETE_ELEM = 3
BPF_MAP_GET_NEXT_KEY = 4
BPF_NOEXIST = 1
_ENOENT = 2


def _bpf(cmd: int, attr: ctypes.Structure) -> int:
    """The bpf() syscall; returns its result or raises OSError with the errno."""
    result = _libc.syscall(SYS_BPF, cmd, ctypes.byref(attr), ctypes.sizeof(attr))
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"bpf cmd {cmd}: {os.strerror(err)}")
    return result


def map_lookup(map_fd: int, key: bytes, value_size: int) -> bytes | None:
    """The value stored under `key` (raw bytes), or None when there is none."""
    kbuf = ctypes.create_string_buffer(key, len(key))
    vbuf = ctypes.create_string_buffer(value_size)
    attr = _MapElemAttr(map_fd=map_fd, key=ctypes.addressof(kbuf), value=ctypes.addressof(vbuf))
    try:
        _bpf(BPF_MAP_LOOKUP_ELEM, attr)
    except OSError as exc:
        if exc.errno == _ENOENT:
            return None
        raise
    return vbuf.raw


class U64KeyLookup:
    """Repeated lookups in one hash map keyed by a u64, without allocating: for per-span paths.

    ~1.6 µs a lookup on the development VM, ~1.2 µs of it the syscall (`map_lookup` allocates
    its buffers on every call: ~2.5 µs).  The buffers are reused, so an instance must not be
    shared by threads without a lock.  `value_size` must be at least the map's value size.
    """

    def __init__(self, map_fd: int, value_size: int):
        self._key = ctypes.c_uint64()
        self.value = ctypes.create_string_buffer(value_size)  # the last value found
        self._attr = _MapElemAttr(map_fd=map_fd, key=ctypes.addressof(self._key), value=ctypes.addressof(self.value))
        self._args = (SYS_BPF, BPF_MAP_LOOKUP_ELEM, ctypes.byref(self._attr), ctypes.sizeof(self._attr))

    def __call__(self, key: int) -> bool:
        """Whether `key` is in the map; its value is then in `self.value`.  Errors count as absent."""
        self._key.value = key
        return _libc.syscall(*self._args) == 0


def map_update(map_fd: int, key: bytes, value: bytes, flags: int = 0) -> None:
    """Stores `value` under `key` (flags: 0 any, BPF_NOEXIST create only)."""
    kbuf = ctypes.create_string_buffer(key, len(key))
    vbuf = ctypes.create_string_buffer(value, len(value))
    attr = _MapElemAttr(map_fd=map_fd, key=ctypes.addressof(kbuf), value=ctypes.addressof(vbuf), flags=flags)
    _bpf(BPF_MAP_UPDATE_ELEM, attr)


def map_delete(map_fd: int, key: bytes) -> bool:
    """Deletes `key`; False when it was not there."""
    kbuf = ctypes.create_string_buffer(key, len(key))
    attr = _MapElemAttr(map_fd=map_fd, key=ctypes.addressof(kbuf))
    try:
        _bpf(BPF_MAP_DELETE_ELEM, attr)
    except OSError as exc:
        if exc.errno == _ENOENT:
            return False
        raise
    return True


def map_items(map_fd: int, key_size: int, value_size: int, max_entries: int = 1 << 20) -> list[tuple[bytes, bytes]]:
    """Every (key, value) of a hash map, by BPF_MAP_GET_NEXT_KEY + LOOKUP_ELEM.

    Two syscalls per element (~1 µs each): meant for maps read every few seconds.  A key
    deleted by the kernel between the two calls is skipped; if the key we resume from is
    deleted meanwhile, the kernel restarts from the first key, so an element may be seen
    twice: the result is deduplicated by key, and the walk stops after 2 * max_entries steps.
    """
    out: dict[bytes, bytes] = {}
    prev = None
    kbuf = ctypes.create_string_buffer(key_size)
    nbuf = ctypes.create_string_buffer(key_size)
    vbuf = ctypes.create_string_buffer(value_size)
    next_attr = _MapElemAttr(map_fd=map_fd, value=ctypes.addressof(nbuf))
    lookup_attr = _MapElemAttr(map_fd=map_fd, key=ctypes.addressof(nbuf), value=ctypes.addressof(vbuf))
    for _ in range(2 * max_entries + 16):
        next_attr.key = 0 if prev is None else ctypes.addressof(kbuf)
        if _libc.syscall(SYS_BPF, BPF_MAP_GET_NEXT_KEY, ctypes.byref(next_attr), ctypes.sizeof(next_attr)) != 0:
            err = ctypes.get_errno()
            if err == _ENOENT:
                return list(out.items())
            raise OSError(err, f"bpf map get_next_key: {os.strerror(err)}")
        key = nbuf.raw
        if _libc.syscall(SYS_BPF, BPF_MAP_LOOKUP_ELEM, ctypes.byref(lookup_attr), ctypes.sizeof(lookup_attr)) == 0:
            out[key] = vbuf.raw
        ctypes.memmove(kbuf, nbuf, key_size)
        prev = key
    return list(out.items())


BPF_OBJ_GET_INFO_BY_FD = 15
_PROG_INFO_RECURSION_MISSES = 208  # offsetof(struct bpf_prog_info, recursion_misses): uapi, fixed
_PROG_INFO_SIZE = 232


class _InfoAttr(ctypes.Structure):
    _fields_ = [("bpf_fd", ctypes.c_uint32), ("info_len", ctypes.c_uint32), ("info", ctypes.c_uint64)]


def program_misses(prog_fd: int) -> int:
    """How many times the kernel skipped a program instead of running it (bpf_prog_info.recursion_misses).

    A raw tracepoint program is skipped when it interrupts itself on a CPU; a perf-event
    (formatted) tracepoint program whenever any such program, or a bpf() map syscall, is
    already running on that CPU.  Linux 5.12+; 0 before.
    """
    info = ctypes.create_string_buffer(_PROG_INFO_SIZE)
    _bpf(BPF_OBJ_GET_INFO_BY_FD, _InfoAttr(bpf_fd=prog_fd, info_len=len(info), info=ctypes.addressof(info)))
    return struct.unpack_from("<Q", info.raw, _PROG_INFO_RECURSION_MISSES)[0]
