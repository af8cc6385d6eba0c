"""Configuration of the ``otlp`` receiver (``receivers: otlp:``): its schema, with the defaults."""

from __future__ import annotations

from otel_ebpf.config.checks import check_host_port
from otel_ebpf.config.schema import Int, List, Number, Section, Str


def _check_sources(value: str) -> str | None:
    return None if value in ("spans", "metrics") else f"{value!r} is not spans or metrics"


SCHEMA = Section(
    {
        "protocols": {
            "grpc": {
                # The Collector's default: localhost only; ":4317" or 0.0.0.0:4317 to listen on every interface.
                "endpoint": Str("localhost:4317", check=check_host_port),
                # The Collector's default; larger requests are refused by gRPC (RESOURCE_EXHAUSTED).
                "max_recv_msg_size_mib": Number(4, min=0.001, max=1024),
                # HTTP/2 streams per connection; 0 keeps gRPC's default.
                "max_concurrent_streams": Int(0, min=0),
            }
        },
        # Where the processors (health_score, slo) see requests: server spans and/or the senders'
        # http.server.request.duration histograms. One per sender, or requests count twice.
        "http_requests_from": List(Str(check=_check_sources), default=["spans"]),
    }
)
