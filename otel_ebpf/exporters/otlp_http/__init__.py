"""The ``otlp_http`` exporter: OTLP over HTTP, protobuf or JSON (alias ``otlphttp``, the older name)."""
