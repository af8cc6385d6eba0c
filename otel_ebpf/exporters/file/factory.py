"""Factory of the ``file`` exporter; the implementation is in :mod:`.exporter`."""

from __future__ import annotations

import os

from otel_ebpf.component import EXPORTERS, METRICS, TRACES, Claim, Factory
from otel_ebpf.config.checks import HostProblem, output_file_problems
from otel_ebpf.config.schema import Section, Str
from otel_ebpf.exporters.helper import schema

SCHEMA = Section(
    {
        "path": Str(required=True, doc="the file to append requests to"),
        # The Collector's fileexporter option: OTLP/JSON lines, or length-prefixed protobuf.
        "format": Str("json", choices=("json", "proto"), normalize=str.lower),
        "sending_queue": schema.SENDING_QUEUE,
    }
)


def _claims(config: dict) -> list[Claim]:
    # Two exporters appending to one file would interleave lines in no particular order.
    return [Claim(f"file {os.path.abspath(config['path'])}")] if config["path"] else []


def _check_host(config: dict, signals, environ) -> list[HostProblem]:
    problems = output_file_problems(
        "path", config["path"], creates_directories=False, consequence="the exporter would fail at start"
    )
    if config["format"] == "proto" and len(set(signals)) > 1:
        # Protobuf bytes do not say which signal they are (a JSON line's top-level key does).
        problems.append(
            HostProblem(
                "format",
                "proto: a proto file holds one signal, but this exporter is in traces and metrics pipelines;"
                " give each signal its own file exporter (file/traces, file/metrics)",
            )
        )
    return problems


def _create(settings, config, next_consumer):
    from otel_ebpf.exporters.file.exporter import FileExporter

    return FileExporter(settings, config)


factory = Factory(
    EXPORTERS,
    "file",
    (TRACES, METRICS),
    "OTLP JSON lines (or length-prefixed protobuf) appended to a file",
    _create,
    schema=SCHEMA,
    claims=_claims,
    check_host=_check_host,
)
