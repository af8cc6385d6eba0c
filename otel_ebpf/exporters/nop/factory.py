"""Factory of the ``nop`` exporter."""

from __future__ import annotations

from otel_ebpf.component import EXPORTERS, METRICS, TRACES, Factory
from otel_ebpf.config.schema import Section


def _create(settings, config, next_consumer):
    from otel_ebpf.exporters.nop.exporter import NopExporter

    return NopExporter(settings)


factory = Factory(EXPORTERS, "nop", (TRACES, METRICS), "discards everything (counted)", _create, schema=Section({}))
