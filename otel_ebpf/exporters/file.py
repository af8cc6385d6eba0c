"""File exporter: one OTLP/JSON line per request, appended (the Collector's `file` exporter).

Lines follow the OTLP/JSON encoding that the Collector writes and its
``otlpjsonfile`` receiver reads: the protobuf JSON mapping (lowerCamelCase keys,
int64 as strings) with two differences the OTLP specification requires: trace and
span ids are hex strings, not base64, and enums are integers, not names.
:func:`parse_otlp_json` reads a line back into the protobuf request.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
from typing import IO, Any

from google.protobuf import json_format
from google.protobuf.message import Message
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from otel_ebpf.exporters.base import Batch, ExportError, QueuedExporter

log = logging.getLogger(__name__)

_ID_KEYS = ("traceId", "spanId", "parentSpanId")
_METRIC_KINDS = ("gauge", "sum", "histogram", "exponentialHistogram", "summary")


def _b64_to_hex(obj: dict[str, Any]) -> None:
    for key in _ID_KEYS:
        value = obj.get(key)
        if value:
            obj[key] = base64.b64decode(value).hex()


def _hex_to_b64(obj: dict[str, Any]) -> None:
    for key in _ID_KEYS:
        value = obj.get(key)
        if value:
            obj[key] = base64.b64encode(bytes.fromhex(value)).decode("ascii")


def _walk_ids(doc: dict[str, Any], fix) -> None:
    """Applies `fix` to every object holding trace/span ids in a traces or metrics document."""
    for rs in doc.get("resourceSpans", ()):
        for ss in rs.get("scopeSpans", ()):
            for span in ss.get("spans", ()):
                fix(span)
                for link in span.get("links", ()):
                    fix(link)
    for rm in doc.get("resourceMetrics", ()):
        for sm in rm.get("scopeMetrics", ()):
            for metric in sm.get("metrics", ()):
                for kind in _METRIC_KINDS:
                    data = metric.get(kind)
                    if data:
                        for point in data.get("dataPoints", ()):
                            for exemplar in point.get("exemplars", ()):
                                fix(exemplar)


def to_otlp_json(request: Message) -> str:
    """Encodes a request as one compact OTLP/JSON line (without the newline)."""
    doc = json_format.MessageToDict(request, use_integers_for_enums=True)
    _walk_ids(doc, _b64_to_hex)
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


def parse_otlp_json(line: str, request_type: type[Message] | None = None) -> Message:
    """Reads a line written by :func:`to_otlp_json` back into a request.

    Args:
        line: one JSON line.
        request_type: the message class; guessed from the top-level key when None.

    Raises:
        ValueError: the line is not an OTLP/JSON traces or metrics request.
    """
    doc = json.loads(line)
    if not isinstance(doc, dict):
        raise ValueError("not a JSON object")
    if request_type is None:
        if "resourceSpans" in doc:
            request_type = ExportTraceServiceRequest
        elif "resourceMetrics" in doc:
            request_type = ExportMetricsServiceRequest
        else:
            raise ValueError("neither resourceSpans nor resourceMetrics at the top level")
    _walk_ids(doc, _hex_to_b64)
    return json_format.ParseDict(doc, request_type())


class FileExporter(QueuedExporter):
    """Appends each request as an OTLP/JSON line to `path`, flushed per line.

    Serialising is done by the queue's worker, not the caller: JSON encoding costs
    tens of microseconds per span.

    Args:
        name: the exporter id, for logs.
        config: ``path`` (required) and the optional ``sending_queue``.
    """

    def __init__(self, name: str, config: dict[str, Any] | None = None):
        config = dict(config or {})
        path = config.get("path")
        if not path or not isinstance(path, str):
            raise ValueError(f"{name}: path is required")
        super().__init__(name, config)
        self.path = path
        self._file: IO[str] | None = None
        self._file_lock = threading.Lock()

    def _open(self) -> None:
        # Opening here, not per write: a wrong path fails the agent's start, loudly.
        with self._file_lock:
            self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - closed by _close

    def _close(self) -> None:
        with self._file_lock:
            f, self._file = self._file, None
        if f is not None:
            f.close()

    def _deliver(self, batch: Batch) -> int:
        line = to_otlp_json(batch.request) + "\n"
        with self._file_lock:
            if self._file is None:
                raise ExportError("file is closed")
            try:
                self._file.write(line)
                self._file.flush()
            except (OSError, ValueError) as exc:
                raise ExportError(f"cannot write {self.path}: {exc}") from None
        return 0
