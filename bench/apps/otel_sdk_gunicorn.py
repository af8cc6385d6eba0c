"""gunicorn config: the OpenTelemetry SDK set up in each worker, as opentelemetry-python documents
for pre-fork servers ("Working With Fork Process Models": the BatchSpanProcessor's thread does
not survive a fork, so the provider is built in post_fork).

Spans go through a BatchSpanProcessor to an OTLP/gRPC exporter; with BENCH_SDK_METRICS=1 (the
default of bench_flask.py) the instrumentation's http.server.request.duration goes out too,
through a PeriodicExportingMetricReader, so that the SDK exports what the agent exports.
The endpoint and the export interval come from the standard OTEL_* variables.
"""

import os

from opentelemetry import metrics, trace
from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.flask import FlaskInstrumentor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor


def post_fork(server, worker):
    resource = Resource.create({"service.name": "flask-bench"})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    if os.environ.get("BENCH_SDK_METRICS") == "1":
        reader = PeriodicExportingMetricReader(OTLPMetricExporter())
        metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=[reader]))
    # The worker imports the app after this hook: instrument() patches flask.Flask first.
    FlaskInstrumentor().instrument()
