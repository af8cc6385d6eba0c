"""Byte bounds between receivers and exporters, the memory_limiter, and how a refusal reaches a sender.

The sending queue refuses by reason (items, bytes, closed) and gives the bytes back when an item
is consumed or handed back at close; the batch processor sends before it passes its byte bound
and asks the next stages for what it will hand them; the memory_limiter refuses above its soft
limit (measured by an injected function: the real RSS is exercised end to end in
tests/test_sidecar_memory.py); a refusal goes through a pipeline's entrance and the fan-out to the
receiver, counted by reason; the otlp receiver answers RESOURCE_EXHAUSTED with a RetryInfo to a
real gRPC client, before decoding when the pipeline says it has no room.
"""

from __future__ import annotations

import threading
import time

import grpc
import pytest
from google.rpc import error_details_pb2, status_pb2

from otel_ebpf.component import DISCARD, Consumer, Refused
from otel_ebpf.components import create_component, registry
from otel_ebpf.config.schema import resolve
from otel_ebpf.exporters.helper.queue_bytes import request_bytes
from otel_ebpf.exporters.helper.sending_queue import CLOSED, QUEUE_BYTES_FULL, QUEUE_FULL, SendingQueue
from otel_ebpf.model import PipelineData
from otel_ebpf.processors.batch.processor import BatchProcessor
from otel_ebpf.processors.memory_limiter.factory import SCHEMA as LIMITER_SCHEMA
from otel_ebpf.processors.memory_limiter.memory import resident_bytes, total_memory_bytes
from otel_ebpf.processors.memory_limiter.processor import MIB, MemoryLimiter, limits
from otel_ebpf.receivers.otlp.server import OtlpReceiver
from otel_ebpf.service.fanout import Fanout, PipelineInput
from tests.harness import free_port
from tests.otlp_requests import trace_request

TRACE_METHOD = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"


class Recorder(Consumer):
    def __init__(self, room: str | None = None) -> None:
        self.got: list[PipelineData] = []
        self.room = room
        self.asked: list[int] = []

    def consume(self, data: PipelineData) -> None:
        self.got.append(data)

    def refusal(self, nbytes: int) -> str | None:
        self.asked.append(nbytes)
        return self.room


# -- the sending queue ---------------------------------------------------------------------------


def test_sending_queue_refuses_by_reason_and_gives_bytes_back():
    gate = threading.Event()
    done: list[str] = []

    def consume(item: str) -> None:
        gate.wait(5)
        done.append(item)

    queue: SendingQueue[str] = SendingQueue(3, 1, consume, capacity_bytes=100)
    assert queue.offer("a", 60) is None
    assert queue.offer("b", 50) == QUEUE_BYTES_FULL  # 110 > 100
    assert queue.offer("b", 40) is None
    assert queue.size_bytes == 100
    assert queue.offer("tiny", 1) == QUEUE_BYTES_FULL
    assert queue.offer("too big", 101) == QUEUE_BYTES_FULL
    queue.start()
    gate.set()
    assert queue.join(5)
    assert done == ["a", "b"] and queue.size_bytes == 0
    # In items too, and refusal() says what offer() would.
    gate.clear()
    assert queue.offer("c", 1) is None
    deadline = time.monotonic() + 5
    while queue.in_flight == 0 and time.monotonic() < deadline:  # the worker holds "c"
        time.sleep(0.001)
    for item in ("d", "e", "f"):  # three wait
        assert queue.offer(item, 1) is None
    assert queue.refusal(1) == QUEUE_FULL and queue.offer("g", 1) == QUEUE_FULL
    leftovers = queue.close(0.0)
    gate.set()
    assert sorted(leftovers) == ["c", "d", "e", "f"]
    assert queue.size_bytes == 0
    assert queue.offer("h", 1) == CLOSED


