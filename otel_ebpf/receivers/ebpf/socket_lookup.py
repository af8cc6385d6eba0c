"""Addresses of a connection the kernel program could not name.

The kernel learns addresses when a connection is established (sock:inet_sock_set_state).
Connections established before the agent started have none, so their addresses are
looked up once per connection from /proc: the fd's socket inode, then the process's
/proc/<pid>/net/tcp{,6} tables.
"""

from __future__ import annotations

import os
import socket
import struct


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
    for table in ("tcp", "tcp6"):
        try:
            with open(f"{proc_root}/{pid}/net/{table}") as f:
                next(f, None)
                for line in f:
                    fields = line.split()
                    if len(fields) > 9 and fields[9] == inode:
                        local = _decode_hex_address(fields[1])
                        peer = _decode_hex_address(fields[2])
                        return local[0], local[1], peer[0], peer[1]
        except OSError:
            continue
    return None
