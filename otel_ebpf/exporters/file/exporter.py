"""The ``file`` exporter: each request appended to a file, as OTLP/JSON lines or length-prefixed
protobuf (the Collector's ``file``, ``format: json`` / ``proto``)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import IO, Any

from otel_ebpf.component import CreateSettings
from otel_ebpf.exporters.file.framing import frame
from otel_ebpf.exporters.helper.otlp_json import to_otlp_json
from otel_ebpf.exporters.helper.queued import Batch, ExportError, QueuedExporter


def _json_line(request) -> bytes:
    # ~17 µs and ~1.1 KB per typical span (json_format took 76-80 µs; bench/bench_file_exporter.py):
    # a file for people and otlpjsonfile to read, not for volume.
    return (to_otlp_json(request) + "\n").encode("utf-8")


def _proto_frame(request) -> bytes:
    # One C call: ~0.8 µs and ~530 bytes per typical span (bench/bench_file_exporter.py).
    return frame(request.SerializeToString())


ENCODERS = {"json": _json_line, "proto": _proto_frame}


class FileExporter(QueuedExporter):
    """Appends each request to `path` in `format`, flushed per request.

    Encoding is done by the queue's worker, not the caller (JSON costs tens of microseconds
    per span).

    Args:
        settings: Its id and telemetry.
        config: The resolved config: ``path``, ``format`` and ``sending_queue``.
    """

    def __init__(self, settings: CreateSettings, config: Mapping[str, Any]):
        super().__init__(settings, config)
        self.path = config["path"]
        self.format = config["format"]
        self._encode = ENCODERS[self.format]
        self._file: IO[bytes] | None = None
        self._file_lock = threading.Lock()

    def _open(self) -> None:
        # Opening here, not per write: a wrong path fails the agent's start, loudly.
        with self._file_lock:
            self._file = open(self.path, "ab")  # noqa: SIM115 - closed by _close

    def _close(self) -> None:
        with self._file_lock:
            f, self._file = self._file, None
        if f is not None:
            f.close()

    def _deliver(self, batch: Batch) -> int:
        data = self._encode(batch.request)
        with self._file_lock:
            if self._file is None:
                raise ExportError("file is closed")
            try:
                self._file.write(data)
                self._file.flush()
            except (OSError, ValueError) as exc:
                raise ExportError(f"cannot write {self.path}: {exc}") from None
        return 0
