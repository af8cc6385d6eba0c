"""Configuration → compiled rules for the semantic error classifier.

Every rule is data: the processor's config (``processors: semantic_errors:``) extends
built-in defaults, and :func:`compile_rules` turns the result into a :class:`RuleSet` of
frozensets and precompiled regular expressions once, at start, so that classifying a
response never builds a matcher.

Names and words are compared *normalised*: lower-cased with every character that is not
a letter or digit removed, so ``error_code``, ``errorCode`` and ``Error-Code`` are the
same field and the keyword ``rate limit`` matches ``rate_limit``, ``RateLimited`` and
``RATE-LIMIT``.  The documented keys and their defaults live in the package docstring
(:mod:`otel_ebpf.processors.semantic_errors`).
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import ahocorasick

from otel_ebpf.processors.semantic_errors import lexicon

KINDS = ("none", "business", "system")
SEVERITIES = ("critical", "high", "medium", "low")

# Business error types, most specific first: the first type whose keyword appears in the
# error text wins (a 400 saying "insufficient funds" is a payment error, not validation).
BUILTIN_TYPES = ("payment", "rate_limit", "auth_failure", "not_found", "conflict", "validation")
GENERIC_TYPE = "generic_business_error"
SYSTEM_TYPES = ("server_error", "timeout", "connection_reset")

DEFAULT_KEYWORDS: dict[str, tuple[str, ...]] = lexicon.KEYWORDS

DEFAULT_SEVERITIES: dict[str, str] = {
    "payment": "critical",
    "auth_failure": "high",
    "rate_limit": "high",
    "server_error": "high",
    "timeout": "high",
    "connection_reset": "high",
    "validation": "medium",
    "conflict": "medium",
    GENERIC_TYPE: "medium",
    "not_found": "low",
}

# 4xx status → type; other 4xx codes are typed from the body or are generic.
DEFAULT_STATUS_TYPES: dict[int, str] = {
    400: "validation",
    401: "auth_failure",
    402: "payment",
    403: "auth_failure",
    404: "not_found",
    409: "conflict",
    410: "not_found",
    422: "validation",
    429: "rate_limit",
}

# Built-in field names and words, in every language of the lexicon (each list key of the config
# *adds* to these).
BUILTIN_LISTS: dict[str, tuple[str, ...]] = {
    # A success flag that is false (false, 0, "false", "no", "N") marks a failure; true marks success.
    "success_fields": lexicon.SUCCESS_FIELDS,
    # Status-like fields whose value, when it is one of status_words, marks a failure.
    "status_fields": lexicon.STATUS_FIELDS,
    "status_words": lexicon.STATUS_WORDS,
    # An entity's own state that answers the call (a payment declined): a rule of its own.
    "entity_state_words": lexicon.ENTITY_STATE_WORDS,
    # Values meaning success where a code or status could be read either way.
    "success_words": lexicon.SUCCESS_WORDS,
    # A non-empty member (not null/false/""/0) marks a failure unless a payload field is present.
    "error_fields": lexicon.ERROR_FIELDS,
    # Envelope codes: non-zero, outside 200-299, next to a message field or a null `data`.
    "code_fields": lexicon.CODE_FIELDS,
    "message_fields": lexicon.MESSAGE_FIELDS,
    # Members that carry the successful result: their presence (not null) means "not a failure"
    # for an `error`/`errors` member (GraphQL partial success).
    "payload_fields": lexicon.PAYLOAD_FIELDS,
    # Fields whose text says what went wrong: scanned for the type keywords.
    "type_fields": lexicon.TYPE_FIELDS,
    # Members that wrap the answer: the rules apply inside them (up to MAX_DEPTH levels).
    "wrapper_fields": lexicon.WRAPPER_FIELDS,
    # Members that make the object a verdict on something else (`valid`, `dry_run`): errors are its data.
    "data_answer_fields": lexicon.DATA_ANSWER_FIELDS,
    # Substrings that make a string `code` error-like (`INSUFFICIENT_FUNDS`, `ERROR`, `InvalidParameter`).
    "error_code_words": lexicon.ERROR_CODE_WORDS,
    # Fields never read as a signal (e.g. `status` where "failed" is data): global or per route.
    "ignore_fields": (),
    # Rules turned off (ids from RULE_IDS, or globs such as `html.*`): global or per route.
    "disabled_rules": (),
}

LIST_KEYS = tuple(BUILTIN_LISTS)
RULE_KEYS = LIST_KEYS + ("success_codes", "keywords", "severities", "status_types")
ROUTE_KEYS = ("match", "methods", "enabled", "classifier") + RULE_KEYS
TOP_KEYS = ("enabled", "max_series", "routes") + RULE_KEYS
ENTRY_POINT_GROUP = "otel_ebpf.classifiers"

_NON_ALNUM = re.compile(r"[\W_]+")
# The words of a code: `RESULT_NG` → RESULT, NG; `errNotFound` → err, Not, Found; `E1002` → E.
_CODE_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[^\W\d_]+")
_ACCENTS = re.compile("[\u0300-\u036f]")  # the combining diacritical marks of Latin, Greek, Cyrillic

# Every rule that can find a failure, by id: the `otel_ebpf.error.rule` attribute, the span status
# message and `disabled_rules` use these.  `<format>.<signal>`: the format the body was read as
# (json, xml, form, stream), then the signal; html and text have rules of their own.
TREE_FORMATS = ("json", "xml", "form", "stream")
TREE_SIGNALS = (
    "success_flag",  # a success flag that is false
    "status_word",  # a status member with a failure word
    "entity_state",  # the entity's own state answers the call (declined, rejected)
    "error_member",  # a non-empty error member and no payload
    "error_code",  # an envelope code that is not success
    "vendor_error",  # AWS `__type`, PayPal `name` + `debug_id`: an exception name
    "fault",  # a SOAP or XML-RPC fault
    "batch",  # every item of a batch failed
    "problem",  # application/problem+json
)
RULE_IDS = (
    *(f"{fmt}.{signal}" for fmt in TREE_FORMATS for signal in TREE_SIGNALS),
    "html.error_page",  # an HTML error page (its title or first heading) answering with 2xx
    "html.login_page",  # a login form answering a call that expected data
    "text.error_line",  # a plain-text body that starts with an error marker (`ERROR: ...`, `FAIL`)
)


def norm(text: str) -> str:
    """Normalises a name or a phrase: lower case, accents removed, letters and digits only."""
    text = text.lower()
    if not text.isascii():
        # NFKD splits an accented letter into the letter and its mark (dropped here: Latin and
        # Cyrillic accents), and folds full-width forms (Ｅｒｒｏｒ) to ASCII; NFC then puts back
        # together what other scripts need (a kana and its voicing mark: ロ グ イ ン stays グ).
        text = unicodedata.normalize("NFC", _ACCENTS.sub("", unicodedata.normalize("NFKD", text)))
    return _NON_ALNUM.sub("", text)


def rule_matcher(patterns: Iterable[str]) -> re.Pattern[str] | None:
    """A matcher of rule ids for `disabled_rules` (exact ids or globs such as `html.*`)."""
    forms = [fnmatch.translate(p.strip()) for p in patterns if p and p.strip()]
    return re.compile("|".join(forms)) if forms else None


def default_config() -> dict:
    """The processor's configuration with every key at its default (lists add to built-ins)."""
    config: dict[str, Any] = {"enabled": True, "max_series": 10000, "routes": []}
    for key in LIST_KEYS:
        config[key] = []
    config["success_codes"] = []
    config["keywords"] = {}
    config["severities"] = dict(DEFAULT_SEVERITIES)
    config["status_types"] = {}
    return config


