"""``service.telemetry.metrics.address``: the agent's own metrics on a Prometheus endpoint.

The Collector's convention for its internal telemetry (``otelcol_*`` on ``localhost:8888``):
the agent's metrics can be scraped even when every exporter is down, the moment they are most
needed.  Served at ``/metrics`` (any path answers), bound to 127.0.0.1:8888 unless configured;
``address: ""`` or ``level: none`` turns it off.  A port already taken is a WARNING, not a
stop: the capture matters more than its own telemetry.

Names are the self-metrics' with ``.`` as ``_`` and ``_total`` on running totals
(``otel_ebpf.exporter.dropped_spans{exporter="otlp"}`` is
``otel_ebpf_exporter_dropped_spans_total{exporter="otlp"}``); the exposition (text 0.0.4 or
OpenMetrics, negotiated by ``Accept``) is ``prometheus_client``'s.
"""

from __future__ import annotations

import logging
import re

from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, Metric

from otel_ebpf.component.listener import HttpListener, ListenError, Request, Response
from otel_ebpf.telemetry.self_metrics import Reading, SelfMetrics

log = logging.getLogger("otel_ebpf")

DEFAULT_ADDRESS = "127.0.0.1:8888"
_INVALID = re.compile(r"[^a-zA-Z0-9_]")


def prometheus_name(name: str) -> str:
    """``otel_ebpf.exporter.sent_spans`` -> ``otel_ebpf_exporter_sent_spans``."""
    out = _INVALID.sub("_", name)
    return "_" + out if out[:1].isdigit() else out


def families(readings: list[Reading]) -> list[Metric]:
    """The readings as ``prometheus_client`` metric families (running totals are counters)."""
    out: list[Metric] = []
    for r in readings:
        name = prometheus_name(r.name)
        if r.monotonic and name.endswith("_total"):
            name = name[: -len("_total")]  # prometheus_client adds it back
        labels = sorted({prometheus_name(k) for attrs in r.values for k, _ in attrs})
        kind = CounterMetricFamily if r.monotonic else GaugeMetricFamily
        family = kind(name, r.description or r.name, labels=labels, unit="")
        for attrs, value in r.values.items():
            given = {prometheus_name(k): str(v) for k, v in attrs}
            family.add_metric([given.get(label, "") for label in labels], value)
        out.append(family)
    return out


class _Registry:
    """What ``generate_latest`` reads: an object with ``collect()``."""

    def __init__(self, self_metrics: SelfMetrics) -> None:
        self._self_metrics = self_metrics

    def collect(self):
        return families(self._self_metrics.read())


class InternalMetricsServer:
    """Serves the agent's self-metrics on ``address`` from :meth:`start` to :meth:`stop`."""

    def __init__(self, self_metrics: SelfMetrics, address: str) -> None:
        self.address = address
        self._registry = _Registry(self_metrics)
        self._listener = HttpListener(address, self._answer, name="internal-metrics", log=log)
        self.scrapes = 0

    @property
    def port(self) -> int | None:
        return self._listener.port

    def start(self) -> bool:
        """Listens; False (and a WARNING saying what to change) when the address cannot be bound."""
        try:
            self._listener.start()
        except ListenError as exc:
            log.warning(
                "service.telemetry.metrics.address: %s; the agent's own metrics are not served "
                '(set another address, or "" to turn this off)',
                exc,
            )
            return False
        log.info("the agent's own metrics are served at http://%s/metrics", self.address)
        return True

    def stop(self, timeout_s: float = 1.0) -> None:
        self._listener.stop(timeout_s)

    def _answer(self, request: Request) -> Response:
        encoder, content_type = choose_encoder(request.headers.get("accept", ""))
        body = encoder(self._registry)
        self.scrapes += 1
        return Response(200, body, content_type)
