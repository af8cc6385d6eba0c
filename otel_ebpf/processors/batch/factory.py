"""Factory of the ``batch`` processor; the implementation is in :mod:`.processor`."""

from __future__ import annotations

from otel_ebpf.component import METRICS, PROCESSORS, TRACES, Factory
from otel_ebpf.config.schema import Duration, Int, Number, Section


def _check_batch(config: dict) -> list[tuple[str, str]]:
    maximum, size = config["send_batch_max_size"], config["send_batch_size"]
    if maximum and maximum < size:
        return [("send_batch_max_size", f"must be 0 (no limit) or at least send_batch_size ({size})")]
    return []


# The Collector's names and defaults, plus a byte bound the Collector's batch processor does not
# have: a batch goes when it holds send_batch_size items or send_batch_size_mib MiB (serialized),
# so that large requests (a sidecar's 3 MiB) cannot pile up 8192 spans' worth of them, and every
# batch fits an exporter's sending_queue.queue_size_mib (16 by default).  0 = no byte bound.
SCHEMA = Section(
    {
        "send_batch_size": Int(8192, min=1),
        "send_batch_size_mib": Number(8, min=0, max=4096),
        "timeout": Duration("200ms", min=0.001),
        "send_batch_max_size": Int(0, min=0),
    },
    check=_check_batch,
)


def _create(settings, config, next_consumer):
    from otel_ebpf.processors.batch.processor import BatchProcessor

    processor = BatchProcessor(config, next_consumer)
    settings.report_stats("otel_ebpf.processor", processor.stats)
    return processor


factory = Factory(
    PROCESSORS, "batch", (TRACES, METRICS), "groups items into batches by size or time", _create, schema=SCHEMA
)
