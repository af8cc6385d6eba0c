"""``python -m otel_ebpf``: the same as the ``otel-ebpf`` command."""

from __future__ import annotations

from otel_ebpf.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
