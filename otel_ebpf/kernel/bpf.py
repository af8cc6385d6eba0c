"""The bpf() syscall, and the map, program and object operations the agent makes with it, without bcc.

bcc embeds LLVM; keeping it in the agent costs ~130 MB of memory for as long as the agent runs.
So a short-lived child compiles and attaches the programs with bcc and hands the file
descriptors over (see :mod:`otel_ebpf.kernel.handoff`); from then on the agent only needs the
handful of bpf() commands below: read and write map elements, walk hash maps, sum per-CPU
counters, pin and reopen objects in bpffs, attach raw tracepoints as (pinnable) links, and read
the kernel's information about maps, links and programs.

Every command goes through :func:`_bpf`.  The syscall's number depends on the architecture
(and, on a 64-bit kernel, on whether this process is 32-bit); it is looked up when the first
command is made, so importing this module never fails, and an architecture missing from
:data:`BPF_SYSCALL_NUMBERS` fails then with :class:`UnsupportedArchitecture`, naming it.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import re
import resource
import struct

from otel_ebpf.kernel.capabilities import describe_missing, effective_capabilities, missing_capabilities
from otel_ebpf.kernel.errors import LoadError

__all__ = [
    "BPF_NOEXIST",
    "BPF_SYSCALL_NUMBERS",
    "MapInfo",
    "U64KeyLookup",
    "UnsupportedArchitecture",
    "atomic_fetch_supported",
    "raise_memlock_limit",
    "bpf_syscall_number",
    "link_program_fd",
    "link_raw_tracepoint",
    "load_noop_kprobe",
    "map_delete",
    "map_exists",
    "map_info",
    "map_items",
    "map_lookup",
    "map_update",
    "obj_get",
    "obj_pin",
    "percpu_u64_sum",
    "possible_cpus",
    "prog_exists",
    "program_misses",
    "require_bpf_permission",
]

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

# bpf() syscall numbers from the kernel's syscall tables, by `uname -m` and the process's pointer
# width: a 32-bit process on a 64-bit kernel (Debian's armhf on arm64, i386 on amd64, mipsel on
# mips64el) calls through the 32-bit table.
#   x86:     arch/x86/entry/syscalls/syscall_64.tbl (321), syscall_32.tbl (357)
#   generic: scripts/syscall.tbl, include/uapi/asm-generic/unistd.h (280): arm64, riscv64, loongarch64
#   arm:     arch/arm/tools/syscall.tbl (386, EABI)
#   powerpc: arch/powerpc/kernel/syscalls/syscall.tbl (361, 32- and 64-bit alike)
#   s390:    arch/s390/kernel/syscalls/syscall.tbl (351, 31- and 64-bit alike)
#   mips:    arch/mips/kernel/syscalls/syscall_n64.tbl (315 + 5000), syscall_o32.tbl (355 + 4000)
BPF_SYSCALL_NUMBERS: dict[tuple[str, int], int] = {
    ("x86_64", 64): 321,
    ("x86_64", 32): 357,
    ("i386", 32): 357,
    ("i486", 32): 357,
    ("i586", 32): 357,
    ("i686", 32): 357,
    ("aarch64", 64): 280,
    ("aarch64", 32): 386,
    ("armv5tel", 32): 386,
    ("armv6l", 32): 386,
    ("armv7l", 32): 386,
    ("armv8l", 32): 386,
    ("riscv64", 64): 280,
    ("loongarch64", 64): 280,
    ("ppc64le", 64): 361,
    ("ppc64", 64): 361,
    ("ppc", 32): 361,
    ("s390x", 64): 351,
    ("s390x", 32): 351,
    ("mips64", 64): 5315,
    ("mips64", 32): 4355,
    ("mips", 32): 4355,
}


class UnsupportedArchitecture(OSError):
    """No bpf() syscall number is known for this machine (an OSError: a bpf() call that cannot be made)."""


def bpf_syscall_number(machine: str | None = None, bits: int | None = None) -> int:
    """The bpf() syscall number of this process (or of `machine` and `bits`, for tests).

    Raises:
        UnsupportedArchitecture: The machine is not in :data:`BPF_SYSCALL_NUMBERS`.
    """
    machine = platform.machine() if machine is None else machine
    bits = ctypes.sizeof(ctypes.c_void_p) * 8 if bits is None else bits
    number = BPF_SYSCALL_NUMBERS.get((machine, bits))
    if number is None:
        known = ", ".join(sorted({m for m, _ in BPF_SYSCALL_NUMBERS}))
        raise UnsupportedArchitecture(
            errno.ENOSYS,
            f"no bpf() syscall number is known for {machine!r} ({bits}-bit processes): add it to "
            f"BPF_SYSCALL_NUMBERS in otel_ebpf/kernel/bpf.py (known: {known})",
        )
    return number


_sys_bpf: int | None = None  # resolved by the first call


def _number() -> int:
    global _sys_bpf
    if _sys_bpf is None:
        _sys_bpf = bpf_syscall_number()
    return _sys_bpf


def _bpf(cmd: int, attr: ctypes.Structure | ctypes.Array, check: bool = True) -> int:
    """The bpf() syscall with `attr` (a ctypes structure or array of the command's `union bpf_attr` part).

    Returns the syscall's result.  With ``check`` (the default) a failure raises OSError with the
    errno; without, it returns ``-errno`` (for loops where ENOENT is an expected answer).
    """
    result = _libc.syscall(_number(), cmd, ctypes.byref(attr), ctypes.sizeof(attr))
    if result < 0:
        err = ctypes.get_errno()
        if not check:
            return -err
        raise OSError(err, f"bpf {_COMMAND_NAMES.get(cmd, f'cmd {cmd}')}: {os.strerror(err)}")
    return result


# enum bpf_cmd (include/uapi/linux/bpf.h): fixed numbers.
BPF_MAP_CREATE = 0
BPF_MAP_LOOKUP_ELEM = 1
BPF_MAP_UPDATE_ELEM = 2
BPF_MAP_DELETE_ELEM = 3
BPF_MAP_GET_NEXT_KEY = 4
BPF_PROG_LOAD = 5
BPF_OBJ_PIN = 6
BPF_OBJ_GET = 7
BPF_PROG_GET_FD_BY_ID = 13
BPF_MAP_GET_FD_BY_ID = 14
BPF_OBJ_GET_INFO_BY_FD = 15
BPF_RAW_TRACEPOINT_OPEN = 17
BPF_NOEXIST = 1  # map_update flag: create only
_COMMAND_NAMES = {
    BPF_MAP_CREATE: "map create",
    BPF_MAP_LOOKUP_ELEM: "map lookup",
    BPF_MAP_UPDATE_ELEM: "map update",
    BPF_MAP_DELETE_ELEM: "map delete",
    BPF_MAP_GET_NEXT_KEY: "map get_next_key",
    BPF_PROG_LOAD: "prog load",
    BPF_OBJ_PIN: "obj pin",
    BPF_OBJ_GET: "obj get",
    BPF_PROG_GET_FD_BY_ID: "prog get_fd_by_id",
    BPF_MAP_GET_FD_BY_ID: "map get_fd_by_id",
    BPF_OBJ_GET_INFO_BY_FD: "obj get_info_by_fd",
    BPF_RAW_TRACEPOINT_OPEN: "raw_tracepoint open",
}

_ENOENT = errno.ENOENT
_U64 = struct.Struct("=Q")


class _MapCreateAttr(ctypes.Structure):
    _fields_ = [("map_type", ctypes.c_uint32), ("key_size", ctypes.c_uint32), ("value_size", ctypes.c_uint32),
                ("max_entries", ctypes.c_uint32), ("map_flags", ctypes.c_uint32)]  # fmt: skip


_BPF_MAP_TYPE_ARRAY = 2


def raise_memlock_limit() -> int:
    """Lifts RLIMIT_MEMLOCK as far as this process may; returns the soft limit now in force.

    Kernels before 5.11 charge BPF maps to it, per user: the capture program's ring buffer alone
    (8 MiB) fills Debian's default of 8 MiB, and the TCP flow program's maps are then refused
    (EPERM).  Later kernels charge the cgroup instead and ignore it.  Raising the hard limit needs
    CAP_SYS_RESOURCE (root has it); without, the soft limit goes up to the hard one.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_MEMLOCK)
    for wanted in ((resource.RLIM_INFINITY, resource.RLIM_INFINITY), (hard, hard)):
        try:
            resource.setrlimit(resource.RLIMIT_MEMLOCK, wanted)
            return wanted[0]
        except (ValueError, OSError):
            continue
    return soft


