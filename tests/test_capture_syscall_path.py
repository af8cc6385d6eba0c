"""The capture test set again, on the syscall path (what kernels 5.8-6.2 get), forced on this kernel.

The rest of the suite runs on the path `auto` picks here, the sock path (Linux 6.3+).  This test runs
the tests whose subject is the HTTP capture once more, in a pytest of their own with
OTEL_EBPF_CAPTURE_PATH=syscall_tracepoints: the agent they start, and the programs they load, then
take `raw_syscalls:sys_exit` and the fd's file table instead of sock:sock_*_length.  The same
assertions hold on both paths: the same events, positions, filters, drop counts and timing.
(tests/test_vm_kernels.py runs a focused part of this set on Debian's real 6.1 and 5.10 kernels.)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.harness import require_bpf

pytestmark = pytest.mark.bpf

ROOT = Path(__file__).resolve().parents[1]
CAPTURE_SET = (
    "tests/test_bpf_capture.py",
    "tests/test_capture_e2e.py",
    "tests/test_capture_gaps.py",
    "tests/test_hostile_http_e2e.py",
    "tests/test_shedding.py",
    "tests/test_secrets_e2e.py",
    "tests/test_telemetry_exclusion.py",
    "tests/test_tcp_span_evidence.py",
    "tests/test_tls_e2e.py",
)


def test_the_capture_set_passes_on_the_syscall_path():
    require_bpf()
    env = {**os.environ, "OTEL_EBPF_CAPTURE_PATH": "syscall_tracepoints", "CI": os.environ.get("CI", "")}
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-s", *CAPTURE_SET],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    summary = [line for line in proc.stdout.splitlines() if re.search(r"\d+ (passed|failed|error)", line)]
    print(f"\n[syscall path] {time.monotonic() - start:.0f} s: {summary[-1] if summary else '(no summary)'}")
    assert proc.returncode == 0, proc.stdout[-20000:] + proc.stderr[-5000:]
    # The agents and programs of the set really took the forced path.
    # (test_bpf_capture.py's first test asserts it, and prints it)
    assert "capture path: syscall_tracepoints, forced by OTEL_EBPF_CAPTURE_PATH" in proc.stdout, proc.stdout[-5000:]
    assert re.search(r"\d+ passed", summary[-1]) and "skipped" not in summary[-1], summary
