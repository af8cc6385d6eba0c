"""Factory of the ``file`` exporter; the implementation is in :mod:`.exporter`."""

from __future__ import annotations

import os

from otel_ebpf.component import EXPORTERS, METRICS, TRACES, Claim, Factory
from otel_ebpf.config.checks import HostProblem, output_file_problems
from otel_ebpf.config.schema import Section, Str
from otel_ebpf.exporters.helper import schema

SCHEMA = Section(
    {
        "path": Str(required=True, doc="the file to append OTLP JSON lines to"),
        "sending_queue": schema.SENDING_QUEUE,
    }
)


def _claims(config: dict) -> list[Claim]:
    # Two exporters appending to one file would interleave lines in no particular order.
    return [Claim(f"file {os.path.abspath(config['path'])}")] if config["path"] else []


def _check_host(config: dict, signals, environ) -> list[HostProblem]:
    return output_file_problems(
        "path", config["path"], creates_directories=False, consequence="the exporter would fail at start"
    )


def _create(settings, config, next_consumer):
    from otel_ebpf.exporters.file.exporter import FileExporter

    return FileExporter(settings, config)


factory = Factory(
    EXPORTERS,
    "file",
    (TRACES, METRICS),
    "OTLP JSON lines appended to a file",
    _create,
    schema=SCHEMA,
    claims=_claims,
    check_host=_check_host,
)
