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
        self.errors = 0

    def every(self, interval_s: float, job: Callable[[], None], name: str) -> None:
        if not interval_s > 0:
            raise ValueError(f"{name}: the interval must be positive, got {interval_s}")
        with self._lock:
            heapq.heappush(self._jobs, (self._clock() + interval_s, next(self._seq), interval_s, job, name))

    def run_due(self) -> float:
        """Runs every job that is due; returns the seconds until the next one (1.0 when none)."""
        while True:
            with self._lock:
                if not self._jobs:
                    return 1.0
                now = self._clock()
                due, _, interval, job, name = self._jobs[0]
                if due > now:
                    return due - now
                following = due + interval
                if following <= now:
                    following = now + interval
                heapq.heapreplace(self._jobs, (following, next(self._seq), interval, job, name))
            try:
                job()
            except Exception:  # a component's bug must not stop the others' timers
                self.errors += 1
                log.exception("periodic job %r failed", name)

    def clear(self) -> None:
        """Forgets every job (shutdown started)."""
        with self._lock:
            self._jobs.clear()
