"""The ``proto`` format of the ``file`` exporter: length-prefixed OTLP protobuf, as the Collector's.

Each request is written as a 4-byte big-endian length followed by that many bytes of the
serialized request (``ExportTraceServiceRequest`` / ``ExportMetricsServiceRequest``, the
same bytes as the Collector's ``TracesData`` / ``MetricsData``): what the Collector's
``fileexporter`` writes with ``format: proto``.  The bytes carry no signal: a file written
this way holds one signal (the factory refuses an instance in pipelines of both).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import BinaryIO

_LENGTH = struct.Struct(">I")
MAX_FRAME = 0xFFFFFFFF  # what 4 bytes can say; a larger request cannot be written


def frame(data: bytes) -> bytes:
    """The length prefix and the bytes, ready to append."""
    if len(data) > MAX_FRAME:
        raise ValueError(f"request of {len(data)} bytes is larger than a frame can say")
    return _LENGTH.pack(len(data)) + data


def read_frames(f: BinaryIO) -> Iterator[bytes]:
    """The serialized requests of a file written with ``format: proto``, in order.

    Raises:
        ValueError: the file ends inside a frame (truncated by a crash mid-write).
    """
    while True:
        head = f.read(4)
        if not head:
            return
        if len(head) < 4:
            raise ValueError("truncated length prefix at the end of the file")
        (size,) = _LENGTH.unpack(head)
        data = f.read(size)
        if len(data) < size:
            raise ValueError(f"truncated request at the end of the file ({len(data)} of {size} bytes)")
        yield data
