"""Service level objectives: error budgets, multi-window burn rates, alerts and exemplars.

Example::

    processors:
      slo:
        state_file: /var/lib/otel-ebpf/slo-state.json
        objectives:
          - {name: checkout-availability, service: shop, route: "/checkout*", target: 99.9, window: 30d}
          - {name: search-latency, service: shop, route: "/search", sli: latency,
             latency_threshold: 300ms, target: 99, window: 7d}

See :mod:`.config` for every key, :mod:`.processor` for the metrics.
"""

from __future__ import annotations

from otel_ebpf.config.schema import defaults
from otel_ebpf.processors.slo.config import SLO_SCHEMA
from otel_ebpf.processors.slo.processor import SloProcessor

__all__ = ["SLO_SCHEMA", "SloProcessor", "default_config"]


def default_config() -> dict:
    """Every key at its default."""
    return defaults(SLO_SCHEMA)
