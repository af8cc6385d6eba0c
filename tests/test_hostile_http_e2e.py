"""Hostile traffic against real nginx, captured by the real agent: it reports what nginx did.

Request-smuggling framings (RFC 9112 §6.3) that nginx refuses with 400 are one span each,
with the request line nginx received, and the smuggled request behind them is no span; an
unknown transfer coding answered 501 is a span and a metric point; paths and user agents
that are raw UTF-8, percent-encoded or not UTF-8 at all come out as valid UTF-8 text
without a control character.
"""

from __future__ import annotations

import re
import socket
import time

import pytest

from tests.harness import Agent, Server, require_bpf
from tests.workload import timed_get

pytestmark = pytest.mark.bpf


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    require_bpf()
    tmp = tmp_path_factory.mktemp("hostile")
    nginx = Server("nginx", tmp)
    try:
        agent = Agent(tmp, ports=[nginx.port])
        try:
            yield agent, nginx
        finally:
            assert agent.stop() == 0, agent.log()
    finally:
        nginx.stop()


def exchange(port: int, payload: bytes) -> bytes:
    """Sends raw bytes on a new connection and reads until nginx closes it."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(payload)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def sync(agent: Agent, port: int, tag: str) -> None:
    """A plain request after the hostile ones: once its span is out, theirs (and any phantom) are too."""
    timed_get(port, f"/items/{tag}")
    assert agent.wait_for_spans(lambda s: s["attributes"].get("url.path") == f"/items/{tag}", 1)


def server_spans(agent: Agent, prefix: str) -> list[dict]:
    return [s for s in agent.spans() if s["kind"] == "SERVER" and s["attributes"]["url.path"].startswith(prefix)]


SMUGGLED = b"GET /smuggled-{case} HTTP/1.1\r\nHost: x\r\n\r\n"
SMUGGLING = {
    "cl-te": b"Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "te-cl": b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n",
    "dup-cl": b"Content-Length: 5\r\nContent-Length: 40\r\n\r\nhello",
}


@pytest.mark.parametrize("case", sorted(SMUGGLING))
def test_smuggling_refused_by_nginx_is_one_span_with_its_400(stack, case):
    agent, nginx = stack
    smuggled = SMUGGLED.replace(b"{case}", case.encode())
    head = f"POST /upload-{case} HTTP/1.1\r\nHost: x\r\n".encode()
    answer = exchange(nginx.port, head + SMUGGLING[case] + smuggled)
    assert answer.startswith(b"HTTP/1.1 400 ") and answer.count(b"HTTP/1.1 ") == 1
    # The same attack with the smuggled request in its own write, which nginx reads while it
    # lingers before closing.
    with socket.create_connection(("127.0.0.1", nginx.port), timeout=5) as sock:
        sock.sendall(head + SMUGGLING[case])
        time.sleep(0.05)
        sock.sendall(smuggled)
        assert sock.recv(65536).startswith(b"HTTP/1.1 400 ")
    sync(agent, nginx.port, f"{case.replace('-', '')}0001")
    spans = server_spans(agent, f"/upload-{case}")
    assert [(s["attributes"]["http.request.method"], s["attributes"]["http.response.status_code"]) for s in spans] == [
        ("POST", 400),
        ("POST", 400),
    ]
    # Neither nginx's span nor the client's (the test process is captured as a client too).
    assert [s for s in agent.spans() if s["attributes"]["url.path"].startswith("/smuggled")] == []
    client = [s for s in agent.spans() if s["kind"] == "CLIENT" and s["attributes"]["url.path"] == f"/upload-{case}"]
    assert [s["attributes"].get("http.response.status_code") for s in client] == [400, 400]


def test_unknown_transfer_coding_is_a_span_with_the_501_and_a_metric_point(stack):
    agent, nginx = stack
    answer = exchange(
        nginx.port, b"POST /xchunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 501 ")
    spans = agent.wait_for_spans(lambda s: s["kind"] == "SERVER" and s["attributes"].get("url.path") == "/xchunked", 1)
    assert [(s["name"], s["attributes"]["http.response.status_code"], s["status_code"]) for s in spans] == [
        ("POST /xchunked", 501, "ERROR")
    ]
    deadline = time.monotonic() + 15
    points = []
    while not points and time.monotonic() < deadline:
        points = [
            p
            for p in agent.metrics()
            if p["name"] == "http.server.request.duration"
            and p["attributes"].get("http.response.status_code") == 501
            and p["attributes"].get("http.request.method") == "POST"
        ]
        time.sleep(0.3)
    assert points and int(points[-1]["point"]["count"]) == 1
    counters = [
        p
        for p in agent.metrics()
        if p["name"] == "otel_ebpf.http.parser.ambiguous_requests"
        and p["attributes"] == {"reason": "transfer_coding_not_chunked"}
    ]
    assert counters and int(counters[-1]["point"]["asInt"]) >= 1


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def test_paths_and_user_agents_are_exported_as_valid_utf8_without_controls(stack):
    agent, nginx = stack
    requests = {
        "raw-utf8": "GET /utf8/café/日本 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode(),
        "percent": b"GET /utf8/caf%C3%A9/%E6%97%A5%E6%9C%AC HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "latin1-ua": b"GET /utf8/ua HTTP/1.1\r\nHost: x\r\nUser-Agent: t\xe9st\xff/1\r\nConnection: close\r\n\r\n",
        "nul-ua": b"GET /utf8/nul HTTP/1.1\r\nHost: x\r\nUser-Agent: a\x00b\x1b[31m\r\nConnection: close\r\n\r\n",
        "bad-path": b"GET /utf8/\xff\xfe\x01 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    }
    statuses = {name: exchange(nginx.port, payload)[9:12] for name, payload in requests.items()}
    # nginx refuses a NUL in a header and a control character in the target: those spans carry its 400.
    expected = {"raw-utf8": b"404", "percent": b"404", "latin1-ua": b"404", "nul-ua": b"400", "bad-path": b"400"}
    assert statuses == expected
    sync(agent, nginx.port, "900001")
    spans = {s["attributes"]["url.path"]: s for s in server_spans(agent, "/utf8/")}
    assert sorted(spans) == sorted(
        ["/utf8/café/日本", "/utf8/caf%C3%A9/%E6%97%A5%E6%9C%AC", "/utf8/ua", "/utf8/nul", "/utf8/%FF%FE%01"]
    )
    assert spans["/utf8/café/日本"]["name"] == "GET /utf8/café/日本"
    assert spans["/utf8/ua"]["attributes"]["user_agent.original"] == "t\\xe9st\\xff/1"
    assert spans["/utf8/nul"]["attributes"]["user_agent.original"] == "a\\x00b\\x1b[31m"
    assert spans["/utf8/nul"]["attributes"]["http.response.status_code"] == 400
    for span in spans.values():
        texts = [span["name"], *(v for v in span["attributes"].values() if isinstance(v, str))]
        assert not [t for t in texts if _CONTROL.search(t) or "\ufffd" in t], span
    # The HTTP metrics carry the same route.
    deadline = time.monotonic() + 15
    routes: set = set()
    while "/utf8/café/日本" not in routes and time.monotonic() < deadline:
        time.sleep(0.3)
        points = [p for p in agent.metrics() if p["name"] == "http.server.request.duration"]
        routes = {p["attributes"].get("http.route") for p in points}
    assert {"/utf8/café/日本", "/utf8/%FF%FE%01"} <= routes
    # Nor anywhere in the exported bytes: JSON would write a control character as \\u00XX.
    assert not re.search(rb"\\u00[01][0-9a-fA-F]", agent.out.read_bytes())
