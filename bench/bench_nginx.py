"""Benchmark: nginx serving a small JSON body under wrk, with and without the agent.

Prints (and writes to bench/results/nginx.json):
  - saturation throughput with the agent ÷ without (wrk, 2 connections per core, no delay);
  - at a fixed ~5,000 requests/s (wrk with a Lua delay()): requests captured ÷ sent,
    nginx CPU per request with ÷ without (the in-kernel tax), agent CPU-seconds per
    100k requests, agent peak RSS, spans ÷ requests.

Run as root after `sh scripts/setup.sh --test`:
    .venv/bin/python bench/bench_nginx.py [--duration 20] [--rate 5000] [--all-processes]

By default the agent observes nginx only (`filter.executables: [nginx]`), the way a
user who runs it next to a service configures it; --all-processes also captures wrk's
client side (twice the events).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.harness import Server, flatten_metrics, free_port, stop_process  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
        except OSError:
            pass
    return total / CLK_TCK


def nginx_pids(master_pid: int) -> list[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return [master_pid] + [int(c) for c in children]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wrk(port: int, duration: int, connections: int, script: Path | None = None) -> dict:
    args = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency"]
    if script:
        args += ["-s", str(script)]
    out = subprocess.run(args + [f"http://127.0.0.1:{port}/json"], capture_output=True, text=True, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"requests": requests, "rps": rps, "non2xx": int(errors.group(1)) if errors else 0, "raw": out}


def fixed_rate_script(tmp: Path, rate: int, connections: int) -> Path:
    # Each connection waits `delay` ms between requests: rate ≈ connections × 1000 / delay.
    delay_ms = connections * 1000.0 / rate
    path = tmp / "delay.lua"
    path.write_text(f"function delay()\n  return {delay_ms:.3f}\nend\n")
    return path


def start_agent(tmp: Path, all_processes: bool, out: Path, otlp_port: int, max_cpu: float) -> subprocess.Popen:
    filt = "" if all_processes else "    filter:\n      executables: [nginx]\n"
    config = f"""
receivers:
  ebpf:
    max_cpu: {max_cpu}
{filt}processors:
  batch: {{}}
exporters:
  otlp:
    endpoint: 127.0.0.1:{otlp_port}
    tls: {{insecure: true}}
  file:
    path: {out}
service:
  pipelines:
    traces: {{receivers: [ebpf], processors: [batch], exporters: [otlp]}}
    metrics: {{receivers: [ebpf], processors: [], exporters: [file]}}
