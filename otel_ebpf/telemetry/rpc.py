"""gRPC calls in the RPC semantic conventions: status names, what is an error, the HTTP code alike.

The RPC conventions were revised in semantic-conventions 1.38-1.39 and are a *release
candidate* (none is stable yet).  The agent emits the revised ones, not the experimental
names of 1.37 and before: it never emitted those, so it has no users to keep them for
(the conventions' own transition rule, ``OTEL_SEMCONV_STABILITY_OPT_IN=rpc/dup``, is for
instrumentations that did).  What changed, and what is emitted:

* ``rpc.system.name`` (``grpc``), was ``rpc.system``;
* ``rpc.method`` is the fully-qualified ``package.Service/Method``; ``rpc.service`` is gone;
* ``rpc.response.status_code`` is the status *name* (``OK``, ``NOT_FOUND``), was the number
  ``rpc.grpc.status_code``; ``error.type`` is that name on an error;
  (releases 1.39 to 1.44; the conventions' main branch has since renamed it ``rpc.status_code``,
  in no release yet: the ``otlp`` receiver reads all three);
* span name ``{rpc.method}``; metrics ``rpc.server.call.duration`` and ``rpc.client.call.duration``
  in seconds (were ``rpc.*.duration`` in ms).

Span status (conventions, "gRPC"): a CLIENT span is an error for every status but ``OK``; a SERVER
span only for the statuses that say the server failed (:data:`SERVER_ERRORS`, and any code gRPC
does not define): a ``NOT_FOUND`` is the caller's problem, as a 404 is.

:data:`HTTP_EQUIVALENT` maps a status to the HTTP code of the same meaning (the table of
grpc-gateway and of Google's APIs, ``google.rpc.Code``), so that the parts of the agent that judge
HTTP answers (semantic errors, health, SLOs, the breaker) judge a gRPC call the same way.
"""

from __future__ import annotations

from otel_ebpf.model import STATUS_ERROR, STATUS_UNSET, HttpExchange, Role

__all__ = [
    "GRPC",
    "HTTP_EQUIVALENT",
    "SERVER_ERRORS",
    "STATUS_NAMES",
    "STATUS_UNDECODED",
    "classify_rpc",
    "effective_status",
    "grpc_status_of",
    "status_name",
]

GRPC = "grpc"

# google.rpc.Code / grpc's status codes (https://grpc.io/docs/guides/status-codes/).
STATUS_NAMES = (
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
)
STATUS_CODES = {name: code for code, name in enumerate(STATUS_NAMES)}

# Statuses that make a SERVER span an error (semantic conventions, gRPC "Span status").
SERVER_ERRORS = frozenset((2, 4, 12, 13, 14, 15))

# The HTTP status of the same meaning (google.rpc.Code's documented mapping; CANCELLED is the
# 499 "client closed request" of nginx and Google's APIs).
HTTP_EQUIVALENT = (200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401)

# The call's status was sent but cannot be known: on a connection older than the agent, its
# trailers named HPACK table entries from before the agent (counted by the HTTP/2 parser).  Not
# an error, not a success: no status is reported; health and SLOs count the call as answered.
STATUS_UNDECODED = -1

_NAMES_BY_CODE = dict(enumerate(STATUS_NAMES))
_CLIENT = Role.CLIENT


def status_name(code: int) -> str:
    """``rpc.response.status_code`` for a status number: its name, or the number as a string for
    a code outside the 17 gRPC defines (the conventions allow any string: it is what was sent)."""
    name = _NAMES_BY_CODE.get(code)
    return name if name is not None else str(code)


def grpc_status_of(headers: dict[str, str]) -> int | None:
    """The ``grpc-status`` of a response's headers and trailers, None when absent or not a number."""
    value = headers.get("grpc-status")
    if value is None:
        return None
    value = value.strip()
    if not value.isdigit() or len(value) > 9:
        return None
    return int(value)


def effective_status(x: HttpExchange) -> int | None:
    """The HTTP status an exchange stands for: a gRPC call's status mapped to its HTTP
    equivalent (a call answered ``200`` with ``grpc-status: 5`` is a 404), else the status."""
    if not x.rpc_system:
        return x.status_code
    code = x.rpc_status
    if code is None:
        # No grpc-status: a 200 without it is a broken call (the client reports INTERNAL).
        return 500 if x.status_code == 200 else x.status_code
    if code == STATUS_UNDECODED:
        return x.status_code
    if 0 <= code < len(HTTP_EQUIVALENT):
        return HTTP_EQUIVALENT[code]
    return 500  # a status gRPC does not define: the server said something went wrong


def classify_rpc(x: HttpExchange) -> tuple[int, str | None]:
    """``(span status, error.type or None)`` of a gRPC call, as ``semconv.classify`` for HTTP.

    No status at all (the response ended without trailers, or never came): an error whose type
    is the transport's outcome, else the HTTP status when that failed, else ``_OTHER``.
    """
    code = x.rpc_status
    if code is None:
        status_code = x.status_code
        if x.error_type:
            err: str | None = x.error_type
        elif status_code is not None and status_code != 200:
            err = str(status_code)  # an HTTP failure before gRPC answered (a proxy's 502, a 404)
        else:
            err = "_OTHER"
        status = STATUS_ERROR
    elif code == 0 or code == STATUS_UNDECODED:
        status, err = STATUS_UNSET, None
    elif x.role == _CLIENT or code in SERVER_ERRORS or code >= len(STATUS_NAMES):
        status, err = STATUS_ERROR, status_name(code)
    else:
        status, err = STATUS_UNSET, None
    override = x.status_override
    if override is not None:
        status = override
        if override == STATUS_ERROR:
            err = err or (status_name(code) if code else "_OTHER")
        else:
            err = None
    attrs = x.attributes
    if attrs:
        processor_err = attrs.get("error.type")
        if processor_err is not None:
            err = str(processor_err)
    return status, err
