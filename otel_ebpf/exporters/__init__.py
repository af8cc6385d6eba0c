"""Exporters: OTLP/gRPC, OTLP/JSON file, human-readable debug output, and nop.

Each takes ready-made OTLP protobuf requests (``ExportTraceServiceRequest``,
``ExportMetricsServiceRequest``); ``export_*`` never block nor raise, and
``stats()`` counts what was received, sent, dropped and queued, in spans and
metric data points.
"""

from __future__ import annotations

from typing import Any

from otel_ebpf.exporters.base import Exporter, ExportError, QueuedExporter, parse_duration
from otel_ebpf.exporters.debug import DebugExporter
from otel_ebpf.exporters.file import FileExporter, parse_otlp_json, to_otlp_json
from otel_ebpf.exporters.nop import NopExporter
from otel_ebpf.exporters.otlp import OtlpGrpcExporter

__all__ = [
    "EXPORTER_TYPES",
    "DebugExporter",
    "ExportError",
    "Exporter",
    "FileExporter",
    "NopExporter",
    "OtlpGrpcExporter",
    "QueuedExporter",
    "create_exporter",
    "parse_duration",
    "parse_otlp_json",
    "to_otlp_json",
]

EXPORTER_TYPES = {
    "otlp": OtlpGrpcExporter,
    "otlp_grpc": OtlpGrpcExporter,
    "file": FileExporter,
    "debug": DebugExporter,
    "nop": NopExporter,
}


def create_exporter(type_name: str, config: dict[str, Any] | None = None) -> Exporter:
    """Builds an exporter from its type (or a Collector-style id ``type/name``) and config.

    Args:
        type_name: ``otlp`` (alias ``otlp_grpc``), ``file`` or ``debug``; a ``/name`` suffix is allowed.
        config: the exporter's config dict (may be None or empty: defaults apply).

    Raises:
        ValueError: unknown type or invalid config.
    """
    kind = type_name.split("/", 1)[0].strip().lower()
    cls = EXPORTER_TYPES.get(kind)
    if cls is None:
        raise ValueError(f"unknown exporter type {type_name!r}; known: {', '.join(sorted(EXPORTER_TYPES))}")
    return cls(type_name, dict(config or {}))
