"""The resource of the per-service metrics the agent computes (``health_score``, ``slo``, ``cause_attribution``).

Those metrics describe a service *as seen from one node*: an agent per node (a DaemonSet) sends
the same series names for the same service, so the resource must say which node speaks, or the
series of every node collide in the backend.  Each resource carries:

* ``service.name``;
* ``host.name``: the node's, from the agent's own resource detection
  (:func:`~otel_ebpf.telemetry.resource.agent_resource_attributes`: the host name, or
  ``host.name`` in the agent's ``OTEL_RESOURCE_ATTRIBUTES``);
* ``service.instance.id``: a UUIDv5 of (``host.name``, ``service.name``), stable across restarts
  of the agent and of the service's processes.  Prometheus names a series' target by
  ``job``/``instance`` (``service.name``/``service.instance.id``); without an instance the
  exporter could not even write ``target_info``, and ``host.name`` would be lost.

In a sidecar (the ``otlp`` receiver), the service's own resources say where it runs: when every
received resource of a service agrees on a ``host.name`` (or a ``service.instance.id``), that
value is used instead of the agent's (a sidecar per instance); resources that disagree (a gateway
in front of several instances) fall back to the agent's node.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping

from otel_ebpf.model import ProcessInfo
from otel_ebpf.telemetry.resource import INSTANCE_ID_NAMESPACE, agent_resource_attributes

__all__ = ["ServiceResources"]

_CONFLICT = object()  # received resources of the service disagree on the attribute
_UNSEEN = object()
_MAX_SERVICES = 10000
_IDENTITY = ("host.name", "service.instance.id")


class ServiceResources:
    """``service.name`` -> the :class:`ProcessInfo` (resource) of a processor's metrics for it.

    Args:
        environ: The agent's environment (default ``os.environ``): its ``OTEL_RESOURCE_ATTRIBUTES``
            may name the node (``host.name=node-a``).
    """

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.host_name = str(agent_resource_attributes(environ)["host.name"])
        self._received: dict[str, dict[str, object]] = {}  # service -> identity attribute -> value or _CONFLICT
        self._infos: dict[str, ProcessInfo] = {}
        self._lock = threading.Lock()

    def observe_received(self, process: ProcessInfo | None) -> None:
        """A resource received with a service's telemetry (sidecar): its identity may be the service's."""
        if process is None:
            return
        attrs = process.resource_attributes
        service = process.service_name
        with self._lock:
            known = self._received.get(service)
            if known is None:
                if len(self._received) >= _MAX_SERVICES:
                    return  # the node's identity stands for the others
                known = self._received[service] = {}
            changed = False
            for key in _IDENTITY:
                value = attrs.get(key)
                value = str(value) if value not in (None, "") else None
                seen = known.get(key, _UNSEEN)
                if seen is _UNSEEN:
                    known[key] = value
                    changed = True
                elif seen is not _CONFLICT and seen != value:
                    known[key] = _CONFLICT
                    changed = True
            if changed:
                self._infos.pop(service, None)

    def info(self, service: str) -> ProcessInfo:
        """The resource of ``service``'s metrics (the same object while its identity holds)."""
        info = self._infos.get(service)
        if info is not None:
            return info
        with self._lock:
            received = self._received.get(service, {})
            host = _agreed(received, "host.name") or self.host_name
            instance = _agreed(received, "service.instance.id") or str(
                uuid.uuid5(INSTANCE_ID_NAMESPACE, f"{host}/{service}")
            )
            attrs = {"service.name": service, "service.instance.id": instance, "host.name": host}
            info = self._infos[service] = ProcessInfo(0, service, "", attrs)
        return info


def _agreed(received: Mapping[str, object], key: str) -> str | None:
    value = received.get(key)
    return value if isinstance(value, str) else None
