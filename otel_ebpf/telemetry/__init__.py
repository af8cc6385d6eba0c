"""HttpExchange records -> OpenTelemetry data: spans, HTTP metrics, self-metrics, routes, redaction, sampling.

Public API (everything else in the submodules is an implementation detail):

* :func:`build_trace_request` -- exchanges -> ``ExportTraceServiceRequest``.
* :class:`HttpMetrics` -- ``record(exchanges)`` (all of them, before sampling), ``collect(now_ns)``.
* :class:`SelfMetrics`, :class:`CounterSet` -- the agent's own metrics; counters for processors.
* :class:`RouteResolver` -- ``http.route`` from user patterns or the id heuristic.
* :class:`Redactor` -- query/header/body redaction policy.
* :class:`Sampler` -- ``OTEL_TRACES_SAMPLER`` head sampling.
* :func:`agent_resource_attributes` -- the agent's own resource (its env, never the observed ones').
"""

from __future__ import annotations

from otel_ebpf.telemetry.http_metrics import HttpMetrics
from otel_ebpf.telemetry.redaction import Redactor
from otel_ebpf.telemetry.resource import agent_resource_attributes
from otel_ebpf.telemetry.routes import RouteResolver
from otel_ebpf.telemetry.sampling import Sampler
from otel_ebpf.telemetry.self_metrics import CounterSet, GaugeSet, SelfMetrics
from otel_ebpf.telemetry.semconv import configure_known_methods_from_env
from otel_ebpf.telemetry.spans import build_trace_request

__all__ = [
    "CounterSet",
    "GaugeSet",
    "HttpMetrics",
    "Redactor",
    "RouteResolver",
    "Sampler",
    "SelfMetrics",
    "agent_resource_attributes",
    "build_trace_request",
    "configure_known_methods_from_env",
]
