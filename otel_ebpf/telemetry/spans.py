"""``HttpExchange`` records -> one OTLP ``ExportTraceServiceRequest``.

Spans follow the stable HTTP semantic conventions (see :mod:`otel_ebpf.telemetry.semconv`
for status and ``error.type``).  Each span is encoded straight to protobuf wire bytes with the
helpers of :mod:`otel_ebpf.telemetry.attributes`; upb parses one buffer per resource, which
is ~1.5x faster than filling ``Span`` messages field by field (see that module's docstring).

Span name: ``{method}`` or ``{method} {http.route}``, where ``{method}`` is ``HTTP`` for a
method outside the known set (semconv: ``http.request.method`` is then ``_OTHER``).

A gRPC call (``exchange.rpc_system``) is an RPC span instead (RPC conventions, release candidate:
see :mod:`otel_ebpf.telemetry.rpc`): name ``{rpc.method}``; ``rpc.system.name``, ``rpc.method``,
``rpc.response.status_code``, ``network.protocol.version``, ``network.peer.*``, ``server.*``,
``error.type``; the ``grpc-message`` of a failed call, scrubbed, is the status message.

Attribute order: ``http.request.method`` (+ ``http.request.method_original``), ``url.path``,
``url.scheme``, ``url.query``, ``http.response.status_code``, ``http.route``,
``network.protocol.version``, ``network.peer.address``, ``network.peer.port``,
``user_agent.original``, body sizes, ``server.address``, ``server.port``, then
``client.address`` (SERVER) or ``url.full`` (CLIENT), ``error.type``, captured headers,
captured bodies, and finally the processors' ``exchange.attributes``.  Processor attributes
never replace one of the keys this module emits (:data:`RESERVED_KEYS`), except
``error.type``, where a processor's classification is the more specific one.
"""

from __future__ import annotations

import logging
import os
import struct
from collections.abc import Iterable
from urllib.parse import unquote

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import InstrumentationScope
from opentelemetry.proto.trace.v1.trace_pb2 import ScopeSpans

from otel_ebpf.model import STATUS_ERROR, EncodedRequest, HttpExchange, ProcessInfo, Role
from otel_ebpf.telemetry.attributes import (
    VARINT,
    cached_int_attr,
    cached_str_attr,
    encode_attr,
    int_attr,
    key_prefix,
    str_array_attr,
    str_attr,
    varint,
)
from otel_ebpf.telemetry.hosts import authority_from_peer, forwarded_client, parse_host
from otel_ebpf.telemetry.redaction import REDACTED, Redactor
from otel_ebpf.telemetry.resource import UNKNOWN_PROCESS, resource_message
from otel_ebpf.telemetry.rpc import status_name
from otel_ebpf.telemetry.self_metrics import CounterSet
from otel_ebpf.telemetry.semconv import (
    KNOWN_METHODS,
    OTHER,
    OTHER_SPAN_NAME_METHOD,
    SCHEMA_URL,
    classify,
    register_method_memo,
)

__all__ = ["RESERVED_KEYS", "SCOPE_NAME", "build_trace_request", "encode_request", "encode_spans"]

logger = logging.getLogger(__name__)

SCOPE_NAME = "otel_ebpf"

RESERVED_KEYS = frozenset(
    {
        "http.request.method",
        "http.request.method_original",
        "url.path",
        "url.scheme",
        "url.query",
        "url.full",
        "http.response.status_code",
        "http.route",
        "network.protocol.version",
        "network.peer.address",
        "network.peer.port",
        "user_agent.original",
        "http.request.body.size",
        "http.response.body.size",
        "server.address",
        "server.port",
        "client.address",
        "error.type",
        "otel_ebpf.http.request.body",
        "otel_ebpf.http.response.body",
        "rpc.system.name",
        "rpc.method",
        "rpc.method_original",
        "rpc.response.status_code",
    }
)

_CLIENT = Role.CLIENT
_SERVER = Role.SERVER
_pack_u64 = struct.Struct("<Q").pack
_ZERO_TRACE = bytes(16)
_ZERO_SPAN = bytes(8)

