"""A sidecar whose backend is down, flooded with large OTLP requests: its memory stays bounded.

The real agent (``otel-ebpf run``) with ``otlp`` receiver -> ``memory_limiter`` -> ``batch`` ->
``otlp`` exporter to a port where nothing listens, and a second metrics pipeline writing the
agent's own metrics to a file.  Several real gRPC clients send requests of 3 MiB at once.

Measured: the agent's peak RSS (``VmHWM``) stays under the memory_limiter's limit + 100 MB; the
senders are answered ``RESOURCE_EXHAUSTED`` with a ``RetryInfo`` once the queue is full; what
the senders were told was accepted is what the receiver counted; and the counts reconcile:
accepted by the receiver = held by ``batch`` + dropped by ``batch`` + received by the exporter,
and received by the exporter = sent + dropped (by reason) + queued.

Two cases: the exporter's queue full in bytes is what refuses (``queue_size_mib`` 24, the
receiver asks the pipeline before decoding), or the ``memory_limiter`` is (a queue of 1 GiB that
would let the agent grow: its RSS passes the soft limit first).

The full case of the issue (1,000 requests, ``SIDECAR_FLOOD_REQUESTS=1000``) is measured by hand;
CI sends 240 per case (about 10 s each).
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc
import pytest
from google.rpc import error_details_pb2, status_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
from opentelemetry.proto.trace.v1 import trace_pb2

from tests.harness import AgentProcess, flatten_metrics, free_port

TRACE_METHOD = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"
REQUEST_MIB = 3
LIMIT_MIB = 200  # the memory_limiter's limit
SENDERS = 8

CONFIG = """
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:{port}
processors:
  memory_limiter:
    check_interval: 100ms
    limit_mib: {limit}
  batch: {{}}
exporters:
  otlp:
    endpoint: 127.0.0.1:{dead_port}
    tls:
      insecure: true
    sending_queue:
      queue_size_mib: {queue_mib}
    retry_on_failure:
      initial_interval: 1s
      max_elapsed_time: 0s      # the backend never returns: everything stays queued or is refused
  file:
    path: {out}
service:
  telemetry:
    logs:
      level: info
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, batch]
      exporters: [otlp]
    metrics:
      receivers: [otlp]
      exporters: [file]
"""


def big_request(i: int, spans: int = 100) -> bytes:
    """About 3 MiB: ``spans`` HTTP server spans with a 31 KiB attribute each (a large SQL statement)."""
    req = trace_service_pb2.ExportTraceServiceRequest()
    rs = req.resource_spans.add()
    kv = rs.resource.attributes.add(key="service.name")
    kv.value.string_value = "flood"
    ss = rs.scope_spans.add()
    payload = (f"select * from orders where id = {i} -- " * 1000)[: 31 * 1024]
    for n in range(spans):
        span = ss.spans.add()
        span.trace_id = bytes([1]) + i.to_bytes(7, "big") + n.to_bytes(8, "big")
        span.span_id = bytes([1]) + n.to_bytes(7, "big")
        span.name = "GET /orders"
        span.kind = trace_pb2.Span.SPAN_KIND_SERVER
        span.start_time_unix_nano = 1_700_000_000_000_000_000
        span.end_time_unix_nano = 1_700_000_000_010_000_000
        a = span.attributes.add(key="db.query.text")
        a.value.string_value = payload
    return req.SerializeToString()


def vm_hwm_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


class Senders:
    """Sends requests from several threads on their own channels; counts the answers by code."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.codes: dict[str, int] = {}
        self.accepted_spans = 0
        self.retry_delays: set[float] = set()
        self._lock = threading.Lock()

    def run(self, requests: list[bytes], spans_per_request: int, senders: int) -> None:
        chunks = [requests[i::senders] for i in range(senders)]
        with ThreadPoolExecutor(senders) as pool:
            for future in [pool.submit(self._send, chunk, spans_per_request) for chunk in chunks]:
                future.result()

    def _send(self, requests: list[bytes], spans_per_request: int) -> None:
        options = [("grpc.max_send_message_length", 8 * 1024 * 1024)]
        with grpc.insecure_channel(f"127.0.0.1:{self.port}", options=options) as channel:
            export = channel.unary_unary(TRACE_METHOD, request_serializer=None, response_deserializer=None)
            for raw in requests:
                try:
                    export(raw, timeout=30)
                except grpc.RpcError as exc:
                    code = exc.code().name
                    delay = _retry_delay(exc)
                    with self._lock:
                        self.codes[code] = self.codes.get(code, 0) + 1
                        if delay is not None:
                            self.retry_delays.add(delay)
                else:
                    with self._lock:
                        self.codes["OK"] = self.codes.get("OK", 0) + 1
                        self.accepted_spans += spans_per_request


def _retry_delay(exc: grpc.RpcError) -> float | None:
    for key, value in exc.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            for detail in status_pb2.Status.FromString(value).details:
                info = error_details_pb2.RetryInfo()
                if detail.Unpack(info):
                    return info.retry_delay.seconds + info.retry_delay.nanos / 1e9
    return None


