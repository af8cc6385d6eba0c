"""The service's timer: periodic jobs, all on one thread (the main one)."""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class Scheduler:
    """Runs jobs every interval, at a fixed rate, one at a time.

    A job that fell more than one interval behind (a stalled process) runs once and then
    keeps its rate from now: it never runs in a burst to catch up.

    Args:
        clock: Monotonic seconds (injectable for tests).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._jobs: list[tuple[float, int, float, Callable[[], None], str]] = []
        self._seq = itertools.count()
        self._lock = threading.Lock()
        self._generation = 0  # bumped by clear(): a job that was running is not put back
        self.errors = 0

    def every(self, interval_s: float, job: Callable[[], None], name: str) -> None:
        if not interval_s > 0:
            raise ValueError(f"{name}: the interval must be positive, got {interval_s}")
        with self._lock:
            heapq.heappush(self._jobs, (self._clock() + interval_s, next(self._seq), interval_s, job, name))

    def run_due(self) -> float:
        """Runs every job that is due, each once; returns the seconds until the next one (1.0 when none).

        A job's next time is set after it ran, from its due time: a job slower than its
        interval runs once per call, never in a loop that starves the caller.
        """
        with self._lock:
            now = self._clock()
            due_jobs = []
            while self._jobs and self._jobs[0][0] <= now:
                due_jobs.append(heapq.heappop(self._jobs))
            generation = self._generation
        for due, _, interval, job, name in due_jobs:
            try:
                job()
            except Exception:  # a component's bug must not stop the others' timers
                self.errors += 1
                log.exception("periodic job %r failed", name)
            with self._lock:
                if self._generation != generation:
                    break  # cleared while it ran: shutdown started
                following = due + interval
                after = self._clock()
                if following <= after:
                    following = after + interval
                heapq.heappush(self._jobs, (following, next(self._seq), interval, job, name))
        with self._lock:
            if not self._jobs:
                return 1.0
            return max(0.0, self._jobs[0][0] - self._clock())

    def clear(self) -> None:
        """Forgets every job (shutdown started)."""
        with self._lock:
            self._jobs.clear()
            self._generation += 1
