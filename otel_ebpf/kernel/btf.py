"""BTF, the kernel's type information: struct member offsets, tracepoint arities, enum values.

The capture and TCP flow programs attach to raw tracepoints, whose arguments are the kernel's own
pointers (`struct sock *`, `struct sk_buff *`), so they read struct members at offsets.  The kernel
headers bcc compiles against may be of another version than the running kernel; the offsets in
/sys/kernel/btf/vmlinux are the running kernel's, so they are the ones that are right.

Any BTF blob can be read, not only the kernel's: ``gcc -gbtf`` writes one for our own headers
(the ``.BTF`` section of an object file), which is how tests check that the Python view of each
record (:mod:`otel_ebpf.kernel.records`) matches its C struct.

Only what these uses need is decoded: struct/union members (through anonymous members, as C
spells `sk->skc_dport` for a member nested in unnamed unions), function prototypes, and enum
values (decoded on demand: vmlinux has thousands).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

__all__ = [
    "BTF_VMLINUX",
    "Btf",
    "BtfError",
    "MemberLayout",
    "OffsetSpec",
    "SOCK_OFFSETS",
    "SOCK_V6_OFFSETS",
    "StructLayout",
    "check_arities",
    "offset_flags",
]

BTF_VMLINUX = "/sys/kernel/btf/vmlinux"

# enum btf_kind values used here.
_ARRAY = 3
_ENUM, _ENUM64 = 6, 19
_PTR, _STRUCT, _UNION, _TYPEDEF, _VOLATILE, _CONST, _RESTRICT, _FUNC_PROTO, _TYPE_TAG = 2, 4, 5, 8, 9, 10, 11, 13, 18
# Bytes following struct btf_type (12 bytes) per kind, as (fixed, per vlen item).
_EXTRA = {1: (4, 0), 3: (12, 0), 4: (0, 12), 5: (0, 12), 6: (0, 8), 13: (0, 8), 14: (4, 0), 15: (0, 12),
          17: (4, 0), 19: (0, 12)}  # fmt: skip
_MODIFIERS = (_TYPEDEF, _VOLATILE, _CONST, _RESTRICT, _TYPE_TAG)


class BtfError(Exception):
    """The BTF is missing, unreadable, or lacks a type or member we need."""


@dataclass(frozen=True)
class Member:
    name: str
    type_id: int
    bit_offset: int
    bit_size: int  # 0 unless a bitfield


@dataclass(frozen=True)
class MemberLayout:
    """Where one member of a struct lies: byte offset and byte size."""

    name: str
    offset: int
    size: int


@dataclass(frozen=True)
class StructLayout:
    """A struct's total size and its direct members, in declaration order."""

    name: str
    size: int
    members: tuple[MemberLayout, ...]


@dataclass(frozen=True)
class _Type:
    kind: int
    name: str
    size_or_type: int
    members: tuple[Member, ...] = ()
    count: int = 0  # FUNC_PROTO, ENUM, ENUM64: number of parameters/values; ARRAY: of elements (size_or_type: element)


