"""Factory of the ``probabilistic_sampler`` processor; the implementation is in :mod:`.processor`."""

from __future__ import annotations

from otel_ebpf.component import PROCESSORS, TRACES, Factory
from otel_ebpf.config.schema import Number, Section

SCHEMA = Section({"sampling_percentage": Number(100, min=0, max=100)})


def _create(settings, config, next_consumer):
    from otel_ebpf.processors.probabilistic_sampler.processor import ProbabilisticSampler

    processor = ProbabilisticSampler(config, next_consumer)
    settings.report_stats("otel_ebpf.processor", processor.stats)
    return processor


factory = Factory(
    PROCESSORS, "probabilistic_sampler", (TRACES,), "keeps a percentage of traces", _create, schema=SCHEMA
)
