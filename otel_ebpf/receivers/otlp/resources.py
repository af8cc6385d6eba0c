"""OTLP attribute values -> Python, and OTLP resources -> :class:`~otel_ebpf.model.ProcessInfo`.

A sender exports the same resource with every request, so the :class:`ProcessInfo` of a
resource is built once and looked up by the resource's wire bytes afterwards: the processors
group by ``ProcessInfo.key``, which must then be the same object for every request of one
service instance, and building it (decode, sort, ``str``) per request would cost more than the
lookup.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.resource.v1.resource_pb2 import Resource

from otel_ebpf.model import ProcessInfo

__all__ = ["ProcessCache", "attributes_to_dict", "to_python"]

UNKNOWN_SERVICE = "unknown_service"


def to_python(value: AnyValue) -> object:
    """Converts an ``AnyValue`` to str, bool, int, float, bytes, tuple (array) or dict (kvlist); None if empty.

    Arrays become tuples so that values stay hashable (they end up in series keys).
    """
    kind = value.WhichOneof("value")
    if kind == "string_value":
        return value.string_value
    if kind == "int_value":
        return value.int_value
    if kind == "bool_value":
        return value.bool_value
    if kind == "double_value":
        return value.double_value
    if kind == "bytes_value":
        return value.bytes_value
    if kind == "array_value":
        return tuple(to_python(v) for v in value.array_value.values)
    if kind == "kvlist_value":
        return attributes_to_dict(value.kvlist_value.values)
    return None


def attributes_to_dict(attributes: Iterable[KeyValue]) -> dict[str, object]:
    """``repeated KeyValue`` -> dict; a repeated key keeps its last value, empty values are dropped."""
    out: dict[str, object] = {}
    for kv in attributes:
        value = to_python(kv.value)
        if value is not None:
            out[kv.key] = value
    return out


def process_from_attributes(attributes: dict[str, object]) -> ProcessInfo:
    """A :class:`ProcessInfo` for a resource received over OTLP (pid 0 when the sender did not say)."""
    executable = attributes.get("process.executable.name")
    executable = executable if isinstance(executable, str) else ""
    service = attributes.get("service.name")
    if not isinstance(service, str) or not service:
        # The SDK specification's fallback, so metrics of unnamed senders stay apart per executable.
        service = f"{UNKNOWN_SERVICE}:{executable}" if executable else UNKNOWN_SERVICE
        attributes = {**attributes, "service.name": service}
    pid = attributes.get("process.pid")
    if isinstance(pid, str) and pid.isdigit():
        pid = int(pid)
    if not isinstance(pid, int) or isinstance(pid, bool) or pid < 0:
        pid = 0
    return ProcessInfo(pid, service, executable, attributes)


class ProcessCache:
    """``Resource`` -> :class:`ProcessInfo`, memoised by the resource's serialized bytes.

    Thread-safe: the gRPC server calls the pipeline from several worker threads.

    Args:
        max_entries: Resources remembered; the table is cleared when full (cheaper than an LRU,
            and the hit rate recovers within one request per sender).
    """

    def __init__(self, max_entries: int = 4096) -> None:
        self.max_entries = max_entries
        self._entries: dict[bytes, ProcessInfo] = {}
        self._lock = threading.Lock()
        self.misses = 0

    def get(self, resource: Resource) -> ProcessInfo:
        """The process described by ``resource`` (the same object for equal resource bytes)."""
        # deterministic=True: map fields would otherwise serialize in any order.  Resources have
        # none today, but the key must not depend on it.
        key = resource.SerializeToString(deterministic=True)
        info = self._entries.get(key)
        if info is not None:
            return info
        info = process_from_attributes(attributes_to_dict(resource.attributes))
        with self._lock:
            self.misses += 1
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            # Another thread may have raced us: keep the first object so keys stay identical.
            info = self._entries.setdefault(key, info)
        return info

    def __len__(self) -> int:
        return len(self._entries)
