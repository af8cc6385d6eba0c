"""What /proc says about a process and its sockets: small readers that never raise for a vanished pid.

The kernel programs identify processes by pid and sockets by (pid, fd); everything else about
them (name, executable, environment, cgroup, parent, start time, a socket's addresses) is read
here from procfs.  Every reader takes the procfs root (``/host/proc`` in a container) and returns
``None`` (or an empty value) when the file is gone or not ours to read: processes exit at any
moment, and a missing fact must not cost the event.  Turning these facts into an OpenTelemetry
resource is the caller's job (``otel_ebpf.receivers.helper.processes``).

Addresses: the kernel learns a connection's addresses when it is established
(sock:inet_sock_set_state); connections established before the agent started have none, so
:func:`lookup_socket` finds them once per connection from the fd's socket inode and the
process's /proc/<pid>/net/tcp{,6} tables.
"""

from __future__ import annotations

import os
import re
import socket
import struct

__all__ = [
    "argv0",
    "comm",
    "container_id_from_cgroup",
    "executable",
    "listener_owners",
    "lookup_socket",
    "otel_environ",
    "parent_pid",
    "pod_uid_from_cgroup",
    "read_bytes",
    "start_ticks",
]


def read_bytes(proc_root: str, pid: int, name: str) -> bytes | None:
    """The content of ``<proc_root>/<pid>/<name>``, or None when it is gone or unreadable."""
    try:
        with open(f"{proc_root}/{pid}/{name}", "rb") as f:
            return f.read()
    except OSError:  # gone, or not ours to read (environ of another user without root)
        return None


def start_ticks(proc_root: str, pid: int) -> str | None:
    """The process's start time in clock ticks since boot (``stat`` field 22): with the pid, its identity."""
    stat = read_bytes(proc_root, pid, "stat")
    if not stat:
        return None
    try:
        # comm (field 2) may contain spaces and parens: split after the last ')'.
        return stat[stat.rindex(b")") + 2 :].split()[19].decode()
    except (ValueError, IndexError):
        return None


def comm(proc_root: str, pid: int) -> str | None:
    """The kernel's name for the process (``comm``, at most 15 characters); None when unreadable."""
    raw = read_bytes(proc_root, pid, "comm")
    return None if raw is None else raw.decode("utf-8", "replace").strip()


def executable(proc_root: str, pid: int) -> str:
    """The executable's path (the ``exe`` link, without " (deleted)"); "" for kernel threads or without rights."""
    try:
        return os.readlink(f"{proc_root}/{pid}/exe").removesuffix(" (deleted)")
    except OSError:  # kernel threads, other users' processes without CAP_SYS_PTRACE
        return ""


def argv0(proc_root: str, pid: int) -> str:
    """The command's first word only (the arguments often carry secrets); "" when unreadable."""
    cmdline = read_bytes(proc_root, pid, "cmdline")
    if not cmdline:
        return ""
    return cmdline.split(b"\0", 1)[0].decode("utf-8", "replace")


def otel_environ(proc_root: str, pid: int) -> tuple[dict[str, str], bool]:
    """The process's ``OTEL_*`` environment variables, and whether the read looked like mid-exec.

    An empty ``environ`` is what a process caught inside ``execve`` shows (its new environment is
    not mapped yet), and also what a truly empty environment shows: the caller reads it again
    later to tell.  An unreadable one (another user's, without rights) is not retried.
    """
    raw = read_bytes(proc_root, pid, "environ")
    out: dict[str, str] = {}
    if not raw:
        return out, raw is not None
    for item in raw.split(b"\0"):
        if item.startswith(b"OTEL_"):
            key, _, value = item.partition(b"=")
            out[key.decode("ascii", "replace")] = value.decode("utf-8", "replace")
    return out, False


def parent_pid(proc_root: str, pid: int) -> int | None:
    """The parent's pid (``PPid:`` of ``status``), or None."""
    status = read_bytes(proc_root, pid, "status")
    if not status:
        return None
    for line in status.splitlines():
        if line.startswith(b"PPid:"):
            try:
                return int(line[5:].strip())
            except ValueError:
                return None
    return None


# A 64-hex container id as the last path component, bare or wrapped by the runtime's
# systemd naming: /docker/<id>, docker-<id>.scope, cri-containerd-<id>.scope, crio-<id>.scope,
# libpod-<id>.scope, /kubepods/.../<id>, containerd's "<id>" under a pod slice.
_CONTAINER_ID = re.compile(r"(?:^|[/:-])([0-9a-f]{64})(?:\.scope)?$")
# kubepods cgroups: ".../pod<uid>/..." (cgroupfs) or "...-pod<uid with _>.slice" (systemd).
_POD_UID = re.compile(r"pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})")


