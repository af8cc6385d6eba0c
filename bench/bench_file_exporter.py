"""Cost per span of the ``file`` exporter, per format (prints figures; not a test).

Usage: .venv/bin/python bench/bench_file_exporter.py [--spans N] [--rounds N]

A request of N typical HTTP spans (as the ``ebpf`` receiver builds them: server and client,
routes, queries, some errors, remote parents) is written the way the exporter's worker
writes it (encode, append, flush) to a file in a temporary directory.  Reported: the best of
`rounds` of the time per span, and the bytes per span on disk, for

* ``json (json_format)``: the OTLP/JSON line through protobuf's ``json_format`` (before);
* ``json``: the same line through ``otlp_json_encode`` (``format: json``, the default);
* ``proto``: length-prefixed protobuf (``format: proto``).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from otel_ebpf.exporters.file.exporter import ENCODERS
from otel_ebpf.exporters.helper.otlp_json import to_otlp_json_reference
from otel_ebpf.model import HttpExchange, ProcessInfo, Role
from otel_ebpf.telemetry.redaction import Redactor
from otel_ebpf.telemetry.spans import build_trace_request

SHOP = ProcessInfo(41, "checkout", "python3", {"service.name": "checkout", "process.pid": 41, "host.name": "node-1"})
T0 = 1_700_000_000_000_000_000


def typical_request(n: int):
    exchanges = []
    for i in range(n):
        x = HttpExchange()
        x.role = Role.CLIENT if i % 4 == 0 else Role.SERVER
        x.process = SHOP
        x.pid = 41
        x.start_time_ns = T0 + i * 1000
        x.end_time_ns = x.start_time_ns + 12_000_000
        x.method = "GET" if i % 5 else "POST"
        x.path = x.target = f"/api/users/{i}"
        x.route = "/api/users/{id}"
        x.query = "page=2" if i % 3 == 0 else ""
        x.request_headers = {"host": "shop.example:8080", "user-agent": "curl/8.5.0"}
        x.status_code = 200 if i % 10 else 503
        x.response_body_size = 100 + i
        x.local_address, x.local_port = "10.0.0.2", 8080
        x.peer_address, x.peer_port = "10.0.0.9", 30000 + i
        x.trace_id = (i + 1).to_bytes(16, "big")  # fixed ids: the same file every run
        x.span_id = (i + 1).to_bytes(8, "big")
        x.parent_span_id = (i + 7).to_bytes(8, "big") if i % 2 else b""
        exchanges.append(x)
    return build_trace_request(exchanges, Redactor(), "1.0.0")


def measure(encode, request, spans: int, rounds: int, directory: str) -> tuple[float, float]:
    """(best µs per span, bytes per span) of encoding, appending and flushing one request."""
    best = float("inf")
    size = 0
    for r in range(rounds):
        path = os.path.join(directory, f"out{r}")
        with open(path, "ab") as f:
            t0 = time.perf_counter()
            f.write(encode(request))
            f.flush()
            best = min(best, time.perf_counter() - t0)
        size = os.path.getsize(path)
        os.unlink(path)
    return best / spans * 1e6, size / spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spans", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    request = typical_request(args.spans)
    encoders = {
        "json (json_format)": lambda req: (to_otlp_json_reference(req) + "\n").encode("utf-8"),
        "json": ENCODERS["json"],
        "proto": ENCODERS["proto"],
    }
    with tempfile.TemporaryDirectory() as directory:
        base = None
        for name, encode in encoders.items():
            us, nbytes = measure(encode, request, args.spans, args.rounds, directory)
            base = base or us
            print(f"{name:20} {us:7.2f} µs/span (×{base / us:5.1f})  {nbytes:7.0f} B/span")


if __name__ == "__main__":
    main()
