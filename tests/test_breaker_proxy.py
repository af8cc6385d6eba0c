"""The breaker proxy's data path against real backends over real sockets.

Two backends: nginx (a temp prefix, a loopback port), for what a real server does (keep-alive,
$connection, HEAD/204/304, a 50 MB file), and a small threaded Python server whose paths choose
how it misbehaves (slow, reset mid-body, stale keep-alive, 101 then echo, chunked both ways).
The gate is a fake that records what it was asked and told.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from otel_ebpf.breaker.proxy import Admission, BreakerProxy
from tests.harness import ROOT, free_port, require_binary, stop_process, wait_port, wait_until

BIG_SIZE = 50 * 1024 * 1024
BIG_PATTERN = bytes(range(256)) * 4096  # 1 MiB; the 50 MB file is 50 of them
SMALL_SIZE = 1000
OK_JSON = b'{"ok":true,"items":[1,2,3]}'


# -- the backends ------------------------------------------------------------------------------

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    keepalive_requests 100000;
    default_type application/json;
    server {
        listen 127.0.0.1:{port};
        location = /json { return 200 '{"ok":true,"items":[1,2,3]}'; }
        location = /conn { return 200 '$connection'; }
        location = /headers {
            return 200 '$http_host|$http_x_forwarded_for|$http_x_forwarded_proto|$http_x_forwarded_host|{hop}';
        }
        location = /nocontent { return 204; }
        location = /notmodified { return 304; }
        location /p/ { return 200 '$uri'; }
        location /static/ { root {tmp}; }
    }
}
"""


