"""The envelope rules: what a tree (a JSON document, an XML document, a form) says about the call.

A tree is read the same way whatever format it came in (:mod:`.readers`): its members play roles
by their normalised names (a success flag, a status, an error member, an envelope code, a message,
a payload, a wrapper), and the rules read them at the top and inside the members that wrap the
answer, a bounded depth down; a list of results is a batch.  See the package docstring for the
rules and their ids (``json.success_flag``, ``xml.fault``, ...).
"""

from __future__ import annotations

import re

import ahocorasick

from otel_ebpf.processors.semantic_errors import lexicon
from otel_ebpf.processors.semantic_errors.rules import GENERIC_TYPE, RuleSet, norm
from otel_ebpf.processors.semantic_errors.values import (
    INTEGER,
    OTHER_THING_PREFIXES,
    add_text,
    all_empty_items,
    all_null,
    client_status,
    counts_successes,
    flag_value,
    has_text,
    holds_card,
    is_empty,
    is_entity,
    is_number,
    json_in_string,
    one_object,
    short_code,
    some_succeeded,
    typing_text,
)
from otel_ebpf.processors.semantic_errors.verdict import NONE, Classification

__all__ = [
    "DONE_FLAGS",
    "FAILED_PREFIXES",
    "NAMED_CODES",
    "FAILURE_FLAGS",
    "FAILURE_STEMS",
    "EnvelopeRules",
]

# Roles a member can play (bit flags; one name may have several).
_SUCCESS, _STATUS, _ERROR, _CODE, _MESSAGE, _PAYLOAD, _TYPE, _WRAPPER, _ANSWER, _FAILFLAG, _DONEFLAG = (
    1,
    2,
    4,
    8,
    16,
    32,
    64,
    128,
    256,
    512,
    1024,
)
# The normalised name of GraphQL's / JSend's result member.
_DATA = "data"
# Error member values that describe a failure on their own (an object, a message).
_DESCRIBED = (dict, str)
_KEY_CACHE_MAX = 4096


# Levels of wrapper members the rules look into below the top (`{"data": {"createUser": {...}}}`).
MAX_DEPTH = 3
MAX_XML_DEPTH = 7  # SOAP adds two (Envelope, Body), a document carried as text one or two more
# ... and names ending so: `alipay_trade_pay_response`, ISO 20022's `OrgnlGrpInfAndSts`, an SMS
# gateway's `messages`.
_WRAPPER_SUFFIXES = ("response", "result", "reply", "status", "sts", "messages", "message")
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
# Flags that say failure when true (normalised).
FAILURE_FLAGS = frozenset({"isdeclined", "declined", "iserror", "isfailed", "failed", "isfailure"})
# Flags that say the call's action was done (`{"sent": false, "reason": "Too many codes requested"}`):
# false is a failure when a message beside it says why (a `verified: false` alone is an entity's data).
DONE_FLAGS = frozenset({"sent", "committed", "processed", "created", "saved", "delivered", "executed",
                        "published", "confirmed", "submitted", "queued", "scheduled", "cancelled", "canceled",
                        "deleted", "updated", "charged", "captured", "refunded", "booked", "registered"})  # fmt: skip


def _answers(name: str, value: object) -> bool:
    """`valid: false` (a validator's answer) or `dry_run: true`: the errors beside it are data.
    (`IsValid: true` beside errors, Amazon's, says the request was well-formed: not an answer.)"""
    flag = flag_value(value, name)
    return flag is False if "valid" in name else flag is True


_FAIL_LETTERS = frozenset({"f", "e"})
_RESULT_CODES = frozenset({"result", "resultado", "resultat", "ergebnis", "risultato"})
_ITEM_STATUS_NAMES = frozenset({"status", "statuscode", "httpstatuscode", "httpstatus", "httpcode", "code"})
_HTTP_STATUS_TEXT = re.compile(r"([1-5][0-9][0-9])(?: [A-Za-z]|$)")
# Roles by a name's last word: `paymentStatus`, `GrpSts`; `NCERROR`, `failed_parcels`; `ssl_result`;
# `errorText`, Oracle's `X_MSG_DATA`; Rakuten's `MessageModelList`, QuickBooks' `BatchItemResponse` (lists of results).
_SUFFIX_ROLES = (
    (("status", "state", "sts"), _STATUS),
    (("error", "errors", "failed", "failurelist", "failureinfo", "rejected"), _ERROR),
    (("result",), _STATUS | _CODE),
    (("message", "msg", "msgdata", "text", "txt", "description", "desc"), _MESSAGE),
    (("list", "responses", "itemresponse"), _PAYLOAD),
)
# A code named by what it reports (`ReplyCode`, `status_code`, `ResultCode`): an envelope code.  (A
# `postCode` or a `countryCode` is data.)
_CODE_PREFIXES = frozenset({"reply", "result", "return", "response", "resp", "status", "error", "err", "ret",
                            "rtn", "rt", "ack", "outcome", "answer", "reason"})  # fmt: skip
