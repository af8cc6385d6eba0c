"""The ``file`` exporter: OTLP/JSON lines appended to a file."""
