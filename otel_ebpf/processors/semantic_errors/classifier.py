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

import json
import re
import threading
from typing import NamedTuple

from otel_ebpf.processors.semantic_errors import lexicon
from otel_ebpf.processors.semantic_errors.body import charset_of, decode_body, load_json, to_text
from otel_ebpf.processors.semantic_errors.readers import read_body, visible_text
from otel_ebpf.processors.semantic_errors.rules import GENERIC_TYPE, RuleSet, keyword_regex, norm
from otel_ebpf.telemetry.secrets import DEFAULT_SCRUBBER

__all__ = ["NONE", "Classification", "Classifier", "expects_data", "is_error_title"]


class Classification(NamedTuple):
    """The verdict on one response.

    Attributes:
        kind: ``none``, ``business`` or ``system``.
        type: The error type (``payment``, ``server_error``, ...), None when kind is none.
        severity: ``critical``, ``high``, ``medium`` or ``low``; None when kind is none.
        detail: A short identifier of what was found (an error code, a status word), or "".
            Read from the body: it may carry the body's words, so it leaves the host only
            when bodies do (``capture_body``), through the value detectors.
        rule: Which rule found a 2xx failure (an id of :data:`rules.RULE_IDS`, such as
            ``json.success_flag`` or ``xml.fault``), never the body's words.
        failed_items, items: For a batch answer where some items failed (not a failure of the
            call), how many of how many; 0 otherwise.
    """

    kind: str
    type: str | None
    severity: str | None
    detail: str = ""
    rule: str = ""
    failed_items: int = 0
    items: int = 0


NONE = Classification("none", None, None, "")

# Roles a member can play (bit flags; one name may have several).
_SUCCESS, _STATUS, _ERROR, _CODE, _MESSAGE, _PAYLOAD, _TYPE, _WRAPPER, _ANSWER = 1, 2, 4, 8, 16, 32, 64, 128, 256
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


# Levels of wrapper members the rules look into below the top (`{"data": {"createUser": {...}}}`).
MAX_DEPTH = 3
MAX_XML_DEPTH = 5  # SOAP adds two: Envelope, Body
_WRAPPER_SUFFIXES = ("response", "result", "reply")
# A batch item or stream record with more members than this is an entity, not a result envelope.
_MAX_ITEM_MEMBERS = 8
_MAX_BATCH = 50  # items of a batch looked at
_MAX_READ_BATCH = 3  # a GET answered with more error objects than this is listing them (Salesforce answers 1-2)
# What `_find` returns for an object that says it succeeded: nothing below it is read.
_SUCCESS_FOUND = object()
# What `_signals` returns for a success status word: its siblings are data, wrapped answers are read.
_SUCCESS_STATUS = object()
# PayPal-style exception names: INSTRUMENT_DECLINED, RESOURCE_NOT_FOUND.
_UPPER_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
# The first word of a plain-text body, before `:`, blanks, `-`, `=`, `,`, `!` or the end.
_TEXT_MARKER = re.compile(r"[-+!*\[]?\s*([^\s:=,.!\]\-]{1,16})(?:[\s:=,.!\]\-]|$)")
_TEXT_MARKERS = frozenset({"err", "exception", "fatal", "denied", "unauthorized", "forbidden", "traceback", "panic",
                           "blocked", "expired", "invalid", "rejected", "declined"})  # fmt: skip
_SHORT_TEXT = 160  # a plain-text answer this short is one message: a failure when it names one
_WORDS = re.compile(r"\w+")
# A sign-in page's title or heading, in the lexicon's languages (normalised).
_SIGN_IN = re.compile(
    "signin|login|logon|authenticat|iniciarsesion|iniciesesion|entrar|acessar|connexion|seconnecter|anmelden|"
    "anmeldung|accedi|accesso|ログイン|サインイン|登录|登入|вход|войти|авторизац"
)
# Content types that never carry words (the 2xx fast exit).
_NEVER_AN_ENVELOPE = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip",
                      "application/grpc", "application/x-protobuf", "application/wasm", "text/css")  # fmt: skip
_FLAG_FALSE = frozenset({"false", "0", "no", "n", "f", "ko", "ng", "nein", "non", "нет", "否"})
_FLAG_TRUE = frozenset({"true", "1", "yes", "y", "t", "ok", "si", "sim", "oui", "ja", "да", "是"})
# Success "flags" that may be counts ({"succeeded": 3, "failed": 0}): only booleans and words count.
_COUNT_LIKE = frozenset({"succeeded", "successful"})