# ---------------------------------------------------------------- validation


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _validate_rules(config: Mapping, path: str, errors: list[str]) -> None:
    for key in LIST_KEYS:
        if key in config and not _is_str_list(config[key]):
            errors.append(f"{path}{key}: expected a list of non-empty strings, got {config[key]!r}")
    if _is_str_list(config.get("disabled_rules")):
        for pattern in config["disabled_rules"]:
            if not any(fnmatch.fnmatchcase(rule, pattern.strip()) for rule in RULE_IDS):
                errors.append(f"{path}disabled_rules: {pattern!r} names no rule (rules: {', '.join(RULE_IDS)})")
    if "success_codes" in config:
        codes = config["success_codes"]
        if not isinstance(codes, list) or not all(_as_int(c) is not None for c in codes):
            errors.append(f"{path}success_codes: expected a list of integers, got {codes!r}")
    if "keywords" in config:
        keywords = config["keywords"]
        if not isinstance(keywords, Mapping):
            errors.append(f"{path}keywords: expected a mapping of type name -> list of keywords, got {keywords!r}")
        else:
            for name, words in keywords.items():
                if not isinstance(name, str) or not norm(name):
                    errors.append(f"{path}keywords: type name {name!r} must be a non-empty string")
                elif name in SYSTEM_TYPES:
                    errors.append(f"{path}keywords.{name}: {name} is a system type, not typed by keywords")
                elif not _is_str_list(words) or not all(norm(w) for w in words):
                    errors.append(f"{path}keywords.{name}: expected a list of words with letters or digits")
    if "severities" in config:
        severities = config["severities"]
        if not isinstance(severities, Mapping):
            errors.append(f"{path}severities: expected a mapping of type -> severity, got {severities!r}")
        else:
            for name, severity in severities.items():
                if severity not in SEVERITIES:
                    errors.append(
                        f"{path}severities.{name}: {severity!r} is not a severity (allowed: {', '.join(SEVERITIES)})"
                    )
    if "status_types" in config:
        status_types = config["status_types"]
        if not isinstance(status_types, Mapping):
            errors.append(f"{path}status_types: expected a mapping of 4xx status -> type, got {status_types!r}")
        else:
            for status, name in status_types.items():
                code = _as_int(status)
                if code is None or not 400 <= code <= 499:
                    errors.append(f"{path}status_types.{status}: expected a 4xx status code as the key")
                elif not isinstance(name, str) or not norm(name):
                    errors.append(f"{path}status_types.{status}: expected a type name, got {name!r}")