def _kernel_before(major: int, minor: int) -> bool:
    """Whether the running kernel's release is older than major.minor (for wording errors only)."""
    numbers = [int(n) for n in re.findall(r"\d+", platform.release())[:2]]
    return len(numbers) == 2 and (numbers[0], numbers[1]) < (major, minor)


def require_bpf_permission() -> None:
    """Raises LoadError naming the capabilities when the kernel refuses bpf() to this process.

    Without it bcc prints the errno on stderr and raises "Failed to compile BPF module", which
    reads as a compiler problem.  One array map of one element is created and closed.
    """
    memlock = raise_memlock_limit()
    attr = _MapCreateAttr(map_type=_BPF_MAP_TYPE_ARRAY, key_size=4, value_size=4, max_entries=1)
    try:
        fd = _bpf(BPF_MAP_CREATE, attr)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EACCES):
            return  # not a permission problem: bcc's own error says more
        cap_eff = effective_capabilities()
        missing = missing_capabilities(cap_eff, None) if cap_eff is not None else []
        if missing:
            why = f"this process lacks {describe_missing(missing)}"
        elif memlock != resource.RLIM_INFINITY and _kernel_before(5, 11):
            why = (
                f"RLIMIT_MEMLOCK is {memlock} bytes and kernels before 5.11 charge BPF maps to it: give the"
                " agent CAP_SYS_RESOURCE, or LimitMEMLOCK=infinity (systemd), ulimit -l unlimited"
            )
        else:
            why = "the capabilities are there, so a seccomp profile or an LSM refuses bpf()"
        raise LoadError(
            f"the kernel refused bpf() ({exc.strerror}): {why}; run as root or with the ambient capabilities"
            " of docs/reference.md §5.3 (otel-ebpf check)"
        ) from None
    os.close(fd)


