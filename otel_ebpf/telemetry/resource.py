"""OTLP resources: one per observed process, plus the agent's own.

Two different environments are involved and must not be mixed up:

* An *observed* process is described by what :class:`~otel_ebpf.receivers.helper.processes.ProcessResolver`
  reads from ``/proc/<pid>`` -- including that process's own ``OTEL_SERVICE_NAME`` and
  ``OTEL_RESOURCE_ATTRIBUTES``.
* The *agent's* ``OTEL_SERVICE_NAME`` / ``OTEL_RESOURCE_ATTRIBUTES`` describe the agent
  only: they name the resource of its self-metrics (:func:`agent_resource_attributes`) and
  never rename the services it observes.  An agent started with ``OTEL_SERVICE_NAME=agent``
  must not relabel every process on the node as "agent".
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Mapping
from urllib.parse import unquote

from opentelemetry.proto.resource.v1.resource_pb2 import Resource

from otel_ebpf import __version__
from otel_ebpf.model import ProcessInfo
from otel_ebpf.telemetry.attributes import to_key_values

__all__ = [
    "AGENT_SERVICE_NAME",
    "DISTRO_NAME",
    "UNKNOWN_PROCESS",
    "agent_resource_attributes",
    "parse_resource_attributes",
    "resource_message",
]

logger = logging.getLogger(__name__)

DISTRO_NAME = "otel-ebpf"  # telemetry.distro.name must not start with "opentelemetry-"
AGENT_SERVICE_NAME = "otel-ebpf"
OTEL_SERVICE_NAME = "OTEL_SERVICE_NAME"
OTEL_RESOURCE_ATTRIBUTES = "OTEL_RESOURCE_ATTRIBUTES"

# Exchanges whose process could not be attributed still need a resource.
UNKNOWN_PROCESS = ProcessInfo(
    0,
    "unknown_service",
    "unknown",
    {
        "service.name": "unknown_service",
        "telemetry.distro.name": DISTRO_NAME,
        "telemetry.distro.version": __version__,
    },
)

# A namespace for service.instance.id UUIDv5s derived by this agent.
INSTANCE_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/otel-ebpf/service.instance.id")


def parse_resource_attributes(value: str | None) -> dict[str, str]:
    """Parse ``OTEL_RESOURCE_ATTRIBUTES`` exactly like the Python SDK's ``OTELResourceDetector``.

    Comma-separated ``key=value`` items; values are URL-decoded and stripped, keys stripped;
    items without ``=`` are skipped with a warning; a later duplicate key wins.
    """
    out: dict[str, str] = {}
    if not value:
        return out
    for item in value.split(","):
        key, sep, val = item.partition("=")
        key = key.strip()
        if not sep or not key:
            if item.strip():
                logger.warning("Invalid key value resource attribute pair %r", item)
            continue
        out[key] = unquote(val.strip())
    return out


def instance_id(host_name: str, pid: int, start_ticks: int | str) -> str:
    """A ``service.instance.id`` stable for the lifetime of one process (UUIDv5 of host, pid, start time)."""
    return str(uuid.uuid5(INSTANCE_ID_NAMESPACE, f"{host_name}/{pid}/{start_ticks}"))


def agent_resource_attributes(
    environ: Mapping[str, str] | None = None, host_name: str | None = None
) -> dict[str, object]:
    """Resource attributes of the agent itself (self-metrics).

    ``service.name`` is ``otel-ebpf`` unless the agent's own ``OTEL_SERVICE_NAME`` or
    ``service.name`` in its ``OTEL_RESOURCE_ATTRIBUTES`` says otherwise.
    """
    env = os.environ if environ is None else environ
    host = host_name or socket.gethostname()
    attrs: dict[str, object] = {
        "service.name": AGENT_SERVICE_NAME,
        "service.instance.id": instance_id(host, os.getpid(), _own_start_ticks()),
        "host.name": host,
        "process.pid": os.getpid(),
    }
    attrs.update(parse_resource_attributes(env.get(OTEL_RESOURCE_ATTRIBUTES)))
    service_name = env.get(OTEL_SERVICE_NAME)
    if service_name:
        attrs["service.name"] = service_name
    attrs["telemetry.distro.name"] = DISTRO_NAME
    attrs["telemetry.distro.version"] = __version__
    return attrs


def _own_start_ticks() -> str:
    try:
        with open("/proc/self/stat", "rb") as f:
            stat = f.read()
        return stat[stat.rindex(b")") + 2 :].split()[19].decode()
    except (OSError, ValueError, IndexError):
        return "0"


_resource_memo: dict[tuple, Resource] = {}
_RESOURCE_MEMO_MAX = 4096


def resource_message(process: ProcessInfo | None) -> Resource:
    """The ``Resource`` message for a process (memoised by ``process.key``; do not mutate it)."""
    if process is None:
        process = UNKNOWN_PROCESS
    msg = _resource_memo.get(process.key)
    if msg is None:
        msg = Resource(attributes=to_key_values(process.resource_attributes))
        if len(_resource_memo) >= _RESOURCE_MEMO_MAX:
            _resource_memo.clear()
        _resource_memo[process.key] = msg
    return msg