# Pre-encoded key prefixes.
_K_METHOD = key_prefix("http.request.method")
_K_METHOD_ORIGINAL = key_prefix("http.request.method_original")
_K_PATH = key_prefix("url.path")
_K_QUERY = key_prefix("url.query")
_K_FULL = key_prefix("url.full")
_K_STATUS = key_prefix("http.response.status_code")
_K_ROUTE = key_prefix("http.route")
_K_VERSION = key_prefix("network.protocol.version")
_K_PEER_ADDR = key_prefix("network.peer.address")
_K_PEER_PORT = key_prefix("network.peer.port")
_K_UA = key_prefix("user_agent.original")
_K_REQ_SIZE = key_prefix("http.request.body.size")
_K_RESP_SIZE = key_prefix("http.response.body.size")
_K_SERVER_ADDR = key_prefix("server.address")
_K_SERVER_PORT = key_prefix("server.port")
_K_CLIENT_ADDR = key_prefix("client.address")
_K_ERROR = key_prefix("error.type")
_K_REQ_BODY = key_prefix("otel_ebpf.http.request.body")
_K_RESP_BODY = key_prefix("otel_ebpf.http.response.body")
_K_RPC_METHOD = key_prefix("rpc.method")
_K_RPC_METHOD_ORIGINAL = key_prefix("rpc.method_original")
_K_RPC_STATUS = key_prefix("rpc.response.status_code")
_K_RPC_SYSTEM = key_prefix("rpc.system.name")

# Fully pre-encoded constant attributes.
_SCHEME_HTTP = str_attr(key_prefix("url.scheme"), "http")
_SCHEME_HTTPS = str_attr(key_prefix("url.scheme"), "https")
_METHOD_OTHER = str_attr(_K_METHOD, OTHER)
_m_method: dict[str, bytes] = {}  # known methods only; cleared when the known set changes
register_method_memo(_m_method)

# Memo tables for attributes with few distinct values (bounded in attributes.cached_*).
_m_route: dict[str, bytes] = {}
_m_version: dict[str, bytes] = {}
_m_peer_addr: dict[str, bytes] = {}
_m_ua: dict[str, bytes] = {}
_m_server_addr: dict[str, bytes] = {}
_m_client_addr: dict[str, bytes] = {}
_m_error: dict[str, bytes] = {}
_m_status: dict[int, bytes] = {}
_m_server_port: dict[int, bytes] = {}
_m_name: dict[str, bytes] = {}
# Paths and body sizes repeat too (a service answers the same few documents); a miss costs one
# insert, and the memo is emptied when full (attributes.MEMO_MAX).  With them: 2.85 -> 2.2 µs
# a span (900 GET spans of 500 paths, one body size; development VM).
_m_path: dict[str, bytes] = {}
_PATH_MEMO_MAX_LEN = 128  # longer paths are encoded every time: the memo stays under ~1 MB
_m_req_size: dict[int, bytes] = {}
_m_resp_size: dict[int, bytes] = {}
_m_rpc_system: dict[str, bytes] = {}
_m_rpc_method: dict[str, bytes] = {}
_m_rpc_status: dict[str, bytes] = {}
_pack_times = struct.Struct("<cQcQ").pack

# Span field tags: trace_id 1, span_id 2, parent_span_id 4, name 5, kind 6, start 7 (fixed64),
# end 8 (fixed64), status 15, flags 16 (fixed32).  ScopeSpans.spans is field 2.
_KIND = {_SERVER: b"\x30\x02", _CLIENT: b"\x30\x03"}
_KIND_INTERNAL = b"\x30\x01"
# Span.flags: bits 0-7 W3C trace flags (sampled: we export it), bit 8 "is_remote is known",
# bit 9 "parent is remote".  A SERVER span's parent came over the wire (traceparent), so it is
# remote; a CLIENT span's parent may be the local server span: claim nothing.
_FLAGS_ROOT = b"\x85\x01" + struct.pack("<I", 0x101)
_FLAGS_REMOTE_PARENT = b"\x85\x01" + struct.pack("<I", 0x301)
_FLAGS_UNKNOWN_PARENT = b"\x85\x01" + struct.pack("<I", 0x001)
_STATUS_ERROR = b"\x7a\x02\x18\x02"  # Status{code: ERROR}
_STATUS_OK = b"\x7a\x02\x18\x01"


