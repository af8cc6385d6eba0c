"""The pipeline graph as ``service.pipelines`` says, without a kernel: components of the test's own.

A recording processor and a list-collecting exporter are registered next to the built-in
types, as a plugin would register them; the service builds, starts, feeds and stops them.
"""

from __future__ import annotations

import threading
import time

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from otel_ebpf.component import (
    EXPORTERS,
    METRICS,
    PROCESSORS,
    RECEIVERS,
    TRACES,
    Component,
    Consumer,
    ExchangeProcessor,
    Exporter,
    Factory,
    Host,
)
from otel_ebpf.components import BUILTIN, load_config
from otel_ebpf.config import ConfigError, Registry
from otel_ebpf.config.schema import Section, Str
from otel_ebpf.model import ExchangeSource, HttpExchange, PipelineData, ProcessInfo, Role
from otel_ebpf.receivers.ebpf.capture import TrafficFilter
from otel_ebpf.service import Service
from otel_ebpf.service.scheduler import Scheduler
from otel_ebpf.telemetry.redaction import Redactor

SHOP = ProcessInfo(7, "shop", "python3", {"service.name": "shop", "process.pid": 7})


class Feed(Component):
    """A receiver the test drives by hand."""

    instances: list = []

    def __init__(self, next_consumer):
        self.next_consumer = next_consumer
        Feed.instances.append(self)

    def send(self, exchanges):
        self.next_consumer.consume(PipelineData(exchanges))


class Tag(ExchangeProcessor):
    """Appends its name to ``attributes["seen"]`` and remembers the order it ran in."""

    log: list = []

    def __init__(self, name, next_consumer, keep=False):
        super().__init__(next_consumer)
        self.name, self.keep = name, keep

    def process(self, exchanges):
        Tag.log.append(self.name)
        for x in exchanges:
            x.attributes["seen"] = x.attributes.get("seen", "") + self.name
            if self.keep:
                x.mark_keep()
        return exchanges


class Collect(Exporter):
    created = 0

    def __init__(self):
        Collect.created += 1
        self.traces, self.metrics = [], []

    def export_traces(self, request):
        self.traces.append(request)

    def export_metrics(self, request):
        self.metrics.append(request)


TEST_FACTORIES = (
    Factory(RECEIVERS, "feed", (TRACES, METRICS), "test", lambda s, c, n: Feed(n), schema=Section({})),
    Factory(
        PROCESSORS,
        "tag",
        (TRACES, METRICS),
        "test",
        lambda s, c, n: Tag(c["name"] or s.id, n, keep=c["name"] == "keep"),
        schema=Section({"name": Str(None)}),
    ),
    Factory(EXPORTERS, "collect", (TRACES, METRICS), "test", lambda s, c, n: Collect(), schema=Section({})),
)
REGISTRY = Registry([*BUILTIN, *TEST_FACTORIES])


@pytest.fixture(autouse=True)
def _reset():
    Feed.instances.clear()
    Tag.log.clear()
    Collect.created = 0


def service(write_config, text: str, environ=None) -> Service:
    return Service(load_config([write_config(text)], environ or {}, REGISTRY), environ or {})


@pytest.fixture
def write_config(tmp_path):
    def write(text: str):
        path = tmp_path / "agent.yaml"
        path.write_text(text)
        return path

    return write


def exchange(path="/x", status=200) -> HttpExchange:
    x = HttpExchange()
    x.role = Role.SERVER
    x.process = SHOP
    x.method, x.path, x.target, x.status_code = "GET", path, path, status
    x.trace_id, x.span_id = bytes(range(16)), bytes(range(8))
    x.start_time_ns, x.end_time_ns = 1_700_000_000_000_000_000, 1_700_000_000_010_000_000
    x.source = ExchangeSource("feed", Redactor())
    return x


def spans_of(exporter: Collect) -> list:
    return [span for r in exporter.traces for rs in r.resource_spans for ss in rs.scope_spans for span in ss.spans]


def attrs(span) -> dict:
    return {kv.key: kv.value.string_value for kv in span.attributes}


