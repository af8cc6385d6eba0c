"""HTTP/2 over cleartext (h2c) end to end: nghttp2's server and clients, curl, the real agent.

The server is Debian's ``nghttpd --no-tls`` serving a directory, started after the agent; each
client has its own directory of that tree, so each test's SERVER spans are told apart by path:

- ``nghttp -n -s -m 50`` with 5 URIs: 250 streams on one connection (nghttpd lets 100 run at
  once), 4 processes; ``-s`` prints each stream's status and path, what the spans are checked
  against;
- ``h2load -n 2000 -c 1 -m 100``: 2,000 requests on one connection, 100 streams at a time;
- ``curl --http2-prior-knowledge``, one request per process (curl 7.88 fails the second
  request it sends on a reused prior-knowledge connection: "Error in the HTTP2 framing layer");
- ``nghttp -u`` and ``curl --http2``: HTTP/1.1 with ``Upgrade: h2c``, whose answer comes in
  HTTP/2 frames on stream 1 (nghttp then sends its other requests as streams of the upgraded
  connection).  nghttpd does not take the upgrade, so a small server made with the ``h2`` library
  (this module, run as ``python -m tests.test_h2c_e2e --upgrade-server PORT DIR``) answers them.

The agent runs with the default capture (``capture_bytes: 1024``): an HTTP/2 connection is captured
as such (8 pieces of 8 KiB a call) from its preface, also after an upgrade (docs/reference.md §2.11).

Each file exists (200) or not (404); big.bin (48 KiB) spans several DATA frames and writes.
Margins: at least 99.9% of requests yield a span on each side (one in a thousand may be lost, as in
the HTTP/1.1 tests), never more; timeouts are generous (60 s for the spans to arrive).
"""

from __future__ import annotations

import collections
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.harness import ROOT, Agent, free_port, require_binary, require_bpf, stop_process, wait_port
from tests.tls import certificate  # noqa: F401 - fixture

pytestmark = pytest.mark.bpf

CLIENT_DIRS = ("nghttp", "h2load", "curl", "big", "tls", "upgrade", "upgrade-nghttp")
BIG = 48 * 1024
H2_PARSER = "otel_ebpf.http2.parser."
H1_PARSER = "otel_ebpf.http.parser."


def margin(total: int) -> int:
    """Spans that may be missing: one request in a thousand (at least one)."""
    return max(1, total // 1000)


def make_docroot(root: Path) -> None:
    """Per client directory: index.html, items/1.json .. items/5.json, big.bin (the same every run)."""
    rng = random.Random(2)
    for name in CLIENT_DIRS:
        d = root / name
        (d / "items").mkdir(parents=True)
        (d / "index.html").write_text(f"<html><body>{name}</body></html>\n")
        for n in range(1, 6):
            (d / "items" / f"{n}.json").write_text(f'{{"id": {n}, "name": "widget-{n}"}}\n')
        (d / "big.bin").write_bytes(rng.randbytes(BIG))


class Process:
    def __init__(self, args: list[str], port: int, log: Path, cwd: Path | None = None):
        self.port = port
        self._log = open(log, "wb")  # noqa: SIM115 - closed by stop()
        self.proc = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT, cwd=cwd)
        try:
            wait_port(port)
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"{args[0]} did not start: {log.read_text(errors='replace')}") from None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        stop_process(self.proc)
        self._log.close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory, certificate):  # noqa: F811 - the fixture
    require_bpf()
    nghttpd = require_binary("nghttpd")
    for name in ("nghttp", "h2load", "curl"):
        require_binary(name)
    tmp = tmp_path_factory.mktemp("h2c")
    docroot = tmp / "htdocs"
    make_docroot(docroot)
    port, upgrade_port, tls_port = free_port(), free_port(), free_port()
    agent = Agent(tmp, ports=[port, upgrade_port, tls_port])
    servers: dict[str, Process] = {}
    try:
        servers["nghttpd"] = Process(
            [nghttpd, "--no-tls", "-a", "127.0.0.1", "-d", str(docroot), str(port)], port, tmp / "nghttpd.log"
        )
        cert, key = certificate
        servers["tls"] = Process(  # h2 over TLS (ALPN h2), libssl 3: read from the TLS uprobes
            [nghttpd, "-a", "127.0.0.1", "-d", str(docroot), str(tls_port), str(key), str(cert)],
            tls_port,
            tmp / "nghttpd-tls.log",
        )
        servers["upgrade"] = Process(
            [sys.executable, "-m", "tests.test_h2c_e2e", "--upgrade-server", str(upgrade_port), str(docroot)],
            upgrade_port,
            tmp / "upgrade-server.log",
            cwd=ROOT,
        )
        yield agent, servers
    finally:
        for server in servers.values():
            server.stop()
        assert agent.stop() == 0, agent.log()