def test_exporter_counts_enqueue_failures_by_reason_and_answers_refusal():
    # An otlp exporter to a port where nothing listens: its worker holds the first request (retrying).
    exporter = create_component(
        "exporters",
        "otlp",
        {
            "endpoint": f"127.0.0.1:{free_port()}",
            "tls": {"insecure": True},
            "sending_queue": {"queue_size": 5, "queue_size_mib": 0.5},
        },
    )
    request = trace_request(2000)  # about 380 KB: one fits in 0.5 MiB, two do not
    size = request_bytes(request)
    assert 300_000 < size < 0.5 * MIB / 1.2
    exporter.start(None)
    try:
        assert exporter.refusal(size) is None
        exporter.export_traces(request)  # waiting or in the worker's hands: its bytes are held either way
        assert exporter.refusal(size) == QUEUE_BYTES_FULL
        exporter.export_traces(request)
        stats = exporter.stats()
        assert stats["queue_size_bytes"] == size and stats["queue_capacity_bytes"] == MIB // 2
        by_bytes = (("exporter", "otlp"), ("reason", "queue_bytes_full"))
        assert exporter._enqueue_failed.readings()[("otel_ebpf.exporter.enqueue_failed_spans", by_bytes)] == 2000
    finally:
        exporter.shutdown(0.5)
    stats = exporter.stats()
    assert stats["received_spans"] == stats["sent_spans"] + stats["dropped_spans"] + stats["queued_spans"] == 4000
    assert stats["dropped_spans"] == 4000 and stats["queue_size_bytes"] == 0


# -- batch ----------------------------------------------------------------------------------------


def test_batch_sends_before_passing_its_byte_bound_and_asks_for_what_it_holds():
    tail = Recorder()
    batch = BatchProcessor(
        {"send_batch_size": 100_000, "send_batch_size_mib": 1, "timeout": 60, "send_batch_max_size": 0}, tail
    )
    request = trace_request(2000)
    size = request_bytes(request)
    batch.consume(PipelineData(spans=request))
    assert not tail.got and batch.stats()["batch.queued_bytes"] == size
    assert batch.refusal(10) is None and tail.asked == [size + 10]
    batch.consume(PipelineData(spans=trace_request(2000)))
    assert len(tail.got) == 0  # 2 x 380 KB < 1 MiB
    batch.consume(PipelineData(spans=trace_request(2000)))
    assert len(tail.got) == 1  # the third would pass 1 MiB: the two waiting went first
    assert sum(len(rs.scope_spans[0].spans) for rs in tail.got[0].spans.resource_spans) == 4000
    assert batch.stats()["batch.queued_items"] == 2000


# -- memory_limiter -------------------------------------------------------------------------------


def limiter_config(**raw):
    config, errors = resolve(LIMITER_SCHEMA, raw, "processors.memory_limiter")
    assert not errors, errors
    return config


def test_memory_limiter_config_follows_the_collector():
    reg = registry(with_plugins=False)
    factory = reg.of_id("processors", "memory_limiter")
    _, errors = factory.resolve({}, "processors.memory_limiter")
    assert errors == [
        "processors.memory_limiter.limit_mib: set limit_mib or limit_percentage (the memory the agent may use)"
    ]
    _, errors = factory.resolve({"limit_mib": 100, "spike_limit_mib": 100}, "processors.memory_limiter")
    assert errors == ["processors.memory_limiter.spike_limit_mib: must be smaller than limit_mib (100)"]
    _, errors = factory.resolve({"limit_percentage": 101}, "processors.memory_limiter")
    assert errors and "limit_percentage" in errors[0]
    assert limits(limiter_config(limit_mib=100)) == (100 * MIB, 80 * MIB)  # spike: 20% of the limit
    assert limits(limiter_config(limit_mib=100, spike_limit_mib=30)) == (100 * MIB, 70 * MIB)
    assert limits(limiter_config(limit_percentage=50, spike_limit_percentage=10), lambda: 1000 * MIB) == (
        500 * MIB,
        400 * MIB,
    )
    with pytest.raises(ValueError, match="limit_mib"):
        limits(limiter_config(limit_percentage=50), lambda: 0)
    # The real readings: this process's RSS, and a total memory at least that large.
    assert 10 * MIB < resident_bytes() < total_memory_bytes()