def _encode_span(ex: HttpExchange, redactor: Redactor) -> bytes:
    """Encode one exchange as a ``ScopeSpans.spans`` entry (tag + length + Span bytes)."""
    role = ex.role
    is_client = role == _CLIENT
    headers = ex.request_headers

    trace_id = ex.trace_id
    if len(trace_id) != 16 or trace_id == _ZERO_TRACE:
        trace_id = os.urandom(16)
    span_id = ex.span_id
    if len(span_id) != 8 or span_id == _ZERO_SPAN:
        span_id = os.urandom(8)
    parent = ex.parent_span_id
    parts = [b"\x0a\x10", trace_id, b"\x12\x08", span_id]
    if len(parent) == 8 and parent != _ZERO_SPAN:
        parts.append(b"\x22\x08")
        parts.append(parent)
        flags = _FLAGS_UNKNOWN_PARENT if is_client else _FLAGS_REMOTE_PARENT
    else:
        flags = _FLAGS_ROOT

    if ex.rpc_system:
        return _encode_rpc_span(ex, redactor, parts, flags)

    method = ex.method
    method_attr = _m_method.get(method)
    if method_attr is not None:
        name_method = method
    elif method in KNOWN_METHODS:
        method_attr = cached_str_attr(_m_method, _K_METHOD, method)
        name_method = method
    else:
        name_method = OTHER_SPAN_NAME_METHOD
        method_attr = _METHOD_OTHER
        if method:
            method_attr += str_attr(_K_METHOD_ORIGINAL, method)
    route = ex.route or None
    parts.append(_name_field(name_method if route is None else f"{name_method} {route}"))
    parts.append(_KIND.get(role, _KIND_INTERNAL))
    parts.append(_pack_times(b"\x39", ex.start_time_ns, b"\x41", ex.end_time_ns))

    # -- attributes --
    parts.append(method_attr)
    path = ex.path
    if not path and ex.target:
        path = ex.target.partition("?")[0]
    if path:
        if len(path) <= _PATH_MEMO_MAX_LEN:
            parts.append(_m_path.get(path) or cached_str_attr(_m_path, _K_PATH, path))
        else:
            parts.append(str_attr(_K_PATH, path))
    parts.append(_SCHEME_HTTPS if ex.scheme == "https" else _SCHEME_HTTP)
    query = ex.query
    if query:
        query = redactor.redact_query(query)
        parts.append(str_attr(_K_QUERY, query))
    status_code = ex.status_code
    if status_code is not None:
        parts.append(_m_status.get(status_code) or cached_int_attr(_m_status, _K_STATUS, status_code))
    if route is not None:
        parts.append(_m_route.get(route) or cached_str_attr(_m_route, _K_ROUTE, route))
    _network_attributes(ex, parts)
    peer_addr = ex.peer_address
    ua = headers.get("user-agent")
    if ua:
        parts.append(_m_ua.get(ua) or cached_str_attr(_m_ua, _K_UA, ua))
    size = ex.request_body_size
    parts.append(_m_req_size.get(size) or cached_int_attr(_m_req_size, _K_REQ_SIZE, size))
    if status_code is not None:
        size = ex.response_body_size
        parts.append(_m_resp_size.get(size) or cached_int_attr(_m_resp_size, _K_RESP_SIZE, size))

    authority = _server_attributes(ex, headers, is_client, parts)
    if is_client:
        scheme = ex.scheme
        url = f"{scheme}://{authority}{path}?{query}" if query else f"{scheme}://{authority}{path}"
        parts.append(str_attr(_K_FULL, url))
    else:
        client_addr = peer_addr
        if "x-forwarded-for" in headers or "forwarded" in headers:
            client_addr = forwarded_client(headers) or peer_addr
        if client_addr:
            parts.append(
                _m_client_addr.get(client_addr) or cached_str_attr(_m_client_addr, _K_CLIENT_ADDR, client_addr)
            )

    status, error_type = classify(ex)
    if error_type is not None:
        parts.append(_m_error.get(error_type) or cached_str_attr(_m_error, _K_ERROR, error_type))
    _captured_headers(ex, headers, redactor, parts)
    if redactor.capture_body:
        if ex.request_body:
            body = redactor.redact_body(ex.request_body, headers.get("content-type"))
            parts.append(str_attr(_K_REQ_BODY, body))
        if ex.response_body:
            body = redactor.redact_body(ex.response_body, ex.response_headers.get("content-type"))
            parts.append(str_attr(_K_RESP_BODY, body))
    return _span_tail(ex, redactor, parts, status, ex.status_message, flags)


