"""Factory of the ``semantic_errors`` processor; the rules and their validation are in :mod:`.rules`."""

from __future__ import annotations

from otel_ebpf.component import METRICS, PROCESSORS, TRACES, Factory
from otel_ebpf.processors.semantic_errors.rules import default_config, validate_config


def _create(settings, config, next_consumer):
    from otel_ebpf.processors.semantic_errors.processor import SemanticErrorsProcessor

    processor = SemanticErrorsProcessor(config, next_consumer=next_consumer)
    settings.report_stats("otel_ebpf.processor", processor.stats)
    return processor


factory = Factory(
    PROCESSORS,
    "semantic_errors",
    (TRACES, METRICS),
    "classifies the errors of HTTP exchanges into error.type",
    _create,
    default_config=default_config,
    validate_config=validate_config,
)
