"""HTTP semantic-convention rules shared by spans and metrics.

Spans and duration metrics must agree on the method normalisation and on what counts as an
error (``error.type``), so both come from here.  Rules (stable HTTP semconv):

* methods outside the known set become ``_OTHER`` (the original goes to
  ``http.request.method_original`` on spans only, never on metrics: it is unbounded), and
  the span name uses ``HTTP`` in place of the method.  The known set is RFC 9110 + PATCH,
  overridable (full replacement, case-sensitive) by ``OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS``
  through :func:`configure_known_methods_from_env`, which the agent calls at startup;
* 5xx is an error; 4xx is an error only on CLIENT spans; no response is an error whose
  ``error.type`` is the transport outcome (``connection_reset`` by default);
* ``error.type`` is the status code as a string for status errors and is never set on
  success, unless a processor put it in ``exchange.attributes``;
* a processor's ``status_override`` wins over the computed status;
* a gRPC call follows the RPC conventions instead (:mod:`otel_ebpf.telemetry.rpc`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from otel_ebpf.model import STATUS_ERROR, STATUS_UNSET, HttpExchange, Role
from otel_ebpf.telemetry.rpc import classify_rpc

__all__ = [
    "DEFAULT_ERROR_TYPE",
    "DEFAULT_KNOWN_METHODS",
    "KNOWN_METHODS",
    "OTHER",
    "OTHER_SPAN_NAME_METHOD",
    "SCHEMA_URL",
    "classify",
    "configure_known_methods",
    "configure_known_methods_from_env",
    "normalize_method",
]

DEFAULT_KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"})
OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS = "OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS"
# Process-wide and mutated in place by configure_known_methods(), so every module that
# imported it sees the configured set.
KNOWN_METHODS: set[str] = set(DEFAULT_KNOWN_METHODS)
OTHER = "_OTHER"
OTHER_SPAN_NAME_METHOD = "HTTP"  # semconv: {method} in a span name is "HTTP" when the method is _OTHER
DEFAULT_ERROR_TYPE = "connection_reset"
# The semantic-conventions release whose HTTP, URL, network and resource names we emit.
SCHEMA_URL = "https://opentelemetry.io/schemas/1.27.0"

_CLIENT = Role.CLIENT
# str(status) without a per-item allocation for the codes that actually occur.
_STATUS_STR = {code: str(code) for code in range(100, 600)}


_memos: list[dict] = []


def register_method_memo(memo: dict) -> None:
    """Let a module's per-method memo be cleared when the known set changes."""
    _memos.append(memo)


def configure_known_methods(methods: Iterable[str] | None) -> None:
    """Replace the known-method set (``None`` restores the default); call at startup."""
    new = set(DEFAULT_KNOWN_METHODS) if methods is None else {m.strip() for m in methods if m.strip()}
    KNOWN_METHODS.clear()
    KNOWN_METHODS.update(new)
    for memo in _memos:
        memo.clear()


def configure_known_methods_from_env(environ: Mapping[str, str]) -> None:
    """Apply ``OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS`` (comma-separated, full override) if set."""
    value = environ.get(OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS)
    configure_known_methods(value.split(",") if value and value.strip() else None)


def normalize_method(method: str) -> str:
    """Return ``method`` if it is a registered HTTP method (case-sensitive, per semconv), else ``_OTHER``."""
    return method if method in KNOWN_METHODS else OTHER


def status_error_type(status_code: int, role: Role) -> str | None:
    """``error.type`` from a response's status code alone: the code for a 5xx, and for a 4xx a
    client received; None otherwise (semconv: a server's 4xx is not its error)."""
    if status_code >= 500 or (status_code >= 400 and role == _CLIENT):
        return _STATUS_STR.get(status_code) or str(status_code)
    return None


def classify(ex: HttpExchange) -> tuple[int, str | None]:
    """Return ``(span status code, error.type or None)`` for an exchange.

    Args:
        ex: The exchange; reads ``status_code``, ``role``, ``error_type``, ``status_override``
            and ``attributes["error.type"]``.

    Returns:
        The OTLP status code (``STATUS_UNSET``/``STATUS_OK``/``STATUS_ERROR``) and the
        ``error.type`` value to export, if any.
    """
    if ex.rpc_system:
        return classify_rpc(ex)  # a gRPC call: its status decides, not the HTTP one (always 200)
    sc = ex.status_code
    if sc is None:
        status = STATUS_ERROR
        err: str | None = ex.error_type or DEFAULT_ERROR_TYPE
    else:
        err = status_error_type(sc, ex.role)
        status = STATUS_UNSET if err is None else STATUS_ERROR
    override = ex.status_override
    if override is not None:
        status = override
        if override == STATUS_ERROR:
            # error.type is required on errors; _OTHER is the semconv fallback.
            err = err or OTHER
        else:
            err = None
    attrs = ex.attributes
    if attrs:
        # A processor that classified the failure knows better than the status code.
        processor_err = attrs.get("error.type")
        if processor_err is not None:
            err = str(processor_err)
    return status, err
