"""Classifies one HTTP response: kind (none/business/system), type and severity.

The rules (see the package docstring for the specification and the configuration):

* no response → system ``connection_reset`` or ``timeout``; 5xx → system ``server_error``;
* 4xx → business, typed from the status, unless the body names a more specific failure;
* 2xx → business when the body reports that the operation failed: the body is read as what it
  is (:mod:`.readers`), then judged by the envelope rules (:mod:`.envelope`: JSON, XML, forms,
  stream records) or the page rules (:mod:`.pages`: HTML, plain text, streams).

The 2xx path is the hot one.  A JSON object declared as JSON goes first through a pre-check (a
tokenizing pass: a body in which no word of the rules occurs cannot report a failure) and is
parsed by the C-accelerated ``json`` module; images, fonts and archives return at once.

Verdicts on bodies are cached: a service answers the same few bodies over and over (a health
check, a list, an error envelope), and a verdict depends only on the status class, the
content type and codings, the captured bytes, the cut, and two facts about the request (it
asked for data; it only reads).  The cache is bounded in entries and in body bytes
(:data:`VERDICT_CACHE_ENTRIES`, :data:`VERDICT_CACHE_BYTES`); when full it is emptied and the
entries dropped are counted (``Classifier.verdicts_evicted``).  Measured with
``bench/bench_classifier.py`` (2 vCPUs, µs per response never seen / seen before): a 1 KiB JSON
success 6.9 / 0.3, a JSON failure 17 / 0.3, a SOAP fault 29 / 0.3, an HTML page 20 / 0.3.
"""

from __future__ import annotations

import json
import re
import threading

from otel_ebpf.processors.semantic_errors.body import charset_of, decode_body, load_json, recover_json, to_text
from otel_ebpf.processors.semantic_errors.envelope import (
    DONE_FLAGS,
    FAILED_PREFIXES,
    FAILURE_FLAGS,
    NAMED_CODES,
    EnvelopeRules,
)
from otel_ebpf.processors.semantic_errors.pages import PageRules, expects_data, is_error_title
from otel_ebpf.processors.semantic_errors.readers import read_body
from otel_ebpf.processors.semantic_errors.rules import GENERIC_TYPE, RuleSet
from otel_ebpf.processors.semantic_errors.values import add_text, typing_text
from otel_ebpf.processors.semantic_errors.verdict import NONE, Classification
from otel_ebpf.telemetry.secrets import DEFAULT_SCRUBBER

__all__ = ["NONE", "Classification", "Classifier", "expects_data", "is_error_title"]
# The verdict cache's bounds: entries, and the captured body bytes its keys hold (a body longer
# than VERDICT_BODY_MAX is classified every time).  At most ~2.5 MB with the keys' overhead.
VERDICT_CACHE_ENTRIES = 4096
VERDICT_CACHE_BYTES = 2 * 1024 * 1024
VERDICT_BODY_MAX = 16 * 1024
# Content types that never carry words (the 2xx fast exit).
_SCORED_CHARS = 256  # characters of a decoding scored when sniffing a charset

_NEVER_AN_ENVELOPE = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip",
                      "application/grpc", "application/x-protobuf", "application/wasm", "text/css")  # fmt: skip


# bytes.translate tables for the pre-check: letters kept (lower case), every other byte a blank, and
# `_` deleted, so `error_code` and `errorCode` both give the token `errorcode`, as norm() does.  Digits
# are blanks too unless a word of the rules holds one (a third fewer tokens in a typical body).
_TOKENS = bytes(c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))
_LETTER_TOKENS = bytes(c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 else 32 for c in range(256))


_FAILED_LISTS = tuple(p.encode() for p in FAILED_PREFIXES)


def _plain_json(content_type: str) -> bool:
    """A JSON document in UTF-8 (not a stream of records, not another charset): read directly."""
    lowered = content_type.lower()
    if "application/json" not in lowered and "+json" not in lowered or "json-seq" in lowered or "jsonl" in lowered:
        return False
    return "charset" not in lowered or "utf-8" in lowered or "utf8" in lowered


