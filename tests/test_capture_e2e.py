"""End to end through the kernel: real servers and clients, the real BPF programs, the real agent.

One agent captures three servers (Python http.server, nginx, Node http); each gets
the same 1,000-request mixed workload, and the exported spans are checked one by one.
"""

from __future__ import annotations

import collections
import http.client
import json
import os
import subprocess
import time

import pytest

from tests.conftest_rotel import Rotel
from tests.harness import Agent, Server, require_binary, require_bpf
from tests.workload import run_mixed_workload, timed_get

pytestmark = pytest.mark.bpf

SERVER_KINDS = ("python", "nginx", "node")

# Ask for the secret-carrying headers and bodies explicitly: they must come out redacted anyway.
CAPTURE_SECRETS_CONFIG = """    http:
      capture_headers:
        request: [authorization, cookie, x-api-key, x-request-id]
        response: [set-cookie]
      capture_body: true
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    require_bpf()
    require_binary("curl")
    tmp = tmp_path_factory.mktemp("e2e")
    servers = {}
    rotel = Rotel(tmp / "rotel").start()
    try:
        for kind in SERVER_KINDS:
            d = tmp / kind
            d.mkdir()
            servers[kind] = Server(kind, d)
        upstream = servers["python"]
        # The chain server names itself the OpenTelemetry way: the agent must use that name.
        servers["chain"] = Server(
            "python",
            tmp,
            upstream_port=upstream.port,
            env={"OTEL_SERVICE_NAME": "frontend", "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=test"},
        )
        # A keep-alive connection opened before the agent starts: found by its first HTTP message.
        early = http.client.HTTPConnection("127.0.0.1", upstream.port, timeout=5)
        early.request("GET", "/items/1")
        early.getresponse().read()
        agent = Agent(
            tmp,
            ports=[s.port for s in servers.values()],
            otlp_endpoint=rotel.endpoint,
            extra_receiver=CAPTURE_SECRETS_CONFIG,
        )
        agent.early_connection = early
        agent.rotel = rotel
        yield agent, servers
        assert agent.stop() == 0, agent.log()
    finally:
        for server in servers.values():
            server.stop()
        rotel.stop()


def _server_spans(agent: Agent, port: int, expected: int) -> list[dict]:
    return agent.wait_for_spans(
        lambda s: s["kind"] == "SERVER" and s["attributes"].get("server.port") == port, expected, timeout=30
    )


@pytest.mark.parametrize("kind", SERVER_KINDS)
def test_mixed_workload_yields_one_server_span_per_request(stack, kind):
    agent, servers = stack
    server = servers[kind]
    sent = run_mixed_workload(server.port, total=1000)
    spans = _server_spans(agent, server.port, len(sent))
    print(f"\n{kind}: {len(spans)} SERVER spans for {len(sent)} requests")

    # ≥ 99.9% captured, never more than sent.
    assert len(sent) * 0.999 <= len(spans) <= len(sent), f"{kind}: {len(spans)} spans for {len(sent)} requests"
    expected = collections.Counter((r.method, r.path, r.status) for r in sent)
    got = collections.Counter(
        (
            s["attributes"]["http.request.method"],
            s["attributes"]["url.path"],
            s["attributes"]["http.response.status_code"],
        )
        for s in spans
    )
    missing = expected - got
    assert sum(missing.values()) <= len(sent) - len(spans), f"{kind}: wrong spans, missing {missing}"
    assert not (got - expected), f"{kind}: unexpected spans {got - expected}"

    client_ports = {r.client_port for r in sent}
    for span in spans:
        a = span["attributes"]
        assert a["network.peer.address"] == "127.0.0.1"
        assert a["network.peer.port"] in client_ports
        assert a["url.scheme"] == "http"
        assert a["network.protocol.version"] == "1.1"
        assert span["name"].startswith(a["http.request.method"])
        status = a["http.response.status_code"]
        if status >= 500:
            assert span["status_code"] == "ERROR" and a["error.type"] == str(status)
        else:
            assert span["status_code"] == "UNSET", span
            assert "error.type" not in a

    # The same spans reached a real OTLP/gRPC receiver (rotel, a Rust collector).
    def in_rotel(r):
        return [s for s in r.spans() if s.kind == "SPAN_KIND_SERVER" and s.attributes.get("server.port") == server.port]

    agent.rotel.wait_until(lambda r: len(in_rotel(r)) >= len(spans), timeout_s=20)
    received = in_rotel(agent.rotel)
    assert len(received) == len(spans)
    assert (
        collections.Counter(
            (s.attributes["http.request.method"], s.attributes["url.path"], s.attributes["http.response.status_code"])
            for s in received
        )
        == got
    )
    assert {s.trace_id for s in received} == {s["traceId"] for s in spans}

    # Routes are low-cardinality: the ids collapse.
    names = {s["name"] for s in spans}
    assert "GET /items/{id}" in names, names
    assert len(names) <= 12, names

    # The resource names the process that served the requests.
    exe = {s["resource"].get("process.executable.name") for s in spans}
    assert exe == {server.exe}, exe


def test_client_spans_for_client_processes(stack):
    agent, servers = stack
    port = servers["python"].port
    wanted = {f"http://127.0.0.1:{port}/items/{77000 + i}" for i in range(20)}
    for i in range(20):
        subprocess.run(["curl", "-s", "-o", "/dev/null", f"http://127.0.0.1:{port}/items/{77000 + i}"], check=True)
    spans = agent.wait_for_spans(
        lambda s: (
            s["kind"] == "CLIENT"
            and s["resource"].get("process.executable.name") == "curl"
            and s["attributes"].get("url.full") in wanted
        ),
        20,
    )
    assert len(spans) == 20
    assert {s["attributes"]["url.full"] for s in spans} == wanted
    for span in spans:
        a = span["attributes"]
        assert a["http.request.method"] == "GET" and a["http.response.status_code"] == 200
        assert a["url.full"].startswith(f"http://127.0.0.1:{port}/items/")
        assert a["server.address"] == "127.0.0.1"


def test_span_duration_covers_the_handler_and_not_more(stack):
    agent, servers = stack
    # Python's handler sleeps 50 ms after reading the request. Node's setTimeout(50) counts from
    # libuv's cached loop time, taken before the read, so it may fire up to ~1 ms sooner.
    for kind, handler_s in (("python", 0.050), ("node", 0.049)):
        port = servers[kind].port
        rtts = [timed_get(port, "/sleep") for _ in range(5)]
        spans = agent.wait_for_spans(
            lambda s, p=port: (
                s["kind"] == "SERVER"
                and s["attributes"].get("server.port") == p
                and s["attributes"]["url.path"] == "/sleep"
            ),
            5,
        )
        assert len(spans) == 5
        durations = sorted(s["duration_s"] for s in spans)
        assert durations[0] >= handler_s, durations
        assert durations[-1] <= max(rtts), (durations, rtts)


def test_traceparent_joins_the_trace_and_client_spans_nest(stack):
    agent, servers = stack
    chain = servers["chain"]
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    parent = "00f067aa0ba902b7"
    subprocess.run(
        [
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "-H",
            f"traceparent: 00-{trace_id}-{parent}-01",
            f"http://127.0.0.1:{chain.port}/chain",
        ],
        check=True,
    )
    spans = agent.wait_for_spans(lambda s: s["traceId"] == trace_id, 4)
    by_kind = collections.defaultdict(list)
    for s in spans:
        by_kind[(s["kind"], s["resource"].get("process.pid"))].append(s)
    chain_server = [s for s in spans if s["kind"] == "SERVER" and s["attributes"]["server.port"] == chain.port]
    chain_client = [s for s in spans if s["kind"] == "CLIENT" and s["resource"].get("process.pid") == chain.proc.pid]
    upstream_server = [
        s for s in spans if s["kind"] == "SERVER" and s["attributes"]["server.port"] == servers["python"].port
    ]
    assert len(chain_server) == 1 and len(chain_client) == 1 and len(upstream_server) == 1, spans
    assert chain_server[0]["parentSpanId"] == parent
    assert chain_client[0]["parentSpanId"] == chain_server[0]["spanId"]
    assert upstream_server[0]["parentSpanId"] == parent
    # the client span lies inside its server span
    assert int(chain_client[0]["startTimeUnixNano"]) >= int(chain_server[0]["startTimeUnixNano"])
    assert int(chain_client[0]["endTimeUnixNano"]) <= int(chain_server[0]["endTimeUnixNano"])


def test_without_traceparent_each_side_starts_its_own_trace(stack):
    agent, servers = stack
    chain = servers["chain"]
    before = {s["spanId"] for s in agent.spans()}
    subprocess.run(["curl", "-s", "-o", "/dev/null", f"http://127.0.0.1:{chain.port}/chain?run=2"], check=True)
    spans = agent.wait_for_spans(
        lambda s: s["spanId"] not in before and s["resource"].get("process.pid") == chain.proc.pid, 2
    )
    assert len(spans) == 2
    assert spans[0]["traceId"] != spans[1]["traceId"]
    assert all(s["parentSpanId"] == "" for s in spans)


def test_http_duration_metrics_count_every_request(stack):
    agent, servers = stack
    port = servers["node"].port
    for i in range(30):
        timed_get(port, f"/items/{i + 1}")
    deadline = time.monotonic() + 15
    count = 0
    while time.monotonic() < deadline:
        points = [
            p
            for p in agent.metrics()
            if p["name"] == "http.server.request.duration"
            and p["resource"].get("process.executable.name") == "node"
            and p["attributes"].get("http.route") == "/items/{id}"
            and p["attributes"].get("http.request.method") == "GET"
            and p["attributes"].get("http.response.status_code") == 200
        ]
        if points:
            count = max(int(p["point"]["count"]) for p in points)
            if count >= 30:
                break
        time.sleep(0.5)
    assert count >= 30
    point = points[-1]
    assert point["point"]["explicitBounds"][:3] == [0.005, 0.01, 0.025]
    assert "url.path" not in point["attributes"]


def test_agent_survives_garbage_and_non_http(stack):
    agent, servers = stack
    import socket

    port = servers["python"].port
    for payload in (
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + os.urandom(200),
        os.urandom(3000),
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\n" + b"A" * 20000,
    ):
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(payload)
            s.settimeout(0.5)
            try:
                s.recv(100)
            except OSError:
                pass
    # still alive and still capturing
    timed_get(port, "/items/424242")
    spans = agent.wait_for_spans(lambda s: s["attributes"].get("url.path") == "/items/424242", 2)
    assert len(spans) >= 1
    assert agent.proc.poll() is None


def test_connection_older_than_the_agent_is_picked_up(stack):
    agent, servers = stack
    conn = agent.early_connection
    client_port = conn.sock.getsockname()[1]
    for i in range(3):
        conn.request("GET", f"/items/{9_555_000 + i}")
        conn.getresponse().read()
    paths = {f"/items/{9_555_000 + i}" for i in range(3)}
    spans = agent.wait_for_spans(lambda s: s["kind"] == "SERVER" and s["attributes"].get("url.path") in paths, 3)
    assert len(spans) == 3
    for span in spans:
        a = span["attributes"]
        assert span["kind"] == "SERVER"  # role inferred from the first message: a request read
        assert a["network.peer.address"] == "127.0.0.1" and a["network.peer.port"] == client_port
        assert a["http.response.status_code"] == 200
    clients = [s for s in agent.spans() if s["kind"] == "CLIENT" and s["attributes"].get("url.path") in paths]
    assert len(clients) == 3  # the test process's side of the same connection, inferred as client


def test_service_name_comes_from_the_process_environment(stack):
    agent, servers = stack
    timed_get(servers["chain"].port, "/items/31337")
    # The server's span: the test process's own CLIENT span has the same path and may come first.
    spans = agent.wait_for_spans(
        lambda s: s["kind"] == "SERVER" and s["attributes"].get("url.path") == "/items/31337", 1
    )
    assert spans and spans[0]["resource"]["service.name"] == "frontend"
    assert spans[0]["resource"]["deployment.environment"] == "test"
    assert spans[0]["resource"]["process.pid"] == servers["chain"].proc.pid


def test_span_times_are_wall_clock_and_inside_the_client_window(stack):
    agent, servers = stack
    before = time.time_ns()
    timed_get(servers["node"].port, "/items/4242")
    after = time.time_ns()
    spans = agent.wait_for_spans(
        lambda s: s["kind"] == "SERVER" and s["attributes"].get("url.path") == "/items/4242", 1
    )
    assert len(spans) == 1
    assert before <= int(spans[0]["startTimeUnixNano"]) <= int(spans[0]["endTimeUnixNano"]) <= after


def test_sendfile_bodies_are_counted(stack):
    agent, servers = stack
    out = subprocess.run(
        [
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{size_download}",
            f"http://127.0.0.1:{servers['nginx'].port}/static/big.bin",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout == "65536"
    spans = agent.wait_for_spans(
        lambda s: s["kind"] == "SERVER" and s["attributes"].get("url.path") == "/static/big.bin", 1
    )
    assert len(spans) == 1
    assert spans[0]["attributes"]["http.response.body.size"] == 65536
    assert spans[0]["attributes"]["http.response.status_code"] == 200


def test_secrets_never_leave_in_clear(stack):
    agent, servers = stack
    port = servers["python"].port
    secrets = ["s3cr3t-bearer", "sessionid-c00kie", "k3y-abc123", "hunter2pass", "4111111111111111", "qtok3n"]
    body = json.dumps({"user": "ann", "password": "hunter2pass", "card": "4111 1111 1111 1111"})
    subprocess.run(
        [
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "-u",
            "ann:hunter2pass",
            "-H",
            "Authorization: Bearer s3cr3t-bearer",
            "-H",
            "Cookie: session=sessionid-c00kie",
            "-H",
            "X-Api-Key: k3y-abc123",
            "-H",
            "X-Request-Id: visible-42",
            "-H",
            "Content-Type: application/json",
            "-d",
            body,
            f"http://127.0.0.1:{port}/items?token=qtok3n&page=2",
        ],
        check=True,
    )
    spans = agent.wait_for_spans(lambda s: s["attributes"].get("http.request.header.x-request-id") == ["visible-42"], 2)
    assert len(spans) == 2  # the server's span and curl's
    exported = agent.out.read_text()
    for secret in secrets:
        assert secret not in exported, secret
    assert "REDACTED" in exported
    server = next(s for s in spans if s["kind"] == "SERVER")
    assert server["attributes"]["url.query"] == "token=REDACTED&page=2"
    assert server["attributes"]["http.request.header.authorization"] == ["REDACTED"]
