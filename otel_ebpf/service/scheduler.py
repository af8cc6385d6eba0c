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
        self._jobs: list[tuple[float, int, float | None, Callable[[], None], str]] = []  # interval None: once
        self._seq = itertools.count()
        self._lock = threading.Lock()
        self._generation = 0  # bumped by clear(): a job that was running is not put back
        self.errors = 0
        # Set when a job comes due sooner than the runner's wait would end (a one-shot from
        # another thread), or to end the wait (shutdown): see wait().
        self._nudge = threading.Event()

    def every(self, interval_s: float, job: Callable[[], None], name: str) -> None:
        if not interval_s > 0:
            raise ValueError(f"{name}: the interval must be positive, got {interval_s}")
        with self._lock:
            heapq.heappush(self._jobs, (self._clock() + interval_s, next(self._seq), interval_s, job, name))
        self._nudge.set()

    def after(self, delay_s: float, job: Callable[[], None], name: str) -> None:
        """Runs ``job`` once, ``delay_s`` from now (a timer that costs no wake-up while nothing is due).

        From any thread: the runner's :meth:`wait` ends early when this job is due before it would.
        """
        with self._lock:
            due = self._clock() + max(0.0, delay_s)
            sooner = not self._jobs or due < self._jobs[0][0]
            heapq.heappush(self._jobs, (due, next(self._seq), None, job, name))
        if sooner:
            self._nudge.set()

    def wait(self, timeout_s: float) -> None:
        """The runner's sleep between run_due() calls: ends after ``timeout_s``, or at wake()
        or when a job was added that is due sooner."""
        if self._nudge.wait(timeout_s):
            self._nudge.clear()

    def wake(self) -> None:
        """Ends the runner's current (or next) wait at once (shutdown)."""
        self._nudge.set()

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
                if interval is None:
                    continue  # a one-shot
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