# ... and in the languages that name the code first: Paybox's `CODEREPONSE`, Chorus Pro's `codeRetour`.
_ROMANCE_CODES = frozenset(
    f"{code}{what}"
    for code in ("code", "codigo", "codice")
    for what in ("reponse", "retour", "erreur", "respuesta", "resposta", "retorno", "resultado", "risposta", "esito",
                 "errore", "error", "erro")
)  # fmt: skip
NAMED_CODES = frozenset(prefix + "code" for prefix in _CODE_PREFIXES) | _ROMANCE_CODES
# Lists of what a call could not do, named by their first word (`failed_parcels`, `rejectedRecords`):
# beside an empty list of what it did (`parcels: []`), nothing was done.
FAILED_PREFIXES = ("failed", "unprocessed", "rejected", "errored")
_APPROVAL_FLAGS = frozenset(norm(w) for w in ("approved", "aprobado", "aprobada", "aprovado", "aprovada", "approuve",
                                             "genehmigt", "approvato"))  # fmt: skip


# Stems of failure words that make a message say a code is an error (ASCII forms, normalised).
FAILURE_STEMS = ("error", "fail", "invalid", "denied", "declin", "refus", "reject", "notfound", "notexist", "exist",
                  "expired", "exceed", "insufficient", "unauthori", "forbidden")  # fmt: skip

# A status value that is a code: digits, or letters then digits (`999`, `LIB10003`, `E-1001`).
_STATUS_CODE = re.compile(r"[A-Za-z]{0,8}[-_]?[0-9]{1,11}")

# A message that says the call succeeded ("completed successfully", "Success."), not "unsuccessful".
_SAYS_SUCCESS = re.compile(r"(?<![\w-])(?<!not )(?:success|successful|successfully)\b", re.IGNORECASE)

_MAX_NAME = 64  # characters of a member name read for a role


