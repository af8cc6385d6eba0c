"""The ``file`` exporter: one OTLP/JSON line per request, appended (the Collector's ``file``)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import IO, Any

from otel_ebpf.component import CreateSettings
from otel_ebpf.exporters.helper.otlp_json import to_otlp_json
from otel_ebpf.exporters.helper.queued import Batch, ExportError, QueuedExporter


class FileExporter(QueuedExporter):
    """Appends each request as an OTLP/JSON line to `path`, flushed per line.

    Serialising is done by the queue's worker, not the caller: JSON encoding costs
    tens of microseconds per span.

    Args:
        settings: Its id and telemetry.
        config: The resolved config: ``path`` and ``sending_queue``.
    """

    def __init__(self, settings: CreateSettings, config: Mapping[str, Any]):
        super().__init__(settings, config)
        self.path = config["path"]
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