GRAPH = """
receivers: {feed: {}}
processors:
  tag/a: {name: a}
  tag/b: {name: b}
  tag/keep: {name: keep}
exporters: {collect: {}, collect/other: {}}
service:
  pipelines:
    traces: {receivers: [feed], processors: [tag/a, tag/b], exporters: [collect]}
    traces/second: {receivers: [feed], processors: [tag/b, tag/a], exporters: [collect, collect/other]}
    metrics: {receivers: [feed], processors: [tag/keep, tag/a], exporters: [collect]}
"""


def test_every_pipeline_its_processors_in_order_a_receiver_created_once_and_forks(write_config):
    s = service(write_config, GRAPH)
    assert s.start()
    try:
        assert len(Feed.instances) == 1  # one receiver for three pipelines
        assert Collect.created == 2  # one exporter per id, shared by the pipelines that list it
        processors = {name: [pid for pid, _ in p.processors] for name, p in s.pipelines.items()}
        assert processors == {
            "traces": ["tag/a", "tag/b"],
            "traces/second": ["tag/b", "tag/a"],
            "metrics": ["tag/keep", "tag/a"],
        }
        # tag/a is listed by three pipelines: three instances.
        instances = [proc for p in s.pipelines.values() for pid, proc in p.processors if pid == "tag/a"]
        assert len({id(i) for i in instances}) == 3
        Feed.instances[0].send([exchange()])
        # Metrics pipelines run first (their keep marks reach the traces pipelines), then each in its order.
        assert Tag.log == ["keep", "a", "a", "b", "b", "a"]
        collect = s.exporters["collect"]
        seen = sorted(attrs(span)["seen"] for span in spans_of(collect))
        # Each pipeline exported its own copy, annotated by its own processors only.
        assert seen == ["ab", "ba"]
        assert [attrs(span)["seen"] for span in spans_of(s.exporters["collect/other"])] == ["ba"]
    finally:
        s.shutdown(1.0)


def test_keep_is_shared_by_the_copies_so_exemplars_lead_to_exported_spans(write_config):
    # A caller that said "not sampled": the traces pipeline drops it, unless a metrics
    # pipeline's processor marked it keep (an SLO violation, a slow request).
    s = service(write_config, GRAPH)
    assert s.start()
    try:
        x = exchange()
        x.parent_span_id, x.sampled = b"\x01" * 8, False
        Feed.instances[0].send([x])
        assert len(spans_of(s.exporters["collect"])) == 2  # traces and traces/second, thanks to keep
        assert x.forks is None  # the copies forgot each other: no reference cycle left behind
    finally:
        s.shutdown(1.0)
    quiet = service(write_config, GRAPH.replace("processors: [tag/keep, tag/a]", "processors: [tag/a]"))
    assert quiet.start()
    try:
        y = exchange()
        y.parent_span_id, y.sampled = b"\x01" * 8, False
        Feed.instances[-1].send([y])
        assert spans_of(quiet.exporters["collect"]) == []  # parentbased_always_on follows the caller
        failed = exchange(status=503)
        failed.parent_span_id, failed.sampled = b"\x01" * 8, False
        Feed.instances[-1].send([failed])
        assert len(spans_of(quiet.exporters["collect"])) == 2  # failures are always exported
        refused = exchange(status=404)
        refused.role = Role.CLIENT  # a client's 4xx is an Error span (semantic conventions)
        refused.parent_span_id, refused.sampled = b"\x01" * 8, False
        Feed.instances[-1].send([refused])
        assert len(spans_of(quiet.exporters["collect"])) == 4
    finally:
        quiet.shutdown(1.0)


def test_batch_in_a_metrics_pipeline_is_honoured(write_config):
    text = """
receivers: {feed: {}}
processors: {batch: {send_batch_size: 100000, timeout: 1h}}
exporters: {collect: {}}
service:
  pipelines:
    metrics: {receivers: [feed], processors: [batch], exporters: [collect]}
"""
    s = service(write_config, text)
    assert s.start()
    try:
        (_, batch) = s.pipelines["metrics"].processors[0]
        s.collect_metrics()
        s.collect_metrics()
        assert s.exporters["collect"].metrics == []  # held by the batch: far from its size and timeout
        assert batch.stats()["batch.queued_items"] > 0
        assert batch.force_flush(1.0)
        (merged,) = s.exporters["collect"].metrics  # two collections, one request
        names = [m.name for rm in merged.resource_metrics for sm in rm.scope_metrics for m in sm.metrics]
        assert names.count("otel_ebpf.service.collections") == 2
    finally:
        s.shutdown(1.0)


