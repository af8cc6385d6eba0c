"""The shop, instrumented by hand with the OpenTelemetry Python SDK (no eBPF involved).

Usage: python sdk_shop_app.py PORT OTLP_ENDPOINT

Each request becomes a SERVER span with the HTTP semantic-convention attributes, exported
over OTLP/gRPC.  A declined payment answers ``402`` here (an SDK span carries no body, so the
failure must show in the status).  ``GET /control?fail=N`` sets the failure percentage.
SIGTERM flushes the spans and exits.
"""

from __future__ import annotations

import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanKind

provider = TracerProvider(resource=Resource.create({"service.name": "shop", "service.instance.id": "sdk-1"}))
provider.add_span_processor(
    BatchSpanProcessor(OTLPSpanExporter(endpoint=sys.argv[2], insecure=True), schedule_delay_millis=200)
)
tracer = provider.get_tracer("sdk_shop_app")
state = {"fail": 0, "count": 0}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 65536
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlsplit(self.path)
        with lock:
            state["fail"] = int(parse_qs(url.query).get("fail", ["0"])[0])
            state["count"] = 0
        self._send(200, b"{}")

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with tracer.start_as_current_span("POST /checkout", kind=SpanKind.SERVER) as span:
            with lock:
                i = state["count"]
                state["count"] += 1
                fail = state["fail"]
            failed = bool(fail) and (i * fail) % 100 < fail
            status = 402 if failed else 200
            span.set_attributes(
                {
                    "http.request.method": "POST",
                    "url.path": "/checkout",
                    "url.scheme": "http",
                    "http.route": "/checkout",
                    "http.response.status_code": status,
                    "server.port": self.server.server_address[1],
                }
            )
            self._send(status, b'{"success": false}' if failed else b'{"success": true}')


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True

    def stop(*_):
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    server.serve_forever()
    provider.shutdown()  # flushes the batch


if __name__ == "__main__":
    main()
