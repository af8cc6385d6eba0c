"""The ``ebpf`` receiver: HTTP exchanges of the processes its filter takes, from the shared kernel capture.

The kernel program and the thread draining it belong to :class:`~.capture.Capture`, shared by
every ``ebpf`` receiver of the agent; a receiver is a filter, an HTTP policy (routes, captured
headers and bodies, sensitive query parameters) and the pipelines it feeds.

The kernel cannot be asked to resend: exchanges a pipeline refuses (a ``memory_limiter`` over its
soft limit) are lost, counted in ``otel_ebpf.receiver.refused_exchanges`` (``reason``), and a
warning says so at most once a minute.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Mapping
from typing import Any

from otel_ebpf.component import Component, Consumer, CreateSettings, ExportDestinations, Host, Refused, SocketStates
from otel_ebpf.model import ExchangeSource, HttpExchange, PipelineData, Role
from otel_ebpf.receivers.ebpf import capture
from otel_ebpf.receivers.ebpf.kernel_counts import ShedCount
from otel_ebpf.receivers.ebpf.telemetry_exclusion import REASONS, TelemetryExclusion
from otel_ebpf.receivers.helper.processes import shared_resolver
from otel_ebpf.telemetry.redaction import Redactor
from otel_ebpf.telemetry.routes import RouteResolver
from otel_ebpf.telemetry.tcp_evidence import TcpSpanEvidence

log = logging.getLogger(__name__)

_REFUSAL_LOG_INTERVAL_S = 60.0


class EbpfReceiver(Component):
    """Args:
    settings: Its id and telemetry.
    config: The resolved ``ebpf`` receiver config.
    next_consumer: The fan-out to its pipelines.
    """

    def __init__(self, settings: CreateSettings, config: Mapping[str, Any], next_consumer: Consumer) -> None:
        self.id = settings.id
        self.next_consumer = next_consumer
        http = config["http"]
        routes = http["routes"]
        self.routes = RouteResolver(
            routes["patterns"], heuristic=routes["heuristic"], max_routes_per_service=routes["max_per_service"]
        )
        redactor = Redactor(
            capture_headers=http["capture_headers"],
            capture_body=http["capture_body"],
            sensitive_query_params=http["sensitive_query_params"],
            sensitive_keys=http["sensitive_keys"],
            unredacted_keys=http["unredacted_keys"],
            redact_emails=http["redact_emails"],
        )
        if redactor.keys.removed:
            log.warning(
                "receiver %s: values under keys matching %s are exported unredacted (http.unredacted_keys)",
                self.id,
                ", ".join(redactor.keys.removed),
            )
        self.source = ExchangeSource(self.id, redactor=redactor)
        f = config["filter"]
        self.telemetry = (
            TelemetryExclusion(f["telemetry_executables"], f["telemetry_ports"], shared_resolver().get)
            if f["exclude_telemetry"]
            else None
        )
        self.filter = dataclasses.replace(capture.TrafficFilter.from_config(f), telemetry=self.telemetry)
        self.member = capture.Member(self.source, self.filter, self._deliver, self._deliver_counts)
        self.capture = capture.join(config, self.member, settings.telemetry)
        # Span evidence (tcp_flows) is read when an exchange completes, if a traces pipeline will want it.
        self._wants_evidence = "traces" in getattr(next_consumer, "signals", ("traces",))
        attrs = (("receiver", self.id),)
        self._refused: dict[str, int] = {}  # exchanges refused by a pipeline, by reason
        self._refused_lock = threading.Lock()
        self._last_refusal_log = float("-inf")
        settings.telemetry.register(lambda: {("otel_ebpf.routes.overflow", attrs): self.routes.overflow})
        settings.telemetry.register(self._refusal_counters)
        if self.telemetry is not None:
            excluded = self.telemetry.excluded
            settings.telemetry.register(
                lambda: {("otel_ebpf.connections.excluded", attrs + (("reason", r),)): excluded[r] for r in REASONS}
            )

    def start(self, host: Host | None = None) -> None:
        """Joins the capture; the first receiver started loads the kernel program (raises LoadError)."""
        if self._wants_evidence and self.capture.evidence is None and host is not None:
            providers = host.find(SocketStates)
            if providers:
                self.capture.evidence = TcpSpanEvidence(providers[0].socket_state)
        if self.telemetry is not None and host is not None:
            for exporter in host.find(ExportDestinations):
                self.telemetry.add_ports(exporter.destination_ports())
        self.capture.start(self.member)
        log.info(
            "receiver %s: capturing HTTP (%s; %s)",
            self.id,
            capture.describe(self.filter),
            self.telemetry.describe() if self.telemetry is not None else "telemetry agents included",
        )

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Leaves the capture; the last receiver to leave drains it a last time and detaches every probe."""
        self.capture.stop(self.member, timeout_s)

    def _deliver(self, exchanges: list[HttpExchange]) -> None:
        self.routes.annotate(exchanges)  # http.route is a server-side attribute
        try:
            self.next_consumer.consume(PipelineData(exchanges))
        except Refused as refused:  # no sender to push back on: counted (pipelines that took them keep them)
            now = time.monotonic()
            with self._refused_lock:
                self._refused[refused.reason] = self._refused.get(refused.reason, 0) + len(exchanges)
                warn = now - self._last_refusal_log >= _REFUSAL_LOG_INTERVAL_S
                if warn:
                    self._last_refusal_log = now
            if warn:
                log.warning(
                    "receiver %s: a pipeline refused %d exchanges (%s), counted in"
                    " otel_ebpf.receiver.refused_exchanges",
                    self.id,
                    len(exchanges),
                    refused,
                )

    def _deliver_counts(self, shed: list[ShedCount]) -> None:
        """The kernel's counts of exchanges it shed, to the metrics pipelines (traces ignore them),
        with http.route resolved from the path the kernel kept, as for exchanges."""
        counts = []
        for s in shed:
            c = s.count
            if c.role == Role.SERVER and c.process is not None:
                c = dataclasses.replace(c, route=self.routes.resolve(c.process.service_name, s.path))
            counts.append(c)
        try:
            self.next_consumer.consume(PipelineData(counts=counts))
        except Refused as refused:
            with self._refused_lock:
                n = sum(c.count for c in counts)
                self._refused[refused.reason] = self._refused.get(refused.reason, 0) + n

    def _refusal_counters(self) -> dict:
        attrs = (("receiver", self.id),)
        with self._refused_lock:
            out = {("otel_ebpf.receiver.refused_exchanges", attrs + (("reason", "memory_limit"),)): 0}
            for reason, n in self._refused.items():
                out[("otel_ebpf.receiver.refused_exchanges", attrs + (("reason", reason),))] = n
        return out
