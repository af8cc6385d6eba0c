"""``otel-ebpf classify [FILE]``: run the semantic error rules on sample responses.

Reads JSON lines (from FILE, or stdin when FILE is absent or ``-``), each either

* ``{"raw": "<base64 of the captured response bytes>"}`` (status line, headers, body), or
* ``{"status": 200, "headers": {...}, "body": "..."}`` (``body_base64`` instead of
  ``body`` for binary bodies; optional ``truncated``),

optionally with ``method``, ``route``, ``path`` (for ``routes`` rules), ``request_headers``
(what the client asked for: an HTML login page answering ``Accept: application/json`` is an
authentication failure), ``error_type`` (for a missing response: ``"status": null``) and
``id`` (echoed back).  Writes one JSON line per input line, in order, with the rule that
found the failure (``rule``) and, for a batch where only some items failed,
``failed_items``/``items``::

    {"business_error": true, "kind": "business", "error_type": "payment", "severity": "critical",
     "detail": "card_declined", "rule": "json.success_flag"}

A line that cannot be read gets ``{"error": "...", "business_error": false, ...}`` and the
exit status becomes 1; 2 means the command itself could not run (bad config, no file).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import sys
from typing import Any, TextIO

from otel_ebpf.model import HttpExchange
from otel_ebpf.processors.semantic_errors.processor import SemanticErrorsProcessor

EPILOG = """examples:
  echo '{"status": 200, "body": "{\\"ok\\": false, \\"error\\": \\"invalid_auth\\"}"}' | otel-ebpf classify
  otel-ebpf classify samples.jsonl --config otel-ebpf.yaml
  printf 'HTTP/1.1 402 Payment Required\\r\\n\\r\\n' | base64 -w0 | jq -Rc '{raw: .}' | otel-ebpf classify
"""


class InputError(ValueError):
    """One input line cannot be turned into a response."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="otel-ebpf classify",
        description="Classify sample HTTP responses with the semantic_errors rules (one JSON line in, one out).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", nargs="?", default="-", metavar="FILE", help="JSON lines to read (default: stdin)")
    parser.add_argument(
        "--config",
        metavar="YAML",
        help="an agent config (its processors: semantic_errors: section is used) or a bare semantic_errors mapping",
    )
    return parser


def _load_config(path: str) -> dict:
    import yaml

    with open(path, encoding="utf-8") as handle:
        document = yaml.safe_load(handle) or {}
    if not isinstance(document, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    processors = document.get("processors")
    if isinstance(processors, dict):
        for name, section in processors.items():
            if str(name).split("/")[0] == "semantic_errors":
                return section or {}
        return {}
    return document


def _parse_raw(data: bytes) -> tuple[int, dict[str, str], bytes, bool]:
    """Status, headers, body prefix and truncation of a captured response."""
    from otel_ebpf.protocols.http1 import Http1ParseError, parse_message

    try:
        message = parse_message(data, False)
    except Http1ParseError as exc:
        raise InputError(f"raw: not an HTTP/1.x response: {exc}") from None
    return message.status_code, message.headers, message.body, message.body_truncated


def to_exchange(item: Any) -> HttpExchange:
    """Builds the exchange an input line describes (raises InputError)."""
    if not isinstance(item, dict):
        raise InputError("expected a JSON object")
    x = HttpExchange()
    if "raw" in item:
        raw = item["raw"]
        if not isinstance(raw, str):
            raise InputError("raw: expected a base64 string")
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise InputError("raw: not valid base64") from None
        x.status_code, x.response_headers, x.response_body, x.response_body_truncated = _parse_raw(data)
    else:
        if "status" not in item:
            raise InputError('expected "raw" or "status"')
        status = item["status"]
        if status is not None and (isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 999):
            raise InputError("status: expected an HTTP status code or null")
        headers = item.get("headers") or {}
        if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
            raise InputError("headers: expected an object of strings")
        if "body_base64" in item:
            try:
                body = base64.b64decode(item["body_base64"] or "", validate=True)
            except (binascii.Error, ValueError, TypeError):
                raise InputError("body_base64: not valid base64") from None
        else:
            body = item.get("body") or ""
            if not isinstance(body, str):
                raise InputError("body: expected a string (use body_base64 for bytes)")
            body = body.encode("utf-8")
        x.status_code = status
        x.response_headers = {str(k).lower(): v for k, v in headers.items()}
        x.response_body = body
        x.response_body_truncated = bool(item.get("truncated", False))
    for key in ("method", "route", "path", "error_type"):
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{key}: expected a string")
    request_headers = item.get("request_headers") or {}
    if not isinstance(request_headers, dict) or not all(isinstance(v, str) for v in request_headers.values()):
        raise InputError("request_headers: expected an object of strings")
    x.request_headers = {str(k).lower(): v for k, v in request_headers.items()}
    x.method = item.get("method") or "GET"
    x.route = item.get("route")
    x.path = item.get("path") or ""
    if x.status_code is None:
        x.error_type = item.get("error_type") or "connection_reset"
    return x


def classify_main(argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Runs ``otel-ebpf classify``; returns the exit status (0 ok, 1 some lines invalid, 2 cannot run)."""
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    args = _parser().parse_args(argv)
    try:
        config = _load_config(args.config) if args.config else {}
        processor = SemanticErrorsProcessor(config)
    except (OSError, ValueError) as exc:  # unreadable file, invalid rules
        print(f"otel-ebpf classify: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a YAML syntax error, a custom classifier that fails to import
        print(f"otel-ebpf classify: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    try:
        source = stdin if args.file == "-" else open(args.file, encoding="utf-8", errors="replace")
    except OSError as exc:
        print(f"otel-ebpf classify: {exc}", file=sys.stderr)
        return 2
    invalid = 0
    try:
        for line in source:
            if not line.strip():
                continue
            out: dict[str, Any] = {}
            try:
                item = json.loads(line)
                if isinstance(item, dict) and "id" in item:
                    out["id"] = item["id"]
                verdict = processor.classify(to_exchange(item))
            except Exception as exc:  # never stop on one bad line: report it in its place
                invalid += 1
                if isinstance(exc, InputError):
                    message = str(exc)
                elif isinstance(exc, ValueError):
                    message = f"not JSON: {exc}"
                else:
                    message = f"cannot classify: {type(exc).__name__}: {exc}"
                out.update(error=message, business_error=False, kind=None, error_type=None, severity=None)
            else:
                out.update(
                    business_error=verdict.kind == "business",
                    kind=verdict.kind,
                    error_type=verdict.type,
                    severity=verdict.severity,
                    detail=verdict.detail or None,
                    rule=verdict.rule or None,
                )
                if verdict.failed_items:
                    out.update(failed_items=verdict.failed_items, items=verdict.items)
            stdout.write(json.dumps(out) + "\n")
    finally:
        if source is not stdin:
            source.close()
    stdout.flush()
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(classify_main(sys.argv[1:]))