class Nginx:
    def __init__(self, tmp: Path) -> None:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.path.exists(binary):
            require_binary("nginx")
        self.port = free_port()
        (tmp / "static").mkdir()
        with open(tmp / "static" / "big.bin", "wb") as f:
            for _ in range(BIG_SIZE // len(BIG_PATTERN)):
                f.write(BIG_PATTERN)
        (tmp / "static" / "small.bin").write_bytes(b"s" * SMALL_SIZE)
        conf = NGINX_CONF.replace("{tmp}", str(tmp)).replace("{port}", str(self.port))
        conf = conf.replace("{hop}", "$http_x_secret|$http_keep_alive|$http_te")  # what must not reach it
        if os.geteuid() == 0:  # workers as root: the temp dir is not readable by nobody
            conf = "user root;\n" + conf
        (tmp / "nginx.conf").write_text(conf)
        self.proc = subprocess.Popen([binary, "-c", str(tmp / "nginx.conf")], stderr=subprocess.PIPE)
        wait_port(self.port)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        stop_process(self.proc, signal.SIGQUIT)


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    server = Nginx(tmp_path_factory.mktemp("nginx"))
    yield server
    server.stop()


def read_request(f) -> tuple[str, str, dict, bytes] | None:
    """(method, target, headers, de-chunked body) of the next request on ``f``; None at EOF."""
    line = f.readline()
    if not line:
        return None
    method, target, _ = line.decode().split(" ", 2)
    headers = read_headers(f)
    if target == "/sink":
        time.sleep(1.0)  # a backend slow to read the body: the proxy must not take it all meanwhile
    if "chunked" in headers.get("transfer-encoding", ""):
        body = read_chunked(f)
    else:
        body = f.read(int(headers.get("content-length", 0)))
    return method, target, headers, body


def read_headers(f) -> dict[str, str]:
    headers = {}
    while True:
        line = f.readline()
        if line in (b"\r\n", b""):
            return headers
        name, value = line.decode("latin-1").split(":", 1)
        headers[name.strip().lower()] = value.strip()


def read_chunked(f) -> bytes:
    body = bytearray()
    while True:
        size = int(f.readline().split(b";")[0], 16)
        if size == 0:
            read_headers(f)  # trailers, then the empty line
            return bytes(body)
        body += f.read(size)
        f.readline()


class PyBackend:
    """A threaded HTTP/1.1 backend; the path says what it does.

    ``/echo`` the body back in a chunked response; ``/sink`` its hash (read after a pause);
    ``/chunked`` a chunked body; ``/slow`` answers after ``release``; ``/reset`` resets
    mid-body; ``/stall`` sends part of the body and waits for ``release``; ``/upgrade`` 101 then
    echo; ``/die-next`` answers, then drops the connection at its next request unanswered;
    ``/close-after`` answers (keep-alive) and closes; ``/eof-body`` a body ended by closing;
    ``/early-hints`` a 103 before the 200; anything else ``ok <path>``.
    """

    def __init__(self) -> None:
        self.accepts = 0
        self.requests: list[tuple[str, str, dict, bytes]] = []
        self.release = threading.Event()
        backend = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                backend.accepts += 1
                conn = self.request
                f = conn.makefile("rb")
                die_next = False
                while True:
                    req = read_request(f)
                    if req is None or die_next:
                        return
                    backend.requests.append(req)
                    die_next = req[1] == "/die-next"
                    if not backend.serve(conn, f, *req):
                        return

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True
            block_on_close = False

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def serve(self, conn: socket.socket, f, method: str, target: str, headers: dict, body: bytes) -> bool:
        """Answers one request; False: the connection ends."""
        if target == "/echo":
            te = headers.get("transfer-encoding", "-").encode()
            third = max(1, len(body) // 3)
            pieces = [body[:third], body[third : 2 * third], body[2 * third :]]
            chunks = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces if p)
            conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Request-TE: " + te + b"\r\n\r\n")
            conn.sendall(chunks + b"0\r\n\r\n")
        elif target == "/sink":
            digest = hashlib.sha256(body).hexdigest().encode()
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(digest), digest))
        elif target == "/chunked":
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
            conn.sendall(head if method == "HEAD" else head + b"6\r\nalpha-\r\n5\r\nbeta-\r\n5\r\ngamma\r\n0\r\n\r\n")
        elif target == "/slow":
            self.release.wait(10)
            return False
        elif target in ("/reset", "/stall"):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 100)
            if target == "/stall":
                self.release.wait(10)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            return False  # closed with SO_LINGER 0: a reset
        elif target == "/upgrade":
            conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
            while data := f.read1(65536):
                conn.sendall(data)
            return False
        elif target == "/eof-body":
            conn.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end")
            return False
        elif target == "/early-hints":
            conn.sendall(
                b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal"
            )
        else:
            text = f"ok {target}".encode()
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s" % (len(text), text)
            )
            return target != "/close-after"
        return True


@pytest.fixture
def py_backend():
    backend = PyBackend()
    yield backend
    backend.close()


# -- the gate and the proxy ----------------------------------------------------------------------


class FakeGate:
    """Refuses targets under ``reject``; records every admit() and settle()."""

    def __init__(self, reject: str | None = None, sample: int = 0) -> None:
        self.reject = reject
        self.sample = sample
        self.admitted: list[tuple[str, str, list]] = []
        self.settled: list[tuple[object, object]] = []

    def admit(self, method, target, headers):
        self.admitted.append((method, target, list(headers)))
        if self.reject and target.startswith(self.reject):
            return Admission(False, 503, (("Retry-After", "5"),), b'{"error":"circuit_open"}')
        return Admission(True, sample_body=self.sample, ticket=len(self.admitted))

    def settle(self, admission, outcome):
        self.settled.append((admission.ticket, outcome))

    def wait_settled(self, count: int) -> list:
        assert wait_until(lambda: len(self.settled) >= count), self.settled
        time.sleep(0.05)  # a generous margin for a second, wrong, call
        assert len(self.settled) == count, self.settled
        return [outcome for _, outcome in self.settled]


@contextmanager
def proxy_to(backend_url: str, gate: FakeGate | None = None, **kwargs):
    proxy = BreakerProxy("127.0.0.1:0", backend_url, gate or FakeGate(), **kwargs)
    proxy.start()
    try:
        yield proxy
    finally:
        assert proxy.stop()