def validate_config(config: Mapping) -> list[str]:
    """Checks a (defaults-merged) config; returns messages ``key: problem``, empty when valid."""
    errors: list[str] = []
    if not isinstance(config, Mapping):
        return [f"expected a mapping, got {type(config).__name__}"]
    for key in config:
        if key not in TOP_KEYS:
            errors.append(f"{key}: unknown key (allowed: {', '.join(TOP_KEYS)})")
    if "enabled" in config and not isinstance(config["enabled"], bool):
        errors.append(f"enabled: expected true or false, got {config['enabled']!r}")
    if "max_series" in config:
        max_series = config["max_series"]
        if isinstance(max_series, bool) or not isinstance(max_series, int) or max_series < 1:
            errors.append(f"max_series: expected a positive integer, got {max_series!r}")
    _validate_rules(config, "", errors)
    routes = config.get("routes", [])
    if routes is None:
        routes = []
    if not isinstance(routes, list):
        errors.append(f"routes: expected a list of {{match: ..., ...}} entries, got {routes!r}")
        return errors
    names = None
    for i, route in enumerate(routes):
        path = f"routes[{i}]."
        if not isinstance(route, Mapping):
            errors.append(f"routes[{i}]: expected a mapping with `match`, got {route!r}")
            continue
        for key in route:
            if key not in ROUTE_KEYS:
                errors.append(f"{path}{key}: unknown key (allowed: {', '.join(ROUTE_KEYS)})")
        match = route.get("match")
        if not isinstance(match, str) or not match:
            errors.append(f"{path}match: required, a route or path glob such as /legacy/*")
        if "methods" in route and not _is_str_list(route["methods"]):
            errors.append(f"{path}methods: expected a list of HTTP methods, got {route['methods']!r}")
        if "enabled" in route and not isinstance(route["enabled"], bool):
            errors.append(f"{path}enabled: expected true or false, got {route['enabled']!r}")
        if "classifier" in route:
            name = route["classifier"]
            if not isinstance(name, str) or not name:
                errors.append(f"{path}classifier: expected an entry point name in group {ENTRY_POINT_GROUP}")
            else:
                if names is None:
                    names = _entry_point_names()
                if name not in names:
                    known = ", ".join(sorted(names)) or "none installed"
                    errors.append(
                        f"{path}classifier: no entry point {name!r} in group {ENTRY_POINT_GROUP} (known: {known})"
                    )
        _validate_rules(route, path, errors)
    return errors


