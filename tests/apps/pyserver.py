"""A small HTTP/1.1 keep-alive server with the routes the integration tests exercise.

Usage: python pyserver.py PORT [UPSTREAM_PORT]
With TLS_CERT and TLS_KEY in the environment (PEM files) it serves HTTPS (TLS 1.2 and 1.3).
With UPSTREAM_PORT, GET /chain calls GET /items/7 on that port, forwarding the
incoming traceparent header unchanged (what a context-propagating app does).
"""

import http.client
import json
import os
import ssl
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body are two writes: with Nagle the second waits for the client's delayed ACK
    # (40 ms a request over TLS, where each write is a record of its own).
    disable_nagle_algorithm = True

    def log_message(self, *args):  # keep the test output clean
        pass

    def _reply(self, status, body=b"", content_type="application/json", headers=()):
        self.send_response(status)
        if status not in (204, 304):
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if body and self.command != "HEAD" and status not in (204, 304):
            self.wfile.write(body)

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        path = self.path.split("?")[0]
        if path.startswith("/items/"):
            self._reply(200, json.dumps({"id": path.rsplit("/", 1)[1], "name": "widget"}).encode())
        elif path == "/old":
            self._reply(301, b"", headers=[("Location", "/new")])
        elif path == "/fail":
            self._reply(500, b'{"error":"boom"}')
        elif path == "/sleep":
            time.sleep(0.05)
            self._reply(200, b'{"slept":true}')
        elif path == "/checkout":
            self._reply(
                200, b'{"success": false, "error": {"code": "card_declined", "message": "Your card was declined"}}'
            )
        elif path == "/chain" and UPSTREAM:
            conn = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=5)
            headers = {}
            if self.headers.get("traceparent"):
                headers["traceparent"] = self.headers["traceparent"]
            conn.request("GET", "/items/7", headers=headers)
            upstream = conn.getresponse().read()
            conn.close()
            self._reply(200, upstream)
        else:
            self._reply(404, b'{"error":"not found"}')

    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        self._body()
        self._reply(201, b'{"created":true}')

    def do_PUT(self):
        self._body()
        self._reply(200, b'{"updated":true}')

    def do_DELETE(self):
        self._reply(204)


UPSTREAM = int(sys.argv[2]) if len(sys.argv) > 2 else 0

if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    if os.environ.get("TLS_CERT"):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(os.environ["TLS_CERT"], os.environ["TLS_KEY"])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print("ready", flush=True)
    server.serve_forever()