def _network_attributes(ex: HttpExchange, parts: list[bytes]) -> None:
    """``network.protocol.version``, ``network.peer.address`` and ``.port``."""
    version = ex.http_version
    if version:
        parts.append(_m_version.get(version) or cached_str_attr(_m_version, _K_VERSION, version))
    peer_addr = ex.peer_address
    if peer_addr:
        parts.append(_m_peer_addr.get(peer_addr) or cached_str_attr(_m_peer_addr, _K_PEER_ADDR, peer_addr))
    if ex.peer_port:
        parts.append(int_attr(_K_PEER_PORT, ex.peer_port))


def _name_field(name: str) -> bytes:
    """The span's name field (memoised: names are a service's routes)."""
    name_field = _m_name.get(name)
    if name_field is None:
        nb = name.encode("utf-8", "replace")
        name_field = b"\x2a" + varint(len(nb)) + nb
        if len(_m_name) >= 4096:
            _m_name.clear()
        _m_name[name] = name_field
    return name_field


def _server_attributes(ex: HttpExchange, headers: dict, is_client: bool, parts: list[bytes]) -> str:
    """Appends ``server.address`` and ``server.port``; returns the authority (for a client's ``url.full``)."""
    host_header = headers.get("host")
    peer_addr = ex.peer_address
    authority = ""
    if is_client:
        if host_header:
            server_addr, _, authority = parse_host(host_header)
        else:
            server_addr = ""
            authority = authority_from_peer(peer_addr, ex.peer_port)
        server_addr = server_addr or peer_addr
        server_port = ex.peer_port
    elif host_header:
        server_addr, server_port, _ = parse_host(host_header)
        server_addr = server_addr or ex.local_address
        server_port = server_port or ex.local_port
    else:
        server_addr = ex.local_address
        server_port = ex.local_port
    if server_addr:
        parts.append(_m_server_addr.get(server_addr) or cached_str_attr(_m_server_addr, _K_SERVER_ADDR, server_addr))
    if server_port:
        parts.append(_m_server_port.get(server_port) or cached_int_attr(_m_server_port, _K_SERVER_PORT, server_port))
    return authority


def _captured_headers(ex: HttpExchange, headers: dict, redactor: Redactor, parts: list[bytes]) -> None:
    """The headers the configuration asked for, secrets redacted and free text scrubbed."""
    if redactor.request_capture:
        for attr_key, header, secret in redactor.request_capture:
            value = headers.get(header)
            if value is not None:
                value = REDACTED if secret else redactor.scrub_text(value)
                parts.append(str_array_attr(key_prefix(attr_key), [value]))
    if redactor.response_capture:
        resp_headers = ex.response_headers
        for attr_key, header, secret in redactor.response_capture:
            value = resp_headers.get(header)
            if value is not None:
                value = REDACTED if secret else redactor.scrub_text(value)
                parts.append(str_array_attr(key_prefix(attr_key), [value]))


