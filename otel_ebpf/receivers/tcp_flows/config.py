"""Configuration of the TCP flow receiver (``receivers: tcp_flows:``): its schema, with the defaults."""

from __future__ import annotations

from otel_ebpf.config.schema import Bool, Duration, Int, Section, Str

# Where the maps and links are pinned so that counts survive agent restarts.
DEFAULT_PIN_PATH = "/sys/fs/bpf/otel_ebpf/tcp_flows"


def _check_bpffs_path(value: str) -> str | None:
    return None if value.startswith("/sys/fs/bpf/") else "must be a directory under /sys/fs/bpf/"


SCHEMA = Section(
    {
        # Aggregates kept in the kernel, keyed by (process, peer address, server port, direction):
        # the cardinality bound.  Beyond it, counts go to one overflow flow, counted in
        # otel_ebpf.tcp.flows.overflow.  352 bytes each (key and value).
        "max_flows": Int(16384, min=16, max=1 << 20),
        # Connections tracked at once (connect latency, close reason, per-socket evidence);
        # 64 bytes each (key and value).
        "max_sockets": Int(65536, min=64, max=1 << 22),
        "max_listeners": Int(4096, min=16, max=1 << 16),
        # A flow with no open connection and no event for this long is exported one last time, then evicted.
        "idle_timeout": Duration("5m", min=1, max=7 * 86400),
        # How far back peer_window() can look (per-flow deltas kept per collect).
        "window": Duration("5m", min=1, max=3600),
        # Pin maps and links in bpffs so counts survive agent restarts (the programs keep counting
        # between agents).  Remove with `rm -r <pin_path>`.
        "pin": Bool(True),
        "pin_path": Str(DEFAULT_PIN_PATH, check=_check_bpffs_path),
    }
)
