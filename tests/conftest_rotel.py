"""A real OTLP receiver for tests: rotel (a Rust collector) on a free loopback port.

rotel has no file exporter, so it runs with ``--exporter blackhole`` and its
debug log (``--debug-log traces --debug-log metrics --debug-log-verbosity
detailed``, the Collector's debug format) goes to a file that
:class:`Rotel` parses back into spans and metrics.

Fixtures (import them from a conftest.py or a test module):

- ``rotel``: a started receiver, stopped after the test.
- ``rotel_factory(port=None)``: starts receivers on demand (e.g. later, on a port
  an exporter already points at); all are stopped after the test.

Example::

    def test_spans_arrive(rotel):
        exporter = create_exporter("otlp", {"endpoint": f"http://{rotel.endpoint}"})
        ...
        spans = rotel.wait_for_spans(3)
        assert spans[0].attributes["http.request.method"] == "GET"
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.harness import IN_CI, free_port

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# "     -> key: Str(value)": exactly five spaces (deeper ones belong to span events).
_ATTRIBUTE = re.compile(r"^ {5}-> (.*?): (Str|Int|Double|Bool|Bytes|Slice|Map|Empty)\((.*)\)$")
_DESCRIPTOR = re.compile(r"^ {5}-> (Name|Description|Unit|DataType|IsMonotonic|AggregationTemporality): ?(.*)$")
_SPAN_FIELD = re.compile(r"^ {4}(Trace ID|Parent ID|ID|Name|Kind|Status code|Status message)\s*: ?(.*)$")
_POINT_FIELD = re.compile(r"^(Value|Count|Sum|Min|Max): (.*)$")


def rotel_binary() -> Path | None:
    """Path of the rotel-agent binary shipped in the `rotel` Python package, or None."""
    try:
        import rotel
    except ImportError:
        return None
    path = Path(os.path.dirname(rotel.__file__)) / "rotel-agent"
    return path if path.is_file() else None


def require_rotel() -> Path:
    """The rotel-agent binary; the calling test skips without it, except under CI=true (a failure)."""
    binary = rotel_binary()
    if binary is None:
        if IN_CI:
            pytest.fail("rotel is missing under CI=true (scripts/setup.sh --test installs it)")
        pytest.skip("rotel is not installed (pip install rotel)")
    return binary


def _typed(kind: str, text: str) -> object:
    if kind == "Str":
        return text
    if kind == "Int":
        return int(text)
    if kind == "Double":
        return float(text)
    if kind == "Bool":
        return text == "true"
    return f"{kind}({text})"


@dataclass
class ReceivedSpan:
    """A span as rotel printed it. Ids are lower-case hex; kind is e.g. ``SPAN_KIND_SERVER``."""

    name: str = ""
    trace_id: str = ""
    span_id: str = ""
    parent_id: str = ""
    kind: str = ""
    status_code: str = ""
    status_message: str = ""
    attributes: dict[str, object] = field(default_factory=dict)
    resource: dict[str, object] = field(default_factory=dict)


@dataclass
class ReceivedPoint:
    """A metric data point: `value` for sums and gauges, `count`/`sum` for histograms."""

    attributes: dict[str, object] = field(default_factory=dict)
    value: float | None = None
    count: int | None = None
    sum: float | None = None


@dataclass
class ReceivedMetric:
    name: str = ""
    unit: str = ""
    data_type: str = ""  # Gauge, Sum, Histogram, ExponentialHistogram, Summary
    resource: dict[str, object] = field(default_factory=dict)
    points: list[ReceivedPoint] = field(default_factory=list)


def parse_debug_log(text: str) -> tuple[list[ReceivedSpan], list[ReceivedMetric]]:
    """Parses rotel's detailed debug log into spans and metrics (unknown lines are skipped)."""
    spans: list[ReceivedSpan] = []
    metrics: list[ReceivedMetric] = []
    resource: dict[str, object] = {}
    target: dict[str, object] | None = None  # where "-> key: Type(value)" lines go
    span: ReceivedSpan | None = None
    metric: ReceivedMetric | None = None
    point: ReceivedPoint | None = None
    in_descriptor = False
    for raw in text.splitlines():
        line = _ANSI.sub("", raw)
        if line.startswith(("ResourceSpans #", "ResourceMetrics #")):
            resource = {}
            target, span, metric, point, in_descriptor = None, None, None, None, False
        elif line == "Resource attributes:":
            target = resource
        elif line.startswith(("ScopeSpans #", "ScopeMetrics #")):
            target = None
        elif line.startswith("Span #"):
            span = ReceivedSpan(resource=resource)
            spans.append(span)
            target = None
        elif line == "Attributes:" and span is not None:
            target = span.attributes
        elif line in ("Events:", "Links:") or line.startswith(("SpanEvent #", "SpanLink #")):
            target = None
        elif line.startswith("Metric #"):
            metric = ReceivedMetric(resource=resource)
            metrics.append(metric)
            target, point, in_descriptor = None, None, False
        elif line == "Descriptor:":
            in_descriptor, target = True, None
        elif "DataPoints #" in line and metric is not None:
            point = ReceivedPoint()
            metric.points.append(point)
            target, in_descriptor = None, False
        elif line == "Data point attributes:" and point is not None:
            target = point.attributes
        elif m := _ATTRIBUTE.match(line):
            if target is not None:
                target[m.group(1)] = _typed(m.group(2), m.group(3))
        elif in_descriptor and metric is not None and (m := _DESCRIPTOR.match(line)):
            key, value = m.groups()
            if key == "Name":
                metric.name = value
            elif key == "Unit":
                metric.unit = value
            elif key == "DataType":
                metric.data_type = value
        elif span is not None and metric is None and (m := _SPAN_FIELD.match(line)):
            key, value = m.groups()
            attr = {
                "Trace ID": "trace_id",
                "Parent ID": "parent_id",
                "ID": "span_id",
                "Name": "name",
                "Kind": "kind",
                "Status code": "status_code",
                "Status message": "status_message",
            }[key]
            setattr(span, attr, value.strip() if attr != "name" else value)
        elif point is not None and (m := _POINT_FIELD.match(line)):
            key, value = m.groups()
            try:
                if key == "Value":
                    point.value = float(value)
                elif key == "Count":
                    point.count = int(value)
                elif key == "Sum":
                    point.sum = float(value)
            except ValueError:
                pass
    return spans, metrics