def get(conn: http.client.HTTPConnection, path: str, method: str = "GET", **kwargs) -> tuple[int, dict, bytes]:
    conn.request(method, path, **kwargs)
    resp = conn.getresponse()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()


def raw(port: int) -> tuple[socket.socket, object]:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    return sock, sock.makefile("rb")


def read_response(f, head: bool = False) -> tuple[int, dict, bytes]:
    line = f.readline()
    if not line:
        raise EOFError("connection closed")
    status = int(line.split()[1])
    headers = read_headers(f)
    if head or status in (204, 304) or 100 <= status < 200:
        return status, headers, b""
    if "chunked" in headers.get("transfer-encoding", ""):
        return status, headers, read_chunked(f)
    if "content-length" in headers:
        return status, headers, f.read(int(headers["content-length"]))
    return status, headers, f.read()


# -- keep-alive, framing, streaming --------------------------------------------------------------


def test_keep_alive_reuses_connections_on_both_sides(nginx):
    with proxy_to(nginx.url) as proxy:
        serials = set()
        for _ in range(3):  # three client connections, one after the other
            conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
            for _ in range(5):
                status, _, body = get(conn, "/conn")
                assert status == 200
                serials.add(body)
            conn.close()
        assert len(serials) == 1  # nginx's $connection: every request on one backend connection
        stats = proxy.stats()
        assert stats["requests"] == 15
        assert stats["client_connections"] == 3
        assert stats["backend_connections_opened"] == 1


def test_chunked_request_and_response_bodies(py_backend):
    with proxy_to(py_backend.url) as proxy:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        parts = [b"first-", b"second-" * 1000, b"third"]
        status, headers, body = get(conn, "/echo", "POST", body=iter(parts), encode_chunked=True)
        assert (status, body) == (200, b"".join(parts))
        assert headers["transfer-encoding"] == "chunked"
        assert headers["x-request-te"] == "chunked"  # the backend got a chunked body too
        # A HEAD whose response announces a chunked body it does not have, then a GET on the
        # same connections: the proxy must not wait for (or take the GET's response as) its body.
        status, headers, body = get(conn, "/chunked", "HEAD")
        assert (status, body) == (200, b"")
        status, _, body = get(conn, "/chunked")
        assert (status, body) == (200, b"alpha-beta-gamma")
        # A body that ends when the backend closes: re-framed as chunked for an HTTP/1.1 client.
        status, headers, body = get(conn, "/eof-body")
        assert (status, body, headers["transfer-encoding"]) == (200, b"until the end", "chunked")
        status, _, body = get(conn, "/after")
        assert (status, body) == (200, b"ok /after")
        assert proxy.stats()["client_connections"] == 1


