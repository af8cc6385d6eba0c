"""Factory of the ``circuit_breaker`` processor; the implementation is in :mod:`.processor`."""

from __future__ import annotations

from otel_ebpf.breaker.config import CHECK_PATH, PROCESSOR_SCHEMA, STATUS_PATH
from otel_ebpf.component import METRICS, PROCESSORS, Factory
from otel_ebpf.config.registry import Claim
from otel_ebpf.processors.status_claims import status_claims


def _create(settings, config, next_consumer):
    from otel_ebpf.processors.circuit_breaker.processor import CircuitBreakerProcessor

    processor = CircuitBreakerProcessor(config, next_consumer=next_consumer)
    settings.report_stats("otel_ebpf.processor", processor.stats)
    return processor


def _claims(config):
    endpoint = config["endpoint"]
    if not endpoint:
        return []
    return [*status_claims(endpoint, CHECK_PATH), Claim(f"path {STATUS_PATH} on {endpoint}")]


factory = Factory(
    PROCESSORS,
    "circuit_breaker",
    (METRICS,),
    "circuit breakers per endpoint driven by the health score: GET /breaker/check for gateways",
    _create,
    schema=PROCESSOR_SCHEMA,
    claims=_claims,
)
