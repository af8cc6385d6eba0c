"""A shop whose checkout fails on demand, for the health and SLO tests.

Usage: python shop_app.py PORT

* ``POST /checkout``: 200 ``{"success": true, ...}``, or a *silent* payment failure
  (200 ``{"success": false, "error": {"code": "card_declined", ...}}``) for ``fail`` percent
  of requests, spread evenly (request i fails when ``i * fail % 100 < fail``);
* ``GET /control?fail=N``: sets the failure percentage;
* ``GET /slow?ms=N``: answers after N milliseconds.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

OK = json.dumps({"success": True, "data": {"order": 1}}).encode()
DECLINED = json.dumps(
    {"success": False, "error": {"code": "card_declined", "message": "Your card was declined."}}
).encode()

state = {"fail": 0, "count": 0}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One write per response and no Nagle: otherwise headers and body leave in two segments and
    # the client's delayed ACK caps a keep-alive connection at ~25 requests/s.
    wbufsize = 65536
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def _send(self, body: bytes, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        if self.path != "/checkout":
            self._send(b"{}", 404)
            return
        with lock:
            i = state["count"]
            state["count"] += 1
            fail = state["fail"]
        # Evenly spread: exactly `fail` failures in every 100 consecutive requests.
        failed = (i * fail) % 100 < fail if fail else False
        self._send(DECLINED if failed else OK)

    def do_GET(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path == "/control":
            with lock:
                state["fail"] = int(query.get("fail", ["0"])[0])
                state["count"] = 0
            self._send(b"{}")
        elif url.path == "/slow":
            time.sleep(int(query.get("ms", ["0"])[0]) / 1000)
            self._send(OK)
        else:
            self._send(b"{}", 404)


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()
