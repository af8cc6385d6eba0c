"""What may leave the host: query values, captured headers and bodies, with secrets removed.

The receiver keeps raw headers and bodies; nothing sensitive is exported unless this module
says so.  Defaults export no header and no body, and always redact the values of sensitive
query keys (the semconv list ``AWSAccessKeyId``, ``Signature``, ``sig``, ``X-Goog-Signature``
plus common credential names).

Config shape (the ``redaction`` section; every key optional)::

    capture_headers:
      request: [content-type, x-request-id]
      response: [content-type]
    capture_body: false
    sensitive_query_params: [customer_ref] # added to the default list
    max_body_length: 4096                  # characters exported per body
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import unquote_plus

__all__ = [
    "DEFAULT_SENSITIVE_QUERY_KEYS",
    "REDACTED",
    "Redactor",
    "is_secret_header",
    "luhn_valid",
]

REDACTED = "REDACTED"

DEFAULT_SENSITIVE_QUERY_KEYS = frozenset(
    k.lower()
    for k in (
        # semantic conventions (url.query)
        "AWSAccessKeyId",
        "Signature",
        "sig",
        "X-Goog-Signature",
        # common credential carriers
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "api_key",
        "apikey",
        "key",
        "password",
        "passwd",
        "secret",
        "session",
        "auth",
        "code",
        "client_secret",
        "jwt",
    )
)

_SECRET_HEADER_NAMES = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "x-auth-token"}
)
_SECRET_HEADER_FRAGMENTS = ("token", "secret", "password", "passwd", "api-key", "api_key", "apikey", "session")

# JSON / form keys whose values are redacted in captured bodies (substring match on the
# lower-cased key with '-' read as '_'): over-redacting "discard_reason" is the safe mistake.
_SECRET_BODY_KEY_FRAGMENTS = (
    "password",
    "passwd",
    "secret",
    "token",
    "card",
    "cvv",
    "cvc",
    "ssn",
    "api_key",
    "apikey",
    "authorization",
    "credential",
    "private_key",
)

# "key": "string" or "key": number, tolerant of truncated bodies (no full JSON parse: captured
# bodies are often cut at the capture limit, and re-serialising would change the text).
_JSON_PAIR = re.compile(r'"((?:[^"\\]|\\.){1,128})"(\s*:\s*)("(?:[^"\\]|\\.)*"?|-?\d[\d.eE+-]*)')
# 13-19 digits, optionally separated by single spaces or dashes (card number formatting).
_CARD_CANDIDATE = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")


def is_secret_header(name: str) -> bool:
    """True when a header's value must never be exported (credentials, cookies, tokens, sessions)."""
    n = name.lower()
    return n in _SECRET_HEADER_NAMES or any(f in n for f in _SECRET_HEADER_FRAGMENTS)


