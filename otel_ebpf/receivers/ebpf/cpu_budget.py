"""Keeps the agent within ``receivers.ebpf.max_cpu`` by steering the kernel's span rate.

The kernel sends userspace at most a rate of exchanges a second (a token bucket per CPU) and sheds
the rest before copying a byte of them, still counted in the metrics (docs/cost.md).  What an
exchange costs the agent depends on the machine, the traffic and the pipelines, so the rate that
``max_cpu`` allows is only estimated at start (``capture.AGENT_CPU_PER_EXCHANGE_S``, measured on the
development VM), then corrected once a second from what the agent's process really used, all its
threads together (decoding, processors, encoding, export): lowered when it used more than its
budget, raised again, never above ``max_spans_per_second``, when it used less while the kernel was
shedding for the rate.

The correction assumes the agent's CPU grows with the rate; what it spends whatever the load (its
idle cost) makes a correction fall a little short, and the next one finishes it.  Within the dead
band (90-105 % of the budget) the rate is left alone, so that measurement noise does not move it.
"""

from __future__ import annotations

PERIOD_S = 1.0  # how often the rate may change
MIN_RATE = 10  # exchanges/s: a budget below the agent's idle cost still lets some spans through
_HIGH = 1.05  # above this share of the budget, the rate goes down
_LOW = 0.9  # below it, while the kernel sheds for the rate, the rate goes up
_MAX_STEP = 2.0  # a correction at most halves or doubles the rate


class CpuBudget:
    """Args:
    max_cpu: Cores the agent may use.
    rate: The rate the kernel starts with (exchanges/s).
    ceiling: ``max_spans_per_second`` (0: none).
    """

    def __init__(self, max_cpu: float, rate: int, ceiling: int = 0) -> None:
        self.max_cpu = max_cpu
        self.rate = rate
        self.ceiling = ceiling
        self.changes = 0
        self._start: tuple[float, float, int] | None = None  # (time, CPU time, shed for the rate)

    def due(self, now_s: float) -> bool:
        """Whether a period has passed since the last look (the caller then reads the counters)."""
        return self._start is None or now_s - self._start[0] >= PERIOD_S

    def adjust(self, now_s: float, cpu_s: float, shed_for_rate: int) -> int | None:
        """The new rate when it should change, else None.

        Args:
            now_s: A monotonic clock.
            cpu_s: The agent process's CPU time (all threads).
            shed_for_rate: The kernel's count of exchanges shed for the rate so far.
        """
        start = self._start
        self._start = (now_s, cpu_s, shed_for_rate)
        if start is None or now_s <= start[0]:
            return None
        used = (cpu_s - start[1]) / (now_s - start[0])  # cores
        budget = self.max_cpu
        if used > budget * _HIGH:
            factor = max(1 / _MAX_STEP, budget / used)
        elif shed_for_rate > start[2] and used < budget * _LOW:
            factor = min(_MAX_STEP, budget / used) if used > 0 else _MAX_STEP
        else:
            return None
        rate = max(MIN_RATE, round(self.rate * factor))
        if self.ceiling:
            rate = min(self.ceiling, rate)
        if rate == self.rate:
            return None
        self.rate = rate
        self.changes += 1
        return rate
