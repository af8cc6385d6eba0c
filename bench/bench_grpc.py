"""Benchmark: a gRPC server under a Python load client, with and without the agent (HTTP/2 capture).

The server is tests/apps/grpc_app.py (grpcio, ``demo.Inventory/GetItem``, small JSON messages,
32 handler threads); the load comes from the same file's ``load`` mode: --channels channels (one
HTTP/2 connection each), --concurrency calls in flight on each, OK unary calls only.  Both are
Python processes, so the agent observes every process (``filter.executables`` cannot tell them
apart): each call gives a SERVER span and a CLIENT span.  The agent runs as bench_nginx.py's does
(bench/common.py): the processors of config/default.yaml, OTLP/gRPC to a rotel that discards,
metrics also to a file, from which ``rpc.server.call.duration`` is read for the server's process.
The load client's count of calls answered (it waits for the calls in flight when time is up) is the
reference for every ratio.

Phases, each without the agent then with it:
  - paced, --rate calls/s (default 2,000): agent CPU-s per 100k calls, spans exported per call
    (target 2.000: both sides), ``rpc.server.call.duration`` count per call (target 1.000 ± 0.001),
    the server's CPU per call with ÷ without (what the kernel side adds to it);
  - saturation (as fast as calls complete): throughput with ÷ without (the mean of a run before the
    agent started and one after it stopped; target >= 0.75, as bench_nginx.py's), the duration count
    per call (target 1.000 ± 0.001), spans exported per call, agent CPU-s per 100k calls.
Then the agent's peak RSS over the whole run (VmHWM; target <= 100 MB, as bench_nginx.py's).

The host has 2 CPUs: the server, the load client and the agent share them, as they would on a small
node; the throughput ratio includes the CPU the agent takes from the other two.  Run as root after
`sh scripts/setup.sh --test`, alone on the machine:
    .venv/bin/python bench/bench_grpc.py [--duration 20] [--rate 2000] [--channels 4] [--concurrency 16]
Results: bench/results/grpc.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, Agent, Report, cpu_seconds, peak_rss_mb, start_rotel

from tests.harness import flatten_metrics, free_port, stop_process

APP = ROOT / "tests" / "apps" / "grpc_app.py"
LOST_REASONS = ("ringbuf_full", "program_skipped")
RPC_SERVER_DURATION = "rpc.server.call.duration"


class GrpcAgent(Agent):
    """bench/common.py's agent, reading ``rpc.server.call.duration`` instead of the HTTP histogram."""

    def rpc_count(self, pid: int) -> int:
        """The count of rpc.server.call.duration of process ``pid``, summed over its series, as of
        the last collection in the metrics file."""
        if not self.metrics_file.exists():
            return 0
        with open(self.metrics_file, "rb") as f:
            f.seek(self._file_offset)
            data = f.read()
        end = data.rfind(b"\n") + 1
        self._file_offset += end
        for line in data[:end].splitlines():
            for p in flatten_metrics([json.loads(line)]):
                if p["name"] == RPC_SERVER_DURATION and str(p["resource"].get("process.pid")) == str(pid):
                    self._series[tuple(sorted(p["attributes"].items()))] = int(p["point"]["count"])
        return sum(self._series.values())

    def settled_rpc_count(self, pid: int, timeout: float = 60.0) -> int:
        """The count once two successive collections agree (call after settle())."""
        deadline = time.monotonic() + timeout
        last = self.rpc_count(pid)
        while True:
            time.sleep(2.3)  # one collection (METRIC_INTERVAL_MS) and a margin
            now = self.rpc_count(pid)
            if now == last:
                return now
            if time.monotonic() > deadline:
                raise TimeoutError(f"{RPC_SERVER_DURATION} count still moving: {last} -> {now}")
            last = now


