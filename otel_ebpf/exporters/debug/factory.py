"""Factory of the ``debug`` exporter; the implementation is in :mod:`.exporter`."""

from __future__ import annotations

from otel_ebpf.component import EXPORTERS, METRICS, TRACES, Factory
from otel_ebpf.config.schema import Section, Str
from otel_ebpf.exporters.helper import schema

VERBOSITIES = ("basic", "normal", "detailed")

SCHEMA = Section(
    {
        # The Collector's default: one summary line per request.
        "verbosity": Str("basic", choices=VERBOSITIES, normalize=str.lower),
        "sending_queue": schema.SENDING_QUEUE,
    }
)


def _create(settings, config, next_consumer):
    from otel_ebpf.exporters.debug.exporter import DebugExporter

    return DebugExporter(settings, config)


factory = Factory(EXPORTERS, "debug", (TRACES, METRICS), "prints telemetry to the console", _create, schema=SCHEMA)