def server_spans(agent: Agent, server: Process, prefix: str, count: int) -> list[dict]:
    return agent.wait_for_spans(
        lambda s: (
            s["kind"] == "SERVER"
            and s["resource"].get("process.pid") == server.pid
            and s["attributes"].get("url.path", "").startswith(prefix)
        ),
        count,
        timeout=60,
    )


def client_spans(agent: Agent, executable: str, port: int, count: int, pids: set[int] | None = None) -> list[dict]:
    return agent.wait_for_spans(
        lambda s: (
            s["kind"] == "CLIENT"
            and s["resource"].get("process.executable.name") == executable
            and (pids is None or s["resource"].get("process.pid") in pids)
            and s["attributes"].get("server.port") == port
        ),
        count,
        timeout=60,
    )


def check_spans(kind: str, spans: list[dict], sent: collections.Counter, port: int) -> None:
    """At least 99.9% of the requests as spans, none that was not sent; HTTP/2 attributes."""
    total = sum(sent.values())
    got = collections.Counter(
        (s["attributes"]["url.path"], s["attributes"]["http.response.status_code"]) for s in spans
    )
    print(f"{kind}: {len(spans)} spans for {total} requests")  # pytest -s: the figures
    assert not (got - sent), f"{kind}: spans of requests not sent: {got - sent}"
    assert sum((sent - got).values()) <= margin(total), f"{kind}: {len(spans)} spans for {total}: {sent - got}"
    for span in spans:
        a = span["attributes"]
        assert a["http.request.method"] == "GET", span
        assert a["network.protocol.version"] == "2", span
        assert a["url.scheme"] == "http" and a["server.port"] == port, span
        assert span["name"].startswith("GET"), span
        status = a["http.response.status_code"]
        assert span["status_code"] == ("ERROR" if kind.startswith("CLIENT") and status >= 400 else "UNSET"), span
        if kind.startswith("SERVER"):
            assert a["network.peer.address"] == "127.0.0.1" and a["network.peer.port"] != port, span
        else:
            assert a["url.full"] == f"http://127.0.0.1:{port}{a['url.path']}", span
            assert a["network.peer.port"] == port, span


# A line of `nghttp -s`: id, responseEnd, requestStart, process, code, size (48K for big.bin), request path.
NGHTTP_STAT = re.compile(r"^\s*\d+\s+\+\S+\s+\+\S+\s+\S+\s+(\d{3})\s+\S+\s+(/\S*)\s*$", re.M)
NGHTTP_STAT_ID = re.compile(r"^\s*(\d+)\s+\+\S+\s+\+\S+\s+\S+\s+(\d{3})\s+\S+\s+(/\S*)\s*$", re.M)
# Small documents: 50 streams of them in flight share nghttpd's writes, each within what the kernel ships
# of one HTTP/2 syscall (8 pieces of 8 KiB).  Larger batched writes: test_writes_beyond_the_capture_*.
NGHTTP_PATHS = (
    "/nghttp/index.html",
    "/nghttp/items/1.json",
    "/nghttp/items/2.json",
    "/nghttp/missing",
    "/nghttp/items/9",
)


def run_nghttp(urls: list[str], connections: int, multiply: int) -> tuple[collections.Counter, set[int]]:
    """`connections` nghttp processes, each fetching every URL `multiply` times on its one connection:
    (path, status) of each response per `nghttp -s`, and the processes' pids."""
    sent: collections.Counter = collections.Counter()
    pids = set()
    for _ in range(connections):
        proc = subprocess.Popen(["nghttp", "-n", "-s", "-m", str(multiply), *urls], stdout=subprocess.PIPE, text=True)
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0, out
        pids.add(proc.pid)
        sent.update((path, int(code)) for code, path in NGHTTP_STAT.findall(out))
    return sent, pids


