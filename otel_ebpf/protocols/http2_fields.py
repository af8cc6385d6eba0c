"""The fields of a decoded HTTP/2 header block as a message's text: its pseudo-headers
(:method, :path, :status, :authority) and its headers by lower-case name.

Apart from :mod:`.http2_hpack`, which yields raw (name, value) bytes, because this is where
HTTP/2 meets :mod:`.http1_message`'s records: text escaped as HTTP/1 heads are.  Reading a
request block's fields costs about 1 µs (development VM, see :mod:`.http2`); most fields come
from the HPACK tables as the same tuple each time, so their text is looked up, not made.
"""

from __future__ import annotations

from otel_ebpf.protocols.http1_message import _TO_ESCAPE, _backslash_escape, _percent_escape

# Decoded fields -> (dict key, or a number for the pseudo-headers reported; value text).  A
# field from the HPACK tables is the same tuple each time (its hash cached), and most fields
# come from the tables.  Bounded, emptied when full.
_METHOD = 0
_PATH = 1
_STATUS = 2
_AUTHORITY = 3
_OTHER_PSEUDO = 4  # :scheme, :protocol: not reported
_PSEUDO = {b":method": _METHOD, b":path": _PATH, b":status": _STATUS, b":authority": _AUTHORITY}
_MAX_CACHED = 2048
_MAX_CACHED_FIELD = 256  # bytes of name and value
_fields: dict[tuple[bytes, bytes], tuple[str | int, str]] = {}
_fields_get = _fields.get


def read_fields(
    fields: list[tuple[bytes, bytes]],
) -> tuple[str | None, str | None, str | None, str | None, dict[str, str]]:
    """(:method, :path, :status, :authority, headers) of decoded fields, as text: the headers by
    lower-case name, first value kept, pseudo-headers left out."""
    method = path = status = authority = None
    headers: dict[str, str] = {}
    for field in fields:
        read = _fields_get(field)
        if read is None:
            read = _read_field(field)
        key = read[0]
        if key.__class__ is int:
            if key == _METHOD:
                method = read[1]
            elif key == _PATH:
                path = read[1]
            elif key == _STATUS:
                status = read[1]
            elif key == _AUTHORITY:
                authority = read[1]
        elif key not in headers:
            headers[key] = read[1]
    return method, path, status, authority, headers


def _read_field(field: tuple[bytes, bytes]) -> tuple[str | int, str]:
    """(dict key or pseudo-header number, value text) of a field, remembered when short."""
    name, value = field
    pseudo = _PSEUDO.get(name)
    if pseudo is not None:
        read: tuple[str | int, str] = (pseudo, _target(value) if pseudo == _PATH else _text(value))
    elif name[:1] == b":":
        read = (_OTHER_PSEUDO, "")
    else:
        read = (_text(name).lower(), _text(value))
    if len(name) + len(value) <= _MAX_CACHED_FIELD:
        if len(_fields) >= _MAX_CACHED:
            _fields.clear()
        _fields[field] = read
    return read


def _text(value: bytes) -> str:
    """A header name or value as text: printable ASCII as is, else UTF-8 with control
    characters and invalid bytes escaped as \\xNN (as http1_message does)."""
    if value.isascii():
        text = value.decode("ascii")
        return text if text.isprintable() else _TO_ESCAPE.sub(_backslash_escape, text)
    return _TO_ESCAPE.sub(_backslash_escape, value.decode("utf-8", "surrogateescape"))


def _target(path: bytes) -> str:
    """The :path as a request target: bytes that are not printable ASCII percent-encoded."""
    if path.isascii():
        text = path.decode("ascii")
        if text.isprintable():
            return text
        return _TO_ESCAPE.sub(_percent_escape, text)
    return _TO_ESCAPE.sub(_percent_escape, path.decode("utf-8", "surrogateescape"))
