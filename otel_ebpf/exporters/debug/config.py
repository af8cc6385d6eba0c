"""The ``debug`` exporter's settings, read by its factory (validation) and its implementation."""

from __future__ import annotations

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
