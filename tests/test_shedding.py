"""Shedding at saturation, against real nginx, wrk, the kernel and the agent (docs/cost.md).

nginx serves as fast as wrk can ask; the agent may receive only 200 exchanges a second
(``max_spans_per_second``), so the kernel sheds most exchanges before copying a byte of them and
counts them itself.  The HTTP duration metric must still count every request nginx served (its
access log, line by line), spans exist only for the exchanges the kernel let through, and the
shed ones are counted as shed, never as lost or dropped.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tests.harness import AgentProcess, Server, require_binary, require_bpf

CONFIG = """
receivers:
  ebpf:
    max_spans_per_second: {rate}
    filter:
      ports: [{port}]
      executables: [nginx]
processors:
  batch:
    timeout: 100ms
exporters:
  file:
    path: {out}
service:
  pipelines:
    traces:
      receivers: [ebpf]
      processors: [batch]
      exporters: [file]
    metrics:
      receivers: [ebpf]
      processors: [batch]
      exporters: [file]
"""


def _latest(agent: AgentProcess) -> tuple[int, dict]:
    """(requests in http.server.request.duration, self-metrics), from the latest point of each series."""
    durations: dict[tuple, int] = {}
    counters: dict[tuple, float] = {}
    for p in agent.metrics():
        attrs = tuple(sorted(p["attributes"].items()))
        point = p["point"]
        if p["name"] == "http.server.request.duration":
            durations[(tuple(sorted(p["resource"].items())), attrs)] = int(point["count"])
        elif p["name"].startswith("otel_ebpf."):
            counters[(p["name"], attrs)] = float(point.get("asInt", point.get("asDouble", 0)))
    return sum(durations.values()), counters


def test_at_saturation_metrics_count_every_request_while_the_agent_gets_a_bounded_rate(tmp_path: Path):
    require_bpf()
    wrk = require_binary("wrk")
    nginx = Server("nginx", tmp_path, access_log=True)
    out = tmp_path / "out.jsonl"
    agent = None
    try:
        agent = AgentProcess(tmp_path, CONFIG.format(rate=200, port=nginx.port, out=out), out=out)
        # Keep-alive connections and, with -H "Connection: close", one connection per request:
        # shed exchanges end at the next request on a connection, and at its close.
        for extra in ([], ["-H", "Connection: close"]):
            subprocess.run(
                [wrk, "-t1", "-c8", "-d2s", *extra, f"http://127.0.0.1:{nginx.port}/json"],
                check=True,
                capture_output=True,
                timeout=30,
            )
        served = len((tmp_path / "access.log").read_text().splitlines())
        deadline = time.monotonic() + 20
        counted, counters = _latest(agent)
        while counted < served and time.monotonic() < deadline:
            time.sleep(0.5)
            counted, counters = _latest(agent)
        time.sleep(2.5)  # two more exports: over-counting would show
        counted, counters = _latest(agent)
        spans = [s for s in agent.spans() if s["kind"] == "SERVER"]
    finally:
        if agent is not None:
            agent.stop()
        nginx.stop()
    shed = counters[("otel_ebpf.ebpf.shed_exchanges", (("reason", "rate"),))]
    shed += counters[("otel_ebpf.ebpf.shed_exchanges", (("reason", "ring_pressure"),))]
    assert served > 5000, served  # saturation: far more than the 200 a second let through
    assert counted == served, (counted, served, shed, len(spans))
    assert shed > 0.5 * served
    # Spans only for what the kernel let through: about 200 a second (plus bursts), never a shed one.
    assert 0 < len(spans) <= served - shed
    assert len(spans) < 200 * 12
    dropped = {a: v for (name, a), v in counters.items() if name == "otel_ebpf.http.parser.dropped_requests" and v}
    context = {k: v for k, v in counters.items() if ("parser" in k[0] or "ebpf" in k[0] or "conn" in k[0]) and v}
    assert dropped == {}, (dropped, context)
    assert counters[("otel_ebpf.http.parser.unprocessed_requests", ())] == 0
    assert counters[("otel_ebpf.ebpf.shed_counts.overflow", ())] == 0


@pytest.fixture(autouse=True)
def _root_only():
    require_bpf()
