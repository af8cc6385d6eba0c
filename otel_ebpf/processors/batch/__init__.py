"""The ``batch`` processor: groups what flows through a pipeline, by size or after a timeout."""