def test_shutdown_counts_what_a_batch_held_in_the_last_collection_and_runs_once(write_config):
    text = """
receivers: {feed: {}}
processors: {batch: {send_batch_size: 100000, timeout: 1h}}
exporters: {collect: {}}
service:
  telemetry: {metrics: {level: none}}
  pipelines:
    metrics: {receivers: [feed], processors: [batch], exporters: [collect]}
"""
    s = service(write_config, text)
    assert s.start()
    Feed.instances[-1].send([exchange(), exchange(), exchange()])  # e.g. a receiver's final drain
    s.shutdown(1.0)
    collect = s.exporters["collect"]
    counts = [
        point.count
        for request in collect.metrics
        for rm in request.resource_metrics
        for sm in rm.scope_metrics
        for m in sm.metrics
        if m.name == "http.server.request.duration"
        for point in m.histogram.data_points
    ]
    assert counts == [3]  # flushed into the pipeline's end before the last collection read it
    exported = len(collect.metrics)
    s.shutdown(1.0)  # a second signal: nothing runs twice
    assert len(collect.metrics) == exported


def _three_resources():
    request = ExportTraceServiceRequest()
    for i in range(3):
        rs = request.resource_spans.add()
        rs.resource.attributes.add(key="service.name").value.string_value = f"shop-{i}"
        span = rs.scope_spans.add().spans.add(
            name="GET /x", kind=2, trace_id=bytes(range(16)), span_id=bytes([i + 1]) * 8
        )
        span.attributes.add(key="http.request.method").value.string_value = "GET"
        span.attributes.add(key="http.response.status_code").value.int_value = 200
        span.attributes.add(key="url.path").value.string_value = "/x"
    return request


def test_a_batch_cut_by_max_size_keeps_each_received_span_with_its_exchange(write_config):
    text = """
receivers: {otlp: {protocols: {grpc: {endpoint: "127.0.0.1:0"}}}}
processors:
  batch: {send_batch_size: 2, send_batch_max_size: 2}
  tag/a: {name: a}
exporters: {collect: {}}
service:
  pipelines:
    traces: {receivers: [otlp], processors: [batch, tag/a], exporters: [collect]}
"""
    s = service(write_config, text)
    request = _three_resources()
    assert PipelineData(spans=request).item_count() == 3
    s.receivers["otlp"].on_traces(request)  # 3 spans, each with its exchange: 3 items, not 6
    s.shutdown(1.0)
    spans = spans_of(s.exporters["collect"])
    assert sorted(sp.span_id[0] for sp in spans) == [1, 2, 3]
    assert [attrs(sp).get("seen") for sp in spans] == ["a", "a", "a"]  # every span met its exchange
    assert s.pipelines["traces"].tail.annotated == 3


class _Failing(Component):
    def __init__(self, fail_on: int):
        self.calls, self.fail_on = 0, fail_on

    def consume(self, data):
        self.calls += 1
        if self.calls == self.fail_on:
            raise RuntimeError("a bug downstream")


def test_batch_counts_a_part_the_next_stage_fails_on_and_sends_the_rest():
    from otel_ebpf.processors.batch.processor import BatchProcessor

    downstream = _Failing(fail_on=1)
    batch = BatchProcessor({"send_batch_size": 4, "timeout": 1.0, "send_batch_max_size": 2}, downstream)
    batch.consume(PipelineData([exchange() for _ in range(4)]))  # two parts of two
    assert downstream.calls == 2
    assert batch.stats()["batch.send_errors"] == 1 and batch.stats()["batch.dropped_items"] == 2
    batch.shutdown(1.0)
    batch.consume(PipelineData([exchange()]))  # after shutdown: straight through, not held
    assert downstream.calls == 3 and batch.stats()["batch.queued_items"] == 0


