"""Exporters: one folder per type (``factory.py`` + the implementation), and ``helper/``,
what they share (the sending queue, retries, OTLP connection settings).

Each takes ready-made OTLP protobuf requests (``ExportTraceServiceRequest``,
``ExportMetricsServiceRequest``); ``export_*`` never block nor raise, and every exporter
counts what it received, sent, dropped and queued, in spans and metric data points.
"""
