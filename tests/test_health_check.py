"""The ``health_check`` extension on the real agent: 200 while every pipeline runs, 503 with the reason when not."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request

from tests.harness import AgentProcess, free_port

CONFIG = """
receivers:
  otlp: {{protocols: {{grpc: {{endpoint: "127.0.0.1:0"}}}}}}
exporters:
  debug: {{}}
  file: {{path: {path}}}
  prometheus: {{endpoint: "127.0.0.1:{prometheus_port}"}}
extensions:
  health_check: {{endpoint: "127.0.0.1:{port}", path: /health/status}}
service:
  extensions: [health_check]
  pipelines:
    traces: {{receivers: [otlp], exporters: [debug]}}
    metrics: {{receivers: [otlp], exporters: [file, prometheus]}}
"""


def _check(port: int, path: str = "/health/status") -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        body = error.read()
        return error.code, json.loads(body) if error.headers.get("Content-Type") == "application/json" else body


def test_200_while_every_pipeline_runs(tmp_path):
    port = free_port()
    config = CONFIG.format(path=tmp_path / "out.jsonl", prometheus_port=free_port(), port=port)
    agent = AgentProcess(tmp_path, config)
    try:
        status, body = _check(port)
        assert status == 200, body
        assert body["status"] == "Server available" and body["upSince"].endswith("Z")
        assert body["pipelines"]["metrics"] == {
            "running": True,
            "components": {
                "receiver otlp": {"status": "ok"},
                "exporter file": {"status": "ok"},
                "exporter prometheus": {"status": "ok"},
            },
        }
        assert _check(port, "/")[0] == 404  # only the configured path answers
    finally:
        assert agent.stop() == 0, agent.log()


def test_503_naming_the_exporter_that_cannot_start_while_the_rest_runs(tmp_path):
    port = free_port()
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        config = CONFIG.format(
            # validate checks that the directory exists; procfs lets no file be created (ENOENT),
            # a failure only start can meet.
            path="/proc/out.jsonl",
            prometheus_port=taken.getsockname()[1],
            port=port,
        )
        agent = AgentProcess(tmp_path, config)
        try:
            status, body = _check(port)
            assert status == 503, body
            assert body["status"] == "Server not available"
            metrics = body["pipelines"]["metrics"]
            assert metrics["running"] is False
            assert metrics["components"]["exporter file"]["status"] == "permanent_error"
            assert "No such file or directory" in metrics["components"]["exporter file"]["error"]
            assert metrics["components"]["exporter prometheus"]["status"] == "permanent_error"
            assert "the port is already in use" in metrics["components"]["exporter prometheus"]["error"]
            # The other pipeline is not held hostage: it runs and says so.
            assert body["pipelines"]["traces"]["running"] is True
            assert "exporters/file cannot start" in agent.log()
        finally:
            assert agent.stop() == 0, agent.log()
    finally:
        taken.close()
