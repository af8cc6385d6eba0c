"""OTLP spans -> :class:`~otel_ebpf.model.HttpExchange`, so received HTTP and gRPC spans go through our processors.

Only SERVER and CLIENT spans are converted, and only those of an HTTP request (an HTTP method
attribute) or of a gRPC call (``rpc.system.name`` or ``rpc.system`` ``grpc``); the others are not
HTTP exchanges (internal work, messaging, database calls, other RPC systems) and are counted in
:class:`SpanConversionStats`.  Both the stable HTTP semantic conventions and the older names
(v1.20 and before) are read, the stable name winning when a span carries both:

================================  ==========================================
HttpExchange field                attributes
================================  ==========================================
method                            ``http.request.method``, ``http.method``
status_code                       ``http.response.status_code``, ``http.status_code``
route                             ``http.route`` (None when absent)
path, query                       ``url.path`` + ``url.query``, ``http.target``, else ``url.full``/``http.url``
error_type                        ``error.type``
http_version                      ``network.protocol.version``, ``http.flavor``
peer_address                      ``network.peer.address``, ``client.address`` (server),
                                  ``server.address`` (client), ``net.sock.peer.addr``
peer_port                         ``network.peer.port``, ``client.port`` (server), ``server.port`` (client)
local_port                        ``server.port`` (server spans), ``net.host.port``
request_headers                   ``user-agent`` from ``user_agent.original``; ``host`` from
                                  ``server.address`` on client spans (the duration metric's
                                  ``server.address`` is read from it)
attributes                        ``otel_ebpf.error.kind`` / ``.type`` / ``.severity``
status_override                   ``STATUS_ERROR`` when the span status is ERROR
================================  ==========================================

**gRPC.** A gRPC span becomes the exchange the ``ebpf`` receiver makes of the same call on the
wire (an HTTP/2 ``POST`` of ``/package.Service/Method`` answered ``200``, its ``grpc-status`` in
``rpc_status``), so every processor sees one call the same way whichever receiver made it.  The
RPC conventions of semantic-conventions 1.39 and later (release candidate) are read, and the
experimental ones of 1.38 and before, the newer name winning when a span carries both
(``OTEL_SEMCONV_STABILITY_OPT_IN=rpc/dup``):

================================  ==========================================
HttpExchange field                attributes, or value
================================  ==========================================
rpc_system                        ``"grpc"``: ``rpc.system.name``, ``rpc.system``
rpc_method                        ``rpc.method`` when fully qualified (``package.Service/Method``; a
                                  leading ``/`` dropped); else ``rpc.service`` + ``/`` + ``rpc.method``
                                  (<= 1.38); ``rpc.method_original`` when ``rpc.method`` is ``_OTHER``;
                                  ``_OTHER`` when the span names no method
rpc_status                        ``rpc.status_code`` (after 1.44), ``rpc.response.status_code``
                                  (1.39-1.44): a status name (``NOT_FOUND``) or number (``"5"``);
                                  ``rpc.grpc.status_code`` (<= 1.38, a number); None when absent
method                            ``"POST"``
path, route, target               ``"/" + rpc_method``
http_version                      ``"2"``
status_code                       ``http.response.status_code``/``http.status_code`` if the span has
                                  one, else ``200`` when ``rpc_status`` is known, else None
error_type                        ``error.type``, only when no ``rpc_status`` is known (the call
                                  failed before a status: the status is the outcome otherwise)
(the others)                      as for HTTP spans: ports, peer, ``host`` header, kept attributes,
                                  times, ids, ``status_override``
================================  ==========================================

Other RPC systems (``connectrpc``, ``jsonrpc``, ``dubbo``, ...) stay ``not_http`` unless they
carry an HTTP method: their status codes are not gRPC's, and
:mod:`~otel_ebpf.telemetry.rpc` (``classify_rpc``, ``effective_status``) judges an
``rpc_status`` as a gRPC status code.

A value of the wrong type (an array for a method, a status neither a gRPC status name nor a
number, a non-numeric HTTP status) makes the span ``invalid``: counted, never raised.

This module does not import grpc: it is a pure function over the decoded request.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from otel_ebpf.model import SPAN_KIND_CLIENT, SPAN_KIND_SERVER, STATUS_ERROR, HttpExchange, Role
from otel_ebpf.receivers.otlp.resources import ProcessCache, to_python
from otel_ebpf.telemetry.rpc import GRPC, STATUS_CODES

__all__ = ["SpanConversionStats", "exchanges_from_spans"]

# Span attributes read into an exchange.  Anything else on the span is not carried over: the
# span built from the exchange is a re-derivation, not a copy (see the package docstring).
_METHOD = ("http.request.method", "http.method")
_STATUS = ("http.response.status_code", "http.status_code")
# Newest name first: rpc.status_code replaced rpc.response.status_code after 1.44, which
# replaced rpc.grpc.status_code (a number) in 1.39; rpc.system.name replaced rpc.system.
_RPC_SYSTEM = ("rpc.system.name", "rpc.system")
_RPC_STATUS = ("rpc.status_code", "rpc.response.status_code", "rpc.grpc.status_code")
_KEPT_ATTRIBUTES = ("otel_ebpf.error.kind", "otel_ebpf.error.type", "otel_ebpf.error.severity")
_WANTED = frozenset(
    (
        *_METHOD,
        *_STATUS,
        *_KEPT_ATTRIBUTES,
        *_RPC_SYSTEM,
        *_RPC_STATUS,
        "rpc.method",
        "rpc.method_original",
        "rpc.service",
        "http.request.method_original",
        "http.route",
        "url.path",
        "url.query",
        "url.full",
        "url.scheme",
        "http.target",
        "http.url",
        "error.type",
        "network.protocol.version",
        "http.flavor",
        "network.peer.address",
        "network.peer.port",
        "client.address",
        "client.port",
        "server.address",
        "server.port",
        "net.sock.peer.addr",
        "net.sock.peer.port",
        "net.peer.name",
        "net.peer.port",
        "net.host.port",
        "user_agent.original",
        "http.user_agent",
    )
)
_ROLES = {SPAN_KIND_SERVER: Role.SERVER, SPAN_KIND_CLIENT: Role.CLIENT}
_OTHER = "_OTHER"


@dataclass
class SpanConversionStats:
    """What :func:`exchanges_from_spans` did with the spans it saw (running totals).

    Attributes:
        converted: Spans turned into exchanges (HTTP requests and gRPC calls).
        not_http: SERVER/CLIENT spans that are neither an HTTP request (no HTTP method attribute)
            nor a gRPC call (no ``rpc.system.name``/``rpc.system`` ``grpc``): other RPC systems too.
        other_kind: Spans of another kind (INTERNAL, PRODUCER, CONSUMER, unspecified).
        invalid: Spans whose attributes could not be read (a wrong type, e.g. a non-numeric status).
    """

    converted: int = 0
    not_http: int = 0
    other_kind: int = 0
    invalid: int = 0

    def as_counters(self, prefix: str = "otel_ebpf.receiver.otlp.spans") -> dict[tuple[str, tuple], int]:
        """The counts in :meth:`SelfMetrics.register_callback` form, one series per outcome."""
        return {
            (prefix, (("outcome", "converted"),)): self.converted,
            (prefix, (("outcome", "not_http"),)): self.not_http,
            (prefix, (("outcome", "other_kind"),)): self.other_kind,
            (prefix, (("outcome", "invalid"),)): self.invalid,
        }


def exchanges_from_spans(
    request: ExportTraceServiceRequest,
    process_cache: ProcessCache,
    stats: SpanConversionStats | None = None,
) -> list[HttpExchange]:
    """The HTTP exchanges described by the SERVER and CLIENT spans of an export request.

    Args:
        request: A decoded ``ExportTraceServiceRequest``; it is not modified.
        process_cache: Resolves each resource to a :class:`ProcessInfo` (shared across requests).
        stats: Optional running counts of converted and skipped spans.

    Returns:
        One exchange per HTTP or gRPC span, in request order.  Times are the span's (epoch ns);
        ``trace_id``/``span_id``/``parent_span_id`` are the span's bytes.
    """
    if stats is None:
        stats = SpanConversionStats()
    out: list[HttpExchange] = []
    for resource_spans in request.resource_spans:
        process = process_cache.get(resource_spans.resource)
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                role = _ROLES.get(span.kind)
                if role is None:
                    stats.other_kind += 1
                    continue
                attrs = {kv.key: kv.value for kv in span.attributes if kv.key in _WANTED}
                # A gRPC span may carry HTTP attributes too (an HTTP server span enriched with
                # rpc.*): it is a gRPC call, as the ebpf receiver would see it.
                if _first(attrs, _RPC_SYSTEM) == GRPC:
                    convert = _grpc_exchange
                elif _first(attrs, _METHOD) is not None:
                    convert = _exchange
                else:
                    stats.not_http += 1
                    continue
                try:
                    exchange = convert(span, attrs, role)
                except (TypeError, ValueError):
                    stats.invalid += 1
                    continue
                exchange.process = process
                exchange.pid = process.pid
                out.append(exchange)
                stats.converted += 1
    return out


def _first(attrs: dict, names: tuple[str, ...]) -> object:
    """The value of the first of ``names`` present (stable name first), or None."""
    for name in names:
        value = attrs.get(name)
        if value is not None:
            python = to_python(value)
            if python is not None and python != "":
                return python
    return None


def _str(attrs: dict, *names: str) -> str:
    value = _first(attrs, names)
    return "" if value is None else str(value)


def _text(attrs: dict, name: str) -> str:
    """A string attribute that must be one (a method name): anything else raises TypeError."""
    value = _first(attrs, (name,))
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"{name} is not a string")
    return value


def _int(attrs: dict, *names: str) -> int | None:
    """An integer attribute; some instrumentations send ports and status codes as strings."""
    value = _first(attrs, names)
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, (bytes, tuple, dict)):
        raise TypeError(f"{names[0]} is not a number")
    return int(value)  # "200" -> 200; "abc" raises ValueError: the span is counted invalid


def _exchange(span, attrs: dict, role: Role) -> HttpExchange:
    ex = HttpExchange()
    ex.role = role
    method = _str(attrs, *_METHOD)
    if method == _OTHER:
        # Our span builder re-normalises the method; give it the original to put back.
        method = _str(attrs, "http.request.method_original") or method
    ex.method = method
    ex.status_code = _int(attrs, *_STATUS)
    route = _str(attrs, "http.route")
    ex.route = route or None
    _fill_target(ex, attrs)
    if _str(attrs, "url.scheme") == "https" or (_str(attrs, "url.full", "http.url") or "").startswith("https:"):
        ex.scheme = "https"
    ex.error_type = _str(attrs, "error.type") or None
    version = _str(attrs, "network.protocol.version", "http.flavor")
    if version:
        ex.http_version = version
    _fill_common(ex, span, attrs, role)
    return ex


def _grpc_exchange(span, attrs: dict, role: Role) -> HttpExchange:
    """A gRPC call as the ebpf receiver sees it on the wire (see the module docstring)."""
    ex = HttpExchange()
    ex.role = role
    ex.method = "POST"
    ex.http_version = "2"
    method = _rpc_method(attrs)
    ex.rpc_system = GRPC
    ex.rpc_method = method
    ex.path = ex.target = ex.route = "/" + method
    status = _rpc_status(attrs)
    ex.rpc_status = status
    http_status = _int(attrs, *_STATUS)  # a span that is the HTTP/2 request too says what it was
    ex.status_code = http_status if http_status is not None else (200 if status is not None else None)
    if status is None:
        # A status is the outcome; error.type then only repeats it (NOT_FOUND), and a
        # caller's error must not read as a failure without an answer.
        ex.error_type = _str(attrs, "error.type") or None
    if _str(attrs, "url.scheme") == "https":
        ex.scheme = "https"
    _fill_common(ex, span, attrs, role)
    return ex


def _rpc_method(attrs: dict) -> str:
    """``package.Service/Method`` from the current (fully qualified) or the <= 1.38 (split) names."""
    method = _text(attrs, "rpc.method")
    if method == _OTHER:
        return _text(attrs, "rpc.method_original").removeprefix("/") or _OTHER
    if not method:
        return _OTHER
    method = method.removeprefix("/")  # the HTTP/2 :path, as some instrumentations record it
    if "/" not in method:
        service = _text(attrs, "rpc.service")  # <= 1.38: rpc.service "pkg.Service", rpc.method "Method"
        if service:
            return f"{service}/{method}"
    return method


def _rpc_status(attrs: dict) -> int | None:
    """The gRPC status code: a name (``NOT_FOUND``), a number, or a number as a string; None when absent.

    Raises ValueError for a string that is neither (the span is counted invalid) and TypeError
    for a value of another type.
    """
    value = _first(attrs, _RPC_STATUS)
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        code = STATUS_CODES.get(text.upper())
        if code is not None:
            return code
        if text.removeprefix("-").isdigit() and len(text) <= 11:
            return int(text)  # "5"; a code gRPC does not define is kept (judged as a server failure)
        raise ValueError(f"rpc status {value!r} is neither a gRPC status name nor a number")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError("the rpc status is neither a string nor an integer")


def _fill_common(ex: HttpExchange, span, attrs: dict, role: Role) -> None:
    """Addresses, ports, headers, kept attributes, times, ids and status: the same for HTTP and gRPC."""
    server_address = _str(attrs, "server.address", "net.peer.name")
    server_port = _int(attrs, "server.port")
    if role == Role.SERVER:
        ex.peer_address = _str(attrs, "network.peer.address", "client.address", "net.sock.peer.addr")
        ex.peer_port = _int(attrs, "network.peer.port", "client.port", "net.sock.peer.port") or 0
        ex.local_port = server_port or _int(attrs, "net.host.port") or 0
    else:
        ex.peer_address = _str(attrs, "network.peer.address", "net.sock.peer.addr") or server_address
        ex.peer_port = server_port or _int(attrs, "network.peer.port", "net.peer.port", "net.sock.peer.port") or 0

    # Fresh dicts only when there is something to put in them: most spans share the defaults'
    # cost (HttpExchange creates empty ones anyway).
    user_agent = _str(attrs, "user_agent.original", "http.user_agent")
    if user_agent:
        ex.request_headers["user-agent"] = user_agent
    if role == Role.CLIENT and server_address:
        ex.request_headers["host"] = server_address
    for name in _KEPT_ATTRIBUTES:
        value = attrs.get(name)
        if value is not None:
            ex.attributes[name] = to_python(value)

    ex.start_time_ns = span.start_time_unix_nano
    ex.end_time_ns = span.end_time_unix_nano
    ex.trace_id = span.trace_id
    ex.span_id = span.span_id
    ex.parent_span_id = span.parent_span_id
    if span.status.code == STATUS_ERROR:
        ex.status_override = STATUS_ERROR
        ex.status_message = span.status.message


def _fill_target(ex: HttpExchange, attrs: dict) -> None:
    """path, query and target from ``url.path``/``url.query``, ``http.target`` or a full URL."""
    path = _str(attrs, "url.path")
    query = _str(attrs, "url.query")
    if not path:
        target = _str(attrs, "http.target")
        if target:
            path, _, target_query = target.partition("?")
            query = query or target_query
        else:
            full = _str(attrs, "url.full", "http.url")
            if full:
                parts = urlsplit(full)  # ValueError on a malformed URL: the span is counted invalid
                path, query = parts.path or "/", query or parts.query
    ex.path = path
    ex.query = query
    ex.target = f"{path}?{query}" if query else path