class _ProgLoadAttr(ctypes.Structure):
    _fields_ = [("prog_type", ctypes.c_uint32), ("insn_cnt", ctypes.c_uint32), ("insns", ctypes.c_uint64),
                ("license", ctypes.c_uint64), ("log_level", ctypes.c_uint32), ("log_size", ctypes.c_uint32),
                ("log_buf", ctypes.c_uint64), ("kern_version", ctypes.c_uint32),
                ("prog_flags", ctypes.c_uint32)]  # fmt: skip


_BPF_PROG_TYPE_KPROBE = 2
# r0 = 0; exit
_NOOP_INSNS = bytes.fromhex("b7000000000000009500000000000000")
# *(u64 *)(r10 - 8) = 0; r1 = 1; r1 = atomic_fetch_add((u64 *)(r10 - 8), r1); r0 = 0; exit
# (BPF_STX | BPF_DW | BPF_ATOMIC with imm BPF_ADD | BPF_FETCH: Linux 5.12+; before, "reserved fields")
_ATOMIC_FETCH_INSNS = bytes.fromhex(
    "b7010000000000007b1af8ff00000000b701000001000000db1af8ff01000000b7000000000000009500000000000000"
)
_LICENSE = b"GPL\0"


def load_noop_kprobe() -> int:
    """Loads a program of the kprobe type (the uprobes' type) that does nothing; returns its fd.

    ``otel-ebpf check`` attaches it where the TLS uprobes would go, to tell whether they attach.
    Raises OSError when the kernel refuses it.
    """
    return _load_kprobe_program(_NOOP_INSNS)


