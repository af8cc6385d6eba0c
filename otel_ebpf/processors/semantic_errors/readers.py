"""Reading a response body prefix as what it is, whatever its Content-Type says.

APIs report failures in JSON, but also in SOAP and XML-RPC faults, XML error documents, HTML
pages, plain text and form-encoded or name-value bodies; and they send JSON as ``text/plain``
or ``text/html``, behind an anti-XSSI prefix or a BOM, as SSE or NDJSON streams, compressed,
in Shift_JIS or GBK.  :func:`read_body` sniffs the format from the bytes (the declared type
is a hint), finds the charset (declared in the header, the XML declaration or an HTML
``<meta>``, else sniffed) and returns a :class:`Document`:

* ``json``, ``xml``, ``form``: a tree of dicts, lists and scalars that the envelope rules
  read the same way (an XML element is a dict of its attributes and children; a form is a
  dict of its fields);
* ``stream``: the records of an SSE or NDJSON stream (a list of trees), with SSE ``error``
  events flagged;
* ``html``: the page's title, first heading and whether it holds a password form;
* ``text``: the first characters of a plain-text body.

Everything is read from the captured prefix: a document cut by the capture limit yields the
part before the cut.  Nothing here raises on bad input.
"""

from __future__ import annotations

import ast
import html
import json
import re
import xmlrpc.client
from typing import NamedTuple
from urllib.parse import parse_qsl
from xml.etree.ElementTree import Element, ParseError, XMLPullParser
from xml.parsers.expat import ExpatError

from otel_ebpf.processors.semantic_errors.body import charset_of, load_json, to_text

__all__ = ["Document", "HtmlPage", "read_body", "sniff_charset", "visible_text"]

# Anti-XSSI prefixes servers put before JSON so that a <script> include cannot read it.
_XSSI = (b")]}',", b")]}'", b"while(1);", b"while (1);", b"for(;;);", b"for (;;);", b"&&&START&&&", b"/*-secure-")
# JSONP: `callback({...})`, Express's `/**/ typeof cb === 'function' && cb({...});`.
_JSONP = re.compile(
    rb"(?:/\*\*/\s*)?(?:typeof\s+[\w$.]+\s*===?\s*['\"]function['\"]\s*&&\s*)?[A-Za-z_$][\w$.]*\s*\(\s*(?=[\[{])"
)
_GUARD_ENDS = (b"&&&END&&&", b"*/")
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_SCHEMA_INSTANCE = "{http://www.w3.org/2001/XMLSchema-instance}"
_MAX_XML_DEPTH = 9  # XML-RPC's faultString sits at depth 6; a SOAP reply carrying a document as text, 8
_PREFIXES = re.compile(r"<(/?)[A-Za-z_][\w.-]{0,32}:")
_XML_PREFIX = 16384  # characters of a document parsed: its failure is near its start
_MAX_CHILDREN = 24
_MAX_REPEATED = 3
_MAX_RECORDS = 64
_MAX_LINES = 256
_HTML_PREFIX = 4096  # characters of a page read: the title, the first heading, a login form

