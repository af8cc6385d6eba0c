"""Helpers for the integration tests: real servers, the real agent, and reading its output."""

from __future__ import annotations

import base64
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = Path(__file__).resolve().parent / "apps"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def bpf_unavailable_reason() -> str | None:
    """Why real BPF tests cannot run here, or None when they can."""
    if os.geteuid() != 0:
        return "needs root to load BPF programs"
    try:
        import bcc  # noqa: F401
    except ImportError:
        return "bcc is not importable (install python3-bpfcc; run `sh scripts/setup.sh --test`)"
    return None


def require_bpf() -> None:
    """Skips the calling test when BPF cannot run, except under CI=true, where that is a failure."""
    reason = bpf_unavailable_reason()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"BPF test cannot run under CI=true: {reason}")
    pytest.skip(reason)


def require_binary(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    if IN_CI:
        pytest.fail(f"{name} is missing under CI=true (scripts/setup.sh --test installs it)")
    pytest.skip(f"{name} is not installed")


# Running a command as an ordinary user, as docs/reference.md §5.3 describes it.
AS_NOBODY = ["setpriv", "--reuid", "nobody", "--regid", "nogroup", "--clear-groups"]


_NOBODY_MAY_RUN: list[bool] = []


def require_nobody_may_run_the_agent() -> None:
    """The tests that run the agent as nobody need the clone and its venv readable by other users;
    a clone under /root (mode 0700) is not: say so, instead of a failure deep in the test."""
    if not _NOBODY_MAY_RUN:
        package = Path(__file__).resolve().parents[1] / "otel_ebpf" / "__init__.py"
        probe = subprocess.run([*AS_NOBODY, "test", "-x", sys.executable, "-a", "-r", str(package)], check=False)
        _NOBODY_MAY_RUN.append(probe.returncode == 0)
    if not _NOBODY_MAY_RUN[0]:
        reason = (
            "user nobody cannot run this clone's Python: clone the repository where other users can read it"
            " (e.g. /opt/otel-ebpf, not under /root); scripts/setup.sh --test checks it"
        )
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)


def ambient_as_nobody(caps: str) -> list[str]:
    """capsh as user nobody with ``caps`` ambient (the recipe of docs/reference.md §5.3); a shell command follows."""
    require_nobody_may_run_the_agent()
    return [
        "capsh",
        f"--caps=cap_setpcap,cap_setuid,cap_setgid+ep {caps}+eip",
        "--keep=1",
        "--user=nobody",
        f"--addamb={caps}",
        "--",
        "-c",
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# How much slower this machine runs than the one the tests' timeouts were set on: the VM tier
# (tests/test_vm_kernels.py) runs them in qemu's software emulation, where clang takes 10-20x as
# long.  Every wait below (and AgentProcess's start) is stretched by it; no assertion on a duration is.
SLOWDOWN = float(os.environ.get("OTEL_EBPF_TEST_SLOWDOWN", "1"))


def wait_until(predicate, timeout_s: float = 5.0) -> bool:
    """Polls ``predicate`` until it holds (True) or ``timeout_s`` passes (False)."""
    deadline = time.monotonic() + timeout_s * SLOWDOWN
    while not predicate():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)
    return True


def wait_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout * SLOWDOWN
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


def stop_process(proc: subprocess.Popen, sig=signal.SIGTERM, timeout: float = 10.0) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def build_go_server(tmp: Path) -> Path:
    """tests/apps/go_server built with the machine's Go (a skip outside CI without one)."""
    go = require_binary("go")
    exe = tmp / "go_server"
    if not exe.exists():
        subprocess.run([go, "build", "-o", str(exe), "."], cwd=APPS / "go_server", check=True, capture_output=True)
    return exe


class Server:
    """A real HTTP server process on a loopback port.

    Args:
        port: The port (0: a free one).
        tls: (certificate, key) PEM files: serve HTTPS (kinds python, nginx, node, go).
    """

    def __init__(
        self,
        kind: str,
        tmp: Path,
        upstream_port: int = 0,
        env: dict | None = None,
        access_log: bool = False,
        port: int = 0,
        tls: tuple[Path, Path] | None = None,
    ):
        self.kind = kind
        self.port = port or free_port()
        penv = dict(os.environ, **(env or {}))
        if tls:
            penv.update(TLS_CERT=str(tls[0]), TLS_KEY=str(tls[1]))
        if kind == "go":
            if not tls:
                raise ValueError("the Go server serves HTTPS only")
            args = [str(build_go_server(tmp)), str(self.port), str(tls[0]), str(tls[1])]
            self.exe = "go_server"
        elif kind == "python":
            args = [sys.executable, str(APPS / "pyserver.py"), str(self.port)]
            if upstream_port:
                args.append(str(upstream_port))
            self.exe = Path(sys.executable).resolve().name
        elif kind == "node":
            args = [require_binary("node"), str(APPS / "node_server.js"), str(self.port)]
            self.exe = "node"
        elif kind == "nginx":
            nginx = require_binary("nginx") if shutil.which("nginx") else "/usr/sbin/nginx"
            if not os.path.exists(nginx):
                require_binary("nginx")
            conf = (
                (APPS / "nginx.conf.template").read_text().replace("{tmp}", str(tmp)).replace("{port}", str(self.port))
            )
            if access_log:  # one line per request served: what exact counts are checked against
                conf = conf.replace("access_log off;", f"access_log {tmp}/access.log;")
            if tls:
                listen = f"listen 127.0.0.1:{self.port};"
                conf = conf.replace(
                    listen,
                    f"{listen[:-1]} ssl; ssl_protocols TLSv1.2 TLSv1.3;"
                    f" ssl_certificate {tls[0]}; ssl_certificate_key {tls[1]};",
                )
            (tmp / "static").mkdir(exist_ok=True)
            (tmp / "static" / "big.bin").write_bytes(random.Random(64).randbytes(64 * 1024))  # the same every run
            (tmp / "nginx.conf").write_text(conf)
            args = [nginx, "-c", str(tmp / "nginx.conf")]
            self.exe = "nginx"
        else:
            raise ValueError(kind)
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=penv)
        try:
            wait_port(self.port)
        except TimeoutError:
            stop_process(self.proc)
            raise RuntimeError(f"{kind} did not start: {self.proc.stderr.read().decode(errors='replace')}") from None

    def stop(self) -> None:
        stop_process(self.proc, signal.SIGQUIT if self.kind == "nginx" else signal.SIGTERM)