PROXY_MAIN = """
import sys
from otel_ebpf.breaker.proxy import AllowAll, BreakerProxy
proxy = BreakerProxy("127.0.0.1:0", sys.argv[1], AllowAll())
proxy.start()
print(proxy.port, flush=True)
sys.stdin.read()
proxy.stop()
"""


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_50_mb_each_way_with_bounded_memory(nginx, py_backend):
    """The client (or the backend) stops reading for a while: without flow control the proxy would
    hold the rest of the 50 MB; with it, its peak RSS grows by a few MiB at most."""
    proc = subprocess.Popen(
        [sys.executable, "-c", PROXY_MAIN, nginx.url], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    upload_proc = subprocess.Popen(
        [sys.executable, "-c", PROXY_MAIN, py_backend.url], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        port, upload_port = int(proc.stdout.readline()), int(upload_proc.stdout.readline())
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        assert get(conn, "/json")[0] == 200  # warmed up: the baseline includes a first exchange
        before = peak_rss_kib(proc.pid)
        conn.request("GET", "/static/big.bin")
        resp = conn.getresponse()
        assert resp.status == 200 and int(resp.getheader("content-length")) == BIG_SIZE
        received = hashlib.sha256(resp.read(1 << 20))
        time.sleep(1.0)  # the client stalls; nginx could send the other 49 MB meanwhile
        while piece := resp.read(1 << 20):
            received.update(piece)
        assert received.hexdigest() == hashlib.sha256(BIG_PATTERN * 50).hexdigest()
        grown = (peak_rss_kib(proc.pid) - before) / 1024
        assert grown < 16, f"the proxy's peak RSS grew by {grown:.1f} MiB for a 50 MB response"

        # The other way: a 50 MB chunked upload to a backend that reads it with Python's speed.
        conn = http.client.HTTPConnection("127.0.0.1", upload_port, timeout=60)
        assert get(conn, "/warm-up")[0] == 200
        before = peak_rss_kib(upload_proc.pid)
        status, _, body = get(conn, "/sink", "POST", body=iter([BIG_PATTERN] * 50), encode_chunked=True)
        assert (status, body.decode()) == (200, hashlib.sha256(BIG_PATTERN * 50).hexdigest())
        grown = (peak_rss_kib(upload_proc.pid) - before) / 1024
        assert grown < 16, f"the proxy's peak RSS grew by {grown:.1f} MiB for a 50 MB upload"
    finally:
        for p in (proc, upload_proc):
            p.stdin.close()
            stop_process(p)


def test_pipelined_requests_are_answered_in_order_and_bodiless_responses_have_no_body(nginx):
    with proxy_to(nginx.url) as proxy:
        sock, f = raw(proxy.port)
        requests = [
            ("GET", "/p/1"),
            ("HEAD", "/static/small.bin"),  # Content-Length 1000, no body
            ("GET", "/nocontent"),
            ("GET", "/notmodified"),
            ("GET", "/p/2"),
            ("HEAD", "/p/3"),
            ("GET", "/p/4"),
        ]
        sock.sendall(b"".join(f"{m} {p} HTTP/1.1\r\nHost: test\r\n\r\n".encode() for m, p in requests))
        answers = [read_response(f, head=m == "HEAD") for m, _ in requests]
        assert [(s, b) for s, _, b in answers] == [
            (200, b"/p/1"),
            (200, b""),
            (204, b""),
            (304, b""),
            (200, b"/p/2"),
            (200, b""),
            (200, b"/p/4"),
        ]
        assert answers[1][1]["content-length"] == str(SMALL_SIZE)
        # Nothing more on the connection: a stray body byte would show here.
        sock.sendall(b"GET /p/5 HTTP/1.1\r\nHost: test\r\n\r\n")
        assert read_response(f)[2] == b"/p/5"
        sock.close()


def test_http_1_0_and_connection_close(py_backend):
    with proxy_to(py_backend.url) as proxy:
        # HTTP/1.0 without keep-alive: no chunked framing, the end of the body is the close.
        sock, f = raw(proxy.port)
        sock.sendall(b"GET /chunked HTTP/1.0\r\n\r\n")
        status, headers, body = read_response(f)
        assert (status, body) == (200, b"alpha-beta-gamma")
        assert "transfer-encoding" not in headers
        sock.close()
        # HTTP/1.0 with keep-alive: the connection stays.
        sock, f = raw(proxy.port)
        for path in ("/a", "/b"):
            sock.sendall(f"GET {path} HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".encode())
            status, headers, body = read_response(f)
            assert (status, body, headers["connection"]) == (200, f"ok {path}".encode(), "keep-alive")
        sock.close()
        # HTTP/1.1 with Connection: close: answered, then closed.
        sock, f = raw(proxy.port)
        sock.sendall(b"GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        status, headers, body = read_response(f)
        assert (status, body, headers["connection"]) == (200, b"ok /c", "close")
        assert f.read() == b""
        sock.close()
        # A 103 before the final response reaches an HTTP/1.1 client.
        sock, f = raw(proxy.port)
        sock.sendall(b"GET /early-hints HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_response(f)[:2] == (103, {"link": "</a.css>"})
        assert read_response(f)[2] == b"final"
        sock.close()
        assert py_backend.requests[0][2]["host"] == f"127.0.0.1:{py_backend.port}"  # HTTP/1.0 had none


def test_forwarded_headers_and_hop_by_hop_headers(nginx):
    with proxy_to(nginx.url) as proxy:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        hop = {"Connection": "keep-alive, X-Secret", "X-Secret": "s", "Keep-Alive": "timeout=5", "TE": "trailers"}
        conn.putrequest("GET", "/headers", skip_host=True)
        for name, value in {"Host": "shop.example:8080", "X-Forwarded-For": "203.0.113.7", **hop}.items():
            conn.putheader(name, value)
        conn.endheaders()
        resp = conn.getresponse()
        seen = resp.read().decode().split("|")
        assert seen == ["shop.example:8080", "203.0.113.7, 127.0.0.1", "http", "shop.example:8080", "", "", ""]
        # Set by a proxy in front (which terminated TLS): kept.
        status, _, body = get(conn, "/headers", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "a.b"})
        assert body.decode().split("|")[1:4] == ["127.0.0.1", "https", "a.b"]


# -- failures ------------------------------------------------------------------------------------


def test_502_when_the_backend_port_is_closed():
    gate = FakeGate()
    with proxy_to(f"http://127.0.0.1:{free_port()}", gate) as proxy:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        for _ in range(2):  # and it keeps answering
            status, headers, body = get(conn, "/x")
            assert (status, headers["content-type"]) == (502, "application/json")
            assert b"bad_gateway" in body
        outcomes = gate.wait_settled(2)
        assert [(o.status, o.failure) for o in outcomes] == [(None, "connect")] * 2
        assert proxy.stats()["backend_connect_failures"] == 2


def test_504_when_the_backend_does_not_answer_in_time(py_backend):
    gate = FakeGate()
    with proxy_to(py_backend.url, gate, response_timeout_s=0.5) as proxy:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        t0 = time.monotonic()
        status, _, body = get(conn, "/slow")
        elapsed = time.monotonic() - t0
        assert status == 504 and b"gateway_timeout" in body
        assert 0.45 <= elapsed < 5
        (outcome,) = gate.wait_settled(1)
        assert (outcome.status, outcome.failure) == (None, "timeout")
        assert 0.45 <= outcome.duration_s < 5
        assert get(conn, "/fine") == (200, {"content-type": "text/plain", "content-length": "8"}, b"ok /fine")
        assert proxy.stats()["backend_timeouts"] == 1


def test_backend_reset_mid_response_closes_the_client_connection(py_backend):
    gate = FakeGate()
    with proxy_to(py_backend.url, gate) as proxy:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        conn.request("GET", "/reset")
        resp = conn.getresponse()
        assert resp.status == 200
        with pytest.raises(http.client.IncompleteRead):
            resp.read()
        (outcome,) = gate.wait_settled(1)
        assert (outcome.status, outcome.failure) == (200, "reset")
        assert proxy.stats()["backend_resets"] == 1


def test_client_gone_mid_response_is_settled_as_client(py_backend):
    gate = FakeGate()
    with proxy_to(py_backend.url, gate) as proxy:
        sock, f = raw(proxy.port)
        sock.sendall(b"GET /stall HTTP/1.1\r\nHost: x\r\n\r\n")
        assert f.readline().startswith(b"HTTP/1.1 200")
        f.close()
        sock.close()
        (outcome,) = gate.wait_settled(1)
        assert (outcome.status, outcome.failure) == (200, "client")
        assert proxy.stats()["client_resets"] == 1


GARBAGE = [
    (b"\x00\x01\x02 not http\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
    (b"GET / HTTP/1.1\r\nBad Header\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nX-Big: " + b"a" * (1 << 20), 431),  # a head that never ends
]


def test_garbage_is_400_and_the_proxy_keeps_serving(py_backend):
    gate = FakeGate()
    with proxy_to(py_backend.url, gate) as proxy:
        for data, expected in GARBAGE:
            sock, f = raw(proxy.port)
            sock.sendall(data)
            status, _, _ = read_response(f)
            assert status == expected, data[:60]
            assert f.read() == b""  # and closed
            sock.close()
        # After a good request on the same connection: the good one is answered, then 400.
        sock, f = raw(proxy.port)
        sock.sendall(b"GET /good HTTP/1.1\r\nHost: x\r\n\r\n\x16\x03\x01 tls hello")
        assert read_response(f)[::2] == (200, b"ok /good")
        assert read_response(f)[0] == 400
        sock.close()
        assert proxy.stats()["bad_requests"] == len(GARBAGE) + 1
        assert [r[1] for r in py_backend.requests] == ["/good"]  # no garbage reached the backend
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        assert get(conn, "/still")[2] == b"ok /still"
        assert proxy.stats()["internal_errors"] == 0


# -- the gate ----------------------------------------------------------------------------------


def test_a_refused_request_never_reaches_the_backend(py_backend):
    gate = FakeGate(reject="/blocked")
    with proxy_to(py_backend.url, gate) as proxy:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        status, headers, body = get(conn, "/blocked/1")
        assert (status, headers["retry-after"], body) == (503, "5", b'{"error":"circuit_open"}')
        assert headers["content-type"] == "application/json"
        status, headers, body = get(conn, "/blocked/2", "POST", body=b'{"order": 1}')  # its body is skipped
        assert status == 503
        assert (py_backend.accepts, py_backend.requests) == (0, [])
        assert get(conn, "/open")[::2] == (200, b"ok /open")  # the same client connection
        assert py_backend.accepts == 1
        assert [(m, t) for m, t, _ in gate.admitted] == [
            ("GET", "/blocked/1"),
            ("POST", "/blocked/2"),
            ("GET", "/open"),
        ]
        assert (b"Host", b"127.0.0.1:%d" % proxy.port) in gate.admitted[0][2]
        assert len(gate.wait_settled(1)) == 1  # refused requests are not settled
        assert proxy.stats()["rejected"] == 2


def test_settle_once_per_allowed_request_with_a_sample_of_the_body(nginx, py_backend):
    gate = FakeGate(sample=10)
    with proxy_to(nginx.url, gate) as proxy:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        get(conn, "/json")
        get(conn, "/nocontent")
        get(conn, "/p/x?q=1")
        outcomes = gate.wait_settled(3)
        assert [(o.status, o.failure, o.content_type, o.body) for o in outcomes] == [
            (200, None, "application/json", OK_JSON[:10]),
            (204, None, "", b""),
            (200, None, "application/json", b"/p/x"),
        ]
        assert all(0 < o.duration_s < 5 for o in outcomes)
        assert [ticket for ticket, _ in gate.settled] == [1, 2, 3]
        assert gate.admitted[2][1] == "/p/x?q=1"  # the request-target as sent
    gate = FakeGate(sample=8)
    with proxy_to(py_backend.url, gate) as proxy:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        get(conn, "/chunked")
        (outcome,) = gate.wait_settled(1)
        assert (outcome.status, outcome.content_type, outcome.body) == (200, "text/plain", b"alpha-be")  # de-chunked


# -- stale pooled connections ------------------------------------------------------------------


def test_a_pooled_connection_dropped_by_the_backend_is_retried_once(py_backend):
    """The backend drops the pooled connection when the next request arrives on it (the race of an
    idle close): the request is sent again on a fresh connection."""
    gate = FakeGate()
    with proxy_to(py_backend.url, gate) as proxy:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        assert get(conn, "/die-next")[2] == b"ok /die-next"
        assert get(conn, "/then")[::2] == (200, b"ok /then")
        stats = proxy.stats()
        assert (stats["retries"], stats["backend_connections_opened"], stats["backend_resets"]) == (1, 2, 0)
        assert [(o.status, o.failure) for o in gate.wait_settled(2)] == [(200, None), (200, None)]


def test_a_post_on_a_dropped_pooled_connection_is_not_sent_twice(py_backend):
    """The backend may have acted on a POST before it closed: it is a 502, not a second POST."""
    gate = FakeGate()
    with proxy_to(py_backend.url, gate) as proxy:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        assert get(conn, "/die-next")[2] == b"ok /die-next"
        status, _, _ = get(conn, "/then", method="POST", body=b"{}")
        assert status == 502
        stats = proxy.stats()
        assert (stats["retries"], stats["backend_resets"]) == (0, 1)
        assert [(o.status, o.failure) for o in gate.wait_settled(2)] == [(200, None), (None, "reset")]


def test_idle_client_connections_are_closed(py_backend):
    with proxy_to(py_backend.url, idle_timeout_s=1.0) as proxy:
        busy = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        sock, f = raw(proxy.port)
        sock.sendall(b"GET /x HTTP/1.1\r\nHost: ")  # a head that never ends
        for _ in range(8):  # one request every 0.2 s keeps a connection open
            assert get(busy, "/fine")[0] == 200
            time.sleep(0.2)
        assert f.read() == b""  # closed by the proxy (within 1.5 s: the timeout and a sweep)
        assert proxy.stats()["client_idle_closed"] == 1
        assert get(busy, "/fine")[0] == 200  # the busy one was never closed
        sock.close()


def test_a_pooled_connection_closed_while_idle_does_not_lose_the_request(py_backend):
    with proxy_to(py_backend.url) as proxy:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        for i in range(3):
            assert get(conn, "/close-after")[::2] == (200, b"ok /close-after"), i
        stats = proxy.stats()
        assert stats["backend_connections_opened"] == 3 and stats["backend_resets"] == 0


# -- upgrades ----------------------------------------------------------------------------------


def test_upgrade_splices_bytes_both_ways_and_connect_is_refused(py_backend):
    gate = FakeGate()
    with proxy_to(py_backend.url, gate) as proxy:
        sock, f = raw(proxy.port)
        sock.sendall(b"GET /upgrade HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nearly ")
        status, headers, _ = read_response(f, head=True)
        assert (status, headers["upgrade"], headers["connection"].lower()) == (101, "echo", "upgrade")
        assert f.read1(6) == b"early "  # sent before the 101, delivered after it
        for message in (b"ping", b"x" * 100_000):
            sock.sendall(message)
            got = b""
            while len(got) < len(message):
                got += f.read1(65536)
            assert got == message
        sock.close()
        (outcome,) = gate.wait_settled(1)
        assert (outcome.status, outcome.failure) == (101, None)
        assert py_backend.requests[0][2]["upgrade"] == "echo"

        sock, f = raw(proxy.port)
        sock.sendall(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
        assert read_response(f)[0] == 405
        assert f.read() == b""
        sock.close()


# -- the API -------------------------------------------------------------------------------------


def test_listen_and_backend_errors_and_ipv6(py_backend):
    with pytest.raises(ValueError, match="only http"):
        BreakerProxy("127.0.0.1:0", "https://127.0.0.1:443", FakeGate())
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        with pytest.raises(OSError, match=address):
            BreakerProxy(address, py_backend.url, FakeGate()).start()
    if not socket.has_ipv6:
        return
    proxy = BreakerProxy("[::1]:0", py_backend.url, FakeGate())
    proxy.start()
    try:
        conn = http.client.HTTPConnection("::1", proxy.port, timeout=10)
        assert get(conn, "/v6")[2] == b"ok /v6"
        assert py_backend.requests[-1][2]["x-forwarded-for"] == "::1"
    finally:
        assert proxy.stop()
