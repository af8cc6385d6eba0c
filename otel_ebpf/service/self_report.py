"""The agent's own metrics in its log: what was lost, readable when no exporter works.

Self-metrics normally leave through the metrics pipelines, that is through the very exporters
whose failures they count.  So the service also writes them to its log (INFO):

* every :data:`SUMMARY_INTERVAL_S`, when a loss counter (dropped, failed, refused, ...) moved
  since the last summary: nothing is written while nothing is lost;
* always at shutdown, after the exporters discarded what they could not send.

A line reads ``self-metrics: exporter otlp: received 60,000 spans and 12 metric points, sent
2,360 spans ..., dropped ... (at shutdown ...), queued ...; losses: otel_ebpf.ebpf.dropped{reason=ringbuf_full}=3``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from otel_ebpf.telemetry.self_metrics import Reading, SelfMetrics

log = logging.getLogger("otel_ebpf")

SUMMARY_INTERVAL_S = 300.0
_EXPORTER = "otel_ebpf.exporter."
# A running total whose name has one of these words counts something lost or refused.
_LOSS_WORDS = ("dropped", "failed", "lost", "refused", "rejected", "errors", "overflow", "invalid")


def _items(values: dict[str, float], what: str) -> str:
    spans = int(values.get(f"{what}_spans", 0))
    points = int(values.get(f"{what}_metric_points", 0))
    return f"{spans:,} spans and {points:,} metric points"


def _series(name: str, attrs: tuple) -> str:
    if not attrs:
        return name
    return name + "{" + ",".join(f"{k}={v}" for k, v in attrs) + "}"


def exporter_lines(readings: Iterable[Reading]) -> list[str]:
    """One phrase per exporter: what it received, sent, dropped (at shutdown) and holds."""
    by_exporter: dict[str, dict[str, float]] = {}
    for r in readings:
        if not r.name.startswith(_EXPORTER):
            continue
        for attrs, value in r.values.items():
            exporter = dict(attrs).get("exporter")
            if exporter is not None:
                by_exporter.setdefault(str(exporter), {})[r.name[len(_EXPORTER) :]] = value
    lines = []
    for exporter, v in by_exporter.items():
        if "received_spans" not in v:
            continue  # not a queued exporter (prometheus has counters of its own)
        line = (
            f"exporter {exporter}: received {_items(v, 'received')}, sent {_items(v, 'sent')}, "
            f"dropped {_items(v, 'dropped')}"
        )
        if v.get("shutdown_dropped_spans") or v.get("shutdown_dropped_metric_points"):
            line += f" (at shutdown {_items(v, 'shutdown_dropped')})"
        line += f", queued {_items(v, 'queued')}"
        lines.append(line)
    return lines


def losses(readings: Iterable[Reading]) -> dict[str, float]:
    """Every running total that counts a loss and is not zero: ``"name{k=v}" -> value``."""
    out = {}
    for r in readings:
        if not r.monotonic or not any(word in r.name for word in _LOSS_WORDS):
            continue
        for attrs, value in sorted(r.values.items(), key=lambda kv: str(kv[0])):
            if value:
                out[_series(r.name, attrs)] = value
    return out


class SelfReport:
    """Writes the summary line; :meth:`periodic` for the timer, :meth:`final` at shutdown."""

    def __init__(self, self_metrics: SelfMetrics) -> None:
        self._self_metrics = self_metrics
        self._last_losses: dict[str, float] = {}

    def line(self) -> tuple[str, dict[str, float]]:
        readings = self._self_metrics.read()
        lost = losses(readings)
        parts = exporter_lines(readings)
        parts.append("losses: " + (", ".join(f"{k}={v:g}" for k, v in lost.items()) if lost else "none"))
        return "; ".join(parts), lost

    def periodic(self) -> None:
        text, lost = self.line()
        if lost != self._last_losses:
            self._last_losses = lost
            log.info("self-metrics: %s", text)

    def final(self) -> None:
        text, _ = self.line()
        log.info("self-metrics at shutdown: %s", text)