def test_received_spans_are_forwarded_with_the_processors_annotations(write_config, tmp_path):
    """Sidecar mode: a received HTTP span goes through semantic_errors and leaves annotated."""
    text = """
receivers: {otlp: {protocols: {grpc: {endpoint: "127.0.0.1:0"}}}}
processors: {semantic_errors: {}}
exporters: {collect: {}}
service:
  pipelines:
    traces: {receivers: [otlp], processors: [semantic_errors], exporters: [collect]}
"""
    s = service(write_config, text)
    request = ExportTraceServiceRequest()
    rs = request.resource_spans.add()
    rs.resource.attributes.add(key="service.name").value.string_value = "shop"
    span = rs.scope_spans.add().spans.add(name="POST /pay", kind=2, trace_id=bytes(range(16)), span_id=b"\x02" * 8)
    span.attributes.add(key="http.request.method").value.string_value = "POST"
    span.attributes.add(key="http.response.status_code").value.int_value = 402
    span.attributes.add(key="url.path").value.string_value = "/pay"
    other = rs.scope_spans[0].spans.add(name="db", kind=1, trace_id=bytes(range(16)), span_id=b"\x03" * 8)
    other.attributes.add(key="db.system").value.string_value = "postgresql"
    s.receivers["otlp"].on_traces(request)  # what the gRPC server calls
    (forwarded,) = s.exporters["collect"].traces
    out = {
        sp.name: {kv.key: kv.value for kv in sp.attributes} for sp in forwarded.resource_spans[0].scope_spans[0].spans
    }
    assert set(out) == {"POST /pay", "db"}  # every span is forwarded, HTTP or not
    assert out["POST /pay"]["otel_ebpf.error.type"].string_value == "payment"
    assert out["POST /pay"]["otel_ebpf.error.kind"].string_value == "business"
    assert "otel_ebpf.error.type" not in out["db"]
    s.shutdown(1.0)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            """
receivers: {feed: {}}
processors: {health_score: {}, health_score/b: {}}
exporters: {collect: {}}
service:
  pipelines:
    metrics: {receivers: [feed], processors: [health_score], exporters: [collect]}
    metrics/b: {receivers: [feed], processors: [health_score], exporters: [collect]}
""",
            "processors.health_score (pipeline metrics/b): path /health on 127.0.0.1:13134 is already used by "
            "processors.health_score (pipeline metrics): give one of them another",
        ),
        (
            """
receivers: {feed: {}}
processors: {health_score: {endpoint: "127.0.0.1:0"}}
exporters: {collect: {}}
service:
  pipelines:
    metrics: {receivers: [feed], processors: [health_score], exporters: [collect]}
    metrics/b: {receivers: [feed], processors: [health_score], exporters: [collect]}
""",
            "processors.health_score (pipeline metrics/b): path /health on 127.0.0.1:0 is already used by "
            "processors.health_score (pipeline metrics): give one of them another",
        ),
        (
            """
receivers: {otlp: {protocols: {grpc: {endpoint: "127.0.0.1:13134"}}}}
processors: {health_score: {}}
exporters: {collect: {}}
service:
  pipelines:
    metrics: {receivers: [otlp], processors: [health_score], exporters: [collect]}
""",
            "processors.health_score (pipeline metrics): TCP port 13134 is already used by receivers.otlp: "
            "give one of them another",
        ),
        (
            """
receivers: {ebpf/a: {capture_bytes: 2048}, ebpf/b: {filter: {ports: [80]}}}
exporters: {collect: {}}
service:
  pipelines:
    traces: {receivers: [ebpf/a, ebpf/b], exporters: [collect]}
""",
            "receivers.ebpf/b: shares the kernel's HTTP capture program with receivers.ebpf/a, so their settings "
            "must agree: capture_bytes 1024 (there: 2048)",
        ),
        (
            """
receivers: {feed: {}}
processors: {health_score: {}}
exporters: {collect: {}}
service:
  pipelines:
    traces: {receivers: [feed], processors: [health_score], exporters: [collect]}
""",
            "service.pipelines.traces.processors: 'health_score' does not support traces (it handles: metrics)",
        ),
    ],
    ids=["two-health-paths", "two-health-paths-any-port", "port-clash", "kernel-settings", "metrics-only-processor"],
)
def test_configurations_the_service_could_not_honour_are_refused_naming_both_sides(write_config, text, error):
    with pytest.raises(ConfigError) as info:
        load_config([write_config(text)], {}, REGISTRY)
    assert error in info.value.errors, info.value.errors


