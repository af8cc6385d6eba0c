"""HTTP/1.x message heads: the message record, its parse error and the pure parsing helpers.

Everything here works on complete byte strings (a header block, a chunk-size line);
the incremental framing lives in :mod:`otel_ebpf.protocols.http1_stream`.

Text: a head of printable ASCII (the usual case, one `bytes.translate` to know) is decoded as
is.  Anything else is decoded as UTF-8, so a raw UTF-8 path (``/café``) or user agent
arrives as the text the peer meant, and what is not valid UTF-8 or is a control
character is escaped, because OTLP strings must be valid UTF-8 and a NUL or an escape
sequence in a span name or attribute would reach terminals and back ends: in the
request target each such byte is percent-encoded (``%FF``, ``%00``: the target stays a
valid URL), in header names and values it becomes ``\\xNN``.  See docs/decisions.md.
"""

from __future__ import annotations

import re

# Limits against huge or hostile input (a peer cannot make the agent buffer more).
MAX_START_LINE = 8 * 1024
MAX_HEADER_BLOCK = 16 * 1024
MAX_HEADERS = 100
MAX_CHUNK_LINE = 4 * 1024  # chunk-size line with extensions, or one trailer line

# Registered methods skip the regex; anything else must still look like a method
# (upper-case token) so that text protocols are not mistaken for HTTP.
_KNOWN_METHODS = frozenset(("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE"))
_METHOD_RE = re.compile(r"[A-Z][A-Z0-9_\-]{0,23}")
_METHOD_BYTES_RE = re.compile(rb"[A-Z][A-Z0-9_\-]{0,23}")
_MAX_METHOD = 24
_HTTP1_PREFIX = b"HTTP/1."
_VERSIONS = {"HTTP/1.1": "1.1", "HTTP/1.0": "1.0"}
_HEX_DIGITS = b"0123456789abcdefABCDEF"

# A head needs the slow decoding when it holds a byte outside printable ASCII other than
# its CRLF line ends (and the CR that ends its last line): checked on the ASCII text with
# str.isprintable, cheaper than counting with bytes.translate or a regex search.
# After UTF-8 decoding with surrogateescape: control characters (C0, DEL, C1) and the
# surrogates that stand for bytes that were not valid UTF-8.
_TO_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\udc80-\udcff]")


class Http1ParseError(ValueError):
    """The bytes are not a valid HTTP/1.x message (raised inside, counted at the boundary)."""


class Http1LimitError(Http1ParseError):
    """A size or count limit was exceeded: the peer is hostile or not speaking HTTP."""


class Http1Message:
    """One HTTP/1.x request or response as observed on the wire.

    `body` is the captured prefix of the raw bytes after the header block (chunked
    framing included) and `body_size` the body length per framing; timestamps are
    the kernel's monotonic nanoseconds of the syscalls that carried the bytes.
    """

    __slots__ = (
        "is_request",
        "method",
        "target",
        "version",
        "status_code",
        "headers",
        "body",
        "body_size",
        "body_truncated",
        "headers_truncated",
        "framing_error",
        "first_ts_enter",
        "first_ts_exit",
        "last_ts_exit",
        # The kernel phases (turns) the message's first bytes and, for a queued request, its last
        # bytes came in (0: unknown); set by the stream and the pairing layer.
        "first_turn",
        "last_turn",
    )

    def __init__(
        self, is_request: bool, method: str, target: str, version: str, status_code: int, headers: dict[str, str]
    ) -> None:
        self.is_request = is_request
        # Responses get the method of the request they answer (set by the pairing layer).
        self.method = method
        self.target = target
        self.version = version
        self.status_code = status_code
        self.headers = headers
        self.body = b""
        self.body_size = 0
        self.body_truncated = False
        self.headers_truncated = False
        # Why a request's body length could not be determined (RFC 9112 §6.3), "" when it could.
        self.framing_error = ""
        self.first_ts_enter = 0
        self.first_ts_exit = 0
        self.last_ts_exit = 0

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        if self.is_request:
            return f"Http1Message({self.method} {self.target} HTTP/{self.version} body_size={self.body_size})"
        return f"Http1Message(HTTP/{self.version} {self.status_code} for {self.method} body_size={self.body_size})"


def find_head_end(buf: bytes | bytearray, start: int) -> tuple[int, int]:
    """Finds the blank line that ends a header block.

    Returns `(block_end, body_start)`: the block is `buf[:block_end]` (its last line
    without the final LF) and the body starts at `body_start`; `(-1, -1)` if there is
    no blank line yet.  Bare LF line ends are accepted (RFC 9112 §2.2 allows it), so
    both CRLF CRLF and LF LF (and mixes) end a block: whichever comes first.
    """
    crlf = buf.find(b"\n\r\n", start)
    if crlf >= 0:
        lf = buf.find(b"\n\n", start, crlf + 1)
        if lf >= 0:
            return lf, lf + 2
        return crlf, crlf + 3
    lf = buf.find(b"\n\n", start)
    if lf >= 0:
        return lf, lf + 2
    return -1, -1