class Rotel:
    """One rotel-agent process listening for OTLP/gRPC on 127.0.0.1:`port`.

    Args:
        workdir: where its log, pid file and captured output go.
        port: the gRPC port (a free one by default).
        http_port: the OTLP/HTTP port (a free one by default).
    """

    def __init__(self, workdir: Path, port: int | None = None, http_port: int | None = None):
        self.binary = require_rotel()
        self.port = port or free_port()
        self.http_port = http_port or free_port()
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.output_path = self.workdir / f"rotel-{self.port}.out"
        self._proc: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        """``127.0.0.1:port`` (prefix ``http://`` for an insecure exporter)."""
        return f"127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 10.0) -> Rotel:
        """Starts rotel and waits until its gRPC port accepts connections."""
        out = open(self.output_path, "ab")  # noqa: SIM115 - the child holds it; closed in stop()
        self._out = out
        self._proc = subprocess.Popen(
            [
                str(self.binary),
                "start",
                "--otlp-grpc-endpoint",
                self.endpoint,
                "--otlp-http-endpoint",
                f"127.0.0.1:{self.http_port}",
                "--exporter",
                "blackhole",
                "--debug-log",
                "traces",
                "--debug-log",
                "metrics",
                "--debug-log-verbosity",
                "detailed",
                "--disable-batching",  # print each request as it arrives, not 200 ms later
                "--pid-file",
                str(self.workdir / f"rotel-{self.port}.pid"),
                "--log-file",
                str(self.workdir / f"rotel-{self.port}.log"),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_COLOR": "1"},
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"rotel exited with {self._proc.returncode}: {self.output()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"rotel did not listen on {self.endpoint} within {timeout_s}s")

    def stop(self) -> None:
        """Stops rotel (SIGTERM, then SIGKILL after a short grace period)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(0.5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        self._out.close()

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def output(self) -> str:
        """Everything rotel printed so far."""
        try:
            return self.output_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def spans(self) -> list[ReceivedSpan]:
        return parse_debug_log(self.output())[0]

    def metrics(self) -> list[ReceivedMetric]:
        return parse_debug_log(self.output())[1]

    def wait_until(self, predicate: Callable[[Rotel], bool], timeout_s: float = 10.0) -> bool:
        """Polls `predicate(self)` until true or the timeout; returns its last result."""
        deadline = time.monotonic() + timeout_s
        while True:
            if predicate(self):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def wait_for_spans(self, count: int, timeout_s: float = 10.0) -> list[ReceivedSpan]:
        """Waits until at least `count` spans arrived; returns all of them (fails the test on timeout)."""
        self.wait_until(lambda r: len(r.spans()) >= count, timeout_s)
        spans = self.spans()
        assert len(spans) >= count, f"rotel received {len(spans)} spans, expected {count}"
        return spans

    def wait_for_metrics(self, points: int, timeout_s: float = 10.0) -> list[ReceivedMetric]:
        """Waits until at least `points` data points arrived; returns all metrics."""

        def n_points(r: Rotel) -> int:
            return sum(len(m.points) for m in r.metrics())

        self.wait_until(lambda r: n_points(r) >= points, timeout_s)
        metrics = self.metrics()
        got = sum(len(m.points) for m in metrics)
        assert got >= points, f"rotel received {got} data points, expected {points}"
        return metrics


@pytest.fixture
def rotel_factory(tmp_path: Path) -> Iterator[Callable[..., Rotel]]:
    """Starts rotel receivers on demand: ``rotel_factory(port=None) -> Rotel`` (started)."""
    started: list[Rotel] = []

    def make(port: int | None = None) -> Rotel:
        receiver = Rotel(tmp_path / "rotel", port)
        started.append(receiver)
        return receiver.start()

    yield make
    for receiver in started:
        receiver.stop()


@pytest.fixture
def rotel(rotel_factory: Callable[..., Rotel]) -> Rotel:
    """A started rotel receiver on a free loopback port."""
    return rotel_factory()
