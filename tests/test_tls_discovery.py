"""Finding TLS libraries and Go executables, and where their uprobes go (receivers/ebpf/tls.py).

Offsets and RET instructions are checked against binutils (nm, readelf, objdump), tools that
share no code with pyelftools and capstone.  Attaching needs root (BPF), like the capture tests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from otel_ebpf.config.schema import defaults
from otel_ebpf.receivers.ebpf.config import SCHEMA
from otel_ebpf.receivers.ebpf.elf_symbols import symbol_offsets
from otel_ebpf.receivers.ebpf.go_binaries import go_functions, go_version, register_abi
from otel_ebpf.receivers.ebpf.tls import GO_PROBES, OPENSSL_PROBES, TlsProbes
from tests.harness import IN_CI, build_go_server, require_binary, require_bpf

OPENSSL = tuple(OPENSSL_PROBES)


def _libssl() -> str:
    for directory in ("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu"):
        path = os.path.join(directory, "libssl.so.3")
        if os.path.exists(path):
            return os.path.realpath(path)
    if IN_CI:
        pytest.fail("libssl.so.3 is missing under CI=true (Debian's libssl3 comes with python3 and curl)")
    pytest.skip("no libssl.so.3")


def _file_offset(path: str, vaddr: int) -> int:
    """vaddr -> file offset from `readelf -lW`'s LOAD segments."""
    out = subprocess.run(["readelf", "-lW", path], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        fields = line.split()
        if fields[:1] == ["LOAD"]:
            offset, start, size = int(fields[1], 16), int(fields[2], 16), int(fields[5], 16)
            if start <= vaddr < start + size:
                return vaddr - start + offset
    raise AssertionError(f"{vaddr:#x} is in no LOAD segment of {path}")


def test_openssl_offsets_agree_with_binutils():
    require_binary("nm")
    lib = _libssl()
    found = symbol_offsets(lib, OPENSSL)
    assert set(found) == set(OPENSSL)  # OpenSSL 3 has the _ex forms
    nm = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True, check=True).stdout
    for line in nm.splitlines():
        address, _kind, name = line.split()
        if name in found:
            assert found[name] == _file_offset(lib, int(address, 16)), name


def test_files_without_the_openssl_api_have_no_offsets(tmp_path):
    assert symbol_offsets(sys.executable, OPENSSL) == {}  # Python links libssl: imports, not definitions
    script = tmp_path / "script.sh"
    script.write_text("#!/bin/sh\n")
    with pytest.raises(ValueError):
        symbol_offsets(str(script), OPENSSL)


