"""Classifies one HTTP response: kind (none/business/system), type and severity.

The rules (see the package docstring for the specification and the configuration):

* no response → system ``connection_reset`` or ``timeout``; 5xx → system ``server_error``;
* 4xx → business, typed from the status, unless the body names a more specific failure;
* 2xx → business only when the top-level members of a JSON object body report that the
  operation failed (a false success flag, an error status word, a non-empty error member
  without a payload, an envelope error code, a problem+json document); otherwise none.

The 2xx path is the hot one: bodies that are not JSON objects return before any parsing,
and JSON is parsed by the C-accelerated ``json`` module; only top-level members whose
normalised names play a role in the rules are looked at.

Verdicts on bodies are cached: a service answers the same few bodies over and over (a health
check, a list, an error envelope), and a verdict depends only on the status class, the
content type and codings, the captured bytes and the cut.  The cache is bounded in entries and
in body bytes (:data:`VERDICT_CACHE_ENTRIES`, :data:`VERDICT_CACHE_BYTES`); when full it is
emptied and the entries dropped are counted (``Classifier.verdicts_evicted``).  Measured on a
~120-byte JSON body (2 vCPUs): 3.2 µs a response parsed, 0.35 µs a cache hit (the key's
bytes hash is computed once per body object, and a fork shares the object).
"""

from __future__ import annotations

import threading
from typing import NamedTuple

from otel_ebpf.processors.semantic_errors.body import charset_of, decode_body, load_json, to_text
from otel_ebpf.processors.semantic_errors.rules import GENERIC_TYPE, RuleSet, norm
from otel_ebpf.telemetry.secrets import DEFAULT_SCRUBBER

__all__ = ["NONE", "Classification", "Classifier"]


class Classification(NamedTuple):
    """The verdict on one response.

    Attributes:
        kind: ``none``, ``business`` or ``system``.
        type: The error type (``payment``, ``server_error``, ...), None when kind is none.
        severity: ``critical``, ``high``, ``medium`` or ``low``; None when kind is none.
        detail: A short identifier of what was found (an error code, a status word), or "".
            Read from the body: it may carry the body's words, so it leaves the host only
            when bodies do (``capture_body``), through the value detectors.
        rule: Which rule found a 2xx failure, in words from the configuration only (member
            names of the rule lists, status words), never from the body: ``json.success=false``.
    """

    kind: str
    type: str | None
    severity: str | None
    detail: str = ""
    rule: str = ""


NONE = Classification("none", None, None, "")

# Roles a top-level member can play (bit flags; one name may have several).
_SUCCESS, _STATUS, _ERROR, _CODE, _MESSAGE, _PAYLOAD, _TYPE = 1, 2, 4, 8, 16, 32, 64
# The normalised name of GraphQL's / JSend's result member.
_DATA = "data"
# Values of an error member that mean "no error".
_EMPTY_WORDS = frozenset({"", "0", "false", "null", "none", "ok", "success", "nil"})
# Error member values that describe a failure on their own (an object, a message).
_DESCRIBED = (dict, str)
_MAX_TEXT = 2048  # characters of error text scanned for type keywords
_KEY_CACHE_MAX = 4096
# The verdict cache's bounds: entries, and the captured body bytes its keys hold (a body longer
# than VERDICT_BODY_MAX is classified every time).  At most ~2.5 MB with the keys' overhead.
VERDICT_CACHE_ENTRIES = 4096
VERDICT_CACHE_BYTES = 2 * 1024 * 1024
VERDICT_BODY_MAX = 16 * 1024


def _is_stream_type(content_type: str) -> bool:
    """NDJSON / JSON lines / JSON text sequences: records, never one envelope (`content_type` lower-case)."""
    return "ndjson" in content_type or "jsonl" in content_type or "json-seq" in content_type


def _is_empty(value: object, depth: int = 0) -> bool:
    """An error member that is null, false, empty, zero or a no-error word; a dict of only such values."""
    if value is None or value is False:
        return True
    cls = value.__class__
    if cls is str:
        return len(value) < 8 and value.strip().lower() in _EMPTY_WORDS
    if cls is int or cls is float:
        return value == 0
    if cls is list:
        return not value
    if cls is dict:
        return not value or (depth == 0 and all(_is_empty(v, 1) for v in value.values()))
    return False


