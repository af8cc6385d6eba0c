"""Circuit breaking driven by the health score: the decisions, shared by the agent and the proxy.

``state`` is one endpoint's breaker (closed, open, half-open), ``board`` every endpoint's with
their settings and telemetry, ``matcher`` maps a request to its endpoint, ``health_source``
reads the agent's ``GET /health`` for the proxy, ``gate`` is the proxy's decision hook and
``proxy`` the proxy itself.  docs/breaker.md tells how it decides.
"""
