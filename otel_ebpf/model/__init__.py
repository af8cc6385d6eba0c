"""The records that flow between components: exchanges, processes, pipeline batches."""

from otel_ebpf.model.encoded import EncodedRequest
from otel_ebpf.model.exchange import (
    SPAN_KIND_CLIENT,
    SPAN_KIND_SERVER,
    STATUS_ERROR,
    STATUS_OK,
    STATUS_UNSET,
    ExchangeSource,
    HttpExchange,
    ProcessInfo,
    Role,
    forget_forks,
    is_received,
)
from otel_ebpf.model.health import EndpointHealth
from otel_ebpf.model.pipeline import Exemplar, PipelineData, RequestCount

__all__ = [
    "SPAN_KIND_CLIENT",
    "SPAN_KIND_SERVER",
    "STATUS_ERROR",
    "STATUS_OK",
    "STATUS_UNSET",
    "EncodedRequest",
    "EndpointHealth",
    "ExchangeSource",
    "Exemplar",
    "HttpExchange",
    "PipelineData",
    "ProcessInfo",
    "RequestCount",
    "Role",
    "forget_forks",
    "is_received",
]
