"""A frontend that relays checkouts to the shop, and the shop on any address, for the cause tests.

Usage:
    python frontend_app.py frontend HOST PORT UPSTREAM_HOST UPSTREAM_PORT
    python frontend_app.py shop HOST PORT

* ``frontend``: ``POST /checkout`` is sent on to the upstream's ``/checkout`` over a keep-alive
  connection per handler thread, and its status and body come back unchanged (so a silent
  ``{"success": false}`` stays one); an upstream that cannot be reached gives a 502.  Each
  request leaves in one write (as curl, Go or Node send a small request), not http.client's
  headers-then-body: a lost body segment would otherwise count in the shop's own span.
* ``shop``: ``shop_app.py``'s handler (``/checkout``, ``/control?fail=N``, ``/slow?ms=N``)
  bound to HOST instead of 127.0.0.1 (e.g. inside a network namespace).
"""

from __future__ import annotations

import http.client
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import shop_app  # noqa: E402

_local = threading.local()


class OneWriteConnection(http.client.HTTPConnection):
    """http.client sends the head and the body in two writes; this sends them in one, without Nagle."""

    def connect(self):
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _send_output(self, message_body=None, encode_chunked=False):
        self._buffer.extend((b"", b""))
        head = b"\r\n".join(self._buffer)
        del self._buffer[:]
        self.send(head + (message_body or b""))


class Frontend(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 65536
    disable_nagle_algorithm = True
    upstream: tuple[str, int] = ("127.0.0.1", 0)

    def log_message(self, *args):
        pass

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _call(self, body: bytes) -> tuple[int, bytes]:
        for attempt in range(2):  # a keep-alive connection the upstream closed is retried once
            conn = getattr(_local, "conn", None)
            if conn is None:
                conn = _local.conn = OneWriteConnection(*self.upstream, timeout=10)
            try:
                conn.request("POST", "/checkout", body=body, headers={"Content-Type": "application/json"})
                resp = conn.getresponse()
                return resp.status, resp.read()
            except OSError:
                conn.close()
                _local.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path != "/checkout":
            self._send(404, b"{}")
            return
        try:
            status, answer = self._call(body)
        except OSError as exc:
            self._send(502, f'{{"error": "{type(exc).__name__}"}}'.encode())
            return
        self._send(status, answer)


def main(argv: list[str]) -> None:
    if argv[0] == "frontend":
        Frontend.upstream = (argv[3], int(argv[4]))
        server = ThreadingHTTPServer((argv[1], int(argv[2])), Frontend)
    elif argv[0] == "shop":
        server = ThreadingHTTPServer((argv[1], int(argv[2])), shop_app.Handler)
    else:
        raise SystemExit(__doc__)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
