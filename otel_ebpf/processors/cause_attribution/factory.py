"""Factory of the ``cause_attribution`` processor; the implementation is in :mod:`.processor`."""

from __future__ import annotations

from otel_ebpf.component import METRICS, PROCESSORS, Factory
from otel_ebpf.processors.cause_attribution.config import CAUSE_ATTRIBUTION_SCHEMA, STATUS_PATH
from otel_ebpf.processors.status_claims import status_claims


def _create(settings, config, next_consumer):
    from otel_ebpf.processors.cause_attribution.processor import CauseAttributionProcessor

    processor = CauseAttributionProcessor(config, next_consumer=next_consumer)
    settings.report_stats("otel_ebpf.processor", processor.stats)
    return processor


factory = Factory(
    PROCESSORS,
    "cause_attribution",
    (METRICS,),
    "network vs application verdict for degraded endpoints (with tcp_flows evidence)",
    _create,
    schema=CAUSE_ATTRIBUTION_SCHEMA,
    claims=lambda config: status_claims(config["endpoint"], STATUS_PATH),
)
