"""Gaps in a connection's stream, against real nginx and the real agent: never mis-pair, count what is lost.

The kernel numbers every byte of a socket's stream (per direction) and every change of direction
(a phase); the agent sees from those numbers exactly where events are missing.  These tests make
events go missing for real: a ring buffer of 32 KiB drained twice a second, under keep-alive load
(lost events), and 10,000 pipelined requests on one connection, more than the kernel copies of a
read (the capture window).  See "Gaps in a connection's stream" in docs/decisions.md.
"""

from __future__ import annotations

import http.client
import random
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from otel_ebpf.model import HttpExchange, ProcessInfo
from otel_ebpf.receivers.ebpf import events as ev
from otel_ebpf.receivers.ebpf.connections import ConnectionTracker
from tests.harness import EBPF_TO_FILE, AgentProcess, Server, require_binary, require_bpf
from tests.kernel_socket import KernelSocket

CONFIG = (
    """
receivers:
  ebpf:
    capture_bytes: 1024
    ring_buffer_size: {ring}
    shed_ring_fill: 1  # no shedding: these tests are about events really lost
    drain_interval: {drain}
    read_chunks: {chunks}
    filter:
      ports: [{port}]{executables}
"""
    + EBPF_TO_FILE
)


def _agent(
    tmp: Path, port: int, ring: int = 8 << 20, drain: str = "50ms", chunks: int = 4, exe: str | None = "nginx"
) -> AgentProcess:
    out = tmp / "agent-out.jsonl"
    config = CONFIG.format(
        ring=ring,
        drain=drain,
        chunks=chunks,
        port=port,
        out=out,
        executables=f"\n      executables: [{exe}]" if exe else "",
    )
    return AgentProcess(tmp, config, out=out)


def _counters(agent: AgentProcess) -> dict[tuple[str, tuple], float]:
    """The latest value of every self-metric point, by (name, attributes)."""
    return agent.self_metrics()


def _dropped_requests(counters: dict) -> dict[str, float]:
    return {
        dict(attrs)["reason"]: value
        for (name, attrs), value in counters.items()
        if name == "otel_ebpf.http.parser.dropped_requests"
    }