class Counts:
    """What the agent had counted at one moment (after it settled)."""

    def __init__(self, agent: GrpcAgent, samples: dict, server_pid: int):
        self.cpu = agent.cpu()  # first: the agent's CPU up to the moment it had exported everything
        self.spans = agent.self_metric("otel_ebpf_exporter_sent_spans_total", samples, exporter="otlp")
        self.points = agent.self_metric("otel_ebpf_exporter_sent_metric_points_total", samples, exporter="otlp")
        self.exporter_dropped = agent.self_metric(
            "otel_ebpf_exporter_dropped_spans_total", samples
        ) + agent.self_metric("otel_ebpf_exporter_dropped_metric_points_total", samples)
        self.dropped = agent.by_label("otel_ebpf_ebpf_dropped_total", "reason", samples)
        self.shed = agent.by_label("otel_ebpf_ebpf_shed_exchanges_total", "reason", samples)
        self.h2 = {
            name.removeprefix("otel_ebpf_http2_parser_").removesuffix("_total"): value
            for (name, labels), value in samples.items()
            if name.startswith("otel_ebpf_http2_parser_")
        }
        self.duration = agent.settled_rpc_count(server_pid)

    def lost(self) -> float:
        return sum(self.dropped.get(r, 0) for r in LOST_REASONS)


def delta(after: dict, before: dict) -> dict[str, float]:
    return {k: v - before.get(k, 0) for k, v in after.items() if v - before.get(k, 0)}


def run_load(port: int, args, duration: float, rate: float = 0.0) -> dict:
    """One run of the load client: its JSON summary (calls answered, ok, errors, late, seconds)."""
    cmd = [sys.executable, str(APP), "load", "--port", str(port), "--channels", str(args.channels),
           "--concurrency", str(args.concurrency), "--duration", str(duration)]  # fmt: skip
    if rate:
        cmd += ["--rate", str(rate)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=duration + 120)
    result = json.loads(out.stdout)
    result["cps"] = result["calls"] / result["seconds"]
    return result


def phase(server: subprocess.Popen, port: int, args, agent: GrpcAgent | None, rate: float) -> dict:
    """One load run (paced when ``rate``): calls answered, the server's CPU, the agent's counts around it."""
    before = Counts(agent, agent.settle(), server.pid) if agent else None
    cpu0, agent_cpu0 = cpu_seconds([server.pid]), agent.cpu() if agent else 0.0
    run = run_load(port, args, args.duration, rate)
    out = {"load": run, "calls": run["calls"], "server_cpu_s": cpu_seconds([server.pid]) - cpu0}
    if agent:
        after = Counts(agent, agent.settle(), server.pid)
        out.update(before=before, after=after, agent_cpu_s=after.cpu - agent_cpu0)
    return out


