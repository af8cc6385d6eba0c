"""Cause attribution: when an endpoint degrades, is it the network or the application?

For every degraded endpoint (its error ratio or latency against its own baseline, or the
``health_score``/``slo`` processors of the same pipeline), the network evidence of its peers
over the same window (retransmits, unanswered and slow connects, resets, from the
``tcp_flows`` receiver) is weighed against the service's own behaviour (answered errors,
refused connects, the handler time of the servers that answered) into a verdict:
``network``, ``application`` or ``unknown``, with its reason.

See :mod:`.rule` for the rule, :mod:`.config` for every key and its default, and
:mod:`.processor` for the metrics, the log line and ``GET /cause``.  List ``semantic_errors``
first so that silent failures count as answered errors.
"""
