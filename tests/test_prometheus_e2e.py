"""A real Prometheus scrapes the ``prometheus`` exporter: counts are exact, exemplars lead to spans.

Debian's Prometheus, with exemplar storage on, scrapes the agent every second while a real
server answers requests; some fail (a 500, and silent 200 failures that ``semantic_errors``
types), and their exemplars must name spans the traces pipeline exported.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from tests.harness import IN_CI, AgentProcess, Server, free_port, require_bpf, stop_process, wait_port

pytestmark = pytest.mark.bpf

REQUESTS = (("/items/{n}", 60, 200), ("/fail", 10, 500), ("/checkout", 10, 200))

AGENT = """
receivers:
  ebpf:
    filter: {{ports: [{port}]}}
processors:
  semantic_errors: {{}}
  batch: {{timeout: 100ms}}
exporters:
  file:
    path: {out}
  prometheus:
    endpoint: 127.0.0.1:{metrics_port}
service:
  pipelines:
    traces: {{receivers: [ebpf], processors: [semantic_errors, batch], exporters: [file]}}
    metrics: {{receivers: [ebpf], processors: [semantic_errors], exporters: [prometheus]}}
"""

PROMETHEUS = """
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: otel-ebpf
    honor_labels: true  # job and instance come from the observed service's resource
    static_configs:
      - targets: ["127.0.0.1:{metrics_port}"]
"""


def _prometheus() -> str:
    path = shutil.which("prometheus")
    if path is None:
        if IN_CI:
            pytest.fail("prometheus is missing under CI=true (scripts/setup.sh --test installs it)")
        pytest.skip("Debian's prometheus is not installed")
    return path


def _query(api: str, path: str, **params) -> dict:
    url = f"{api}{path}?{urllib.parse.urlencode(params)}"
    with urllib.request.urlopen(url, timeout=5) as response:
        body = json.load(response)
    assert body["status"] == "success", body
    return body["data"]


def _send(port: int) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    sent = 0
    for path, count, status in REQUESTS:
        for n in range(count):
            conn.request("GET", path.format(n=n))
            response = conn.getresponse()
            response.read()
            assert response.status == status
            sent += 1
    conn.close()
    return sent


def test_prometheus_counts_every_request_and_its_exemplars_point_at_exported_spans(tmp_path):
    require_bpf()
    binary = _prometheus()
    server = Server("python", tmp_path)
    metrics_port, api_port = free_port(), free_port()
    out = tmp_path / "spans.jsonl"
    (tmp_path / "prometheus.yml").write_text(PROMETHEUS.format(metrics_port=metrics_port))
    prometheus = subprocess.Popen(
        [
            binary,
            f"--config.file={tmp_path / 'prometheus.yml'}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{api_port}",
            "--enable-feature=exemplar-storage",
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "prometheus.log", "wb"),  # noqa: SIM115 - the child owns it
    )
    api = f"http://127.0.0.1:{api_port}/api/v1"
    agent = None
    try:
        wait_port(api_port, timeout=30)
        agent = AgentProcess(tmp_path, AGENT.format(port=server.port, out=out, metrics_port=metrics_port), out=out)
        started = time.time()
        sent = _send(server.port)
        # The agent exports every second, Prometheus scrapes every second: wait for the last count.
        deadline = time.monotonic() + 30
        counted = None
        while time.monotonic() < deadline:
            result = _query(api, "/query", query="sum(http_server_request_duration_seconds_count)")["result"]
            counted = int(float(result[0]["value"][1])) if result else None
            if counted == sent:
                break
            time.sleep(0.5)
        assert counted == sent, (counted, sent)
        by_status = {
            r["metric"]["http_response_status_code"]: int(float(r["value"][1]))
            for r in _query(
                api, "/query", query="sum by (http_response_status_code) (http_server_request_duration_seconds_count)"
            )["result"]
        }
        assert by_status == {"200": 70, "500": 10}, by_status
        exemplars = []
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and len(exemplars) < 2:
            data = _query(
                api,
                "/query_exemplars",
                query="http_server_request_duration_seconds_bucket",
                start=f"{started - 60:.3f}",
                end=f"{time.time() + 60:.3f}",
            )
            exemplars = [e for series in data for e in series["exemplars"]]
            time.sleep(0.5)
    finally:
        code = agent.stop() if agent is not None else None
        stop_process(prometheus)
        server.stop()
    assert code == 0, agent.log()
    spans = agent.spans()
    exported = {(s["traceId"], s["spanId"]) for s in spans}
    linked = {(e["labels"]["trace_id"], e["labels"]["span_id"]) for e in exemplars}
    print(f"\n{counted} of {sent} requests counted by Prometheus; {len(linked)} exemplars, all in {len(spans)} spans")
    assert len(linked) >= 2  # the failures: a 500 and a silent failure are in different buckets or series
    assert linked <= exported, linked - exported
    # Every exemplar is a failure's: the 500s and the silent 200s that semantic_errors typed.
    failures = {
        (s["traceId"], s["spanId"])
        for s in spans
        if s["attributes"].get("url.path") in ("/fail", "/checkout") and s["kind"] == "SERVER"
    }
    assert linked <= failures
    assert os.path.getsize(out) > 0