def luhn_valid(digits: str) -> bool:
    """Luhn checksum of a string of ASCII digits (payment card numbers pass it)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i & 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _is_secret_body_key(key: str) -> bool:
    k = key.lower().replace("-", "_")
    return any(f in k for f in _SECRET_BODY_KEY_FRAGMENTS)


def _redact_card(match: re.Match[str]) -> str:
    digits = re.sub(r"[ -]", "", match.group(0))
    return REDACTED if 13 <= len(digits) <= 19 and luhn_valid(digits) else match.group(0)


def _redact_json_pair(match: re.Match[str]) -> str:
    if _is_secret_body_key(match.group(1)):
        # Numbers become the string "REDACTED" too: the text is for people, not for parsers.
        return f'"{match.group(1)}"{match.group(2)}"{REDACTED}"'
    return match.group(0)


def _header_list(value: object, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"{field} must be a list of header names")
    names = []
    for name in value:
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{field} must contain non-empty strings, got {name!r}")
        names.append(name.strip().lower())
    return tuple(dict.fromkeys(names))


def _header_config(value: object, field: str) -> Mapping[str, object]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{field} must be a mapping with 'request' and/or 'response'")
    bad = set(value) - {"request", "response"}
    if bad:
        raise ValueError(f"{field}: unknown field(s) {sorted(bad)}")
    return value


class Redactor:
    """Redaction policy used when spans are built.

    Args:
        capture_headers: ``{"request": [names], "response": [names]}``: headers exported as
            ``http.request.header.<name>`` / ``http.response.header.<name>`` (string arrays).
            Secret-carrying headers are exported as ``REDACTED`` even when listed.
        capture_body: Export bodies (redacted) as ``otel_ebpf.http.{request,response}.body``.
        sensitive_query_params: Extra query keys whose values are redacted (case-insensitive).
        max_body_length: Characters of a body kept when ``capture_body`` is on.
    """

    _MEMO_MAX = 4096

    def __init__(
        self,
        *,
        capture_headers: Mapping[str, Iterable[str] | None] | None = None,
        capture_body: bool = False,
        sensitive_query_params: Iterable[str] = (),
        max_body_length: int = 4096,
    ) -> None:
        headers = _header_config(capture_headers, "capture_headers")
        self.capture_body = bool(capture_body)
        self.max_body_length = int(max_body_length)
        self.sensitive_query_keys = DEFAULT_SENSITIVE_QUERY_KEYS | frozenset(
            k.lower() for k in (sensitive_query_params or ())
        )
        self.capture_request_headers = _header_list(headers.get("request"), "capture_headers.request")
        self.capture_response_headers = _header_list(headers.get("response"), "capture_headers.response")
        # (attribute key, header name, always-redact) resolved once: secrecy is a property of the
        # name, so the per-span loop only looks the header up.
        self.request_capture = tuple(
            (f"http.request.header.{n}", n, is_secret_header(n)) for n in self.capture_request_headers
        )
        self.response_capture = tuple(
            (f"http.response.header.{n}", n, is_secret_header(n)) for n in self.capture_response_headers
        )
        self._query_memo: dict[str, str] = {}

    @classmethod
    def from_config(cls, config: Mapping[str, object] | None) -> Redactor:
        """Build from the ``redaction`` config section; raises ``ValueError`` naming a bad field."""
        if config is None:
            return cls()
        if not isinstance(config, Mapping):
            raise ValueError("redaction must be a mapping")
        unknown = set(config) - {"capture_headers", "capture_body", "sensitive_query_params", "max_body_length"}
        if unknown:
            raise ValueError(f"redaction: unknown field(s) {sorted(unknown)}")
        headers = _header_config(config.get("capture_headers"), "redaction.capture_headers")
        capture_body = config.get("capture_body", False)
        if not isinstance(capture_body, bool):
            raise ValueError("redaction.capture_body must be true or false")
        keys = config.get("sensitive_query_params") or ()
        if isinstance(keys, str) or not all(isinstance(k, str) for k in keys):  # type: ignore[union-attr]
            raise ValueError("redaction.sensitive_query_params must be a list of strings")
        max_len = config.get("max_body_length", 4096)
        if not isinstance(max_len, int) or isinstance(max_len, bool) or max_len <= 0:
            raise ValueError("redaction.max_body_length must be a positive integer")
        return cls(
            capture_headers={
                "request": _header_list(headers.get("request"), "redaction.capture_headers.request"),
                "response": _header_list(headers.get("response"), "redaction.capture_headers.response"),
            },
            capture_body=capture_body,
            sensitive_query_params=keys,  # type: ignore[arg-type]
            max_body_length=max_len,
        )

    # -- query --------------------------------------------------------------------------------

    def redact_query(self, query: str) -> str:
        """Replace the values of sensitive query keys with ``REDACTED``; the rest is kept verbatim.

        Memoised (bounded): the same query strings recur across requests.
        """
        memo = self._query_memo
        out = memo.get(query)
        if out is None:
            out = self._redact_pairs(query, self.sensitive_query_keys, None)
            if len(memo) >= self._MEMO_MAX:
                memo.clear()
            memo[query] = out
        return out

    @staticmethod
    def _redact_pairs(text: str, keys: frozenset[str], fragment_test: Callable[[str], bool] | None) -> str:
        parts = text.split("&")
        changed = False
        for i, part in enumerate(parts):
            eq = part.find("=")
            if eq <= 0:
                continue
            raw_key = part[:eq]
            key = raw_key.lower()
            if "%" in key or "+" in key:
                key = unquote_plus(key)
            if key in keys or (fragment_test is not None and fragment_test(key)):
                parts[i] = raw_key + "=" + REDACTED
                changed = True
        return "&".join(parts) if changed else text

    # -- bodies -------------------------------------------------------------------------------

    def redact_body(self, body: bytes, content_type: str | None = None) -> str:
        """Return a body as text with secrets replaced by ``REDACTED``.

        JSON values of credential-like keys, form fields with such keys and card-number-like
        digit runs (13-19 digits, Luhn-valid) are redacted.  Output is cut at ``max_body_length``.
        """
        text = body[: self.max_body_length * 4].decode("utf-8", "replace")[: self.max_body_length]
        ct = (content_type or "").lower()
        if "x-www-form-urlencoded" in ct:
            text = self._redact_pairs(text, self.sensitive_query_keys, _is_secret_body_key)
        elif '"' in text:
            text = _JSON_PAIR.sub(_redact_json_pair, text)
        return _CARD_CANDIDATE.sub(_redact_card, text)
