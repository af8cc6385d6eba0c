"""A real HTTP/1.1 server that answers with secrets: silent 200 failures, 4xx and 5xx whose bodies
and headers carry card numbers, tokens, passwords, JWTs, credentials in URLs and e-mail addresses.

Usage: python secrets_server.py PORT

The secrets are the markers of tests/test_secrets_e2e.py (SECRETS there); every answer also
sets a session cookie, a JWT in a harmless-looking header and a token in a debug header.
"""

from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJTRUNSRVRKV1QifQ.c2VjcmV0c2lnbmF0dXJlMQ"
HEX_KEY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"
AWS_KEY = "AKIAIOSFODNN7EXAMPLE"

JSON_ROUTES = {
    # silent failures: 200 with a body that says the operation failed
    "/pay": (200, {"success": False, "error": "card 4111111111111111 declined", "card": "5500-0000-0000-0004"}),
    "/login": (200, {"status": "error", "message": "invalid token SECRET12 for user", "token": "SECRET12"}),
    "/account": (
        200,
        {
            "error": "wrong password SECRET27",
            "user": {"password": "SECRETNESTED5", "passphrase": "SECRETPHRASE42", "pin": 48213579},
        },
    ),
    "/sso": (
        200,
        {
            "ok": False,
            "error": f"expired jwt {JWT} for bob.secret@example.com",
            "callback": "https://alice:SECRETUP89@example.com/hook",
            "signing_key": HEX_KEY,
        },
    ),
    "/code": (200, {"code": "SECRETCODE_72_FAILED", "message": "declined with 4111 1111 1111 1111", "data": None}),
    # typed 4xx and a 5xx
    "/denied": (401, {"error": "invalid token SECRET12 for user", "token": "SECRET12", "aws_access_key_id": AWS_KEY}),
    "/locked": (
        403,
        {"error": {"code": "auth_failed", "message": "wrong password SECRET27 for bob.secret@example.com"}},
    ),
}
TEXT_ROUTES = {
    # a form sent as text/plain (the leak), as a silent 200 and as a 500
    "/form": (200, "card=4111 1111 1111 1111&pin=48213579&passphrase=SECRETPHRASE42&note=hello"),
    "/broken": (500, f"wrong password SECRET27; signing key {HEX_KEY}; {AWS_KEY}; token SECRET12"),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _reply(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Set-Cookie", "session=SECRETSETCOOKIE4; HttpOnly")
        self.send_header("X-Request-Id", JWT)
        self.send_header("X-Debug", "token SECRETDBG9")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path in JSON_ROUTES:
            status, doc = JSON_ROUTES[path]
            self._reply(status, json.dumps(doc).encode(), "application/json")
        elif path in TEXT_ROUTES:
            status, text = TEXT_ROUTES[path]
            self._reply(status, text.encode(), "text/plain")
        else:
            self._reply(404, b'{"error": "not found"}', "application/json")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        # Refuses what it was sent, quoting it back (as careless validators do).
        self._reply(
            422, json.dumps({"error": "rejected: " + body.decode(errors="replace")}).encode(), "application/json"
        )


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()