def _encode_rpc_span(ex: HttpExchange, redactor: Redactor, parts: list[bytes], flags: bytes) -> bytes:
    """The RPC span of a gRPC call (see the module docstring), after its ids."""
    method = ex.rpc_method
    valid = "/" in method and not method.startswith("/") and not method.endswith("/")
    parts.append(_name_field(method if valid else ex.rpc_system))
    parts.append(_KIND.get(ex.role, _KIND_INTERNAL))
    parts.append(_pack_times(b"\x39", ex.start_time_ns, b"\x41", ex.end_time_ns))
    system = ex.rpc_system
    parts.append(_m_rpc_system.get(system) or cached_str_attr(_m_rpc_system, _K_RPC_SYSTEM, system))
    if valid:
        parts.append(_m_rpc_method.get(method) or cached_str_attr(_m_rpc_method, _K_RPC_METHOD, method))
    else:
        parts.append(_m_rpc_method.get(OTHER) or cached_str_attr(_m_rpc_method, _K_RPC_METHOD, OTHER))
        if method:
            parts.append(str_attr(_K_RPC_METHOD_ORIGINAL, method))
    code = ex.rpc_status
    if code is not None and code >= 0:  # (STATUS_UNDECODED: not known, not reported)
        name = status_name(code)
        parts.append(_m_rpc_status.get(name) or cached_str_attr(_m_rpc_status, _K_RPC_STATUS, name))
    _network_attributes(ex, parts)
    headers = ex.request_headers
    _server_attributes(ex, headers, ex.role == _CLIENT, parts)
    status, error_type = classify(ex)
    if error_type is not None:
        parts.append(_m_error.get(error_type) or cached_str_attr(_m_error, _K_ERROR, error_type))
    _captured_headers(ex, headers, redactor, parts)
    # gRPC bodies are length-prefixed protobuf, not text: never exported as a body attribute.
    message = ex.status_message or _grpc_message(ex.response_headers)
    return _span_tail(ex, redactor, parts, status, message, flags)


def _grpc_message(headers: dict) -> str:
    """A call's ``grpc-message``: percent-encoded UTF-8 on the wire (gRPC's HTTP/2 protocol)."""
    value = headers.get("grpc-message")
    if not value:
        return ""
    return unquote(value, errors="replace") if "%" in value else value


def _span_tail(
    ex: HttpExchange, redactor: Redactor, parts: list[bytes], status: int, message: str, flags: bytes
) -> bytes:
    """The processors' attributes, the status and the flags; the span's entry, framed."""
    extra = ex.attributes
    if extra:
        for key, value in extra.items():
            if key not in RESERVED_KEYS and value is not None:
                parts.append(encode_attr(key, value))

    # -- status, flags --
    if status == STATUS_ERROR:
        if message:
            # Free text from a processor (or a received span): the last gate before it leaves.
            mb = redactor.scrub_text(message).encode("utf-8", "replace")
            body = b"\x12" + varint(len(mb)) + mb + b"\x18\x02"
            parts.append(b"\x7a" + varint(len(body)) + body)
        else:
            parts.append(_STATUS_ERROR)
    elif status:
        parts.append(_STATUS_OK)
    parts.append(flags)

    span = b"".join(parts)
    try:
        return b"\x12" + VARINT[len(span)] + span
    except IndexError:
        return b"\x12" + varint(len(span)) + span


def build_trace_request(
    exchanges: Iterable[HttpExchange],
    redactor: Redactor,
    scope_version: str,
    *,
    skipped: CounterSet | None = None,
) -> ExportTraceServiceRequest:
    """Build the OTLP trace request for a batch of (already sampled) exchanges.

    Args:
        exchanges: The exchanges to export, any order; grouped by ``exchange.process.key``.
        redactor: Redaction policy (query values, captured headers, bodies).
        scope_version: Version of the ``otel_ebpf`` instrumentation scope.
        skipped: Optional counter incremented (attribute ``reason``) for each exchange that
            could not be encoded; such exchanges are dropped, never raised.

    Returns:
        One ``ResourceSpans`` per distinct process, each with one ``ScopeSpans``.
    """
    groups: SpanGroups = {}
    encode_spans(exchanges, redactor, groups, skipped=skipped)
    return assemble_request(groups, scope_version, skipped=skipped)


# process key -> (the process, its spans already encoded as protobuf bytes)
SpanGroups = dict[tuple, tuple[ProcessInfo, list[bytes]]]