def atomic_fetch_supported() -> bool:
    """Whether the kernel's BPF has fetching atomics (`__sync_fetch_and_add` whose result is used),
    probed by loading a program that uses one (Linux 5.12+)."""
    try:
        os.close(_load_kprobe_program(_ATOMIC_FETCH_INSNS))
    except OSError:
        return False
    return True


def _load_kprobe_program(code: bytes) -> int:
    insns = ctypes.create_string_buffer(code, len(code))
    license_ = ctypes.create_string_buffer(_LICENSE)
    major, minor, patch = (list(map(int, re.findall(r"\d+", platform.release())[:3])) + [0, 0, 0])[:3]
    attr = _ProgLoadAttr(
        prog_type=_BPF_PROG_TYPE_KPROBE,
        insn_cnt=len(code) // 8,
        insns=ctypes.addressof(insns),
        license=ctypes.addressof(license_),
        # Kernels before 5.0 check it for kprobe programs: LINUX_VERSION_CODE (patch capped at 255).
        kern_version=(major << 16) + (minor << 8) + min(patch, 255),
    )
    return _bpf(BPF_PROG_LOAD, attr)


class _MapElemAttr(ctypes.Structure):
    _fields_ = [
        ("map_fd", ctypes.c_uint32),
        ("pad", ctypes.c_uint32),
        ("key", ctypes.c_uint64),
        ("value", ctypes.c_uint64),
        ("flags", ctypes.c_uint64),
    ]


class _ObjAttr(ctypes.Structure):
    _fields_ = [("pathname", ctypes.c_uint64), ("bpf_fd", ctypes.c_uint32), ("file_flags", ctypes.c_uint32),
                ("path_fd", ctypes.c_int32), ("pad", ctypes.c_uint32)]  # fmt: skip


class _RawTracepointAttr(ctypes.Structure):
    _fields_ = [("name", ctypes.c_uint64), ("prog_fd", ctypes.c_uint32), ("pad", ctypes.c_uint32),
                ("cookie", ctypes.c_uint64)]  # fmt: skip


class _InfoAttr(ctypes.Structure):
    _fields_ = [("bpf_fd", ctypes.c_uint32), ("info_len", ctypes.c_uint32), ("info", ctypes.c_uint64)]


# --- map elements ---------------------------------------------------------------------------------


