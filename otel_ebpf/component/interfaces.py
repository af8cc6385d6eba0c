"""Interfaces a component declares so that others can use it without knowing its class.

A component finds the others through ``host.find(Interface)`` (e.g. ``cause_attribution``
asks for :class:`EndpointStates`); none imports another component's module.  A missing
provider means the feature that needs it is off, not an error.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence

from otel_ebpf.model import EndpointHealth


class MetricsProducer(abc.ABC):
    """Makes metrics when asked: a metrics pipeline collects from its receivers and processors
    that are producers once per export interval (``OTEL_METRIC_EXPORT_INTERVAL``)."""

    @abc.abstractmethod
    def produce_metrics(self, now_ns: int) -> list:
        """Cumulative metrics at ``now_ns`` (epoch ns), as ``ResourceMetrics`` messages."""


class SocketStates(abc.ABC):
    """Per-socket TCP state by kernel ``struct sock *`` (the ``tcp_flows`` receiver)."""

    @abc.abstractmethod
    def socket_state(self, sk: int) -> tuple[int, int, int] | None:
        """(start_ns, retransmits so far, smoothed RTT in µs) of a live socket, or None."""


class FlowTotals(abc.ABC):
    """Cumulative TCP flow counts (the ``tcp_flows`` receiver)."""

    @abc.abstractmethod
    def flow_totals(self) -> list | None:
        """Every flow's ``(FlowKey, FlowStats)`` read now (``otel_ebpf.model.tcp``), or None when not running."""


class EndpointStates(abc.ABC):
    """Health states of endpoints (the ``health_score`` processor)."""

    @abc.abstractmethod
    def degraded_endpoints(self) -> dict[tuple[str, str], list[str]]:
        """``(service.name, http.route)`` -> reasons, for every endpoint now degraded or critical."""

    def endpoint_health(self, after_ns: int = 0) -> list[EndpointHealth] | None:
        """The last evaluation of every endpoint (a circuit breaker acts on it); None when it is not
        newer than ``after_ns`` (wall-clock ns of an evaluation already seen), or when the provider
        does not say (a plugin written before this method)."""
        return None


class BurnRates(abc.ABC):
    """SLO error-budget burn rates (the ``slo`` processor)."""

    @abc.abstractmethod
    def burning(self, min_rate: float) -> Sequence[tuple[str, str, str, float, str]]:
        """``(objective, service glob, route glob, burn rate, window)`` of every objective burning
        at ``min_rate`` or faster over its shortest window."""


class ExportDestinations(abc.ABC):
    """Where an exporter sends (the ``otlp`` and ``otlp_http`` exporters): a collector listening
    there receives the agent's own telemetry, which the ``ebpf`` receiver must not capture."""

    @abc.abstractmethod
    def destination_ports(self) -> set[int]:
        """The TCP ports of its endpoints."""
