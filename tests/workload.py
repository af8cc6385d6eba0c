"""The mixed HTTP workload the integration tests send, and what each request should produce."""

from __future__ import annotations

import http.client
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass

# (method, path, expected status) cycled through by the workload.
MIX = [
    ("GET", "/items/{n}", 200),
    ("POST", "/items", 201),
    ("PUT", "/items/{n}", 200),
    ("DELETE", "/items/{n}", 204),
    ("GET", "/old", 301),
    ("GET", "/missing", 404),
    ("GET", "/fail", 500),
    ("HEAD", "/items/{n}", 200),
]


@dataclass(frozen=True)
class Sent:
    method: str
    path: str
    status: int
    client_port: int
    via: str  # keepalive | fresh | curl | pipelined
    tls: str = ""  # over TLS: the version ("TLSv1.2", "TLSv1.3")


def client_context(version: str) -> ssl.SSLContext:
    """A client context that trusts anything (the tests' self-signed certificates) and speaks only
    TLS `version` ("TLSv1.2" or "TLSv1.3")."""
    context = ssl._create_unverified_context()  # noqa: S323 - the tests' own self-signed servers
    context.minimum_version = context.maximum_version = ssl.TLSVersion[version.replace(".", "_")]
    return context


_VERSIONS = ("TLSv1.3", "TLSv1.2")


def _connection(port: int, tls: bool, n: int) -> http.client.HTTPConnection:
    """A connection to the server; over TLS, the n-th one speaks TLS 1.3 or 1.2 in turn."""
    if tls:
        return http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=client_context(_VERSIONS[n % 2]))
    return http.client.HTTPConnection("127.0.0.1", port, timeout=10)


def _version(conn: http.client.HTTPConnection) -> str:
    return conn.sock.version() if isinstance(conn.sock, ssl.SSLSocket) else ""


def _request(conn: http.client.HTTPConnection, method: str, path: str) -> int:
    body = b'{"name":"widget","qty":2}' if method in ("POST", "PUT") else None
    headers = {"Content-Type": "application/json"} if body else {}
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    resp.read()
    return resp.status


def run_mixed_workload(port: int, total: int = 1000, tls: bool = False) -> list[Sent]:
    """Keep-alive connections, fresh connections, curl processes and one pipelined batch; with
    `tls`, over HTTPS, half the connections in TLS 1.3 and half in TLS 1.2."""
    sent: list[Sent] = []
    plan = [(MIX[i % len(MIX)][0], MIX[i % len(MIX)][1].format(n=i + 1), MIX[i % len(MIX)][2]) for i in range(total)]
    n_keepalive, n_fresh, n_curl = int(total * 0.6), int(total * 0.3), int(total * 0.05)
    n_pipelined = total - n_keepalive - n_fresh - n_curl
    i = 0
    # 60%: four keep-alive connections
    per_conn = n_keepalive // 4
    for c in range(4):
        conn = _connection(port, tls, c)
        count = per_conn if c < 3 else n_keepalive - 3 * per_conn
        for _ in range(count):
            method, path, expected = plan[i]
            i += 1
            status = _request(conn, method, path)
            assert status == expected, (method, path, status)
            sent.append(Sent(method, path, status, conn.sock.getsockname()[1], "keepalive", _version(conn)))
        conn.close()
    # 30%: a fresh connection per request
    for n in range(n_fresh):
        method, path, expected = plan[i]
        i += 1
        conn = _connection(port, tls, n)
        status = _request(conn, method, path)
        sent.append(Sent(method, path, status, conn.sock.getsockname()[1], "fresh", _version(conn)))
        conn.close()
    # 5%: curl processes (other clients, other syscalls; over TLS, libssl's SSL_read/SSL_write)
    scheme = "https" if tls else "http"
    for n in range(n_curl):
        method, path, expected = plan[i]
        i += 1
        args = ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{local_port}", "-X", method]
        if method == "HEAD":
            args = ["curl", "-s", "-o", "/dev/null", "-I", "-w", "%{http_code} %{local_port}"]
        if method in ("POST", "PUT"):
            args += ["-H", "Content-Type: application/json", "-d", '{"name":"widget"}']
        version = ""
        if tls:
            version = _VERSIONS[n % 2]
            args += ["-k", "--http1.1", "--tlsv1.2", "--tls-max", version[4:]]
        out = subprocess.run(args + [f"{scheme}://127.0.0.1:{port}{path}"], capture_output=True, text=True, timeout=10)
        code, local_port = out.stdout.split()
        sent.append(Sent(method, path, int(code), int(local_port), "curl", version))
    # the rest: one pipelined batch of GETs written in a single send
    sent.extend(pipelined_batch(port, [f"/items/{i + k + 1}" for k in range(n_pipelined)], tls=tls))
    return sent


def pipelined_batch(port: int, paths: list[str], tls: bool = False) -> list[Sent]:
    """Writes all requests at once, then reads the responses in order."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    client_port = sock.getsockname()[1]
    version = ""
    if tls:
        sock = client_context("TLSv1.3").wrap_socket(sock)
        version = sock.version()
    payload = b"".join(f"GET {p} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode() for p in paths)
    sock.sendall(payload)
    reader = sock.makefile("rb")
    sent = []
    for p in paths:
        status_line = reader.readline()
        status = int(status_line.split()[1])
        length = 0
        while True:
            line = reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode().partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        reader.read(length)
        sent.append(Sent("GET", p, status, client_port, "pipelined", version))
    reader.close()
    sock.close()
    return sent


def timed_get(port: int, path: str, tls: bool = False) -> float:
    """Round trip of one request on a fresh connection, measured by the client, in seconds."""
    conn = _connection(port, tls, 0)
    conn.connect()
    started = time.perf_counter()
    conn.request("GET", path)
    conn.getresponse().read()
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed
