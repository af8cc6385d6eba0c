"""The issue's sidecar flood, by hand: N requests of 3 MiB against a sidecar whose backend is down.

Starts the real agent (``otlp`` -> ``memory_limiter`` -> ``batch`` -> ``otlp`` exporter to a dead
port; the agent's own metrics to a file), sends from 8 concurrent gRPC clients, and prints the
agent's peak RSS (VmHWM), the answers the senders got and the self-metrics that must reconcile
(received = exported + dropped + queued).  Same setup as tests/test_sidecar_memory.py.

    flock /tmp/otel_ebpf_tests.lock .venv/bin/python bench/sidecar_flood.py 1000 24     # queue_size_mib 24
    flock /tmp/otel_ebpf_tests.lock .venv/bin/python bench/sidecar_flood.py 1000 1024   # memory_limiter refuses
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from the repo root

from tests.harness import AgentProcess, free_port
from tests.test_sidecar_memory import CONFIG, LIMIT_MIB, SENDERS, Senders, _settled_metrics, big_request, vm_hwm_bytes

SHOWN = ("receiver.requests", "accepted_spans", "_spans", "batch.queued", "batch.dropped", "memory_limiter", "queue_")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    queue_mib = int(sys.argv[2]) if len(sys.argv) > 2 else 24
    tmp = Path(tempfile.mkdtemp(prefix="sidecar-flood-"))
    out = tmp / "self-metrics.jsonl"
    port = free_port()
    config = CONFIG.format(port=port, dead_port=free_port(), limit=LIMIT_MIB, queue_mib=queue_mib, out=out)
    agent = AgentProcess(tmp, config, out=out)
    try:
        start_hwm = vm_hwm_bytes(agent.proc.pid)
        requests = [big_request(i) for i in range(n)]
        began = time.monotonic()
        senders = Senders(port)
        senders.run(requests, 100, SENDERS)
        elapsed = time.monotonic() - began
        hwm = vm_hwm_bytes(agent.proc.pid)
        values = _settled_metrics(agent)
    finally:
        agent.stop()
    print(f"{n} requests of {len(requests[0]) / 2**20:.2f} MiB from {SENDERS} senders in {elapsed:.1f}s ({tmp})")
    print(f"agent VmHWM: {start_hwm / 2**20:.0f} MiB at start, {hwm / 2**20:.0f} MiB after the flood")
    print(f"  (memory_limiter limit_mib {LIMIT_MIB}; the bound is {LIMIT_MIB + 100} MiB); queue_size_mib {queue_mib}")
    print(f"answers: {senders.codes}, RetryInfo delays {sorted(senders.retry_delays)}")
    print(f"spans the senders were told were accepted: {senders.accepted_spans}")
    for (name, labels), value in sorted(values.items(), key=lambda kv: (kv[0][0], sorted(kv[0][1]))):
        attrs = dict(labels)
        if attrs.get("exporter") == "file" or name.endswith("metric_points") or not any(s in name for s in SHOWN):
            continue
        print(f"  {name} {attrs} = {value:.0f}")


if __name__ == "__main__":
    main()
