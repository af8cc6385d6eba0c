"""The scrape endpoint: ``GET /metrics`` (and ``/``) on the component listener.

The format is chosen by ``prometheus_client.exposition.choose_encoder`` from the ``Accept``
header (Prometheus with exemplar storage asks for ``application/openmetrics-text;
version=1.0.0`` first), or is always OpenMetrics 1.0 when ``force_open_metrics`` is set.
Responses are gzip-compressed when the scraper accepts it, as ``prometheus_client``'s own
handler does.  The listener binds exactly the configured address (``127.0.0.1:9464`` unless
told otherwise).
"""

from __future__ import annotations

import gzip
import logging
from collections.abc import Callable

from prometheus_client.exposition import choose_encoder

from otel_ebpf.component.listener import HttpListener, ListenError, Request, Response

__all__ = ["ListenError", "MetricsServer"]

PATHS = ("/metrics", "/")
# What Prometheus asks for first; prometheus_client picks the encoder and the Content-Type.
_OPEN_METRICS = choose_encoder("application/openmetrics-text; version=1.0.0")

# Render: the object whose ``collect()`` yields the families of one scrape (prometheus_client's
# encoders only call ``registry.collect()``).
Registry = Callable[[], object]


class MetricsServer(HttpListener):
    """Serves one registry over HTTP.

    Args:
        endpoint: ``host:port`` (port 0: any free port, see :attr:`port`).
        registry: Called per scrape; returns what the encoders read (has ``collect()``).
        force_open_metrics: OpenMetrics for every scraper instead of content negotiation.
        on_scrape: Called after each scrape with True (served) or False (failed).
        name: Thread name.
        log: Where request errors go.
    """

    def __init__(
        self,
        endpoint: str,
        registry: Registry,
        *,
        force_open_metrics: bool = False,
        on_scrape: Callable[[bool], None] = lambda ok: None,
        name: str = "prometheus-http",
        log: logging.Logger | None = None,
    ) -> None:
        super().__init__(endpoint, self._answer, name=name, log=log)
        self._registry = registry
        self._force_open_metrics = force_open_metrics
        self._on_scrape = on_scrape

    def _answer(self, request: Request) -> Response:
        if request.path not in PATHS:
            return Response(404, b"not found: the metrics are at /metrics\n")
        try:
            encoder, content_type = (
                _OPEN_METRICS if self._force_open_metrics else choose_encoder(request.headers.get("accept", ""))
            )
            body = encoder(self._registry())
        except Exception:
            self._log.exception("prometheus exporter: cannot render the metrics")
            self._on_scrape(False)
            return Response(500, b"cannot render the metrics; see the agent's log\n")
        self._on_scrape(True)
        if "gzip" in request.headers.get("accept-encoding", ""):
            return Response(200, gzip.compress(body, compresslevel=6), content_type, {"Content-Encoding": "gzip"})
        return Response(200, body, content_type)
