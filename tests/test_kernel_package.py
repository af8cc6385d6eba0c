"""otel_ebpf.kernel: the bpf() syscall number per architecture, and the package's import boundaries."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from otel_ebpf.kernel import bpf
from tests.harness import IN_CI

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "otel_ebpf"


@pytest.mark.parametrize(
    ("machine", "bits", "number"),
    [
        ("x86_64", 64, 321),
        ("x86_64", 32, 357),  # an i386 process on an amd64 kernel
        ("i686", 32, 357),
        ("aarch64", 64, 280),
        ("aarch64", 32, 386),  # an armhf process on an arm64 kernel
        ("armv7l", 32, 386),
        ("riscv64", 64, 280),
        ("ppc64le", 64, 361),
        ("s390x", 64, 351),
        ("mips64", 64, 5315),
    ],
)
def test_bpf_syscall_number_per_architecture(machine, bits, number):
    assert bpf.bpf_syscall_number(machine, bits) == number


def test_this_machine_has_a_bpf_syscall_number():
    assert bpf.bpf_syscall_number() in bpf.BPF_SYSCALL_NUMBERS.values()


def test_an_unknown_architecture_fails_at_the_first_call_not_at_import():
    script = """
import platform
platform.machine = lambda: "sparc64"
from otel_ebpf.kernel import bpf  # importing works
try:
    bpf.obj_get("/sys/fs/bpf/nothing")
except bpf.UnsupportedArchitecture as exc:
    print(exc)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert "no bpf() syscall number is known for 'sparc64'" in done.stdout
    assert "otel_ebpf/kernel/bpf.py" in done.stdout


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_kernel_imports_only_the_standard_library_and_itself():
    for path in sorted((PACKAGE / "kernel").glob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            if top == "otel_ebpf":
                assert name.startswith("otel_ebpf.kernel"), f"{path.name} imports {name}"
            else:
                assert top in sys.stdlib_module_names or top == "bcc", f"{path.name} imports {name}"


def test_the_tcp_flows_receiver_does_not_reach_into_the_ebpf_receiver():
    for path in sorted((PACKAGE / "receivers" / "tcp_flows").glob("*.py")):
        assert not [n for n in _imports(path) if n.startswith("otel_ebpf.receivers.ebpf")], path.name


_root_and_tools = pytest.mark.skipif(
    (os.geteuid() != 0 or shutil.which("capsh") is None) and not IN_CI,
    reason="needs root and capsh to drop capabilities (never skipped under CI)",
)


@pytest.mark.bpf
@_root_and_tools
def test_a_refused_bpf_call_names_the_missing_capabilities():
    # What the loaders raise before bcc would report a failed "compile" for an EPERM.
    code = "from otel_ebpf.kernel.bpf import require_bpf_permission; require_bpf_permission(); print('allowed')"
    allowed = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert allowed.stdout.strip() == "allowed", allowed.stderr
    refused = subprocess.run(
        ["capsh", "--drop=cap_bpf,cap_perfmon,cap_sys_admin", "--", "-c", f'{sys.executable} -c "{code}"'],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1 and "allowed" not in refused.stdout
    assert (
        "LoadError: the kernel refused bpf() (bpf map create: Operation not permitted): this process lacks"
        " CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)"
    ) in refused.stderr
