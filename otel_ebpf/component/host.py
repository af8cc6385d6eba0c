"""What a running component can ask of the service: other components' interfaces, timers, status."""

from __future__ import annotations

import abc
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


class Status(enum.Enum):
    """A component's state, as the Collector's component status reports it."""

    STARTING = "starting"
    OK = "ok"
    RECOVERABLE_ERROR = "recoverable_error"  # runs, but something fails for now (a backend is down)
    PERMANENT_ERROR = "permanent_error"  # cannot run (failed to start): its pipelines are down
    STOPPING = "stopping"
    STOPPED = "stopped"


@dataclass(frozen=True)
class ComponentStatus:
    """One component's latest status and why."""

    status: Status
    error: str = ""
    since_ns: int = 0


@dataclass(frozen=True)
class AgentStatus:
    """A snapshot of every pipeline and extension.

    Attributes:
        up_since_ns: When the service finished starting (0 while starting).
        pipelines: pipeline name -> component id (``receivers/ebpf``, ``exporters/otlp``, ...) -> status.
        extensions: extension id -> status.
    """

    up_since_ns: int
    pipelines: dict[str, dict[str, ComponentStatus]] = field(default_factory=dict)
    extensions: dict[str, ComponentStatus] = field(default_factory=dict)

    def pipeline_running(self, name: str) -> bool:
        """Every component of the pipeline started and none has failed for good."""
        return all(s.status in (Status.OK, Status.RECOVERABLE_ERROR) for s in self.pipelines[name].values())

    @property
    def running(self) -> bool:
        """The service is up and every pipeline runs."""
        return bool(self.up_since_ns) and all(self.pipeline_running(name) for name in self.pipelines)


class Host(abc.ABC):
    """The service, as components see it."""

    @abc.abstractmethod
    def find(self, interface: type[T]) -> list[T]:
        """Every component of the agent that implements ``interface`` (a class of
        :mod:`otel_ebpf.component.interfaces`), created but maybe not started yet."""

    @abc.abstractmethod
    def every(self, interval_s: float, job: Callable[[], None], name: str) -> None:
        """Runs ``job()`` every ``interval_s`` on the service's timer thread until shutdown starts.

        One thread runs every job, never two at once, so a job must be short; an exception is
        logged and counted, and the job keeps its schedule.
        """

    def after(self, delay_s: float, job: Callable[[], None], name: str) -> bool:
        """Runs ``job()`` once, ``delay_s`` from now, on the timer thread (dropped when shutdown starts).

        Returns False when this host has no one-shot timer (then poll with :meth:`every`).
        """
        return False

    @abc.abstractmethod
    def status(self) -> AgentStatus:
        """The status of every pipeline and extension now."""


# Signature of CreateSettings.report_status.
StatusReporter = Callable[[Status, str], None]
