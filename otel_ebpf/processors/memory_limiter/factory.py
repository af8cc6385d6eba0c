"""Factory of the ``memory_limiter`` processor; the implementation is in :mod:`.processor`.

The Collector's names and checks.  Its ``check_interval`` has no default (it must be set); here it
defaults to the value the Collector recommends, 1s.  A limit is required: ``limit_mib`` (wins) or
``limit_percentage`` of the memory available (the cgroup's limit, else the host's).
"""

from __future__ import annotations

from otel_ebpf.component import METRICS, PROCESSORS, TRACES, Factory
from otel_ebpf.config.schema import Duration, Int, Section


def _check(config: dict) -> list[tuple[str, str]]:
    limit, spike = config["limit_mib"], config["spike_limit_mib"]
    percent, spike_percent = config["limit_percentage"], config["spike_limit_percentage"]
    if not limit and not percent:
        return [("limit_mib", "set limit_mib or limit_percentage (the memory the agent may use)")]
    if limit and spike >= limit:
        return [("spike_limit_mib", f"must be smaller than limit_mib ({limit})")]
    if not limit and spike_percent >= percent:
        return [("spike_limit_percentage", f"must be smaller than limit_percentage ({percent})")]
    if config["min_gc_interval_when_soft_limited"] < config["min_gc_interval_when_hard_limited"]:
        return [("min_gc_interval_when_soft_limited", "must not be shorter than min_gc_interval_when_hard_limited")]
    return []


SCHEMA = Section(
    {
        "check_interval": Duration("1s", min=0.01),
        # The hard limit, in MiB of resident memory (RSS); the soft limit is limit - spike.
        "limit_mib": Int(0, min=0),
        # 0: 20% of the limit.
        "spike_limit_mib": Int(0, min=0),
        "limit_percentage": Int(0, min=0, max=100),
        "spike_limit_percentage": Int(0, min=0, max=100),
        "min_gc_interval_when_soft_limited": Duration("10s"),
        "min_gc_interval_when_hard_limited": Duration("0s"),
    },
    check=_check,
)


def _create(settings, config, next_consumer):
    from otel_ebpf.processors.memory_limiter.processor import MemoryLimiter

    processor = MemoryLimiter(config, next_consumer, name=settings.id)
    settings.report_stats("otel_ebpf.processor", processor.stats)
    return processor


factory = Factory(
    PROCESSORS,
    "memory_limiter",
    (TRACES, METRICS),
    "refuses data while the agent's memory is above a limit (first in a pipeline)",
    _create,
    schema=SCHEMA,
)
