"""Factory of the ``debug`` exporter; the schema is in :mod:`.config`, the implementation in :mod:`.exporter`."""

from __future__ import annotations

from otel_ebpf.component import EXPORTERS, METRICS, TRACES, Factory
from otel_ebpf.exporters.debug.config import SCHEMA


def _create(settings, config, next_consumer):
    from otel_ebpf.exporters.debug.exporter import DebugExporter

    return DebugExporter(settings, config)


factory = Factory(EXPORTERS, "debug", (TRACES, METRICS), "prints telemetry to the console", _create, schema=SCHEMA)
