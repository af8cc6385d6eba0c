"""The VM tier: the capture tests on the kernels production runs, Debian's 6.1 and bullseye's 5.10.

Each kernel boots once in qemu (tests/vm/run-in-vm.sh: the kernel package from Debian's archive,
this machine's root shared read-only, bcc compiling against the guest's own headers) and runs,
inside, `otel-ebpf check` and a focused set of this suite: software emulation makes clang 10-20x
slower, so not all of it.  Neither kernel has sock:sock_*_length (Linux 6.3), so the agent takes the
syscall capture path there by itself (`auto`), which is what is proven:

* the capture end-to-end tests against Python, Node and nginx (keep-alive, fresh and pipelined
  requests; method, route, status, duration within [handler delay, client round trip]);
* the kernel program's own tests of the path it took, of its events' layout and addresses, and of
  the ring buffer's drop and shed accounting (each loads the program: ~1 min of clang in the guest);
* the TCP flow receiver next to the HTTP capture in one agent (no network namespace), its bytes
  taken from the tcp_sock counters there (no sock_*_length).

Marked ``vm``: ``pytest -m vm`` runs only this tier, ``-m "not vm"`` everything else.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.harness import IN_CI, require_bpf

pytestmark = [pytest.mark.bpf, pytest.mark.vm]

ROOT = Path(__file__).resolve().parents[1]
RUN_IN_VM = ROOT / "tests" / "vm" / "run-in-vm.sh"
KERNELS = ("6.1", "5.10")
# The guest's tests wait this many times longer than on the host (tests/harness.py SLOWDOWN).
GUEST_SLOWDOWN = 8
# The focused set run inside each guest.
GUEST_TESTS = (
    "tests/test_capture_e2e.py",
    "tests/test_bpf_capture.py::test_the_program_takes_the_capture_path_asked_for",
    "tests/test_bpf_capture.py::test_event_layout_matches_the_kernel_struct_and_roles_addresses_are_right",
    "tests/test_bpf_capture.py::test_a_full_ring_buffer_sheds_exchanges_and_counts_in_the_kernel",
    "tests/test_bpf_capture.py::test_an_http2_call_on_many_iovecs_arrives_whole_up_to_8_pieces",
    "tests/test_tcp_flows_agent.py",
)


def require_vm_tools() -> None:
    require_bpf()
    missing = [tool for tool in ("qemu-system-x86_64", "depmod", "apt-get", "dpkg") if shutil.which(tool) is None]
    if missing:
        message = f"the VM tier needs {', '.join(missing)} (sh scripts/setup.sh --test installs them)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


def run_in_vm(kernel: str, command: str, timeout_s: float) -> tuple[int, str, float]:
    """Boots `kernel`, runs `command` (sh, in the repository) inside; (exit status, output, seconds)."""
    start = time.monotonic()
    proc = subprocess.run(
        [str(RUN_IN_VM), kernel, command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout_s + 60,
        env={**os.environ, "VM_TIMEOUT": str(int(timeout_s))},
    )
    return proc.returncode, proc.stdout + proc.stderr, time.monotonic() - start


@pytest.mark.parametrize("kernel", KERNELS)
def test_capture_tests_pass_on_older_kernels(kernel):
    require_vm_tools()
    python = Path(sys.executable)
    command = (
        f"{python} -m otel_ebpf check; echo check-status=$?; "
        f"CI=true OTEL_EBPF_TEST_SLOWDOWN={GUEST_SLOWDOWN} {python} -m pytest -q -p no:cacheprovider -s"
        f" {' '.join(GUEST_TESTS)}"
    )
    status, output, seconds = run_in_vm(kernel, command, timeout_s=2400)
    summary = [line for line in output.splitlines() if re.search(r"\d+ (passed|failed|error)", line)]
    print(f"\n[vm {kernel}] exit {status} in {seconds:.0f} s: {summary[-1] if summary else '(no summary)'}")
    for line in output.splitlines():
        if " SERVER spans for " in line or line.startswith(("capture path:", "bytes on port")):
            print(f"[vm {kernel}] {line}")
    assert status == 0, output[-20000:]

    # `otel-ebpf check` inside the guest: it can run, on the syscall path, and says why.
    assert "check-status=0" in output, output[:8000]
    flat = re.sub(r"\s+", " ", output)  # the table wraps its cells over several lines
    path = r"ok capture path syscall_tracepoints: no sock:sock_\*_length \(Linux < 6\.3\)"
    assert re.search(path, flat), output[:8000]
    assert re.search(r"ok TCP flow signals every one; bytes sent, as TCP sent them", flat), output[:8000]
    assert re.search(rf"ok\s+kernel\s+{re.escape(kernel)}\.0-\d+-amd64", output), output[:3000]  # the guest's own
    # Nothing skipped inside (CI=true makes a skipped BPF test fail): every test of the set ran.
    assert re.search(r"\d+ passed", summary[-1]) and "skipped" not in summary[-1], summary
