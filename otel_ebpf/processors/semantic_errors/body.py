"""Decoding the captured prefix of a response body.

The receiver keeps at most the first ``capture_bytes`` of a body, with HTTP/1 chunk
framing still in place and any ``Content-Encoding`` applied.  This module undoes both on
whatever was captured, tolerating a cut anywhere, and reads JSON from it:

* :func:`decode_body` removes chunk framing and inflates gzip/deflate; an incomplete
  chunk or compressed stream marks the result as truncated.
* :func:`load_json` parses a complete document with the C-accelerated ``json`` module;
  when that fails (the document was cut) it falls back to :func:`scan_prefix`, a
  tolerant scan of the top-level object members that precede the cut.

Nothing here raises on bad input: undecodable bodies come back as None.
"""

from __future__ import annotations

import codecs
import json
import re
import zlib

__all__ = ["charset_of", "decode_body", "dechunk", "inflate", "load_json", "recover_json", "scan_prefix", "to_text"]

# Inflating a captured prefix cannot legitimately produce more than this; the bound stops a
# zip bomb from costing memory or time on the hot path.
MAX_INFLATED = 64 * 1024
# Tolerant scanning descends this deep into a member cut by the capture limit.
_SCAN_DEPTH = 3

_WS = re.compile(r"[ \t\n\r]*")
_scan_once = json.JSONDecoder().scan_once
_UTF8 = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})


def dechunk(data: bytes) -> tuple[bytes, bool] | None:
    """Removes HTTP/1 chunk framing from a (possibly cut) chunked body.

    Returns:
        ``(payload, complete)``: `complete` is False when the data ends before the last
        chunk; None when `data` does not start with chunk framing at all (e.g. the
        framing was already removed), so the caller can use it as it is.
    """
    out = []
    pos = 0
    end_of_data = len(data)
    first = True
    while True:
        eol = data.find(b"\n", pos)
        if eol < 0:
            if first and not _is_size_start(data[pos:]):
                return None
            break  # cut inside a size line
        line = data[pos:eol].rstrip(b"\r")
        size_text = line.split(b";", 1)[0].strip()
        if not size_text or len(size_text) > 16 or size_text.strip(b"0123456789abcdefABCDEF"):
            if first:
                return None
            break  # garbage after a chunk: keep what we have, as incomplete
        first = False
        size = int(size_text, 16)
        if size == 0:
            return b"".join(out), True
        start = eol + 1
        stop = start + size
        if stop > end_of_data:
            out.append(data[start:])
            break
        out.append(data[start:stop])
        pos = stop
        # The CRLF after a chunk's data.
        if data.startswith(b"\r\n", pos):
            pos += 2
        elif data.startswith(b"\n", pos):
            pos += 1
        elif pos < end_of_data:
            break
    return b"".join(out), False


def _is_size_start(data: bytes) -> bool:
    """Could `data` be the beginning of a chunk-size line cut by the capture?"""
    size_text = data.split(b";", 1)[0].rstrip(b"\r")
    return 0 < len(size_text) <= 16 and not size_text.strip(b"0123456789abcdefABCDEF")


def inflate(data: bytes, encoding: str) -> tuple[bytes, bool] | None:
    """Inflates a gzip or deflate stream prefix.

    Returns:
        ``(bytes, complete)`` with `complete` False when the stream was cut; None when the
        encoding is unsupported (br, zstd, ...) or the data is corrupt.
    """
    if encoding in ("gzip", "x-gzip"):
        wbits_options = (16 + zlib.MAX_WBITS,)
    elif encoding == "deflate":
        # RFC 9110 says zlib-wrapped; some servers send raw deflate.
        wbits_options = (zlib.MAX_WBITS, -zlib.MAX_WBITS)
    else:
        return None
    for wbits in wbits_options:
        decompressor = zlib.decompressobj(wbits)
        try:
            out = decompressor.decompress(data, MAX_INFLATED)
        except zlib.error:
            continue
        return out, decompressor.eof
    return None


