"""The Python records (otel_ebpf.kernel.records) against the C headers of bpf/, member by member.

Each header is compiled by gcc with BTF debug information (``gcc -gbtf``), its ``.BTF`` section is
taken out with objcopy and read with otel_ebpf.kernel.btf: that gives every struct member's name,
offset and size as the C compiler lays them out, and, through an enum that gcc evaluates, the value
of every ``#define`` of the header.  Any difference from the Python declaration is a drift: the
agent would decode the kernel's bytes wrongly.  The last tests prove the comparison catches one.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from otel_ebpf import BPF_DIR
from otel_ebpf.kernel.btf import Btf, BtfError
from otel_ebpf.kernel.records import CONNECT_BOUNDS_S, FLOW_STATS, HEADERS, HTTP_EVENTS_H, TCP_FLOWS_H, Header
from otel_ebpf.receivers.tcp_flows.layout import FlowStats
from tests.harness import IN_CI, require_binary

# The kernel's fixed-width types, so that no kernel or libc header is needed (gcc alone suffices).
_TYPES = """
typedef unsigned char __u8;
typedef signed char __s8;
typedef unsigned short __u16;
typedef signed short __s16;
typedef unsigned int __u32;
typedef signed int __s32;
typedef unsigned long long __u64;
typedef signed long long __s64;
"""
_ENUM = "otel_ebpf_defines"
_PREFIX = "otel_ebpf_define_"
# An object-like macro with a body (function-like macros and include guards have none).
_DEFINE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(?![\w(])[ \t]+\S", re.MULTILINE)


@dataclass(frozen=True)
class Drift:
    """One difference between a header and its Python declaration."""

    where: str  # "struct flow_key" or "#define"
    member: str | None  # the member or define concerned; None for the struct as a whole
    what: str  # "name", "offset", "size", "missing", "value"
    c: object
    python: object

    def __str__(self) -> str:
        name = f"{self.where}.{self.member}" if self.where.startswith("struct") and self.member else self.where
        if self.where == "#define":
            name = f"#define {self.member}"
        return f"{name}: {self.what} is {self.c!r} in C, {self.python!r} in Python"


def c_view(header_file: Path, work: Path) -> tuple[Btf, dict[str, int]]:
    """The header as gcc sees it: its BTF, and the value of every #define with a body.

    gcc evaluates each define as enumerators of one enum, which BTF records.  gcc's BTF keeps only
    enumerators that fit a signed 32-bit int (0xffffffffu would vanish), so each value is split
    into four 16-bit pieces of its 64-bit two's complement, plus its sign.
    """
    gcc = require_binary("gcc")
    objcopy = require_binary("objcopy")
    names = _DEFINE.findall(header_file.read_text())
    pieces = [
        f"    {_PREFIX}{n}_{k} = (int)(((unsigned long long)({n}) >> {16 * k}) & 0xffff)"
        for n in names
        for k in range(4)
    ] + [f"    {_PREFIX}{n}_neg = (({n}) < 0)" for n in names]
    enum = ",\n".join(pieces) or f"    {_PREFIX}none_ = 0"
    source = work / f"check_{header_file.stem}.c"
    source.write_text(f'{_TYPES}\n#include "{header_file}"\n\nenum {_ENUM} {{\n{enum}\n}};\n')
    obj, btf_file = source.with_suffix(".o"), source.with_suffix(".btf")
    # -fno-eliminate-unused-debug-types: the structs are declared, not used, and must be described anyway;
    # -nostdinc: nothing but the header itself is compiled (no libc or kernel headers needed).
    cmd = [gcc, "-gbtf", "-fno-eliminate-unused-debug-types", "-nostdinc", "-c", str(source), "-o", str(obj)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0 and "btf" in done.stderr and "unrecognized" in done.stderr and not IN_CI:
        pytest.skip(f"this gcc cannot write BTF (gcc 12 or later can): {done.stderr.strip()}")
    assert done.returncode == 0, f"{' '.join(cmd)}:\n{done.stderr}"
    subprocess.run([objcopy, "--dump-section", f".BTF={btf_file}", str(obj)], check=True, capture_output=True)
    btf = Btf(str(btf_file))
    enumerators = btf.enum_values(_ENUM)
    values = {}
    for n in names:
        value = sum(enumerators[f"{_PREFIX}{n}_{k}"] << (16 * k) for k in range(4))
        values[n] = value - (1 << 64) if enumerators[f"{_PREFIX}{n}_neg"] else value
    return btf, values


def drift(header: Header, btf: Btf, c_defines: dict[str, int]) -> list[Drift]:
    """Every difference between `header` (Python) and the compiled C (`btf`, `c_defines`).

    Members are compared in order.  A member whose size differs, padding that the C compiler inserted
    before a member, or a member only one side has, moves every later member: that shift is carried
    along, so each cause is reported once, where it happens, rather than at every member after it.
    """
    out: list[Drift] = []
    for record in header.records:
        where = f"struct {record.c_name}"
        try:
            layout = btf.struct_layout(record.c_name)
        except BtfError as exc:
            out.append(Drift(where, None, "missing", str(exc), record))
            continue
        cs, ps = layout.members, record.fields
        i = j = shift = 0  # shift: C offset minus Python offset, as far as explained by earlier drifts
        while i < len(cs) or j < len(ps):
            if j == len(ps):
                out.append(Drift(where, cs[i].name, "missing", cs[i].name, None))
                i += 1
                continue
            if i == len(cs):
                out.append(Drift(where, ps[j].name, "missing", None, ps[j].name))
                j += 1
                continue
            c, py = cs[i], ps[j]
            if c.name != py.name:
                c_next = cs[i + 1].name if i + 1 < len(cs) else None
                py_next = ps[j + 1].name if j + 1 < len(ps) else None
                swapped = c_next == py.name and py_next == c.name
                if c_next == py.name and not swapped:  # a member only C has
                    out.append(Drift(where, c.name, "missing", c.name, None))
                    shift, i = c.offset + c.size - py.offset, i + 1
                elif py_next == c.name and not swapped:  # a member only Python has
                    out.append(Drift(where, py.name, "missing", None, py.name))
                    shift, j = c.offset - ps[j + 1].offset, j + 1
                else:
                    out.append(Drift(where, py.name, "name", c.name, py.name))
                    shift, i, j = c.offset + c.size - (py.offset + py.size), i + 1, j + 1
                continue
            if c.offset != py.offset + shift:
                out.append(Drift(where, py.name, "offset", c.offset, py.offset))
                shift = c.offset - py.offset
            if c.size != py.size:
                out.append(Drift(where, py.name, "size", c.size, py.size))
                shift += c.size - py.size
            i, j = i + 1, j + 1
        if layout.size != record.size:
            out.append(Drift(where, None, "size", layout.size, record.size))
    for name in sorted(set(c_defines) | set(header.defines)):
        c_value, py_value = c_defines.get(name), header.defines.get(name)
        if c_value is None or py_value is None:
            out.append(Drift("#define", name, "missing", c_value, py_value))
        elif c_value != py_value:
            out.append(Drift("#define", name, "value", c_value, py_value))
    return out


@pytest.mark.parametrize("header", HEADERS, ids=lambda h: h.file)
def test_python_records_and_constants_match_the_c_header(header, tmp_path):
    btf, defines = c_view(BPF_DIR / header.file, tmp_path)
    problems = drift(header, btf, defines)
    assert not problems, "\n".join(map(str, problems))
    assert defines and all(btf.struct_layout(r.c_name).members for r in header.records)  # not vacuous


def test_defines_are_evaluated_by_the_compiler_whatever_their_width_and_sign(tmp_path):
    header = tmp_path / "numbers.h"
    header.write_text("#define BASE 3\n#define DERIVED (BASE + 1)\n#define ALL_ONES 0xffffffffu\n"
                      "#define WIDE (1ULL << 40)\n#define NEGATIVE (-2)\n#define GUARD\n#define F(x) x\n")  # fmt: skip
    _, values = c_view(header, tmp_path)
    assert values == {"BASE": 3, "DERIVED": 4, "ALL_ONES": 0xFFFFFFFF, "WIDE": 1 << 40, "NEGATIVE": -2}


def test_connect_bounds_match_the_kernel_program():
    # bounds[] of connect_bucket() in bpf/tcp_flows.c, in ns; Python exports them in seconds.
    source = (BPF_DIR / "tcp_flows.c").read_text()
    body = re.search(r"bounds\[CONNECT_BOUNDS\]\s*=\s*\{([^}]*)\}", source)
    assert body, "connect_bucket()'s bounds[] initializer is not where this test looks for it"
    bounds_ns = [int(n) for n in re.findall(r"(\d+)ULL", body.group(1))]
    assert bounds_ns == [round(s * 1e9) for s in CONNECT_BOUNDS_S]


def test_flow_stats_is_decoded_in_record_order():
    # layout.decode_stats fills FlowStats positionally from the record's values.
    assert [f.name for f in dataclasses.fields(FlowStats)] == [f.name for f in FLOW_STATS.fields]


# --- the comparison catches drift -------------------------------------------------------------------


def _mutated(tmp_path: Path, header: Header, old: str, new: str) -> Path:
    text = (BPF_DIR / header.file).read_text()
    assert text.count(old) == 1, f"{old!r} is not once in {header.file}"
    path = tmp_path / header.file
    path.write_text(text.replace(old, new))
    return path


@pytest.mark.parametrize(
    ("header", "old", "new", "expected"),
    [
        pytest.param(
            HTTP_EVENTS_H,
            "__u16 more;",
            "__u32 more;",
            # Every later member moves by 2 and the struct grows (to a multiple of 8): one cause, reported once.
            [("struct event_header", "more", "size", 4, 2), ("struct event_header", None, "size", 144, 136)],
            id="u16-becomes-u32",
        ),
        pytest.param(
            HTTP_EVENTS_H,
            "    __u16 local_port;\n    __u16 peer_port;\n",
            "    __u16 peer_port;\n    __u16 local_port;\n",
            [
                ("struct event_header", "local_port", "name", "peer_port", "local_port"),
                ("struct event_header", "peer_port", "name", "local_port", "peer_port"),
            ],
            id="two-members-swapped",
        ),
        pytest.param(
            TCP_FLOWS_H,
            "    __u32 srtt_us;      /* latest smoothed RTT */\n",
            "    __u32 srtt_us;      /* latest smoothed RTT */\n    __u32 added;\n",
            # The members after it move by 4: only the addition, the first member that alignment moves
            # further (a __u64: by 8) and the struct's size are reported.
            [
                ("struct sock_state", "added", "missing", "added", None),
                ("struct sock_state", "bytes_in_seen", "offset", 64, 56),
                ("struct sock_state", None, "size", 80, 72),
            ],
            id="member-added",
        ),
        pytest.param(
            TCP_FLOWS_H,
            "#define STAT_RESET_OVERFLOW 5",
            "#define STAT_RESET_OVERFLOW 6",
            [("#define", "STAT_RESET_OVERFLOW", "value", 6, 5)],
            id="constant-changed",
        ),
        pytest.param(
            TCP_FLOWS_H,
            "#define SK_CLOSED 32 ",
            "#define SK_CLOSED 32\n#define SK_NEW 64 ",
            [("#define", "SK_NEW", "missing", 64, None)],
            id="constant-added",
        ),
    ],
)
def test_a_drifted_header_is_reported_exactly_where_it_drifted(header, old, new, expected, tmp_path):
    btf, defines = c_view(_mutated(tmp_path, header, old, new), tmp_path)
    found = [(d.where, d.member, d.what, d.c, d.python) for d in drift(header, btf, defines)]
    assert found == expected
