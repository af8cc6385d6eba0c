"""What exporters share (the Collector's ``exporterhelper``): queue, retries, OTLP settings, schemas."""