def _answers(name: str, value: object) -> bool:
    """`valid: false` (a validator's answer) or `dry_run: true`: the errors beside it are data.
    (`IsValid: true` beside errors, Amazon's, says the request was well-formed: not an answer.)"""
    flag = _flag(value, name)
    return flag is False if "valid" in name else flag is True


# bytes.translate tables for the pre-check: letters kept (lower case), every other byte a blank, and
# `_` deleted, so `error_code` and `errorCode` both give the token `errorcode`, as norm() does.  Digits
# are blanks too unless a word of the rules holds one (a third fewer tokens in a typical body).
_TOKENS = bytes(c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))
_LETTER_TOKENS = bytes(c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 else 32 for c in range(256))
_FAIL_LETTERS = frozenset({"f", "e"})
_RESULT_CODES = frozenset({"result", "resultado", "resultat", "ergebnis", "risultato"})
_SUFFIX_ROLES = ((("status", "state"), 2), (("error", "errors"), 4))  # _STATUS, _ERROR (defined below)
_APPROVAL_FLAGS = frozenset(norm(w) for w in ("approved", "aprobado", "aprobada", "aprovado", "aprovada", "approuve",
                                             "genehmigt", "approvato"))  # fmt: skip


def _flag(value: object, name: str) -> bool | None:
    """A success flag's value: False, True, or None when it is not a flag."""
    if value is True or value is False:
        return value
    cls = value.__class__
    if cls is int:
        if name in _COUNT_LIKE:
            return None
        return True if value == 1 else False if value == 0 else None
    if cls is str and len(value) <= 8:
        word = value.strip().lower()
        if word in _FLAG_FALSE:
            return False
        if word in _FLAG_TRUE:
            return True
    return None


_ID_MEMBERS = ("id", "sid", "uuid", "guid", "_id", "object")


def _is_entity(obj: dict) -> bool:
    """An object that names itself (an id, Stripe's `object`): a resource, not an envelope (JSON-RPC aside)."""
    if "jsonrpc" in obj:
        return False
    for key in _ID_MEMBERS:
        value = obj.get(key)
        if value is not None and value != "":
            return True
    return False


def _plain_json(content_type: str) -> bool:
    """A JSON document in UTF-8 (not a stream of records, not another charset): read directly."""
    lowered = content_type.lower()
    if "application/json" not in lowered and "+json" not in lowered or "json-seq" in lowered or "jsonl" in lowered:
        return False
    return "charset" not in lowered or "utf-8" in lowered or "utf8" in lowered


# Stems of failure words that make a message say a code is an error (ASCII forms, normalised).
_FAILURE_STEMS = ("error", "fail", "invalid", "denied", "declin", "refus", "reject", "notfound", "notexist", "exist",
                  "expired", "exceed", "insufficient", "unauthori", "forbidden")  # fmt: skip


def _is_number(value: object) -> bool:
    return value.__class__ is str and 0 < len(value) < 12 and value.strip().lstrip("-").isdecimal() and value.isascii()


