"""Cost of TCP flow observability at two packet rates: kernel overhead and the reader's CPU.

    sudo .venv/bin/python bench/bench_tcp_flows.py [--seconds 5]

For each rate, a sender streams small writes over loopback (one segment each, TCP_NODELAY)
for N seconds, first without the program, then with it.  Printed per rate:

* the sender's CPU per write with and without the program (the kernel-side cost: tracepoints
  run in the sender's syscalls and in softirq on the same CPU over loopback),
* the agent-side CPU of a collect() (a map walk), which must not grow with the rate.
"""

from __future__ import annotations

import argparse
import resource
import socket
import threading
import time

from otel_ebpf.receivers.tcp_flows.receiver import TcpFlowReceiver


def stream(rate: int, seconds: float) -> tuple[int, float]:
    """Sends `rate` 64-byte writes per second; returns (writes, process CPU seconds used)."""
    ls = socket.create_server(("127.0.0.1", 0))
    port = ls.getsockname()[1]
    stop = threading.Event()

    def drain() -> None:
        conn, _ = ls.accept()
        with conn:
            while conn.recv(1 << 16):
                pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    c = socket.create_connection(("127.0.0.1", port))
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    payload = b"x" * 64
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    start = time.monotonic()
    writes = 0
    batch = max(1, rate // 1000)
    while (now := time.monotonic()) - start < seconds:
        target = int((now - start) * rate)
        while writes < target:
            for _ in range(batch):
                c.send(payload)
            writes += batch
        time.sleep(0.0005)
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    stop.set()
    c.close()
    reader.join(5)
    ls.close()
    cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    return writes, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rates", type=int, nargs="+", default=[2_000, 40_000])
    args = parser.parse_args()
    for rate in args.rates:
        writes0, cpu0 = stream(rate, args.seconds)
        r = TcpFlowReceiver({"pin": False})
        r.start()
        try:
            writes1, cpu1 = stream(rate, args.seconds)
            collects = 20
            t0 = time.process_time()
            for _ in range(collects):
                r.collect()
            collect_ms = (time.process_time() - t0) / collects * 1000
            flows = sum(len(sm.metrics) for rm in r.collect() for sm in rm.scope_metrics)
        finally:
            r.shutdown()
        per0 = cpu0 / writes0 * 1e6
        per1 = cpu1 / writes1 * 1e6
        print(
            f"rate {rate:>6}/s: sender CPU {per0:.2f} µs/write without, {per1:.2f} µs/write with the program "
            f"(+{per1 - per0:.2f} µs, incl. receive softirq); collect() {collect_ms:.2f} ms CPU "
            f"({flows} metrics); at a 10 s interval the reader uses {collect_ms / 10_000 * 100:.4f}% of a core"
        )


if __name__ == "__main__":
    main()
