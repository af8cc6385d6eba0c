"""Who is pid N? ``/proc`` -> :class:`~otel_ebpf.model.ProcessInfo` (the OTLP resource of its spans).

Read per process through :mod:`otel_ebpf.kernel.procfs`, once (cached by pid, bounded,
revalidated against the process start time so a recycled pid is noticed):

* ``environ``: the process's own ``OTEL_SERVICE_NAME`` and ``OTEL_RESOURCE_ATTRIBUTES``
  (parsed like the SDK).  ``service.name`` = ``OTEL_SERVICE_NAME`` > ``service.name`` in
  ``OTEL_RESOURCE_ATTRIBUTES`` > executable name.  Its other resource attributes are kept,
  except those describing the process itself, which the agent knows better.
* ``exe`` (readlink) or ``comm``: ``process.executable.name``/``.path``.
* ``cmdline``: ``process.command`` (argv[0] only: arguments often carry secrets).
* ``cgroup``: ``container.id`` (64-hex id of docker, containerd, cri-o, podman cgroups) and
  ``k8s.pod.uid`` (kubepods paths), so a collector's ``k8s_attributes`` can associate spans.
* ``status``: ``process.parent_pid``; ``stat``: the start time for ``service.instance.id``.

The agent's OWN ``OTEL_SERVICE_NAME`` / ``OTEL_RESOURCE_ATTRIBUTES`` are never read here:
they describe the agent (its self-metrics resource), not the services it observes.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
import threading
import time

from otel_ebpf import __version__
from otel_ebpf.kernel import procfs
from otel_ebpf.model import ProcessInfo
from otel_ebpf.telemetry.resource import DISTRO_NAME, instance_id, parse_resource_attributes

__all__ = ["ProcessResolver"]

logger = logging.getLogger(__name__)

# Attributes the observed process cannot override through OTEL_RESOURCE_ATTRIBUTES: they are
# facts the agent reads from the kernel, and spans must stay attributable to the real pid.
_AGENT_OWNED = frozenset(
    {
        "process.pid",
        "process.parent_pid",
        "process.executable.name",
        "process.executable.path",
        "process.command",
        "telemetry.distro.name",
        "telemetry.distro.version",
    }
)


class _Entry:
    __slots__ = ("info", "start_ticks", "checked_at", "provisional", "comm")

    def __init__(
        self, info: ProcessInfo, start_ticks: str | None, checked_at: float, provisional: bool, comm: str = ""
    ) -> None:
        self.info = info
        self.comm = comm  # the kernel's name for the process when it was read
        self.start_ticks = start_ticks
        self.checked_at = checked_at
        # Read while the process was still inside execve (empty environ): read again soon.
        self.provisional = provisional


class ProcessResolver:
    """Resolve pids to :class:`ProcessInfo`, cached.

    Args:
        host_name: ``host.name`` of every resource; default ``socket.gethostname()``.
        proc_root: Where procfs is mounted (``/host/proc`` in a container).
        max_entries: Cached pids; the oldest entry is evicted beyond.
        revalidate_after_s: After this long, a cached entry is checked against the process
            start time (one small read) to catch pid reuse when no exit event was seen.
        provisional_retry_s: An entry read with an empty ``environ`` (a process caught inside
            ``execve``, whose new environment is not mapped yet, looks exactly like that) is read
            again from scratch after this long.

    The start time does not change across ``execve``: the receiver should call :meth:`forget`
    on exec as well as on exit, so a pid that became another program is read afresh.
    """

    def __init__(
        self,
        host_name: str | None = None,
        proc_root: str = "/proc",
        max_entries: int = 8192,
        revalidate_after_s: float = 30.0,
        provisional_retry_s: float = 1.0,
    ) -> None:
        self.host_name = host_name or socket.gethostname()
        self.proc_root = proc_root.rstrip("/") or "/"
        self.max_entries = max_entries
        self.revalidate_after_s = revalidate_after_s
        self.provisional_retry_s = provisional_retry_s
        self._cache: dict[int, _Entry] = {}
        self._lock = threading.Lock()
        self.vanished = 0  # lookups of a pid whose /proc entry was gone

    def get(self, pid: int, comm: str = "") -> ProcessInfo:
        """The process's info (never raises; a vanished process gets a minimal info).

        `comm` is the name the kernel saw when it captured the event: a short-lived
        process (curl) is often gone from /proc by the time its events are processed,
        and the name still tells the user which program it was.
        """
        entry = self._cache.get(pid)
        now = time.monotonic()
        if entry is not None and comm and entry.comm and entry.comm != comm:
            entry = None  # the pid now runs another program (exec, or a recycled pid): read it afresh
        if entry is not None:
            age = now - entry.checked_at
            if age < self.revalidate_after_s and not (entry.provisional and age >= self.provisional_retry_s):
                return entry.info
            if not entry.provisional:
                start = self._start_ticks(pid)
                if start == entry.start_ticks or start is None:
                    # Same process, or it is gone: keep describing it as it was.
                    entry.checked_at = now
                    return entry.info
        info, start, provisional = self._read(pid, comm)
        if entry is not None and entry.provisional:
            provisional = False  # read twice, a second apart: the environment really is empty
        with self._lock:
            cache = self._cache
            cache.pop(pid, None)
            while len(cache) >= self.max_entries:
                cache.pop(next(iter(cache)))
            cache[pid] = _Entry(info, start, now, provisional, comm)
        return info

    def forget(self, pid: int) -> None:
        """Drop a pid (call on process exit, so a recycled pid is read afresh)."""
        with self._lock:
            self._cache.pop(pid, None)

    def __len__(self) -> int:
        return len(self._cache)

    # -- reading /proc (otel_ebpf.kernel.procfs) ----------------------------------------------

    def _start_ticks(self, pid: int) -> str | None:
        return procfs.start_ticks(self.proc_root, pid)

    def _read(self, pid: int, comm: str = "") -> tuple[ProcessInfo, str | None, bool]:
        try:
            return self._read_unchecked(pid, comm)
        except Exception:  # whatever /proc throws at us, the span still needs a resource
            logger.debug("cannot read process %d", pid, exc_info=True)
            return self._minimal(pid, comm), None, False

    def _minimal(self, pid: int, comm: str = "") -> ProcessInfo:
        self.vanished += 1
        name = comm or "unknown_service"
        attrs: dict[str, object] = {
            "service.name": name,
            "process.pid": pid,
            "host.name": self.host_name,
            "telemetry.distro.name": DISTRO_NAME,
            "telemetry.distro.version": __version__,
        }
        if comm:
            attrs["process.executable.name"] = comm
        return ProcessInfo(pid, name, comm or "unknown", attrs)

    def _read_unchecked(self, pid: int, comm: str = "") -> tuple[ProcessInfo, str | None, bool]:
        root = self.proc_root
        start = self._start_ticks(pid)
        own_comm = procfs.comm(root, pid)
        if start is None and own_comm is None:
            return self._minimal(pid, comm), None, False
        # An exiting process may already read as empty: the kernel's name from the event stands in.
        comm = own_comm or comm

        exe_path = procfs.executable(root, pid)
        exe_name = os.path.basename(exe_path) if exe_path else comm or "unknown"
        argv0 = procfs.argv0(root, pid)

        env, provisional = procfs.otel_environ(root, pid)
        own = parse_resource_attributes(env.get("OTEL_RESOURCE_ATTRIBUTES"))

        attrs: dict[str, object] = {
            "service.instance.id": instance_id(self.host_name, pid, start or "0"),
            "host.name": self.host_name,
        }
        for key, value in own.items():
            if key not in _AGENT_OWNED:
                attrs[key] = value
        service_name = env.get("OTEL_SERVICE_NAME") or own.get("service.name") or exe_name
        attrs["service.name"] = service_name
        attrs["process.pid"] = pid
        ppid = procfs.parent_pid(root, pid)
        if ppid is not None:
            attrs["process.parent_pid"] = ppid
        attrs["process.executable.name"] = exe_name
        if exe_path:
            attrs["process.executable.path"] = exe_path
        if argv0:
            attrs["process.command"] = argv0
        cgroup = procfs.read_bytes(root, pid, "cgroup")
        if cgroup:
            text = cgroup.decode("utf-8", "replace")
            cid = procfs.container_id_from_cgroup(text)
            if cid and "container.id" not in own:
                attrs["container.id"] = cid
            pod = procfs.pod_uid_from_cgroup(text)
            if pod and "k8s.pod.uid" not in own:
                attrs["k8s.pod.uid"] = pod
        attrs["telemetry.distro.name"] = DISTRO_NAME
        attrs["telemetry.distro.version"] = __version__
        return ProcessInfo(pid, service_name, exe_name, attrs), start, provisional


@functools.cache
def shared_resolver() -> ProcessResolver:
    """The agent's one resolver: the receivers that name processes (``ebpf``, ``tcp_flows``) read
    each process's /proc files once, into one cache."""
    return ProcessResolver()
