"""The ``circuit_breaker`` processor (docs/breaker.md)."""
