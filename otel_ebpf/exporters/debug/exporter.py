"""Debug exporter: what a user sees in the terminal when there is no backend.

Verbosity levels follow the Collector's debug exporter:

- ``basic``: one summary line per request (``traces: 3 spans``).
- ``normal``: one line per span / metric data point::

      checkout SERVER GET /orders/{id} ERROR 12.34ms trace=4bf92f35…0e4736 [http.request.method=GET url.path=/orders/42]

  (the trace id is printed in full, so that it can be pasted into a search).

- ``detailed``: every field and attribute, one attribute per line.

Colours (status, service) are used only when the stream is a terminal and
``NO_COLOR`` is not set.  Output is plain text: no extra dependency.
"""

from __future__ import annotations

import datetime
import os
import sys
import threading
from collections.abc import Mapping
from typing import IO, Any

from opentelemetry.proto.common.v1.common_pb2 import AnyValue

from otel_ebpf.component import CreateSettings
from otel_ebpf.exporters.debug.config import VERBOSITIES
from otel_ebpf.exporters.helper.queued import TRACES, Batch, ExportError, QueuedExporter
from otel_ebpf.model.pipeline import count_data_points, count_spans

WIDTH = 120

# Shown on the one-line form of a span, in this order, when present.
_SPAN_SUMMARY_KEYS = (
    "http.request.method",
    "url.path",
    "url.full",
    "http.response.status_code",
    "error.type",
)
_KINDS = ("UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER")
_STATUSES = ("UNSET", "OK", "ERROR")
_TEMPORALITY = ("unspecified", "delta", "cumulative")
_MAX_VALUE = 64  # characters of an attribute value on one-line forms
_NAME_WIDTH = 40

