"""Sidecar mode end to end: OTLP in from an SDK-instrumented app and from an eBPF agent, decisions out.

One sidecar (``otel-ebpf run`` with only the ``otlp`` receiver) receives spans from

* a Python app instrumented with the OpenTelemetry SDK (declined payments answer 402), and
* a second otel-ebpf process, the eBPF agent, watching another instance of the same shop
  service (declined payments are silent 200s, classified by the agent's semantic_errors).

The sidecar's own file exporter must show the forwarded spans of both, and health and SLO
metrics aggregated over both senders per (service, route).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from otel_ebpf.telemetry.resource import INSTANCE_ID_NAMESPACE
from tests.harness import ROOT, Agent, flatten_metrics, flatten_spans, free_port, require_bpf, stop_process, wait_port

pytestmark = pytest.mark.bpf

HERE = Path(__file__).resolve().parent
SIDECAR_CONFIG = """
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:{port}
processors:
  semantic_errors: {{}}
  health_score:
    interval: 1s
    window: 60s
    min_requests: 20
    endpoint: 127.0.0.1:{status}
  slo:
    state_file: {state}
    endpoint: 127.0.0.1:{status}
    evaluation_interval: 1s
    objectives:
      - {{name: checkout-availability, service: shop, route: /checkout, target: 99}}
exporters:
  file:
    path: {out}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [semantic_errors]
      exporters: [file]
    metrics:
      receivers: [otlp]
      processors: [semantic_errors, health_score, slo]
      exporters: [file]
"""


class Sidecar:
    def __init__(self, tmp: Path):
        self.port, self.status = free_port(), free_port()
        self.out = tmp / "sidecar-out.jsonl"
        config = tmp / "sidecar.yaml"
        config.write_text(
            SIDECAR_CONFIG.format(port=self.port, status=self.status, state=tmp / "slo.json", out=self.out)
        )
        self.log_path = tmp / "sidecar.log"
        self._log = open(self.log_path, "wb")
        env = dict(os.environ, OTEL_METRIC_EXPORT_INTERVAL="1000")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "otel_ebpf", "run", "--config", str(config)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 30
        while " running (config: " not in self.log_path.read_text():  # every component has started
            assert self.proc.poll() is None and time.monotonic() < deadline, self.log_path.read_text()
            time.sleep(0.1)

    def stop(self) -> int:
        stop_process(self.proc, signal.SIGTERM, timeout=15)
        self._log.close()
        return self.proc.returncode

    def requests(self) -> list[dict]:
        return [json.loads(line) for line in self.out.read_text().splitlines() if line.strip()]


def shop(port: int, fail: int, n: int) -> int:
    """Sends ``n`` checkouts with ``fail`` percent declined; returns how many were declined."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", f"/control?fail={fail}")
    conn.getresponse().read()
    declined = 0
    for _ in range(n):
        conn.request("POST", "/checkout", body=b"{}", headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        body = json.loads(response.read())
        declined += not body["success"]
    conn.close()
    return declined


def test_sdk_app_and_ebpf_agent_feed_one_sidecar(tmp_path):
    require_bpf()
    sidecar = Sidecar(tmp_path)
    sdk_port, ebpf_port = free_port(), free_port()
    sdk_app = subprocess.Popen(
        [sys.executable, str(HERE / "sdk_shop_app.py"), str(sdk_port), f"127.0.0.1:{sidecar.port}"], cwd=ROOT
    )
    plain_app = subprocess.Popen(
        [sys.executable, str(HERE / "shop_app.py"), str(ebpf_port)],
        env={"OTEL_SERVICE_NAME": "shop", "PATH": "/usr/bin:/bin"},
    )
    agent = None
    try:
        wait_port(sdk_port)
        wait_port(ebpf_port)
        agent = Agent(
            tmp_path,
            ports=[ebpf_port],
            otlp_endpoint=f"127.0.0.1:{sidecar.port}",
            processors=("semantic_errors", "batch"),
            extra_processors="  semantic_errors: {}\n",
        )
        sdk_declined = shop(sdk_port, 10, 200)
        ebpf_declined = shop(ebpf_port, 20, 300)
        stop_process(sdk_app, signal.SIGTERM)  # flushes its spans
        assert agent.stop() == 0, agent.log()  # flushes its spans
        agent = None
        time.sleep(2.5)  # one evaluation and one metric export in the sidecar
        with urllib.request.urlopen(f"http://127.0.0.1:{sidecar.status}/health?service=shop", timeout=5) as r:
            health = json.load(r)
    finally:
        if agent is not None:
            agent.stop()
        stop_process(sdk_app)
        stop_process(plain_app)
        code = sidecar.stop()
    assert code == 0, sidecar.log_path.read_text()
    requests = sidecar.requests()
    spans = [
        s
        for s in flatten_spans(requests)
        if s["kind"] == "SERVER"
        and s["resource"].get("service.name") == "shop"
        and s["attributes"]["url.path"] == "/checkout"
    ]
    by_sender = {}
    for s in spans:
        sender = "sdk" if s["resource"].get("service.instance.id") == "sdk-1" else "ebpf"
        by_sender[sender] = by_sender.get(sender, 0) + 1
    print(f"\nspans forwarded by the sidecar: {by_sender}; declined: sdk {sdk_declined}, ebpf {ebpf_declined}")
    assert by_sender == {"sdk": 200, "ebpf": 300}

    total, bad = 500, sdk_declined + ebpf_declined
    last = {}
    for p in flatten_metrics(requests):
        if p["attributes"].get("otel_ebpf.slo.name") == "checkout-availability" or p["name"].startswith(
            "otel_ebpf.health"
        ):
            last[
                (
                    p["name"],
                    p["attributes"].get("otel_ebpf.health.factor"),
                    p["attributes"].get("otel_ebpf.health.state"),
                )
            ] = p
    value = lambda p: float(p["point"].get("asDouble", p["point"].get("asInt", 0)))  # noqa: E731
    assert value(last[("otel_ebpf.slo.events.total", None, None)]) == total
    assert value(last[("otel_ebpf.slo.events.bad", None, None)]) == bad
    # Two senders of shop that name different instances: the sidecar's node speaks for the service.
    host = socket.gethostname()
    assert last[("otel_ebpf.slo.events.total", None, None)]["resource"] == {
        "service.name": "shop",
        "host.name": host,
        "service.instance.id": str(uuid.uuid5(INSTANCE_ID_NAMESPACE, f"{host}/shop")),
    }
    (endpoint,) = [e for e in health["endpoints"] if e["http.route"] == "/checkout"]
    expected_score = 100 - min(80.0, 4 * 100 * bad / total)  # every decline is a critical payment error
    print(
        f"sidecar health for shop POST /checkout: {endpoint['score']} ({endpoint['state']}), "
        f"{endpoint['requests']} requests; expected {expected_score:.2f} from {bad}/{total}"
    )
    assert endpoint["requests"] == total
    assert endpoint["score"] == pytest.approx(expected_score, abs=0.01)
    score_point = last[("otel_ebpf.health.score", None, None)]
    assert score_point["attributes"]["http.route"] == "/checkout"
    assert value(score_point) == pytest.approx(expected_score, abs=0.01)
