"""OTLP/HTTP exporter with a bounded sending queue, retry and backoff (the Collector's ``otlp_http``).

Each request is POSTed to its signal's URL (``/v1/traces``, ``/v1/metrics``) as binary protobuf
(``application/x-protobuf``) or OTLP/JSON (``application/json``, hex trace and span ids), gzip
compressed unless ``compression: none``, over keep-alive connections (urllib3 pools).  Where
and how come from the config file, then the ``OTEL_EXPORTER_OTLP_*`` variables, then the
defaults (:mod:`otel_ebpf.exporters.helper.otlp_settings`).

Responses follow the specification ("OTLP/HTTP Response"): 2xx is delivered, and the items a
``partial_success`` rejects are dropped and counted; 429, 502, 503 and 504, and failures to
connect or to get an answer, are retried with the backoff of ``retry_on_failure``, waiting at
least what ``Retry-After`` asks; every other status is permanent: dropped at once and counted.
"""

from __future__ import annotations

import gzip
import logging
import threading
from collections.abc import Mapping
from typing import Any

import urllib3
from urllib3.connectionpool import HTTPConnectionPool

from otel_ebpf.component import CreateSettings
from otel_ebpf.config.checks import check_header_name, check_header_value
from otel_ebpf.config.env import otlp_source
from otel_ebpf.exporters.helper.otlp_json import to_otlp_json
from otel_ebpf.exporters.helper.otlp_settings import USER_AGENT, OtlpDestinations, SignalSettings, resolve_http
from otel_ebpf.exporters.helper.queued import (
    METRICS,
    SIGNAL_NAMES,
    TRACES,
    Batch,
    ExportError,
    QueuedExporter,
    RetryableError,
)
from otel_ebpf.exporters.helper.retry import RetrySettings
from otel_ebpf.exporters.otlp_http.responses import (
    CONTENT_TYPES,
    clip,
    failure_text,
    partial_success,
    retry_after_seconds,
)
from otel_ebpf.exporters.otlp_http.transport import (
    ConnectProbe,
    Pools,
    Response,
    ResponseTooLarge,
    destination,
    post,
    tls_context,
)
from otel_ebpf.model import EncodedRequest

log = logging.getLogger(__name__)


# The specification's retryable codes ("Retryable Response Codes"); all other 4xx/5xx MUST NOT
# be retried.  The Collector's otlp_http exporter uses the same list (isRetryableStatusCode).
RETRYABLE_STATUS = frozenset({429, 502, 503, 504})

# The specification's recommended limit of a request body before compression ("OTLP/HTTP
# Request": 64 MiB); a larger request is not sent, and its items are dropped and counted.
MAX_REQUEST_BYTES = 64 * 1024 * 1024

# Go's gzip default (the Collector's): level 9 costs much more CPU for a few percent.
GZIP_LEVEL = 6

# What OTEL_EXPORTER_OTLP_PROTOCOL says about the encoding; grpc is another exporter's.
_PROTOCOL_ENCODINGS = {"http/protobuf": "proto", "http/json": "json", "grpc": "proto"}


def resolve_encoding(config: Mapping[str, Any], signal: int, environ: Mapping[str, str]) -> tuple[str, str | None]:
    """``(encoding, warning or None)`` of one signal: ``encoding`` from the file, else the
    ``OTEL_EXPORTER_OTLP_(<SIGNAL>_)PROTOCOL`` variable (``http/json`` means json), else proto."""
    if config.get("encoding"):
        return str(config["encoding"]), None
    found = otlp_source(environ, "PROTOCOL", SIGNAL_NAMES[signal])
    if found is None:
        return "proto", None
    var, protocol = found
    encoding = _PROTOCOL_ENCODINGS.get(protocol.lower())
    if encoding is None:
        return "proto", f"{var}={protocol!r} is not http/protobuf or http/json; using proto"
    return encoding, None


def _bad_header(name: str, value: str) -> str | None:
    if check_header_name(name):
        return f"{name!r} is not an HTTP header name"
    if check_header_value(value):
        return f"the value of {name!r} has a line break or NUL"
    return None


