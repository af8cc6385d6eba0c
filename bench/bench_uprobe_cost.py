"""What a uprobe costs the traced process on this machine (prints figures; not a test).

Usage: .venv/bin/python bench/bench_uprobe_cost.py [--calls 200000]

A C loop calls a function that does nothing, with nothing attached, then with programs attached
to it (docs/cost.md, "TLS"):

* ``noop``: a program that returns at once (``load_noop_kprobe``), on the entry, on the return
  (a uretprobe) and on both: the kernel's own price of a uprobe trap;
* ``agent``: the agent's TLS programs (bpf/http_capture.c ``tls_read_enter`` and
  ``tls_read_return``, what SSL_read gets): the trap plus the work of remembering the call and
  finding its socket (here there is none: the call is counted as ``tls_unlinked``).

Each figure is the median of 5 runs, in ns per call.  Needs root and gcc.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from otel_ebpf.kernel.bpf import load_noop_kprobe  # noqa: E402
from otel_ebpf.kernel.uprobes import attach_uprobe  # noqa: E402
from otel_ebpf.receivers.ebpf.elf_symbols import symbol_offsets  # noqa: E402
from otel_ebpf.receivers.ebpf.loader import CaptureOptions, HttpCaptureProgram  # noqa: E402

LOOP_C = r"""
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
__attribute__((noinline, visibility("default"))) int traced(int x) { asm volatile(""); return x + 1; }
int main(int argc, char **argv) {
    long n = atol(argv[1]); int acc = 0;
    struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < n; i++) acc = traced(acc);
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
    return acc == 0;
}
"""


def per_call_ns(exe: Path, calls: int) -> float:
    runs = [float(subprocess.run([str(exe), str(calls)], capture_output=True, text=True, check=True).stdout)
            for _ in range(5)]  # fmt: skip
    return statistics.median(runs)


def measure(exe: Path, offset: int, calls: int, enter_fd: int, return_fd: int) -> dict[str, float]:
    out = {}
    for name, probes in (("entry", [(enter_fd, False)]), ("return", [(return_fd, True)]),
                         ("entry+return", [(enter_fd, False), (return_fd, True)])):  # fmt: skip
        fds = [attach_uprobe(fd, str(exe), offset, retprobe=ret) for fd, ret in probes]
        try:
            out[name] = per_call_ns(exe, calls)
        finally:
            for fd in fds:
                os.close(fd)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=200_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="otel-ebpf-uprobe-"))
    (tmp / "loop.c").write_text(LOOP_C)
    exe = tmp / "loop"
    subprocess.run(["gcc", "-O2", "-rdynamic", "-o", str(exe), str(tmp / "loop.c")], check=True)
    offset = symbol_offsets(str(exe), ("traced",))["traced"]
    base = per_call_ns(exe, args.calls)
    print(f"nothing attached: {base:.1f} ns/call")
    noop = load_noop_kprobe()
    try:
        for name, ns in measure(exe, offset, args.calls, noop, noop).items():
            print(f"noop program, {name:13s} {ns - base:8.0f} ns/call added")
    finally:
        os.close(noop)
    program = HttpCaptureProgram(CaptureOptions())
    program.load()
    try:
        fds = program.program_fd("tls_read_enter"), program.program_fd("tls_read_return")
        for name, ns in measure(exe, offset, args.calls, *fds).items():
            print(f"agent's TLS programs, {name:13s} {ns - base:8.0f} ns/call added")
    finally:
        program.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
