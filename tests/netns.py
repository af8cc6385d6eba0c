"""Two network namespaces joined by a veth pair, for tests that need real faults (nftables).

    with NetPair() as net:
        with net.inside("b"):
            server = socket.create_server((net.addr4["b"], 0))   # the socket lives in ns b
        net.nft("b", "add rule inet t input tcp dport 80 drop")

Sockets created inside ``inside(ns)`` stay in that namespace after the block: setns() only
changes the calling thread's namespace for *new* sockets.  Everything (namespaces, the veth
pair, their nft tables and sysctls) is removed on exit, even when the test fails.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import subprocess
import uuid

_libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000


def _run(*args: str) -> str:
    proc = subprocess.run(args, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout


def _setns(fd: int) -> None:
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


class NetPair:
    """Namespaces ``a`` (10.213.0.1, fd00:213::1) and ``b`` (10.213.0.2, fd00:213::2)."""

    def __init__(self) -> None:
        tag = uuid.uuid4().hex[:6]
        self.names = {"a": f"tcpf-a-{tag}", "b": f"tcpf-b-{tag}"}
        self.addr4 = {"a": "10.213.0.1", "b": "10.213.0.2"}
        self.addr6 = {"a": "fd00:213::1", "b": "fd00:213::2"}
        self._veth = f"vtf{tag}"

    def __enter__(self) -> NetPair:
        try:
            for ns in self.names.values():
                _run("ip", "netns", "add", ns)
            a, b = self.names["a"], self.names["b"]
            _run(
                "ip", "link", "add", self._veth + "a", "netns", a, "type", "veth", "peer", self._veth + "b", "netns", b
            )
            for side in self.names:
                dev = self._veth + side
                self.ip(side, "link", "set", "lo", "up")
                self.ip(side, "addr", "add", f"{self.addr4[side]}/24", "dev", dev)
                self.ip(side, "-6", "addr", "add", f"{self.addr6[side]}/64", "dev", dev, "nodad")
                self.ip(side, "link", "set", dev, "up")
                self.nft(side, "add table inet t")
                self.nft(side, "add chain inet t input { type filter hook input priority 0 ; }")
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for ns in self.names.values():
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)

    def ip(self, side: str, *args: str) -> str:
        return _run("ip", "-n", self.names[side], *args)

    def nft(self, side: str, rule: str) -> str:
        return _run("ip", "netns", "exec", self.names[side], "nft", rule)

    def sysctl(self, side: str, name: str, value: str) -> None:
        _run("ip", "netns", "exec", self.names[side], "sysctl", "-qw", f"{name}={value}")

    def snmp(self, side: str) -> dict[str, int]:
        """The namespace's Tcp: counters of /proc/net/snmp (RetransSegs, OutRsts, ...)."""
        lines = [line.split() for line in _run("ip", "netns", "exec", self.names[side], "cat", "/proc/net/snmp")
                 .splitlines() if line.startswith("Tcp:")]  # fmt: skip
        return {k: int(v) for k, v in zip(lines[0][1:], lines[1][1:], strict=True)}

    def netstat(self, side: str) -> dict[str, int]:
        """The namespace's TcpExt: counters of /proc/net/netstat (TCPLossProbes, ...)."""
        text = _run("ip", "netns", "exec", self.names[side], "cat", "/proc/net/netstat")
        lines = [line.split() for line in text.splitlines() if line.startswith("TcpExt:")]
        return {k: int(v) for k, v in zip(lines[0][1:], lines[1][1:], strict=True)}

    @contextlib.contextmanager
    def inside(self, side: str):
        """Runs the block with this thread in the namespace (new sockets are created there)."""
        own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        target = os.open(f"/run/netns/{self.names[side]}", os.O_RDONLY)
        try:
            _setns(target)
            yield
        finally:
            _setns(own)
            os.close(own)
            os.close(target)
