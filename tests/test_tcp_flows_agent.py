"""The tcp_flows receiver inside the running agent: flow metrics reach the exporter next to HTTP."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time

import pytest

from tests.harness import ROOT, Agent, free_port, require_bpf, stop_process, wait_port

pytestmark = pytest.mark.bpf


def test_agent_exports_tcp_flow_metrics_with_http(tmp_path):
    require_bpf()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "decisions" / "shop_app.py"), str(port)],
        env={"OTEL_SERVICE_NAME": "shop", "PATH": "/usr/bin:/bin"},
    )
    agent = None
    try:
        wait_port(port)
        agent = Agent(
            tmp_path,
            ports=[port],
            extra_receiver="  tcp_flows:\n    pin: false\n",
            metrics_receivers="ebpf, tcp_flows",
        )
        sent = 0
        for _ in range(3):  # three connections, 20 requests each
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            for _ in range(20):
                body = b'{"cart": 1}'
                conn.request("POST", "/checkout", body=body, headers={"Content-Type": "application/json"})
                conn.getresponse().read()
                sent += 1
            conn.close()
        time.sleep(2.5)
    finally:
        code = agent.stop() if agent is not None else 0
        stop_process(server)
    assert code == 0, agent.log()
    points = agent.metrics()
    server_conns = [
        p
        for p in points
        if p["name"] == "otel_ebpf.tcp.connections"
        and p["attributes"].get("server.port") == port
        and p["attributes"].get("otel_ebpf.tcp.direction") == "server"
    ]
    assert server_conns, sorted({p["name"] for p in points})
    latest = {}  # cumulative: the last value of each series
    for p in server_conns:
        latest[p["resource"].get("service.name")] = int(p["point"]["asInt"])
    print(f"\nserver-side connections on port {port} by service: {latest}")
    # The listener predates the agent: its owner is read from /proc at start, so every connection
    # is the shop's from the first (on every kernel: no byte needs to be seen first).
    assert latest == {"shop": 3}
    assert any(p["name"] == "http.server.request.duration" for p in points)
    # Bytes: what the client side sent is what the server side received, and back (sock_*_length
    # on 6.3+; the tcp_sock counters before, tests/test_vm_kernels.py).  Cumulative: the last values.
    last = {}  # per series (resource, flow side, io direction): its last cumulative value
    for p in points:
        a = p["attributes"]
        if p["name"] == "otel_ebpf.tcp.bytes" and a.get("server.port") == port:
            key = (a.get("otel_ebpf.tcp.direction"), a.get("network.io.direction"))
            last[(p["resource"].get("service.name"), *key)] = int(p["point"]["asInt"])
    moved = {}
    for (_service, *key), value in last.items():
        moved[tuple(key)] = moved.get(tuple(key), 0) + value
    print(f"bytes on port {port}: {moved}")
    assert moved[("client", "transmit")] == moved[("server", "receive")] > sent * len(b'{"cart": 1}')
    assert moved[("server", "transmit")] == moved[("client", "receive")] > 0
