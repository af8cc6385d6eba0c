"""The host components see: the other components' interfaces, the timer, the status."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from otel_ebpf.component import AgentStatus, Host
from otel_ebpf.service.scheduler import Scheduler
from otel_ebpf.service.status import StatusBook

T = TypeVar("T")


class ServiceHost(Host):
    """Args:
    components: Every component the service created (read at each ``find``: the list grows while building).
    scheduler: The service's timer.
    status: The status book.
    """

    def __init__(self, components: list, scheduler: Scheduler, status: StatusBook) -> None:
        self._components = components
        self._scheduler = scheduler
        self._status = status

    def find(self, interface: type[T]) -> list[T]:
        return [c for c in self._components if isinstance(c, interface)]

    def every(self, interval_s: float, job: Callable[[], None], name: str) -> None:
        self._scheduler.every(interval_s, job, name)

    def after(self, delay_s: float, job: Callable[[], None], name: str) -> bool:
        self._scheduler.after(delay_s, job, name)
        return True

    def status(self) -> AgentStatus:
        return self._status.snapshot()
