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


def normalize_fragment(fragment: str) -> str:
    """A configured fragment as the matcher compares it: lower-case letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", fragment.lower())


class KeyMatcher:
    """Is this key (header name, query key, form field, JSON key) a carrier of secrets?

    Args:
        add: Fragments added to :data:`DEFAULT_KEY_FRAGMENTS`.
        remove: Built-in fragments no longer matched (``ValueError`` for one that is not built in).
        exact: Whole keys always matched, compared lower-case (the semconv query keys).
    """

    def __init__(self, add: Iterable[str] = (), remove: Iterable[str] = (), exact: Iterable[str] = ()) -> None:
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
        self._exact = frozenset(k.lower() for k in exact)
        self._memo: dict[str, bool] = {}
        # Candidates for key=value pairs in free text: a word containing a fragment (the
        # matcher then decides), a separator, a value.
        alternatives = "|".join(re.escape(f) for f in sorted(fragments, key=len, reverse=True))
        self.pair_pattern = re.compile(
            r"(?<![\w.-])([\w.-]*?(?i:" + alternatives + r")[\w.-]*)"
            r"(\s*[:=]\s*|\s+)"
            r"(\"[^\"]*\"?|'[^']*'?|[^\s&,;\"'<>()\[\]{}]+)"
        )

    def __call__(self, key: str) -> bool:
        found = self._memo.get(key)
        if found is None:
            found = self._match(key)
            if len(self._memo) >= _MEMO_MAX:
                self._memo.clear()
            self._memo[key] = found
        return found

    def _match(self, key: str) -> bool:
        lowered = key.lower()
        if lowered in self._exact:
            return True
        words = _WORDS.findall(key)
        joined = "".join(words).lower()
        if any(f in joined for f in self._long):
            return True
        short = self._short
        return any(w.lower() in short for w in words)


# 13-19 digits, optionally separated by single spaces or dashes (card number formatting).
_CARD = re.compile(r"(?<![\d.])\d(?:[ -]?\d){12,18}(?![\d])")
# An authorization scheme followed by its credential (RFC 9110 §11; "token" for Rails/DRF).
_SCHEME = re.compile(r"(?i)\b(bearer|basic|digest|token|apikey|negotiate)(\s+)([A-Za-z0-9._~+/=-]{8,})")
_SCHEMES = frozenset({"bearer", "basic", "digest", "token", "apikey", "negotiate"})
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
# Long runs of hex (>= 32: keys, hashes, session ids) or base64/base64url (>= 32 with a digit
# and both letter cases): too random to be words.
_LONG_HEX = re.compile(r"(?<![A-Za-z0-9])[0-9a-fA-F]{32,}(?![A-Za-z0-9])")
_LONG_B64 = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,}={0,2}(?![A-Za-z0-9+/_-])")
# AWS access key ids (fixed prefixes, 20 characters): short enough to escape the long-run rules.
_AWS_KEY_ID = re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^/\s:@]+):([^/\s@]+)@")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# A value after whitespace (not after '=' or ':') counts as a secret only if it looks like one:
# a digit in it, or 16+ characters ("invalid token SECRET12", not "token expired").
_SECRETISH = re.compile(r"\d|\S{16,}")


def _card(match: re.Match[str]) -> str:
    digits = match.group(0).replace(" ", "").replace("-", "")
    return REDACTED if 13 <= len(digits) <= 19 and luhn_valid(digits) else match.group(0)


def _b64(match: re.Match[str]) -> str:
    text = match.group(0)
    if any(c.isdigit() for c in text) and any(c.islower() for c in text) and any(c.isupper() for c in text):
        return REDACTED
    return text


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
        if not text:
            return text
        out = _CARD.sub(_card, text)
        out = _USERINFO.sub(r"\1REDACTED@", out)
        out = _JWT.sub(REDACTED, out)
        out = _AWS_KEY_ID.sub(REDACTED, out)
        out = _SCHEME.sub(r"\1\2" + REDACTED, out)
        out = self.keys.pair_pattern.sub(self._pair, out)
        out = _LONG_HEX.sub(REDACTED, out)
        out = _LONG_B64.sub(_b64, out)
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

    def _pair(self, match: re.Match[str]) -> str:
        key, sep, value = match.group(1), match.group(2), match.group(3)
        if value.strip("\"'") == REDACTED or value.lower() in _SCHEMES or not self.keys(key):
            return match.group(0)
        if sep.isspace() and not _SECRETISH.search(value):
            return match.group(0)
        if value[:1] in "\"'":
            quote = value[0]
            return f"{key}{sep}{quote}{REDACTED}{quote if value.endswith(quote) and len(value) > 1 else ''}"
        return f"{key}{sep}{REDACTED}"


# The built-in policy, for text that leaves outside any receiver's policy (received spans,
# error types named by plugins).
DEFAULT_KEYS = KeyMatcher()
DEFAULT_SCRUBBER = TextScrubber(DEFAULT_KEYS)