_FORM_PAIRS = re.compile(rb"[A-Za-z_][\w.\-\[\]]*=[^\n&=]*(?:&[A-Za-z_][\w.\-\[\]]*=[^\n&]*)+\s*\Z")
_KV_LINE = re.compile(r"[A-Za-z_][\w.\-]*[ \t]*=[^=\n]*\Z")
_COLON_LINE = re.compile(r"[A-Za-z_][\w.\-]{0,31}[ \t]*:[ \t]*\S[^\n]*\Z")
_XML_ENCODING = re.compile(rb"<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_\-.:]+)")
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_\-.:]+)", re.IGNORECASE)
_TITLE = re.compile(r"<title[^<>]{0,256}>([^<]{0,512})", re.IGNORECASE)
_HEADING = re.compile(r"<h[12][^<>]{0,256}>((?:[^<]|<(?!/h[12])){0,512})", re.IGNORECASE)
_PASSWORD = re.compile(r"<input[^<>]{0,512}type\s*=\s*[\"']?password", re.IGNORECASE)
# An identity provider's hand-off: a SAML POST form, an OAuth/OIDC authorize redirect, a sign-in widget.
_SIGN_IN_WORDS = ("saml", "authorize", "openid-connect", "okta-sign-in", "microsoftonline")
_SIGN_IN_FORM = re.compile(
    r"name\s*=\s*[\"']?(?:SAMLRequest|SAMLResponse)|/oauth2?/(?:v\d\.\d/)?authorize|/protocol/openid-connect/auth"
    r"|okta-sign-in|/saml2?/|login\.microsoftonline\.com",
    re.IGNORECASE,
)
_TAGS = re.compile(r"<[^<>]*>")
# A SOAP fault: the first element of a SOAP Body (not a `<Fault>` in a comment, CDATA or data).
_SOAP_FAULT = re.compile(r"<(?:[\w.-]{1,32}:)?Body\b[^<>]{0,512}>\s*<(?:[\w.-]{1,32}:)?Fault[\s>]")
# The words of a SOAP 1.1 or 1.2 fault: every element's text (faultcode, faultstring, Code/Value,
# Reason/Text, and the elements of its detail: a FaultMessage, a vendor's error code).
_FAULT_PARTS = re.compile(r"<(?:[\w.-]{1,32}:)?([\w.-]{1,64})\b[^<>]{0,256}>([^<]{0,512})(?=<)")
_FAULT_WINDOW = 4096  # characters after the fault's start tag read for its words
_FAULT_PARTS_MAX = 12  # elements of a fault read that hold text (empty and nil ones are passed over)
_SPACES = re.compile(r"\s+")

# Charsets tried, in order, on a body that is not UTF-8 and declares none.  The one whose text
# holds the most words of the lexicon wins (a success reads the same in any of them: nothing to
# find); without any, the first that decodes.
SNIFFED_CHARSETS = ("gb18030", "shift_jis", "euc_kr", "big5", "cp1252")
_SURE_SCORE = 3
_SNIFFED_BYTES = 1024  # bytes of a body its charset is guessed from
# Two bytes above 0x7f in a row: not a Latin-1 text.
_ISOLATED_HIGH = re.compile(rb"[\x80-\xff]{2}")


# Bytes of a printed Python value parsed: ast.literal_eval costs 100-200 µs a KiB (once: the verdict
# is cached), so only a body within the default capture is read so.
_PYTHON_LITERAL_MAX = 1024


class HtmlPage(NamedTuple):
    title: str
    heading: str
    password_form: bool
    markup: str  # the page's first characters (see visible_text)
    sign_in: bool = False  # a SAML or OAuth hand-off form, a sign-in widget


def visible_text(page: HtmlPage, limit: int = 300) -> str:
    """The first words a reader of the page sees (scripts, styles and the head left out); computed
    only when a rule needs them: ~15 µs on a 1 KiB page."""
    markup = page.markup
    body = markup.find("<body")
    return _clean(_without_invisible(markup[body if body >= 0 else 0 :]))[:limit]


def _without_invisible(markup: str) -> str:
    """The markup without its scripts and styles (found with find(): linear on any input)."""
    lowered = markup.lower()
    out: list[str] = []
    pos = 0
    while True:
        starts = [i for i in (lowered.find("<script", pos), lowered.find("<style", pos)) if i >= 0]
        if not starts:
            out.append(markup[pos:])
            return " ".join(out)
        start = min(starts)
        out.append(markup[pos:start])
        closing = "</script" if lowered.startswith("<script", start) else "</style"
        end = lowered.find(closing, start)
        if end < 0:
            return " ".join(out)
        pos = end + len(closing)


class Document(NamedTuple):
    """A body read as its format: ``json``, ``xml``, ``form``, ``stream``, ``html`` or ``text``."""

    format: str
    value: object  # a tree (json, xml, form), a list of trees (stream), an HtmlPage, a str
    complete: bool  # False when the capture (or the framing) cut the document
    error_event: bool = False  # an SSE stream sent an `event: error`