def test_nghttp_many_streams_on_one_connection(stack):
    agent, servers = stack
    port = servers["nghttpd"].port
    sent, pids = run_nghttp([f"http://127.0.0.1:{port}{p}" for p in NGHTTP_PATHS], 4, 50)  # 4 x 250 streams
    assert sum(sent.values()) == 4 * 50 * len(NGHTTP_PATHS), sent
    assert {status for _, status in sent} == {200, 404}
    total = sum(sent.values())
    spans = server_spans(agent, servers["nghttpd"], "/nghttp/", total)
    check_spans("SERVER (nghttpd)", spans, sent, port)
    # The streams of each process shared its one connection: 4 client ports in all.
    assert len({s["attributes"]["network.peer.port"] for s in spans}) == 4
    check_spans("CLIENT (nghttp)", client_spans(agent, "nghttp", port, total, pids), sent, port)


H2LOAD_REQUESTS = 2000


def test_h2load_two_thousand_requests_on_one_connection(stack):
    agent, servers = stack
    port = servers["nghttpd"].port
    out = subprocess.run(
        ["h2load", "-n", str(H2LOAD_REQUESTS), "-c", "1", "-m", "100",
         f"http://127.0.0.1:{port}/h2load/index.html", f"http://127.0.0.1:{port}/h2load/missing"],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    done = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done", out)
    codes = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", out)
    assert done and int(done.group(3)) == H2LOAD_REQUESTS, out
    # h2load takes the URIs in turn: the 2xx are index.html's, the 4xx missing's.
    sent = collections.Counter(
        {("/h2load/index.html", 200): int(codes.group(1)), ("/h2load/missing", 404): int(codes.group(3))}
    )
    assert sum(sent.values()) == H2LOAD_REQUESTS and sent[("/h2load/missing", 404)] > 0, out
    spans = server_spans(agent, servers["nghttpd"], "/h2load/", H2LOAD_REQUESTS)
    check_spans("SERVER (nghttpd)", spans, sent, port)
    assert len({s["attributes"]["network.peer.port"] for s in spans}) == 1  # -c 1: one connection
    check_spans("CLIENT (h2load)", client_spans(agent, "h2load", port, H2LOAD_REQUESTS), sent, port)


def _curl(args: list[str], url: str) -> tuple[str, int, str]:
    out = subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{http_version}", *args, url],
        capture_output=True, text=True, timeout=30,
    ).stdout  # fmt: skip
    code, version = out.split()
    return url, int(code), version


CURL_PATHS = ("/index.html", "/items/2.json", "/big.bin", "/missing", "/items/3.json")


def test_curl_prior_knowledge(stack):
    agent, servers = stack
    port = servers["nghttpd"].port
    sent: collections.Counter = collections.Counter()
    for n in range(50):
        path = "/curl" + CURL_PATHS[n % len(CURL_PATHS)]
        _, code, version = _curl(["--http2-prior-knowledge"], f"http://127.0.0.1:{port}{path}")
        assert version == "2", (path, code, version)
        sent[(path, code)] += 1
    assert {status for _, status in sent} == {200, 404}
    check_spans("SERVER (nghttpd)", server_spans(agent, servers["nghttpd"], "/curl/", 50), sent, port)
    check_spans("CLIENT (curl)", client_spans(agent, "curl", port, 50), sent, port)


TLS_PATHS = ("/tls/index.html", "/tls/items/1.json", "/tls/missing")


def test_h2_over_tls_is_read_from_the_tls_uprobes(stack):
    """nghttpd and nghttp over TLS (ALPN h2, Debian's libssl 3): the plaintext comes from the uprobes on
    SSL_read/SSL_write, and its first bytes, the preface, make it HTTP/2 as in cleartext."""
    agent, servers = stack
    port = servers["tls"].port
    sent, pids = run_nghttp([f"https://127.0.0.1:{port}{p}" for p in TLS_PATHS], 2, 20)
    total = sum(sent.values())
    assert total == 2 * 20 * len(TLS_PATHS), sent
    for kind, spans in (
        ("SERVER (nghttpd, TLS)", server_spans(agent, servers["tls"], "/tls/", total)),
        ("CLIENT (nghttp, TLS)", client_spans(agent, "nghttp", port, total, pids)),
    ):
        got = collections.Counter(
            (s["attributes"]["url.path"], s["attributes"]["http.response.status_code"]) for s in spans
        )
        assert sum((sent - got).values()) <= margin(total) and not got - sent, (kind, got, sent)
        for span in spans:
            assert span["attributes"]["url.scheme"] == "https" and span["attributes"]["network.protocol.version"] == "2"