def test_the_same_status_port_is_shared_by_different_paths(write_config):
    text = """
receivers: {feed: {}}
processors: {health_score: {}, slo: {state_file: ""}, cause_attribution: {}}
exporters: {collect: {}}
service:
  pipelines:
    metrics: {receivers: [feed], processors: [health_score, slo, cause_attribution], exporters: [collect]}
"""
    assert load_config([write_config(text)], {}, REGISTRY).pipelines


def test_a_failed_exporter_takes_its_pipeline_down_and_only_that_one(write_config, tmp_path):
    text = f"""
receivers: {{feed: {{}}}}
exporters: {{collect: {{}}, file: {{path: {tmp_path / "gone" / "out.jsonl"}}}}}
service:
  pipelines:
    traces: {{receivers: [feed], exporters: [collect]}}
    traces/file: {{receivers: [feed], exporters: [file]}}
"""
    # validate checks that the directory exists: it goes away between validation and start.
    (tmp_path / "gone").mkdir()
    s = service(write_config, text)
    (tmp_path / "gone").rmdir()
    assert s.start()  # one pipeline still carries data
    try:
        status = s.host.status()
        assert status.pipeline_running("traces") and not status.pipeline_running("traces/file")
        assert not status.running
        Feed.instances[0].send([exchange(), exchange()])
        assert len(spans_of(s.exporters["collect"])) == 2
        assert s.pipelines["traces/file"].input.dropped_items == 2  # counted, not lost silently
    finally:
        s.shutdown(1.0)


def test_kernel_filter_is_the_union_per_dimension_only_where_every_receiver_filters():
    a = TrafficFilter(pids=frozenset({1}), ports=frozenset({80}))
    b = TrafficFilter(pids=frozenset({2}))
    assert TrafficFilter.union([a, b]) == TrafficFilter(pids=frozenset({1, 2}))
    assert TrafficFilter.union([a, TrafficFilter()]) == TrafficFilter()
    assert a.accepts(1, "x", 80, 5) and a.accepts(1, "x", 5, 80) and not a.accepts(1, "x", 5, 6)
    assert not a.accepts(2, "x", 80, 5)


def test_scheduler_runs_at_a_fixed_rate_and_never_in_a_burst():
    now = [100.0]
    runs = []
    scheduler = Scheduler(clock=lambda: now[0])
    scheduler.every(1.0, lambda: runs.append(now[0]), "job")
    assert scheduler.run_due() == pytest.approx(1.0) and runs == []
    now[0] = 101.0
    scheduler.run_due()
    now[0] = 105.5  # stalled for four intervals: one run, not four
    scheduler.run_due()
    assert runs == [101.0, 105.5]
    assert scheduler.run_due() == pytest.approx(1.0)
    scheduler.every(2.0, lambda: 1 / 0, "broken")
    now[0] = 108.0
    scheduler.run_due()  # a failing job is counted and keeps its schedule; the other still runs
    assert scheduler.errors == 1 and runs[-1] == 108.0


def test_scheduler_runs_a_job_slower_than_its_interval_once_per_call():
    now = [0.0]

    def slow():  # takes three of its intervals
        now[0] += 0.15

    scheduler = Scheduler(clock=lambda: now[0])
    scheduler.every(0.05, slow, "slow")
    now[0] = 0.05
    assert scheduler.run_due() == pytest.approx(0.05)  # returned: the caller gets its loop back
    assert now[0] == pytest.approx(0.2)
    scheduler.every(0.05, scheduler.clear, "shutdown starts while this job runs")
    now[0] = 1.0
    scheduler.run_due()  # neither job is put back after clear()
    assert scheduler.run_due() == 1.0


def test_service_timer_thread_safety_of_status():
    # Status reads while components report: no exception, a consistent snapshot.
    from otel_ebpf.component import Status
    from otel_ebpf.service.status import StatusBook

    book = StatusBook()
    book.add_pipeline("traces", [("receivers", "r"), ("exporters", "e")])
    stop = threading.Event()

    def flip():
        while not stop.is_set():
            book.set(("exporters", "e"), Status.RECOVERABLE_ERROR, "down")
            book.set(("exporters", "e"), Status.OK)

    worker = threading.Thread(target=flip)
    worker.start()
    try:
        deadline = time.monotonic() + 0.3
        while time.monotonic() < deadline:
            assert book.snapshot().pipelines["traces"]["exporter e"].status in (Status.OK, Status.RECOVERABLE_ERROR)
    finally:
        stop.set()
        worker.join()
    book.set(("exporters", "e"), Status.PERMANENT_ERROR, "gone")
    book.set(("exporters", "e"), Status.OK)  # permanent stays permanent
    assert book.get(("exporters", "e")).status is Status.PERMANENT_ERROR