def plausible_start(prefix: bytes | bytearray, want: bool | None) -> bool:
    """Could these first bytes begin a start line? (`want`: True request, False response, None either).

    Used to classify a connection from its first bytes before a whole line has
    arrived: a TLS record, an HTTP/2 preface body or a binary protocol fails at once.
    """
    if not prefix:
        return True
    if want is not True:
        k = len(prefix) if len(prefix) < 7 else 7
        if prefix[:k] == _HTTP1_PREFIX[:k]:
            return True
    if want is not False:
        space = prefix.find(b" ", 0, _MAX_METHOD + 1)
        if space > 0:
            return _METHOD_BYTES_RE.fullmatch(prefix, 0, space) is not None
        if space < 0 and len(prefix) <= _MAX_METHOD:
            return _METHOD_BYTES_RE.fullmatch(prefix) is not None
    return False


def _version(text: str) -> str:
    version = _VERSIONS.get(text)
    if version is not None:
        return version
    if len(text) == 8 and text.startswith("HTTP/1.") and text[7].isdigit() and text.isascii():
        return text[5:]
    raise Http1ParseError(f"not an HTTP/1.x version: {text[:16]!r}")


def _request_line(line: str, truncated: bool) -> tuple[str, str, str]:
    parts = line.split(" ")
    if len(parts) == 3:
        method, target, version_text = parts
    elif len(parts) > 3 and parts[-1].startswith("HTTP/"):
        # Lenient: some clients send unescaped spaces in the target.
        method, target, version_text = parts[0], " ".join(parts[1:-1]), parts[-1]
    elif truncated and len(parts) >= 2:
        # The capture ended inside the request line: keep the target prefix we saw.
        method, target, version_text = parts[0], parts[1], "HTTP/1.1"
    else:
        raise Http1ParseError("malformed request line")
    if method not in _KNOWN_METHODS and _METHOD_RE.fullmatch(method) is None:
        raise Http1ParseError(f"bad method {method[:24]!r}")
    if not target:
        raise Http1ParseError("empty request target")
    if truncated and len(parts) == 3 and not version_text.startswith("HTTP/1."):
        version_text = "HTTP/1.1"  # version cut short by the capture
    return method, target, _version(version_text)


def _status_line(line: str) -> tuple[str, int]:
    version_text, _, rest = line.partition(" ")
    code = rest[:3]
    if len(code) != 3 or not code.isdigit() or not code.isascii() or (len(rest) > 3 and rest[3] != " "):
        raise Http1ParseError("malformed status line")
    status = int(code)
    if status < 100:
        raise Http1ParseError("status code below 100")
    return _version(version_text), status


def parse_head(block: bytes | bytearray, want: bool | None, truncated: bool = False) -> Http1Message:
    """Parses a header block (start line and header lines, without the blank line).

    Repeated ``Content-Length`` or ``Transfer-Encoding`` lines are joined into one
    comma-separated value (what RFC 9110 §5.3 makes them mean), so that the framing
    sees every one of them; other repeated headers keep their first value.

    Args:
        block: the header block bytes.
        want: True for a request, False for a response, None to accept either.
        truncated: the capture ended inside the block: the last (partial) line is
            dropped, and a partial start line is accepted if its essentials are there.

    Raises:
        Http1ParseError: the block is not a valid HTTP/1.x head (Http1LimitError for limits).
    """
    if not truncated:
        msg = plain_head(block, want)
        if msg is not None:
            return msg
    return _parse_head(block, want, truncated)


