"""Factory of the ``otlp`` receiver; the schema is in :mod:`.config`, the implementation in :mod:`.receiver`."""

from __future__ import annotations

from otel_ebpf.component import METRICS, RECEIVERS, TRACES, Factory
from otel_ebpf.config.registry import port_claim
from otel_ebpf.receivers.otlp.config import SCHEMA


def _create(settings, config, next_consumer):
    from otel_ebpf.receivers.otlp.receiver import OtlpReceiverComponent

    return OtlpReceiverComponent(settings, config, next_consumer)


factory = Factory(
    RECEIVERS,
    "otlp",
    (TRACES, METRICS),
    "OTLP/gRPC from any sender (sidecar mode)",
    _create,
    schema=SCHEMA,
    claims=lambda config: port_claim(config["protocols"]["grpc"]["endpoint"]),
)