class Btf:
    """A parsed BTF blob (the whole vmlinux one is ~6 MB and parses in well under a second).

    Args:
        path: The file to read: the running kernel's by default, or any raw BTF blob (such as
            the ``.BTF`` section ``objcopy --dump-section .BTF=FILE`` takes out of a ``gcc -gbtf``
            object file).
        data: The blob itself, instead of a file (``path`` then only names it in errors).

    Raises:
        BtfError: The file cannot be read, or is not BTF.
    """

    def __init__(self, path: str = BTF_VMLINUX, data: bytes | None = None):
        if data is None:
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError as exc:
                if path != BTF_VMLINUX:
                    raise BtfError(f"cannot read BTF from {path}: {exc}") from exc
                raise BtfError(
                    f"cannot read the kernel's BTF ({exc}); a kernel built with CONFIG_DEBUG_INFO_BTF=y has it"
                ) from exc
        self._data = data
        self._whose = "the kernel's" if path == BTF_VMLINUX else f"{path}'s"  # for error messages
        if len(data) < 24:
            raise BtfError(f"{path} is not BTF")
        magic, _version, _flags, hdr_len, type_off, type_len, str_off, _str_len = struct.unpack_from("<HBBIIIII", data)
        if magic != 0xEB9F:
            raise BtfError(f"{path} is not BTF (magic {magic:#x})")
        strings = hdr_len + str_off

        def name(off: int) -> str:
            return data[strings + off : data.index(b"\0", strings + off)].decode()

        self._name = name

        self._types: list[_Type | None] = [None]  # type id 0 is void
        self._by_name: dict[tuple[int, str], int] = {}
        # ENUM/ENUM64 type id -> (where its values start in the blob, signed): decoded on demand,
        # and kept apart so that the ~100k other types of vmlinux do not carry the two fields.
        self._enums: dict[int, tuple[int, bool]] = {}
        pos, end = hdr_len + type_off, hdr_len + type_off + type_len
        while pos < end:
            name_off, info, size_or_type = struct.unpack_from("<III", data, pos)
            kind, vlen, kind_flag = (info >> 24) & 0x1F, info & 0xFFFF, info >> 31
            fixed, per_item = _EXTRA.get(kind, (0, 0))
            members: tuple[Member, ...] = ()
            if kind in (_STRUCT, _UNION):
                items = []
                for i in range(vlen):
                    m_name, m_type, m_offset = struct.unpack_from("<III", data, pos + 12 + 12 * i)
                    bits, size = (m_offset & 0xFFFFFF, m_offset >> 24) if kind_flag else (m_offset, 0)
                    items.append(Member(name(m_name), m_type, bits, size))
                members = tuple(items)
            count = vlen if kind in (_FUNC_PROTO, _ENUM, _ENUM64) else 0
            if kind == _ARRAY:  # struct btf_array {type, index_type, nelems}: keep the element type and count
                size_or_type, _index, count = struct.unpack_from("<III", data, pos + 12)
            type_name = name(name_off) if name_off else ""
            self._types.append(_Type(kind, type_name, size_or_type, members, count))
            if kind in (_ENUM, _ENUM64):
                self._enums[len(self._types) - 1] = (pos + 12, bool(kind_flag))
            if type_name:
                self._by_name.setdefault((kind, type_name), len(self._types) - 1)
            pos += 12 + fixed + per_item * vlen

    def _struct(self, name: str) -> _Type:
        type_id = self._by_name.get((_STRUCT, name))
        if type_id is None:
            raise BtfError(f"{self._whose} BTF has no struct {name}")
        return self._types[type_id]

    def _resolve(self, type_id: int) -> _Type | None:
        t = self._types[type_id]
        while t is not None and t.kind in _MODIFIERS:
            t = self._types[t.size_or_type]
        return t

    def _find(self, t: _Type, member: str) -> tuple[int, Member] | None:
        """(bit offset, member) of a member of `t`, looking inside anonymous struct/union members."""
        for m in t.members:
            if m.name == member:
                return m.bit_offset, m
        for m in t.members:
            inner = self._resolve(m.type_id) if not m.name else None
            if inner is not None and inner.kind in (_STRUCT, _UNION):
                found = self._find(inner, member)
                if found is not None:
                    return m.bit_offset + found[0], found[1]
        return None

    def offset(self, struct_name: str, path: str) -> int:
        """Byte offset of `path` ("a.b.c", nested named members) in `struct struct_name`.

        Raises BtfError when a member is missing or is a bitfield (not readable by offset).
        """
        t = self._struct(struct_name)
        bits = 0
        for i, part in enumerate(path.split(".")):
            found = self._find(t, part) if t is not None else None
            if found is None:
                raise BtfError(f"{self._whose} struct {struct_name} has no member {path}")
            bit_offset, member = found
            if member.bit_size or bit_offset % 8:
                raise BtfError(f"struct {struct_name} member {path} is a bitfield")
            bits += bit_offset
            if i < len(path.split(".")) - 1:
                t = self._resolve(member.type_id)
        return bits // 8

    def size(self, struct_name: str, path: str) -> int:
        """Byte size of the member at `path` (integers, structs and arrays of bytes)."""
        t = self._struct(struct_name)
        member = None
        for part in path.split("."):
            found = self._find(t, part) if t is not None else None
            if found is None:
                raise BtfError(f"{self._whose} struct {struct_name} has no member {path}")
            member = found[1]
            t = self._resolve(member.type_id)
        return self._size(t, f"struct {struct_name} member {path}")

    def _size(self, t: _Type | None, what: str) -> int:
        if t is None:
            raise BtfError(f"{what} has no size")
        if t.kind == _ARRAY:
            return t.count * self._size(self._resolve(t.size_or_type), what)
        if t.kind == _PTR:
            return 8
        return t.size_or_type

    def struct_layout(self, struct_name: str) -> StructLayout:
        """Size and direct members (offset, size) of `struct struct_name`, in declaration order.

        Raises BtfError when the struct is missing or has a bitfield (a Python record cannot mirror one).
        """
        t = self._struct(struct_name)
        members = []
        for m in t.members:
            if m.bit_size or m.bit_offset % 8:
                raise BtfError(f"struct {struct_name} member {m.name} is a bitfield")
            size = self._size(self._resolve(m.type_id), f"struct {struct_name} member {m.name}")
            members.append(MemberLayout(m.name, m.bit_offset // 8, size))
        return StructLayout(struct_name, t.size_or_type, tuple(members))

    def enum_values(self, enum_name: str) -> dict[str, int]:
        """Name -> value of every enumerator of `enum enum_name` (32- or 64-bit, signed or not)."""
        type_id = self._by_name.get((_ENUM, enum_name), self._by_name.get((_ENUM64, enum_name)))
        if type_id is None:
            raise BtfError(f"{self._whose} BTF has no enum {enum_name}")
        t = self._types[type_id]
        start, signed = self._enums[type_id]
        values = {}
        for i in range(t.count):
            if t.kind == _ENUM:  # struct btf_enum {name_off, val}
                name_off, value = struct.unpack_from("<Ii" if signed else "<II", self._data, start + 8 * i)
            else:  # struct btf_enum64 {name_off, val_lo32, val_hi32}
                name_off, lo, hi = struct.unpack_from("<III", self._data, start + 12 * i)
                value = hi << 32 | lo
                if signed and value >= 1 << 63:
                    value -= 1 << 64
            values[self._name(name_off)] = value
        return values

    def tracepoint_arity(self, name: str) -> int:
        """Number of arguments of the raw tracepoint `name` (ctx->args[]), from `btf_trace_<name>`."""
        type_id = self._by_name.get((_TYPEDEF, f"btf_trace_{name}"))
        if type_id is None:
            raise BtfError(f"{self._whose} BTF has no tracepoint {name}")
        proto = self._resolve(self._types[type_id].size_or_type)
        if proto is not None and proto.kind == _PTR:
            proto = self._resolve(proto.size_or_type)
        if proto is None or proto.kind != _FUNC_PROTO:
            raise BtfError(f"btf_trace_{name} is not a function pointer")
        return proto.count - 1  # the first parameter is the tracepoint's private data (void *)


# A -D flag and what it names: (struct, member path, size the program reads).
OffsetSpec = dict[str, tuple[str, str, int]]

# The `struct sock` members both programs (bpf/http_capture.c, bpf/tcp_flows.c) read to know a
# socket: its family and protocol, its local port (host order) and its peer.
SOCK_OFFSETS: OffsetSpec = {
    "SK_FAMILY": ("sock", "__sk_common.skc_family", 2),
    "SK_PROTOCOL": ("sock", "sk_protocol", 2),
    "SK_NUM": ("sock", "__sk_common.skc_num", 2),
    "SK_DPORT": ("sock", "__sk_common.skc_dport", 2),
    "SK_DADDR": ("sock", "__sk_common.skc_daddr", 4),
}
SOCK_V6_OFFSETS: OffsetSpec = {"SK_V6_DADDR": ("sock", "__sk_common.skc_v6_daddr", 16)}  # absent without IPv6


def offset_flags(btf: Btf, reader: str, required: OffsetSpec, optional: OffsetSpec | None = None) -> list[str]:
    """``-DNAME=offset`` for each member a BPF program (`reader`, named in errors) reads at an offset.

    A member of `optional` missing from this kernel (IPv6 not built, an older kernel) gets no flag:
    the program tests ``#ifdef``.  Raises BtfError when a required member is missing or a member's
    size is not the one the program reads.
    """
    flags = []
    for define, (struct_name, path, size) in {**required, **(optional or {})}.items():
        try:
            offset = btf.offset(struct_name, path)
            actual = btf.size(struct_name, path)
        except BtfError:
            if optional and define in optional:
                continue
            raise
        if actual != size:
            raise BtfError(f"struct {struct_name} member {path} is {actual} bytes, {reader} reads {size}")
        flags.append(f"-D{define}={offset}")
    return flags


def check_arities(btf: Btf, tracepoints: dict[str, tuple[str, int]]) -> None:
    """Raises BtfError when a raw tracepoint has fewer arguments than its program reads.

    `tracepoints`: program -> (tracepoint, arguments read); the kernel refuses to attach a program
    reading ctx->args[] past the tracepoint's own.
    """
    for prog, (tracepoint, needed) in tracepoints.items():
        arity = btf.tracepoint_arity(tracepoint)
        if arity < needed:
            raise BtfError(f"tracepoint {tracepoint} has {arity} arguments, {prog} reads {needed}")
