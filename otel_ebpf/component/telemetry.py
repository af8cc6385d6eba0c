"""How a component reports its own counters: the agent's self-metrics (``otel_ebpf.*``)."""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping

Attrs = tuple[tuple[str, object], ...]
Readings = Mapping[tuple[str, Attrs], float]


class Telemetry(abc.ABC):
    """Given to each component at creation (``settings.telemetry``).

    Names are metric names (``otel_ebpf.exporter.sent_spans``); whether a name is a running
    total (a cumulative sum) or a level (a gauge) is declared with it, or, for names never
    declared, read from the name: ``queue_size``, ``queue_capacity``, ``.queued_`` and
    ``.endpoints`` are levels, everything else a total.
    """

    @abc.abstractmethod
    def register(self, read: Callable[[], Readings]) -> None:
        """``read()`` is called at every collection and returns ``{(name, attributes): value}``."""


class NoTelemetry(Telemetry):
    """For components built outside a service (unit tests): reports go nowhere."""

    def register(self, read: Callable[[], Readings]) -> None:
        pass
