"""A real HTTP/1.1 server whose endpoints answer silent 200 failures, typed 4xx and 5xx.

Usage: python app_errors.py PORT
"""

from __future__ import annotations

import gzip
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROUTES = {
    "/pay": (200, {"success": False, "error": {"code": "card_declined", "message": "Your card was declined."}}),
    "/slack": (200, {"ok": False, "error": "ratelimited"}),
    "/graphql": (200, {"data": None, "errors": [{"message": "Log in", "extensions": {"code": "UNAUTHENTICATED"}}]}),
    "/ok": (200, {"success": True, "data": {"id": 1, "note": "error handling in go"}}),
    "/limited": (429, {"error": "too many requests"}),
    "/overdrawn": (400, {"error": {"code": "insufficient_funds", "message": "Insufficient funds"}}),
    "/missing": (404, {"message": "Not Found"}),
    "/broken": (500, {"error": "boom"}),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/pay-chunked-gzip":
            # A silent failure sent the hard way: gzip inside chunked framing, split in small chunks.
            body = gzip.compress(json.dumps({"status": "error", "message": "Permission denied"}).encode())
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 16):
                piece = body[i : i + 16]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
            return
        status, doc = ROUTES.get(self.path, (404, {"error": "not found"}))
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()