def _json_in_string(text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _status_type(value: object, status_types: dict[int, str]) -> str | None:
    if value.__class__ is str and value.isdecimal() and value.isascii() and len(value) < 12:
        value = int(value)
    if value.__class__ is int and 400 <= value <= 499:
        return status_types.get(value)
    return None


def _has_text(value: object) -> bool:
    return value.__class__ is str and bool(value.strip())


def _all_null(value: object) -> bool:
    """A GraphQL `data` whose every root field is null: no payload at all."""
    return value.__class__ is dict and bool(value) and all(v is None for v in value.values())


def expects_data(request_headers: dict[str, str], path: str) -> bool:
    """Did the request ask for data (JSON, XML) rather than a page?  A login page answering it is a failure."""
    accept = request_headers.get("accept")
    if accept:
        lowered = accept.lower()
        if "html" in lowered:
            return False
        if "json" in lowered or "xml" in lowered:
            return True
    if request_headers.get("x-requested-with") or "json" in (request_headers.get("content-type") or ""):
        return True
    return path.startswith("/api") or "/api/" in path or _VERSIONED_PATH.search(path) is not None


_VERSIONED_PATH = re.compile(r"/v\d+(?:\.\d+)?/")

_TITLE_SPLIT = re.compile(r"\s+[|\u2013\u2014\-:\u00b7]\s+|\s*[|\u2013\u2014\u00b7]\s*")
_TITLE_WORD = re.compile(r"[^\W_]+")
_TITLE_CORE = frozenset(norm(w) for w in lexicon.ERROR_TITLE_CORE)
_TITLE_WORDS = _TITLE_CORE | frozenset(norm(w) for w in lexicon.ERROR_TITLE_WORDS)
_TITLE_PHRASES = tuple(norm(w) for w in lexicon.ERROR_TITLE_PHRASES)


def is_error_title(text: str) -> bool:
    """Is a page title (or its first heading) an error page's: every word of one of its parts is one
    of an error page's, with at least one that says error (`500 Internal Server Error`, `Oops!
    Something went wrong | Acme`, `Seite nicht gefunden`), and not a page about errors
    (`Error codes reference`, `How we handle errors`)."""
    for part in _TITLE_SPLIT.split(text[:200]):
        words = [norm(w) for w in _TITLE_WORD.findall(part)]
        words = [w for w in words if w and not w.isdecimal()]
        if not words:
            if _STATUS_NUMBER.search(part):
                return True  # "500", "404"
            continue
        if all(w in _TITLE_WORDS for w in words) and any(w in _TITLE_CORE for w in words):
            return True
        joined = "".join(words)
        if len(joined) <= 16 and any(joined == p or (not joined.isascii() and p in joined) for p in _TITLE_PHRASES):
            return True
    return False


_STATUS_NUMBER = re.compile(r"^\s*[45]\d\d\s*$")


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


def _add_text(value: object, parts: list[str], depth: int = 0, max_depth: int = 4) -> None:
    """Collects the strings of a member (nested a few levels) for keyword typing."""
    cls = value.__class__
    if cls is str:
        if value.startswith(("http://", "https://")):
            # Only the last segment of a URL names something (problem+json `type`, `doc_url`).
            value = value.rstrip("/").rsplit("/", 1)[-1]
        parts.append(value[:256])
    elif depth < max_depth:
        if cls is dict:
            for item in value.values():
                _add_text(item, parts, depth + 1, max_depth)
        elif cls is list:
            for item in value[:5]:
                _add_text(item, parts, depth + 1, max_depth)


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
            (rules.wrapper_fields, _WRAPPER),
            (rules.data_answer_fields, _ANSWER),
        ):
            for name in names - rules.ignore_fields:
                roles[name] = roles.get(name, 0) | role
        self._roles = roles
        self._max_roles = len(roles) + _KEY_CACHE_MAX  # names given a role by their suffix, bounded
        # raw member name → normalised name when it plays a role, else "": the names seen in
        # responses repeat, so each is normalised once.
        self._keys: dict[str, str] = {}
        self._wrapper_keys: dict[object, bool] = {}
        # The lexicon's words that are not ASCII, to tell which charset a body is in.
        foreign = {
            w
            for words in (rules.status_words, rules.entity_state_words, rules.error_fields, rules.success_fields)
            for w in words
            if not w.isascii()
        }
        for words in rules.type_keywords.values():
            foreign.update(w for w in words if not w.isascii())
        self._lexicon_words = keyword_regex(foreign) or re.compile("(?!)")
        # The pre-check's words: a JSON body that holds none of them (as a name or a value) has no
        # signal for any rule.  ASCII only: a body with other bytes is always read.
        self._triggers = frozenset(
            w.encode()
            for words in (
                rules.success_fields,
                rules.error_fields,
                rules.code_fields,
                rules.status_words,
                rules.entity_state_words,
                {"debugid", "info"},  # PayPal's name + debug_id; ThinkPHP's status 0 + info
            )
            for w in words
            if w.isascii()
        )
        self._token_table = _TOKENS if any(c.isdigit() for w in self._triggers for c in w.decode()) else _LETTER_TOKENS
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
        expects_data: bool = False,
        reads: bool = False,
    ) -> Classification:
        """Classifies a response.

        Args:
            status: The response status; None when no response came.
            headers: Response headers, lower-case names.
            body: The captured body prefix (chunk framing and content coding still applied).
            truncated: True when the capture cut the body.
            error_type: Why no response came (``timeout``, ``connection_reset``, ...).
            expects_data: The request asked for data (JSON or XML), not a page: a login page
                in answer is an authentication failure (see :func:`expects_data`).
            reads: The request only reads (GET, HEAD): an entity it reads in a failed state
                (a pipeline that failed, a message not delivered) is data, not a failed call.
        """
        if status is None:
            return self._no_response(error_type)
        if 200 <= status < 300:
            if not body:
                return NONE
            ct = headers.get("content-type")
            if ct is not None and ct.lower().startswith(_NEVER_AN_ENVELOPE):
                return NONE  # images, fonts, archives: no words in them
            key_status = 200  # a 2xx verdict does not depend on which 2xx
        elif 400 <= status < 500:
            if not body:
                return self._status_only[status]
            ct = headers.get("content-type")
            key_status = status
            expects_data = reads = False
        elif 500 <= status < 600:
            return self._server_error
        else:
            return NONE
        if body.__class__ is not bytes:  # a bytearray or a view: a key must not hold (or share) a buffer
            body = bytes(body)
        key = (
            key_status,
            body,
            truncated,
            ct,
            headers.get("transfer-encoding"),
            headers.get("content-encoding"),
            expects_data,
            reads,
        )
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._classify_body(status, headers, body, truncated, ct, expects_data, reads)
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
        self,
        status: int,
        headers: dict[str, str],
        body: bytes,
        truncated: bool,
        ct: str | None,
        expects_data: bool,
        reads: bool,
    ) -> Classification:
        """The verdict on a 2xx or a 4xx response with a body: what the cache holds."""
        if status >= 300:
            return self._client_error(status, headers, body, ct)
        if "transfer-encoding" in headers or "content-encoding" in headers:
            decoded = decode_body(headers, body)
            if decoded is None:
                return NONE
            body, cut = decoded
            truncated = truncated or cut
        if body[:1] == b"{" and ct is not None and _plain_json(ct):
            # The common case: a JSON object declared as JSON.  First the pre-check: a body in
            # which no word of the rules occurs cannot report a failure, and it costs a tokenizing
            # pass instead of a parse (bench/bench_classifier.py, 1 KiB: 4.3 µs vs 15 µs).
            if body.isascii() and b"\\u" not in body and b'"__type"' not in body and "problem" not in ct:
                if self._triggers.isdisjoint(body.translate(self._token_table, b"_").split()):
                    return NONE
            try:
                doc = json.loads(body)
            except (ValueError, RecursionError):
                doc = None  # cut, or not UTF-8: read below, tolerantly
            if doc is not None:
                if doc.__class__ is not dict:
                    return NONE
                return self._judge_tree(doc, not truncated, ct, "json", reads)
        document = read_body(ct, body, not truncated, self._lexicon_score)
        if document is None:
            return NONE
        fmt = document.format
        if fmt == "html":
            return self._judge_html(document.value, expects_data)
        if fmt == "text":
            return self._judge_text(document.value)
        if fmt == "stream":
            return self._judge_stream(document)
        return self._judge_tree(document.value, document.complete, ct, fmt, reads)

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
                    name = self._role_by_suffix(name)
                keys[key] = name
            if name and name not in out:
                out[name] = value
        return out

    def _role_by_suffix(self, name: str) -> str:
        """A name the lists do not hold plays the role its last word says: `paymentStatus`,
        `X_RETURN_STATUS` are statuses, `NCERROR`, `partialFailureError` errors.  Bounded."""
        for suffixes, role in _SUFFIX_ROLES:
            if name.endswith(suffixes) and len(name) > 6:
                if len(self._roles) >= self._max_roles:
                    return ""
                self._roles[name] = role
                return name
        return ""

    def _judge_tree(self, doc: object, complete: bool, ct: str | None, fmt: str, reads: bool) -> Classification:
        """Reads the failure signals of a tree (JSON, XML, a form): the envelope, nested wrappers, batches."""
        if doc.__class__ is dict:
            if ct is not None and "problem+json" in ct.lower() and self.rules.enabled(f"{fmt}.problem"):
                return self._failure(self._members(doc), doc, "problem", f"{fmt}.problem")
            found = self._find(doc, 0, complete, fmt, reads)
        elif doc.__class__ is list:
            found = self._batch(doc, fmt, reads)
        else:
            return NONE
        if found is None or found is _SUCCESS_FOUND or found is _SUCCESS_STATUS:
            return NONE
        return found

    def _find(self, obj: dict, depth: int, complete: bool, fmt: str, reads: bool) -> Classification | object | None:
        """The failure an object reports, looking into the members that wrap the answer.

        Returns a verdict, :data:`_SUCCESS_FOUND` when the object says it succeeded (nothing
        below is read), or None.
        """
        fields = self._members(obj)
        # An identified entity that the request reads: its state and its error members are its
        # data (GET /pipelines/123 answering `"status": "failed"` read the pipeline fine); only an
        # explicit success flag, a fault or an exception name speak for the call.
        entity_read = reads and _is_entity(obj)
        said_success = False
        if fields:
            found = self._signals(fields, obj, complete, fmt, entity_read, entity_read, not entity_read)
            if found is _SUCCESS_STATUS:
                said_success = True  # its own members are data; a wrapped answer may still have failed
            elif found is not None:
                return found
        if not said_success:
            found = self._vendor(obj, fmt)
            if found is not None:
                return found
            roles = self._roles
            for name, value in fields.items():
                if roles[name] & _PAYLOAD and value.__class__ is list and value:
                    found = self._batch(value, fmt, reads)
                    if found is not None:
                        return found
        if depth < (MAX_DEPTH if fmt != "xml" else MAX_XML_DEPTH) and not entity_read:
            single = len(obj) == 1
            for key, value in obj.items():
                if value.__class__ is str and value[:1] == "{" and (single or self._wraps(key)):
                    value = _json_in_string(value)  # ASP.NET's {"d": "{\"status\": ...}"}
                if value.__class__ is dict and value and (single or self._wraps(key)):
                    found = self._find(value, depth + 1, complete, fmt, reads)
                    if found is not None:
                        return None if found is _SUCCESS_FOUND and not single else found
        return _SUCCESS_FOUND if said_success else None

    def _wraps(self, key: object) -> bool:
        """Does a member of this name wrap the answer (`data`, `Response`, `alipay_trade_pay_response`)?"""
        wraps = self._wrapper_keys.get(key)
        if wraps is None:
            name = norm(key) if key.__class__ is str else ""
            wraps = name in self.rules.wrapper_fields or name.endswith(_WRAPPER_SUFFIXES)
            if len(self._wrapper_keys) >= _KEY_CACHE_MAX:
                self._wrapper_keys.clear()
            self._wrapper_keys[key] = wraps
        return wraps

    def _signals(
        self,
        fields: dict[str, object],
        obj: dict,
        complete: bool,
        fmt: str,
        item: bool,
        entity_read: bool,
        states: bool,
    ) -> Classification | object | None:
        """The signals of one object's own members (see the package docstring).

        `item`: the object is an item of a batch or a stream record (an entity with many members
        that records an error is data).  `entity_read`: an entity read by the request, where only
        a success flag counts.  `states`: status words and entity states count.

        Returns a verdict; :data:`_SUCCESS_FOUND` for a success flag (the API's own verdict);
        :data:`_SUCCESS_STATUS` for a success status word (its sibling members are data); None.
        """
        rules = self.rules
        roles = self._roles
        success = False
        for name, value in fields.items():
            if roles[name] & _SUCCESS:
                if entity_read and name in _APPROVAL_FLAGS:
                    continue  # a payment read with GET: `approved: false` is its stored outcome
                flag = _flag(value, name)
                if flag is False:
                    if rules.enabled(f"{fmt}.success_flag"):
                        return self._failure(fields, obj, name, f"{fmt}.success_flag")
                elif flag is True:
                    success = True
        if success:
            # An explicit success flag is the API's own verdict: other members are data.
            return _SUCCESS_FOUND
        if states:
            for name, value in fields.items():
                if not roles[name] & _STATUS:
                    continue
                if value.__class__ is str and len(value) <= 40:
                    word = norm(value)
                    if word in rules.status_words:
                        if rules.enabled(f"{fmt}.status_word"):
                            return self._failure(fields, obj, name, f"{fmt}.status_word", jsend=True)
                    elif word in rules.entity_state_words:
                        if rules.enabled(f"{fmt}.entity_state"):
                            return self._failure(fields, obj, name, f"{fmt}.entity_state")
                    elif word in rules.success_words:
                        return _SUCCESS_STATUS
                    elif name in _RESULT_CODES and _is_number(value) and self._error_code(name, value, fields):
                        # Realex's {"result": "501", "message": "..."}: a result given as a code.
                        if rules.enabled(f"{fmt}.error_code"):
                            return self._failure(fields, obj, name, f"{fmt}.error_code")
                    elif word in _FAIL_LETTERS and any(roles[n] & _MESSAGE for n in fields if n != name):
                        # SAP's RETURN TYPE "E" (or A, abort) next to its MESSAGE.
                        if rules.enabled(f"{fmt}.status_word"):
                            return self._failure(fields, obj, name, f"{fmt}.status_word")
                    elif name == "status" and word == "0" and _has_text(obj.get("info")):
                        # ThinkPHP's and AMap's envelope: {"status": 0, "info": "..."}; 1 is success.
                        if rules.enabled(f"{fmt}.status_word"):
                            return self._failure(fields, obj, name, f"{fmt}.status_word")
                elif value is False and rules.enabled(f"{fmt}.status_word"):
                    # {"result": false, "message": "..."}: a status given as a flag.
                    return self._failure(fields, obj, name, f"{fmt}.status_word")
                elif value is True and not item:
                    return _SUCCESS_STATUS
                elif value == 0 and name == "status" and _has_text(obj.get("info")):
                    if rules.enabled(f"{fmt}.status_word"):
                        return self._failure(fields, obj, name, f"{fmt}.status_word")
        payload = None  # computed lazily: is a successful payload present?
        # A validator's verdict (valid: false) or a dry run: its errors are data.
        answer = any(roles[n] & _ANSWER and _answers(n, fields[n]) for n in fields)
        for name, value in fields.items():
            role = roles[name]
            if entity_read:
                break
            if role & _ERROR and not answer and not _is_empty(value):
                if value.__class__ is int or value.__class__ is float or _is_number(value):
                    # `"errors": "2"` (a count), `"error": 404` (a code): a code, read as one.
                    if self._error_code(name, value, fields, item) and rules.enabled(f"{fmt}.error_code"):
                        return self._failure(fields, obj, name, f"{fmt}.error_code")
                    continue
                if item and len(obj) > _MAX_ITEM_MEMBERS:
                    continue  # an entity that records an error (a log event, an issue): data
                if payload is None:
                    payload = any(
                        roles[n] & _PAYLOAD and v is not None and v != [] and v != {} and not _all_null(v)
                        for n, v in fields.items()
                        if n != name
                    )
                if not payload and (complete or value.__class__ in _DESCRIBED or _DATA in fields):
                    # In a cut document the payload that makes this a partial success may follow
                    # the cut (graphql-js writes `errors: [...]` first, Elasticsearch's bulk API
                    # `errors: true` before `items`): a list or a bare flag counts only when the
                    # null `data` was seen; an error object or message describes a failure itself.
                    signal = "fault" if name == "fault" else "error_member"
                    if rules.enabled(f"{fmt}.{signal}"):
                        return self._failure(fields, obj, name, f"{fmt}.{signal}")
            if role & _CODE:
                if self._error_code(name, value, fields, item) and rules.enabled(f"{fmt}.error_code"):
                    return self._failure(fields, obj, name, f"{fmt}.error_code")
        return None

    def _error_code(self, name: str, value: object, fields: dict[str, object], item: bool = False) -> bool:
        """Is an envelope code member an error code?  Zero, 2xx, a success word or a success sibling are not.

        In a batch item, a string code needs a message beside it: `{"code": "ERROR_PAGE", "label": ...}` is data.
        """
        rules = self.rules
        if value.__class__ is str:
            stripped = value.strip()
            if stripped.lstrip("-").isdecimal() and stripped.isascii() and len(stripped) < 12:
                value = int(stripped)
            elif 0 < len(stripped) <= 64 and " " not in stripped:
                word = norm(stripped)
                if word in rules.success_words:
                    return False
                if word in _FAIL_LETTERS:
                    # S/F result codes (Korean and Japanese gateways): F or E with a message beside it.
                    return any(self._roles[n] & _MESSAGE for n in fields if n != name)
                if item and not any(self._roles[n] & (_MESSAGE | _ERROR) for n in fields if n != name):
                    return False
                if rules.error_code_words.search(word) is not None:
                    return True
                # `{"code": "E1002", "msg": "该用户名已被注册"}`: a code whose message names a failure.
                return self._message_says_failure(name, fields)
            else:
                return False
        if value.__class__ is not int or value == 0 or 200 <= value <= 299 or value in rules.success_codes:
            return False
        roles = self._roles
        described = False
        for other, other_value in fields.items():
            if other == name:
                continue
            role = roles[other]
            if role & (_MESSAGE | _STATUS | _CODE) and other_value.__class__ is str:
                if norm(other_value) in rules.success_words:
                    return False  # Alipay: {"code": "10000", "msg": "Success"}
            if role & _MESSAGE or role & _ERROR:
                described = True
        return described or (_DATA in fields and fields[_DATA] is None)

    def _message_says_failure(self, code_name: str, fields: dict[str, object]) -> bool:
        for other, text in fields.items():
            if other != code_name and self._roles[other] & _MESSAGE and text.__class__ is str and text:
                normalised = norm(text[:256])
                if self.rules.type_of_text(normalised)[0] is not None:
                    return True
                if any(w in normalised for w in _FAILURE_STEMS):
                    return True
        return False

    def _vendor(self, obj: dict, fmt: str) -> Classification | None:
        """Exception names as vendors write them: AWS `__type`, PayPal `name` with a `debug_id`."""
        kind = obj.get("__type")
        if kind.__class__ is str and norm(kind).endswith(("exception", "error", "fault")):
            if self.rules.enabled(f"{fmt}.vendor_error"):
                return self._failure(self._members(obj), obj, "__type", f"{fmt}.vendor_error")
        name = obj.get("name")
        if (
            name.__class__ is str
            and ("debug_id" in obj or "information_link" in obj)
            and _UPPER_CODE.fullmatch(name)
            and self.rules.error_code_words.search(norm(name))
            and self.rules.enabled(f"{fmt}.vendor_error")
        ):
            return self._failure(self._members(obj), obj, "name", f"{fmt}.vendor_error")
        return None

    def _item_failure(self, item: object, fmt: str, states: bool) -> Classification | None:
        """The failure an item of a batch reports (one wrapper level: `{"index": {...}}`)."""
        if item.__class__ is not dict:
            return None
        fields = self._members(item)
        if len(item) == 1 and not fields:
            inner = next(iter(item.values()))
            if inner.__class__ is dict:
                item = inner  # Elasticsearch's bulk: {"index": {"status": 409, "error": {...}}}
                fields = self._members(item)
        found = self._signals(fields, item, True, fmt, True, False, states)
        if found is None:
            found = self._vendor(item, fmt)
        return None if found is _SUCCESS_FOUND or found is _SUCCESS_STATUS else found

    def _batch(self, items: list, fmt: str, reads: bool) -> Classification | None:
        """A list of results: every item failed is a failure; some is a partial success (counted).

        The items' states count only when the request acted (POST /messages/send answering every
        recipient `rejected`); a list that a GET reads is entities, whatever their state.
        """
        if reads and len(items) > _MAX_READ_BATCH:
            return None  # a list a GET reads is data (an error-code reference); batches answer actions
        checked = failed = 0
        first = None
        for item in items[:_MAX_BATCH]:
            if item.__class__ is not dict:
                return None  # a list of values: data
            checked += 1
            found = self._item_failure(item, fmt, not reads)
            if found is not None:
                failed += 1
                first = first or found
        if not failed:
            return None
        if failed == checked:
            if not self.rules.enabled(f"{fmt}.batch"):
                return None
            return first._replace(rule=f"{fmt}.batch")
        return Classification("none", None, None, "", f"{fmt}.batch", failed, checked)

    def _judge_stream(self, document) -> Classification:
        """An SSE or NDJSON stream ends in failure: an `error` event, its last record an error envelope,
        or every record one.  In a stream cut by the capture the last record is unknown: every record
        seen must be an error (`{"error": "model not found"}`)."""
        records = document.value
        found = [self._item_failure(record, "stream", False) for record in records]
        failed = None
        if found and document.complete and (found[-1] is not None or all(found)):
            failed = found[-1] or found[0]
        elif not document.complete and found and all(f is not None and f.rule != "stream.success_flag" for f in found):
            failed = found[0]  # every record seen so far is an error (and not a record's own outcome)
        if failed is None and document.error_event and self.rules.enabled("stream.error_member"):
            parts: list[str] = []
            for record in records[-2:]:
                _add_text(record, parts)
            type_name, _ = self.rules.type_of_text(norm(" ".join(parts)[:_MAX_TEXT]))
            type_name = type_name or GENERIC_TYPE
            return Classification("business", type_name, self.rules.severity(type_name), "", "stream.error_member")
        return failed or NONE

    def _judge_html(self, page, expects_data: bool) -> Classification:
        """A page answering with 2xx: a login form where data was expected, or an error page."""
        rules = self.rules
        if (
            expects_data
            and rules.enabled("html.login_page")
            and (
                page.password_form or page.sign_in or _SIGN_IN.search(norm(f"{page.title} {page.heading}")) is not None
            )
        ):
            # A call that asked for data answered with a sign-in page, an SSO hand-off (a SAML or
            # OAuth form) or a password form: the session is gone.
            return Classification("business", "auth_failure", rules.severity("auth_failure"), "", "html.login_page")
        if not rules.enabled("html.error_page"):
            return NONE
        error_page = any(text and is_error_title(text) for text in (page.title, page.heading))
        text = ""
        if not error_page and not page.title:
            # No title: PHP's `<b>Fatal error</b>: ...` printed into the answer.
            text = visible_text(page)
            error_page = _TEXT_MARKER.match(text) is not None and self._judge_text(text) is not NONE
        if not error_page and expects_data:
            # A page answering a call that asked for data, whose title or heading names a failure
            # (`Sua sessão expirou`, `Service temporarily unavailable`).
            heading = norm(f"{page.title} {page.heading}")
            error_page = rules.type_of_text(heading)[0] is not None or any(w in heading for w in _FAILURE_STEMS)
        if error_page:
            # The type from what the page says: its title, its heading, its first words.
            text = text or visible_text(page)
            type_name, _ = rules.type_of_text(norm(f"{page.title} {page.heading} {text[:200]}"))
            type_name = type_name or GENERIC_TYPE
            return Classification("business", type_name, rules.severity(type_name), "", "html.error_page")
        return NONE

    def _judge_text(self, text: str) -> Classification:
        """A plain-text body that starts with an error marker (`ERROR: ...`, `FAIL`, `-ERR ...`), or a
        short message naming a failure (`该手机号已被注册`, `Invalid API key`) and no success."""
        head = text.lstrip()[:256]
        if not self.rules.enabled("text.error_line"):
            return NONE
        found = _TEXT_MARKER.match(head)
        marked = found is not None and (
            norm(found.group(1)) in self.rules.status_words or norm(found.group(1)) in _TEXT_MARKERS
        )
        if not marked:
            if len(head) > _SHORT_TEXT or head.count("\n") > 2:
                return NONE
            if any(norm(w) in self.rules.success_words for w in _WORDS.findall(head)):
                return NONE
            if self.rules.type_of_text(norm(head))[0] is None:
                return NONE
        type_name, _ = self.rules.type_of_text(norm(head))
        type_name = type_name or GENERIC_TYPE
        return Classification("business", type_name, self.rules.severity(type_name), "", "text.error_line")

    def _lexicon_score(self, text: str) -> int:
        """How many words of the lexicon that are not ASCII a decoding holds (charset sniffing).

        The words are CJK and Cyrillic, which norm() leaves as they are but for case: lower() is
        enough (norm's pass cost ~6 µs a decoding, five decodings a sniffed body)."""
        return len(self._lexicon_words.findall(text[:1024].lower()))

    def _failure(
        self, fields: dict[str, object], obj: dict, signal: str, rule: str, jsend: bool = False
    ) -> Classification:
        """The business error verdict for a 2xx body: type from the error text of the object that failed."""
        rules = self.rules
        roles = self._roles
        parts: list[str] = []
        for name, value in fields.items():
            if roles[name] & (_TYPE | _ERROR | _STATUS):
                _add_text(value, parts)
        if jsend and _DATA in fields:
            # JSend "fail" explains the failure in `data` ({"email": "is required"}).
            _add_text(fields[_DATA], parts)
        type_name, _ = rules.type_of_text(norm(" ".join(parts)[:_MAX_TEXT]))
        from_code = self._type_from_codes(fields)
        if from_code is not None and (
            type_name is None or rules.rank.get(from_code, 99) < rules.rank.get(type_name, 99)
        ):
            type_name = from_code  # {"code": 401, "message": "token无效"}: the code is more specific than "invalid"
        if type_name is None:
            # The failing object's other words (`refusalReason`, `L_LONGMESSAGE0`, a fault's struct).
            parts = []
            _add_text(obj, parts, 0, 8)
            type_name, _ = rules.type_of_text(norm(" ".join(parts)[:_MAX_TEXT]))
        if type_name is None:
            type_name = GENERIC_TYPE
        return Classification("business", type_name, rules.severity(type_name), self._detail(fields, signal), rule)

    def _type_from_codes(self, fields: dict[str, object]) -> str | None:
        """A 4xx number in an envelope code or a problem's `status` (or in the error object's own
        `code`/`status`) types the error like that status."""
        for name, value in fields.items():
            role = self._roles[name]
            if role & _ERROR and value.__class__ is dict:
                for inner in ("code", "status", "status_code", "http_status", "httpStatus"):
                    found = _status_type(value.get(inner), self.rules.status_types)
                    if found is not None:
                        return found
            if role & (_CODE | _STATUS):
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
