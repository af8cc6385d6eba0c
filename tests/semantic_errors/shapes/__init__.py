"""The second part of the labelled corpus: silent failures as real APIs write them (issue 12).

Each module of this package builds the entries of one category with :class:`Part`:

* ``markup``: SOAP/XML-RPC faults, XML error documents, HTML error and login pages, plain
  text, form-encoded and name-value (NVP) bodies;
* ``languages``: status words, flag names and messages in Spanish, Portuguese, French,
  German, Italian, Japanese, Chinese and Russian (and ``NG``/``KO``);
* ``envelopes``: numeric and vendor codes (``code``/``msg``, ``errno``, ``ret``,
  ``return_code``/``result_code``, AWS ``__type``, PayPal ``name``, ``Response.Error``, ...);
* ``nesting``: failures one or two levels down, entity states, batches, GraphQL payloads;
* ``transport``: JSON sent as text, anti-XSSI prefixes, BOMs, SSE/NDJSON streams, gzip
  bodies in non-UTF-8 charsets;
* ``traps``: responses that look like failures and are data.

Labels are written from what an API consumer reading the response would conclude, not from
any classifier's output.  Entries marked ``holdout`` were written to be scored, not to be
developed against.
"""

from __future__ import annotations

import base64
import gzip
import json

# The specification's severity table.
SEVERITY = {
    "payment": "critical",
    "auth_failure": "high",
    "rate_limit": "high",
    "server_error": "high",
    "timeout": "high",
    "connection_reset": "high",
    "validation": "medium",
    "conflict": "medium",
    "generic_business_error": "medium",
    "not_found": "low",
}
SYSTEM = {"server_error", "timeout", "connection_reset"}
CAPTURE = 1024  # the receiver's default capture limit for bodies


def expect(error_type: str | None) -> dict:
    if error_type is None:
        return {"kind": "none", "error_type": None, "severity": None}
    kind = "system" if error_type in SYSTEM else "business"
    return {"kind": kind, "error_type": error_type, "severity": SEVERITY[error_type]}


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def response(status: str, headers: list[tuple[str, str]], body: bytes) -> bytes:
    """A raw response as the receiver captures it: status line, headers, then the body bytes."""
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return head.encode("latin-1") + body


def chunked(body: bytes, sizes: list[int]) -> bytes:
    """Chunk framing with the given chunk sizes (the rest in one last chunk), then the terminator."""
    out, pos = [], 0
    for size in [*sizes, len(body)]:
        piece = body[pos : pos + size]
        if not piece:
            continue
        out.append(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        pos += len(piece)
    return b"".join(out) + b"0\r\n\r\n"


class Part:
    """The entries of one category, in the ``otel-ebpf classify`` input format plus labels."""

    def __init__(self, category: str):
        self.category = category
        self.entries: list[dict] = []

    def add(
        self,
        entry_id: str,
        status: int,
        body,
        error_type: str | None,
        note: str,
        *,
        content_type: str | None = "application/json",
        headers: dict[str, str] | None = None,
        request: dict | None = None,
        trap: bool = False,
        holdout: bool = False,
    ) -> None:
        """One response.

        Args:
            body: text (str), a JSON value (dict/list: dumped), or bytes (sent as body_base64).
            error_type: the expected type, None for "not a failure".
            content_type: the Content-Type header (None: no such header).
            headers: more response headers.
            request: what the client sent, when it matters: ``method``, ``path``, ``headers``.
            trap: a 2xx response that looks like a failure and is not.
        """
        item: dict = {"id": f"{self.category}-{entry_id}", "status": status}
        all_headers = {} if content_type is None else {"Content-Type": content_type}
        all_headers.update(headers or {})
        item["headers"] = all_headers
        if isinstance(body, bytes):
            item["body_base64"] = base64.b64encode(body).decode()
        elif isinstance(body, str):
            item["body"] = body
        elif body is not None:
            item["body"] = dumps(body)
        self._finish(item, error_type, note, request, trap, holdout)

    def add_raw(
        self,
        entry_id: str,
        data: bytes,
        error_type: str | None,
        note: str,
        *,
        request: dict | None = None,
        trap: bool = False,
        holdout: bool = False,
    ) -> None:
        """A raw captured response (see :func:`response`); a body longer than CAPTURE is cut there."""
        head_end = data.find(b"\r\n\r\n") + 4
        truncated = len(data) - head_end > CAPTURE
        item: dict = {"id": f"{self.category}-{entry_id}", "raw": base64.b64encode(data[: head_end + CAPTURE]).decode()}
        if truncated:
            item["truncated"] = True
        self._finish(item, error_type, note, request, trap, holdout)

    def _finish(self, item: dict, error_type, note: str, request, trap: bool, holdout: bool) -> None:
        if request:
            if "method" in request:
                item["method"] = request["method"]
            if "path" in request:
                item["path"] = request["path"]
            if "headers" in request:
                item["request_headers"] = request["headers"]
        item["expect"] = expect(error_type)
        item["note"] = note
        item["category"] = self.category
        if trap:
            item["trap"] = True
        if holdout:
            item["holdout"] = True
        self.entries.append(item)