def _strip_prefixes(data: bytes) -> tuple[bytes, str | None]:
    """Removes a BOM, blanks and an anti-XSSI prefix; returns the rest and the BOM's charset."""
    charset = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, charset = data[len(bom) :], name
            break
    data = data.lstrip()
    for prefix in _XSSI:
        if data.startswith(prefix):
            data = data[len(prefix) :].lstrip()
            tail = data.rstrip()
            for end in _GUARD_ENDS:
                if tail.endswith(end):
                    data = tail[: -len(end)]
                    break
            break
    else:
        if data.startswith(b"/*") and not data.startswith(b"/**/") and data.rstrip().endswith(b"*/"):
            return data[2:].rstrip()[:-2].strip(), charset  # JSON in a comment (Dojo, Prototype)
        found = _JSONP.match(data)
        if found is not None:
            inside = data[found.end() :].rstrip()
            if inside.endswith(b";"):
                inside = inside[:-1].rstrip()
            if inside.endswith(b")"):
                inside = inside[:-1].rstrip()
            if _parses(inside):  # `ERROR ([worker-3] ...)` is text, not a callback
                data = inside
    return data, charset


def _parses(data: bytes) -> bool:
    try:
        json.loads(data)
    except (ValueError, RecursionError):
        return False
    return True


def sniff_charset(data: bytes, scorer=None) -> str | None:
    """The charset of a body that declares none: None for UTF-8 (or ASCII), else a guess.

    Args:
        scorer: ``text -> int``, how many words of the lexicon a decoding holds; the decoding
            with the most wins.
    """
    return _sniff(data, scorer)[0]


def _sniff(data: bytes, scorer) -> tuple[str | None, str | None]:
    """:func:`sniff_charset`, and the whole of `data` decoded in that charset when it decoded
    cleanly (None otherwise): the caller need not decode it again (2 µs a KiB)."""
    try:
        data.decode("utf-8")
        return None, None  # (JSON is parsed from the bytes: it tells UTF-16 and 32 apart itself)
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return None, None  # UTF-8 cut inside a character by the capture
    best, best_score, best_text = None, -1, None
    candidates = SNIFFED_CHARSETS
    if _ISOLATED_HIGH.search(data) is None:
        # Every byte above 0x7f stands alone between ASCII ones: accented letters of a Latin text
        # (in GBK or Shift_JIS they come in pairs).
        candidates = ("cp1252", *SNIFFED_CHARSETS[:-1])
    for name in candidates:
        whole = True
        try:
            text = data.decode(name)
        except UnicodeDecodeError as exc:
            if exc.start < len(data) - 2:
                continue
            text, whole = data[: exc.start].decode(name, "replace"), False
        score = scorer(text) if scorer is not None else 0
        if score > best_score:
            best, best_score, best_text = name, score, text if whole else None
            if score >= _SURE_SCORE:
                break  # this many of the lexicon's characters do not come out of a wrong decoding
    if best is None:
        return "cp1252", None
    return best, best_text


def read_body(content_type: str | None, data: bytes, complete: bool, scorer=None) -> Document | None:
    """Reads a decoded body prefix (chunk framing and content codings already undone).

    Args:
        content_type: the response's Content-Type, or None.
        data: the body prefix.
        complete: False when the body was cut before its end.
        scorer: see :func:`sniff_charset`.

    Returns:
        The document, or None when there is nothing to read (empty, binary, unknown).
    """
    ct = content_type.lower() if content_type else ""
    charset = charset_of(ct) if "charset" in ct else None
    data, bom_charset = _strip_prefixes(data)
    if not data:
        return None
    charset = charset or bom_charset
    first = data[:1]
    if "event-stream" in ct or (not ct and data.startswith((b"data:", b"event:"))):
        return _read_sse(data, charset, complete, scorer)
    if "ndjson" in ct or "jsonl" in ct or "json-seq" in ct:
        return _read_ndjson(data, charset, complete, scorer)
    if first in (b"{", b"["):
        text = None
        if charset is None:
            charset, text = _sniff(data[:_SNIFFED_BYTES], scorer)
            if len(data) > _SNIFFED_BYTES:
                text = None  # the decoding covers the first KiB only
        if data.startswith((b"{'", b"[{'")) and complete and len(data) <= _PYTHON_LITERAL_MAX:
            doc = _python_literal(text if text is not None else to_text(data, charset))
            if doc is not None:
                return Document("json", doc, True)
        doc, whole = load_json(data, charset, text)
        if doc is not None:
            return Document("json", doc, whole and complete)
        if first == b"{":
            return _read_ndjson(data, charset, complete, scorer)
        # "[ERROR] ...": text that starts with a bracket (read below)
    if first == b"<":
        head = _after_comments(data[:1024]).lower()
        if "html" in ct or head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
            return _read_html(data, charset, complete, scorer)
        if "xml" in ct or head.startswith(b"<?xml") or not ct or "text/plain" in ct:
            return _read_xml(data, charset, complete, scorer)
        return _read_html(data, charset, complete, scorer)
    if "xml" in ct:
        return None  # a fragment of markup that does not start as markup: nothing to read
    if "json" in ct and first != b"[":
        return None  # a JSON string or number: a value, not an envelope
    if "form-urlencoded" in ct or _FORM_PAIRS.match(data[:2048]):
        text = _text(data, charset, scorer)
        return Document("form", _first_values(parse_qsl(text[:4096], keep_blank_values=True)), complete)
    # Any other type whose bytes are text (plain text, HL7's x-application/hl7-v2+er7, EDI, CSV).
    text = _text(data[:1024], charset, scorer)
    if "\x00" in text[:256]:
        return None  # binary
    lines = [line.strip() for line in text.splitlines() if line.strip()][:16]
    if lines and all(_KV_LINE.match(line) for line in lines):
        pairs = [line.split("=", 1) for line in lines]
        return Document("form", _first_values((k.strip(), v.strip()) for k, v in pairs), complete)
    if len(lines) > 1 and all(_COLON_LINE.match(line) for line in lines):
        # `result: fail` / `reason: unknown recipient`: name-value lines with colons.
        pairs = [line.split(":", 1) for line in lines]
        return Document("form", _first_values((k.strip(), v.strip()) for k, v in pairs), complete)
    return Document("text", text, complete)


