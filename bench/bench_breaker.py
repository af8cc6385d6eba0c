"""Benchmark: what the breaker proxy adds in front of nginx, in latency and in CPU, on one core.

nginx answers a small JSON body (`{"ok":true,"items":[1,2,3]}`, two workers); the proxy
(otel_ebpf/breaker/proxy.py) runs in its own Python process pinned to CPU 1 (`taskset -c 1`);
wrk, and nginx, run pinned to CPU 0: the load side.  CPU 1 is the proxy's alone (an unpinned
nginx worker woken by the proxy tends to run on its CPU, and the proxy's p99 then measures
that sharing: 0.5-3 ms instead of ~0.1 ms).  So "direct" is wrk and nginx sharing CPU 0, a
reference for latency, not nginx's best throughput.  Each proxy variant is a fresh process:
  - allow_all: ``AllowAll``, the data path alone;
  - gate: ``BreakerGate`` as ``otel-ebpf breaker`` builds it (default settings, the semantic
    error judge, service "bench", no health source: every breaker stays closed), i.e. route
    matching, the board's decision and the settling of every outcome.  wrk cuts its in-flight
    requests when a run ends: the proxy settles them as failure "client", which the gate ignores.
    Skipped (and said so) when the gate cannot be built.

Two phases, each direct (wrk -> nginx) then through each proxy variant:
  (a) latency at low load: wrk -t1 -c1 --latency, p50 and p99, and what the proxy adds
      (target: p50 added <= 1 ms);
  (b) throughput at saturation: wrk -t1 -c32, requests/s (target: >= 3,000 through the proxy),
      the proxy's CPU-seconds per 100k requests (utime + stime from /proc/PID/stat) and its peak
      RSS (VmHWM) over its whole life.
Each run follows a 2 s warm-up on the same target.  Non-2xx answers or socket errors are reported.

    .venv/bin/python bench/bench_breaker.py [--duration 10] [--connections 32] [--no-gate]
Results: bench/results/breaker.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, Report, cpu_seconds, peak_rss_mb

from tests.harness import free_port, stop_process, wait_port

BODY = '{"ok":true,"items":[1,2,3]}'
PROXY_CPU, WRK_CPU, NGINX_CPU = "1", "0", "0"

NGINX_CONF = """
worker_processes 2;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:{port};
        location / { default_type application/json; return 200 '{body}'; }
    }
}
"""

# The proxy's process: builds the gate, prints its port (or why the gate failed), serves until
# its stdin closes, then prints its counters.
PROXY_MAIN = """
import argparse, json, sys
from otel_ebpf.breaker.proxy import AllowAll, BreakerProxy

backend, kind = sys.argv[1], sys.argv[2]
if kind == "gate":
    try:
        from otel_ebpf.breaker.board import BreakerBoard
        from otel_ebpf.breaker.gate import BreakerGate
        from otel_ebpf.breaker.matcher import RouteMatcher
        from otel_ebpf.breaker_cli import load_settings, make_judge

        args = argparse.Namespace(
            config=None, backend=backend, listen=None, status_url=None, service="bench", dry_run=None
        )
        settings, errors = load_settings(args)
        if errors:
            raise ValueError("; ".join(errors))
        gate = BreakerGate(
            BreakerBoard(settings), RouteMatcher(settings["route_patterns"]), "bench",
            make_judge(settings["semantic_errors"]),
        )
    except Exception as exc:
        print("NO-GATE", f"{type(exc).__name__}: {exc}", flush=True)
        raise SystemExit(0)
else:
    gate = AllowAll()
