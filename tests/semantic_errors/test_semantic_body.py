"""Decoding the captured body prefix: chunk framing, gzip/deflate, cut JSON."""

from __future__ import annotations

import gzip
import json
import zlib

from otel_ebpf.processors.semantic_errors.body import (
    MAX_INFLATED,
    charset_of,
    dechunk,
    decode_body,
    inflate,
    load_json,
    scan_prefix,
)


def test_dechunk_complete_body_with_extensions_and_trailers():
    data = b"4;ext=1\r\nWiki\r\n6\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\n"
    assert dechunk(data) == (b"Wikipedia in \r\n\r\nchunks.", True)


def test_dechunk_cut_inside_a_chunk_keeps_the_prefix():
    assert dechunk(b"5\r\nhello\r\n10\r\n world") == (b"hello world", False)


def test_dechunk_cut_inside_a_size_line():
    assert dechunk(b"5\r\nhello\r\n1") == (b"hello", False)


def test_dechunk_accepts_bare_lf():
    assert dechunk(b"3\nabc\n0\n\n") == (b"abc", True)


def test_dechunk_returns_none_when_there_is_no_framing():
    assert dechunk(b'{"ok": false}') is None
    assert dechunk(b'{"ok": false}\r\n') is None
    assert dechunk(b"1a") == (b"", False)  # a size line cut by the capture


def test_inflate_gzip_complete_and_cut():
    payload = json.dumps({"k": [str(i) * 7 for i in range(400)]}).encode()
    packed = gzip.compress(payload)
    assert inflate(packed, "gzip") == (payload, True)
    out, complete = inflate(packed[: len(packed) // 2], "gzip")
    assert not complete and payload.startswith(out) and len(out) > 100


def test_inflate_deflate_zlib_and_raw():
    payload = b'{"success": false}'
    assert inflate(zlib.compress(payload), "deflate") == (payload, True)
    raw = zlib.compressobj(wbits=-15)
    assert inflate(raw.compress(payload) + raw.flush(), "deflate") == (payload, True)


def test_inflate_rejects_corrupt_and_unsupported():
    assert inflate(b"plain text, not gzip", "gzip") is None
    assert inflate(b"\x1f\x8b\x09\x00\x00\x00\x00\x00\x00\x03xx", "gzip") is None  # unknown method
    assert inflate(b"anything", "br") is None


def test_inflate_output_is_bounded():
    bomb = gzip.compress(b"0" * (10 * MAX_INFLATED))
    out, complete = inflate(bomb, "gzip")
    assert len(out) == MAX_INFLATED and not complete


def test_decode_body_chunked_then_gzip():
    payload = b'{"ok": false, "error": "ratelimited"}'
    packed = gzip.compress(payload)
    framed = b"".join(b"%x\r\n%s\r\n" % (len(packed[i : i + 7]), packed[i : i + 7]) for i in range(0, len(packed), 7))
    headers = {"transfer-encoding": "chunked", "content-encoding": "gzip"}
    assert decode_body(headers, framed + b"0\r\n\r\n") == (payload, False)
    assert decode_body(headers, framed)[1] is True  # no terminating chunk: cut


def test_decode_body_unsupported_coding_is_none():
    assert decode_body({"content-encoding": "br"}, b"\x8b\x02\x80") is None
    assert decode_body({"content-encoding": "identity"}, b"{}") == (b"{}", False)


def test_charset_of():
    assert charset_of('application/json; charset="ISO-8859-1"') == "iso-8859-1"
    assert charset_of("application/json") is None
    assert charset_of(None) is None


def test_scan_prefix_reads_members_before_the_cut():
    text = '{"success": false, "error": {"code": "card_declined", "message": "Your ca'
    assert scan_prefix(text) == {"success": False, "error": {"code": "card_declined"}}


def test_scan_prefix_drops_a_number_at_the_cut_and_cut_literals():
    assert scan_prefix('{"code": 0, "errcode": 4001') == {"code": 0}
    assert scan_prefix('{"a": 1, "ok": fal') == {"a": 1}
    assert scan_prefix('{"a": "x", "b"') == {"a": "x"}


def test_scan_prefix_non_object():
    assert scan_prefix('[{"success": false}') is None
    assert scan_prefix("  ") is None
    assert scan_prefix("{") == {}


def test_load_json_complete_cut_and_charsets():
    assert load_json(b'{"a": 1}') == ({"a": 1}, True)
    assert load_json(b'{"a": 1, "b": [1, 2') == ({"a": 1}, False)
    assert load_json('{"m": "café"}'.encode("latin-1"), "iso-8859-1") == ({"m": "café"}, True)
    assert load_json(b'\xef\xbb\xbf{"a": 1}') == ({"a": 1}, True)
    # Invalid UTF-8 (a multi-byte character cut by the capture) still yields the members before it.
    assert load_json(b'{"ok": false, "m": "\xe6\x97') == ({"ok": False}, False)
    assert load_json(b"[1, 2]") == ([1, 2], True)
    assert load_json(b"not json") == (None, False)
    assert load_json(b'{"success": false}\n{"success": true}\n') == (None, False)  # NDJSON: records