class Classifier:
    """Applies one :class:`RuleSet`; thread-compatible (its state: caches)."""

    def __init__(self, rules: RuleSet):
        self.rules = rules
        self.envelope = EnvelopeRules(rules)
        self.pages = PageRules(rules, self.envelope)
        # The lexicon's words that are not ASCII, to tell which charset a body is in.
        foreign = {
            w
            for words in (rules.status_words, rules.entity_state_words, rules.error_fields, rules.success_fields)
            for w in words
            if not w.isascii()
        }
        for words in rules.type_keywords.values():
            foreign.update(w for w in words if not w.isascii())
        chars = sorted({c for word in foreign for c in word if not c.isascii()})
        self._lexicon_chars = re.compile("[" + "".join(map(re.escape, chars)) + "]") if chars else None
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
                # PayPal's name + debug_id or information_link; ThinkPHP's status 0 + info; a result
                # given as a code or a flag; SAP's TYPE "E", an S/F result code.
                {"debugid", "informationlink", "info", "result", "resultado", "resultat", "ergebnis", "e", "f"},
                FAILURE_FLAGS,  # `is_declined: true`
                NAMED_CODES,  # `status_code`, `ReplyCode`: codes by their name's last word
            )
            for w in words
            if w.isascii()
        )
        # A done flag followed by `false` (the tokens of `"sent": false`).
        self._done_false = re.compile(rb"\b(?:" + b"|".join(w.encode() for w in sorted(DONE_FLAGS)) + rb") +false\b")
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
            # (A backslash is looked for first: one byte, found by memchr, where the two-byte
            # search costs 0.3 µs a KiB; most bodies have none.)
            if (
                body.isascii()
                and (b"\\" not in body or b"\\u" not in body)
                and b'"__type"' not in body
                and "problem" not in ct
            ):
                tokens = body.translate(self._token_table, b"_")
                # `error` anywhere: a member named by its suffix (partialFailureError) is read too.
                if b"error" not in tokens:
                    words = tokens.split()
                    if (
                        self._triggers.isdisjoint(words)
                        # `"sent": false` may say failure; `"created": 1680000000, "livemode": false` not.
                        and (b"false" not in tokens or self._done_false.search(tokens) is None)
                        # `"parcels": [], "failed_parcels": [...]`: nothing done.
                        and (b"[]" not in body or not any(w.startswith(_FAILED_LISTS) for w in words))
                    ):
                        return NONE
            try:
                doc, whole = json.loads(body), True
            except UnicodeDecodeError:
                doc = None  # not UTF-8: its charset is sniffed below
            except (ValueError, RecursionError) as exc:
                # Cut by the capture: the members before the cut, without parsing the body again.
                doc, whole = recover_json(body, exc)
            if doc is not None:
                if doc.__class__ is not dict:
                    return NONE
                return self.envelope.judge_tree(doc, whole and not truncated, ct, "json", reads)
        document = read_body(ct, body, not truncated, self._lexicon_score)
        if document is None:
            return NONE
        fmt = document.format
        if fmt == "html":
            return self.pages.judge_html(document.value, expects_data)
        if fmt == "text":
            return self.pages.judge_text(document.value)
        if fmt == "stream":
            return self.pages.judge_stream(document, reads)
        return self.envelope.judge_tree(document.value, document.complete, ct, fmt, reads)

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

    def _lexicon_score(self, text: str) -> int:
        """How many distinct characters of the lexicon's CJK and Cyrillic words a decoding holds
        (charset sniffing): a wrong decoding gives characters at random, the right one the words'
        own.  One character class (1.6 µs a decoding of 256 characters) where a set intersection took
        3.6 µs and a search for the words 6 µs."""
        if self._lexicon_chars is None:
            return 0
        return len(set(self._lexicon_chars.findall(text, 0, _SCORED_CHARS)))

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
                members = self.envelope.members(item)
                if not fields:
                    fields = members
                for name, value in members.items():
                    if self.envelope.describes(name):
                        add_text(value, parts)
            if not parts and items:
                add_text(items[0], parts)
        else:
            parts.append(to_text(body[:1024], charset))
        rules = self.rules
        found, _ = rules.type_of_text(typing_text(parts))
        base_type = rules.status_types.get(status)
        if found is None or (base_type is not None and rules.rank.get(found, 99) >= rules.rank.get(base_type, 99)):
            type_name = base_type or GENERIC_TYPE
        else:
            type_name = found
        detail = self.envelope.detail(fields, "") if fields else ""
        if type_name == base.type and not detail:
            return base
        return Classification("business", type_name, rules.severity(type_name), detail)
