"""Factory of the ``prometheus`` exporter; the implementation is in :mod:`.exporter`.

The keys and defaults are the Collector's ``prometheusexporter`` (its README and
``factory.go`` createDefaultConfig: ``send_timestamps`` false, ``metric_expiration`` 5m,
``enable_open_metrics`` false, ``add_metric_suffixes`` true, ``resource_to_telemetry_conversion``
off), with a default ``endpoint`` (the Collector has none): 127.0.0.1:9464, the defaults of
the OpenTelemetry SDK Prometheus exporter specification (``metrics/sdk_exporters/prometheus.md``:
host "MUST be localhost by default", port "MUST be 9464 by default").

One difference: ``enable_open_metrics: false`` negotiates the format from the scraper's
``Accept`` header, as that specification requires ("Content Negotiation"; text 0.0.4 without
an ``Accept`` header): OpenMetrics with exemplars when Prometheus asks for it.  ``true`` serves
OpenMetrics to every scraper.  In the Collector (``promhttp.HandlerOpts.EnableOpenMetrics``),
false never offers OpenMetrics and true only offers it in the negotiation.

Not implemented (Collector keys): ``tls``, ``translation_strategy`` (``add_metric_suffixes``
chooses between the two underscore-escaping strategies), ``resource_constant_labels``,
``without_scope_info``, ``resource_to_telemetry_conversion.exclude_service_attributes``.
"""

from __future__ import annotations

import re

from otel_ebpf.component import EXPORTERS, METRICS, Factory
from otel_ebpf.config.checks import check_host_port
from otel_ebpf.config.registry import port_claim
from otel_ebpf.config.schema import Bool, Duration, Map, Section, Str

_LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*\Z")
# Labels the exposition writes itself: a constant label of that name would break the series.
_RESERVED_LABELS = ("le", "quantile")


def _check_namespace(value: str) -> str | None:
    if not re.search(r"[a-zA-Z0-9:]", value):
        return f"{value!r} has no letter or digit to build metric names from"
    return None


def _check(config: dict) -> list[tuple[str, str]]:
    errors = []
    for name in config["const_labels"]:
        if not _LABEL_NAME.match(name) or name.startswith("__"):
            errors.append(("const_labels", f"{name!r} is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, no __)"))
        elif name in _RESERVED_LABELS:
            errors.append(("const_labels", f"{name!r} is reserved for histogram buckets and summary quantiles"))
    return errors


SCHEMA = Section(
    {
        "endpoint": Str("127.0.0.1:9464", check=check_host_port),
        "namespace": Str("", allow_empty=True, check=_check_namespace),
        "const_labels": Map(Str("", allow_empty=True)),
        "send_timestamps": Bool(False),
        "metric_expiration": Duration("5m", min=0.001),
        "resource_to_telemetry_conversion": {"enabled": Bool(False)},
        "enable_open_metrics": Bool(False),
        "add_metric_suffixes": Bool(True),
    },
    check=_check,
)


def _create(settings, config, next_consumer):
    from otel_ebpf.exporters.prometheus.exporter import PrometheusExporter

    return PrometheusExporter(settings, config)


factory = Factory(
    EXPORTERS,
    "prometheus",
    (METRICS,),
    "the latest metric points on /metrics for Prometheus to scrape",
    _create,
    schema=SCHEMA,
    claims=lambda config: port_claim(config["endpoint"]),
)
