"""Every configuration we ship or show is valid: a broken example is a bug."""

from __future__ import annotations

from pathlib import Path

import pytest

from otel_ebpf.config import load_config

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = sorted(ROOT.glob("examples/**/otel-ebpf*.yaml")) + sorted(ROOT.glob("config/**/*.yaml"))


def test_there_are_configs_to_check():
    assert len(CONFIGS) >= 3


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_config_is_valid(path):
    config = load_config([path], {})
    assert config.pipelines, path
