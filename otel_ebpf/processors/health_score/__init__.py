"""Health scoring: a per-endpoint score (0-100), the penalties behind it, and a stable state.

``score = 100 − (business + system + latency penalty)``, each penalty capped:

* business = ``weights.business`` × 100 × Σ(severity weight × business errors) / requests,
  severities weighted critical 1.0 ≫ high 0.4 > medium 0.2 > low 0.05;
* system = ``weights.system`` × 100 × system errors / requests (no response, 5xx);
* latency = ``weights.latency`` × (p99 / threshold − 1) when the window's p99 exceeds the
  endpoint's threshold.

See :mod:`.config` for every key and its default, :mod:`.state` for the hysteresis.
List ``semantic_errors`` before ``health_score`` so silent failures count.
"""

from __future__ import annotations

from otel_ebpf.config.schema import defaults
from otel_ebpf.processors.health_score.config import HEALTH_SCORE_SCHEMA
from otel_ebpf.processors.health_score.processor import HealthScoreProcessor

__all__ = ["HEALTH_SCORE_SCHEMA", "HealthScoreProcessor", "default_config"]


def default_config() -> dict:
    """Every key at its default."""
    return defaults(HEALTH_SCORE_SCHEMA)