# The end of an agent config whose `ebpf` receiver the caller writes: both pipelines through a
# 100 ms batch to the `file` exporter ({out}), which AgentProcess reads.
EBPF_TO_FILE = """processors:
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


AGENT_CONFIG = """
receivers:
  ebpf:
    capture_bytes: {capture_bytes}
    filter:
      ports: {ports}
{extra_receiver}
processors:
  batch:
    timeout: 100ms
{extra_processors}
exporters:
  file:
    path: {out}
{extra_exporters}
service:
  pipelines:
    traces:
      receivers: [ebpf]
      processors: [{traces_processors}]
      exporters: [{exporters}]
    metrics:
      receivers: [{metrics_receivers}]
      processors: [{processors}]
      exporters: [{exporters}]
"""


def traces_processors(processors) -> list[str]:
    """The processors of a list that a traces pipeline can hold (health_score, slo... are metrics-only)."""
    from otel_ebpf.components import registry

    types = registry(with_plugins=False)
    return [p for p in processors if "traces" in types.of_id("processors", p).signals]


class AgentProcess:
    """The real agent (``python -m otel_ebpf run --config FILE``) as a subprocess, started and ready.

    Args:
        tmp: Where its config, log and output go.
        config: The configuration text.
        out: The file its ``file`` exporter writes (what :meth:`requests` reads), if any.
        env: Added to the environment (``OTEL_METRIC_EXPORT_INTERVAL`` is 1 s unless given).
        name: File name prefix, for several agents in one test.
        verbose: ``-v``: debug logging, so that a config logging at ``warn`` still says when it is ready.
    """

    def __init__(
        self,
        tmp: Path,
        config: str | None,
        out: Path | None = None,
        env: dict | None = None,
        name: str = "agent",
        verbose: bool = False,
    ):
        self.out = out if out is not None else tmp / f"{name}-out.jsonl"
        args = ["-v"] if verbose else []
        if config is not None:
            self.config_path = tmp / f"{name}.yaml"
            self.config_path.write_text(config)
            args += ["--config", str(self.config_path)]
        self.log_path = tmp / f"{name}.log"
        penv = dict(os.environ, OTEL_METRIC_EXPORT_INTERVAL="1000")
        penv.update(env or {})
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed by stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "otel_ebpf", "run", *args],  # -v after the command: its own option
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=penv,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60 * SLOWDOWN
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self._log.close()
                raise RuntimeError(f"agent exited with {self.proc.returncode}:\n{self.log()}")
            if " running (config: " in self.log():  # every component has started
                return
            time.sleep(0.1)
        self.stop()  # never leave an agent behind
        raise TimeoutError(f"agent did not start:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> int:
        stop_process(self.proc, signal.SIGTERM, timeout=15 * SLOWDOWN)
        self._log.close()
        return self.proc.returncode

    def requests(self) -> list[dict]:
        if not self.out.exists():
            return []
        # JSON Lines end at "\n" only: str.splitlines would also cut a line inside a string at
        # U+0085 or U+2028, which JSON leaves unescaped (a captured binary body holds them).  What
        # follows the last "\n" is a line still being written.
        lines = self.out.read_text().split("\n")[:-1]
        return [json.loads(line) for line in lines if line.strip()]

    def spans(self) -> list[dict]:
        return flatten_spans(self.requests())

    def metrics(self) -> list[dict]:
        return flatten_metrics(self.requests())

    def self_metrics(self) -> dict[tuple[str, tuple], float]:
        """The latest value of every self-metric point (``otel_ebpf.*``), by (name, sorted attributes)."""
        latest: dict[tuple[str, tuple], float] = {}
        for p in self.metrics():
            if p["name"].startswith("otel_ebpf."):
                point = p["point"]
                value = point.get("asInt", point.get("asDouble", 0))
                latest[(p["name"], tuple(sorted(p["attributes"].items())))] = float(value)
        return latest

    def wait_for_spans(self, predicate, count: int, timeout: float = 20.0) -> list[dict]:
        deadline = time.monotonic() + timeout * SLOWDOWN
        found = []
        while time.monotonic() < deadline:
            found = [s for s in self.spans() if predicate(s)]
            if len(found) >= count:
                time.sleep(0.3)  # let stragglers arrive so over-counting is caught too
                return [s for s in self.spans() if predicate(s)]
            time.sleep(0.2)
        return found


class Agent(AgentProcess):
    """The agent with the tests' usual configuration: ``ebpf`` on some ports, OTLP JSON lines to a file."""

    def __init__(
        self,
        tmp: Path,
        ports: list[int],
        otlp_endpoint: str | None = None,
        processors=("batch",),
        extra_processors: str = "",
        env: dict | None = None,
        extra_receiver: str = "",
        metrics_receivers: str = "ebpf",
        capture_bytes: int = 1024,
    ):
        out = tmp / "agent-out.jsonl"
        exporters = ["file"]
        extra_exporters = ""
        if otlp_endpoint:
            exporters.append("otlp")
            extra_exporters = f"  otlp:\n    endpoint: {otlp_endpoint}\n    tls:\n      insecure: true\n"
        config = AGENT_CONFIG.format(
            capture_bytes=capture_bytes,
            ports=json.dumps(ports),
            out=out,
            processors=", ".join(processors),
            traces_processors=", ".join(traces_processors(processors)),
            exporters=", ".join(exporters),
            extra_exporters=extra_exporters,
            extra_processors=extra_processors,
            extra_receiver=extra_receiver,
            metrics_receivers=metrics_receivers,
        )
        super().__init__(tmp, config, out=out, env=env)


