"""The ``ebpf`` receiver leaves telemetry alone by default: no feedback loop through a collector.

A collector on the node that receives the agent's own export in cleartext OTLP/HTTP would turn
each export into spans, exported in turn.  The receiver skips, by default, the agent and its
children, telemetry agents by executable name, and connections on the OTLP ports (4317, 4318)
and on the ports of the agent's own exporters.  The end to end test runs a real OTLP/HTTP
receiver (rotel) that gets the agent's export, next to a real application server: the
application's spans are exported, rotel's are not, unless ``exclude_telemetry: false``.
"""

from __future__ import annotations

import http.client
import shutil
import subprocess
import time

import pytest

from otel_ebpf.exporters.helper.otlp_settings import SignalSettings
from otel_ebpf.receivers.ebpf.config import TELEMETRY_EXECUTABLES
from otel_ebpf.receivers.ebpf.telemetry_exclusion import TelemetryExclusion
from otel_ebpf.receivers.helper.processes import ProcessResolver
from tests.conftest_rotel import rotel, rotel_factory  # noqa: F401 - fixtures
from tests.harness import AgentProcess, Server, require_bpf, stop_process


def test_exporter_endpoints_name_their_ports():
    assert SignalSettings("collector:4317", True).port == 4317
    assert SignalSettings("[::1]:14317", True).port == 14317
    assert SignalSettings("http://collector:4318/v1/traces", True).port == 4318
    assert SignalSettings("https://collector/v1/traces", False).port == 443
    assert SignalSettings("unix:///run/otel.sock", True).port is None


def test_telemetry_processes_and_ports_are_told_apart(tmp_path):
    """Real processes: a copy of sleep named otelcol, a child of this process, an unrelated one."""
    otelcol = tmp_path / "otelcol"
    shutil.copy(shutil.which("sleep"), otelcol)
    resolver = ProcessResolver()
    # Not a child of the "agent" (pid 1 plays it): only the executable name can exclude it.
    exclusion = TelemetryExclusion(TELEMETRY_EXECUTABLES, [4317, 4318], resolver.get, own_pid=1)
    procs = [subprocess.Popen([str(otelcol), "30"]), subprocess.Popen(["sleep", "30"])]
    try:
        # Popen returns once execve succeeded: /proc/PID/exe already names the new program.
        collector, other = procs
        assert exclusion.reason(collector.pid, "otelcol", 40000, 8080) == "executable"
        assert exclusion.reason(collector.pid, "tokio-runtime-w", 40000, 8080) == "executable"  # a thread's name
        assert exclusion.reason(other.pid, "sleep", 40000, 8080) is None
        assert exclusion.reason(other.pid, "sleep", 4318, 51000) == "port"
        assert exclusion.reason(other.pid, "sleep", 51000, 4317) == "port"
        assert exclusion.reason(other.pid, "splunk-otel-col", 40000, 8080) == "executable"  # cut to 15 by the kernel
        exclusion.add_ports([9999])
        assert exclusion.reason(other.pid, "sleep", 9999, 51000) == "port"
        # This process as the agent: itself and its children are excluded.
        own = TelemetryExclusion((), (), resolver.get)
        assert own.reason(other.pid, "sleep", 40000, 8080) == "agent"
        assert own.excluded == {"agent": 1, "executable": 0, "port": 0}
        assert exclusion.excluded == {"agent": 0, "executable": 3, "port": 3}
    finally:
        for p in procs:
            stop_process(p)


CONFIG = """
receivers:
  ebpf:
    filter:
      ports: [{app_port}, {rotel_port}]
      exclude_telemetry: {exclude}
processors:
  batch: {{timeout: 100ms}}
exporters:
  file:
    path: {out}
  otlp_http:
    endpoint: http://127.0.0.1:{rotel_port}
    compression: none
service:
  pipelines:
    traces: {{receivers: [ebpf], processors: [batch], exporters: [file, otlp_http]}}
"""


@pytest.mark.parametrize("exclude", [True, False], ids=["default", "included"])
def test_a_collector_receiving_the_agents_export_is_not_captured(tmp_path, rotel, exclude):  # noqa: F811
    require_bpf()
    app = Server("python", tmp_path)
    out = tmp_path / "out.jsonl"
    config = CONFIG.format(app_port=app.port, rotel_port=rotel.http_port, exclude=str(exclude).lower(), out=out)
    agent = AgentProcess(tmp_path, config, out=out)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", app.port, timeout=5)
        for i in range(20):
            conn.request("GET", f"/items/{i}")
            conn.getresponse().read()
        conn.close()
        # The agent exports the application's spans to rotel: rotel's server spans of those
        # exports would follow within a batch or two.
        assert rotel.wait_until(lambda r: len(r.spans()) >= 20, timeout_s=20)
        if exclude:
            time.sleep(2.0)  # several export rounds: any span of rotel's would have been exported by now
            spans = agent.spans()
        else:
            spans = agent.wait_for_spans(lambda s: s["attributes"].get("url.path") == "/v1/traces", 1)
            spans = agent.spans()
    finally:
        code = agent.stop()
        app.stop()
    assert code == 0, agent.log()
    by_path: dict[str, int] = {}
    for s in spans:
        if s["kind"] != "SERVER":
            continue  # the test's own client spans: its process is not a server
        path = s["attributes"].get("url.path", "")
        key = path if path.startswith("/v1/") else "application"
        by_path[key] = by_path.get(key, 0) + 1
    print(f"\nexclude_telemetry: {exclude}: spans exported by the agent {by_path}")
    assert by_path.get("application") == 20  # the application is still captured: the test can fail
    exported_by_rotel = [s for s in spans if s["attributes"].get("server.port") == rotel.http_port]
    if exclude:
        assert by_path.keys() == {"application"}, by_path
        assert not exported_by_rotel
        assert "telemetry excluded: the agent" in agent.log()
    else:
        assert by_path.get("/v1/traces", 0) >= 1, by_path
