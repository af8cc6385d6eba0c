"""Factory of the ``health_score`` processor; the implementation is in :mod:`.processor`."""

from __future__ import annotations

from otel_ebpf.component import METRICS, PROCESSORS, Factory
from otel_ebpf.processors.health_score.config import HEALTH_SCORE_SCHEMA, STATUS_PATH
from otel_ebpf.processors.status_claims import status_claims


def _create(settings, config, next_consumer):
    from otel_ebpf.processors.health_score.processor import HealthScoreProcessor

    processor = HealthScoreProcessor(config, next_consumer=next_consumer)
    settings.report_stats("otel_ebpf.processor", processor.stats)
    return processor


factory = Factory(
    PROCESSORS,
    "health_score",
    (METRICS,),
    "per-endpoint health score 0-100, penalties and state",
    _create,
    schema=HEALTH_SCORE_SCHEMA,
    claims=lambda config: status_claims(config["endpoint"], STATUS_PATH),
)