def test_go_functions_and_their_returns_agree_with_objdump(tmp_path):
    require_binary("objdump")
    exe = str(build_go_server(tmp_path))
    version, functions = go_functions(exe, tuple(GO_PROBES))
    assert re.fullmatch(r"go1\.\d+(\.\d+)?", version) and register_abi(version)
    assert set(functions) == set(GO_PROBES)
    symbols = subprocess.run(["nm", exe], capture_output=True, text=True, check=True).stdout
    for name, function in functions.items():
        (address,) = [int(line.split()[0], 16) for line in symbols.splitlines() if line.endswith(" " + name)]
        assert function.entry == _file_offset(exe, address)
        listing = subprocess.run(
            ["objdump", "-d", "--no-show-raw-insn", exe, f"--disassemble={name}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rets = [int(m.group(1), 16) for m in re.finditer(r"^\s*([0-9a-f]+):\s+ret\b", listing, re.MULTILINE)]
        assert rets and function.returns == tuple(_file_offset(exe, r) for r in rets), name


def test_go_versions_before_the_register_abi_are_refused():
    class Section:
        def __init__(self, data: bytes):
            self._data = data

        def data(self) -> bytes:
            return self._data

    class Elf:
        def __init__(self, data: bytes | None):
            self.section = Section(data) if data is not None else None

        def get_section_by_name(self, name: str):
            return self.section

    header = b"\xff Go buildinf:" + bytes([8, 2]) + bytes(16)
    assert go_version(Elf(header + bytes([8]) + b"go1.16.3")) == "go1.16.3"
    assert go_version(Elf(b"\xff Go buildinf:" + bytes([8, 0]) + bytes(40))) == ""  # pointers: Go < 1.18
    assert go_version(Elf(None)) is None
    assert not register_abi("go1.16.3") and not register_abi("") and register_abi("go1.17") and register_abi("go1.22.1")


def _probes(program_fd, **tls) -> TlsProbes:
    config = {**defaults(SCHEMA)["tls"], **tls}
    return TlsProbes(program_fd, config, self_pid=os.getpid())


def test_what_cannot_be_attached_is_counted_by_reason(tmp_path):
    missing = str(tmp_path / "libssl.so.9")
    probes = _probes(lambda name: -1, libraries=[missing, "/bin/true", _libssl()])
    for path in probes._config["libraries"]:
        probes._consider(path, "library", explicit=True)
    assert probes.failures == {"unreadable": 1, "no_symbols": 1, "attach_error": 1}  # -1: no program loaded
    assert not probes.attached()
    counters = dict(probes.counters())
    assert counters[("otel_ebpf.ebpf.tls.attach_failures", (("reason", "attach_error"),))] == 1
    assert counters[("otel_ebpf.ebpf.tls.attached_files", ())] == 0


@pytest.fixture
def noop_program():
    require_bpf()
    from otel_ebpf.kernel.bpf import load_noop_kprobe

    fd = load_noop_kprobe()
    yield fd
    os.close(fd)


def test_libraries_and_executables_get_every_probe(tmp_path, noop_program):
    exe = str(build_go_server(tmp_path))
    probes = _probes(lambda name: noop_program, libraries=[_libssl()])
    probes._consider(_libssl(), "library", explicit=True)
    probes._consider(exe, "executable")
    by_path = {t.path: t for t in probes.attached()}
    assert len(by_path[_libssl()].fds) == 2 * len(OPENSSL_PROBES)  # entry and return of each
    _, functions = go_functions(exe, tuple(GO_PROBES))
    assert len(by_path[exe].fds) == sum(1 + len(f.returns) for f in functions.values())
    assert by_path[exe].library.startswith("go go1.")
    probes.close()
    assert not probes.attached()


@pytest.mark.parametrize("room", [True, False])
def test_a_library_copy_mapped_by_a_new_process_is_found_and_bounded(tmp_path, noop_program, room):
    """A container's libssl is another file: found in the process's maps at the next scan, and
    attached unless max_attachments files already are."""
    copy = tmp_path / "lib" / "libssl.so.3"
    copy.parent.mkdir()
    shutil.copy(_libssl(), copy)
    # The system's libssl, configured: attached first, the one file allowed without room.
    probes = _probes(lambda name: noop_program, max_attachments=256 if room else 1, libraries=[_libssl()])
    probes.start(watch=False)
    env = dict(os.environ, LD_LIBRARY_PATH=str(copy.parent))
    child = subprocess.Popen(
        [sys.executable, "-c", "import ssl, sys; print(ssl.OPENSSL_VERSION, flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    try:
        child.stdout.readline()  # libssl is mapped
        assert str(copy).encode() in open(f"/proc/{child.pid}/maps", "rb").read()
        probes.rescan(time.monotonic() + 10)  # the next scan: the new process
        target = {t.path: t for t in probes.targets.values()}[str(copy)]
        if room:
            assert len(target.fds) == 2 * len(OPENSSL_PROBES) and not target.error
        else:
            assert not target.fds and target.error.startswith("limit") and probes.failures["limit"] >= 1
    finally:
        child.kill()
        child.wait()
        probes.close()


STATIC_OPENSSL_C = r"""
#include <stdio.h>
/* Stand-ins with OpenSSL's names, exported (-rdynamic) as an executable linking OpenSSL statically
 * exports them (official Node.js builds). */
__attribute__((noinline)) int SSL_read(void *ssl, void *buf, int num) { return ssl ? num : 0; }
__attribute__((noinline)) int SSL_write(void *ssl, const void *buf, int num) { return ssl ? num : 0; }
int main(void) { printf("ready\n"); fflush(stdout); return getchar() == EOF ? SSL_read(0, 0, 0) : SSL_write(0, 0, 0); }
"""


def test_an_executable_exporting_the_openssl_api_is_found_and_released_when_it_is_gone(tmp_path, noop_program):
    require_binary("gcc")
    (tmp_path / "static.c").write_text(STATIC_OPENSSL_C)
    exe = tmp_path / "static_openssl"
    subprocess.run(["gcc", "-O1", "-rdynamic", "-o", str(exe), str(tmp_path / "static.c")], check=True)
    probes = _probes(lambda name: noop_program)
    child = subprocess.Popen([str(exe)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert child.stdout.readline() == b"ready\n"
        probes.rescan(time.monotonic(), force=True)  # every process, the new one included
        target = {t.path: t for t in probes.targets.values()}[str(exe)]
        assert (target.kind, target.library, target.symbols) == ("executable", "openssl", ("SSL_read", "SSL_write"))
        assert len(target.fds) == 4  # entry and return of each
        child.kill()
        child.wait()
        probes.rescan(time.monotonic() + 100, force=True)  # a full scan: no process runs it any more
        assert str(exe) not in {t.path for t in probes.targets.values()}
        assert not target.fds
    finally:
        child.kill()
        child.wait()
        probes.close()
