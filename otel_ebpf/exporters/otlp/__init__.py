"""The ``otlp`` exporter: OTLP over gRPC (alias ``otlp_grpc``, the Collector's newer name)."""