def _wait_for_final_counters(agent: AgentProcess, expected: int, timeout: float = 30.0) -> tuple[list, dict]:
    """Spans and counters once spans + dropped requests reach `expected` (or the timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        spans = [s for s in agent.spans() if s["kind"] == "SERVER"]
        counters = _counters(agent)
        if len(spans) + sum(_dropped_requests(counters).values()) >= expected or time.monotonic() > deadline:
            time.sleep(1.5)  # one more export: over-counting would show
            return [s for s in agent.spans() if s["kind"] == "SERVER"], _counters(agent)
        time.sleep(0.5)


@pytest.fixture
def nginx(tmp_path):
    require_bpf()
    server = Server("nginx", tmp_path)
    yield server
    server.stop()


def test_lost_events_on_keep_alive_connections_never_mis_pair_and_are_counted(nginx, tmp_path):
    """A ring buffer too small for the load: events are lost on keep-alive connections.

    Every server span must belong to the request whose id it carries, last no longer than the
    client measured for that request, and spans + requests counted as dropped = requests sent.
    """
    agent = _agent(tmp_path, nginx.port, ring=32 * 1024, drain="50ms")
    threads, per_thread = 4, 1500
    rtt: dict[str, float] = {}
    errors: list[BaseException] = []
    connections: list[http.client.HTTPConnection] = []

    def client(t: int) -> None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=10)
            connections.append(conn)
            for k in range(per_thread):
                rid = f"{t}-{k}"
                started = time.perf_counter()
                conn.request("GET", f"/json?rid={rid}")
                body = conn.getresponse().read()
                rtt[rid] = time.perf_counter() - started
                assert b"hello from nginx" in body
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    try:
        workers = [threading.Thread(target=client, args=(t,)) for t in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        assert not errors, errors
        # Let the ring buffer drain before the closes, so that they are seen: a close tells the
        # agent how far the connection went (its last phase).
        time.sleep(1.5)
        for conn in connections:
            conn.close()
        sent = threads * per_thread
        spans, counters = _wait_for_final_counters(agent, sent)
    finally:
        agent.stop()

    lost_in_kernel = counters[("otel_ebpf.ebpf.dropped", (("reason", "ringbuf_full"),))]
    gaps = counters[("otel_ebpf.http.parser.lost_event_gaps", ())]
    assert lost_in_kernel > 0 and gaps > 0, "no event was lost: the test did not test anything"

    seen = set()
    for span in spans:
        rid = span["attributes"]["url.query"].removeprefix("rid=")
        assert rid in rtt, span["attributes"]["url.query"]
        assert rid not in seen, f"two spans for request {rid}"
        seen.add(rid)
        # The server span lies within the client's round trip: a span paired with the next
        # request's response would last longer than the client waited.
        assert span["duration_s"] <= rtt[rid], (rid, span["duration_s"], rtt[rid])
        assert span["attributes"]["http.response.status_code"] == 200

    dropped = _dropped_requests(counters)
    assert set(dropped) >= {"lost_event", "capture_window"}
    assert dropped["lost_event"] > 0
    # Nothing else may explain a missing span here.
    assert {r: n for r, n in dropped.items() if r != "lost_event"} == dict.fromkeys(
        [r for r in dropped if r != "lost_event"], 0.0
    )
    assert counters[("otel_ebpf.http.parser.unmatched_responses", ())] == 0
    assert len(spans) + dropped["lost_event"] == sent, (len(spans), dropped, lost_in_kernel, gaps)


def test_pipelined_requests_beyond_the_capture_window_are_counted_as_dropped(nginx, tmp_path):
    """10,000 pipelined requests on one connection: nginx reads them 8 KiB at a time, the kernel
    copies 4 KiB of each read (read_chunks: 4).  Which response answers which request is then not
    knowable: pairing stops and every later response counts one dropped request."""
    agent = _agent(tmp_path, nginx.port)
    n = 10_000
    request = b"GET /json HTTP/1.1\r\nHost: x\r\n\r\n"
    try:
        with socket.create_connection(("127.0.0.1", nginx.port), timeout=10) as s:
            s.sendall(request * n)
            s.shutdown(socket.SHUT_WR)
            received = b""
            while chunk := s.recv(1 << 16):
                received += chunk
        assert received.count(b"HTTP/1.1 200 OK") == n
        spans, counters = _wait_for_final_counters(agent, n)
    finally:
        agent.stop()

    assert counters[("otel_ebpf.ebpf.dropped", (("reason", "ringbuf_full"),))] == 0
    dropped = _dropped_requests(counters)
    assert dropped["capture_window"] > 0 and counters[("otel_ebpf.http.parser.abandoned_connections", ())] == 1
    assert len(spans) + sum(dropped.values()) == n, (len(spans), dropped)
    assert counters[("otel_ebpf.http.parser.unmatched_responses", ())] == 0
    assert all(s["attributes"]["url.path"] == "/json" for s in spans)


@pytest.mark.parametrize("seed", range(5))
def test_tracker_pairs_and_counts_through_random_losses(seed):
    """Without processes: events of 500 keep-alive exchanges, a random fifth of them lost."""
    rng = random.Random(seed)
    kernel = KernelSocket()
    events = []
    for i in range(500):
        events.append(kernel.data(ev.DIR_INBOUND, f"GET /r/{i} HTTP/1.1\r\nHost: x\r\n\r\n".encode()))
        body = str(i).encode()
        response = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
        events.append(kernel.data(ev.DIR_OUTBOUND, response))
    kept = [e for e in events if rng.random() > 0.2] + [kernel.close()]
    process = ProcessInfo(77, "server", "server", {"service.name": "server"})
    tracker = ConnectionTracker(lambda pid, comm: process)
    out: list[HttpExchange] = []
    tracker.process(kept, out)
    assert 100 < len(out) < 500
    for x in out:
        assert x.path == f"/r/{x.response_body.decode()}"  # each response with its own request
    stats = tracker.http_stats
    assert len(out) + stats.dropped_by_reason["lost_event"] == 500
    assert stats.dropped_requests == stats.dropped_by_reason["lost_event"] and stats.unmatched_responses == 0


@pytest.mark.parametrize("kind", ["python", "nginx"])
def test_expect_100_continue_posts_from_curl_are_paired_and_nothing_is_counted_lost(kind, tmp_path):
    """curl's `Expect: 100-continue` makes four phases of one exchange when the server reads the
    body (Python: head, 100, body, answer; nginx's `return` answers with the 100 and reads the body
    after): every POST is one span with the server's status, and no request is counted as lost."""
    require_bpf()
    curl = require_binary("curl")
    server = Server(kind, tmp_path)
    agent = _agent(tmp_path, server.port, exe="nginx" if kind == "nginx" else None)  # the port is filter enough
    n = 20
    body = tmp_path / "body.json"
    body.write_text('{"name": "widget", "pad": "' + "x" * 4000 + '"}')
    url = f"http://127.0.0.1:{server.port}/items"
    try:
        # One curl, one keep-alive connection, n POSTs of 4 KiB, each waiting for "100 Continue".
        result = subprocess.run(
            [curl, "-sv", "-w", "%{http_code}\\n", "-H", "Expect: 100-continue"]
            + ["--data-binary", f"@{body}", "-H", "Content-Type: application/json"]
            + ["-o", "/dev/null", url] * n,  # -o applies to one URL: once per URL
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.stdout.split() == ["201"] * n, result
        # The four phases really happened: nginx answered "100 Continue" before each body.
        assert result.stderr.count("< HTTP/1.1 100 Continue") == n, result.stderr[-2000:]
        assert result.stderr.count("Re-using existing connection") == n - 1, result.stderr[-2000:]
        spans, counters = _wait_for_final_counters(agent, n)
    finally:
        agent.stop()
        server.stop()

    assert len(spans) == n, [(s["name"], s["attributes"].get("http.response.status_code")) for s in spans]
    assert {(s["attributes"]["http.request.method"], s["attributes"]["http.response.status_code"]) for s in spans} == {
        ("POST", 201)
    }
    assert sum(_dropped_requests(counters).values()) == 0, _dropped_requests(counters)
    assert counters[("otel_ebpf.http.parser.unmatched_responses", ())] == 0
