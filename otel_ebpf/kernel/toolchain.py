"""What bcc needs to compile a program: its Python module, and kernel headers.

Only the short-lived compile children import bcc (see :mod:`otel_ebpf.kernel.handoff`).  bcc
compiles the C at load time against kernel headers.  When the running kernel's own headers are
missing (no /lib/modules/$(uname -r)/build), the distribution's headers installed under /usr/src
are used through BCC_KERNEL_SOURCE: tracepoint argument structs come from tracefs at run time,
and kernel struct offsets from the running kernel's BTF, so headers of another kernel version
are fine.
"""

from __future__ import annotations

import glob
import logging
import os
import platform

from otel_ebpf.kernel.errors import LoadError

__all__ = ["ensure_kernel_headers", "import_bcc"]

log = logging.getLogger(__name__)


def ensure_kernel_headers() -> None:
    """Points bcc at installed kernel headers when the running kernel's are missing; raises LoadError."""
    if os.environ.get("BCC_KERNEL_SOURCE"):
        return
    if os.path.isdir(f"/lib/modules/{platform.release()}/build/include"):
        return
    candidates = sorted(glob.glob("/usr/src/linux-headers-*-amd64") + glob.glob("/usr/src/linux-headers-*-arm64"))
    if not candidates:
        raise LoadError(
            f"no kernel headers for bcc: /lib/modules/{platform.release()}/build is missing and none are installed "
            "under /usr/src; run `sh scripts/setup.sh` (installs linux-headers-amd64 and links them)"
        )
    os.environ["BCC_KERNEL_SOURCE"] = candidates[-1]
    log.info("using kernel headers from %s", candidates[-1])


def import_bcc():
    """The bcc module (Debian's python3-bpfcc); raises LoadError saying how to get it."""
    try:
        import bcc  # noqa: PLC0415 - imported lazily: only the compile children need it
    except ImportError as exc:
        raise LoadError(
            "the bcc Python module is not importable: install Debian's python3-bpfcc and run from a venv made "
            "with --system-site-packages (`sh scripts/setup.sh` does both)"
        ) from exc
    return bcc
