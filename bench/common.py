"""What bench_nginx.py and bench_flask.py share: wrk, rotel, the agent, its self-metrics, the report.

The agent runs with the processors of config/default.yaml (traces: semantic_errors, batch;
metrics: semantic_errors, health_score, batch), exporting both signals over OTLP/gRPC to a
rotel that discards them (`--exporter blackhole`), and its metrics also to a file, from
which the benches read `http.server.request.duration`. Its self-metrics (spans sent, events
dropped, exchanges shed) are scraped from its internal Prometheus endpoint
(`service.telemetry.metrics.address`), which answers at once instead of every export interval.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.harness import flatten_metrics, free_port, stop_process, wait_port  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
# Metric collections every 2 s, so that a phase's counts reach the file within seconds
# (the default is 60 s); one collection of this agent costs a few ms.
METRIC_INTERVAL_MS = 2000


# -- processes ------------------------------------------------------------------------------


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes, in seconds (0 for one that is gone)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / CLK_TCK


def children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the largest resident set the process had since it started."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


# -- wrk --------------------------------------------------------------------------------------


def wrk(url: str, duration: float, connections: int, script: Path | None = None, threads: int = 1) -> dict:
    """One wrk run: its request count, requests/s and non-2xx/3xx responses."""
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s"]
    if script:
        args += ["-s", str(script)]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "",
    }


def paced_script(tmp: Path, rate: float, paths: list[str] | None = None) -> Path:
    """A wrk script (one thread) that sends `rate` requests per second, whatever the latency.

    Each request reserves the next slot of a fixed schedule (monotonic clock, through LuaJIT's
    ffi) and waits for it: the rate does not depend on the response time, unlike a fixed
    `delay()` per connection. wrk truncates delays to whole milliseconds, so a request may
    leave up to 1 ms early; the schedule, not the request, keeps the rate.
    """
    path = tmp / f"paced-{int(rate)}.lua"
    path.write_text(
        PACED_LUA.replace("INTERVAL_MS", f"{1000.0 / rate:.6f}") + (rotating_paths_lua(paths) if paths else "")
    )
    return path


PACED_LUA = """
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk, bench_timespec *ts);
]]
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end
local interval = INTERVAL_MS
local slot = nil
function delay()
  local t = now_ms()
  if slot == nil then slot = t end
  slot = slot + interval
  local wait = slot - t
  if wait < 0 then return 0 end
  return wait
end
"""


def rotating_paths_lua(paths: list[str]) -> str:
    """A wrk `request()` that cycles through `paths` (one pre-formatted request each)."""
    quoted = ", ".join(json.dumps(p) for p in paths)
    return f"""
local paths = {{{quoted}}}
local requests = {{}}
local i = 0
function init(args)
  for k, p in ipairs(paths) do requests[k] = wrk.format("GET", p) end
end
function request()
  i = i % #requests + 1
  return requests[i]
end
"""


def rotating_script(tmp: Path, paths: list[str]) -> Path:
    path = tmp / "paths.lua"
    path.write_text(rotating_paths_lua(paths))
    return path


# -- rotel ------------------------------------------------------------------------------------


def start_rotel(tmp: Path) -> tuple[subprocess.Popen, int]:
    """rotel-agent receiving OTLP/gRPC (and OTLP/HTTP) on free ports and discarding what it gets."""
    import rotel

    binary = Path(rotel.__file__).parent / "rotel-agent"
    port, http_port = free_port(), free_port()
    proc = subprocess.Popen(
        [
            str(binary),
            "start",
            "--otlp-grpc-endpoint",
            f"127.0.0.1:{port}",
            "--otlp-http-endpoint",
            f"127.0.0.1:{http_port}",
            "--exporter",
            "blackhole",
            "--pid-file",
            str(tmp / "rotel.pid"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(tmp / "rotel.log", "wb"),  # noqa: SIM115 - the child holds it
    )
    wait_port(port)
    return proc, port


# -- the agent ----------------------------------------------------------------------------------

AGENT_CONFIG = """
receivers:
  ebpf:
    max_cpu: {max_cpu}
{filter}processors:
  semantic_errors: {{}}
  health_score:
    endpoint: 127.0.0.1:{health_port}
  batch:
    send_batch_size: 8192
    timeout: 200ms
