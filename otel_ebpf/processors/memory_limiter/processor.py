"""Refuses data while the agent's memory is above its soft limit (the Collector's ``memory_limiter``).

Every ``check_interval`` (on the service's timer) the processor reads the agent's resident memory:

* above the soft limit (``limit - spike``) it first gives freed memory back to the system (glibc
  keeps it otherwise, and RSS would stay high after the data is gone), then measures again; if
  still above, it enters the refusing state: ``consume`` raises
  :class:`~otel_ebpf.component.Refused` (``reason=memory_limit``) and ``refusal`` says so, so that
  the ``otlp`` receiver answers ``RESOURCE_EXHAUSTED`` and its senders keep the data; the
  ``ebpf`` receiver, which cannot push back, counts what is refused;
* above the hard limit (``limit``) it also forces a garbage collection, at most every
  ``min_gc_interval_when_hard_limited`` (above the soft limit only: every
  ``min_gc_interval_when_soft_limited``), as the Collector does;
* below the soft limit again, data flows.

It belongs first in a pipeline, before ``batch``: once a batch has taken data, a refusal can no
longer reach the sender.  The limit is the agent's whole RSS, interpreter included (the Collector
limits its Go heap and says the process uses about 50 MiB more).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping

from otel_ebpf.component import Consumer, Host, Processor, Refused
from otel_ebpf.model import PipelineData
from otel_ebpf.processors.memory_limiter.memory import release_freed_memory, resident_bytes, total_memory_bytes

log = logging.getLogger(__name__)

MIB = 1024 * 1024
REASON = "memory_limit"


def limits(config: Mapping, total_memory: Callable[[], int] = total_memory_bytes) -> tuple[int, int]:
    """(hard, soft) limits in bytes from the resolved config (the Collector's rules).

    Raises:
        ValueError: only a percentage is set and the memory available cannot be read.
    """
    if config["limit_mib"]:
        hard = config["limit_mib"] * MIB
        spike = config["spike_limit_mib"] * MIB
    else:
        total = total_memory()
        if not total:
            raise ValueError("cannot read the memory available for limit_percentage; set limit_mib")
        hard = total * config["limit_percentage"] // 100
        spike = total * config["spike_limit_percentage"] // 100
    if not spike:
        spike = hard // 5
    return hard, hard - spike


class MemoryLimiter(Processor):
    """Args:
    config: The resolved ``memory_limiter`` config.
    next_consumer: The next stage of the pipeline.
    name: Its id, for the log lines.
    measure: Resident bytes now (injectable for tests).
    release: Gives freed memory back; called with ``collect_cycles`` (injectable for tests).
    """

    def __init__(
        self,
        config: Mapping,
        next_consumer: Consumer | None = None,
        *,
        name: str = "memory_limiter",
        measure: Callable[[], int] = resident_bytes,
        release: Callable[[bool], None] = release_freed_memory,
    ) -> None:
        super().__init__(next_consumer)
        self.name = name
        self.check_interval_s: float = config["check_interval"]
        self.hard_limit, self.soft_limit = limits(config)
        self._gc_interval_soft = config["min_gc_interval_when_soft_limited"]
        self._gc_interval_hard = config["min_gc_interval_when_hard_limited"]
        self._measure = measure
        self._release = release
        self._lock = threading.Lock()
        self._last_gc = float("-inf")
        self.refusing = False
        self.usage = 0
        self.refused_items = 0
        self.forced_gcs = 0

    def start(self, host: Host | None = None) -> None:
        log.info(
            "processor %s: limit %d MiB, soft limit %d MiB (resident memory), checked every %.2gs",
            self.name,
            self.hard_limit // MIB,
            self.soft_limit // MIB,
            self.check_interval_s,
        )
        self.check()
        if host is not None:
            host.every(self.check_interval_s, self.check, f"{self.name} check")

    def consume(self, data: PipelineData) -> None:
        if self.refusing:
            n = data.item_count()
            with self._lock:
                self.refused_items += n
            raise Refused(
                REASON,
                f"memory usage {self.usage // MIB} MiB is above the soft limit ({self.soft_limit // MIB} MiB)",
            )
        self.next_consumer.consume(data)

    def refusal(self, nbytes: int) -> str | None:
        if self.refusing:
            return REASON
        return self.next_consumer.refusal(nbytes)

    def check(self) -> None:
        """Measures, gives memory back or collects when over a limit, and sets the refusing state."""
        usage = self._measure()
        now = time.monotonic()
        if usage >= self.soft_limit:
            hard = usage >= self.hard_limit
            interval = self._gc_interval_hard if hard else self._gc_interval_soft
            collect = now - self._last_gc >= interval
            # Returning freed pages is cheap (ms) and makes RSS say what is in use: always.
            self._release(collect)
            if collect:
                self._last_gc = now
                self.forced_gcs += 1
            usage = self._measure()
        self.usage = usage
        refusing = usage >= self.soft_limit
        if refusing != self.refusing:
            if refusing:
                log.warning(
                    "processor %s: memory usage %d MiB is above the soft limit (%d MiB): refusing data",
                    self.name,
                    usage // MIB,
                    self.soft_limit // MIB,
                )
            else:
                log.warning(
                    "processor %s: memory usage %d MiB is back under the soft limit (%d MiB): accepting data",
                    self.name,
                    usage // MIB,
                    self.soft_limit // MIB,
                )
        self.refusing = refusing

    def stats(self) -> dict[str, int]:
        return {
            "memory_limiter.refused_items": self.refused_items,
            "memory_limiter.forced_gcs": self.forced_gcs,
            "memory_limiter.memory_usage_bytes": self.usage,
            "memory_limiter.soft_limit_bytes": self.soft_limit,
            "memory_limiter.hard_limit_bytes": self.hard_limit,
            "memory_limiter.refusing": int(self.refusing),
        }