def _python_literal(text: str) -> object:
    """A Python dict or list printed as the body (`str(result)` in a Flask or Django view:
    `{'ok': False, 'error': 'invalid_token'}`), read as the JSON it stands for; None otherwise."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if value.__class__ in (dict, list) else None


def _after_comments(data: bytes) -> bytes:
    """The markup after leading comments and blanks (`<!-- generated -->` before an XML document)."""
    while data.startswith(b"<!--"):
        end = data.find(b"-->")
        if end < 0:
            return b""
        data = data[end + 3 :].lstrip()
    return data


def _text(data: bytes, charset: str | None, scorer) -> str:
    if charset is None:
        charset = sniff_charset(data[:_SNIFFED_BYTES], scorer)
    return to_text(data, charset)


def _first_values(pairs) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in pairs:
        if key not in out:
            out[key] = value
    return out


# ---------------------------------------------------------------- streams


def _read_sse(data: bytes, charset: str | None, complete: bool, scorer) -> Document:
    """The JSON data of the events of an SSE stream (the first ones and always the last one, at
    most _MAX_RECORDS); an `event: error` is flagged."""
    text = _text(data, charset, scorer)
    records: list = []
    last: list = []  # the last event's record, kept apart once the first ones fill `records`
    error_event = False
    event = ""
    payload: list[str] = []
    lines = text.split("\n")
    if not complete and not text.endswith("\n"):
        lines = lines[:-1]  # the last line was cut by the capture
    for raw in lines:
        line = raw.rstrip("\r")
        if not line:
            _end_event(event, payload, records if len(records) < _MAX_RECORDS - 1 else _replace(last))
            event, payload = "", []
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "event":
            event = value.strip()[:32]
            if event == "error":
                error_event = True
        elif field == "data" and len(payload) < _MAX_LINES:
            payload.append(value[:4096])
    _end_event(event, payload, records if len(records) < _MAX_RECORDS - 1 else _replace(last))
    return Document("stream", records + last, complete, error_event)


def _replace(holder: list) -> list:
    holder.clear()
    return holder


def _end_event(event: str, payload: list[str], records: list) -> None:
    if not payload:
        return
    text = "\n".join(payload).strip()
    if not text.startswith(("{", "[")):
        if event == "error" and text:
            records.append({"error": text[:256]})  # an error event's words, for its type
        return  # "[DONE]", plain text tokens: data, not an envelope
    record = _json_record(text)
    if record is not None:
        records.append(record)


def _read_ndjson(data: bytes, charset: str | None, complete: bool, scorer) -> Document:
    """The records of an NDJSON / JSON lines / JSON text sequence stream.

    At most _MAX_RECORDS records are kept: the first ones, and always the last one (a stream that
    ends in an error says so there); at most _MAX_LINES lines are tried."""
    text = _text(data, charset, scorer)
    lines = text.replace("\x1e", "\n").split("\n")
    if not complete and not text.endswith("\n"):
        lines = lines[:-1]  # the last line was cut by the capture
    lines = [line for line in (line.strip() for line in lines[: _MAX_LINES + 1]) if line] + (
        [lines[-1].strip()] if len(lines) > _MAX_LINES + 1 and lines[-1].strip() else []
    )
    records: list = []
    for line in lines[:-1] if len(lines) > _MAX_RECORDS else lines:
        record = _json_record(line)
        if record is not None:
            records.append(record)
            if len(records) >= _MAX_RECORDS - 1:
                break
    if len(lines) > _MAX_RECORDS:
        last = _json_record(lines[-1])
        if last is not None:
            records.append(last)
    return Document("stream", records, complete)


def _json_record(line: str) -> object:
    if not line.startswith(("{", "[")):
        return None
    try:
        return json.loads(line)
    except (ValueError, RecursionError):
        return None


# ---------------------------------------------------------------- markup


def _markup_charset(data: bytes, charset: str | None, pattern: re.Pattern[bytes], scorer) -> str | None:
    if charset is not None:
        return charset
    found = pattern.search(data[:1024])
    if found is not None:
        name = found.group(1).decode("ascii", "replace").lower()
        if name in ("utf-8", "utf8"):
            return None
        if name.startswith(("utf-16", "utf16", "utf-32", "utf32", "ucs")) and b"\x00" not in data[:64]:
            return None  # .NET's StringWriter declares utf-16 over 8-bit bytes
        return name
    return sniff_charset(data[:_SNIFFED_BYTES], scorer)


def _read_xml(data: bytes, charset: str | None, complete: bool, scorer) -> Document | None:
    """An XML document as a tree: each element a dict of its attributes and children (local names)."""
    charset = _markup_charset(data, charset, _XML_ENCODING, scorer)
    text = to_text(data, charset)
    fault = _SOAP_FAULT.search(text, 0, 4096)
    if fault is not None:
        # A SOAP fault, the most common XML failure, read without building the document:
        # 47 µs → 20 µs on 1 KiB (bench/bench_classifier.py).  Its words are all the rules need.
        words: dict[str, str] = {}
        count = 0
        for found in _FAULT_PARTS.finditer(text, fault.end(), fault.end() + _FAULT_WINDOW):
            value = found.group(2).strip()
            if value:  # every Text (each language) and Value (code and subcode) counts
                count += 1
                if count > _FAULT_PARTS_MAX:
                    break  # a detail of 40 line items: the words that say what failed come first
                if "&" in value:
                    value = html.unescape(value)
                name = found.group(1)
                words[name] = f"{words[name]} {value}" if name in words else value
        return Document("xml", {"Fault": words or {"value": "fault"}}, complete)
    text = _without_dtd(_without_declaration(text)[:_XML_PREFIX])
    root = _root(text)
    if root is None and ":" in text[:256]:
        # A fragment that uses a prefix it never declares (`<soap:Fault>` alone): without prefixes.
        root = _root(_PREFIXES.sub(r"<\1", text))
    if root is None:
        return None
    complete = complete and text.rstrip().endswith(">")
    names: dict = {}
    tag = _local(root.tag, names)
    if tag == "methodResponse" and complete:
        # XML-RPC: its structs read as the objects they are (`{"status": "407 Download limit
        # reached"}`), not as lists of name/value members.  A <fault> is read as the tree below.
        try:
            params, _ = xmlrpc.client.loads(text, use_builtin_types=True)
        except (xmlrpc.client.Fault, ExpatError, ValueError, TypeError, OverflowError, RecursionError):
            params = None
        if params and params[0].__class__ is dict:
            return Document("xml", {tag: params[0]}, complete)
    return Document("xml", {tag: _element_value(root, 0, names)}, complete)


def _without_declaration(text: str) -> str:
    """The document after its XML declaration (`<?xml version="1.0" encoding="..."?>`), if any."""
    if text.startswith("<?xml"):
        end = text.find("?>")
        return text[end + 2 :] if end >= 0 else ""
    return text


def _root(text: str) -> Element | None:
    """The root element of a document (or of its part before a cut or an error), or None."""
    parser = XMLPullParser(events=("start",))
    try:
        parser.feed(text)
    except (ParseError, ValueError):  # ValueError: a surrogate the declared charset let through
        pass
    try:
        for _event, element in parser.read_events():
            return element
    except (ParseError, ValueError):
        pass
    return None


def _without_dtd(text: str) -> str:
    """The document without its DTD: entities it declares are never expanded (a 760-byte
    "billion laughs" took 0.7 s and 60 MB), and an API's answer needs none."""
    start = text.find("<!DOCTYPE")
    if start < 0:
        start = text.find("<!doctype")
    if start < 0:
        return text
    subset = text.find("[", start, start + 512)
    close = text.find(">", start)
    if subset >= 0 and (close < 0 or subset < close):
        end = text.find("]>", subset)
        close = end + 1 if end >= 0 else -1
    if close < 0:
        return ""
    return text[:start] + text[close + 1 :]


