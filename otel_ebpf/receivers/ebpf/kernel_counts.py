"""The kernel's counts of the exchanges it shed, as deltas the metrics pipelines add up.

Under overload the kernel sheds whole exchanges (no event reaches userspace) and counts each
in the per-CPU hash ``shed_counts`` (bpf/http_events.h ``struct shed_key``/``shed_value``):
per process, role, method, status and path, a count, a sum and the semconv duration buckets.
The entries are cumulative and never removed by the kernel.  :meth:`KernelCounts.poll` reads the
map (once per ``interval_s``, never per request), sums the CPUs, and returns what each entry
gained since the previous read as :class:`ShedCount` records; the receiver resolves their
``http.route`` from the path the kernel kept and hands them to its metrics pipelines, which
add them to the same series as the process's exchanges (docs/cost.md).

Entries of processes that no longer exist are removed from the map once a minute, so that the
map's room goes to live processes (what does not fit is counted in the overflow entry).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from otel_ebpf.kernel.bpf import map_delete, map_items
from otel_ebpf.kernel.records import (
    HTTP_METHODS,
    ROLE_CLIENT,
    SHED_BOUNDS_NS,
    SHED_KEY,
    SHED_OVERFLOW_TGID,
    SHED_VALUE,
)
from otel_ebpf.model import ProcessInfo, RequestCount, Role
from otel_ebpf.telemetry.semconv import status_error_type

__all__ = ["BOUNDS_S", "KernelCounts", "ShedCount", "error_type_of"]

BOUNDS_S = tuple(ns / 1e9 for ns in SHED_BOUNDS_NS)  # the same as telemetry/http_metrics.DURATION_BUCKETS
_N_BUCKETS = len(SHED_BOUNDS_NS) + 1
_NO_MIN = (1 << 64) - 1
_SWEEP_INTERVAL_S = 60.0


@dataclass(frozen=True, slots=True)
class ShedCount:
    """What one kernel entry gained since the previous read, with what the receiver needs.

    Attributes:
        pid: The process (0 for the overflow entry).
        comm: Its thread name when the entry was made (for the receivers' filters).
        port: The local port of a server's requests, the peer's of a client's.
        path: The request path's first bytes (``http.route`` is resolved from it).
        count: The requests, ``route`` still None.
    """

    pid: int
    comm: str
    port: int
    path: str
    count: RequestCount


def error_type_of(role: Role, status: int | None) -> str | None:
    """``error.type`` as :func:`~otel_ebpf.telemetry.semconv.classify` gives it for an exchange
    with this status and no semantic verdict (the kernel reads no body)."""
    if status is None:
        return "timeout" if role == Role.CLIENT else "connection_reset"  # as the tracker's unanswered requests
    return status_error_type(status, role)


class KernelCounts:
    """Args:
    map_fd: The ``shed_counts`` map.
    ncpus: Possible CPUs (values per key).
    process_info: ``(pid, comm) -> ProcessInfo`` (the capture's resolver).
    interval_s: How often :meth:`poll` reads the map.
    read: ``(map_fd, key_size, value_size) -> [(key, value)]`` (injectable for tests).
    alive: ``pid -> bool`` (injectable for tests).
    """

    def __init__(
        self,
        map_fd: int,
        ncpus: int,
        process_info: Callable[[int, str], ProcessInfo],
        interval_s: float = 1.0,
        read: Callable[[int, int, int], list[tuple[bytes, bytes]]] = map_items,
        alive: Callable[[int], bool] = lambda pid: os.path.exists(f"/proc/{pid}"),
        delete: Callable[[int, bytes], bool] = map_delete,
    ) -> None:
        self._fd = map_fd
        self._ncpus = ncpus
        self._process_info = process_info
        self._interval_s = interval_s
        self._read = read
        self._alive = alive
        self._delete = delete
        self._value_size = -(-SHED_VALUE.size // 8) * 8  # per-CPU values are 8-byte aligned
        self._previous: dict[bytes, tuple[int, int, tuple[int, ...]]] = {}
        self._last_poll = float("-inf")
        self._last_sweep = time.monotonic()
        self.counted = 0  # shed exchanges handed over (the sum of every delta)
        self.read_errors = 0

    def poll(self, now: float | None = None, force: bool = False) -> list[ShedCount]:
        """What the kernel's entries gained since the last read; [] until `interval_s` has passed."""
        now = time.monotonic() if now is None else now
        if not force and now - self._last_poll < self._interval_s:
            return []
        self._last_poll = now
        try:
            items = self._read(self._fd, SHED_KEY.size, self._value_size * self._ncpus)
        except OSError:
            self.read_errors += 1
            return []
        out: list[ShedCount] = []
        idle: list[tuple[bytes, int]] = []
        time_ns = time.time_ns()
        for key, raw in items:
            count, sum_ns, buckets, low, high, comm, path = self._sum(raw)
            before = self._previous.get(key)
            if before is not None:
                delta = count - before[0]
                if delta <= 0:
                    idle.append((key, SHED_KEY.struct.unpack(key)[1]))
                    continue
                delta_sum = sum_ns - before[1]
                delta_buckets = tuple(b - a for a, b in zip(before[2], buckets, strict=True))
            elif count:
                delta, delta_sum, delta_buckets = count, sum_ns, buckets
            else:
                continue
            self._previous[key] = (count, sum_ns, buckets)
            self.counted += delta
            out.append(self._record(key, delta, delta_sum, delta_buckets, low, high, comm, path, time_ns))
        if now - self._last_sweep >= _SWEEP_INTERVAL_S:
            self._last_sweep = now
            self._sweep(idle)
        return out

    def _sum(self, raw: bytes):
        """The CPUs' values added up; comm and path from the CPU that made the entry."""
        unpack = SHED_VALUE.struct.unpack_from
        count = sum_ns = 0
        high = 0
        low = _NO_MIN
        buckets = [0] * _N_BUCKETS
        comm = path = b""
        for cpu in range(self._ncpus):
            v = unpack(raw, cpu * self._value_size)
            if not v[0]:
                continue
            count += v[0]
            sum_ns += v[1]
            for i in range(_N_BUCKETS):
                buckets[i] += v[2 + i]
            low = min(low, v[2 + _N_BUCKETS])
            high = max(high, v[3 + _N_BUCKETS])
            if v[4 + _N_BUCKETS][:1] not in (b"", b"\0"):
                comm, path = v[4 + _N_BUCKETS], v[5 + _N_BUCKETS]
        return count, sum_ns, tuple(buckets), low, high, _text(comm), _text(path)

    def _record(self, key, n, sum_ns, buckets, low, high, comm, path, time_ns) -> ShedCount:
        path_hash, tgid, status, port, role, method, minor, tls = SHED_KEY.struct.unpack(key)
        if tgid == SHED_OVERFLOW_TGID:
            tgid, role_, status_code, process = 0, Role.SERVER, None, None
            error_type = "_OTHER"  # what the requests were is not known
            version = ""
        else:
            role_ = Role.CLIENT if role == ROLE_CLIENT else Role.SERVER
            status_code = status or None
            error_type = error_type_of(role_, status_code)
            process = self._process_info(tgid, comm)
            version = f"1.{minor}"
        count = RequestCount(
            service_name=process.service_name if process is not None else "unknown_service",
            route=None,
            method=HTTP_METHODS[method] if method < len(HTTP_METHODS) else "_OTHER",
            status_code=status_code,
            error_type=error_type,
            bounds_s=BOUNDS_S,
            bucket_counts=buckets,
            count=n,
            sum_s=sum_ns / 1e9,
            time_ns=time_ns,
            process=process,
            role=role_,
            http_version=version,
            server_port=port if role_ == Role.CLIENT else 0,
            scheme="https" if tls else "http",
            min_s=low / 1e9 if low != _NO_MIN else None,
            max_s=high / 1e9,
        )
        return ShedCount(tgid, comm, port, path or "/", count)

    def _sweep(self, idle: list[tuple[bytes, int]]) -> None:
        """Removes the entries of processes that are gone (nothing left to count for them)."""
        for key, tgid in idle:
            if tgid != SHED_OVERFLOW_TGID and not self._alive(tgid):
                try:
                    self._delete(self._fd, key)
                except OSError:
                    continue
                self._previous.pop(key, None)


def _text(raw: bytes) -> str:
    return raw.split(b"\0", 1)[0].decode(errors="replace")
