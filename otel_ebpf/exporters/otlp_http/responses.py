"""Reading OTLP/HTTP responses: partial success, failure bodies, ``Retry-After``.

The rules are the specification's (opentelemetry-proto ``docs/specification.md``, "OTLP/HTTP
Response"): a 2xx body is an ``Export<signal>ServiceResponse`` in the request's encoding,
whose ``partial_success`` says how many items were rejected; a 4xx/5xx body is a
``google.rpc.Status``; ``Retry-After`` is a number of seconds or an HTTP date.
"""

from __future__ import annotations

import datetime
import email.utils
import json

from google.protobuf import json_format
from google.protobuf.message import DecodeError
from google.rpc import status_pb2
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceResponse
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse

from otel_ebpf.exporters.helper.queued import TRACES

PROTOBUF = "application/x-protobuf"
JSON = "application/json"
CONTENT_TYPES = {"proto": PROTOBUF, "json": JSON}

# How much of a failure body goes into a log line.
CLIP_CHARS = 256


def retry_after_seconds(value: str | None, now: datetime.datetime | None = None) -> float | None:
    """The delay a ``Retry-After`` header asks for, in seconds (0 for a date in the past), or None.

    Args:
        value: The header: ``delay-seconds`` or an ``HTTP-date`` (RFC 9110 section 10.2.3).
        now: The current time, for tests (UTC).
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return float(int(text))
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP-date is always GMT
        when = when.replace(tzinfo=datetime.UTC)
    now = now or datetime.datetime.now(datetime.UTC)
    return max(0.0, (when - now).total_seconds())


def partial_success(signal: int, body: bytes | None, content_type: str, encoding: str) -> tuple[int, str]:
    """``(rejected items, error message)`` of a 2xx response body; ``(0, "")`` when there is none.

    The body is read in the encoding its ``Content-Type`` names, or, without one, in the
    request's encoding; a body of another type (a proxy's text) says nothing.

    Raises:
        ValueError: The body is not the response message it claims to be.
    """
    if not body:
        return 0, ""
    if content_type not in (PROTOBUF, JSON):
        if content_type:
            return 0, ""
        content_type = CONTENT_TYPES[encoding]
    message = ExportTraceServiceResponse() if signal == TRACES else ExportMetricsServiceResponse()
    try:
        if content_type == PROTOBUF:
            message.ParseFromString(body)
        else:
            json_format.Parse(body.decode("utf-8"), message, ignore_unknown_fields=True)
    except (DecodeError, json_format.ParseError, UnicodeDecodeError, RecursionError) as exc:
        raise ValueError(f"cannot decode the {content_type} response: {exc}") from None
    partial = message.partial_success
    rejected = partial.rejected_spans if signal == TRACES else partial.rejected_data_points
    return max(0, rejected), partial.error_message


def failure_text(body: bytes | None, content_type: str) -> str:
    """What a 4xx/5xx body says: the ``Status`` message, else the start of the body, printable."""
    if not body:
        return ""
    if content_type == PROTOBUF:
        try:
            status = status_pb2.Status.FromString(body)
        except DecodeError:
            status = None
        if status is not None and status.message:
            return clip(status.message)
    if content_type == JSON:
        try:
            doc = json.loads(body)
        except ValueError:
            doc = None
        if isinstance(doc, dict) and isinstance(doc.get("message"), str) and doc["message"]:
            return clip(doc["message"])
    return clip(body.decode("utf-8", "replace"))


def clip(text: str, limit: int = CLIP_CHARS) -> str:
    """One line of at most ``limit`` characters, control characters escaped."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