def start_server(tmp: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(APP), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=open(tmp / "grpc-server.log", "wb"),  # noqa: SIM115 - the child holds it
        text=True,
    )
    if proc.stdout.readline().strip() != "ready":
        raise RuntimeError((tmp / "grpc-server.log").read_text())
    return proc, port


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=20, help="seconds per load run (default 20)")
    parser.add_argument("--rate", type=int, default=2000, help="calls/s of the paced phase (default 2000)")
    parser.add_argument("--channels", type=int, default=4, help="channels (HTTP/2 connections) (default 4)")
    parser.add_argument("--concurrency", type=int, default=16, help="calls in flight per channel (default 16)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="otel-ebpf-bench-grpc-"))
    server, port = start_server(tmp)
    rotel, otlp_port = start_rotel(tmp)
    agent = None
    try:
        run_load(port, args, 2)  # warm-up: connections, the server's threads, caches
        base_paced = phase(server, port, args, None, args.rate)
        base_sat = phase(server, port, args, None, 0)
        agent = GrpcAgent(tmp, otlp_port, None)
        with_paced = phase(server, port, args, agent, args.rate)
        with_sat = phase(server, port, args, agent, 0)
        rss = peak_rss_mb(agent.pid)
        agent.stop()
        agent = None
        base_sat_after = phase(server, port, args, None, 0)
    finally:
        if agent:
            agent.stop()
        stop_process(server)
        stop_process(rotel)

    mode = f"{args.channels} channels x {args.concurrency} calls in flight, every process observed"
    report = Report(f"gRPC unary calls (grpcio), {args.duration}s per run, {mode} (figures: see bench_grpc.py)")
    p, s = with_paced, with_sat
    report.info("paced.rate_requested", args.rate)
    report.info("paced.calls_without", base_paced["calls"])
    report.info("paced.calls_with", p["calls"])
    report.info("paced.cps_with", round(p["load"]["cps"], 1))
    report.info("paced.late_calls_with (schedule behind)", p["load"]["late"])
    report.info("paced.agent_cpu_s_per_100k_calls", p["agent_cpu_s"] / p["calls"] * 1e5)
    spans = p["after"].spans - p["before"].spans
    report.info("paced.spans_exported", int(spans))
    report.add(
        "paced.spans_exported_per_call (server+client)",
        spans / p["calls"],
        ("==", 2.0),
        check=lambda v: round(v, 3) == 2.0,
    )
    count = p["after"].duration - p["before"].duration
    report.add("paced.duration_count_per_call", count / p["calls"], ("==", 1.0), check=lambda v: abs(v - 1.0) <= 0.001)
    cpu_without = base_paced["server_cpu_s"] / base_paced["calls"] * 1e6
    cpu_with = p["server_cpu_s"] / p["calls"] * 1e6
    report.info("paced.server_cpu_us_per_call_without", cpu_without)
    report.info("paced.server_cpu_us_per_call_with", cpu_with)
    report.info("paced.server_cpu_ratio", cpu_with / cpu_without)
    report.info("paced.kernel_lost_events", int(p["after"].lost() - p["before"].lost()))
    report.info("paced.http2_parser_counters", delta(p["after"].h2, p["before"].h2))

    without = (base_sat["load"]["cps"] + base_sat_after["load"]["cps"]) / 2
    report.info("saturation.cps_without (before the agent)", round(base_sat["load"]["cps"], 1))
    report.info("saturation.cps_without (after it stopped)", round(base_sat_after["load"]["cps"], 1))
    report.info("saturation.cps_with", round(s["load"]["cps"], 1))
    report.add("saturation.throughput_ratio", s["load"]["cps"] / without, (">=", 0.75))
    report.info("saturation.calls_with", s["calls"])
    count = s["after"].duration - s["before"].duration
    report.info("saturation.duration_count", count)
    report.add(
        "saturation.duration_count_per_call", count / s["calls"], ("==", 1.0), check=lambda v: abs(v - 1.0) <= 0.001
    )
    report.info(
        "saturation.spans_exported_per_call (server+client)", (s["after"].spans - s["before"].spans) / s["calls"]
    )
    report.info("saturation.exchanges_shed_by_reason", delta(s["after"].shed, s["before"].shed))
    report.info("saturation.kernel_lost_events", int(s["after"].lost() - s["before"].lost()))
    report.info("saturation.kernel_dropped_by_reason", delta(s["after"].dropped, s["before"].dropped))
    report.info("saturation.agent_cpu_s_per_100k_calls", s["agent_cpu_s"] / s["calls"] * 1e5)
    report.info("saturation.agent_cpu_busy (cores)", s["agent_cpu_s"] / s["load"]["seconds"])
    report.info("saturation.http2_parser_counters", delta(s["after"].h2, s["before"].h2))
    errors = sum(r["load"]["errors"] for r in (base_paced, base_sat, p, s, base_sat_after))
    report.add("load_errors", errors, ("==", 0))

    report.add("agent_peak_rss_mb", rss, ("<=", 100))
    last = s["after"]
    report.add(
        "otlp.spans_and_points_sent_to_rotel",
        f"{int(last.spans)}/{int(last.points)}",
        ("==", "both > 0, none dropped"),
        check=lambda _: last.spans > 0 and last.points > 0 and last.exporter_dropped == 0,
    )
    report.print()
    runs = {
        name: {k: v for k, v in run.items() if k in ("load", "calls", "server_cpu_s", "agent_cpu_s")}
        for name, run in (
            ("paced_without", base_paced),
            ("saturation_without", base_sat),
            ("paced_with", p),
            ("saturation_with", s),
            ("saturation_without_after", base_sat_after),
        )
    }
    path = report.write(
        "grpc.json",
        {"mode": mode, "duration_s": args.duration, "channels": args.channels, "concurrency": args.concurrency,
         "runs": runs},
    )  # fmt: skip
    print(f"  results: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
