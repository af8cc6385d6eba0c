"""A bounded in-memory queue drained by worker threads, like the Collector's sending queue.

The producer side never blocks: :meth:`SendingQueue.offer` refuses an item when
the queue is full and the caller counts the drop.  The consumer callback runs in
the workers and must not raise (exceptions are logged and swallowed so that a bug
cannot silently stop the export).  :meth:`SendingQueue.close` lets the workers
drain until a deadline and hands back everything they did not finish.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class SendingQueue(Generic[T]):
    """Bounded FIFO of items with `num_consumers` worker threads calling `consume(item)`.

    Args:
        capacity: the most items waiting (items being consumed are not counted).
        num_consumers: worker threads; more than one sends requests concurrently.
        consume: called once per item in a worker thread.
        name: thread name prefix.
    """

    def __init__(self, capacity: int, num_consumers: int, consume: Callable[[T], None], name: str = "sending-queue"):
        if capacity < 1 or num_consumers < 1:
            raise ValueError("capacity and num_consumers must be at least 1")
        self.capacity = capacity
        self._num_consumers = num_consumers
        self._consume = consume
        self._name = name
        self._items: collections.deque[T] = collections.deque()
        self._cond = threading.Condition(threading.Lock())
        # Items a worker took and has not finished, by worker thread id.
        self._in_flight: dict[int, T] = {}
        self._closed = False  # no new items; workers exit once the queue is empty
        self._abandoned = False  # the close deadline passed: workers exit at once
        self._threads: list[threading.Thread] = []

    def __len__(self) -> int:
        return len(self._items)

    @property
    def in_flight(self) -> int:
        """Items being consumed right now."""
        return len(self._in_flight)

    def start(self) -> None:
        """Starts the workers (once)."""
        with self._cond:
            if self._threads or self._closed:
                return
            for i in range(self._num_consumers):
                t = threading.Thread(target=self._run, name=f"{self._name}-{i}", daemon=True)
                self._threads.append(t)
        for t in self._threads:
            t.start()

    def offer(self, item: T) -> bool:
        """Queues an item without blocking; False when the queue is full or closed."""
        with self._cond:
            if self._closed or len(self._items) >= self.capacity:
                return False
            self._items.append(item)
            self._cond.notify()
            return True

    def join(self, timeout_s: float) -> bool:
        """Waits until nothing is queued or in flight; False if `timeout_s` passed first."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while self._items or self._in_flight:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (not self._threads and not self._in_flight):
                    return False
                self._cond.wait(remaining)
            return True

    def close(self, deadline: float) -> list[T]:
        """Stops accepting items and lets the workers drain until `deadline` (monotonic).

        Returns:
            The items not consumed by then: still queued, or in flight in a worker
            that is stuck (its result, when it comes, is the caller's to ignore).
        """
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            threads = list(self._threads)
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
        with self._cond:
            self._abandoned = True
            leftovers = list(self._in_flight.values())
            leftovers.extend(self._items)
            self._items.clear()
            self._in_flight.clear()
            self._cond.notify_all()
        return leftovers

    def _run(self) -> None:
        me = threading.get_ident()
        while True:
            with self._cond:
                while not self._items and not self._closed:
                    self._cond.wait()
                if self._abandoned or not self._items:
                    return
                item = self._items.popleft()
                self._in_flight[me] = item
            try:
                self._consume(item)
            except Exception:  # the callback should not raise; keep the worker alive if it does
                log.exception("%s: consumer failed", self._name)
            finally:
                with self._cond:
                    if self._in_flight.get(me) is item:
                        del self._in_flight[me]
                    self._cond.notify_all()