def plain_head(block: bytes | bytearray, want: bool | None) -> Http1Message | None:
    """parse_head for a plain head, else None (parse_head then parses it, or raises).

    A plain head is printable ASCII with CRLF line ends (nearly every head), a valid start line
    and header lines with a colon: what _parse_head gives for it, with bytes and str methods and
    the caches below.  Anything else, or anything _parse_head would reject, is not plain.
    Measured on the development VM (bench/bench_parse.py heads, 5 header lines): _parse_head
    2.5 µs a request head; this 1.0 µs with its header section cached, 0.4 µs for a response
    head cached whole, 2.7 µs (against 3.2 µs) for a section holding a line never seen before.

    A plain head holds no LF that is not after a CR: the stream relies on it (its head ends at
    its first CRLF CRLF, see Http1Stream._head).
    """
    if type(block) is not bytes:
        block = bytes(block)  # a head carried over in a bytearray: the caches need a hashable key
    elif want is False:
        response = _responses_get(block)
        if response is not None:
            return Http1Message(False, "", "", response[0], response[1], response[2].copy())
    if not block.isascii() or len(block) > MAX_HEADER_BLOCK:
        return None
    nl = block.find(b"\n")
    if nl < 0:
        start = block[:-1] if block.endswith(b"\r") else block
        headers = {}
        section = None
    elif nl and block[nl - 1] == 13:  # CR LF
        start = block[: nl - 1]
        section = block[nl + 1 :]
        headers = _sections_get(section)  # _headers' first step, without the call
        if headers is not None:
            headers = headers.copy()
        else:
            headers = _headers(section)
            if headers is None:
                return None
    else:
        return None
    if want is not True and start.startswith(b"HTTP/"):
        status_line = _status_lines_get(start)
        if status_line is None:
            status_line = _plain_status_line(start)
            if status_line is None:
                return None
        # Remembered whole when its header lines repeat (see _headers).
        if want is False and len(block) <= _MAX_SECTION_BYTES and (section is None or section in _sections):
            if len(_responses) >= _MAX_SECTIONS:
                _responses.clear()
            _responses[block] = (status_line[0], status_line[1], headers.copy())
        return Http1Message(False, "", "", status_line[0], status_line[1], headers)
    if want is False or len(start) > MAX_START_LINE:
        return None
    line = start.decode("ascii")
    parts = line.split(" ")
    if len(parts) != 3 or not line.isprintable():
        return None
    method, target, version = parts
    version = _VERSIONS.get(version)
    if version is None or not target or method not in _KNOWN_METHODS:
        return None
    return Http1Message(True, method, target, version, 0, headers)


# Recently seen header sections (the bytes after the start line) -> their headers, and header
# lines -> (lower-case name, value): a client or a server repeats most of its header lines
# (and often all of them) from one message to the next.  Only printable ASCII lines with a
# colon are kept, which the general parser reads the same way whatever the rest of the head
# holds.  Bounded in entries and in the length of what is kept (at most ~2 MB of keys); a
# full cache is emptied and fills again with what is seen next (nothing is lost: a miss is
# parsed).
_MAX_SECTIONS = 256
_MAX_SECTION_BYTES = 2048
_MAX_LINES = 2048
_MAX_LINE_CHARS = 256
_sections: dict[bytes, dict[str, str]] = {}
# Whole response heads -> (version, status code, headers): a server repeats its response heads
# (what changes is often only the Date, once a second, and Content-Length).
_responses: dict[bytes, tuple[str, int, dict[str, str]]] = {}
_responses_get = _responses.get
_lines: dict[str, tuple[str, str]] = {}
_sections_get = _sections.get
_lines_get = _lines.get
# Status lines ("HTTP/1.1 200 OK") -> (version, status code); at most _MAX_STATUS_LINES kept.
_MAX_STATUS_LINES = 256
_status_lines: dict[bytes, tuple[str, int]] = {}
_status_lines_get = _status_lines.get


def _headers(section: bytes) -> dict[str, str] | None:
    """The headers of a plain header section (printable ASCII lines with a colon, CRLF line ends,
    at most MAX_HEADERS lines), as _parse_head makes them; None for any other section.

    A section is remembered whole only once every line of it was seen before: one with a line
    never seen (a trace context, a request id) is most likely never seen again, and copying it
    into the cache would only push out the sections that do repeat.
    """
    headers = _sections_get(section)
    if headers is not None:
        return headers.copy()
    text = section.decode("ascii")
    lines = (text[:-1] if text.endswith("\r") else text).split("\r\n")
    if len(lines) > MAX_HEADERS:
        return None
    pairs = list(map(_lines_get, lines))
    misses = pairs.count(None)
    i = 0
    for _ in range(misses):
        i = pairs.index(None, i)
        line = lines[i]
        name, sep, value = line.partition(":")
        if not sep or not line.isprintable():
            return None  # a line the parser skips or escapes: not plain
        pair = pairs[i] = (name.lower(), value.strip(" \t"))
        if len(line) <= _MAX_LINE_CHARS:
            if len(_lines) >= _MAX_LINES:
                _lines.clear()
            _lines[line] = pair
        i += 1
    headers = dict(pairs)
    if len(headers) != len(pairs):
        # A repeated name: the first value is kept, framing headers are joined (see parse_head).
        headers = {}
        for name, value in pairs:
            if name not in headers:
                headers[name] = value
            elif name == "content-length" or name == "transfer-encoding":
                headers[name] += ", " + value
    if not misses and len(section) <= _MAX_SECTION_BYTES:
        if len(_sections) >= _MAX_SECTIONS:
            _sections.clear()
        _sections[section] = headers.copy()
    return headers


