"""Factory of the ``otlp_http`` exporter (OTLP/HTTP); the implementation is in :mod:`.exporter`."""

from __future__ import annotations

from otel_ebpf.component import EXPORTERS, METRICS, TRACES, Factory
from otel_ebpf.config.checks import check_url
from otel_ebpf.config.schema import Duration, Section, Str
from otel_ebpf.exporters.helper import schema
from otel_ebpf.exporters.helper.checks import check_http_host

ENCODINGS = ("proto", "json")


SCHEMA = Section(
    {
        # A base URL: /v1/traces and /v1/metrics are appended.  None: OTEL_EXPORTER_OTLP_ENDPOINT
        # (a base too); validate requires one of them per signal.  The scheme decides TLS.
        "endpoint": schema.Endpoint(None, check=check_url),
        # Full URLs, used as they are; they beat `endpoint` and OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT.
        "traces_endpoint": schema.Endpoint(None, check=check_url),
        "metrics_endpoint": schema.Endpoint(None, check=check_url),
        "tls": schema.TLS,  # tls.insecure is not used: an http:// URL is plaintext, https:// is TLS
        "headers": schema.HEADERS,
        "compression": schema.COMPRESSION,  # None: OTEL_EXPORTER_OTLP_COMPRESSION, then gzip
        "timeout": Duration(None, min=0.001),  # None: OTEL_EXPORTER_OTLP_TIMEOUT, then 30s
        # None: json when OTEL_EXPORTER_OTLP_(TRACES_|METRICS_)PROTOCOL is http/json, else proto.
        "encoding": Str(None, choices=ENCODINGS, normalize=str.lower),
        "sending_queue": schema.SENDING_QUEUE,
        "retry_on_failure": schema.RETRY_ON_FAILURE,
    }
)


def _create(settings, config, next_consumer):
    from otel_ebpf.exporters.otlp_http.exporter import OtlpHttpExporter

    return OtlpHttpExporter(settings, config)


factory = Factory(
    EXPORTERS,
    "otlp_http",
    (TRACES, METRICS),
    "OTLP/HTTP (protobuf or JSON) to a Collector or backend",
    _create,
    schema=SCHEMA,
    aliases=("otlphttp",),
    env_protocols=("http/protobuf", "http/json"),
    check_host=check_http_host,
)