def test_no_header_went_undecoded(stack):
    """The connections of the tests above were seen from their preface: nothing undecodable was
    counted, and none went to the HTTP/1 parser.  (The upgrade tests check their own counters.)"""
    agent, _ = stack
    time.sleep(1.5)  # a metric export after the tests above
    latest = agent.self_metrics()
    counters = {n.removeprefix(H2_PARSER): v for (n, _a), v in latest.items() if n.startswith(H2_PARSER)}
    assert counters, "no otel_ebpf.http2.parser.* self-metric exported"
    print(f"http2 parser counters: { {k: v for k, v in counters.items() if v} }")
    for name in ("undecodable_fields", "undecodable_messages", "midstream_connections", "lost_streams"):
        assert counters.get(name, 0) == 0, counters
    assert counters["connections"] >= 4 + 1 + 50, counters  # nghttp, h2load, curl: one each
    assert latest[("otel_ebpf.http.parser.parse_errors", ())] == 0
    assert latest[("otel_ebpf.http.parser.non_http_connections", ())] == 0


def test_writes_beyond_the_capture_lose_streams_counted_never_wrong(stack):
    """nghttp fetching the 48 KiB file on 20 streams at once: nghttpd's writes then exceed the 64 KiB the
    kernel ships of one HTTP/2 syscall (docs/reference.md §2.11), and a frame header past it is lost,
    with the streams then open.  What is reported is right; what is not is counted."""
    agent, servers = stack
    port = servers["nghttpd"].port
    before = agent.self_metrics()
    proc = subprocess.run(
        ["nghttp", "-n", "-s", "-m", "20", f"http://127.0.0.1:{port}/big/big.bin"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    sent = collections.Counter((path, int(code)) for code, path in NGHTTP_STAT.findall(proc.stdout))
    assert sent == {("/big/big.bin", 200): 20}, proc.stdout
    time.sleep(2.5)  # the spans and a metric export
    spans = [
        s for s in agent.spans() if s["kind"] == "SERVER" and s["attributes"].get("url.path", "").startswith("/big/")
    ]
    for span in spans:
        assert (span["attributes"]["url.path"], span["attributes"]["http.response.status_code"]) == (
            "/big/big.bin",
            200,
        )
        assert span["attributes"]["network.protocol.version"] == "2"
    after = agent.self_metrics()

    def grew(name: str) -> float:
        key = (H2_PARSER + name, ())
        return after.get(key, 0) - before.get(key, 0)

    print(f"big writes: {len(spans)} SERVER spans of 20; framing_lost +{grew('framing_lost')}")
    if len(spans) < 20:
        assert grew("framing_lost") > 0 and grew("lost_streams") + grew("table_resets") > 0


UPGRADE_PATHS = ("/upgrade-nghttp/index.html", "/upgrade-nghttp/missing", "/upgrade-nghttp/items/1.json")
# Counters of the HTTP/2 parser that say a stream or a field was not decoded, or that a connection was
# read as one joined mid-way: none grows on a connection seen from its upgrade, its capture whole.
H2_LOSSES = (
    "midstream_connections", "bad_frames", "framing_lost", "skipped_bytes", "gap_bytes", "hpack_errors",
    "table_resets", "undecodable_fields", "undecodable_messages", "bad_messages", "truncated_header_blocks",
    "lost_streams", "given_up", "internal_errors",
)  # fmt: skip


def settled_counters(agent: Agent) -> dict[str, float]:
    """The parsers' counters (HTTP/2's by name, HTTP/1's prefixed ``http.``) once two metric exports in
    a row agree: everything the agent was given so far is counted."""
    last: dict[str, float] | None = None
    deadline = time.monotonic() + 30
    while True:
        now = {
            (n.removeprefix(H2_PARSER) if n.startswith(H2_PARSER) else "http." + n.removeprefix(H1_PARSER)): v
            for (n, attrs), v in agent.self_metrics().items()
            if (n.startswith(H2_PARSER) or n.startswith(H1_PARSER)) and not attrs
        }
        if now == last or time.monotonic() > deadline:
            return now
        last = now
        time.sleep(1.2)  # more than the export interval (1 s)


def grown(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """Counters that grew, by how much."""
    return {name: after[name] - before.get(name, 0) for name in after if after[name] != before.get(name, 0)}


def upgrade_spans(kind: str, spans: list[dict]) -> collections.Counter:
    """(path, status) of the spans of an upgrade test's side; each is HTTP/2 (the upgrade request's
    too: its answer is stream 1's) and never the 101."""
    for span in spans:
        assert span["attributes"]["network.protocol.version"] == "2", (kind, span)
        assert span["attributes"]["http.request.method"] == "GET", (kind, span)
    got = collections.Counter(
        (s["attributes"]["url.path"], s["attributes"]["http.response.status_code"]) for s in spans
    )
    print(f"{kind}: {len(spans)} spans: {dict(got)}")  # pytest -s: the figures
    return got


def test_nghttp_upgrade_then_streams_on_the_upgraded_connection(stack):
    """``nghttp -u``: the first request asks ``Upgrade: h2c``, the next 29 are HTTP/2 streams on the
    upgraded connection.  Both sides are decoded exactly: every stream, the upgrade request once with
    its final status (stream 1's answer, not the 101), nothing undecodable or lost."""
    agent, servers = stack
    port = servers["upgrade"].port
    before = settled_counters(agent)
    sent: collections.Counter = collections.Counter()
    upgrades = 0
    pids = set()
    for _ in range(4):
        proc = subprocess.Popen(
            ["nghttp", "-n", "-u", "-s", "-m", "10", *(f"http://127.0.0.1:{port}{p}" for p in UPGRADE_PATHS)],
            stdout=subprocess.PIPE,
            text=True,
        )
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0, out
        pids.add(proc.pid)
        for stream_id, code, path in NGHTTP_STAT_ID.findall(out):
            sent[(path, int(code))] += 1
            if stream_id == "1":
                assert (path, code) == (UPGRADE_PATHS[0], "200"), out
                upgrades += 1
    assert upgrades == 4 and sum(sent.values()) == 4 * 30, sent
    for kind, spans in (
        ("SERVER (upgrade)", server_spans(agent, servers["upgrade"], "/upgrade-nghttp/", 120)),
        ("CLIENT (nghttp -u)", client_spans(agent, "nghttp", port, 120, pids)),
    ):
        got = upgrade_spans(kind, spans)
        assert got == sent, (kind, got - sent, sent - got)
        if kind.startswith("SERVER"):  # one connection per nghttp process: 4 client ports
            assert len({s["attributes"]["network.peer.port"] for s in spans}) == 4
    grew = grown(before, settled_counters(agent))
    print(f"nghttp -u: counters grown {grew}")
    assert {name: grew.get(name, 0) for name in H2_LOSSES} == dict.fromkeys(H2_LOSSES, 0), grew
    # 4 connections a side, each an HTTP/1 exchange answered 101 (the upgrade) then HTTP/2.
    assert (grew.get("connections"), grew.get("pairs"), grew.get("http.upgrades")) == (8, 240, 8), grew


def test_curl_upgrade_to_h2c(stack):
    """``curl --http2``: the request goes as HTTP/1.1 with ``Upgrade: h2c``; the server answers
    ``101 Switching Protocols`` then the response in HTTP/2 frames on stream 1.  The span is the
    request's, with the final status (not the 101), once per side.

    The server answers stream 1 after the client's preface (upgrade_server): by then the kernel
    captures the socket as HTTP/2 (docs/reference.md §2.11), and big.bin's answer (one write of
    49 KiB) is shipped whole on both sides."""
    agent, servers = stack
    port = servers["upgrade"].port
    before = settled_counters(agent)
    sent: collections.Counter = collections.Counter()
    for n in range(30):
        path = "/upgrade" + CURL_PATHS[n % len(CURL_PATHS)]
        _, code, version = _curl(["--http2"], f"http://127.0.0.1:{port}{path}")
        assert version == "2", (path, code, version)
        sent[(path, code)] += 1
    assert {status for _, status in sent} == {200, 404} and sent[("/upgrade/big.bin", 200)] == 6
    client = upgrade_spans("CLIENT (curl --http2)", client_spans(agent, "curl", port, 30))
    assert client == sent, (client - sent, sent - client)
    server_spans(agent, servers["upgrade"], "/upgrade/", 30)
    grew = grown(before, settled_counters(agent))  # then every event was processed: every span is out
    server = upgrade_spans("SERVER (upgrade)", server_spans(agent, servers["upgrade"], "/upgrade/", 30))
    assert server == sent, (server - sent, sent - server)
    print(f"curl --http2: counters grown {grew}")
    for name in ("midstream_connections", "hpack_errors", "undecodable_fields", "undecodable_messages",
                 "bad_messages", "given_up", "internal_errors", "lost_streams", "framing_lost"):  # fmt: skip
        assert grew.get(name, 0) == 0, (name, grew)
    assert (grew.get("connections"), grew.get("pairs"), grew.get("http.upgrades")) == (60, 60, 60), grew


# -- an h2c server that takes the HTTP/1.1 Upgrade (nghttpd does not) ---------------------------


def upgrade_server(port: int, docroot: Path) -> None:
    """HTTP/1.1 requests with ``Upgrade: h2c`` (RFC 7540 §3.2) switched to HTTP/2, files from
    ``docroot`` (200) or a 404; a request without the upgrade is answered in HTTP/1.1."""
    import socketserver

    import h2.config
    import h2.connection
    import h2.events

    def answer(conn: h2.connection.H2Connection, stream_id: int, path: str) -> None:
        file = (docroot / path.lstrip("/")).resolve()
        found = file.is_file() and file.is_relative_to(docroot)
        body = file.read_bytes() if found else b"not found\n"
        conn.send_headers(
            stream_id,
            [(":status", "200" if found else "404"), ("content-length", str(len(body))), ("server", "h2-upgrade")],
        )
        # Within the peer's initial window (64 KiB - 1) and in frames it accepts: the files are smaller.
        step = conn.max_outbound_frame_size
        for offset in range(0, len(body), step):
            conn.send_data(stream_id, body[offset : offset + step])
        conn.end_stream(stream_id)

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            try:
                self.serve(self.request)
            except OSError:
                pass  # the client hung up without a GOAWAY (curl does)

        def serve(self, sock) -> None:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, rest = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            _method, target, _version = lines[0].split(" ", 2)
            headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
            if headers.get("upgrade", "").lower() != "h2c" or "http2-settings" not in headers:
                sock.sendall(b"HTTP/1.1 426 Upgrade Required\r\nUpgrade: h2c\r\nContent-Length: 0\r\n\r\n")
                return
            conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
            conn.initiate_upgrade_connection(headers["http2-settings"])
            # The 101 and the server's SETTINGS in one write: the bytes after the 101 are HTTP/2's.
            sock.sendall(
                b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n" + conn.data_to_send()
            )
            # Stream 1 (the upgraded request, half-closed by the client) is answered once the client's
            # preface came: curl 7.88 fails an upgrade whose 101 it reads with more than 32 KiB of
            # frames behind it (exit 16, "connection buffer size is too small to store data following
            # HTTP Upgrade response header": 2 in 60 big.bin fetches when answered with the 101).
            first = target
            data = rest
            while True:
                if data:
                    events = conn.receive_data(data)
                    if first is not None:
                        answer(conn, 1, first)
                        first = None
                    for event in events:
                        if isinstance(event, h2.events.RequestReceived):
                            answer(conn, event.stream_id, dict(event.headers)[b":path"].decode())
                        elif isinstance(event, h2.events.ConnectionTerminated):
                            sock.sendall(conn.data_to_send())
                            return
                    sock.sendall(conn.data_to_send())
                data = sock.recv(65536)
                if not data:
                    return

    class Server(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True

    with Server(("127.0.0.1", port), Handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--upgrade-server":
        upgrade_server(int(sys.argv[2]), Path(sys.argv[3]).resolve())
    else:
        raise SystemExit("usage: python -m tests.test_h2c_e2e --upgrade-server PORT DOCROOT")
