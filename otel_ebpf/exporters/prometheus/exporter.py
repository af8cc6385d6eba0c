"""The ``prometheus`` exporter: holds the latest point of every series and serves them to scrapers.

It is the Collector's ``prometheusexporter`` (pull): pipelines push requests in
(:meth:`PrometheusExporter.export_metrics`, cheap, never raising), Prometheus pulls them out
(``GET /metrics`` on ``endpoint``).  The pieces, one job each:

* :mod:`.translate`: names, units, label names and values;
* :mod:`.convert`: a request as store updates (labels, temporality, exemplars; what is refused);
* :mod:`.store`: the latest point per series, delta accumulation, expiry;
* :mod:`.render`: a snapshot as ``prometheus_client`` families;
* :mod:`.server`: HTTP, content negotiation through ``prometheus_client``.

Counters (``otel_ebpf.exporter.*``, attribute ``exporter`` = its id): ``received_metric_points``,
``refused_metric_points`` (attribute ``reason``), ``series_held`` (a level), ``expired_series``,
``scrapes``, ``failed_scrapes``, ``invalid_requests`` (not an OTLP metrics request) and
``dropped_spans`` (a traces request: this exporter has no traces; the factory declares only
metrics, so it only happens through code that bypasses the pipeline checks).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from otel_ebpf.component import CreateSettings, Exporter, Host
from otel_ebpf.exporters.helper.queued import RateLimitedLog
from otel_ebpf.exporters.prometheus.convert import Converter
from otel_ebpf.exporters.prometheus.render import families
from otel_ebpf.exporters.prometheus.server import ListenError, MetricsServer
from otel_ebpf.exporters.prometheus.store import SeriesStore
from otel_ebpf.exporters.prometheus.translate import Namer
from otel_ebpf.model.pipeline import count_spans

__all__ = ["PrometheusExporter"]

# Sweeping expired series on export costs a pass over every series: at most this often.
_SWEEP_INTERVAL_S = 1.0


class _Scrape:
    """What one scrape reads: ``prometheus_client`` encoders call ``collect()``."""

    __slots__ = ("_families",)

    def __init__(self, metric_families: list) -> None:
        self._families = metric_families

    def collect(self):
        return iter(self._families)


class PrometheusExporter(Exporter):
    """Keeps the latest points and serves them on ``endpoint``.

    Args:
        settings: Its id (logs, counters, thread name) and telemetry.
        config: The resolved config (see :mod:`.factory`).
        clock: Monotonic seconds, for expiry (tests inject one).
    """

    def __init__(self, settings: CreateSettings, config: dict[str, Any], clock: Callable[[], float] = time.monotonic):
        self.name = settings.id
        self.settings = settings
        self._log = settings.logger
        self._warn = RateLimitedLog(self._log)
        self._namer = Namer(config["namespace"], config["add_metric_suffixes"])
        self._converter = Converter(
            self._namer, config["const_labels"], config["resource_to_telemetry_conversion"]["enabled"]
        )
        self._store = SeriesStore(
            config["metric_expiration"],
            clock,
            reserved=(self._namer.target_info, self._namer.target_info.removesuffix("_info")),
        )
        self._clock = clock
        self._last_sweep = clock()
        self._send_timestamps = config["send_timestamps"]
        self.server = MetricsServer(
            config["endpoint"],
            self.collector,
            force_open_metrics=config["enable_open_metrics"],
            on_scrape=self._scraped,
            name=f"prometheus-{self.name}",
            log=self._log,
        )
        self._lock = threading.Lock()
        self._started = False
        self._stopped = False
        self._received = 0
        self._refused: dict[str, int] = {}
        self._counts = {"scrapes": 0, "failed_scrapes": 0, "invalid_requests": 0, "dropped_spans": 0}
        self._attrs = (("exporter", self.name),)
        settings.telemetry.register(self._readings)

    # -- lifecycle -------------------------------------------------------------------------

    def start(self, host: Host | None = None) -> None:
        with self._lock:
            if self._started or self._stopped:
                return
            self._started = True
        try:
            self.server.start()
        except ListenError as exc:
            raise RuntimeError(f"prometheus exporter {self.name}: {exc}") from exc
        self._log.info("prometheus exporter %s: serving /metrics on %s", self.name, self.server.endpoint)

    def shutdown(self, timeout_s: float = 5.0) -> None:
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        if not self.server.stop(timeout_s):
            self._log.warning("prometheus exporter %s: the HTTP server did not stop within %ss", self.name, timeout_s)

    def force_flush(self, timeout_s: float = 5.0) -> bool:
        return True  # nothing is buffered for sending: scrapers read the latest points

    # -- data --------------------------------------------------------------------------------

    def export_traces(self, request) -> None:
        try:
            n = count_spans(request)
        except Exception:
            self._count("invalid_requests")
            return
        self._count("dropped_spans", n)
        self._warn("traces", logging.WARNING, "prometheus exporter %s: has no traces; dropped %d spans", self.name, n)

    def export_metrics(self, request) -> None:
        try:
            conversion = self._converter.convert(request)
        except Exception:  # not an ExportMetricsServiceRequest: count, never raise into the pipeline
            self._count("invalid_requests")
            self._warn(
                "invalid", logging.WARNING, "prometheus exporter %s: ignored a %s", self.name, type(request).__name__
            )
            return
        refused = conversion.refused
        if self._stopped:
            refused = {"stopped": conversion.received}
        else:
            for reason, n in self._store.apply(conversion.updates).items():
                refused[reason] = refused.get(reason, 0) + n
        with self._lock:
            self._received += conversion.received
            for reason, n in refused.items():
                self._refused[reason] = self._refused.get(reason, 0) + n
        if refused:
            self._warn(
                "refused",
                logging.WARNING,
                "prometheus exporter %s: refused metric points: %s",
                self.name,
                ", ".join(f"{n} {reason}" for reason, n in sorted(refused.items())),
            )
        now = self._clock()
        if now - self._last_sweep >= _SWEEP_INTERVAL_S:
            self._last_sweep = now
            self._store.sweep()

    # -- scrapes -------------------------------------------------------------------------------

    def collector(self) -> _Scrape:
        """What one scrape encodes (an object with ``collect()``, as ``prometheus_client``'s
        encoders expect): expired series dropped, then every family of the latest points."""
        self._store.sweep()
        snapshot, targets = self._store.snapshot()
        return _Scrape(families(snapshot, targets, self._namer.target_info, self._send_timestamps))

    def _scraped(self, ok: bool) -> None:
        self._count("scrapes" if ok else "failed_scrapes")

    # -- counters ------------------------------------------------------------------------------

    def _count(self, key: str, n: int = 1) -> None:
        with self._lock:
            self._counts[key] += n

    def stats(self) -> dict[str, int]:
        """Counters by short name (``refused_metric_points`` summed over the reasons)."""
        with self._lock:
            out = dict(self._counts)
            out["received_metric_points"] = self._received
            out["refused_metric_points"] = sum(self._refused.values())
        out["series_held"] = len(self._store)
        out["expired_series"] = self._store.expired
        return out

    def refused(self) -> dict[str, int]:
        """Points refused, by reason."""
        with self._lock:
            return dict(self._refused)

    def _readings(self) -> dict[tuple[str, tuple], float]:
        stats = self.stats()
        del stats["refused_metric_points"]  # reported per reason below
        out = {(f"otel_ebpf.exporter.{k}", self._attrs): v for k, v in stats.items()}
        for reason, n in self.refused().items():
            out[("otel_ebpf.exporter.refused_metric_points", (*self._attrs, ("reason", reason)))] = n
        return out
