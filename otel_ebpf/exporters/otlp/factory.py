"""Factory of the ``otlp`` exporter (OTLP/gRPC); the implementation is in :mod:`.exporter`."""

from __future__ import annotations

from otel_ebpf.component import EXPORTERS, METRICS, TRACES, Factory
from otel_ebpf.config.checks import check_endpoint
from otel_ebpf.config.schema import Duration, Section
from otel_ebpf.exporters.helper import schema
from otel_ebpf.exporters.helper.checks import check_grpc_host

SCHEMA = Section(
    {
        # None: OTEL_EXPORTER_OTLP_(TRACES_|METRICS_)ENDPOINT, required then (validate says so), as the
        # Collector requires an endpoint.  https://host means host:443.
        "endpoint": schema.Endpoint(None, check=check_endpoint),
        "tls": schema.TLS,
        "headers": schema.HEADERS,
        "compression": schema.COMPRESSION,  # None: OTEL_EXPORTER_OTLP_COMPRESSION, then gzip
        "timeout": Duration(None, min=0.001),  # None: OTEL_EXPORTER_OTLP_TIMEOUT, then 5s
        "sending_queue": schema.SENDING_QUEUE,
        "retry_on_failure": schema.RETRY_ON_FAILURE,
    }
)


def _create(settings, config, next_consumer):
    from otel_ebpf.exporters.otlp.exporter import OtlpGrpcExporter

    return OtlpGrpcExporter(settings, config)


factory = Factory(
    EXPORTERS,
    "otlp",
    (TRACES, METRICS),
    "OTLP/gRPC to a Collector or backend",
    _create,
    schema=SCHEMA,
    aliases=("otlp_grpc",),
    env_protocols=("grpc",),
    check_host=check_grpc_host,
)