def _entry_point_names() -> set[str]:
    from importlib.metadata import entry_points

    return {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,18}", value.strip()):
        return int(value)
    return None


# ---------------------------------------------------------------- compiled form


def keyword_regex(words: Iterable[str]) -> re.Pattern[str] | None:
    """One matcher for many normalised keywords, built as a trie: `re` tries the alternatives of an
    alternation one by one at every position, so a flat `a|b|c...` of ~300 keywords costs ~100 µs
    on 2 KiB of text; the trie form (`a(?:uth(?:oriz...)?|...)`) ~6 µs (bench/bench_classifier.py).
    Longer continuations are tried first: the match reported is the longest, the most telling."""
    forms = {norm(w) for w in words if norm(w)}
    if not forms:
        return None
    trie: dict = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}
    return re.compile(_trie_pattern(trie))


def _trie_pattern(node: dict) -> str:
    ends_here = "" in node
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    if len(branches) == 1 and not ends_here:
        return branches[0]
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if ends_here else group


class RuleSet:
    """Compiled rules: normalised field-name sets, word sets and keyword matchers.

    Attributes:
        success_fields, status_fields, error_fields, code_fields, message_fields,
        payload_fields, type_fields, ignore_fields: frozensets of normalised field names.
        status_words: frozenset of normalised words.
        error_code_words: compiled matcher of the error words a code string may hold (see code_says_error).
        success_codes: envelope codes meaning success besides 0 and 200-299.
        type_keywords: type → its normalised keywords (matched by :meth:`type_of_text`).
        rank: type → priority (lower is more specific).
        severities: type → severity.
        status_types: 4xx status → type.
    """

    def __init__(self, config: Mapping):
        sets: dict[str, frozenset[str]] = {}
        for key, builtin in BUILTIN_LISTS.items():
            if key != "disabled_rules":
                sets[key] = frozenset(norm(n) for n in (*builtin, *(config.get(key) or ())) if norm(n))
        self.success_fields = sets["success_fields"]
        self.status_fields = sets["status_fields"]
        self.status_words = sets["status_words"]
        self.error_fields = sets["error_fields"]
        self.code_fields = sets["code_fields"]
        self.message_fields = sets["message_fields"]
        self.payload_fields = sets["payload_fields"]
        self.type_fields = sets["type_fields"]
        self.ignore_fields = sets["ignore_fields"]
        self.entity_state_words = sets["entity_state_words"]
        self.success_words = sets["success_words"]
        self.wrapper_fields = sets["wrapper_fields"]
        self.data_answer_fields = sets["data_answer_fields"]
        self.error_code_words = keyword_regex(sets["error_code_words"])
        self.disabled_rules = rule_matcher(config.get("disabled_rules") or ())
        codes = (_as_int(v) for v in config.get("success_codes") or ())
        self.success_codes = frozenset(c for c in codes if c is not None)

        extra = config.get("keywords") or {}
        # User-defined types are checked before the built-in ones: they are the more specific rules.
        order = [t for t in extra if t not in DEFAULT_KEYWORDS] + list(BUILTIN_TYPES)
        self.type_keywords: dict[str, frozenset[str]] = {}
        # One automaton for every type's keywords: a keyword → (rank of its most specific type,
        # length, type).  Aho-Corasick finds them all in one pass: ~3 µs on 300 characters where a
        # regular expression per type (a trie each) took 150 µs with ~2,000 keywords.
        self._keywords = ahocorasick.Automaton()
        for rank, name in enumerate(order):
            words = (*DEFAULT_KEYWORDS.get(name, ()), *(extra.get(name) or ()))
            forms = frozenset(norm(w) for w in words if norm(w))
            self.type_keywords[name] = forms
            for form in forms:
                if form not in self._keywords:  # a keyword of two types belongs to the more specific
                    self._keywords.add_word(form, (rank, len(form), name))
        if len(self._keywords):
            self._keywords.make_automaton()

        self.rank = {name: i for i, name in enumerate(order)}
        self.rank[GENERIC_TYPE] = len(order)
        self.severities = {**DEFAULT_SEVERITIES, **(config.get("severities") or {})}
        self.status_types = dict(DEFAULT_STATUS_TYPES)
        for status, name in (config.get("status_types") or {}).items():
            code = _as_int(status)
            if code is not None:
                self.status_types[code] = name

    def code_says_error(self, code: str) -> bool:
        """Is a code string error-like: an error word inside it (`InvalidParameter`, `CARD_DECLINED`),
        or a status word as one of its words (`RESULT_NG`, `E-FAIL`)?  A status word inside another
        word is not one (`ng` in `PROCESSING`, `err` in `SUMMER-ERR10`... is: a word of its own)."""
        if self.error_code_words is not None and self.error_code_words.search(norm(code)) is not None:
            return True
        return any(norm(part) in self.status_words for part in _CODE_WORDS.findall(code))

    def enabled(self, rule: str) -> bool:
        """False when `disabled_rules` turns the rule off."""
        return self.disabled_rules is None or self.disabled_rules.fullmatch(rule) is None

    def severity(self, type_name: str | None) -> str:
        """The configured severity of a type; unknown types are medium."""
        return self.severities.get(type_name or "", "medium")

    def type_of_text(self, text: str) -> tuple[str | None, str]:
        """The most specific type whose keyword occurs in `text` (normalised), and the keyword form found.

        Of the most specific type's keywords, the leftmost (the longest there) is the one found; a
        less specific type's longer phrase that holds it wins over it ("too many characters" is
        validation, though "too many" alone says rate limit), less specific types tried in order."""
        if not text or not len(self._keywords):
            return None, ""
        found = [(end - length + 1, end + 1, rank, name) for end, (rank, length, name) in self._keywords.iter(text)]
        if not found:
            return None, ""
        top = min(rank for _, _, rank, _ in found)
        start, end, rank, name = min((m for m in found if m[2] == top), key=lambda m: (m[0], -m[1]))
        for other in sorted({m[2] for m in found if m[2] > top}):
            holding = [
                m for m in found if m[2] == other and m[0] <= start and m[1] >= end and m[1] - m[0] > end - start
            ]
            if holding:
                start, end, rank, name = min(holding, key=lambda m: (m[0], -m[1]))
        return name, text[start:end]


def merge_rules(base: Mapping, override: Mapping) -> dict:
    """A route's rules: lists and mappings of `override` extend those of `base`."""
    merged = dict(base)
    for key in RULE_KEYS:
        if key not in override:
            continue
        value = override[key]
        if key in LIST_KEYS or key == "success_codes":
            merged[key] = [*(base.get(key) or ()), *(value or ())]
        elif key == "keywords":
            keywords = {k: list(v) for k, v in (base.get(key) or {}).items()}
            for name, words in (value or {}).items():
                keywords[name] = [*keywords.get(name, ()), *words]
            merged[key] = keywords
        else:
            merged[key] = {**(base.get(key) or {}), **(value or {})}
    return merged


def compile_glob(pattern: str) -> re.Pattern[str]:
    """A route glob: `*` matches any run of characters (including `/`), `?` one character."""
    return re.compile(fnmatch.translate(pattern))
