"""Service level objectives: error budgets, multi-window burn rates, alerts and exemplars.

Example::

    processors:
      slo:
        state_file: /var/lib/otel-ebpf/slo-state.json
        objectives:
          - {name: checkout-availability, service: shop, route: "/checkout*", target: 99.9, window: 30d}
          - {name: search-latency, service: shop, route: "/search", sli: latency,
             latency_threshold: 300ms, target: 99, window: 7d}

The factory is in :mod:`.factory`; see :mod:`.config` for every key, :mod:`.processor` for the metrics.
"""
