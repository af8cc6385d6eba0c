"""HttpExchange records -> OpenTelemetry data: spans, HTTP metrics, self-metrics, routes, redaction, sampling.

The modules (import them directly; this package imports nothing, so a light module of it
stays light):

* :mod:`.spans` -- exchanges -> ``ExportTraceServiceRequest``; :mod:`.received` -- processors'
  annotations written into received spans.
* :mod:`.http_metrics` -- ``HttpMetrics``: ``record(exchanges)`` (all of them, before sampling),
  ``collect(now_ns)``.
* :mod:`.self_metrics` -- ``SelfMetrics``, ``CounterSet``: the agent's own metrics;
  :mod:`.points` -- building metric messages.
* :mod:`.routes` -- ``RouteResolver``: ``http.route`` from user patterns or the id heuristic.
* :mod:`.redaction` -- ``Redactor``: query/header/body redaction policy.
* :mod:`.sampling` -- ``Sampler``: ``OTEL_TRACES_SAMPLER`` head sampling.
* :mod:`.outcome` -- what a request meant for its endpoint (good, system or business error).
* :mod:`.resource` -- resources of observed processes and of the agent itself.
"""
