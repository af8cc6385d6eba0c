"""Telemetry traffic the ``ebpf`` receiver leaves alone by default: no feedback loop through a collector.

An agent per node sees every process on the node, OpenTelemetry Collectors included.  When a
collector receives the agent's own export in cleartext OTLP/HTTP, each export becomes spans,
which are exported, which become spans...; and the traffic of telemetry agents (log shippers,
metric scrapers) is not the applications' anyway.  So a new connection is not parsed when:

* its process is the agent (the kernel program already skips the agent's own pid) or a child
  of it;
* its process is a known telemetry agent: the executable name (``/proc/PID/exe``) or the
  kernel's name for the thread (``comm``, at most 15 characters) is in ``executables``
  (default: :data:`~.config.TELEMETRY_EXECUTABLES`);
* its local or peer port is one of ``ports`` (default 4317 and 4318, OTLP's gRPC and HTTP
  ports) or a port of the agent's own exporter endpoints
  (:class:`~otel_ebpf.component.ExportDestinations`).

Decided once per connection, when the tracker opens it (the process is read from ``/proc``
once per pid, cached by the shared resolver); counted per reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from otel_ebpf.model import ProcessInfo
from otel_ebpf.receivers.ebpf.config import COMM_LEN

__all__ = ["TelemetryExclusion"]

REASONS = ("agent", "executable", "port")


class TelemetryExclusion:
    """Whether a new connection belongs to telemetry, not to an application.

    Args:
        executables: Names matched against the executable's file name and the thread's ``comm``
            (names longer than 15 characters also match their first 15, as the kernel cuts them).
        ports: Local or peer ports.
        process_info: pid, comm -> :class:`ProcessInfo` (the shared resolver, cached per pid).
        own_pid: The agent's pid (its children are excluded too).
    """

    def __init__(
        self,
        executables: Iterable[str],
        ports: Iterable[int],
        process_info: Callable[[int, str], ProcessInfo],
        own_pid: int | None = None,
    ) -> None:
        self.executables = frozenset(executables)
        self._comms = self.executables | {name[:COMM_LEN] for name in self.executables}
        self.ports = frozenset(ports)
        self._process_info = process_info
        self.own_pid = os.getpid() if own_pid is None else own_pid
        self.excluded = dict.fromkeys(REASONS, 0)

    def add_ports(self, ports: Iterable[int]) -> None:
        """More ports (the agent's own exporter endpoints, known once the exporters exist)."""
        self.ports = self.ports | frozenset(p for p in ports if p)

    def reason(self, pid: int, comm: str, local_port: int, peer_port: int) -> str | None:
        """Why the connection is telemetry (``agent``, ``executable``, ``port``), or None: an application's."""
        if local_port in self.ports or peer_port in self.ports:
            return self._count("port")
        if pid == self.own_pid:
            return self._count("agent")
        if comm in self._comms:
            return self._count("executable")
        info = self._process_info(pid, comm)
        if info.resource_attributes.get("process.parent_pid") == self.own_pid:
            return self._count("agent")
        if info.executable_name in self.executables:
            return self._count("executable")
        return None

    def _count(self, reason: str) -> str:
        self.excluded[reason] += 1  # only the capture thread opens connections
        return reason

    def describe(self) -> str:
        return f"telemetry excluded: the agent, {len(self.executables)} executables, ports {sorted(self.ports)}"