def decode_body(headers: dict[str, str], body: bytes) -> tuple[bytes, bool] | None:
    """Undoes transfer and content codings on a captured prefix.

    Returns:
        ``(payload, cut)`` where `cut` is True when the framing or the compressed stream
        shows that the payload is incomplete; None when it cannot be decoded.
    """
    cut = False
    te = headers.get("transfer-encoding")
    if te is not None and "chunked" in te.lower():
        result = dechunk(body)
        if result is not None:
            body, complete = result
            cut = not complete
    ce = headers.get("content-encoding")
    if ce is not None:
        # "gzip, identity" lists codings in the order applied: undo them in reverse.
        for coding in reversed([c.strip().lower() for c in ce.split(",")]):
            if coding in ("", "identity"):
                continue
            result = inflate(body, coding)
            if result is None:
                return None
            body, complete = result
            cut = cut or not complete
    return body, cut


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type, lower-cased, or None."""
    if not content_type:
        return None
    index = content_type.lower().find("charset=")
    if index < 0:
        return None
    value = content_type[index + 8 :].split(";", 1)[0].strip().strip("\"'").lower()
    return value or None


def to_text(data: bytes, charset: str | None) -> str:
    """Decodes bytes for keyword scanning; never raises (unknown charsets, and codecs that are not
    text encodings such as `idna`, `punycode` or `unicode_escape`, read as UTF-8)."""
    if charset and charset not in _UTF8:
        try:
            if codecs.lookup(charset)._is_text_encoding and not charset.replace("-", "_").endswith("escape"):
                return data.decode(charset, "replace")
        except (LookupError, ValueError, UnicodeError):
            pass
    return data.decode("utf-8", "replace")


def load_json(data: bytes, charset: str | None = None, text: str | None = None) -> tuple[object, bool]:
    """Parses a JSON document from a body prefix (`text`: `data` already decoded in `charset`).

    Returns:
        ``(document, complete)``: the parsed value and True when the whole document parsed;
        otherwise the top-level object members found before the cut (a dict, possibly
        empty) and False; ``(None, False)`` when not even a top-level object starts there
        or when the body holds several JSON values (NDJSON).
    """
    try:
        if text is None and (charset is None or charset in _UTF8):
            return json.loads(data), True  # bytes: json detects UTF-8/16/32 and a BOM
        return json.loads(text if text is not None else to_text(data, charset)), True
    except (ValueError, RecursionError) as exc:
        return recover_json(data, exc, charset)


def recover_json(data: bytes, error: Exception, charset: str | None = None) -> tuple[object, bool]:
    """What :func:`load_json` returns once ``json.loads`` raised `error` on `data`: for a caller that
    parsed already, so that a cut document is not parsed twice."""
    if isinstance(error, json.JSONDecodeError) and error.msg == "Extra data":
        # Several complete values (NDJSON, JSON text sequences): a stream of records, not one
        # envelope; a cut document never ends this way.
        return None, False
    text = to_text(data, charset)
    if text.startswith("\ufeff"):
        text = text[1:]
    return scan_prefix(text), False


def scan_prefix(text: str, index: int = 0, depth: int = 0) -> dict | None:
    """Reads the members of a JSON object up to the first one that is cut or malformed.

    Complete member values are parsed by the C scanner; a member value that is itself an
    object cut by the capture limit is scanned the same way (a few levels deep) so that,
    e.g., the code of an ``error`` object preceding the cut is still seen.  A number that
    ends exactly at the end of the text is dropped: it may be the first digits of a longer one.

    Returns:
        The members read, or None when `text` does not start (after blanks) with ``{``.
    """
    ws = _WS.match
    end = len(text)
    index = ws(text, index).end()
    if not text.startswith("{", index):
        return None
    members: dict = {}
    index += 1
    while True:
        index = ws(text, index).end()
        if not text.startswith('"', index):
            return members  # "}" (the end), the cut, or garbage
        try:
            key, index = _scan_once(text, index)
        except (StopIteration, ValueError):
            return members
        index = ws(text, index).end()
        if not text.startswith(":", index):
            return members
        index = ws(text, index + 1).end()
        try:
            value, after = _scan_once(text, index)
        except (StopIteration, ValueError, RecursionError):
            if depth < _SCAN_DEPTH and text.startswith("{", index):
                partial = scan_prefix(text, index, depth + 1)
                if partial:
                    members[key] = partial
            return members
        if after >= end and isinstance(value, (int, float)) and not isinstance(value, bool):
            return members
        members[key] = value
        index = ws(text, after).end()
        if not text.startswith(",", index):
            return members
        index += 1