def test_memory_limiter_refuses_above_the_soft_limit_and_resumes_below():
    usage = [50 * MIB]
    released: list[bool] = []

    def release(collect: bool) -> None:
        released.append(collect)
        usage[0] -= 5 * MIB  # giving freed memory back lowers RSS a little

    tail = Recorder()
    limiter = MemoryLimiter(
        limiter_config(limit_mib=100, check_interval="1s"), tail, measure=lambda: usage[0], release=release
    )
    limiter.start(None)
    limiter.consume(PipelineData(spans=trace_request(3)))
    assert len(tail.got) == 1 and not released
    usage[0] = 90 * MIB  # above the soft limit (80), under the hard one
    limiter.check()
    assert limiter.refusing and released == [True]  # the first GC; the next waits 10 s
    with pytest.raises(Refused) as refused:
        limiter.consume(PipelineData(spans=trace_request(3)))
    assert refused.value.reason == "memory_limit"
    assert limiter.refusal(1) == "memory_limit" and tail.asked == []
    limiter.check()
    assert released == [True, False]  # freed memory is given back at every check; GC at most every 10 s
    usage[0] = 120 * MIB  # above the hard limit: a GC every check (min_gc_interval_when_hard_limited 0s)
    limiter.check()
    assert released[-1] is True
    usage[0] = 60 * MIB
    limiter.check()
    assert not limiter.refusing
    limiter.consume(PipelineData(spans=trace_request(3)))
    assert len(tail.got) == 2
    stats = limiter.stats()
    assert stats["memory_limiter.refused_items"] == 3
    assert stats["memory_limiter.forced_gcs"] == 2
    assert stats["memory_limiter.refusing"] == 0


# -- how a refusal travels ------------------------------------------------------------------------


class Refusing(Consumer):
    def consume(self, data: PipelineData) -> None:
        raise Refused("memory_limit", "full")


def test_refusal_goes_through_the_fanout_after_every_pipeline_had_the_data():
    accepting = Recorder()
    first, second = PipelineInput("traces/a", "traces", Refusing()), PipelineInput("traces/b", "traces", accepting)
    fanout = Fanout([first, second])
    with pytest.raises(Refused):
        fanout.consume(PipelineData(spans=trace_request(4)))
    assert len(accepting.got) == 1  # the other pipeline still got it (the Collector's fan-out)
    assert (
        first.counters()[("otel_ebpf.pipeline.refused_items", (("pipeline", "traces/a"), ("reason", "memory_limit")))]
        == 4
    )
    assert first.errors == 0  # a refusal is not a pipeline error
    assert fanout.refusal(10) is None
    accepting.room = "queue_bytes_full"
    assert fanout.refusal(10) == "queue_bytes_full"
    assert DISCARD.refusal(10) is None


@pytest.fixture
def receiver():
    state = {"room": None, "refuse": False, "got": 0}

    def on_traces(request):
        if state["refuse"]:
            raise Refused("memory_limit")
        state["got"] += 1

    server = OtlpReceiver(
        {"protocols": {"grpc": {"endpoint": "127.0.0.1:0"}}},
        on_traces,
        None,
        admit=lambda nbytes: state["room"],
    )
    server.start()
    yield server, state
    server.shutdown(2)


def _call(port: int, raw: bytes):
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        export = channel.unary_unary(TRACE_METHOD, request_serializer=None, response_deserializer=None)
        try:
            export(raw, timeout=5)
        except grpc.RpcError as exc:
            return exc
        return None


def _retry_delay(exc: grpc.RpcError) -> float:
    (value,) = [v for k, v in exc.trailing_metadata() if k == "grpc-status-details-bin"]
    status = status_pb2.Status.FromString(value)
    info = error_details_pb2.RetryInfo()
    assert status.code == grpc.StatusCode.RESOURCE_EXHAUSTED.value[0] and status.details[0].Unpack(info)
    return info.retry_delay.seconds


def test_otlp_receiver_answers_resource_exhausted_with_retry_info(receiver):
    server, state = receiver
    raw = trace_request(5).SerializeToString()
    assert _call(server.bound_port, raw) is None and state["got"] == 1
    state["room"] = "queue_bytes_full"  # the pipeline has no room: refused before decoding
    exc = _call(server.bound_port, raw)
    assert exc.code() == grpc.StatusCode.RESOURCE_EXHAUSTED and _retry_delay(exc) == 1
    assert "queue_bytes_full" in exc.details() and state["got"] == 1
    state["room"], state["refuse"] = None, True  # the pipeline refuses while consuming
    exc = _call(server.bound_port, raw)
    assert exc.code() == grpc.StatusCode.RESOURCE_EXHAUSTED and _retry_delay(exc) == 1
    counters = server.counters()
    base = (("receiver", "otlp"), ("transport", "grpc"), ("signal", "traces"), ("outcome", "refused"))
    assert counters[("otel_ebpf.receiver.requests", base + (("reason", "queue_bytes_full"),))] == 1
    assert counters[("otel_ebpf.receiver.requests", base + (("reason", "memory_limit"),))] == 1
    assert counters[("otel_ebpf.receiver.refused_spans", (("receiver", "otlp"), ("transport", "grpc")))] == 5