def test_scheduler_one_shot_runs_once():
    now = [10.0]
    runs = []
    scheduler = Scheduler(clock=lambda: now[0])
    scheduler.after(0.5, lambda: runs.append(now[0]), "once")
    assert scheduler.run_due() == pytest.approx(0.5) and runs == []
    now[0] = 10.5
    assert scheduler.run_due() == 1.0  # ran, and is not put back
    now[0] = 20.0
    scheduler.run_due()
    assert runs == [10.5]


def test_scheduler_wait_ends_when_a_sooner_one_shot_comes_from_another_thread():
    scheduler = Scheduler()
    scheduler.every(30.0, lambda: None, "slow job: the runner would sleep 30 s")
    ran = threading.Event()
    done = threading.Event()

    def runner():
        while not done.is_set():
            scheduler.wait(scheduler.run_due())

    thread = threading.Thread(target=runner, daemon=True)
    thread.start()
    time.sleep(0.1)  # the runner sleeps
    scheduler.after(0.05, ran.set, "soon")
    assert ran.wait(5.0), "the one-shot waited for the runner's 30 s sleep"
    done.set()
    scheduler.wake()
    thread.join(5.0)
    assert not thread.is_alive()


class _OneShotHost(Host):
    """A host whose one-shot timers the test fires by hand."""

    def __init__(self) -> None:
        self.timers: list[tuple[float, object]] = []

    def find(self, interface):
        return []

    def every(self, interval_s, job, name):
        raise AssertionError("a batch on a host with one-shot timers does not poll")

    def after(self, delay_s, job, name):
        self.timers.append((delay_s, job))
        return True

    def status(self):
        raise NotImplementedError


def test_batch_goes_at_its_timeout_on_a_one_shot_timer_set_by_its_first_item():
    from otel_ebpf.processors.batch.processor import BatchProcessor
    from tests.otlp_requests import trace_request

    now = [0.0]
    sent = []

    class Tail(Consumer):
        def consume(self, data):
            sent.append(data.item_count())

    host = _OneShotHost()
    batch = BatchProcessor(
        {"send_batch_size": 5, "send_batch_size_mib": 0, "timeout": 0.2, "send_batch_max_size": 0},
        Tail(),
        clock=lambda: now[0],
    )
    batch.start(host)
    host.timers.clear()  # start() asked whether the host has one-shot timers
    batch.consume(PipelineData(spans=trace_request(2)))
    batch.consume(PipelineData(spans=trace_request(2)))  # not the first item: no second timer
    assert [d for d, _ in host.timers] == [0.2] and not sent
    now[0] = 0.2
    host.timers.pop()[1]()
    assert sent == [4] and batch.stats()["batch.sent_by_timeout"] == 1
    # A batch sent by size leaves its timer behind; fired, it does not send the next batch early.
    batch.consume(PipelineData(spans=trace_request(3)))
    stale = host.timers.pop()[1]
    batch.consume(PipelineData(spans=trace_request(3)))  # full: sent by size
    now[0] = 0.3
    batch.consume(PipelineData(spans=trace_request(1)))  # the next batch's first item
    now[0] = 0.4
    stale()
    assert sent == [4, 6] and batch.stats()["batch.queued_items"] == 1
    now[0] = 0.6
    host.timers.pop()[1]()
    assert sent == [4, 6, 1] and not host.timers


def test_listener_answers_and_stops_at_once_without_polling():
    import urllib.request

    from otel_ebpf.component.listener import HttpListener, Response

    listener = HttpListener("127.0.0.1:0", lambda request: Response(200, b"ok"), name="test-listener")
    listener.start()
    with urllib.request.urlopen(f"http://127.0.0.1:{listener.port}/", timeout=5) as resp:
        assert resp.read() == b"ok"
    thread = listener._thread
    t0 = time.monotonic()
    assert listener.stop(timeout_s=5.0)
    assert time.monotonic() - t0 < 1.0 and not thread.is_alive()  # woken, not a poll's timeout
    assert listener.stop()  # idempotent