_RED, _GREEN, _DIM, _BOLD, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[2m", "\x1b[1m", "\x1b[0m"
# Control characters would break the one-line-per-item layout (and could move the cursor).
_ESCAPES = {i: f"\\x{i:02x}" for i in range(32)} | {10: "\\n", 13: "\\r", 9: "\\t", 127: "\\x7f"}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_value(value: AnyValue) -> str:
    """An AnyValue as text: strings bare (control characters escaped), arrays and maps bracketed."""
    kind = value.WhichOneof("value")
    if kind == "string_value":
        return value.string_value.translate(_ESCAPES)
    if kind == "bool_value":
        return "true" if value.bool_value else "false"
    if kind == "int_value":
        return str(value.int_value)
    if kind == "double_value":
        return repr(value.double_value)
    if kind == "array_value":
        return "[" + ", ".join(format_value(v) for v in value.array_value.values) + "]"
    if kind == "kvlist_value":
        return "{" + ", ".join(f"{kv.key}={format_value(kv.value)}" for kv in value.kvlist_value.values) + "}"
    if kind == "bytes_value":
        return "0x" + value.bytes_value.hex()
    return ""


def _attrs(attributes) -> dict[str, str]:
    return {kv.key.translate(_ESCAPES): format_value(kv.value) for kv in attributes}


def _timestamp(ns: int) -> str:
    if not ns:
        return "-"
    dt = datetime.datetime.fromtimestamp(ns / 1e9, tz=datetime.UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ns % 1_000_000_000:09d}"[:6] + "Z"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _number(point) -> str:
    return repr(point.as_double) if point.WhichOneof("value") == "as_double" else str(point.as_int)


class _Style:
    def __init__(self, color: bool):
        self.color = color

    def __call__(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.color else text

    def status(self, code: int) -> str:
        name = _STATUSES[code] if 0 <= code < len(_STATUSES) else str(code)
        if code == 2:
            return self(name, _RED)
        if code == 1:
            return self(name, _GREEN)
        return name


class DebugFormatter:
    """Turns OTLP requests into text lines at one verbosity (pure: no I/O, easy to test).

    Args:
        verbosity: basic, normal or detailed.
        color: wrap statuses and names in ANSI colour codes.
    """

    def __init__(self, verbosity: str = "normal", color: bool = False):
        if verbosity not in VERBOSITIES:
            raise ValueError(f"verbosity: expected one of {', '.join(VERBOSITIES)}, got {verbosity!r}")
        self.verbosity = verbosity
        self._s = _Style(color)

    def format_traces(self, request) -> list[str]:
        spans = count_spans(request)
        summary = f"traces: {_plural(spans, 'span', 'spans')}"
        return self._format(
            summary,
            request.resource_spans,
            "scope_spans",
            "spans",
            lambda span: self._span_detailed(span),
            lambda service, span: [self._span_line(service, span)],
        )

    def format_metrics(self, request) -> list[str]:
        points = count_data_points(request)
        summary = f"metrics: {_plural(points, 'data point', 'data points')}"
        return self._format(
            summary,
            request.resource_metrics,
            "scope_metrics",
            "metrics",
            lambda metric: self._metric_detailed(metric),
            lambda service, metric: self._metric_lines(service, metric),
        )

    def _format(self, summary, resources, scopes_field, items_field, detailed_item, normal_item) -> list[str]:
        """Walks resource → scope → item (span or metric) the same way for both signals."""
        if self.verbosity == "basic":
            return [summary]
        lines: list[str] = []
        detailed = self.verbosity == "detailed"
        if detailed:
            lines.append(self._s(summary, _BOLD))
        for resource_item in resources:
            resource = _attrs(resource_item.resource.attributes)
            service = resource.get("service.name", "unknown_service")
            if detailed:
                lines.extend(self._resource_lines(resource))
            for scoped in getattr(resource_item, scopes_field):
                if detailed:
                    lines.append(f"  scope {scoped.scope.name or '-'} {scoped.scope.version}".rstrip())
                for item in getattr(scoped, items_field):
                    lines.extend(detailed_item(item) if detailed else normal_item(service, item))
        return lines

    # -- normal ---------------------------------------------------------------------

    def _span_line(self, service: str, span) -> str:
        attrs = _attrs(span.attributes)
        duration_ms = max(0, span.end_time_unix_nano - span.start_time_unix_nano) / 1e6
        shown = " ".join(f"{k}={_clip(attrs[k], _MAX_VALUE)}" for k in _SPAN_SUMMARY_KEYS if k in attrs)
        kind = _KINDS[span.kind] if 0 <= span.kind < len(_KINDS) else str(span.kind)
        parts = [
            self._s(_clip(service, 24), _BOLD),
            kind,
            _clip(span.name.translate(_ESCAPES), _NAME_WIDTH),
            self._s.status(span.status.code),
            f"{duration_ms:.2f}ms",
            self._s(f"trace={span.trace_id.hex()}", _DIM),
        ]
        if shown:
            parts.append(f"[{shown}]")
        return " ".join(parts)

    def _metric_lines(self, service: str, metric) -> list[str]:
        kind = metric.WhichOneof("data")
        if kind is None:
            return []
        unit = f" ({metric.unit})" if metric.unit else ""
        head = f"{self._s(_clip(service, 24), _BOLD)} {metric.name}{unit} {kind}"
        lines = []
        for point in getattr(metric, kind).data_points:
            attrs = _attrs(point.attributes)
            shown = " ".join(f"{k}={_clip(v, _MAX_VALUE)}" for k, v in attrs.items())
            line = f"{head} {self._point_value(kind, point)}"
            if shown:
                line += f" [{shown}]"
            lines.append(line)
        return lines

    @staticmethod
    def _point_value(kind: str, point) -> str:
        if kind in ("gauge", "sum"):
            return f"value={_number(point)}"
        text = f"count={point.count} sum={point.sum:.6g}"
        if kind in ("histogram", "exponential_histogram"):
            if point.HasField("min"):
                text += f" min={point.min:.6g}"
            if point.HasField("max"):
                text += f" max={point.max:.6g}"
        return text

    # -- detailed ---------------------------------------------------------------------

    def _resource_lines(self, resource: dict[str, str]) -> list[str]:
        lines = [f"resource {self._s(resource.get('service.name', 'unknown_service'), _BOLD)}"]
        lines.extend(f"    {k}={v}" for k, v in resource.items())
        return lines

    def _span_detailed(self, span) -> list[str]:
        kind = _KINDS[span.kind] if 0 <= span.kind < len(_KINDS) else str(span.kind)
        duration_ms = max(0, span.end_time_unix_nano - span.start_time_unix_nano) / 1e6
        status = self._s.status(span.status.code)
        if span.status.message:
            status += f" ({span.status.message.translate(_ESCAPES)})"
        lines = [
            f"    span {self._s(span.name.translate(_ESCAPES), _BOLD)} {kind} {status} {duration_ms:.3f}ms",
            f"      trace_id={span.trace_id.hex()} span_id={span.span_id.hex()}"
            f" parent_span_id={span.parent_span_id.hex() or '-'}",
            f"      start={_timestamp(span.start_time_unix_nano)} end={_timestamp(span.end_time_unix_nano)}",
        ]
        if span.trace_state:
            lines.append(f"      trace_state={span.trace_state}")
        lines.extend(f"      {k}={v}" for k, v in _attrs(span.attributes).items())
        for event in span.events:
            lines.append(f"      event {event.name} at {_timestamp(event.time_unix_nano)}")
            lines.extend(f"        {k}={v}" for k, v in _attrs(event.attributes).items())
        for link in span.links:
            lines.append(f"      link trace_id={link.trace_id.hex()} span_id={link.span_id.hex()}")
        dropped = span.dropped_attributes_count + span.dropped_events_count + span.dropped_links_count
        if dropped:
            lines.append(
                f"      dropped: {span.dropped_attributes_count} attributes, {span.dropped_events_count} events,"
                f" {span.dropped_links_count} links"
            )
        return lines

    def _metric_detailed(self, metric) -> list[str]:
        kind = metric.WhichOneof("data")
        data = getattr(metric, kind) if kind else None
        info = [kind or "no data"]
        if metric.unit:
            info.append(f"unit {metric.unit}")
        temporality = getattr(data, "aggregation_temporality", None)
        if temporality is not None and 0 <= temporality < len(_TEMPORALITY):
            info.append(_TEMPORALITY[temporality])
        if kind == "sum":
            info.append("monotonic" if data.is_monotonic else "non-monotonic")
        head = f"    metric {self._s(metric.name, _BOLD)} ({', '.join(info)})"
        if metric.description:
            head += f": {metric.description.translate(_ESCAPES)}"
        lines = [head]
        if data is None:
            return lines
        for point in data.data_points:
            lines.append(
                f"      point {self._point_value(kind, point)}"
                f" start={_timestamp(point.start_time_unix_nano)} time={_timestamp(point.time_unix_nano)}"
            )
            if kind == "histogram" and point.bucket_counts:
                bounds = [f"{b:g}" for b in point.explicit_bounds] + ["+Inf"]
                buckets = " ".join(f"≤{b}:{c}" for b, c in zip(bounds, point.bucket_counts, strict=False))
                lines.extend(self._wrap(buckets, "        buckets "))
            elif kind == "summary":
                q = " ".join(f"p{v.quantile * 100:g}={v.value:.6g}" for v in point.quantile_values)
                if q:
                    lines.append(f"        quantiles {q}")
            lines.extend(f"        {k}={v}" for k, v in _attrs(point.attributes).items())
            for ex in point.exemplars:
                value = repr(ex.as_double) if ex.WhichOneof("value") == "as_double" else str(ex.as_int)
                lines.append(
                    f"        exemplar value={value} trace_id={ex.trace_id.hex() or '-'}"
                    f" span_id={ex.span_id.hex() or '-'} at {_timestamp(ex.time_unix_nano)}"
                )
        return lines

    @staticmethod
    def _wrap(text: str, prefix: str) -> list[str]:
        """Wraps space-separated tokens to WIDTH columns, continuation lines indented under `prefix`."""
        lines, line = [], prefix
        indent = " " * len(prefix)
        for token in text.split(" "):
            if len(line) + len(token) > WIDTH and line.strip():
                lines.append(line.rstrip())
                line = indent
            line += token + " "
        lines.append(line.rstrip())
        return lines


class DebugExporter(QueuedExporter):
    """Writes requests as text to a stream (stdout by default).

    Args:
        settings: Its id and telemetry.
        config: The resolved config: ``verbosity`` (basic | normal | detailed) and ``sending_queue``.
        stream: where to write; colours are used only if it is a terminal and NO_COLOR is unset.
    """

    def __init__(self, settings: CreateSettings, config: Mapping[str, Any], stream: IO[str] | None = None):
        super().__init__(settings, config)
        self._stream = stream if stream is not None else sys.stdout
        try:
            tty = self._stream.isatty()
        except (AttributeError, ValueError):
            tty = False
        color = tty and not os.environ.get("NO_COLOR")
        self.formatter = DebugFormatter(config["verbosity"], color=color)
        self._write_lock = threading.Lock()

    def _deliver(self, batch: Batch) -> int:
        if batch.signal == TRACES:
            lines = self.formatter.format_traces(batch.request)
        else:
            lines = self.formatter.format_metrics(batch.request)
        text = "\n".join(lines) + "\n"
        with self._write_lock:
            try:
                self._stream.write(text)
                self._stream.flush()
            except (OSError, ValueError) as exc:  # closed stdout, broken pipe
                raise ExportError(f"cannot write output: {exc}") from None
        return 0
