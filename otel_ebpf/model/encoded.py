"""An OTLP export request already serialized: what an exporter that sends bytes queues and sends.

The traces pipeline's end encodes its spans straight to the wire bytes of an
``ExportTraceServiceRequest`` (``telemetry.spans.encode_request``); an exporter that declares
``accepts_encoded`` (OTLP/gRPC, OTLP/HTTP protobuf, nop) queues those bytes and sends them as they
are, and the other exporters get the parsed message.  A queued exporter also turns the messages it
is given (metrics, forwarded spans) into one of these once, when it queues them: the queue then
holds bytes, whose size is what its byte bound counts and what the memory holds (a decoded request
takes ~3.4 times its serialized size), and a retry sends them again without encoding anew.

Measured (upb protobuf 7, 2 vCPUs, 900 spans of ~500 bytes): parsing the spans into a message
1.7 µs a span, ``ByteSize()`` 1.2 µs, ``SerializeToString()`` 1.2 µs; joining the bytes 0.05 µs.
"""

from __future__ import annotations

from typing import Any


class EncodedRequest:
    """Serialized request bytes and what they hold.

    Args:
        data: The serialized ``Export*ServiceRequest``.
        items: Spans or metric data points in it (what the exporters' counters count).
        message_type: The protobuf class to parse ``data`` with when a message is needed.
    """

    __slots__ = ("data", "items", "message_type")

    def __init__(self, data: bytes, items: int, message_type: Any) -> None:
        self.data = data
        self.items = items
        self.message_type = message_type

    def message(self) -> Any:
        """The request parsed (a new message each call: the caller may keep or change it)."""
        return self.message_type.FromString(self.data)

    # The two protobuf methods the exporters' byte accounting and encoders call.
    def SerializeToString(self) -> bytes:  # noqa: N802 - protobuf's name
        return self.data

    def ByteSize(self) -> int:  # noqa: N802 - protobuf's name
        return len(self.data)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"EncodedRequest({self.message_type.__name__}, {self.items} items, {len(self.data)} bytes)"
