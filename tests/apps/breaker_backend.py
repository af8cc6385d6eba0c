"""A shop backend whose checkout can be told to fail silently, for the circuit breaker's tests.

    python breaker_backend.py PORT CONTROL_PORT

PORT serves the shop (HTTP/1.1, keep-alive):

* ``POST /checkout``: ``200 {"success": true, "order": N}`` (``?cart=gone``: a 404); while failing, 3 requests of every
  5 (deterministic: the 1st, 2nd and 3rd of each group of five) answer ``200 {"success": false,
  "error": {"code": "card_declined", ...}}``: a silent payment failure, 60%;
* ``GET /items/{id}``: always ``200``, the healthy route.

CONTROL_PORT (not captured by the agent, so it never counts as traffic):

* ``GET /mode/ok``, ``/mode/fail``, ``/mode/flap?period=S`` (failing during every other period
  of S seconds, from the switch);
* ``GET /stats``: requests received per route, as JSON.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

lock = threading.Lock()
state = {"mode": "ok", "since": time.monotonic(), "period": 1.0, "checkout_n": 0}
received: dict[str, int] = {"/checkout": 0, "/items": 0}


def failing_now() -> bool:
    mode = state["mode"]
    if mode == "fail":
        return True
    if mode == "flap":
        return int((time.monotonic() - state["since"]) / state["period"]) % 2 == 0
    return False


class Shop(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # http.server writes the head and the body in two sends: without this, Nagle's algorithm
        # and the peer's delayed ACK hold the body back 40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if self.path.split("?")[0] != "/checkout":
            self._send(404, {"error": "not found"})
            return
        if self.path.endswith("?cart=gone"):  # the client's mistake, not the backend's
            self._send(404, {"error": {"code": "cart_not_found", "message": "No such cart."}})
            return
        with lock:
            received["/checkout"] += 1
            n = state["checkout_n"] = state["checkout_n"] + 1
            fail = failing_now() and n % 5 in (1, 2, 3)
        if fail:
            error = {"code": "card_declined", "message": "Your card was declined."}
            self._send(200, {"success": False, "error": error})
        else:
            self._send(200, {"success": True, "order": n})

    def do_GET(self) -> None:  # noqa: N802
        if self.path.startswith("/items/"):
            with lock:
                received["/items"] += 1
            self._send(200, {"id": self.path.rsplit("/", 1)[1], "name": "teapot", "price": 12.5})
        else:
            self._send(404, {"error": "not found"})

    def log_message(self, *args) -> None:
        pass


class Control(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        with lock:
            if url.path.startswith("/mode/"):
                state["mode"] = url.path.rsplit("/", 1)[1]
                state["since"] = time.monotonic()
                state["period"] = float(parse_qs(url.query).get("period", ["1"])[0])
                body = {"mode": state["mode"]}
            else:
                body = dict(received)
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


def main() -> None:
    port, control_port = int(sys.argv[1]), int(sys.argv[2])
    for server in (
        ThreadingHTTPServer(("127.0.0.1", port), Shop),
        ThreadingHTTPServer(("127.0.0.1", control_port), Control),
    ):
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Event().wait()


if __name__ == "__main__":
    main()
