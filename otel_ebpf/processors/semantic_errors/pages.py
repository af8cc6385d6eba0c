"""The rules for what is not a tree: HTML pages, plain text, and SSE/NDJSON streams of records.

* ``html.error_page``: a page whose title or first heading is an error page's, not a page about
  errors; answering a call that asked for data, a page whose title names a failure;
* ``html.login_page``: a sign-in page (a password form, an SSO hand-off) answering a call that
  asked for data;
* ``text.error_line``: plain text that starts with an error marker, or a short message naming a
  failure and no success;
* ``stream.*``: a stream ends in failure (an ``error`` event, its last record an error envelope).
"""

from __future__ import annotations

import re

from otel_ebpf.processors.semantic_errors import lexicon
from otel_ebpf.processors.semantic_errors.envelope import FAILURE_STEMS, EnvelopeRules
from otel_ebpf.processors.semantic_errors.readers import Document, HtmlPage, visible_text
from otel_ebpf.processors.semantic_errors.rules import GENERIC_TYPE, RuleSet, norm
from otel_ebpf.processors.semantic_errors.values import add_text, typing_text
from otel_ebpf.processors.semantic_errors.verdict import NONE, Classification

__all__ = ["PageRules", "expects_data", "is_error_title"]
# The first word of a plain-text body, before `:`, blanks, `-`, `=`, `,`, `!` or the end.
# A leading word and its separator; CJK text separates with full-width marks (`エラー：在庫...`).
_TEXT_MARKER = re.compile(r"[-+!*\[【]?\s*([^\s:=,.!\]\-：，。！、】]{1,16})(?:[\s:=,.!\]\-：，。！、】]|$)")
_TEXT_MARKERS = frozenset({"err", "exception", "fatal", "denied", "unauthorized", "forbidden", "traceback", "panic",
                           "blocked", "expired", "invalid", "rejected", "declined"})  # fmt: skip
# Members naming a stream record's event.
_EVENT_NAMES = ("event", "event_type", "eventType", "type")


_NO_COUNT = re.compile(
    r"\s*(?:0+(?![0-9.,:/-])|none\b|nil\b|n/a\b|なし|無し|无|無|нет|keine?\b|aucune?\b|ningun[oa]?\b|nenhum[a]?\b|nessun[oa]?\b)",
    re.IGNORECASE,
)
_HL7_ACK = re.compile(r"(?:^|[\r\n])MSA\|([ACR][AER])\|")
_SHORT_TEXT = 160  # a plain-text answer this short is one message: a failure when it names one
_WORDS = re.compile(r"\w+")
# A sign-in page's title or heading, in the lexicon's languages: whole words (or two) for the
# languages written with spaces, substrings for the others.
_SIGN_IN_WORDS = frozenset({
    "signin", "login", "logon", "authenticate", "authentication", "iniciarsesion", "iniciesesion",
    "entrar", "acessar", "connexion", "seconnecter", "anmelden", "anmeldung", "accedi", "accesso", "вход",
    "войти", "авторизация",
})  # fmt: skip
_SIGN_IN = re.compile(
    "|".join(norm(w) for w in ("ログイン", "サインイン", "登录", "登入", "вход", "войти", "авторизац"))
)


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


# Failure words a short English text must hold besides a type's keyword (normalised stems).
_TEXT_FAILURE_STEMS = (*FAILURE_STEMS, "already", "missing", "required", "toomany", "unable", "cannot",
                       "cant", "wrong", "incorrect", "nosuch", "blocked", "locked", "limitreached", "notallowed",
                       "mustbe")  # fmt: skip


def _names_sign_in(text: str) -> bool:
    """Does a title or heading name a sign-in page?  Words, not substrings ("Designing" is no sign-in)."""
    words = [norm(w) for w in _WORDS.findall(text[:200].lower())]
    pairs = [a + b for a, b in zip(words, words[1:], strict=False)]
    for word in (*words, *pairs):
        if word in _SIGN_IN_WORDS or (not word.isascii() and _SIGN_IN.search(word) is not None):
            return True
    return False