def last_self_metrics(agent: AgentProcess) -> dict:
    """The newest value of every self-metric series: {(name, frozenset(attrs)): value}."""
    values: dict = {}
    for point in flatten_metrics(agent.requests()):
        dp = point["point"]
        value = float(dp["asInt"]) if "asInt" in dp else float(dp.get("asDouble", 0.0))
        values[(point["name"], frozenset(point["attributes"].items()))] = value
    return values


def metric(values: dict, name: str, **wanted) -> float:
    total = 0.0
    for (n, labels), value in values.items():
        if n == name and all(dict(labels).get(k) == v for k, v in wanted.items()):
            total += value
    return total


@pytest.mark.parametrize(("queue_mib", "reason"), [(24, "queue_bytes_full"), (1024, "memory_limit")])
def test_flood_with_backend_down_stays_bounded_and_accounted(tmp_path, queue_mib, reason):
    n_requests = int(os.environ.get("SIDECAR_FLOOD_REQUESTS", "240"))
    port, dead_port = free_port(), free_port()
    out = tmp_path / "self-metrics.jsonl"
    config = CONFIG.format(port=port, dead_port=dead_port, limit=LIMIT_MIB, queue_mib=queue_mib, out=out)
    spans = 100
    requests = [big_request(i, spans) for i in range(n_requests)]
    assert all(len(r) > REQUEST_MIB * 1024 * 1024 * 0.95 for r in requests)

    agent = AgentProcess(tmp_path, config, out=out)
    try:
        senders = Senders(port)
        senders.run(requests, spans, SENDERS)
        hwm = vm_hwm_bytes(agent.proc.pid)
        # Quiet now: batch's timeout (200 ms) passed, then two self-metric collections (1 s).
        values = _settled_metrics(agent)
    finally:
        agent.stop()
    log = agent.log()
    print(f"codes={senders.codes} VmHWM={hwm / 2**20:.0f} MiB accepted_spans={senders.accepted_spans}")

    assert hwm < (LIMIT_MIB + 100) * 2**20, f"peak RSS {hwm / 2**20:.0f} MiB"
    assert senders.codes.get("RESOURCE_EXHAUSTED", 0) > 0, senders.codes
    assert set(senders.codes) <= {"OK", "RESOURCE_EXHAUSTED"}, senders.codes
    assert senders.retry_delays == {1.0}
    assert sum(senders.codes.values()) == n_requests

    # What the senders were told was taken is what the receiver counted; refusals likewise.
    accepted = metric(values, "otel_ebpf.receiver.accepted_spans", receiver="otlp")
    assert accepted == senders.accepted_spans
    refused_requests = metric(values, "otel_ebpf.receiver.requests", outcome="refused")
    assert refused_requests == senders.codes["RESOURCE_EXHAUSTED"]
    by_cause = metric(values, "otel_ebpf.receiver.requests", outcome="refused", reason=reason)
    assert by_cause > refused_requests / 2, f"refused mostly for {reason}"
    # received = exported + dropped (by reason) + queued, stage by stage.
    in_batch = metric(values, "otel_ebpf.processor.batch.queued_items", pipeline="traces")
    batch_dropped = metric(values, "otel_ebpf.processor.batch.dropped_items", pipeline="traces")
    received = metric(values, "otel_ebpf.exporter.received_spans", exporter="otlp")
    assert accepted == in_batch + batch_dropped + received
    sent = metric(values, "otel_ebpf.exporter.sent_spans", exporter="otlp")
    dropped = metric(values, "otel_ebpf.exporter.dropped_spans", exporter="otlp")
    queued = metric(values, "otel_ebpf.exporter.queued_spans", exporter="otlp")
    assert sent == 0
    assert received == sent + dropped + queued
    by_reason = metric(values, "otel_ebpf.exporter.enqueue_failed_spans", exporter="otlp")
    assert dropped == by_reason  # the backend never answered: every drop is a full queue's
    # The queue holds what its byte bound allows, and says so.
    held = metric(values, "otel_ebpf.exporter.queue_size_bytes", exporter="otlp")
    assert 0 < held <= queue_mib * 2**20
    assert queued > 0
    assert "Traceback" not in log


# What must stop moving once the senders are done (the exporter's retries go on).
SETTLED = ("accepted_spans", "received_spans", "sent_spans", "dropped_spans", "queued_spans", "queued_items")


def _settled_metrics(agent: AgentProcess) -> dict:
    """Self-metrics once two collections in a row agree (nothing in flight any more)."""
    import time

    deadline = time.monotonic() + 20
    previous = None
    while time.monotonic() < deadline:
        time.sleep(1.1)
        values = last_self_metrics(agent)
        snapshot = {k: v for k, v in values.items() if k[0].endswith(SETTLED)}
        if snapshot and snapshot == previous:
            return values
        previous = snapshot
    pytest.fail("the self-metrics never settled")