def possible_cpus() -> int:
    """Number of possible CPUs: the number of values in a per-CPU map element."""
    with open("/sys/devices/system/cpu/possible") as f:
        text = f.read().strip()
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
    _bpf(BPF_MAP_LOOKUP_ELEM, attr)
    return sum(values)


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
    The syscall's arguments are prepared once, here: the call itself is the only work left.
    """

    def __init__(self, map_fd: int, value_size: int):
        self._key = ctypes.c_uint64()
        self.value = ctypes.create_string_buffer(value_size)  # the last value found
        self._attr = _MapElemAttr(map_fd=map_fd, key=ctypes.addressof(self._key), value=ctypes.addressof(self.value))
        self._args = (_number(), BPF_MAP_LOOKUP_ELEM, ctypes.byref(self._attr), ctypes.sizeof(self._attr))

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
        result = _bpf(BPF_MAP_GET_NEXT_KEY, next_attr, check=False)
        if result < 0:
            if result == -_ENOENT:
                return list(out.items())
            raise OSError(-result, f"bpf map get_next_key: {os.strerror(-result)}")
        key = nbuf.raw
        if _bpf(BPF_MAP_LOOKUP_ELEM, lookup_attr, check=False) == 0:
            out[key] = vbuf.raw
        ctypes.memmove(kbuf, nbuf, key_size)
        prev = key
    return list(out.items())


# --- objects: pins, links, information --------------------------------------------------------------


class MapInfo:
    """The parts of struct bpf_map_info the loaders check."""

    __slots__ = ("type", "id", "key_size", "value_size", "max_entries", "name")

    def __init__(self, raw: bytes):
        self.type, self.id, self.key_size, self.value_size, self.max_entries, _flags = struct.unpack_from("=6I", raw)
        self.name = raw[24:40].split(b"\0", 1)[0].decode()


def obj_pin(fd: int, path: str) -> None:
    """Pins a map, program or link fd at `path` (inside bpffs)."""
    buf = ctypes.create_string_buffer(path.encode())
    _bpf(BPF_OBJ_PIN, _ObjAttr(pathname=ctypes.addressof(buf), bpf_fd=fd))


def obj_get(path: str) -> int:
    """Opens a pinned object: a new fd the caller closes."""
    buf = ctypes.create_string_buffer(path.encode())
    return _bpf(BPF_OBJ_GET, _ObjAttr(pathname=ctypes.addressof(buf)))


def _exists(cmd: int, object_id: int) -> bool:
    fd = _bpf(cmd, (ctypes.c_uint32 * 4)(object_id, 0, 0, 0), check=False)
    if fd < 0:
        return False
    os.close(fd)
    return True


def map_exists(map_id: int) -> bool:
    """Whether a map with this id still exists (to check nothing outlives a shutdown)."""
    return _exists(BPF_MAP_GET_FD_BY_ID, map_id)


def prog_exists(prog_id: int) -> bool:
    """Whether a program with this id still exists (to check nothing stays attached after a shutdown)."""
    return _exists(BPF_PROG_GET_FD_BY_ID, prog_id)


def map_info(fd: int) -> MapInfo:
    """The kernel's description of a map: type, id, key and value sizes, capacity, name."""
    info = ctypes.create_string_buffer(88)
    _bpf(BPF_OBJ_GET_INFO_BY_FD, _InfoAttr(bpf_fd=fd, info_len=len(info), info=ctypes.addressof(info)))
    return MapInfo(info.raw)


def link_raw_tracepoint(prog_fd: int, name: str) -> int:
    """Attaches a raw tracepoint program (BPF_RAW_TRACEPOINT_OPEN); returns the link fd (pinnable).

    A raw tracepoint attachment is a BPF link, which can be pinned in bpffs, so the program stays
    attached, and keeps counting, while the agent restarts.
    """
    buf = ctypes.create_string_buffer(name.encode())
    return _bpf(BPF_RAW_TRACEPOINT_OPEN, _RawTracepointAttr(name=ctypes.addressof(buf), prog_fd=prog_fd))


def link_program_fd(link_fd: int) -> int:
    """A new fd of the program a link runs (to read its run statistics)."""
    info = ctypes.create_string_buffer(64)  # struct bpf_link_info: type, id, prog_id, ...
    _bpf(BPF_OBJ_GET_INFO_BY_FD, _InfoAttr(bpf_fd=link_fd, info_len=len(info), info=ctypes.addressof(info)))
    prog_id = struct.unpack_from("=I", info.raw, 8)[0]
    return _bpf(BPF_PROG_GET_FD_BY_ID, (ctypes.c_uint32 * 4)(prog_id, 0, 0, 0))


_PROG_INFO_RECURSION_MISSES = 208  # offsetof(struct bpf_prog_info, recursion_misses): uapi, fixed
_PROG_INFO_SIZE = 232


def program_misses(prog_fd: int) -> int:
    """How many times the kernel skipped a program instead of running it (bpf_prog_info.recursion_misses).

    A raw tracepoint program is skipped when it interrupts itself on a CPU; a perf-event
    (formatted) tracepoint program whenever any such program, or a bpf() map syscall, is
    already running on that CPU.  Linux 5.12+; 0 before.
    """
    info = ctypes.create_string_buffer(_PROG_INFO_SIZE)
    _bpf(BPF_OBJ_GET_INFO_BY_FD, _InfoAttr(bpf_fd=prog_fd, info_len=len(info), info=ctypes.addressof(info)))
    return _U64.unpack_from(info.raw, _PROG_INFO_RECURSION_MISSES)[0]
