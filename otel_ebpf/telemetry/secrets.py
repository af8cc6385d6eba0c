"""What a secret looks like: one key matcher and the value detectors, shared by every redaction.

**Keys** (:class:`KeyMatcher`): the same test for header names, query keys, form fields, JSON
keys and ``key=value`` pairs in free text.  A key is cut into words (``-``, ``_``, ``.``,
spaces and camelCase separate them: ``X-Api-Key`` -> ``x api key``, ``userPin`` -> ``user
pin``).  A fragment of five letters or more matches anywhere in the key (``accessToken``,
``xsrftoken``, ``db_password``, ``set-cookie``); a shorter one (``pin``, ``key``, ``auth``,
``card``, ``cvv``, ``ssn``, ...) matches a whole word only, so that ``card_pin``, ``userPin``
and ``PIN`` match while ``spinner``, ``keyboard``, ``monkey`` and ``author`` do not.  The
price: a short fragment glued inside a lower-case word (``userpin``) is not seen; common glued
forms are long fragments of their own (``apikey``, ``privatekey``, ``creditcard``, ...).  When
in doubt the matcher redacts: over-redaction is the safe mistake.

**Values** (:class:`TextScrubber`): applied to every free text the agent exports (span status
messages, error descriptions, captured bodies and header values, query values), whatever the
key: payment card numbers (13-19 digits, spaces or dashes allowed, Luhn-valid), credentials
after an auth scheme (``Bearer``, ``Basic``, ``Token``, ...), JWTs, long hex or base64 runs,
AWS access key ids, userinfo in URLs (``https://user:pass@host``), sensitive ``key=value`` / ``key: value`` pairs
and, after a sensitive word, a secret-looking next word (``invalid token SECRET12``), plus
e-mail addresses unless disabled.  Every pattern is compiled once; text is scanned only when it
is about to leave, and a text with nothing to hide is returned as the same object.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "DEFAULT_KEY_FRAGMENTS",
    "DEFAULT_KEYS",
    "DEFAULT_SCRUBBER",
    "MAYBE_SHORT_SECRET",
    "REDACTED",
    "KeyMatcher",
    "TextScrubber",
    "luhn_valid",
    "normalize_fragment",
]

REDACTED = "REDACTED"

# Fragments of key names that carry credentials or personal data (see the module docstring for
# how short and long fragments match).
DEFAULT_KEY_FRAGMENTS = (
    # credentials
    "token",
    "secret",
    "password",
    "passwd",
    "passphrase",
    "pass",
    "pwd",
    "pin",
    "otp",
    "key",
    "apikey",
    "privatekey",
    "accesskey",
    "auth",
    "authorization",
    "authentication",
    "bearer",
    "credential",
    "signature",
    "sig",
    "jwt",
    "session",
    "sid",
    "cookie",
    "csrf",
    "xsrf",
    # payment and identity
    "card",
    "creditcard",
    "cardnumber",
    "pan",
    "cvv",
    "cvc",
    "cvv2",
    "iban",
    "ssn",
)

_SHORT = 5  # fragments shorter than this match whole words only
_MEMO_MAX = 4096

# Words of a key: camelCase humps, upper-case runs and digit runs (``userPIN2`` -> user PIN 2).
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


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


def _trie(words: Iterable[str]) -> str:
    """One regex alternation of `words` as a trie (``p(?:in|ass(?:word)?)``): Python's re tries
    plain alternatives one by one at every position, a trie once."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        inner = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{inner})?" if "" in node else inner

    return build(root)