def encode_spans(
    exchanges: Iterable[HttpExchange],
    redactor: Redactor,
    groups: SpanGroups,
    *,
    skipped: CounterSet | None = None,
) -> int:
    """Encodes exchanges into `groups` at once, so a batch holds ~0.5 KB per span, not the records.

    Returns how many spans were added.
    """
    added = 0
    last_key: tuple | None = None
    last_parts: list[bytes] = []
    for ex in exchanges:
        try:
            process = ex.process or UNKNOWN_PROCESS
            key = process.key
            if key != last_key:
                group = groups.get(key)
                if group is None:
                    group = groups[key] = (process, [])
                last_key, last_parts = key, group[1]
            last_parts.append(_encode_span(ex, redactor))
            added += 1
        except Exception:  # bad record: count and drop, never lose the batch
            logger.debug("cannot encode exchange %r", ex, exc_info=True)
            if skipped is not None:
                skipped.add(1, (("reason", "encode_error"),))
    return added


# process key -> the ResourceSpans.resource field (tag, length, Resource bytes); scope version ->
# the ScopeSpans.scope field.  Bounded like the resource memo: processes come and go.
_resource_fields: dict[tuple, bytes] = {}
_scope_fields: dict[str, bytes] = {}
_RESOURCE_FIELDS_MAX = 4096
_SCHEMA_FIELD = b"\x1a" + varint(len(SCHEMA_URL.encode())) + SCHEMA_URL.encode()  # ScopeSpans.schema_url


def _field(tag: bytes, payload: bytes) -> bytes:
    return tag + varint(len(payload)) + payload


def encode_request(groups: SpanGroups, scope_version: str) -> EncodedRequest:
    """The serialized ``ExportTraceServiceRequest`` of encoded spans (see `encode_spans`), with no
    protobuf message in between: the same bytes `assemble_request`'s message serializes to
    (fields in number order), for an exporter that sends bytes as they are.

    The spans are not parsed back: the encoder emits valid UTF-8 and well-formed fields only, and
    what it cannot encode it skips (counted) before it gets here.
    """
    scope = _scope_fields.get(scope_version)
    if scope is None:
        scope = _scope_fields[scope_version] = _field(
            b"\x0a", InstrumentationScope(name=SCOPE_NAME, version=scope_version).SerializeToString()
        )
    out = []
    items = 0
    for process, parts in groups.values():
        if not parts:
            continue
        resource = _resource_fields.get(process.key)
        if resource is None:
            if len(_resource_fields) >= _RESOURCE_FIELDS_MAX:
                _resource_fields.clear()
            resource = _resource_fields[process.key] = _field(b"\x0a", resource_message(process).SerializeToString())
        items += len(parts)
        scope_spans = b"".join((scope, *parts, _SCHEMA_FIELD))
        resource_spans = resource + b"\x12" + varint(len(scope_spans)) + scope_spans
        out.append(b"\x0a" + varint(len(resource_spans)))
        out.append(resource_spans)
    return EncodedRequest(b"".join(out), items, ExportTraceServiceRequest)


def assemble_request(
    groups: SpanGroups, scope_version: str, *, skipped: CounterSet | None = None
) -> ExportTraceServiceRequest:
    """One ``ResourceSpans`` per process from encoded spans (see `encode_spans`)."""
    request = ExportTraceServiceRequest()
    for process, parts in groups.values():
        if not parts:
            continue
        resource_spans = request.resource_spans.add()
        resource_spans.resource.CopyFrom(resource_message(process))
        scope_spans = resource_spans.scope_spans.add()
        scope_spans.scope.name = SCOPE_NAME
        scope_spans.scope.version = scope_version
        scope_spans.schema_url = SCHEMA_URL
        _merge_spans(scope_spans, parts, skipped)
    return request


def _merge_spans(scope_spans: ScopeSpans, parts: list[bytes], skipped: CounterSet | None) -> None:
    try:
        scope_spans.MergeFromString(b"".join(parts))
    except Exception:
        # Should not happen (the encoder only emits valid UTF-8 and well-formed fields), but a
        # single bad span must not cost the batch: retry one by one and drop the culprits.
        logger.warning("span batch failed to parse; isolating bad spans", exc_info=True)
        del scope_spans.spans[:]
        for part in parts:
            probe = ScopeSpans()
            try:
                probe.MergeFromString(part)
            except Exception:
                if skipped is not None:
                    skipped.add(1, (("reason", "encode_error"),))
                continue
            scope_spans.spans.extend(probe.spans)
