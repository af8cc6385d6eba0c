"""The ``otlp`` receiver: accepts OTLP/gRPC from any sender, so the agent can run as a sidecar.

The factory is in :mod:`.factory`, the component in :mod:`.receiver`; three parts, usable separately:

* :class:`OtlpReceiver` (:mod:`.server`) serves ``TraceService/Export`` and
  ``MetricsService/Export`` and hands each decoded request to a callback;
* :func:`exchanges_from_spans` (:mod:`.spans`) turns HTTP and gRPC SERVER/CLIENT spans into
  :class:`~otel_ebpf.model.HttpExchange` records, so received spans go through the same
  processors as captured traffic (a gRPC call as the ``ebpf`` receiver sees it on the wire);
* :func:`requests_from_histograms` (:mod:`.histograms`) turns the senders' HTTP server duration
  histograms into per-route :class:`RequestCount` deltas (rates and latency that do not depend
  on span sampling).

The conversions are pure functions with explicit state (:class:`ProcessCache`,
:class:`HistogramDeltaState`) and do not import grpc.

Example::

    cache, state = ProcessCache(), HistogramDeltaState()
    receiver = OtlpReceiver(
        {"protocols": {"grpc": {"endpoint": "127.0.0.1:4317"}}},
        on_traces=lambda req: pipeline.consume(exchanges_from_spans(req, cache)),
        on_metrics=lambda req: slo.consume(requests_from_histograms(req, state)),
    )
    receiver.start()
    ...
    receiver.shutdown(timeout_s=5)
"""
