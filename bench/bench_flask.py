"""Benchmark: a Flask app under gunicorn (1 sync worker) at saturation, three ways.

  - plain;
  - SDK: the OpenTelemetry SDK in the worker (opentelemetry-instrumentation-flask, a
    BatchSpanProcessor and the OTLP/gRPC exporter, set up in gunicorn's post_fork hook as
    opentelemetry-python documents for pre-fork servers: bench/apps/otel_sdk_gunicorn.py),
    exporting spans and, unless --sdk-traces-only, the http.server.request.duration metric,
    as the agent does;
  - otel-ebpf: plain, with the agent observing the worker only (`filter.executables`), with
    the processors of config/default.yaml and both pipelines exporting OTLP/gRPC.
Every export goes to one rotel that discards what it gets.

wrk (1 thread, 4 connections, no delay) alternates GET /json and GET /users/<id>; the sync
worker answers `Connection: close`, so every request comes on a new connection.

Prints each throughput and the ratios otel-ebpf ÷ SDK (target >= 2.0) and otel-ebpf ÷ plain
(target >= 0.85). Run as root after `sh scripts/setup.sh --test --bench`, alone on the machine:
    .venv/bin/python bench/bench_flask.py [--duration 20] [--rounds 3] [--sdk-traces-only]
Results: bench/results/flask.json.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from common import (
    METRIC_INTERVAL_MS,
    Agent,
    Report,
    children,
    cpu_seconds,
    free_port,
    peak_rss_mb,
    rotating_script,
    start_rotel,
    wrk,
)

from tests.harness import stop_process, wait_port, wait_until

APPS = Path(__file__).resolve().parent / "apps"
CONNECTIONS = 4
PATHS = ["/json"] + [f"/users/{i}" for i in range(1, 21)]
MODES = ("plain", "sdk", "otel-ebpf")
# What opentelemetry-sdk and its OTLP exporter log when data does not leave or is dropped.
SDK_LOSS = re.compile(r"Failed to export|Transient error|Exception while exporting|Queue full, dropping")


class Gunicorn:
    """gunicorn serving apps/flask_app.py with one sync worker, optionally with the SDK's hook."""

    def __init__(self, tmp: Path, sdk: bool, otlp_port: int, sdk_metrics: bool):
        self.port = free_port()
        self.log = tmp / "gunicorn.log"
        self.log_offset = self.log.stat().st_size if self.log.exists() else 0
        gunicorn = Path(sys.executable).parent / "gunicorn"
        args = [str(gunicorn), "-w", "1", "-k", "sync", "-b", f"127.0.0.1:{self.port}", "--chdir", str(APPS)]
        env = dict(os.environ)
        if sdk:
            args += ["-c", str(APPS / "otel_sdk_gunicorn.py")]
            env.update(
                OTEL_EXPORTER_OTLP_ENDPOINT=f"http://127.0.0.1:{otlp_port}",
                OTEL_METRIC_EXPORT_INTERVAL=str(METRIC_INTERVAL_MS),
                OTEL_SEMCONV_STABILITY_OPT_IN="http",  # http.server.request.duration, as the agent
                BENCH_SDK_METRICS="1" if sdk_metrics else "0",
            )
        self.proc = subprocess.Popen(
            args + ["flask_app:app"],
            stdout=subprocess.DEVNULL,
            stderr=open(self.log, "ab"),  # noqa: SIM115 - the child holds it
            env=env,
        )
        wait_port(self.port, timeout=30)  # the master listens before it forks the worker
        if not wait_until(lambda: children(self.proc.pid), 30):
            raise RuntimeError(f"gunicorn started no worker: {self.log.read_text()}")
        self.worker = children(self.proc.pid)[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json", timeout=30) as resp:
            resp.read()  # the worker has imported the app

    @property
    def comm(self) -> str:
        return Path(f"/proc/{self.worker}/comm").read_text().strip()

    def stop(self) -> None:
        stop_process(self.proc)

    def export_errors(self) -> int:
        """Lines in which the SDK logged a failed export (a transient one included) or dropped spans
        (its BatchSpanProcessor's queue full) during this run."""
        with open(self.log, "rb") as f:
            f.seek(self.log_offset)
            text = f.read().decode(errors="replace")
        return len(SDK_LOSS.findall(text))


def run_mode(mode: str, args, tmp: Path, otlp_port: int) -> dict:
    server = Gunicorn(tmp, mode == "sdk", otlp_port, not args.sdk_traces_only)
    agent = None
    script = rotating_script(tmp, PATHS)
    url = f"http://127.0.0.1:{server.port}"
    try:
        if mode == "otel-ebpf":
            agent = Agent(tmp, otlp_port, [server.comm], max_cpu=args.max_cpu)
            agent.settle()
        wrk(url, 2, CONNECTIONS, script)  # warm-up (imports, first requests, the agent's first resources)
        if agent:
            before = agent.settle()
            count0 = agent.settled_duration_count({"process.pid": server.worker})
        cpu0 = cpu_seconds([server.worker])
        agent_cpu0 = agent.cpu() if agent else 0.0
        run = wrk(url, args.duration, CONNECTIONS, script)
        out = {"rps": run["rps"], "requests": run["requests"], "non2xx": run["non2xx"]}
        out["worker_cpu_us_per_request"] = (cpu_seconds([server.worker]) - cpu0) / run["requests"] * 1e6
        if agent:
            after = agent.settle()
            out["agent_cpu_s_per_100k_requests"] = (agent.cpu() - agent_cpu0) / run["requests"] * 1e5
            spans = agent.self_metric("otel_ebpf_exporter_sent_spans_total", after, exporter="otlp")
            spans -= agent.self_metric("otel_ebpf_exporter_sent_spans_total", before, exporter="otlp")
            out["spans_exported"] = int(spans)
            count = agent.settled_duration_count({"process.pid": server.worker})
            out["duration_count"] = count - count0
            out["agent_peak_rss_mb"] = peak_rss_mb(agent.pid)
            out["kernel_lost_events"] = int(
                sum(
                    v
                    for r, v in agent.by_label("otel_ebpf_ebpf_dropped_total", "reason", after).items()
                    if r in ("ringbuf_full", "program_skipped")
                )
            )
    finally:
        if agent:
            agent.stop()
        server.stop()
    out["export_errors_logged"] = server.export_errors()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run (default 20)")
    parser.add_argument("--rounds", type=int, default=1, help="runs of the three modes, interleaved (median kept)")
    parser.add_argument("--sdk-traces-only", action="store_true", help="the SDK exports spans only, no metrics")
    parser.add_argument(
        "--max-cpu", type=float, default=0.0, help="the agent's receivers.ebpf.max_cpu, cores (default 0: no limit)"
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="otel-ebpf-bench-flask-"))
    rotel, otlp_port = start_rotel(tmp)
    runs: dict[str, list[dict]] = {m: [] for m in MODES}
    try:
        for _ in range(args.rounds):
            for mode in MODES:
                runs[mode].append(run_mode(mode, args, tmp, otlp_port))
    finally:
        stop_process(rotel)

    rps = {m: statistics.median(r["rps"] for r in runs[m]) for m in MODES}
    sdk_what = "spans" if args.sdk_traces_only else "spans + metrics"
    report = Report(
        f"Flask under gunicorn (1 sync worker), wrk {CONNECTIONS} connections, {args.duration}s x {args.rounds}; "
        f"SDK exports {sdk_what}; agent max_cpu={args.max_cpu}"
    )
    for m in MODES:
        report.info(f"{m}.rps", rps[m])
        report.info(
            f"{m}.worker_cpu_us_per_request", statistics.median(r["worker_cpu_us_per_request"] for r in runs[m])
        )
    report.add("ratio.otel_ebpf_over_sdk", rps["otel-ebpf"] / rps["sdk"], (">=", 2.0))
    report.add("ratio.otel_ebpf_over_plain", rps["otel-ebpf"] / rps["plain"], (">=", 0.85))
    report.info("ratio.sdk_over_plain", rps["sdk"] / rps["plain"])
    last = runs["otel-ebpf"][-1]
    for key in ("agent_cpu_s_per_100k_requests", "kernel_lost_events", "agent_peak_rss_mb"):
        report.info(f"otel-ebpf.{key}", last[key])
    # wrk does not count the requests in flight when it stops (at most one per connection).
    report.info("otel-ebpf.spans_exported / wrk requests", f"{last['spans_exported']} / {last['requests']}")
    report.info("otel-ebpf.duration_count / wrk requests", f"{last['duration_count']} / {last['requests']}")
    # An SDK that could not reach rotel would be cheaper than one that exports.
    report.add("sdk.export_failures_or_drops_logged", sum(r["export_errors_logged"] for r in runs["sdk"]), ("==", 0))
    non2xx = sum(r["non2xx"] for m in MODES for r in runs[m])
    report.add("non_2xx_responses", non2xx, ("==", 0))
    report.print()
    path = report.write("flask.json", {"runs": runs, "duration_s": args.duration, "sdk_exports": sdk_what})
    print(f"  results: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
