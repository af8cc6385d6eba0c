"""Health scoring: a per-endpoint score (0-100), the penalties behind it, and a stable state.

``score = 100 − (business + system + latency penalty)``, each penalty capped:

* business = ``weights.business`` × 100 × Σ(severity weight × business errors) / requests,
  severities weighted critical 1.0 ≫ high 0.4 > medium 0.2 > low 0.05;
* system = ``weights.system`` × 100 × system errors / requests (no response, 5xx);
* latency = ``weights.latency`` × (p99 / threshold − 1) when the window's p99 exceeds the
  endpoint's threshold.

The factory is in :mod:`.factory`; see :mod:`.config` for every key and its default, :mod:`.state` for the hysteresis.
List ``semantic_errors`` before ``health_score`` so silent failures count.
"""