def _plain_status_line(start: bytes) -> tuple[str, int] | None:
    """(version, status code) of a printable ASCII status line, remembered; None for another line."""
    line = start.decode("ascii")
    if len(line) > MAX_START_LINE or not line.isprintable():
        return None
    try:
        status_line = _status_line(line)
    except Http1ParseError:
        return None
    if len(start) <= _MAX_LINE_CHARS:
        if len(_status_lines) >= _MAX_STATUS_LINES:
            _status_lines.clear()
        _status_lines[start] = status_line
    return status_line


def _parse_head(block: bytes | bytearray, want: bool | None, truncated: bool = False) -> Http1Message:
    """parse_head for any head (the general parser)."""
    if len(block) > MAX_HEADER_BLOCK:
        raise Http1LimitError("header block too large")
    if block.isascii():
        text = block.decode("ascii")
        # Unusual: a byte outside printable ASCII other than a CRLF or the block's final CR.
        unusual = not (text[:-1] if text.endswith("\r") else text).replace("\r\n", " ").isprintable()
    else:
        text = block.decode("utf-8", "surrogateescape")
        unusual = True
    lines = text.split("\n")
    line_count = len(lines)
    if truncated and line_count > 1:
        lines.pop()  # incomplete last line: a cut value would be wrong, not just short
        line_count -= 1
    if line_count > MAX_HEADERS + 1:
        raise Http1LimitError("too many header lines")
    start = lines[0]
    if start.endswith("\r"):
        start = start[:-1]
    if len(start) > MAX_START_LINE:
        raise Http1LimitError("start line too long")
    partial_start = truncated and line_count == 1 and not block.endswith(b"\n")
    if want is not True and start.startswith("HTTP/"):
        version, status = _status_line(start)
        msg = Http1Message(False, "", "", version, status, {})
    elif want is not False:
        method, target, version = _request_line(start, partial_start)
        if unusual:
            target = _TO_ESCAPE.sub(_percent_escape, target)
        msg = Http1Message(True, method, target, version, 0, {})
    else:
        raise Http1ParseError("expected a status line")
    if line_count > 1:
        headers = msg.headers
        lines_iter = iter(lines)
        next(lines_iter)  # the start line
        for line in lines_iter:
            name, sep, value = line.partition(":")
            # Lines without a colon (obs-fold, junk) are skipped: we observe, we do not enforce.
            if sep:
                name = name.lower()
                value = value.strip(" \t\r")
                if unusual:
                    name = _TO_ESCAPE.sub(_backslash_escape, name)
                    value = _TO_ESCAPE.sub(_backslash_escape, value)
                if name not in headers:
                    headers[name] = value
                elif name == "content-length" or name == "transfer-encoding":
                    headers[name] += ", " + value  # framing must see every occurrence
    return msg


def _percent_escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code >= 0xDC80:  # surrogateescape: one byte that was not valid UTF-8
        return f"%{code - 0xDC00:02X}"
    return "".join(f"%{b:02X}" for b in char.encode("utf-8"))


def _backslash_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00 if code >= 0xDC80 else code:02x}"


def content_length(value: str) -> int:
    """The value of a Content-Length header; identical repeated values ("5, 5") are accepted."""
    if value.isdigit() and value.isascii():
        return int(value)
    values = {v.strip() for v in value.split(",")}
    if len(values) == 1:
        only = values.pop()
        if only.isdigit() and only.isascii():
            return int(only)
    raise Http1ParseError(f"bad Content-Length {value[:32]!r}")


def is_chunked(transfer_encoding: str) -> bool:
    """True when the final transfer coding is chunked (RFC 9112 §6.3)."""
    return transfer_encoding.rpartition(",")[2].strip().lower() == "chunked"


def parse_chunk_size(line: bytes | bytearray) -> int:
    """The size from a chunk-size line (`1a;ext=v\\r`, CR optional); raises Http1ParseError."""
    size = line.partition(b";")[0].strip(b" \t\r")
    if not size or len(size) > 16 or size.translate(None, _HEX_DIGITS):
        raise Http1ParseError("bad chunk size")
    return int(size, 16)


def starts_with_start_line(data: bytes, want: bool | None) -> bool:
    """True when `data` begins with a complete, valid start line of the wanted kind."""
    end = data.find(b"\n", 0, MAX_START_LINE + 2)
    if end <= 0:
        return False
    try:
        parse_head(data[:end], want)
    except Http1ParseError:
        return False
    return True