"""
    (tmp / "agent.yaml").write_text(config)
    log = open(tmp / "agent.log", "wb")
    env = dict(os.environ, OTEL_METRIC_EXPORT_INTERVAL="2000")
    proc = subprocess.Popen(
        [sys.executable, "-m", "otel_ebpf", "run", "--config", str(tmp / "agent.yaml")],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while " running (config: " not in (tmp / "agent.log").read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError((tmp / "agent.log").read_text())
        time.sleep(0.2)
    return proc


def start_rotel(port: int) -> subprocess.Popen:
    import rotel

    binary = Path(rotel.__file__).parent / "rotel-agent"
    proc = subprocess.Popen(
        [str(binary), "start", "--otlp-grpc-endpoint", f"127.0.0.1:{port}", "--exporter", "blackhole"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    return proc


def captured_requests(out: Path) -> int:
    """http.server.request.duration counts for nginx, summed over series (computed from every request)."""
    last = {}
    if not out.exists():
        return 0
    for line in out.read_text().splitlines():
        for p in flatten_metrics([json.loads(line)]):
            if p["name"] == "http.server.request.duration" and p["resource"].get("process.executable.name") == "nginx":
                last[tuple(sorted(p["attributes"].items()))] = int(p["point"]["count"])
    return sum(last.values())


def self_metric(out: Path, name: str) -> int:
    """The last exported value of a self-metric, summed over its attribute sets."""
    last = {}
    if out.exists():
        for line in out.read_text().splitlines():
            for p in flatten_metrics([json.loads(line)]):
                if p["name"] == name:
                    last[tuple(sorted(p["attributes"].items()))] = int(p["point"].get("asInt", 0))
    return sum(last.values())


def phase(server: Server, args, tmp: Path) -> dict:
    sat = wrk(server.port, args.duration, connections=4)
    script = fixed_rate_script(tmp, args.rate, connections=50)
    pids = nginx_pids(server.proc.pid)
    cpu0 = cpu_seconds(pids)
    fixed = wrk(server.port, args.duration, connections=50, script=script)
    cpu1 = cpu_seconds(pids)
    return {
        "saturation_rps": sat["rps"],
        "fixed": fixed,
        "nginx_cpu_per_request_us": (cpu1 - cpu0) / fixed["requests"] * 1e6,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run (default 20)")
    parser.add_argument("--rate", type=int, default=5000, help="fixed request rate (default 5000/s)")
    parser.add_argument("--all-processes", action="store_true", help="capture every process, wrk included")
    parser.add_argument(
        "--max-cpu",
        type=float,
        default=0.0,
        help="the receiver's CPU budget in cores (receivers.ebpf.max_cpu; default 0: no limit)",
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="otel-ebpf-bench-"))
    server = Server("nginx", tmp)
    otlp_port = free_port()
    rotel = start_rotel(otlp_port)
    try:
        wrk(server.port, 2, connections=4)  # warm-up
        base = phase(server, args, tmp)
        out = tmp / "metrics.jsonl"
        agent = start_agent(tmp, args.all_processes, out, otlp_port, args.max_cpu)
        time.sleep(3)
        # Fixed rate first, on a fresh agent: its peak RSS is the one the target is about.
        count0 = captured_requests(out)
        agent_cpu1 = cpu_seconds([agent.pid])
        script = fixed_rate_script(tmp, args.rate, connections=50)
        pids = nginx_pids(server.proc.pid)
        cpu0 = cpu_seconds(pids)
        fixed = wrk(server.port, args.duration, connections=50, script=script)
        cpu1 = cpu_seconds(pids)
        time.sleep(4)  # let the last batch and one metric export out
        agent_cpu2 = cpu_seconds([agent.pid])
        captured = captured_requests(out) - count0
        rss_fixed = peak_rss_mb(agent.pid)
        # Then saturation.
        agent_cpu_s0 = cpu_seconds([agent.pid])
        sat = wrk(server.port, args.duration, connections=4)
        agent_cpu_sat = cpu_seconds([agent.pid]) - agent_cpu_s0
        time.sleep(3)
        rss = peak_rss_mb(agent.pid)
        stop_process(agent, signal.SIGTERM, timeout=20)
        spans = self_metric(out, "otel_ebpf.spans.built")
        exchanges = self_metric(out, "otel_ebpf.http.exchanges")
        dropped = self_metric(out, "otel_ebpf.ebpf.dropped")
        with_agent_nginx_cpu = (cpu1 - cpu0) / fixed["requests"] * 1e6
        results = {
            "mode": ("all processes" if args.all_processes else "nginx only") + f", max_cpu={args.max_cpu}",
            "saturation_rps_without": base["saturation_rps"],
            "saturation_rps_with": sat["rps"],
            "saturation_ratio": sat["rps"] / base["saturation_rps"],
            "fixed_rate_sent": fixed["requests"],
            "fixed_rate_rps": fixed["rps"],
            "fixed_rate_captured": captured,
            "captured_ratio": captured / fixed["requests"],
            "nginx_cpu_us_per_request_without": base["nginx_cpu_per_request_us"],
            "nginx_cpu_us_per_request_with": with_agent_nginx_cpu,
            "nginx_cpu_ratio": with_agent_nginx_cpu / base["nginx_cpu_per_request_us"],
            "agent_cpu_s_per_100k_requests_fixed_rate": (agent_cpu2 - agent_cpu1) / fixed["requests"] * 1e5,
            "agent_cpu_s_per_100k_requests_saturation": agent_cpu_sat / sat["requests"] * 1e5,
            "agent_peak_rss_mb": rss_fixed,
            "agent_peak_rss_mb_after_saturation": rss,
            "kernel_dropped_events_total": dropped,
            "spans_built_total": spans,
            "exchanges_total": exchanges,
        }
    finally:
        server.stop()
        stop_process(rotel)
    targets = {
        "saturation_ratio": (">=", 0.85),
        "captured_ratio": (">=", 0.999),
        "nginx_cpu_ratio": ("<=", 1.3),
        "agent_cpu_s_per_100k_requests_fixed_rate": ("<=", 2.0),
        "agent_peak_rss_mb": ("<=", 100),
    }
    print(f"nginx + wrk, {args.duration}s per run, agent observing: {results['mode']}")
    for key, value in results.items():
        mark = ""
        if key in targets:
            op, limit = targets[key]
            ok = value >= limit if op == ">=" else value <= limit
            mark = f"   target {op} {limit}: {'met' if ok else 'MISSED'}"
        shown = f"{value:.4f}" if isinstance(value, float) else value
        print(f"  {key:45s} {shown}{mark}")
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    name = ("nginx-all" if args.all_processes else "nginx") + (f"-cpu{args.max_cpu}" if args.max_cpu else "") + ".json"
    (results_dir / name).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