class EnvelopeRules:
    """The rules over trees for one :class:`RuleSet`; thread-compatible (its state: name caches)."""

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
            (FAILURE_FLAGS, _FAILFLAG),
            (DONE_FLAGS, _DONEFLAG),
        ):
            for name in names - rules.ignore_fields:
                roles[name] = roles.get(name, 0) | role
        self.roles = roles
        self._max_roles = len(roles) + _KEY_CACHE_MAX  # names given a role by their suffix, bounded
        # raw member name → normalised name when it plays a role, else "": the names seen in
        # responses repeat, so each is normalised once.
        self._keys: dict[str, str] = {}
        self._wrapper_keys: dict[object, bool] = {}
        self._named_codes = NAMED_CODES - rules.code_fields  # the lists' own code names are codes as such
        # Failure stems in every language: the English ones, the longer failure words, and more.
        self._failure_stems = ahocorasick.Automaton()
        for stem in (
            *FAILURE_STEMS,
            *(w for w in rules.status_words if len(w) >= (5 if w.isascii() else 2)),
            *(norm(w) for w in lexicon.MESSAGE_FAILURE_STEMS),
        ):
            if stem:
                self._failure_stems.add_word(stem, stem)
        self._failure_stems.make_automaton()

    def describes(self, name: str) -> bool:
        """Does a member of this (normalised) name say what went wrong (an error or a type field)?"""
        return bool(self.roles[name] & (_TYPE | _ERROR))

    # ------------------------------------------------------------ 2xx

    def members(self, doc: dict) -> dict[str, object]:
        """The top-level members that play a role, by normalised name (first occurrence wins)."""
        keys = self._keys
        out: dict[str, object] = {}
        for key, value in doc.items():
            name = keys.get(key)
            if name is None:
                if key.__class__ is not str or len(key) > _MAX_NAME:
                    continue  # no rule names a member this long; and the cache holds only short keys
                if len(keys) >= _KEY_CACHE_MAX:
                    keys.clear()
                name = norm(key)
                if name not in self.roles:
                    name = self._role_by_suffix(name)
                keys[key] = name
            if name and name not in out:
                out[name] = value
        return out

    def _role_by_suffix(self, name: str) -> str:
        """A name the lists do not hold plays the role its last word says: `paymentStatus`,
        `X_RETURN_STATUS` are statuses, `NCERROR`, `partialFailureError` errors.  Bounded."""
        if name in self.rules.ignore_fields or name.startswith(OTHER_THING_PREFIXES):
            return ""  # `last_login_status`, `previousState`: another thing's, not the answer's
        if (name.endswith("code") and name[:-4] in _CODE_PREFIXES) or name in _ROMANCE_CODES:
            if len(self.roles) >= self._max_roles:
                return ""
            self.roles[name] = _CODE
            return name  # (one of NAMED_CODES)
        for suffixes, role in _SUFFIX_ROLES:
            if name.endswith(suffixes) and len(name) > 5:
                # At most _KEY_CACHE_MAX such names (<= 64 characters each: ~300 KB): past that,
                # further ones play no role (the lists' own names always do).
                if len(self.roles) >= self._max_roles:
                    return ""
                self.roles[name] = role
                return name
        return ""

    def judge_tree(self, doc: object, complete: bool, ct: str | None, fmt: str, reads: bool) -> Classification:
        """Reads the failure signals of a tree (JSON, XML, a form): the envelope, nested wrappers, batches."""
        if doc.__class__ is dict:
            if ct is not None and "problem+json" in ct.lower() and self.rules.enabled(f"{fmt}.problem"):
                return self._failure(self.members(doc), doc, "problem", f"{fmt}.problem")
            found = self._find(doc, 0, complete, fmt, reads)
        elif doc.__class__ is list:
            found = self._batch(doc, fmt, reads)
        else:
            return NONE
        if found is None or found is _SUCCESS_FOUND or found is _SUCCESS_STATUS:
            return NONE
        if found.type == GENERIC_TYPE and found.kind == "business" and doc.__class__ is dict:
            # The object that said "failed" named no type; a sibling may (a `Header` says FEHLER, the
            # `Body` beside it why): the messages, codes and reasons of the whole document, once
            # (not its data: an `issuer` URL or a town named Springfield names no failure).
            parts: list[str] = []
            self._described_text(doc, parts, 0)
            type_name = self.rules.type_of_text(typing_text(parts))[0]
            if type_name is not None:
                return found._replace(type=type_name, severity=self.rules.severity(type_name))
        return found

    def _find(self, obj: dict, depth: int, complete: bool, fmt: str, reads: bool) -> Classification | object | None:
        """The failure an object reports, looking into the members that wrap the answer.

        Returns a verdict, :data:`_SUCCESS_FOUND` when the object says it succeeded (nothing
        below is read), or None.
        """
        fields = self.members(obj)
        # An identified entity that the request reads: its state and its error members are its
        # data (GET /pipelines/123 answering `"status": "failed"` read the pipeline fine); only an
        # explicit success flag, a fault or an exception name speak for the call.
        entity_read = reads and is_entity(obj)
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
            roles = self.roles
            for name, value in fields.items():
                if roles[name] & _PAYLOAD and value.__class__ is list and value:
                    found = self._batch(value, fmt, reads)
                    if found is not None:
                        return found
            if not reads:
                found = self._nothing_done(obj, fmt)
                if found is not None:
                    return found
        if depth < (MAX_DEPTH if fmt != "xml" else MAX_XML_DEPTH) and not entity_read:
            # The only object among scalars is the answer, whatever its name (`{"transazione": {...},
            # "importo": 2490}`); an object of many objects is read through its wrappers only.
            single = len(obj) == 1 or (not reads and one_object(obj))
            for key, value in obj.items():
                if value.__class__ is str and value[:1] == "{" and (single or self._wraps(key)):
                    value = json_in_string(value)  # ASP.NET's {"d": "{\"status\": ...}"}
                if value.__class__ is dict and value and (single or self._wraps(key)):
                    found = self._find(value, depth + 1, complete, fmt, reads)
                    if found is not None:
                        if found is _SUCCESS_FOUND:
                            return None if not single else found
                        if found.kind != "none" and counts_successes(obj):
                            return None  # one failed result beside a count of successes: a partial success
                        return found
        return _SUCCESS_FOUND if said_success else None

    def _described_text(self, obj: dict, parts: list[str], depth: int) -> None:
        """The texts of the members that say what went wrong (messages, codes, reasons, errors), a
        few levels down."""
        for name, value in self.members(obj).items():
            if self.roles[name] & (_TYPE | _ERROR | _MESSAGE):
                add_text(value, parts)
        if depth < MAX_DEPTH:
            for value in obj.values():
                if value.__class__ is dict:
                    self._described_text(value, parts, depth + 1)

    def _nothing_done(self, obj: dict, fmt: str) -> Classification | None:
        """`{"parcels": [], "failed_parcels": [...]}`: the list of what the call did is empty and the
        list of what it could not do, named after the same things, is not: every item failed (typed
        from them).
        An entity's lists (`failed_tests` of a build) are its data."""
        if is_entity(obj):
            return None
        lists = {norm(k): v for k, v in obj.items() if v.__class__ is list and k.__class__ is str}
        for name, failed in lists.items():
            if not failed:
                continue
            for prefix in FAILED_PREFIXES:
                stem = name[len(prefix) :]
                # `parcels` beside `failed_parcels`, `createdOrders` beside `failedOrders`.
                if name.startswith(prefix) and stem and any(n.endswith(stem) and not v for n, v in lists.items()):
                    break
            else:
                continue
            if any(v for n, v in lists.items() if n != name) or not self.rules.enabled(f"{fmt}.batch"):
                return None  # something was done
            parts: list[str] = []
            add_text(failed, parts)
            type_name = self.rules.type_of_text(typing_text(parts))[0] or GENERIC_TYPE
            return Classification("business", type_name, self.rules.severity(type_name), "", f"{fmt}.batch")
        return None

    def _wraps(self, key: object) -> bool:
        """Does a member of this name wrap the answer (`data`, `Response`, `alipay_trade_pay_response`)?"""
        wraps = self._wrapper_keys.get(key)
        if wraps is None:
            if key.__class__ is not str or len(key) > _MAX_NAME:
                return False
            name = norm(key)
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
        roles = self.roles
        success = False
        for name, value in fields.items():
            if roles[name] & _SUCCESS:
                if entity_read and name in _APPROVAL_FLAGS:
                    continue  # a payment read with GET: `approved: false` is its stored outcome
                flag = flag_value(value, name)
                if flag is False:
                    if rules.enabled(f"{fmt}.success_flag"):
                        return self._failure(fields, obj, name, f"{fmt}.success_flag")
                elif flag is True:
                    success = True
        if success:
            # An explicit success flag is the API's own verdict: other members are data.
            return _SUCCESS_FOUND
        if not entity_read:
            for key, value in fields.items():
                if roles[key] & _FAILFLAG and value is True and rules.enabled(f"{fmt}.success_flag"):
                    return self._failure(fields, obj, key, f"{fmt}.success_flag")  # `is_declined: true`
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
                    elif name in _RESULT_CODES and is_number(value) and self._error_code(name, value, fields):
                        # Realex's {"result": "501", "message": "..."}: a result given as a code.
                        if rules.enabled(f"{fmt}.error_code"):
                            return self._failure(fields, obj, name, f"{fmt}.error_code")
                    elif word in _FAIL_LETTERS and any(roles[n] & _MESSAGE for n in fields if n != name):
                        # SAP's RETURN TYPE "E" (or A, abort) next to its MESSAGE.
                        if rules.enabled(f"{fmt}.status_word"):
                            return self._failure(fields, obj, name, f"{fmt}.status_word")
                    elif name == "status" and word == "0" and has_text(obj.get("info")):
                        # ThinkPHP's and AMap's envelope: {"status": 0, "info": "..."}; 1 is success.
                        if rules.enabled(f"{fmt}.status_word"):
                            return self._failure(fields, obj, name, f"{fmt}.status_word")
                    elif (found := _HTTP_STATUS_TEXT.match(value)) is not None and 400 <= int(found.group(1)) <= 599:
                        # An HTTP status as text (XML-RPC APIs: `"status": "407 Download limit reached"`).
                        if rules.enabled(f"{fmt}.error_code"):
                            verdict = self._failure(fields, obj, name, f"{fmt}.error_code")
                            if verdict.type == GENERIC_TYPE:
                                status_type = rules.status_types.get(int(found.group(1)))
                                if status_type is not None:
                                    verdict = verdict._replace(type=status_type, severity=rules.severity(status_type))
                            return verdict
                    elif _STATUS_CODE.fullmatch(value.strip()) and self._message_says_failure(name, fields):
                        # A status given as a code (`"Status": "LIB10003"`, `"status": "999"`) beside a
                        # message that names a failure.
                        if rules.enabled(f"{fmt}.error_code"):
                            return self._failure(fields, obj, name, f"{fmt}.error_code")
                elif (
                    value.__class__ is int
                    and value != 0
                    and value != 200
                    and self._message_says_failure(name, fields)
                    and rules.enabled(f"{fmt}.error_code")
                ):
                    # Baidu's and Tencent's {"status": 302, "message": "天配额超限"}: 0 is success.
                    return self._failure(fields, obj, name, f"{fmt}.error_code")
                elif value is False and rules.enabled(f"{fmt}.status_word"):
                    # {"result": false, "message": "..."}: a status given as a flag.
                    return self._failure(fields, obj, name, f"{fmt}.status_word")
                elif value is True and not item:
                    return _SUCCESS_STATUS
                elif value == 0 and name == "status" and has_text(obj.get("info")):
                    if rules.enabled(f"{fmt}.status_word"):
                        return self._failure(fields, obj, name, f"{fmt}.status_word")
        if not entity_read and not is_entity(obj):
            for key, value in fields.items():
                # `{"sent": false, "reason": "Too many codes requested"}`: the action named was not
                # done, and a message says it failed (a `deleted: false` beside a description is data).
                if (
                    value is False
                    and roles[key] & _DONEFLAG
                    and self._message_says_failure(key, fields)
                    and rules.enabled(f"{fmt}.success_flag")
                ):
                    return self._failure(fields, obj, key, f"{fmt}.success_flag")
        payload = None  # computed lazily: is a successful payload present?
        # A validator's verdict (valid: false) or a dry run: its errors are data.
        answer = any(roles[n] & _ANSWER and _answers(n, fields[n]) for n in fields)
        for name, value in fields.items():
            role = roles[name]
            if entity_read:
                break
            if role & _ERROR and not answer and not is_empty(value):
                if value.__class__ is int or value.__class__ is float or is_number(value):
                    # `"errors": "2"` (a count), `"error": 404` (a code): a code, read as one.
                    if self._error_code(name, value, fields, item) and rules.enabled(f"{fmt}.error_code"):
                        return self._failure(fields, obj, name, f"{fmt}.error_code")
                    continue
                if item and len(obj) > _MAX_ITEM_MEMBERS:
                    continue  # an entity that records an error (a log event, an issue): data
                if payload is None:
                    payload = any(
                        roles[n] & _PAYLOAD
                        and v is not None
                        and v != []
                        and v != {}
                        and not all_null(v)
                        and not all_empty_items(v)
                        for n, v in fields.items()
                        if n != name
                    ) or some_succeeded(obj)
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
            if INTEGER.fullmatch(stripped):
                value = int(stripped)
            elif 0 < len(stripped) <= 64 and " " not in stripped:
                word = norm(stripped)
                if word in rules.success_words:
                    return False
                if word in _FAIL_LETTERS:
                    # S/F result codes (Korean and Japanese gateways): F or E with a message beside it.
                    return any(self.roles[n] & _MESSAGE for n in fields if n != name)
                if item and not any(self.roles[n] & (_MESSAGE | _ERROR) for n in fields if n != name):
                    return False
                if rules.code_says_error(stripped):
                    return True
                # `{"code": "E1002", "msg": "该用户名已被注册"}`: a code whose message names a failure.
                return self._message_says_failure(name, fields)
            else:
                return False
        if value.__class__ is not int or value == 0 or value == 200 or value in rules.success_codes:
            return False
        if 200 < value <= 299 or name in self._named_codes:
            # A 2xx other than 200 (201 Created) is a success unless its message names a failure
            # (BPJS's {"code": "201", "message": "Peserta Tidak Ditemukan"}); so is a code named by
            # what it reports (`status_code`: an uptime check's 503 beside "Service Unavailable" is
            # data, Bitly's 403 beside RATE_LIMIT_EXCEEDED is not).
            return self._message_says_failure(name, fields)
        roles = self.roles
        described = False
        for other, other_value in fields.items():
            if other == name:
                continue
            role = roles[other]
            if other_value.__class__ is dict and other_value.get("value").__class__ is str:
                other_value = other_value["value"]  # an XML element with attributes: `<msg lang="en">...`
            if role & (_MESSAGE | _STATUS | _CODE) and other_value.__class__ is str:
                if norm(other_value) in rules.success_words:
                    return False  # Alipay: {"code": "10000", "msg": "Success"}
                if role & _MESSAGE and _SAYS_SUCCESS.search(other_value[:256]):
                    return False  # EPP: {"code": 1000, "msg": "Command completed successfully"}
            if role & _MESSAGE or role & _ERROR:
                described = True
        return described or (_DATA in fields and fields[_DATA] is None)

    def _message_says_failure(self, code_name: str, fields: dict[str, object]) -> bool:
        """Does a message beside the code name a failure: a type's keyword or a failure stem?"""
        for other, text in fields.items():
            if other != code_name and self.roles[other] & _MESSAGE and text.__class__ is str and text:
                normalised = norm(text[:256])
                if self.rules.type_of_text(normalised)[0] is not None:
                    return True
                if next(self._failure_stems.iter(normalised), None) is not None:
                    return True
        return False

    def _vendor(self, obj: dict, fmt: str) -> Classification | None:
        """Exception names as vendors write them: AWS `__type`, PayPal `name` with a `debug_id`; a FHIR
        OperationOutcome with an issue of severity error or fatal."""
        issues = obj.get("issue")
        if issues is not None and (obj.get("resourceType") in (None, "OperationOutcome")):
            for issue in issues if issues.__class__ is list else [issues]:
                if issue.__class__ is dict and issue.get("severity") in ("error", "fatal"):
                    if self.rules.enabled(f"{fmt}.vendor_error"):
                        return self._failure({}, issue, "issue", f"{fmt}.vendor_error")
                    break
        kind = obj.get("__type")
        if kind.__class__ is str and norm(kind).endswith(("exception", "error", "fault")):
            if self.rules.enabled(f"{fmt}.vendor_error"):
                return self._failure(self.members(obj), obj, "__type", f"{fmt}.vendor_error")
        name = obj.get("name")
        if (
            name.__class__ is str
            and ("debug_id" in obj or "information_link" in obj)
            and _UPPER_CODE.fullmatch(name)
            and self.rules.code_says_error(name)
            and self.rules.enabled(f"{fmt}.vendor_error")
        ):
            return self._failure(self.members(obj), obj, "name", f"{fmt}.vendor_error")
        return None

    def item_failure(self, item: object, fmt: str, states: bool, reads: bool = False) -> Classification | None:
        """The failure an item of a batch reports (one wrapper level: `{"index": {...}}`).  An entity
        of a list a GET reads (an object with an id) reports nothing but an explicit success flag."""
        if item.__class__ is not dict:
            return None
        fields = self.members(item)
        if len(item) == 1 and not fields:
            inner = next(iter(item.values()))
            if inner.__class__ is dict:
                item = inner  # Elasticsearch's bulk: {"index": {"status": 409, "error": {...}}}
                fields = self.members(item)
        entity_read = reads and is_entity(item)
        found = self._signals(fields, item, True, fmt, True, entity_read, states and not entity_read)
        if found is None:
            found = self._vendor(item, fmt)
        if found is None and not entity_read:
            found = self._item_status(item, fmt)
        return None if found is _SUCCESS_FOUND or found is _SUCCESS_STATUS else found

    def _item_status(self, item: dict, fmt: str) -> Classification | None:
        """A batch item that carries an HTTP status of its own (Azure's $batch `httpStatusCode`,
        Asana's `status_code`, Trello's results keyed `404`): 4xx/5xx is a failed item."""
        for key, value in item.items():
            if key.__class__ is not str or len(key) > 24:
                continue
            if key.isdecimal():
                status, words = int(key), value
            elif norm(key) in _ITEM_STATUS_NAMES and (value.__class__ is int or value.__class__ is str):
                if value.__class__ is str:
                    # FHIR's batch-response: `"status": "404 Not Found"`.
                    found = _HTTP_STATUS_TEXT.match(value)
                    if found is None:
                        continue
                    value = int(found.group(1))
                status, words = value, item
            else:
                continue
            if 400 <= status <= 599:
                parts: list[str] = []
                add_text(words, parts)
                type_name = self.rules.type_of_text(typing_text(parts))[0]
                type_name = type_name or self.rules.status_types.get(status) or GENERIC_TYPE
                return Classification("business", type_name, self.rules.severity(type_name), str(status), fmt)
        return None

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
            found = self.item_failure(item, fmt, not reads, reads)
            if found is not None:
                failed += 1
                first = first or found
        if not failed:
            return None
        if failed == len(items):
            if not self.rules.enabled(f"{fmt}.batch"):
                return None
            return first._replace(rule=f"{fmt}.batch")
        # Some items failed (of those looked at: the first _MAX_BATCH): a partial success.
        return Classification("none", None, None, "", f"{fmt}.batch", failed, len(items))

    def _failure(
        self, fields: dict[str, object], obj: dict, signal: str, rule: str, jsend: bool = False
    ) -> Classification:
        """The business error verdict for a 2xx body: type from the error text of the object that failed."""
        rules = self.rules
        roles = self.roles
        parts: list[str] = []
        for name, value in fields.items():
            if roles[name] & (_TYPE | _ERROR | _STATUS | _MESSAGE):
                add_text(value, parts)
        if jsend and _DATA in fields:
            # JSend "fail" explains the failure in `data` ({"email": "is required"}).
            add_text(fields[_DATA], parts)
        type_name, _ = rules.type_of_text(typing_text(parts))
        from_code = self._type_from_codes(fields)
        if from_code is not None and (
            type_name is None or rules.rank.get(from_code, 99) < rules.rank.get(type_name, 99)
        ):
            type_name = from_code  # {"code": 401, "message": "token无效"}: the code is more specific than "invalid"
        if type_name is None:
            # The failing object's other words (`refusalReason`, `L_LONGMESSAGE0`, a fault's struct).
            parts = []
            add_text(obj, parts, 0, 8)
            type_name, _ = rules.type_of_text(typing_text(parts))
        if type_name is None and rule.endswith(".entity_state") and holds_card(obj):
            type_name = "payment"  # a card transaction refused: a payment declined
        if type_name is None:
            type_name = GENERIC_TYPE
        return Classification("business", type_name, rules.severity(type_name), self.detail(fields, signal), rule)

    def _type_from_codes(self, fields: dict[str, object]) -> str | None:
        """A 4xx number in an envelope code or a problem's `status` (or in the error object's own
        `code`/`status`) types the error like that status."""
        for name, value in fields.items():
            role = self.roles[name]
            if role & _ERROR and value.__class__ is dict:
                for inner in ("code", "status", "status_code", "http_status", "httpStatus"):
                    status = client_status(value.get(inner))
                    if status is not None and status in self.rules.status_types:
                        return self.rules.status_types[status]
            if role & (_CODE | _STATUS):
                status = client_status(value)
                if status is not None:
                    return self.rules.status_types.get(status)
        return None

    def detail(self, fields: dict[str, object], signal: str) -> str:
        """A short code naming the failure, for the span status message."""
        roles = self.roles
        for name, value in fields.items():
            if not roles[name] & (_ERROR | _CODE):
                continue
            found = short_code(value)
            if found and " " not in found:
                return found
            if value.__class__ is list and value:
                value = value[0]
            if value.__class__ is dict:
                for key in ("code", "type", "error", "reason", "extensions"):
                    inner = value.get(key)
                    if inner.__class__ is dict:
                        inner = inner.get("code")
                    found = short_code(inner)
                    if found and " " not in found:
                        return found
        for name, value in fields.items():
            if roles[name] & (_STATUS | _MESSAGE | _ERROR):
                found = short_code(value)
                if found:
                    return found
        return signal if signal != "problem" else ""