def normalize_fragment(fragment: str) -> str:
    """A configured fragment as the matcher compares it: lower-case letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", fragment.lower())


class KeyMatcher:
    """Is this key (header name, query key, form field, JSON key) a carrier of secrets?

    Args:
        add: Fragments added to :data:`DEFAULT_KEY_FRAGMENTS`.
        remove: Built-in fragments no longer matched (``ValueError`` for one that is not built in).
    """

    def __init__(self, add: Iterable[str] = (), remove: Iterable[str] = ()) -> None:
        removed = {normalize_fragment(f) for f in remove}
        unknown = removed - set(DEFAULT_KEY_FRAGMENTS)
        if unknown:
            raise ValueError(f"not built-in fragments, nothing to remove: {sorted(unknown)}")
        fragments = [f for f in DEFAULT_KEY_FRAGMENTS if f not in removed]
        fragments += [f for f in (normalize_fragment(a) for a in add) if f and f not in fragments]
        self.fragments = tuple(fragments)
        self.removed = tuple(sorted(removed))
        self._long = tuple(f for f in fragments if len(f) >= _SHORT)
        self._short = frozenset(f for f in fragments if len(f) < _SHORT)
        self._memo: dict[str, bool] = {}
        # Candidates for key=value pairs in free text: a fragment (the matcher then decides on
        # the whole word around it), the rest of the word, a separator, a value.  Searched in the
        # lower-cased text with the fragments as a trie: ~25 us for 4 KB, not ~1 ms.
        tail = r"[\w.-]*(\s*[:=]\s*|\s+)(\"[^\"]*\"?|'[^']*'?|[^\s&,;\"'<>()\[\]{}]+)"
        self.pair_hint = re.compile(_trie(fragments) + tail)
        self.pair_hint_any_case = re.compile("(?i)" + _trie(fragments) + tail)
        # JSON members whose key holds a fragment: from the fragment to the key's closing quote,
        # the colon, the value (a string, possibly cut by the capture, a number or a literal).
        value = r"(\"(?:[^\"\\]|\\.)*\"?|-?\d[\d.eE+-]*|true|false)"
        self.json_hint = re.compile("(" + _trie(fragments) + r"[^\"\\]{0,128})\"(\s*:\s*)" + value)
        self.json_hint_any_case = re.compile("(?i)(" + _trie(fragments) + r"[^\"\\]{0,128})\"(\s*:\s*)" + value)

    def __call__(self, key: str) -> bool:
        found = self._memo.get(key)
        if found is None:
            found = self._match(key)
            if len(self._memo) >= _MEMO_MAX:
                self._memo.clear()
            self._memo[key] = found
        return found

    def _match(self, key: str) -> bool:
        words = _WORDS.findall(key)
        joined = "".join(words).lower()
        if any(f in joined for f in self._long):
            return True
        short = self._short
        return any(w.lower() in short for w in words)


# 13-19 digits, optionally separated by single spaces or dashes (card number formatting).
_CARD = re.compile(r"(?<![\d.])\d(?:[ -]?\d){12,18}(?!\d)")
# An authorization scheme followed by its credential (RFC 9110 §11; "token" for Rails/DRF).
_SCHEMES = ("bearer", "basic", "digest", "token", "apikey", "negotiate")
_SCHEME = re.compile(r"(?i)\b(" + "|".join(_SCHEMES) + r")(\s+)([A-Za-z0-9._~+/=-]{8,})")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
# Long runs of hex (>= 32: keys, hashes, session ids) or base64/base64url (>= 32 with a digit
# and both letter cases): too random to be words.  One possessive pass, decided per run.
_LONG_RUN = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,}+={0,2}")
_HEX = frozenset("0123456789abcdefABCDEF")
# AWS access key ids (fixed prefixes, 20 characters): short enough to escape the long-run rule.
_AWS_KEY_ID = re.compile(r"A(?:KIA|SIA|GPA|IDA|ROA|NPA|NVA|IPA)[A-Z0-9]{16}(?![A-Za-z0-9])")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^/\s:@]+):([^/\s@]+)@")
_EMAIL = re.compile(r"(?<![\w.+-])(?!REDACTED@)[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# What a text shorter than the shortest card number (13) needs to hold a secret: a separator of a
# pair ("pin=1234", "pin 1234"), an e-mail's or a URL's punctuation.
MAYBE_SHORT_SECRET = re.compile(r"[\s=:@]")
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
# A value after whitespace (not after '=' or ':') counts as a secret only if it looks like one:
# a digit in it, or 16+ characters ("invalid token SECRET12", not "token expired").
_SECRETISH = re.compile(r"\d|\S{16,}")


def _card(match: re.Match[str]) -> str:
    digits = match.group(0).replace(" ", "").replace("-", "")
    return REDACTED if 13 <= len(digits) <= 19 and luhn_valid(digits) else match.group(0)


def _long_run(match: re.Match[str]) -> str:
    text = match.group(0)
    if _HEX.issuperset(text):
        return REDACTED
    has_digit = has_lower = has_upper = False
    for c in text:
        if c.isdigit():
            has_digit = True
        elif c.islower():
            has_lower = True
        elif c.isupper():
            has_upper = True
    return REDACTED if has_digit and has_lower and has_upper else text


class TextScrubber:
    """Replaces secret-looking values in free text with ``REDACTED``.

    Args:
        keys: The key matcher for ``key=value`` pairs in the text.
        emails: Also redact e-mail addresses.
    """

    def __init__(self, keys: KeyMatcher, emails: bool = True) -> None:
        self.keys = keys
        self.emails = emails
        self._memo: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        """The text with its secrets replaced; the same object when nothing was found."""
        if len(text) < 13 and MAYBE_SHORT_SECRET.search(text) is None:
            return text  # too short for a card, a token or a long run, and no pair, e-mail or URL
        # Substring tests first: most texts contain none of what the costlier patterns need.
        out = _CARD.sub(_card, text)
        if "://" in out:
            out = _USERINFO.sub(r"\1REDACTED@", out)
        if "eyJ" in out:
            out = _JWT.sub(REDACTED, out)
        if "A" in out:
            out = _AWS_KEY_ID.sub(REDACTED, out)
        lowered = out.lower()
        if any(scheme in lowered for scheme in _SCHEMES):
            out = _SCHEME.sub(r"\1\2" + REDACTED, out)
            lowered = out.lower()
        out = self._pairs(out, lowered)
        out = _LONG_RUN.sub(_long_run, out)
        if self.emails and "@" in out:
            out = _EMAIL.sub(REDACTED, out)
        return text if out == text else out

    def memoized(self, text: str) -> str:
        """:meth:`__call__` for texts that recur (status messages, query strings): bounded memo."""
        memo = self._memo
        out = memo.get(text)
        if out is None:
            out = self(text)
            if len(memo) >= _MEMO_MAX:
                memo.clear()
            memo[text] = out
        return out

    def _pairs(self, text: str, lowered: str) -> str:
        """``key=value``, ``key: value`` and ``key value`` whose key the matcher calls sensitive."""
        if len(lowered) == len(text):
            search, haystack = self.keys.pair_hint.search, lowered
        else:  # a character whose lower case is longer: positions differ, search the text itself
            search, haystack = self.keys.pair_hint_any_case.search, text
        pieces: list[str] = []
        done = pos = 0
        while (m := search(haystack, pos)) is not None:
            # Not a secret pair: look again from its value on ("spinner: password=x" holds one).
            pos = m.start(2)
            start = m.start()
            while start > done and text[start - 1] in _WORD_CHARS:
                start -= 1
            key = text[start : m.start(1)]
            sep, value = m.group(1), text[m.start(2) : m.end(2)]
            if value.strip("\"'") == REDACTED or value.lower() in _SCHEMES or not self.keys(key):
                continue
            if sep.isspace() and not _SECRETISH.search(value):
                continue
            pos = m.end(2)
            if value[:1] in ("'", '"'):
                quote = value[0]
                closed = quote if len(value) > 1 and value.endswith(quote) else ""
                replacement = f"{quote}{REDACTED}{closed}"
            else:
                replacement = REDACTED
            pieces.append(text[done : m.start(2)])
            pieces.append(replacement)
            done = m.end(2)
        if not pieces:
            return text
        pieces.append(text[done:])
        return "".join(pieces)


# The built-in policy, for text that leaves outside any receiver's policy (received spans,
# error types named by plugins).
DEFAULT_KEYS = KeyMatcher()
DEFAULT_SCRUBBER = TextScrubber(DEFAULT_KEYS)