class _Target:
    """One signal's destination and what every request to it carries."""

    __slots__ = ("settings", "encoding", "url", "where", "path", "headers", "context", "context_key", "pool", "probe")

    def __init__(self, settings: SignalSettings, encoding: str, headers: urllib3.HTTPHeaderDict):
        self.settings = settings
        self.encoding = encoding
        self.url = settings.endpoint
        scheme, host, port, self.path = destination(settings.endpoint)
        # For messages: no query string (it may hold an API key).
        self.where = f"{scheme}://{host}:{port}{self.path.split('?', 1)[0]}"
        # After a connection failure, the retry's wait ends once the backend accepts connections again.
        self.probe = ConnectProbe(host, port)
        self.headers = headers
        self.context = None
        self.context_key: tuple | None = None
        self.pool: HTTPConnectionPool | None = None


class OtlpHttpExporter(QueuedExporter, OtlpDestinations):
    """Sends OTLP requests over HTTP from worker threads, retrying transient failures.

    Args:
        settings: Its id and telemetry; ``settings.environ`` has the ``OTEL_EXPORTER_OTLP_*`` variables.
        config: The resolved ``otlp_http`` exporter config.

    Raises:
        ValueError: An endpoint is not an http(s) URL, or a TLS file cannot be loaded.
    """

    # Requests are queued serialized (protobuf); the JSON encoding parses them back when it sends.
    accepts_encoded = True

    def __init__(self, settings: CreateSettings, config: Mapping[str, Any]):
        super().__init__(settings, config)
        environ = settings.environ
        self._retry = RetrySettings.from_config(config["retry_on_failure"])
        self._num_consumers = config["sending_queue"]["num_consumers"]
        self._settings = (resolve_http(config, TRACES, environ), resolve_http(config, METRICS, environ))
        contexts: dict[tuple, Any] = {}
        targets = []
        for signal, s in enumerate(self._settings):
            for w in s.warnings:
                log.warning("exporter %s: %s", self.name, w)
            encoding, warning = resolve_encoding(config, signal, environ)
            if warning:
                log.warning("exporter %s: %s", self.name, warning)
            target = _Target(s, encoding, self._headers(s, encoding))
            if not s.insecure:
                if s.insecure_skip_verify:
                    log.warning(
                        "exporter %s: tls.insecure_skip_verify: the certificate of %s is not verified",
                        self.name,
                        target.where,
                    )
                key = (s.ca_file, s.cert_file, s.key_file, s.insecure_skip_verify)
                if key not in contexts:
                    contexts[key] = tls_context(s)
                target.context, target.context_key = contexts[key], key
            targets.append(target)
        self._targets: tuple[_Target, ...] = tuple(targets)
        self._warn_unused_tls(config.get("tls") or {})
        self._pools: Pools | None = None
        self._pools_lock = threading.Lock()

    @property
    def encodings(self) -> tuple[str, str]:
        """The (traces, metrics) encodings: ``proto`` or ``json``."""
        return self._targets[TRACES].encoding, self._targets[METRICS].encoding

    def _headers(self, s: SignalSettings, encoding: str) -> urllib3.HTTPHeaderDict:
        headers = urllib3.HTTPHeaderDict({"User-Agent": USER_AGENT})
        for name, value in s.headers:  # config beats environment (resolved); both may replace User-Agent
            problem = _bad_header(name, value)
            if problem:  # the config's were checked by the schema: this one came from the environment
                log.warning("exporter %s: header ignored: %s", self.name, problem)
                continue
            headers[name] = value
        headers["Content-Type"] = CONTENT_TYPES[encoding]
        if s.compression == "gzip":
            headers["Content-Encoding"] = "gzip"
        else:
            headers.discard("Content-Encoding")
        return headers

    def _warn_unused_tls(self, tls: Mapping[str, Any]) -> None:
        if tls.get("insecure") and any(not t.settings.insecure for t in self._targets):
            log.warning(
                "exporter %s: tls.insecure is not used by otlp_http: an https:// URL is TLS, an http:// one is not",
                self.name,
            )
        files = [k for k in ("ca_file", "cert_file", "key_file") if tls.get(k)]
        if files and any(t.settings.insecure for t in self._targets):
            log.warning("exporter %s: tls.%s not used with an http:// URL (no TLS)", self.name, "/".join(files))

    # -- lifecycle --------------------------------------------------------------------

    def _open(self) -> None:
        with self._pools_lock:
            pools = Pools(self._num_consumers)
            for target in self._targets:
                target.pool = pools.pool_for(target.url, target.context, target.context_key)
            self._pools = pools
        for signal, t in enumerate(self._targets):
            # Not the headers: they may carry credentials.
            log.debug(
                "exporter %s: %s to %s (%s, compression %s)",
                self.name,
                SIGNAL_NAMES[signal],
                t.where,
                t.encoding,
                t.settings.compression,
            )

    def _close(self) -> None:
        with self._pools_lock:
            pools = self._pools
        if pools is not None:
            pools.close()  # also cuts a request still in flight past the deadline

    # -- sending ----------------------------------------------------------------------

    def _encode(self, batch: Batch, target: _Target) -> bytes:
        try:
            if target.encoding == "json":
                request = batch.request
                if isinstance(request, EncodedRequest):
                    request = request.message()
                data = to_otlp_json(request).encode("utf-8")
            else:
                data = batch.request.SerializeToString()
        except Exception as exc:
            raise ExportError(f"cannot encode the request as {target.encoding}: {exc}") from None
        if len(data) > MAX_REQUEST_BYTES:
            raise ExportError(f"request of {len(data)} bytes is over the {MAX_REQUEST_BYTES} bytes limit, not sent")
        if target.settings.compression == "gzip":
            data = gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
        return data

    def _deliver(self, batch: Batch) -> int:
        target = self._targets[batch.signal]
        body = self._encode(batch, target)
        return self._with_retries(self._retry, target.settings.timeout, lambda t: self._attempt(target, batch, body, t))

    def _attempt(self, target: _Target, batch: Batch, body: bytes, timeout: float) -> int:
        try:
            response = post(target.pool, target.path, body, target.headers, timeout)
        except ResponseTooLarge as exc:
            raise ExportError(f"{target.where}: {exc}, not retried") from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            if self._pools is None or self._pools.closed:
                raise ExportError("exporter shut down") from None
            # A read timeout is a slow backend, not a lost one: the full backoff, no probe.  (A
            # refused connection, NewConnectionError, is a ConnectTimeoutError in urllib3's tree.)
            probe = None if isinstance(exc, urllib3.exceptions.ReadTimeoutError) else target.probe
            raise RetryableError(f"{target.where}: {type(exc).__name__}: {clip(str(exc))}", None, probe) from None
        if 200 <= response.status < 300:
            return self._rejected(batch.signal, target, response)
        text = failure_text(response.body, response.content_type)
        reason = f"{target.where}: HTTP {response.status}" + (f": {text}" if text else "")
        if response.status not in RETRYABLE_STATUS:
            raise ExportError(f"permanent error {reason}")
        raise RetryableError(reason, retry_after_seconds(response.retry_after))

    def _rejected(self, signal: int, target: _Target, response: Response) -> int:
        """Items a 2xx response rejected (partial success); an unreadable body rejects none."""
        if response.body is None:
            self._warn(
                "bad_response",
                logging.WARNING,
                "exporter %s: HTTP %d from %s but its body could not be read (%s); counted as delivered",
                self.name,
                response.status,
                target.where,
                response.read_error,
            )
            return 0
        try:
            rejected, message = partial_success(signal, response.body, response.content_type, target.encoding)
        except ValueError as exc:
            self._warn(
                "bad_response",
                logging.WARNING,
                "exporter %s: HTTP %d from %s, %s; counted as delivered",
                self.name,
                response.status,
                target.where,
                exc,
            )
            return 0
        return self._rejected_by_receiver(signal, rejected, clip(message))