class PageRules:
    """The page, text and stream rules for one :class:`RuleSet` (stateless)."""

    def __init__(self, rules: RuleSet, envelope: EnvelopeRules):
        self.rules = rules
        self.envelope = envelope

    def judge_stream(self, document: Document, reads: bool = False) -> Classification:
        """An SSE or NDJSON stream ends in failure: an `error` event, its last record an error envelope,
        or every record one.  In a stream cut by the capture the last record is unknown: every record
        seen must be an error (`{"error": "model not found"}`)."""
        records = document.value
        found = [self.envelope.item_failure(record, "stream", False, reads) for record in records]
        if found and found[-1] is None and document.complete and not reads and self._terminal(records):
            # The last record is the stream's outcome (`{"event": "error"}`, `"finish_reason":
            # "ERROR"`): its status word counts, where an earlier record's state is progress.
            last = records[-1]
            found[-1] = self.envelope.item_failure(last, "stream", True) or self._event_failure(last)
        failed = None
        if found and document.complete and (found[-1] is not None or all(found)):
            failed = found[-1] or found[0]
        elif not document.complete and found and all(f is not None and f.rule != "stream.success_flag" for f in found):
            failed = found[0]  # every record seen so far is an error (and not a record's own outcome)
        if failed is None and document.error_event and self.rules.enabled("stream.error_member"):
            parts: list[str] = []
            for record in records[-2:]:
                add_text(record, parts)
            type_name, _ = self.rules.type_of_text(typing_text(parts))
            type_name = type_name or GENERIC_TYPE
            return Classification("business", type_name, self.rules.severity(type_name), "", "stream.error_member")
        return failed or NONE

    def _terminal(self, records: list) -> bool:
        """Is the last record the stream's outcome, not one more row?  Rows report their own outcome in
        the same member (`{"row": 3, "status": "failed"}` after `{"row": 1, "status": "ok"}`): a
        partial success."""
        last = records[-1]
        if last.__class__ is not dict:
            return False
        for record in records[:-1]:
            if record.__class__ is not dict:
                continue
            for key, value in record.items():
                if key in last and value.__class__ is str and norm(value) in self.rules.success_words:
                    return False
        return True

    def _event_failure(self, record: object) -> Classification | None:
        """A record whose event name is a failure word (`{"event": "error", "msg": "..."}`)."""
        if record.__class__ is not dict or not self.rules.enabled("stream.status_word"):
            return None
        for key in _EVENT_NAMES:
            value = record.get(key)
            if value.__class__ is str and len(value) <= 40 and norm(value) in self.rules.status_words:
                parts: list[str] = []
                add_text(record, parts)
                type_name = self.rules.type_of_text(typing_text(parts))[0] or GENERIC_TYPE
                return Classification(
                    "business", type_name, self.rules.severity(type_name), value, "stream.status_word"
                )
        return None

    def judge_html(self, page: HtmlPage, expects_data: bool) -> Classification:
        """A page answering with 2xx: a login form where data was expected, or an error page."""
        rules = self.rules
        if (
            expects_data
            and rules.enabled("html.login_page")
            and (page.password_form or page.sign_in or _names_sign_in(f"{page.title} {page.heading}"))
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
            error_page = _TEXT_MARKER.match(text) is not None and self.judge_text(text) is not NONE
        if not error_page and expects_data:
            # A page answering a call that asked for data, whose title or heading names a failure
            # (`Sua sessão expirou`, `Service temporarily unavailable`).
            heading = norm(f"{page.title} {page.heading}")
            error_page = rules.type_of_text(heading)[0] is not None or any(w in heading for w in FAILURE_STEMS)
        if error_page:
            # The type from what the page says: its title, its heading, its first words.
            text = text or visible_text(page)
            type_name, _ = rules.type_of_text(norm(f"{page.title} {page.heading} {text[:200]}"))
            type_name = type_name or GENERIC_TYPE
            return Classification("business", type_name, rules.severity(type_name), "", "html.error_page")
        return NONE

    def judge_text(self, text: str) -> Classification:
        """A plain-text body that starts with an error marker (`ERROR: ...`, `FAIL`, `-ERR ...`), or a
        short message naming a failure (`该手机号已被注册`, `Invalid API key`) and no success."""
        head = text.lstrip()[:256]
        if not self.rules.enabled("text.error_line"):
            return NONE
        ack = _HL7_ACK.search(text[:1024])
        if ack is not None:
            # An HL7 v2 acknowledgement: MSA|AA accepts; AE/AR (CE/CR) report an error or a reject.
            if ack.group(1) not in ("AE", "AR", "CE", "CR"):
                return NONE
            type_name = self.rules.type_of_text(norm(text[ack.start() : ack.start() + 512]))[0] or GENERIC_TYPE
            return Classification("business", type_name, self.rules.severity(type_name), "", "text.error_line")
        found = _TEXT_MARKER.match(head)
        marked = (
            found is not None
            and (norm(found.group(1)) in self.rules.status_words or norm(found.group(1)) in _TEXT_MARKERS)
            # `Errors: 0`, `失败：0，成功：10`, `エラー：なし`: a count or "none" after it is no error.
            and _NO_COUNT.match(head, found.end()) is None
        )
        if not marked:
            if len(head) > _SHORT_TEXT or head.count("\n") > 2:
                return NONE
            if any(norm(w) in self.rules.success_words for w in _WORDS.findall(head)):
                return NONE
            normalised = norm(head)
            if self.rules.type_of_text(normalised)[0] is None:
                return NONE
            if head.isascii() and not any(stem in normalised for stem in _TEXT_FAILURE_STEMS):
                # "Payment received", "Password updated": a topic is named, no failure.  (CJK and
                # Cyrillic messages name the failure in the type's own words: 已被注册.)
                return NONE
        type_name, _ = self.rules.type_of_text(norm(head))
        type_name = type_name or GENERIC_TYPE
        return Classification("business", type_name, self.rules.severity(type_name), "", "text.error_line")