proxy = BreakerProxy("127.0.0.1:0", backend, gate)
proxy.start()
print(proxy.port, flush=True)
sys.stdin.read()
print(json.dumps(proxy.stats()), flush=True)
proxy.stop()
"""


class Nginx:
    def __init__(self, tmp: Path) -> None:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        self.port = free_port()
        conf = NGINX_CONF.replace("{tmp}", str(tmp)).replace("{port}", str(self.port)).replace("{body}", BODY)
        if os.geteuid() == 0:  # workers as root: the temp dir is not readable by nobody
            conf = "user root;\n" + conf
        (tmp / "nginx.conf").write_text(conf)
        self.proc = subprocess.Popen(
            ["taskset", "-c", NGINX_CPU, binary, "-c", str(tmp / "nginx.conf")], stderr=subprocess.PIPE
        )
        wait_port(self.port)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        stop_process(self.proc, signal.SIGQUIT)


class Proxy:
    """The proxy in its own process on CPU 1; ``reason`` says why it could not start (the gate)."""

    def __init__(self, backend: str, kind: str) -> None:
        self.kind = kind
        self.proc = subprocess.Popen(
            ["taskset", "-c", PROXY_CPU, sys.executable, "-c", PROXY_MAIN, backend, kind],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        first = self.proc.stdout.readline().strip()
        if not first:
            raise RuntimeError(f"the {kind} proxy did not start (exit status {self.proc.wait()})")
        self.reason = first.split(" ", 1)[1] if first.startswith("NO-GATE") else ""
        self.port = 0 if self.reason else int(first)
        self.url = f"http://127.0.0.1:{self.port}"
        self.stats: dict = {}

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            line = self.proc.stdout.readline()
            self.stats = json.loads(line) if line.strip() else {}
        stop_process(self.proc)


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(url: str, duration: float, connections: int, latency: bool = False) -> dict:
    """One wrk run on CPU 0: requests, requests/s, errors and (with ``latency``) percentiles in ms."""
    args = ["taskset", "-c", WRK_CPU, "wrk", "-t1", f"-c{connections}", f"-d{duration}s"]
    if latency:
        args.append("--latency")
    out = subprocess.run([*args, url + "/"], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    result = {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "",
    }
    for pct, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M):
        result[f"p{pct}_ms"] = float(value) * _UNITS[unit]
    return result


def measure(url: str, args, pid: int | None) -> dict:
    """Both phases against ``url``; with ``pid``, that process's CPU during the saturation run."""
    wrk(url, 2, 1)  # warm-up: connections, caches, the proxy's first allocations
    low = wrk(url, args.duration, 1, latency=True)
    wrk(url, 2, args.connections)
    cpu0 = cpu_seconds([pid]) if pid else 0.0
    sat = wrk(url, args.duration, args.connections)
    cpu = cpu_seconds([pid]) - cpu0 if pid else 0.0
    return {"low": low, "saturation": sat, "cpu_s": cpu}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections at saturation (default 32)")
    parser.add_argument("--no-gate", action="store_true", help="AllowAll only, not the breaker's gate")
    args = parser.parse_args()
    if os.cpu_count() < 2:
        print("bench_breaker: needs 2 CPUs (the proxy on one, wrk on the other)", file=sys.stderr)
        return 2

    tmp = Path(tempfile.mkdtemp(prefix="otel-ebpf-bench-breaker-"))
    nginx = Nginx(tmp)
    runs: dict[str, dict] = {}
    gate_note = "not run (--no-gate)" if args.no_gate else ""
    try:
        runs["direct"] = measure(nginx.url, args, None)
        for kind in ("allow_all", *(() if args.no_gate else ("gate",))):
            proxy = Proxy(nginx.url, kind)
            if proxy.reason:
                gate_note = f"not run: the gate could not be built ({proxy.reason})"
                proxy.stop()
                continue
            try:
                runs[kind] = measure(proxy.url, args, proxy.proc.pid)
                # taskset execs python: the pid is the proxy's.  VmHWM: its peak over the whole run.
                runs[kind]["peak_rss_mb"] = peak_rss_mb(proxy.proc.pid)
            finally:
                proxy.stop()
            runs[kind]["stats"] = proxy.stats
    finally:
        nginx.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    report = Report(
        f"breaker proxy in front of nginx (small JSON), proxy on CPU {PROXY_CPU}, wrk and nginx on CPU {WRK_CPU}, "
        f"{args.duration}s per run (see bench_breaker.py)"
    )
    direct = runs["direct"]
    report.info("direct.c1.p50_ms", direct["low"]["p50_ms"])
    report.info("direct.c1.p99_ms", direct["low"]["p99_ms"])
    report.info(f"direct.c{args.connections}.rps", direct["saturation"]["rps"])
    for kind in ("allow_all", "gate"):
        if kind not in runs:
            continue
        run = runs[kind]
        low, sat = run["low"], run["saturation"]
        report.info(f"{kind}.c1.p50_ms", low["p50_ms"])
        report.info(f"{kind}.c1.p99_ms", low["p99_ms"])
        report.add(f"{kind}.c1.p50_added_ms", low["p50_ms"] - direct["low"]["p50_ms"], ("<=", 1.0))
        report.info(f"{kind}.c1.p99_added_ms", low["p99_ms"] - direct["low"]["p99_ms"])
        report.add(f"{kind}.c{args.connections}.rps", sat["rps"], (">=", 3000))
        report.info(f"{kind}.c{args.connections}.rps_vs_direct", sat["rps"] / direct["saturation"]["rps"])
        report.info(f"{kind}.cpu_s_per_100k_requests", run["cpu_s"] / sat["requests"] * 1e5)
        report.info(f"{kind}.cpu_busy_at_saturation", run["cpu_s"] / args.duration)  # 1.0: its core is the limit
        report.info(f"{kind}.cpu_us_per_request", run["cpu_s"] / sat["requests"] * 1e6)
        report.info(f"{kind}.peak_rss_mb", run["peak_rss_mb"])
        stats = run["stats"]
        report.info(f"{kind}.backend_connections_opened", stats.get("backend_connections_opened", -1))
        # wrk's cut at the end of each run (4 runs): client_resets up to 4 x connections, expected.
        report.info(f"{kind}.client_resets (wrk's cut at the end of runs)", stats.get("client_resets", -1))
        ok = ("requests", "client_connections", "client_resets", "backend_connections_opened")
        failures = sum(v for k, v in stats.items() if k not in ok)
        report.add(f"{kind}.failures_and_refusals_counted", failures, ("==", 0))
    errors = {
        name: (run[phase]["non2xx"], run[phase]["socket_errors"])
        for name, run in runs.items()
        for phase in ("low", "saturation")
        if run[phase]["non2xx"] or run[phase]["socket_errors"]
    }
    report.add("wrk_errors", json.dumps(errors) if errors else "none", ("==", "none"), check=lambda _: not errors)
    if gate_note:
        report.info("gate", gate_note)
    report.print()
    path = report.write(
        "breaker.json",
        {"duration_s": args.duration, "connections": args.connections, "cpus": os.cpu_count(), "runs": runs},
    )
    print(f"  results: {path}")
    print(f"  (took {time.strftime('%M:%S', time.gmtime(time.monotonic() - START))})")
    return 0


START = time.monotonic()

if __name__ == "__main__":
    raise SystemExit(main())
