"""End to end through the kernel: a real server, the real BPF capture, the real agent.

A server answers silent 200 failures (plain, and gzip inside chunked framing), typed 4xx
and 5xx; the agent runs with the ``semantic_errors`` processor and writes OTLP JSON.  The
server spans must carry the otel_ebpf.error.* attributes and the right status, and the
business error counter must count every request.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.harness import Agent, free_port, stop_process, wait_port

pytestmark = pytest.mark.bpf

APP = Path(__file__).resolve().parent / "app_errors.py"

# path -> (status, kind, type, severity, span status)
EXPECTED = {
    "/pay": (200, "business", "payment", "critical", "ERROR"),
    "/pay-chunked-gzip": (200, "business", "auth_failure", "high", "ERROR"),
    "/slack": (200, "business", "rate_limit", "high", "ERROR"),
    "/graphql": (200, "business", "auth_failure", "high", "ERROR"),
    "/ok": (200, None, None, None, "UNSET"),
    "/limited": (429, "business", "rate_limit", "high", "UNSET"),
    "/overdrawn": (400, "business", "payment", "critical", "UNSET"),
    "/missing": (404, "business", "not_found", "low", "UNSET"),
    "/broken": (500, "system", "server_error", "high", "ERROR"),
}
REPEAT = 3


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from tests.harness import require_bpf

    require_bpf()
    tmp = tmp_path_factory.mktemp("semantic_e2e")
    port = free_port()
    server = subprocess.Popen([sys.executable, str(APP), str(port)], stderr=subprocess.PIPE)
    agent = None
    try:
        wait_port(port)
        agent = Agent(
            tmp, ports=[port], processors=("semantic_errors", "batch"), extra_processors="  semantic_errors:\n"
        )
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        for _ in range(REPEAT):
            for path in EXPECTED:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                assert response.status == EXPECTED[path][0]
        conn.close()
        # The test process is an observed client of the same port: its CLIENT spans count too.
        ours = (server.pid, os.getpid())
        spans = agent.wait_for_spans(
            lambda s: s["attributes"].get("server.port") == port and s["resource"].get("process.pid") in ours,
            2 * REPEAT * len(EXPECTED),
            timeout=30,
        )
        time.sleep(2.5)  # at least one metric export (every second in the harness) after the last request
        metrics = [p for p in agent.metrics() if p["name"] == "otel_ebpf.http.business_errors"]
        yield server.pid, spans, metrics
    finally:
        if agent is not None:
            assert agent.stop() == 0, agent.log()
        stop_process(server)


@pytest.mark.parametrize("kind", ["SERVER", "CLIENT"])
def test_spans_carry_the_classification(run, kind):
    _, spans, _ = run
    spans = [s for s in spans if s["kind"] == kind]
    assert len(spans) == REPEAT * len(EXPECTED)
    for span in spans:
        a = span["attributes"]
        path = a["url.path"] if kind == "SERVER" else "/" + a["url.full"].split("/", 3)[3]
        status, error_kind, type_name, severity, span_status = EXPECTED[path]
        assert a["http.response.status_code"] == status
        assert a.get("otel_ebpf.error.kind") == error_kind, (path, a)
        assert a.get("otel_ebpf.error.type") == type_name, (path, a)
        assert a.get("otel_ebpf.error.severity") == severity, (path, a)
        if kind == "CLIENT" and 400 <= status < 500:
            span_status = "ERROR"  # semconv: 4xx is an error on the client side
        assert span["status_code"] == span_status, (path, span["status"])
        if status == 200 and error_kind:
            assert a["error.type"] == type_name
            assert span["status"]["message"].startswith(f"business error: {type_name}")
        elif status >= 500 or (kind == "CLIENT" and status >= 400):
            assert a["error.type"] == str(status)  # semconv: the status code
        else:
            assert "error.type" not in a


def test_business_error_counter_counts_every_request(run):
    server_pid, _, metrics = run
    server: dict[tuple, int] = {}
    client: dict[tuple, int] = {}
    for point in metrics:  # cumulative: the latest (largest) value of each series
        a = point["attributes"]
        assert a["http.request.method"] == "GET"
        key = (a.get("http.route"), a["otel_ebpf.error.type"], a["otel_ebpf.error.severity"], a["otel_ebpf.error.kind"])
        pid = point["resource"]["process.pid"]
        if pid not in (server_pid, os.getpid()):
            continue  # another test's processes (only ours are checked)
        side = server if pid == server_pid else client
        side[key] = max(side.get(key, 0), int(point["point"]["asInt"]))
    expected_server = {
        (path, type_name, severity, kind): REPEAT
        for path, (_, kind, type_name, severity, _) in EXPECTED.items()
        if kind
    }
    assert server == expected_server
    # Client exchanges have no route: one series per type, summed over the paths.
    expected_client: dict[tuple, int] = {}
    for _, kind, type_name, severity, _ in EXPECTED.values():
        if kind:
            key = (None, type_name, severity, kind)
            expected_client[key] = expected_client.get(key, 0) + REPEAT
    assert client == expected_client
