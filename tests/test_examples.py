"""Every configuration we ship or show is valid, and runs as written: a broken example is a bug.

The Collector configurations next to ours (``examples/*/collector.yaml``) are the Collector's
to check, not ours.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from otel_ebpf.components import load_config
from tests.harness import AgentProcess, require_bpf

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = sorted(ROOT.glob("examples/**/otel-ebpf*.yaml")) + sorted(ROOT.glob("config/**/*.yaml"))


def test_there_are_configs_to_check():
    assert len(CONFIGS) >= 5


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_config_is_valid(path):
    config = load_config([path], {})
    assert config.pipelines, path


@pytest.mark.bpf
@pytest.mark.parametrize(
    "path", [None, *CONFIGS], ids=lambda p: "embedded default" if p is None else str(p.relative_to(ROOT))
)
def test_shipped_config_runs_as_written(path, tmp_path):
    """The agent starts every component of it, runs, and stops cleanly on SIGTERM."""
    require_bpf()
    config = None if path is None else path.read_text()
    # Only where files go is moved (the example says ${env:OTEL_EBPF_OUT:-/tmp}); nothing else changes.
    # -v: a config logging at warn (file.yaml) would hide the line that says every component started.
    agent = AgentProcess(tmp_path, config, env={"OTEL_EBPF_OUT": str(tmp_path)}, verbose=True)
    try:
        log = agent.log()
        assert not re.search(r" (ERROR|CRITICAL) ", log), log
        assert "pipeline" not in log or "cannot carry data" not in log, log
    finally:
        code = agent.stop()
    assert code == 0, agent.log()
    assert "otel-ebpf stopped" in agent.log()