exporters:
  otlp:
    endpoint: 127.0.0.1:{otlp_port}
    tls: {{insecure: true}}
  file:
    path: {metrics_file}
service:
  telemetry:
    metrics:
      address: 127.0.0.1:{internal_port}
  pipelines:
    traces:
      receivers: [ebpf]
      processors: [semantic_errors, batch]
      exporters: [otlp]
    metrics:
      receivers: [ebpf]
      processors: [semantic_errors, health_score, batch]
      exporters: [otlp, file]
"""


class Agent:
    """`otel-ebpf run` with the default processors, OTLP to rotel, metrics also to a file.

    Args:
        tmp: where its config, log and metrics file go.
        otlp_port: rotel's gRPC port.
        executables: `filter.executables` (None: every process).
        max_cpu: `receivers.ebpf.max_cpu` (0: no limit).
    """

    def __init__(
        self, tmp: Path, otlp_port: int, executables: list[str] | None, max_cpu: float = 0.0, capture_path: str = ""
    ):
        self.metrics_file = tmp / "agent-metrics.jsonl"
        self.internal_port = free_port()
        # The bench's own scrapes of the internal endpoint are telemetry: without this,
        # --all-processes would capture them, and the agent would never look settled.
        filt = f"    filter:\n      telemetry_ports: [4317, 4318, {self.internal_port}]\n"
        if executables:
            filt += f"      executables: {json.dumps(executables)}\n"
        config = AGENT_CONFIG.format(
            max_cpu=max_cpu,
            filter=filt,
            health_port=free_port(),
            otlp_port=otlp_port,
            metrics_file=self.metrics_file,
            internal_port=self.internal_port,
        )
        (tmp / "agent.yaml").write_text(config)
        self.log_path = tmp / "agent.log"
        env = dict(os.environ, OTEL_METRIC_EXPORT_INTERVAL=str(METRIC_INTERVAL_MS))
        if capture_path:  # receivers.ebpf.capture_path, through its environment variable
            env["OTEL_EBPF_CAPTURE_PATH"] = capture_path
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "otel_ebpf", "run", "--config", str(tmp / "agent.yaml")],
            stdout=open(self.log_path, "wb"),  # noqa: SIM115 - the child holds it
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 60
        while " running (config: " not in self.log_path.read_text(errors="replace"):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(self.log_path.read_text())
            time.sleep(0.2)
        self._file_offset = 0
        self._series: dict[tuple, int] = {}

    @property
    def pid(self) -> int:
        return self.proc.pid

    def cpu(self) -> float:
        return cpu_seconds([self.pid])

    def stop(self) -> None:
        stop_process(self.proc, signal.SIGTERM, timeout=30)

    # -- self-metrics, from the internal Prometheus endpoint --------------------------------

    def scrape(self) -> dict[tuple[str, tuple], float]:
        """{(name, sorted labels): value} of every self-metric, now."""
        import urllib.request

        url = f"http://127.0.0.1:{self.internal_port}/metrics"
        with urllib.request.urlopen(url, timeout=10) as resp:
            return parse_prometheus(resp.read().decode())

    def self_metric(self, name: str, samples: dict | None = None, **labels: str) -> float:
        """The sum of a self-metric over the series whose labels include `labels` (0 when absent)."""
        samples = self.scrape() if samples is None else samples
        want = set(labels.items())
        return sum(v for (n, lab), v in samples.items() if n == name and want <= set(lab))

    def by_label(self, name: str, label: str, samples: dict) -> dict[str, float]:
        out: dict[str, float] = {}
        for (n, lab), v in samples.items():
            if n == name:
                key = dict(lab).get(label, "")
                out[key] = out.get(key, 0) + v
        return out

    def settle(self, timeout: float = 60.0) -> dict:
        """Waits until the agent has exported what it captured; returns the self-metrics then.

        Settled: exchanges and spans sent did not move over 0.6 s, and no span
        waits in the traces pipeline's batch or in an exporter's queue.
        """
        # Not the events decoded: other processes' traffic (and, with every process observed,
        # these scrapes) keeps moving them without making exchanges.
        keys = ("otel_ebpf_http_exchanges_total", "otel_ebpf_exporter_sent_spans_total")
        deadline = time.monotonic() + timeout
        last = None
        while True:
            samples = self.scrape()
            now = tuple(self.self_metric(k, samples) for k in keys)
            queued = self.self_metric("otel_ebpf_exporter_queued_spans", samples) + self.self_metric(
                "otel_ebpf_processor_batch_queued_items", samples, pipeline="traces"
            )
            if now == last and queued == 0:
                return samples
            if time.monotonic() > deadline:
                raise TimeoutError(f"the agent did not settle: {now} then {last}, {queued} spans queued")
            last = now
            time.sleep(0.6)

    # -- http.server.request.duration, from the metrics file -------------------------------

    def duration_count(self, resource: dict) -> int:
        """The count of http.server.request.duration of the processes whose resource has the
        attributes `resource`, summed over its series, as of the last collection in the file."""
        if not self.metrics_file.exists():
            return 0
        with open(self.metrics_file, "rb") as f:
            f.seek(self._file_offset)
            data = f.read()
        end = data.rfind(b"\n") + 1
        self._file_offset += end
        for line in data[:end].splitlines():
            for p in flatten_metrics([json.loads(line)]):
                if p["name"] == "http.server.request.duration" and all(
                    str(p["resource"].get(k)) == str(v) for k, v in resource.items()
                ):
                    key = (p["resource"].get("process.pid"), tuple(sorted(p["attributes"].items())))
                    self._series[key] = int(p["point"]["count"])
        return sum(self._series.values())

    def settled_duration_count(self, resource: dict, timeout: float = 60.0) -> int:
        """The duration count once two successive collections agree (call after settle())."""
        deadline = time.monotonic() + timeout
        interval = METRIC_INTERVAL_MS / 1000
        last = self.duration_count(resource)
        while True:
            time.sleep(interval + 0.3)
            now = self.duration_count(resource)
            if now == last:
                return now
            if time.monotonic() > deadline:
                raise TimeoutError(f"http.server.request.duration count still moving: {last} -> {now}")
            last = now


_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)")
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_prometheus(text: str) -> dict[tuple[str, tuple], float]:
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if m:
            labels = tuple(sorted(_LABEL.findall(m.group(2) or "")))
            out[(m.group(1), labels)] = float(m.group(3))
    return out


# -- the report ---------------------------------------------------------------------------------


class Report:
    """Rows of (figure, value, target): printed aligned, each target `met` or `MISSED`."""

    def __init__(self, title: str):
        self.title = title
        self.rows: list[tuple[str, object, str]] = []
        self.results: dict[str, object] = {}
        self.missed: list[str] = []

    def add(self, key: str, value, target: tuple[str, float] | None = None, check: Callable | None = None) -> None:
        mark = ""
        if target is not None:
            op, limit = target
            if check is not None:
                ok = check(value)
            else:
                ok = value >= limit if op == ">=" else value <= limit if op == "<=" else abs(value - limit) < 1e-9
            mark = f"target {op} {limit}: {'met' if ok else 'MISSED'}"
            if not ok:
                self.missed.append(key)
            self.results[key + "_target"] = f"{op} {limit}"
            self.results[key + "_met"] = ok
        self.rows.append((key, value, mark))
        self.results[key] = value

    def info(self, key: str, value) -> None:
        self.add(key, value)

    def print(self) -> None:
        print(self.title)
        for key, value, mark in self.rows:
            shown = f"{value:.4f}" if isinstance(value, float) else str(value)
            print(f"  {key:52s} {shown:>14s}   {mark}")
        print(f"  {'targets missed':52s} {len(self.missed):>14d}   {', '.join(self.missed)}")

    def write(self, name: str, extra: dict | None = None) -> Path:
        results_dir = ROOT / "bench" / "results"
        results_dir.mkdir(exist_ok=True)
        path = results_dir / name
        body = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **(extra or {}), **self.results}
        path.write_text(json.dumps(body, indent=2) + "\n")
        return path
