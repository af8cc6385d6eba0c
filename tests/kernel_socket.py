"""A stand-in for http_capture.c's per-socket counting, to feed the connection tracker without a kernel."""

from __future__ import annotations

import socket

from otel_ebpf.receivers.ebpf import events as ev


class KernelSocket:
    """Emulates the counting of http_capture.c for one socket: positions and phases.

    A server's socket unless `role` is ev.ROLE_CLIENT (then its local port is the peer's).
    ``data(..., shed=True)`` emulates a shed exchange's syscall: no event is sent (positions and
    phases still move) and the next event sent carries EVENT_RESYNC.  ``data(..., captured=n)``: the
    syscall moved all of ``payload``, the event carries its first ``n`` bytes (the capture limit).
    """

    def __init__(self, role: int = ev.ROLE_SERVER) -> None:
        self.pos = [0, 0]
        self.turn = 0
        self.last = -1
        self.ts = 1_000_000
        self.resync = False
        self.role = role

    def data(self, direction: int, payload: bytes, shed: bool = False, captured: int | None = None) -> bytes | None:
        if direction != self.last:
            self.last = direction
            self.turn += 1
        pos = self.pos[direction]
        self.pos[direction] += len(payload)
        self.ts += 1000
        if shed:
            self.resync = True
            return None
        return self._event(ev.EVENT_DATA, direction, payload, pos, self.pos[direction ^ 1], captured)

    def close(self) -> bytes:
        self.ts += 1000
        return self._event(ev.EVENT_CLOSE, 0, b"", 0, 0)

    def _event(self, etype, direction, payload, pos, other, captured: int | None = None) -> bytes:
        flags = ev.EVENT_POS_VALID if payload else 0
        if self.resync:
            flags |= ev.EVENT_RESYNC
            self.resync = False
        addr = socket.inet_pton(socket.AF_INET, "127.0.0.1") + bytes(12)
        ports = (8080, 40000) if self.role != ev.ROLE_CLIENT else (40000, 8080)
        header = ev.HEADER.pack(
            etype, direction, self.role, socket.AF_INET, 77, 77, 5, 0xABC, self.ts, self.ts + 10,
            len(payload), pos, other, self.turn, len(payload) if captured is None else captured, 0, 0, flags,
            *ports, addr, addr, b"server",
        )  # fmt: skip
        return header + payload[:captured]
