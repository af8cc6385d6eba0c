"""A bounded in-memory queue drained by worker threads, like the Collector's sending queue.

The producer side never blocks: :meth:`SendingQueue.offer` refuses an item when
the queue is full and the caller counts the drop.  The queue is bounded twice: in items
(``queue_size``, the Collector's requests) and in bytes (``queue_size_mib``: the items' sizes as
the producer gives them), so that a few large requests cannot hold gigabytes.  The consumer callback runs in
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


# Why offer() refused an item (the ``reason`` of the drop counters).
QUEUE_FULL = "queue_full"  # queue_size items wait
QUEUE_BYTES_FULL = "queue_bytes_full"  # the item's bytes would pass queue_size_mib
CLOSED = "closed"  # shut down


class SendingQueue(Generic[T]):
    """Bounded FIFO of items with `num_consumers` worker threads calling `consume(item)`.

    Args:
        capacity: the most items waiting (items being consumed are not counted).
        num_consumers: worker threads; more than one sends requests concurrently.
        consume: called once per item in a worker thread.
        name: thread name prefix.
        capacity_bytes: the most bytes held, waiting or being consumed (an item in a worker's
            hands is still in memory); 0 = no byte bound.  An item larger than this is refused
            even by an empty queue: the bound is never passed.
    """

    def __init__(
        self,
        capacity: int,
        num_consumers: int,
        consume: Callable[[T], None],
        name: str = "sending-queue",
        capacity_bytes: int = 0,
    ):
        if capacity < 1 or num_consumers < 1 or capacity_bytes < 0:
            raise ValueError("capacity and num_consumers must be at least 1, capacity_bytes at least 0")
        self.capacity = capacity
        self.capacity_bytes = capacity_bytes
        self._bytes = 0  # of the items waiting and in flight
        self._sizes: dict[int, int] = {}  # id(item) -> its bytes, while held
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
    def size_bytes(self) -> int:
        """Bytes held: items waiting and in flight."""
        return self._bytes

    def refusal(self, nbytes: int = 0) -> str | None:
        """Why an item of `nbytes` would be refused now (QUEUE_FULL, QUEUE_BYTES_FULL, CLOSED), or None."""
        with self._cond:
            return self._refusal(nbytes)

    def _refusal(self, nbytes: int) -> str | None:
        if self._closed:
            return CLOSED
        if len(self._items) >= self.capacity:
            return QUEUE_FULL
        if self.capacity_bytes and self._bytes + nbytes > self.capacity_bytes:
            return QUEUE_BYTES_FULL
        return None

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

    def offer(self, item: T, nbytes: int = 0) -> str | None:
        """Queues an item of `nbytes` without blocking.

        Returns:
            None when queued, else why not (QUEUE_FULL, QUEUE_BYTES_FULL or CLOSED).
        """
        with self._cond:
            refusal = self._refusal(nbytes)
            if refusal is not None:
                return refusal
            self._items.append(item)
            if nbytes:
                self._sizes[id(item)] = nbytes
                self._bytes += nbytes
            self._cond.notify()
            return None

    def _release(self, item: T) -> None:
        """Forgets an item's bytes (under the lock): consumed, or handed back by close()."""
        nbytes = self._sizes.pop(id(item), 0)
        self._bytes -= nbytes

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
            for item in leftovers:
                self._release(item)
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
                        self._release(item)
                    self._cond.notify_all()
