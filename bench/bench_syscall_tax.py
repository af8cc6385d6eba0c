"""What the loaded capture program costs every syscall of every process, observed or not.

``perf bench syscall basic`` (a ``getppid`` loop) without the program, with it loaded (a port
filter that matches nothing: the cost of being there), and after unloading it; best of 3 each.
The hooks that run at every syscall are described in docs/cost.md ("The syscall tax").

A second loop measures a payload syscall that is no socket's: ``dd bs=1`` reading /dev/zero and
writing /dev/null (a read and a write per byte), which on the syscall path (``--capture-path
syscall_tracepoints``, what kernels before 6.3 get) also walks the file table to the inode's mode.

Run as root:  flock /tmp/otel_ebpf_tests.lock .venv/bin/python bench/bench_syscall_tax.py [--loops 5000000]
                  [--capture-path auto|sock_tracepoints|syscall_tracepoints]
(needs ``perf``: Debian's linux-perf).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from otel_ebpf.receivers.ebpf.loader import CaptureOptions, HttpCaptureProgram  # noqa: E402


def ns_per_syscall(loops: int) -> float:
    """The best of 3 runs of perf's getppid loop, in ns per call."""
    best = float("inf")
    for _ in range(3):
        out = subprocess.run(
            ["perf", "bench", "syscall", "basic", "-l", str(loops)], capture_output=True, text=True, check=True
        ).stdout
        best = min(best, float(re.search(r"([\d.]+) usecs/op", out).group(1)) * 1000)
    return best


def ns_per_file_syscall(loops: int) -> float:
    """The best of 3 runs of `dd bs=1` from /dev/zero to /dev/null, in ns per read or write."""
    best = float("inf")
    for _ in range(3):
        out = subprocess.run(
            ["dd", "if=/dev/zero", "of=/dev/null", "bs=1", f"count={loops}"], capture_output=True, text=True, check=True
        ).stderr
        seconds = float(re.search(r"copied, ([\d.]+) s", out).group(1))
        best = min(best, seconds / (2 * loops) * 1e9)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loops", type=int, default=5_000_000)
    parser.add_argument("--capture-path", default="auto", choices=("auto", "sock_tracepoints", "syscall_tracepoints"))
    args = parser.parse_args()
    file_loops = args.loops // 5
    without, file_without = ns_per_syscall(args.loops), ns_per_file_syscall(file_loops)
    program = HttpCaptureProgram(CaptureOptions(ports=[1], capture_path=args.capture_path))
    program.load()
    try:
        loaded, file_loaded = ns_per_syscall(args.loops), ns_per_file_syscall(file_loops)
    finally:
        program.close()
    after, file_after = ns_per_syscall(args.loops), ns_per_file_syscall(file_loops)
    print(f"capture path {program.capture_path.name}")
    print(f"getppid: {without:.0f} ns without the program, {loaded:.0f} ns with it loaded, {after:.0f} ns after")
    print(f"tax: {loaded - (without + after) / 2:+.0f} ns on every syscall of every process")
    print(
        f"dd bs=1 (file read/write): {file_without:.0f} ns without, {file_loaded:.0f} ns with it loaded,"
        f" {file_after:.0f} ns after: {file_loaded - (file_without + file_after) / 2:+.0f} ns a call"
    )


if __name__ == "__main__":
    if os.geteuid() != 0:
        sys.exit("run as root")
    if not shutil.which("perf"):
        sys.exit("needs perf (Debian: apt-get install linux-perf)")
    main()
