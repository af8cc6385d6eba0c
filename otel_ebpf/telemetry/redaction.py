"""What may leave the host: query values, captured headers and bodies, with secrets removed.

The receiver keeps raw headers and bodies; nothing sensitive is exported unless this module
says so.  Defaults export no header and no body.  One policy decides everywhere (see
:mod:`.secrets`): the same key matcher for header names, query keys, form fields and JSON keys,
and the same value detectors (card numbers, bearer tokens, JWTs, long hex/base64 runs,
``password=...`` pairs, e-mail addresses) for every free text that leaves: status messages,
query values, captured header values and bodies.  Query keys are also redacted by exact name
for the semconv list (``AWSAccessKeyId``, ``Signature``, ``sig``, ``X-Goog-Signature``) and a
few common credential carriers (``code``, ``state`` of OAuth is not one of them).

Config shape (the ``redaction`` section; every key optional)::

    capture_headers:
      request: [content-type, x-request-id]
      response: [content-type]
    capture_body: false
    sensitive_query_params: [customer_ref] # exact query keys added to the default list
    sensitive_keys: [customer_ref]         # fragments added to the key matcher
    unredacted_keys: [pan]                 # built-in fragments removed from it (careful)
    redact_emails: true                    # e-mail addresses in free text
    max_body_length: 4096                  # characters exported per body
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import unquote_plus

from otel_ebpf.telemetry.secrets import (
    DEFAULT_KEYS,
    DEFAULT_SCRUBBER,
    MAYBE_SHORT_SECRET,
    REDACTED,
    KeyMatcher,
    TextScrubber,
    luhn_valid,
)

__all__ = [
    "DEFAULT_SENSITIVE_QUERY_KEYS",
    "REDACTED",
    "Redactor",
    "is_secret_header",
    "luhn_valid",
]

DEFAULT_SENSITIVE_QUERY_KEYS = frozenset(
    k.lower()
    for k in (
        # semantic conventions (url.query)
        "AWSAccessKeyId",
        "Signature",
        "sig",
        "X-Goog-Signature",
        # common credential carriers the key matcher does not name
        "code",
        "client_secret",
        "jwt",
    )
)

# Headers whose values are credentials whatever the configuration (unredacted_keys cannot
# release them).
_SECRET_HEADER_NAMES = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "x-auth-token"}
)


def is_secret_header(name: str, keys: KeyMatcher = DEFAULT_KEYS) -> bool:
    """True when a header's value must never be exported (credentials, cookies, tokens, sessions)."""
    return name.lower() in _SECRET_HEADER_NAMES or keys(name)


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
            Secret-carrying headers are exported as ``REDACTED`` even when listed; the values
            of the others go through the value detectors.
        capture_body: Export bodies (redacted) as ``otel_ebpf.http.{request,response}.body``.
        sensitive_query_params: Extra query keys whose values are redacted (case-insensitive).
        sensitive_keys: Fragments added to the key matcher (:mod:`.secrets`).
        unredacted_keys: Built-in fragments removed from the key matcher.
        redact_emails: Redact e-mail addresses in free text.
        max_body_length: Characters of a body kept when ``capture_body`` is on.
    """

    _MEMO_MAX = 4096

    def __init__(
        self,
        *,
        capture_headers: Mapping[str, Iterable[str] | None] | None = None,
        capture_body: bool = False,
        sensitive_query_params: Iterable[str] = (),
        sensitive_keys: Iterable[str] = (),
        unredacted_keys: Iterable[str] = (),
        redact_emails: bool = True,
        max_body_length: int = 4096,
    ) -> None:
        headers = _header_config(capture_headers, "capture_headers")
        self.capture_body = bool(capture_body)
        self.max_body_length = int(max_body_length)
        self.sensitive_query_keys = DEFAULT_SENSITIVE_QUERY_KEYS | frozenset(
            k.lower() for k in (sensitive_query_params or ())
        )
        sensitive_keys, unredacted_keys = tuple(sensitive_keys or ()), tuple(unredacted_keys or ())
        self.keys = KeyMatcher(sensitive_keys, unredacted_keys) if sensitive_keys or unredacted_keys else DEFAULT_KEYS
        emails = bool(redact_emails)
        self.scrub = DEFAULT_SCRUBBER if self.keys is DEFAULT_KEYS and emails else TextScrubber(self.keys, emails)
        self.capture_request_headers = _header_list(headers.get("request"), "capture_headers.request")
        self.capture_response_headers = _header_list(headers.get("response"), "capture_headers.response")
        # (attribute key, header name, always-redact) resolved once: secrecy is a property of the
        # name, so the per-span loop only looks the header up.
        self.request_capture = tuple(
            (f"http.request.header.{n}", n, is_secret_header(n, self.keys)) for n in self.capture_request_headers
        )
        self.response_capture = tuple(
            (f"http.response.header.{n}", n, is_secret_header(n, self.keys)) for n in self.capture_response_headers
        )
        self._query_memo: dict[str, str] = {}
        self._query_key_memo: dict[str, bool] = {}

    _FIELDS = frozenset(
        {
            "capture_headers",
            "capture_body",
            "sensitive_query_params",
            "sensitive_keys",
            "unredacted_keys",
            "redact_emails",
            "max_body_length",
        }
    )

    @classmethod
    def from_config(cls, config: Mapping[str, object] | None) -> Redactor:
        """Build from the ``redaction`` config section; raises ``ValueError`` naming a bad field."""
        if config is None:
            return cls()
        if not isinstance(config, Mapping):
            raise ValueError("redaction must be a mapping")
        unknown = set(config) - cls._FIELDS
        if unknown:
            raise ValueError(f"redaction: unknown field(s) {sorted(unknown)}")
        headers = _header_config(config.get("capture_headers"), "redaction.capture_headers")
        for flag in ("capture_body", "redact_emails"):
            if not isinstance(config.get(flag, False), bool):
                raise ValueError(f"redaction.{flag} must be true or false")
        lists = {}
        for field in ("sensitive_query_params", "sensitive_keys", "unredacted_keys"):
            keys = config.get(field) or ()
            if isinstance(keys, str) or not all(isinstance(k, str) for k in keys):  # type: ignore[union-attr]
                raise ValueError(f"redaction.{field} must be a list of strings")
            lists[field] = tuple(keys)  # type: ignore[arg-type]
        max_len = config.get("max_body_length", 4096)
        if not isinstance(max_len, int) or isinstance(max_len, bool) or max_len <= 0:
            raise ValueError("redaction.max_body_length must be a positive integer")
        try:
            return cls(
                capture_headers={
                    "request": _header_list(headers.get("request"), "redaction.capture_headers.request"),
                    "response": _header_list(headers.get("response"), "redaction.capture_headers.response"),
                },
                capture_body=config.get("capture_body", False),  # type: ignore[arg-type]
                redact_emails=config.get("redact_emails", True),  # type: ignore[arg-type]
                max_body_length=max_len,
                **lists,
            )
        except ValueError as exc:
            raise ValueError(f"redaction.unredacted_keys: {exc}") from None

    # -- free text ----------------------------------------------------------------------------

    def scrub_text(self, text: str) -> str:
        """A free text about to leave (status message, error description, a captured header's value)
        with its secrets replaced."""
        return self.scrub.memoized(text) if text else text

    # -- query --------------------------------------------------------------------------------

    def redact_query(self, query: str) -> str:
        """Replace the values of sensitive query keys with ``REDACTED``; the other values go
        through the value detectors (a card number under ``?q=`` is redacted too).

        Memoised (bounded): the same query strings recur across requests.
        """
        memo = self._query_memo
        out = memo.get(query)
        if out is None:
            out = self._redact_pairs(query)
            if len(memo) >= self._MEMO_MAX:
                memo.clear()
            memo[query] = out
        return out

    def _redact_pairs(self, text: str) -> str:
        secret_key = self._secret_query_key
        scrub = self.scrub
        parts = text.split("&")
        changed = False
        for i, part in enumerate(parts):
            eq = part.find("=")
            if eq <= 0:
                continue
            raw_key = part[:eq]
            if secret_key(raw_key):
                parts[i] = raw_key + "=" + REDACTED
                changed = True
                continue
            value = part[eq + 1 :]
            if len(value) < 13 and MAYBE_SHORT_SECRET.search(value) is None:
                continue  # the common case (ids, page numbers, words): nothing a detector could see
            if "%" in value or "+" in value:
                decoded = unquote_plus(value)
                if scrub(decoded) is not decoded:
                    parts[i] = raw_key + "=" + REDACTED
                    changed = True
            else:
                clean = scrub(value)
                if clean is not value:
                    parts[i] = raw_key + "=" + clean
                    changed = True
        return "&".join(parts) if changed else text

    def _secret_query_key(self, raw_key: str) -> bool:
        """A query or form key (percent-encoded as sent) that names a secret; memoised."""
        memo = self._query_key_memo
        found = memo.get(raw_key)
        if found is None:
            key = unquote_plus(raw_key) if "%" in raw_key or "+" in raw_key else raw_key
            found = key.lower() in self.sensitive_query_keys or self.keys(key)
            if len(memo) >= self._MEMO_MAX:
                memo.clear()
            memo[raw_key] = found
        return found

    # -- bodies -------------------------------------------------------------------------------

    def redact_body(self, body: bytes, content_type: str | None = None) -> str:
        """Return a body as text with secrets replaced by ``REDACTED``.

        JSON values of sensitive keys, ``key=value`` pairs with such keys (forms, whatever the
        declared content type: a form sent as ``text/plain`` is still a form) and every value
        the detectors recognise are redacted.  Output is cut at ``max_body_length``.
        """
        text = body[: self.max_body_length * 4].decode("utf-8", "replace")[: self.max_body_length]
        stripped = text.lstrip()
        if stripped[:1] in ("{", "[") or (content_type and "json" in content_type.lower()):
            text = self._redact_json(text)
        elif "=" in text:
            text = self._redact_pairs(text)
        return self.scrub(text)

    def _redact_json(self, text: str) -> str:
        """Values of JSON members whose key the matcher calls sensitive, read from the text as it
        is: no full parse (captured bodies are often cut at the capture limit, and re-serialising
        would change the text).  Numbers become the string "REDACTED" too: the text is for people."""
        lowered = text.lower()
        if len(lowered) == len(text):
            matches = self.keys.json_hint.finditer(lowered)
        else:
            matches = self.keys.json_hint_any_case.finditer(text)
        pieces: list[str] = []
        done = 0
        for m in matches:
            quote = text.rfind('"', done, m.start())
            if quote < 0:
                continue
            if not self.keys(text[quote + 1 : m.end(1)]):
                continue
            pieces.append(text[done : m.start(3)])
            pieces.append(f'"{REDACTED}"')
            done = m.end(3)
        if not pieces:
            return text
        pieces.append(text[done:])
        return "".join(pieces)
