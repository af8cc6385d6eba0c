"""Every configured pipeline is honoured, with real servers and a real OTLP/HTTP receiver.

Two ``ebpf`` receivers with different filters (one process by pid, every ``node`` by name) feed
two traces pipelines with different exporters (a file; ``otlphttp``, the alias most configs
use, to rotel's OTLP/HTTP endpoint): each destination gets exactly its service's spans.
"""

from __future__ import annotations

import http.client
import json
from pathlib import Path

import pytest

from tests.conftest_rotel import rotel, rotel_factory  # noqa: F401 - fixtures
from tests.harness import AgentProcess, Server, flatten_spans, require_bpf, wait_port

pytestmark = pytest.mark.bpf

PYTHON_REQUESTS = 40
NODE_REQUESTS = 30

CONFIG = """
receivers:
  ebpf/python:
    filter: {{pids: [{python_pid}]}}
  ebpf/node:
    filter: {{executables: [node]}}
processors:
  batch/fast: {{timeout: 100ms}}
exporters:
  file:
    path: {out}
  otlphttp/rotel:
    endpoint: http://127.0.0.1:{rotel_http}
    compression: none
service:
  pipelines:
    traces/python: {{receivers: [ebpf/python], processors: [batch/fast], exporters: [file]}}
    traces/node: {{receivers: [ebpf/node], processors: [batch/fast], exporters: [otlphttp/rotel]}}
"""


def _get(port: int, n: int, prefix: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    for i in range(n):
        conn.request("GET", f"/items/{prefix}{i}")
        response = conn.getresponse()
        response.read()
        assert response.status == 200
    conn.close()


def _file_spans(out: Path) -> list[dict]:
    if not out.exists():
        return []
    return flatten_spans([json.loads(line) for line in out.read_text().splitlines() if line.strip()])


def test_two_ebpf_receivers_feed_their_own_pipelines_and_destinations(tmp_path, rotel):  # noqa: F811
    require_bpf()
    wait_port(rotel.http_port)
    python = Server("python", tmp_path)
    node = Server("node", tmp_path)
    out = tmp_path / "python-spans.jsonl"
    agent = None
    try:
        config = CONFIG.format(python_pid=python.proc.pid, out=out, rotel_http=rotel.http_port)
        agent = AgentProcess(tmp_path, config, out=out)
        assert agent.log().count("capturing HTTP") == 2  # two receivers...
        _get(python.port, PYTHON_REQUESTS, "py")
        _get(node.port, NODE_REQUESTS, "node")
        rotel.wait_until(lambda r: len([s for s in r.spans() if s.kind == "SPAN_KIND_SERVER"]) >= NODE_REQUESTS)
        agent.wait_for_spans(lambda s: s["kind"] == "SERVER", PYTHON_REQUESTS)
    finally:
        code = agent.stop() if agent is not None else None
        python.stop()
        node.stop()
    assert code == 0, agent.log()

    # The file has exactly the python server's spans: its pid, its paths, every request once.
    in_file = _file_spans(out)
    assert {s["resource"]["process.pid"] for s in in_file} == {python.proc.pid}
    assert sorted(s["attributes"]["url.path"] for s in in_file if s["kind"] == "SERVER") == sorted(
        f"/items/py{i}" for i in range(PYTHON_REQUESTS)
    )
    assert len(in_file) == PYTHON_REQUESTS  # and nothing else: no client span, no node span

    # rotel (over OTLP/HTTP) has exactly node's: every request once, none of python's.
    at_rotel = rotel.spans()
    assert {s.resource.get("process.pid") for s in at_rotel} == {node.proc.pid}
    assert sorted(s.attributes["url.path"] for s in at_rotel) == sorted(f"/items/node{i}" for i in range(NODE_REQUESTS))
    # ...through one kernel program for both receivers, filtering nothing it could not (the two
    # filters are on different dimensions): the receivers' own filters did the rest, exactly.
    programs = [line for line in agent.log().splitlines() if "kernel HTTP capture: one program for" in line]
    assert len(programs) == 1 and "ebpf/python, ebpf/node" in programs[0], agent.log()
    assert "kernel filter: every process" in programs[0]
