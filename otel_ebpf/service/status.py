"""The status of every component, per pipeline: what ``health_check`` reports."""

from __future__ import annotations

import threading
import time

from otel_ebpf.component import AgentStatus, ComponentStatus, Status

# A component's key: ("exporters", "otlp"), ("receivers", "ebpf/python"), ("processors", "batch", "traces").
Key = tuple[str, ...]


def label(key: Key) -> str:
    """``exporter otlp``, ``processor batch``: how status documents name a component of a pipeline."""
    return f"{key[0].removesuffix('s')} {key[1]}"


class StatusBook:
    """Latest status of each component; each pipeline lists the components it is made of."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status: dict[Key, ComponentStatus] = {}
        self._pipelines: dict[str, list[Key]] = {}
        self._extensions: list[Key] = []
        self.up_since_ns = 0

    def add_pipeline(self, name: str, keys: list[Key]) -> None:
        self._pipelines[name] = keys
        for key in keys:
            self.set(key, Status.STARTING)

    def add_extension(self, key: Key) -> None:
        self._extensions.append(key)
        self.set(key, Status.STARTING)

    def set(self, key: Key, status: Status, error: str = "") -> None:
        with self._lock:
            current = self._status.get(key)
            if current is not None and current.status is Status.PERMANENT_ERROR and status is not Status.STOPPING:
                return  # permanent means permanent, until shutdown
            self._status[key] = ComponentStatus(status, error, time.time_ns())

    def get(self, key: Key) -> ComponentStatus:
        with self._lock:
            return self._status[key]

    def count(self, status: Status) -> int:
        """How many components are in ``status`` now."""
        with self._lock:
            return sum(1 for s in self._status.values() if s.status is status)

    def snapshot(self) -> AgentStatus:
        with self._lock:
            pipelines = {name: {label(k): self._status[k] for k in keys} for name, keys in self._pipelines.items()}
            extensions = {k[1]: self._status[k] for k in self._extensions}
        return AgentStatus(self.up_since_ns, pipelines, extensions)
