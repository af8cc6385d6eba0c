"""The ``memory_limiter`` processor: refuses data while the agent uses too much memory (the Collector's)."""
