"""In-kernel cost of the HTTP capture per program call, under wrk load on nginx.

Loads bpf/http_capture.c (port filter: nginx's port, so wrk's side is captured too; with
--executables, the process filter `executables: [nginx]` as bench/bench_nginx.py: wrk's calls then
cost only the filter's decision), drains the ring buffer in a thread
(discarding), runs wrk at saturation, and prints each program's run_cnt and ns per call
from /proc/self/fdinfo of the program fds (kernel.bpf_stats_enabled is set for the run).

Run as root:  flock /tmp/otel_ebpf_tests.lock .venv/bin/python bench/bench_kernel_cost.py [--duration 5] [--rate 0]
             [--executables] [--close] [--capture-path syscall_tracepoints]
(--rate: max_spans_per_second for the kernel's token bucket; 0 = unlimited, when the build has one;
--capture-path: the path to build, auto by default.  On the syscall path `sys_exit` runs for every
syscall of the machine, nginx's and wrk's non-socket ones too: its ns per call is over all of them,
and the per-request total counts them all.)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from otel_ebpf.receivers.ebpf.loader import CaptureOptions, HttpCaptureProgram  # noqa: E402
from tests.harness import Server  # noqa: E402


def prog_stats(fd: int) -> tuple[int, int]:
    run_time = run_cnt = 0
    for line in Path(f"/proc/self/fdinfo/{fd}").read_text().splitlines():
        if line.startswith("run_time_ns:"):
            run_time = int(line.split()[1])
        elif line.startswith("run_cnt:"):
            run_cnt = int(line.split()[1])
    return run_time, run_cnt


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rate", type=int, default=-1)
    parser.add_argument("--executables", action="store_true", help="filter on nginx's name, not its port")
    parser.add_argument("--close", action="store_true", help="a connection per request (Connection: close)")
    parser.add_argument("--capture-path", default="auto", choices=("auto", "sock_tracepoints", "syscall_tracepoints"))
    args = parser.parse_args()
    stats_path = Path("/proc/sys/kernel/bpf_stats_enabled")
    old = stats_path.read_text().strip()
    with tempfile.TemporaryDirectory() as tmp:
        server = Server("nginx", Path(tmp))
        if args.executables:
            options = CaptureOptions(executables=["nginx"])
        else:
            options = CaptureOptions(ports=[server.port])
        if args.rate > 0:
            options.max_spans_per_second = args.rate
        options.capture_path = args.capture_path
        program = HttpCaptureProgram(options)
        program.load()
        stop = threading.Event()
        drained = [0]

        def drain() -> None:
            while not stop.is_set():
                drained[0] += len(program.drain())
                time.sleep(0.05)

        thread = threading.Thread(target=drain, daemon=True)
        thread.start()
        try:
            stats_path.write_text("1")
            before = {fd: prog_stats(fd) for fd in program._prog_fds}
            wrk = subprocess.run(
                ["wrk", "-t1", "-c4", f"-d{args.duration}s", f"http://127.0.0.1:{server.port}/json"]
                + (["-H", "Connection: close"] if args.close else []),
                capture_output=True,
                text=True,
                check=True,
            )
            after = {fd: prog_stats(fd) for fd in program._prog_fds}
        finally:
            stats_path.write_text(old)
            stop.set()
            thread.join()
            stats = program.kernel_stats()
            names = dict(zip(program._prog_fds, getattr(program, "programs", []), strict=False))
            program.close()
            server.stop()
    requests = int(next(line for line in wrk.stdout.splitlines() if "requests in" in line).split()[0])
    print(f"capture path {program.capture_path.name}")
    print(f"requests {requests} ({requests / args.duration:.0f}/s), events drained {drained[0]}")
    total = 0
    for fd in program_fds_sorted(before):
        t = after[fd][0] - before[fd][0]
        n = after[fd][1] - before[fd][1]
        total += t
        if n:
            print(f"  {names.get(fd, fd)}: {n} calls ({n / max(requests, 1):.1f}/request), {t / n:.0f} ns/call")
    print(f"in-kernel ns per request: {total / max(requests, 1):.0f}")
    print("kernel stats:", {k: v for k, v in stats.items() if v})


def program_fds_sorted(before: dict) -> list[int]:
    return sorted(before)


if __name__ == "__main__":
    if os.geteuid() != 0:
        sys.exit("run as root")
    main()