def _local(tag: object, names: dict) -> str:
    """An element's name without its namespace (`{http://...}Fault` and `soap:Fault` → `Fault`)."""
    name = names.get(tag)
    if name is None:
        name = tag if isinstance(tag, str) else ""
        if name.startswith("{"):
            name = name.rsplit("}", 1)[-1]
        name = name.rsplit(":", 1)[-1]
        names[tag] = name
    return name


def _element_value(element: Element, depth: int, names: dict) -> object:
    """An element as a tree: its text, or a dict of its attributes and children (a repeated child a
    list).  Bounded: the rules read a few levels and a few items, so deeper levels, more than
    _MAX_CHILDREN children and more than _MAX_REPEATED of one name are left out (a SOAP detail of
    40 line items: 58 µs → 30 µs, bench/bench_classifier.py)."""
    attrib = element.attrib
    if not len(element) and not attrib:
        text = element.text.strip() if element.text else ""
        if text[:1] == "<" and text[-1:] == ">" and depth < _MAX_XML_DEPTH:
            # A document carried as text (escaped) in an element: ABRASF's `outputXML`, Redsys's
            # `trataPeticionReturn`.  Read as the element's tree.
            inner = _root(_without_dtd(_without_declaration(text)))
            if inner is not None:
                return {_local(inner.tag, names): _element_value(inner, depth + 1, names)}
        return text
    out: dict[str, object] = {}
    for key, value in attrib.items():
        if not key.startswith(_SCHEMA_INSTANCE):  # xsi:type, xsi:nil: how the value is typed, not data
            out[_local(key, names)] = value
    if not len(element) and (not out or (len(out) == 1 and "value" in out)):
        # <severity value="error"/> (FHIR and other XML that puts values in a `value` attribute)
        text = out.get("value") or element.text
        return text.strip() if text else ""
    if depth >= _MAX_XML_DEPTH:
        return out
    seen = 0
    for child in element:
        seen += 1
        if seen > _MAX_CHILDREN:
            break
        name = _local(child.tag, names)
        existing = out.get(name)
        if existing is None:
            out[name] = _element_value(child, depth + 1, names)
        elif existing.__class__ is list:
            if len(existing) < _MAX_REPEATED:
                existing.append(_element_value(child, depth + 1, names))
        else:
            out[name] = [existing, _element_value(child, depth + 1, names)]
    if not len(element):
        text = (element.text or "").strip()
        if text:
            out["value"] = text
    return out


def _read_html(data: bytes, charset: str | None, complete: bool, scorer) -> Document:
    """An HTML page's title, first heading and whether it holds a password field."""
    charset = _markup_charset(data, charset, _META_CHARSET, scorer)
    text = to_text(data[:_HTML_PREFIX], charset)
    title = _TITLE.search(text)
    heading = _HEADING.search(text)
    # The regular expressions only where their words occur: searched blindly, the SSO one alone
    # cost 30 µs on a 1 KiB page (bench/bench_classifier.py).
    lowered = text.lower()
    password = "password" in lowered and _PASSWORD.search(text) is not None
    sign_in = any(word in lowered for word in _SIGN_IN_WORDS) and _SIGN_IN_FORM.search(text) is not None
    page = HtmlPage(
        _clean(title.group(1)) if title else "",
        _clean(heading.group(1)) if heading else "",
        password,
        text,
        sign_in,
    )
    return Document("html", page, complete)


def _clean(fragment: str) -> str:
    return _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", fragment))).strip()[:400]