def _add_text(value: object, parts: list[str], depth: int = 0) -> None:
    """Collects the strings of a member (nested a few levels) for keyword typing."""
    cls = value.__class__
    if cls is str:
        if value.startswith(("http://", "https://")):
            # Only the last segment of a URL names something (problem+json `type`, `doc_url`).
            value = value.rstrip("/").rsplit("/", 1)[-1]
        parts.append(value[:256])
    elif depth < 4:
        if cls is dict:
            for item in value.values():
                _add_text(item, parts, depth + 1)
        elif cls is list:
            for item in value[:5]:
                _add_text(item, parts, depth + 1)


def _short(value: object) -> str:
    """A short printable form of a code-like value, or ""."""
    if value.__class__ is str:
        value = value.strip()
        return value if 0 < len(value) <= 64 else ""
    if value.__class__ is int:
        return str(value)
    return ""


class Classifier:
    """Applies one :class:`RuleSet`; thread-compatible (the only state is a key cache)."""

    def __init__(self, rules: RuleSet):
        self.rules = rules
        roles: dict[str, int] = {}
        for names, role in (
            (rules.success_fields, _SUCCESS),
            (rules.status_fields, _STATUS),
            (rules.error_fields, _ERROR),
            (rules.code_fields, _CODE),
            (rules.message_fields, _MESSAGE),
            (rules.payload_fields, _PAYLOAD),
            (rules.type_fields, _TYPE),
        ):
            for name in names - rules.ignore_fields:
                roles[name] = roles.get(name, 0) | role
        self._roles = roles
        # raw member name → normalised name when it plays a role, else "": the names seen in
        # responses repeat, so each is normalised once.
        self._keys: dict[str, str] = {}
        sev = rules.severity
        self._server_error = Classification("system", "server_error", sev("server_error"), "")
        self._timeout = Classification("system", "timeout", sev("timeout"), "")
        self._reset = Classification("system", "connection_reset", sev("connection_reset"), "")
        self._no_response_cache: dict[str, Classification] = {}
        # 4xx verdicts when the body tells nothing more: one shared object per status.
        self._status_only: dict[int, Classification] = {}
        for status in range(400, 500):
            name = rules.status_types.get(status) or GENERIC_TYPE
            self._status_only[status] = Classification("business", name, sev(name), "")
        # (status class, body, truncated, content-type, transfer-encoding, content-encoding) -> verdict
        self._verdicts: dict[tuple, Classification] = {}
        self._verdict_bytes = 0
        self._verdict_lock = threading.Lock()  # inserts only: a lookup is one dict.get
        self.verdicts_evicted = 0  # entries dropped when the cache was full

    # ------------------------------------------------------------ entry point

    def classify(
        self,
        status: int | None,
        headers: dict[str, str],
        body: bytes,
        truncated: bool = False,
        error_type: str | None = None,
    ) -> Classification:
        """Classifies a response.

        Args:
            status: The response status; None when no response came.
            headers: Response headers, lower-case names.
            body: The captured body prefix (chunk framing and content coding still applied).
            truncated: True when the capture cut the body.
            error_type: Why no response came (``timeout``, ``connection_reset``, ...).
        """
        if status is None:
            return self._no_response(error_type)
        if 200 <= status < 300:
            if not body:
                return NONE
            ct = headers.get("content-type")
            if ct is not None:
                lowered = ct.lower()
                if "json" not in lowered or _is_stream_type(lowered):
                    return NONE  # not JSON, or a stream of records (NDJSON, JSON lines, json-seq)
            key_status = 200  # a 2xx verdict does not depend on which 2xx
        elif 400 <= status < 500:
            if not body:
                return self._status_only[status]
            ct = headers.get("content-type")
            key_status = status
        elif 500 <= status < 600:
            return self._server_error
        else:
            return NONE
        if body.__class__ is not bytes:  # a bytearray or a view: a key must not hold (or share) a buffer
            body = bytes(body)
        key = (key_status, body, truncated, ct, headers.get("transfer-encoding"), headers.get("content-encoding"))
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._classify_body(status, headers, body, truncated, ct)
            self._remember(key, verdict, len(body))
        return verdict

    def _remember(self, key: tuple, verdict: Classification, nbytes: int) -> None:
        if nbytes > VERDICT_BODY_MAX:
            return
        with self._verdict_lock:
            verdicts = self._verdicts
            if len(verdicts) >= VERDICT_CACHE_ENTRIES or self._verdict_bytes + nbytes > VERDICT_CACHE_BYTES:
                self.verdicts_evicted += len(verdicts)
                verdicts.clear()  # cheaper than an LRU on the hot path; the repeated bodies come back at once
                self._verdict_bytes = 0
            if key not in verdicts:
                verdicts[key] = verdict
                self._verdict_bytes += nbytes

    def _classify_body(
        self, status: int, headers: dict[str, str], body: bytes, truncated: bool, ct: str | None
    ) -> Classification:
        """The verdict on a 2xx JSON (or untyped) or a 4xx response with a body: what the cache holds."""
        if status < 300:
            if "transfer-encoding" in headers or "content-encoding" in headers:
                decoded = decode_body(headers, body)
                if decoded is None:
                    return NONE
                body, cut = decoded
                truncated = truncated or cut
            if body[:1] != b"{":
                stripped = body.lstrip()
                if stripped.startswith(b"\xef\xbb\xbf"):
                    stripped = stripped[3:].lstrip()
                if not stripped.startswith(b"{"):
                    return NONE
            doc, complete = load_json(body, charset_of(ct) if ct is not None and "charset" in ct else None)
            if doc.__class__ is not dict:
                return NONE
            return self._judge(doc, complete, ct)
        return self._client_error(status, headers, body, ct)

    def _no_response(self, error_type: str | None) -> Classification:
        """System error named after why the response is missing (the receiver's low-cardinality error.type)."""
        if not error_type or error_type == "connection_reset":
            return self._reset
        if error_type == "timeout":
            return self._timeout
        verdict = self._no_response_cache.get(error_type)
        if verdict is None:
            # The receiver's names are fixed words; a received span's error.type is the sender's
            # text, and becomes a metric label: through the value detectors.
            name = "timeout" if "timeout" in error_type.lower() else DEFAULT_SCRUBBER(error_type[:64])
            severity = self.rules.severities.get(name) or self._reset.severity
            verdict = Classification("system", name, severity, "")
            if len(self._no_response_cache) < 256:
                self._no_response_cache[error_type] = verdict
        return verdict

    # ------------------------------------------------------------ 2xx

    def _members(self, doc: dict) -> dict[str, object]:
        """The top-level members that play a role, by normalised name (first occurrence wins)."""
        keys = self._keys
        out: dict[str, object] = {}
        for key, value in doc.items():
            name = keys.get(key)
            if name is None:
                if len(keys) >= _KEY_CACHE_MAX:
                    keys.clear()
                name = norm(key) if key.__class__ is str else ""
                if name not in self._roles:
                    name = ""
                keys[key] = name
            if name and name not in out:
                out[name] = value
        return out

    def _judge(self, doc: dict, complete: bool, ct: str | None) -> Classification:
        """Reads the failure signals of a 2xx JSON object body."""
        fields = self._members(doc)
        if ct is not None and "problem+json" in ct.lower():
            return self._failure(fields, "problem", "content-type=problem+json")
        if not fields:
            return NONE
        rules = self.rules
        roles = self._roles
        success = False
        for name, value in fields.items():
            if roles[name] & _SUCCESS:
                if value is False:
                    return self._failure(fields, name, f"json.{name}=false")
                if value is True:
                    success = True
                elif value.__class__ is str:
                    word = value.strip().lower()
                    if word == "false":
                        return self._failure(fields, name, f"json.{name}=false")
                    if word == "true":
                        success = True
        if success:
            # An explicit success flag is the API's own verdict: other members are data.
            return NONE
        payload = None  # computed lazily: is a successful payload present?
        for name, value in fields.items():
            role = roles[name]
            if role & _STATUS and value.__class__ is str and len(value) <= 32:
                word = norm(value)
                if word in rules.status_words:
                    return self._failure(fields, name, f"json.{name}={word}", jsend=True)
            if role & _ERROR and not _is_empty(value):
                if payload is None:
                    payload = any(roles[n] & _PAYLOAD and v is not None for n, v in fields.items() if n != name)
                if not payload and (complete or value.__class__ in _DESCRIBED or _DATA in fields):
                    # In a cut document the payload that makes this a partial success may follow
                    # the cut (graphql-js writes `errors: [...]` first, Elasticsearch's bulk API
                    # `errors: true` before `items`): a list or a bare flag counts only when the
                    # null `data` was seen; an error object or message describes a failure itself.
                    return self._failure(fields, name, f"json.{name} present")
            if role & _CODE:
                if value.__class__ is str:
                    stripped = value.strip()
                    if stripped.lstrip("-").isdecimal() and stripped.isascii() and len(stripped) < 12:
                        value = int(stripped)
                    elif 0 < len(stripped) <= 64 and " " not in stripped:
                        if rules.error_code_words.search(norm(stripped)):
                            return self._failure(fields, name, f"json.{name} is an error code")
                        continue
                    else:
                        continue
                if value.__class__ is int and value != 0 and not 200 <= value <= 299:
                    if value in rules.success_codes:
                        continue
                    if any(roles[n] & _MESSAGE for n in fields) or (_DATA in fields and fields[_DATA] is None):
                        return self._failure(fields, name, f"json.{name} not 2xx")
        return NONE

    def _failure(self, fields: dict[str, object], signal: str, rule: str, jsend: bool = False) -> Classification:
        """The business error verdict for a 2xx body: type from the error text."""
        rules = self.rules
        roles = self._roles
        parts: list[str] = []
        for name, value in fields.items():
            if roles[name] & (_TYPE | _ERROR):
                _add_text(value, parts)
        if jsend and _DATA in fields:
            # JSend "fail" explains the failure in `data` ({"email": "is required"}).
            _add_text(fields[_DATA], parts)
        type_name, _ = rules.type_of_text(norm(" ".join(parts)[:_MAX_TEXT]))
        if type_name is None:
            type_name = self._type_from_codes(fields) or GENERIC_TYPE
        return Classification("business", type_name, rules.severity(type_name), self._detail(fields, signal), rule)

    def _type_from_codes(self, fields: dict[str, object]) -> str | None:
        """A 4xx number in an envelope code or a problem's `status` types the error like that status."""
        for name, value in fields.items():
            if self._roles[name] & (_CODE | _STATUS):
                if value.__class__ is str and value.isdecimal() and value.isascii() and len(value) < 12:
                    value = int(value)
                if value.__class__ is int and 400 <= value <= 499:
                    return self.rules.status_types.get(value)
        return None

    def _detail(self, fields: dict[str, object], signal: str) -> str:
        """A short code naming the failure, for the span status message."""
        roles = self._roles
        for name, value in fields.items():
            if not roles[name] & (_ERROR | _CODE):
                continue
            found = _short(value)
            if found and " " not in found:
                return found
            if value.__class__ is list and value:
                value = value[0]
            if value.__class__ is dict:
                for key in ("code", "type", "error", "reason", "extensions"):
                    inner = value.get(key)
                    if inner.__class__ is dict:
                        inner = inner.get("code")
                    found = _short(inner)
                    if found and " " not in found:
                        return found
        for name, value in fields.items():
            if roles[name] & (_STATUS | _MESSAGE | _ERROR):
                found = _short(value)
                if found:
                    return found
        return signal if signal != "problem" else ""

    # ------------------------------------------------------------ 4xx

    def _client_error(self, status: int, headers: dict[str, str], body: bytes, ct: str | None) -> Classification:
        """4xx: the status's type unless the body names a more specific one."""
        base = self._status_only[status]
        lowered_ct = ct.lower() if ct is not None else ""
        if "html" in lowered_ct:
            return base  # error pages: navigation and boilerplate text, not an error description
        if "transfer-encoding" in headers or "content-encoding" in headers:
            decoded = decode_body(headers, body)
            if decoded is None:
                return base
            body = decoded[0]
        head = body[:64].lstrip().lower()
        if head.startswith((b"<!doctype", b"<html")):
            return base
        charset = charset_of(ct)
        fields: dict[str, object] = {}
        parts: list[str] = []
        if head.startswith((b"{", b"[")):
            doc, _complete = load_json(body, charset)
            if doc.__class__ is dict:
                items = [doc]
            elif doc.__class__ is list:  # e.g. Salesforce: [{"errorCode": ..., "message": ...}]
                items = [d for d in doc[:3] if d.__class__ is dict]
            else:
                items = []
            for item in items:
                members = self._members(item)
                if not fields:
                    fields = members
                for name, value in members.items():
                    if self._roles[name] & (_TYPE | _ERROR):
                        _add_text(value, parts)
            if not parts and items:
                _add_text(items[0], parts)
        else:
            parts.append(to_text(body[:1024], charset))
        rules = self.rules
        found, _ = rules.type_of_text(norm(" ".join(parts)[:_MAX_TEXT]))
        base_type = rules.status_types.get(status)
        if found is None or (base_type is not None and rules.rank.get(found, 99) >= rules.rank.get(base_type, 99)):
            type_name = base_type or GENERIC_TYPE
        else:
            type_name = found
        detail = self._detail(fields, "") if fields else ""
        if type_name == base.type and not detail:
            return base
        return Classification("business", type_name, rules.severity(type_name), detail)
