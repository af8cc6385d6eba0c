"""The one key matcher and the value detectors (otel_ebpf.telemetry.secrets), and where they apply."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from opentelemetry.proto.trace.v1 import trace_pb2

from otel_ebpf.config.schema import resolve
from otel_ebpf.receivers.ebpf.config import SCHEMA as EBPF_SCHEMA
from otel_ebpf.telemetry.received import scrub_received_spans
from otel_ebpf.telemetry.redaction import Redactor
from otel_ebpf.telemetry.secrets import DEFAULT_KEY_FRAGMENTS, KeyMatcher, TextScrubber, luhn_valid
from tests.otlp_requests import _set, trace_request

MATCH = KeyMatcher()
SCRUB = TextScrubber(MATCH)


@pytest.mark.parametrize(
    "key",
    [
        # the leaks
        "access-token",
        "passphrase",
        "pin",
        # one matcher for every kind of key
        "Authorization",
        "proxy-authorization",
        "Set-Cookie",
        "X-Api-Key",
        "x-csrf-token",
        "card_pin",
        "userPin",
        "PIN",
        "cardNumber",
        "credit.card",
        "cvv2",
        "CVC",
        "ssn",
        "sessionId",
        "JSESSIONID",
        "client_secret",
        "db.password",
        "passwd",
        "privateKey",
        "apikey",
        "aws_access_key_id",
        "X-Goog-Signature",
        "refreshToken",
        "oauth_token",
        "auth",
        "otp",
        "iban",
        "credentials",
    ],
)
def test_sensitive_keys(key):
    assert MATCH(key)


@pytest.mark.parametrize(
    "key",
    [
        # short fragments are words: no match inside an ordinary word
        "spinner",
        "keyboard",
        "monkey",
        "author",
        "company",
        "expand",
        "spanId",
        "pandas",
        "description",
        "discard_reason",  # "card" inside a word
        # ordinary headers and fields
        "content-type",
        "user-agent",
        "traceparent",
        "x-request-id",
        "page",
        "sort",
        "q",
        "email",
        "status",
        "message",
    ],
)
def test_ordinary_keys(key):
    assert not MATCH(key)


def test_every_built_in_fragment_matches_itself_in_every_spelling():
    for fragment in DEFAULT_KEY_FRAGMENTS:
        for key in (fragment, fragment.upper(), f"x-{fragment}", f"my_{fragment}_value", f"user.{fragment}"):
            assert MATCH(key), key
        assert MATCH("user" + fragment.capitalize()), fragment  # camelCase


def test_fragments_can_be_added_and_removed():
    keys = KeyMatcher(add=["Customer-Ref"], remove=["pan", "sid"])
    assert keys("customer_ref") and keys("x-customerRef")
    assert not keys("pan") and not keys("sid")
    assert keys("password") and keys("pin")
    assert keys.removed == ("pan", "sid")
    with pytest.raises(ValueError, match="not built-in"):
        KeyMatcher(remove=["customer"])


def test_the_ebpf_receiver_config_takes_the_policy():
    resolved, errors = resolve(
        EBPF_SCHEMA,
        {"http": {"sensitive_keys": ["customer_ref"], "unredacted_keys": ["pan"], "redact_emails": False}},
        "receivers.ebpf",
    )
    assert not errors
    http = resolved["http"]
    assert http["sensitive_keys"] == ["customer_ref"] and http["unredacted_keys"] == ["pan"]
    _, errors = resolve(EBPF_SCHEMA, {"http": {"unredacted_keys": ["customer"], "sensitive_keys": ["--"]}}, "r")
    assert any("r.http.unredacted_keys[0]" in e and "not a built-in fragment" in e for e in errors), errors
    assert any("r.http.sensitive_keys[0]" in e for e in errors), errors
    defaults, _ = resolve(EBPF_SCHEMA, {}, "r")
    assert defaults["http"]["redact_emails"] is True
    assert defaults["http"]["sensitive_keys"] == [] and defaults["http"]["unredacted_keys"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the status messages
        ("error: payment (card 4111111111111111 declined)", "error: payment (card REDACTED declined)"),
        ("invalid token SECRET12 for user", "invalid token REDACTED for user"),
        ("wrong password SECRET27", "wrong password REDACTED"),
        # cards: spaces, dashes; not Luhn-valid or too short stays
        ("pay 4111 1111 1111 1111 now", "pay REDACTED now"),
        ("pay 5500-0000-0000-0004 now", "pay REDACTED now"),
        ("order 4111111111111112 total", "order 4111111111111112 total"),
        ("id 1234567890123 ok", "id 1234567890123 ok"),
        # auth schemes, JWTs, AWS keys, long hex / base64
        ("Authorization: Bearer abcdefgh12345", "Authorization: Bearer REDACTED"),
        ("sent Basic YWxpY2U6U0VDUkVUVVA4OA== upstream", "sent Basic REDACTED upstream"),
        ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln rejected", "jwt REDACTED rejected"),
        ("key AKIAIOSFODNN7EXAMPLE denied", "key REDACTED denied"),
        ("sig 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b", "sig REDACTED"),
        ("ghp_16C7e42F292c6912E7710c838347Ae178B4a leaked", "REDACTED leaked"),
        ("sk_live_4eC39HqLyjWDarjtT1zdp7dcXyZ leaked", "REDACTED leaked"),
        # key=value pairs and URL credentials
        ("retry with password=hunter2&user=bob", "retry with password=REDACTED&user=bob"),
        ('{"pin": "1234"} and pin: 9876', '{"pin": "1234"} and pin: REDACTED'),  # JSON is the body pass's job
        ("passphrase='open sesame'", "passphrase='REDACTED'"),
        ("spinner: password=hunter2", "spinner: password=REDACTED"),  # a pair inside a value
        ("token SECRET12, token SECRET13", "token REDACTED, token REDACTED"),
        ("see https://alice:s3cret@example.com/x", "see https://REDACTED@example.com/x"),
        ("mail bob.secret@example.com", "mail REDACTED"),
        # words that only look like it stay
        ("token expired", "token expired"),
        ("password is too short", "password is too short"),
        ("spinner 12 keyboard=3", "spinner 12 keyboard=3"),
        ("GET /orders/42 took 1234 ms", "GET /orders/42 took 1234 ms"),
        ("", ""),
    ],
)
def test_value_detectors(text, expected):
    assert SCRUB(text) == expected


def test_nothing_found_returns_the_same_object():
    text = "business error: payment (rule: json.success_flag)"
    assert SCRUB(text) is text


def test_emails_can_be_kept():
    assert TextScrubber(MATCH, emails=False)("mail bob@example.com") == "mail bob@example.com"
    assert Redactor(redact_emails=False).scrub_text("mail bob@example.com") == "mail bob@example.com"
    assert Redactor().scrub_text("mail bob@example.com") == "mail REDACTED"


def _luhn_complete(digits: str) -> str:
    for last in "0123456789":
        if luhn_valid(digits + last):
            return digits + last
    raise AssertionError


@given(
    body=st.text(alphabet="0123456789", min_size=12, max_size=18),
    sep=st.sampled_from(["", " ", "-"]),
    before=st.text(alphabet="abc xyz:(", max_size=10),
    after=st.text(alphabet="abc xyz:)", max_size=10),
)
def test_no_luhn_valid_card_number_survives(body, sep, before, after):
    card = _luhn_complete(body)
    spaced = sep.join(card[i : i + 4] for i in range(0, len(card), 4))
    out = SCRUB(f"{before} {spaced} {after}")
    assert card not in out.replace(sep, "") if sep else card not in out


@given(
    claims=st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=12), min_size=1, max_size=4),
    signature=st.binary(min_size=8, max_size=32),
)
def test_no_jwt_survives(claims, signature):
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    token = ".".join((b64(b'{"alg":"HS256"}'), b64(json.dumps(claims).encode()), b64(signature)))
    assert token.split(".")[1] not in SCRUB(f"rejected {token} (expired)")


@given(
    key=st.sampled_from(["password", "token", "passphrase", "pin", "api_key", "secret", "cvv", "session"]),
    style=st.sampled_from(["{}", "X-{}", "user_{}", "{}_value", "my-{}"]),
    value=st.text(alphabet="ABCDEFGHJKMNPQRSTUVWXYZ23456789", min_size=4, max_size=14).map(lambda s: "Zq" + s),
    sep=st.sampled_from(["=", ": ", ":"]),
)
def test_no_value_after_a_sensitive_key_survives(key, style, value, sep):
    name = style.format(key)
    redactor = Redactor(capture_body=True)
    assert value not in SCRUB(f"failed: {name}{sep}{value} (retry)")
    assert value not in redactor.redact_query(f"a=1&{name}={value}")
    assert value not in redactor.redact_body(f'{{"{name}": "{value}"}}'.encode(), "application/json")
    assert value not in redactor.redact_body(f"a=1&{name}={value}".encode(), "text/plain")


def test_form_sent_as_text_plain_is_redacted():
    body = b"card=4111111111111111&pin=48213579&passphrase=open sesame&note=hello"
    out = Redactor(capture_body=True).redact_body(body, "text/plain")
    assert out == "card=REDACTED&pin=REDACTED&passphrase=REDACTED&note=hello"


def test_query_values_go_through_the_detectors():
    redactor = Redactor()
    assert redactor.redact_query("q=4111111111111111&page=2") == "q=REDACTED&page=2"
    assert redactor.redact_query("to=bob%40example.com&x=1") == "to=REDACTED&x=1"
    assert redactor.redact_query("access-token=abc&page=2") == "access-token=REDACTED&page=2"


def test_captured_header_values_go_through_the_detectors():
    redactor = Redactor(capture_headers={"request": ["authorization", "x-note"]})
    assert redactor.request_capture[0][2] is True  # always REDACTED
    assert redactor.scrub_text("password=hunter22") == "password=REDACTED"
    assert redactor.scrub_text("text/html") == "text/html"


def test_received_spans_are_scrubbed_where_request_data_sits():
    request = trace_request(2, status=trace_pb2.Status.STATUS_CODE_ERROR)
    first, second = request.resource_spans[0].scope_spans[0].spans
    first.status.message = "bad credential SECRET12, card 4111111111111111"
    _set(first.attributes, "url.query", "access-token=SECRETRECV1&page=2")
    _set(first.attributes, "url.full", "https://alice:pw@shop.example/p?pin=1234&page=2")
    _set(first.attributes, "http.target", "/p?token=abc")
    _set(first.attributes, "app.note", "left alone: token SECRET99")
    second.status.message = "timeout"
    before = second.SerializeToString()

    assert scrub_received_spans(request, Redactor()) == 1
    attrs = {kv.key: kv.value.string_value for kv in first.attributes}
    assert first.status.message == "bad credential REDACTED, card REDACTED"
    assert attrs["url.query"] == "access-token=REDACTED&page=2"
    assert attrs["url.full"] == "https://REDACTED:REDACTED@shop.example/p?pin=REDACTED&page=2"
    assert attrs["http.target"] == "/p?token=REDACTED"
    assert attrs["app.note"] == "left alone: token SECRET99"  # the sender's own attributes
    assert second.SerializeToString() == before  # nothing to hide: not touched
    assert scrub_received_spans(request, Redactor()) == 0  # idempotent


def test_a_record_in_a_log_line_shows_no_query():
    from otel_ebpf.model import HttpExchange

    x = HttpExchange()
    x.method, x.path, x.query, x.target = "GET", "/login", "access-token=SECRET1", "/login?access-token=SECRET1"
    assert "SECRET1" not in repr(x) and "GET /login?…" in repr(x)


def test_error_types_from_outside_pass_the_detectors():
    from otel_ebpf.processors.semantic_errors.classifier import Classifier
    from otel_ebpf.processors.semantic_errors.processor import to_classification
    from otel_ebpf.processors.semantic_errors.rules import RuleSet, default_config

    rules = RuleSet(default_config())
    # a received span's error.type (free text from the sender) becomes otel_ebpf.error.type, a metric label
    verdict = Classifier(rules).classify(None, {}, b"", False, "bad token SECRET12 for 4111111111111111")
    assert verdict.type == "bad token REDACTED for REDACTED"
    # a plug-in classifier's type may have been read from the body
    verdict = to_classification({"type": "declined 4111111111111111", "message": "card 4111111111111111"}, rules)
    assert verdict.type == "declined REDACTED"
    assert verdict.detail == "card 4111111111111111"  # a detail: exported only with capture_body, redacted