def container_id_from_cgroup(text: str) -> str | None:
    """The container id in a ``/proc/<pid>/cgroup`` text, or ``None``."""
    for line in text.splitlines():
        path = line.rpartition(":")[2].strip()
        for component in reversed(path.split("/")):
            m = _CONTAINER_ID.search(component)
            if m:
                return m.group(1)
    return None


def pod_uid_from_cgroup(text: str) -> str | None:
    """The Kubernetes pod UID in a ``/proc/<pid>/cgroup`` text, or ``None``."""
    if "kubepods" not in text:
        return None
    m = _POD_UID.search(text)
    return m.group(1).replace("_", "-") if m else None


def _decode_hex_address(text: str) -> tuple[str, int]:
    host_hex, port_hex = text.split(":")
    raw = bytes.fromhex(host_hex)
    if len(raw) == 4:
        host = socket.inet_ntop(socket.AF_INET, struct.pack("<I", struct.unpack(">I", raw)[0]))
    else:
        # /proc/net/tcp6 prints the address as four host-endian 32-bit words.
        words = struct.unpack(">4I", raw)
        packed = struct.pack("<4I", *words)
        if packed[:12] == b"\x00" * 10 + b"\xff\xff":
            host = socket.inet_ntop(socket.AF_INET, packed[12:])
        else:
            host = socket.inet_ntop(socket.AF_INET6, packed)
    return host, int(port_hex, 16)


def lookup_socket(pid: int, fd: int, proc_root: str = "/proc") -> tuple[str, int, str, int] | None:
    """(local address, local port, peer address, peer port) of a TCP socket fd, or None."""
    try:
        target = os.readlink(f"{proc_root}/{pid}/fd/{fd}")
    except OSError:
        return None
    if not target.startswith("socket:["):
        return None
    inode = target[8:-1]
    for fields in _tcp_rows(proc_root, pid) or ():
        if fields[9] == inode:
            local = _decode_hex_address(fields[1])
            peer = _decode_hex_address(fields[2])
            return local[0], local[1], peer[0], peer[1]
    return None


def _tcp_rows(proc_root: str, pid: int) -> list[list[str]] | None:
    """The rows of /proc/PID/net/tcp and tcp6 (the process's network namespace's), split into their
    fields (local address 1, peer 2, state 3, inode 9); None when neither could be read."""
    rows, read = [], False
    for table in ("tcp", "tcp6"):
        try:
            with open(f"{proc_root}/{pid}/net/{table}") as f:
                next(f, None)
                rows += [fields for fields in map(str.split, f) if len(fields) > 9]
            read = True
        except OSError:
            continue
    return rows if read else None


_TCP_LISTEN = "0A"  # /proc/net/tcp's `st` column for TCP_LISTEN


def _socket_inodes(proc_root: str, pid: int) -> set[str]:
    try:
        names = os.listdir(f"{proc_root}/{pid}/fd")
    except OSError:
        return set()
    inodes = set()
    for name in names:
        try:
            target = os.readlink(f"{proc_root}/{pid}/fd/{name}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def listener_owners(proc_root: str = "/proc") -> dict[int, int]:
    """Local port -> pid of a process holding a listening TCP socket on it, over every network
    namespace (each read once, through one of its processes).  A port listened on by several
    processes (pre-fork servers) maps to one of them; the first found in pid order.
    """
    owners: dict[int, int] = {}
    listening: dict[str, dict[str, int]] = {}  # netns -> listening socket inode -> port
    try:
        pids = sorted(int(name) for name in os.listdir(proc_root) if name.isdigit())
    except OSError:
        return owners
    for pid in pids:
        try:
            netns = os.readlink(f"{proc_root}/{pid}/ns/net")
        except OSError:
            continue
        if netns not in listening:
            rows = _tcp_rows(proc_root, pid)
            if rows is None:
                continue  # this process is gone: its namespace is read through the next one
            listening[netns] = {f[9]: int(f[1].rsplit(":", 1)[1], 16) for f in rows if f[3] == _TCP_LISTEN}
        table = listening[netns]
        if not table:
            continue
        for inode in _socket_inodes(proc_root, pid) & table.keys():
            owners.setdefault(table[inode], pid)
    return owners
