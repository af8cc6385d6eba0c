"""What the sending queue's byte bound needs: a request's size, and the refusals counted by reason.

A request's size is its serialized protobuf size, the Collector's ``sizer: bytes``: the length
of an :class:`~otel_ebpf.model.EncodedRequest` (what the OTLP exporters queue: known for free), or
``ByteSize()`` of a message (the other exporters).  ``ByteSize()`` measured here (upb protobuf 7,
2 vCPUs): 4-9 ms for a 2.7 MiB request of 15,000 spans, about half a serialization (1.2 µs a small
span), so it is only computed when a byte bound is set.  A decoded request takes about 3.4 times
its serialized size in memory (20 such requests: 183 MB of RSS): the OTLP exporters queue bytes.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from otel_ebpf.component.telemetry import Attrs

MIB = 1024 * 1024


def request_bytes(request) -> int:
    """The serialized size of an OTLP request (0 for what is not a protobuf message)."""
    try:
        return request.ByteSize()
    except Exception:  # not a message: the caller counts it as invalid elsewhere
        return 0


class EnqueueFailures:
    """Items an exporter's queue refused, by signal and reason: ``otel_ebpf.exporter.enqueue_failed_<unit>``.

    The Collector's ``otelcol_exporter_enqueue_failed_spans`` / ``_metric_points``, with a
    ``reason`` attribute (``queue_full``, ``queue_bytes_full``, ``closed``).  These items are
    also in ``dropped_<unit>``.

    Args:
        attrs: The exporter's attributes (``(("exporter", id),)``).
        units: The unit name of each signal index (``("spans", "metric_points")``).
    """

    def __init__(self, attrs: Attrs, units: Sequence[str]) -> None:
        self._attrs = attrs
        self._names = [f"otel_ebpf.exporter.enqueue_failed_{unit}" for unit in units]
        self._counts: dict[tuple[int, str], int] = {}
        self._lock = threading.Lock()

    def add(self, signal: int, reason: str, items: int) -> None:
        with self._lock:
            key = (signal, reason)
            self._counts[key] = self._counts.get(key, 0) + items

    def readings(self) -> dict[tuple[str, Attrs], int]:
        """Every name with ``reason=queue_full`` at least, so that a dashboard sees 0 before the first drop."""
        out = {(name, self._attrs + (("reason", "queue_full"),)): 0 for name in self._names}
        with self._lock:
            for (signal, reason), n in self._counts.items():
                out[(self._names[signal], self._attrs + (("reason", reason),))] = n
        return out
