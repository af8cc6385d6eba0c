"""Loads bpf/tcp_flows.c: compiled with bcc in a short-lived child, attached through pinnable links.

Lifecycle of the kernel objects (maps and attachments):

* ``pin_path`` empty: the agent holds every fd; closing them (shutdown, or the agent dying)
  detaches the programs and frees the maps.  Nothing is left behind.
* ``pin_path`` set (default ``/sys/fs/bpf/otel_ebpf/tcp_flows``): the child pins the maps and
  the BPF links there.  The programs keep counting while no agent runs, and the next agent
  whose program is identical (same source, build flags and kernel: the ``fingerprint`` stored
  in the pinned ``meta`` map) reopens the maps without compiling anything, so cumulative
  counts continue across restarts.  A different program replaces the pins (counts restart,
  with a new start time).  ``remove_pins(path)`` or ``rm -r <pin_path>`` detaches everything.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import platform
import shutil
from dataclasses import dataclass

from otel_ebpf import BPF_DIR
from otel_ebpf.receivers.ebpf.bpf_sys import map_lookup, percpu_u64_sum, possible_cpus
from otel_ebpf.receivers.ebpf.loader import LoadError
from otel_ebpf.receivers.fd_handoff import run_child
from otel_ebpf.receivers.tcp import layout
from otel_ebpf.receivers.tcp.bpf_objects import btf_member_offset, ensure_bpffs, map_info, obj_get, tracepoint_format

__all__ = ["DEFAULT_PIN_PATH", "TRACEPOINTS", "TcpFlowOptions", "TcpFlowProgram", "remove_pins"]

log = logging.getLogger(__name__)

SOURCE_FILE = BPF_DIR / "tcp_flows.c"
HEADER_FILE = BPF_DIR / "tcp_flows.h"
DEFAULT_PIN_PATH = "/sys/fs/bpf/otel_ebpf/tcp_flows"
MAPS = ("flows", "socks", "listeners", "tcp_stats")  # pinned under these names, plus "meta"

# Program -> tracepoint, and the fields (offset, size) its C struct assumes (checked against tracefs).
_SOCK_EVENT = {"skaddr": (8, 8), "sport": (16, 2), "family": (20, 2), "daddr_v6": (46, 16)}
TRACEPOINTS = {
    "on_inet_sock_set_state": (
        "sock", "inet_sock_set_state",
        {"skaddr": (8, 8), "oldstate": (16, 4), "newstate": (20, 4), "sport": (24, 2), "dport": (26, 2),
         "family": (28, 2), "protocol": (30, 2), "daddr_v6": (56, 16)},
    ),
    "on_tcp_destroy_sock": ("tcp", "tcp_destroy_sock", _SOCK_EVENT),
    "on_tcp_receive_reset": ("tcp", "tcp_receive_reset", _SOCK_EVENT),
    "on_tcp_retransmit_skb": ("tcp", "tcp_retransmit_skb", {"skaddr": (16, 8), "err": (76, 4)}),
    "on_tcp_send_reset": ("tcp", "tcp_send_reset", {"skaddr": (16, 8), "saddr": (32, 28), "daddr": (60, 28)}),
    "on_tcp_probe": ("tcp", "tcp_probe", {"data_len": (76, 2), "srtt": (100, 4), "skaddr": (128, 8)}),
    "on_sock_send_length": ("sock", "sock_send_length", {"sk": (8, 8), "protocol": (18, 2), "ret": (20, 4),
                                                         "flags": (24, 4)}),
    "on_sock_recv_length": ("sock", "sock_recv_length", {"sk": (8, 8), "protocol": (18, 2), "ret": (20, 4),
                                                         "flags": (24, 4)}),
}  # fmt: skip


@dataclass
class TcpFlowOptions:
    """Build and lifecycle options of the kernel program.

    Attributes:
        max_flows: Flow aggregates (the cardinality bound); one more slot holds the overflow flow.
        max_sockets: Sockets tracked at once (connect latency, close reason, per-socket evidence).
        max_listeners: Listening ports whose owning process is remembered.
        pin_path: bpffs directory to pin maps and links in ("" = do not pin).
    """

    max_flows: int = 16384
    max_sockets: int = 65536
    max_listeners: int = 4096
    pin_path: str = DEFAULT_PIN_PATH

    def cflags(self) -> list[str]:
        flags = [
            f"-I{BPF_DIR}",
            f"-DMAX_FLOWS={self.max_flows}",
            f"-DMAX_SOCKETS={self.max_sockets}",
            f"-DMAX_LISTENERS={self.max_listeners}",
            f"-DEPHEMERAL_MIN={ephemeral_min()}",
        ]
        cb_offset = skb_cb_offset()
        if cb_offset is not None:
            flags.append(f"-DSKB_CB_OFFSET={cb_offset}")
        return flags

    def fingerprint(self) -> int:
        """Identifies the program: a pinned one is reused only when this matches (u64)."""
        digest = hashlib.sha256()
        digest.update(SOURCE_FILE.read_bytes())
        digest.update(HEADER_FILE.read_bytes())
        digest.update(json.dumps(self.cflags()).encode())
        digest.update(platform.release().encode())
        return int.from_bytes(digest.digest()[:8], "little")


def ephemeral_min() -> int:
    """First port of the (root namespace's) ephemeral range: ports at or above are never flow keys."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def skb_cb_offset() -> int | None:
    """offsetof(struct sk_buff, cb) in the running kernel, when its BTF and tcp_skb_cb look as expected.

    Retransmitted segments are counted as tcp_skb_pcount(skb) = TCP_SKB_CB(skb)->tcp_gso_segs,
    at offset 8 of skb->cb after `seq` and `end_seq` (unchanged since Linux 3.x).
    """
    if btf_member_offset("tcp_skb_cb", "seq") != 0 or btf_member_offset("tcp_skb_cb", "end_seq") != 4:
        log.warning("TCP flows: struct tcp_skb_cb not as expected in BTF: retransmits count skbs, not segments")
        return None
    offset = btf_member_offset("sk_buff", "cb")
    if offset is None:
        log.warning("TCP flows: no BTF for struct sk_buff: retransmits count skbs, not segments")
    return offset


def check_tracepoint_formats() -> None:
    """Fails with the mismatching field when the kernel's tracepoint records differ from the C structs."""
    for category, name, fields in TRACEPOINTS.values():
        try:
            actual = tracepoint_format(category, name)
        except FileNotFoundError as exc:
            raise LoadError(f"{exc}: this kernel lacks a tracepoint the TCP flow program needs") from exc
        for field_name, expected in fields.items():
            if actual.get(field_name) != expected:
                raise LoadError(
                    f"tracepoint {category}:{name} field {field_name} is {actual.get(field_name)} (offset, size), "
                    f"bpf/tcp_flows.c assumes {expected}"
                )


def remove_pins(pin_path: str) -> bool:
    """Removes the pinned maps and links (which detaches the programs); True if there were any."""
    if not pin_path or not os.path.isdir(pin_path):
        return False
    shutil.rmtree(pin_path)
    return True


class TcpFlowProgram:
    """The attached program as the agent holds it: map fds (and link fds when not pinned)."""

    def __init__(self, options: TcpFlowOptions, compile_timeout_s: float = 120.0):
        self.options = options
        self._timeout = compile_timeout_s
        self.fds: dict[str, int] = {}
        self._link_fds: list[int] = []
        self.resumed = False  # True when pinned maps of a previous agent were reopened
        self._ncpus = possible_cpus()

    # -- loading ----------------------------------------------------------------------------------

    def load(self) -> None:
        """Reopens identical pinned objects, or compiles and attaches afresh; raises LoadError."""
        pin = self.options.pin_path
        fingerprint = self.options.fingerprint()
        if pin:
            try:
                ensure_bpffs()
            except OSError as exc:
                raise LoadError(str(exc)) from exc
            if self._reopen(pin, fingerprint):
                self.resumed = True
                log.info("TCP flows: resumed the pinned program in %s", pin)
                return
            if remove_pins(pin):
                log.info("TCP flows: replaced the pinned program in %s (different build)", pin)
        check_tracepoint_formats()
        self._compile(fingerprint)
        self._check_sizes()

    def _reopen(self, pin: str, fingerprint: int) -> bool:
        names = (*MAPS, "meta")
        if not all(os.path.exists(os.path.join(pin, n)) for n in names):
            return False
        if not all(os.path.exists(os.path.join(pin, "link_" + p)) for p in TRACEPOINTS):
            return False
        fds = {}
        try:
            for name in names:
                fds[name] = obj_get(os.path.join(pin, name))
            stored = map_lookup(fds["meta"], b"\0\0\0\0", 8)
        except OSError:
            stored = None
        if stored is None or int.from_bytes(stored, "little") != fingerprint:
            for fd in fds.values():
                os.close(fd)
            return False
        self.fds = fds
        self._check_sizes()
        return True

    def _compile(self, fingerprint: int) -> None:
        reply, fds = run_child(
            "otel_ebpf.receivers.tcp.compile_child",
            json.dumps({"options": dataclasses.asdict(self.options), "fingerprint": fingerprint}),
            cwd=BPF_DIR.parent,
            timeout_s=self._timeout,
            max_fds=64,
            what="compiling the TCP flow program",
            error=LoadError,
        )
        names = reply["maps"]
        self.fds = dict(zip(names, fds[: len(names)], strict=True))
        self._link_fds = list(fds[len(names) :])

    def _check_sizes(self) -> None:
        expected = {
            "flows": (layout.FLOW_KEY.size, layout.FLOW_STATS.size),
            "socks": (8, layout.SOCK_STATE.size),
            "listeners": (2, 4),
        }
        for name, sizes in expected.items():
            info = map_info(self.fds[name])
            if (info.key_size, info.value_size) != sizes:
                raise LoadError(f"map {name}: kernel sizes {(info.key_size, info.value_size)}, layout.py {sizes}")

    # -- reading ----------------------------------------------------------------------------------

    def boot_wall_ns(self) -> int:
        """Wall-clock ns of monotonic zero as recorded when the maps were created (meta[1])."""
        raw = map_lookup(self.fds["meta"], b"\1\0\0\0", 8)
        return int.from_bytes(raw, "little") if raw else 0

    def kernel_stats(self) -> dict[str, int]:
        """Sums of the per-CPU counters in `tcp_stats`."""
        fd = self.fds["tcp_stats"]
        return {name: percpu_u64_sum(fd, i, self._ncpus) for i, name in enumerate(layout.STAT_NAMES)}

    def close(self) -> None:
        """Closes our fds: without pins this detaches the programs and frees the maps. Idempotent."""
        for fd in [*self._link_fds, *self.fds.values()]:
            os.close(fd)
        self._link_fds = []
        self.fds = {}
