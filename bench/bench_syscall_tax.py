"""What the loaded capture program costs every syscall of every process, observed or not.

``perf bench syscall basic`` (a ``getppid`` loop) without the program, with it loaded (a port
filter that matches nothing: the cost of being there), and after unloading it; best of 3 each.
The hooks that run at every syscall are described in docs/cost.md ("The syscall tax").

Run as root:  flock /tmp/otel_ebpf_tests.lock .venv/bin/python bench/bench_syscall_tax.py [--loops 5000000]
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loops", type=int, default=5_000_000)
    args = parser.parse_args()
    without = ns_per_syscall(args.loops)
    program = HttpCaptureProgram(CaptureOptions(ports=[1]))
    program.load()
    try:
        loaded = ns_per_syscall(args.loops)
    finally:
        program.close()
    after = ns_per_syscall(args.loops)
    print(f"getppid: {without:.0f} ns without the program, {loaded:.0f} ns with it loaded, {after:.0f} ns after")
    print(f"tax: {loaded - (without + after) / 2:+.0f} ns on every syscall of every process")


if __name__ == "__main__":
    if os.geteuid() != 0:
        sys.exit("run as root")
    if not shutil.which("perf"):
        sys.exit("needs perf (Debian: apt-get install linux-perf)")
    main()
