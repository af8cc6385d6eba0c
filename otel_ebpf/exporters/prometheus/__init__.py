"""The ``prometheus`` exporter (pull): the Collector's ``prometheusexporter``, on ``prometheus_client``.

The latest point of every series is served on ``GET /metrics`` for Prometheus to scrape, named
and labelled by the OpenTelemetry "Prometheus and OpenMetrics Compatibility" specification;
exemplars (``trace_id``, ``span_id``) go out in the OpenMetrics format.  ``factory.py`` is what
validation loads; the implementation (``exporter.py`` and its modules) is imported on creation.
"""
