"""Go executables: their Go version, and where a function starts and returns, for uprobes.

A Go function must not get a uretprobe: the kernel would replace the return address on the
goroutine's stack, and the runtime moves and inspects those stacks (a crash, or a corrupt
traceback).  So a probe is put on every RET instruction of the function instead, found by
disassembling it (capstone) — what OBI and Beyla do as well.

The version comes from the ``.go.buildinfo`` section (Go >= 1.18 writes it inline; 1.17 and older
with pointers, read here as "unknown": the register ABI the probes need is 1.17's on amd64).
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile

from otel_ebpf.receivers.ebpf.elf_symbols import file_offset, load_segments

__all__ = ["GoFunction", "go_functions", "go_version", "register_abi"]

_BUILDINFO_MAGIC = b"\xff Go buildinf:"
_VERSION = re.compile(r"^go(\d+)\.(\d+)")


@dataclass(frozen=True)
class GoFunction:
    name: str
    entry: int  # file offset of the first instruction
    returns: tuple[int, ...]  # file offsets of its RET instructions


def go_version(elf) -> str | None:
    """``go1.19.8`` for an executable built by Go >= 1.18; "" for an older Go; None if not Go."""
    section = elf.get_section_by_name(".go.buildinfo")
    if section is None:
        return None
    data = section.data()
    if not data.startswith(_BUILDINFO_MAGIC) or len(data) < 33:
        return ""
    flags = data[15]
    if not flags & 2:  # pointers into the data segment (Go < 1.18)
        return ""
    # Inline: a uvarint length, then the version string.
    length = shift = 0
    pos = 32
    while pos < len(data):
        byte = data[pos]
        length |= (byte & 0x7F) << shift
        pos += 1
        if not byte & 0x80:
            break
        shift += 7
    return data[pos : pos + length].decode(errors="replace")


def register_abi(version: str | None) -> bool:
    """Whether a Go version passes arguments in registers on amd64 (Go >= 1.17)."""
    match = _VERSION.match(version or "")
    return bool(match) and (int(match[1]), int(match[2])) >= (1, 17)


_ELF64_SYM = struct.Struct("<IBBHQQ")  # st_name, st_info, st_other, st_shndx, st_value, st_size


def _find_symbols(elf, table, names: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """name -> (address, size) of the `names` in symbol table section `table`.

    The names are found in the string table first, then the entries pointing at them, unpacked in
    C (struct.iter_unpack): a large Go binary has ~200,000 symbols, which pyelftools' iterator
    builds one object each for (seconds; this takes milliseconds)."""
    strings = elf.get_section(table.header.sh_link).data()
    wanted: dict[int, str] = {}
    for name in names:
        at = strings.find(b"\0" + name.encode() + b"\0")
        if at >= 0:
            wanted[at + 1] = name
    found: dict[str, tuple[int, int]] = {}
    if not wanted:
        return found  # no crypto/tls in this program
    for st_name, _info, _other, _shndx, value, size in _ELF64_SYM.iter_unpack(table.data()):
        if st_name in wanted:
            found[wanted[st_name]] = (value, size)
    return found


def go_functions(path: str, names: tuple[str, ...]) -> tuple[str | None, dict[str, GoFunction]]:
    """(Go version, the functions of `names` found in ``.symtab``, with their RETs) of ELF `path`.

    The version is None when the file is no Go executable (then nothing else is read).  Raises
    OSError when the file cannot be read, ValueError when it is no ELF file.
    """

    found: dict[str, GoFunction] = {}
    with open(path, "rb") as f:
        try:
            elf = ELFFile(f)
            version = go_version(elf)
            if version is None or elf.get_machine_arch() != "x64":
                return version, found
            table = elf.get_section_by_name(".symtab")
            if table is None:
                return version, found  # stripped (-ldflags=-s): nothing to attach to
            symbols = _find_symbols(elf, table, names)
            loads = load_segments(elf)
            from capstone import CS_ARCH_X86, CS_MODE_64, Cs  # noqa: PLC0415 (a Go executable with crypto/tls)

            disassembler = Cs(CS_ARCH_X86, CS_MODE_64)
            for name, (address, size) in symbols.items():
                offset = file_offset(loads, address)
                if offset is None or not size:
                    continue
                f.seek(offset)
                code = f.read(size)
                returns = tuple(
                    offset + insn_address - address
                    for insn_address, _size, mnemonic, _ops in disassembler.disasm_lite(code, address)
                    if mnemonic == "ret"
                )
                if returns:
                    found[name] = GoFunction(name, offset, returns)
        except ELFError as exc:
            raise ValueError(f"{path}: {exc}") from exc
    return version, found
