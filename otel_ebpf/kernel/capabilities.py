"""Linux capabilities of this process: which the BPF programs need, and which are effective.

Shared by ``otel-ebpf check`` (preflight.py) and the loaders, which name what is missing when
the kernel refuses bpf() rather than let bcc report a failed "compile".
"""

from __future__ import annotations

import re

# Capability numbers (include/uapi/linux/capability.h).
CAP_DAC_READ_SEARCH = 2
CAP_SYS_PTRACE = 19
CAP_SYS_ADMIN = 21
CAP_PERFMON = 38
CAP_BPF = 39
CAP_NAMES = {CAP_SYS_ADMIN: "CAP_SYS_ADMIN", CAP_PERFMON: "CAP_PERFMON", CAP_BPF: "CAP_BPF"}
BPF_CAPABILITIES_KERNEL = (5, 8)  # CAP_BPF and CAP_PERFMON exist from this version on


def effective_capabilities() -> int | None:
    """This process's CapEff mask, or None when /proc/self/status cannot be read."""
    try:
        with open("/proc/self/status", encoding="utf-8", errors="replace") as f:
            return parse_capabilities(f.read())
    except OSError:
        return None


def parse_capabilities(status_text: str) -> int | None:
    """The CapEff bit mask from the text of /proc/PID/status, or None when absent."""
    match = re.search(r"^CapEff:\s*([0-9a-fA-F]+)\s*$", status_text, re.MULTILINE)
    return int(match.group(1), 16) if match else None


def missing_capabilities(cap_eff: int, kernel: tuple[int, int] | None) -> list[str]:
    """The capabilities to add so that BPF tracing works; empty when none are missing.

    Tracing needs CAP_BPF and CAP_PERFMON (kernel 5.8+), or CAP_SYS_ADMIN, which covers
    both and is the only option on older kernels.
    """
    if cap_eff >> CAP_SYS_ADMIN & 1:
        return []
    if kernel is not None and kernel < BPF_CAPABILITIES_KERNEL:
        return ["CAP_SYS_ADMIN"]
    missing = [CAP_NAMES[c] for c in (CAP_BPF, CAP_PERFMON) if not cap_eff >> c & 1]
    return missing + ["CAP_SYS_ADMIN"] if missing else []


def describe_missing(missing: list[str]) -> str:
    """``missing_capabilities``' answer in words: "CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)"."""
    if missing == ["CAP_SYS_ADMIN"]:
        return "CAP_SYS_ADMIN"
    return f"{' and '.join(missing[:-1])} (or CAP_SYS_ADMIN)"
