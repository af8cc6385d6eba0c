"""otel_ebpf: zero-code observability with eBPF, exported as OpenTelemetry."""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"

# The repository's top-level folders, located from the package (editable installs and
# the Docker image both keep the source tree).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
BPF_DIR = PROJECT_ROOT / "bpf"
CONFIG_DIR = PROJECT_ROOT / "config"