def _value(any_value: dict):
    if "stringValue" in any_value:
        return any_value["stringValue"]
    if "intValue" in any_value:
        return int(any_value["intValue"])
    if "doubleValue" in any_value:
        return float(any_value["doubleValue"])
    if "boolValue" in any_value:
        return any_value["boolValue"]
    if "arrayValue" in any_value:
        return [_value(v) for v in any_value["arrayValue"].get("values", [])]
    return None


def attrs(items: list[dict]) -> dict:
    return {kv["key"]: _value(kv.get("value", {})) for kv in items or []}


def hex_id(value: str) -> str:
    """OTLP JSON ids are hex (the spec and the Collector); accept base64 from other writers too."""
    if not value or re.fullmatch(r"[0-9a-f]{16}|[0-9a-f]{32}", value):
        return value or ""
    return base64.b64decode(value).hex()


# OTLP JSON writes enums as integers; the tests read names.
SPAN_KINDS = {
    1: "INTERNAL",
    2: "SERVER",
    3: "CLIENT",
    4: "PRODUCER",
    5: "CONSUMER",
    "SPAN_KIND_SERVER": "SERVER",
    "SPAN_KIND_CLIENT": "CLIENT",
}
STATUS_CODES = {
    0: "UNSET",
    1: "OK",
    2: "ERROR",
    "STATUS_CODE_UNSET": "UNSET",
    "STATUS_CODE_OK": "OK",
    "STATUS_CODE_ERROR": "ERROR",
}


def flatten_spans(requests: list[dict]) -> list[dict]:
    """Spans from OTLP JSON requests, each with `attributes` and `resource` as plain dicts."""
    spans = []
    for req in requests:
        for rs in req.get("resourceSpans", []):
            resource = attrs(rs.get("resource", {}).get("attributes"))
            for ss in rs.get("scopeSpans", []):
                for span in ss.get("spans", []):
                    span = dict(span)
                    span["attributes"] = attrs(span.get("attributes"))
                    span["resource"] = resource
                    span["traceId"] = hex_id(span.get("traceId", ""))
                    span["spanId"] = hex_id(span.get("spanId", ""))
                    span["parentSpanId"] = hex_id(span.get("parentSpanId", ""))
                    span["kind"] = SPAN_KINDS.get(span.get("kind"), span.get("kind"))
                    span["status_code"] = STATUS_CODES.get(span.get("status", {}).get("code", 0))
                    span["duration_s"] = (int(span["endTimeUnixNano"]) - int(span["startTimeUnixNano"])) / 1e9
                    spans.append(span)
    return spans


def flatten_metrics(requests: list[dict]) -> list[dict]:
    """Data points from OTLP JSON requests: {name, resource, attributes, point, kind}."""
    points = []
    for req in requests:
        for rm in req.get("resourceMetrics", []):
            resource = attrs(rm.get("resource", {}).get("attributes"))
            for sm in rm.get("scopeMetrics", []):
                for metric in sm.get("metrics", []):
                    for kind in ("histogram", "sum", "gauge"):
                        if kind in metric:
                            for dp in metric[kind].get("dataPoints", []):
                                points.append(
                                    {
                                        "name": metric["name"],
                                        "resource": resource,
                                        "kind": kind,
                                        "attributes": attrs(dp.get("attributes")),
                                        "point": dp,
                                    }
                                )
    return points
