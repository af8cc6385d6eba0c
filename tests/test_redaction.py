"""Redaction of query values, captured headers and bodies (otel_ebpf.telemetry.redaction)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otel_ebpf.telemetry.redaction import (
    DEFAULT_SENSITIVE_QUERY_KEYS,
    REDACTED,
    Redactor,
    is_secret_header,
    luhn_valid,
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("page=2&sort=asc", "page=2&sort=asc"),
        ("AWSAccessKeyId=AKIA&Signature=abc&x=1", "AWSAccessKeyId=REDACTED&Signature=REDACTED&x=1"),
        ("sig=zz&X-Goog-Signature=yy", "sig=REDACTED&X-Goog-Signature=REDACTED"),
        ("TOKEN=abc&Access_Token=def", "TOKEN=REDACTED&Access_Token=REDACTED"),
        ("api%5Fkey=abc&q=shoes", "api%5Fkey=REDACTED&q=shoes"),
        ("client_secret=x&code=y&state=z", "client_secret=REDACTED&code=REDACTED&state=z"),
        (
            "password=p&passwd=q&jwt=r&auth=s&session=t&key=u",
            "password=REDACTED&passwd=REDACTED&jwt=REDACTED&auth=REDACTED&session=REDACTED&key=REDACTED",
        ),
        ("token", "token"),  # a bare key carries no value to hide
        ("monkey=banana&keyboard=1", "monkey=banana&keyboard=1"),  # whole keys, not substrings
        ("", ""),
    ],
)
def test_redact_query(query, expected):
    assert Redactor().redact_query(query) == expected


def test_extra_sensitive_query_keys_are_case_insensitive():
    redactor = Redactor(sensitive_query_params=["Customer_Ref"])
    assert redactor.redact_query("customer_ref=123&token=a") == "customer_ref=REDACTED&token=REDACTED"
    assert Redactor().redact_query("customer_ref=123") == "customer_ref=123"


@given(
    keys=st.lists(st.sampled_from(sorted(DEFAULT_SENSITIVE_QUERY_KEYS)), min_size=1, max_size=4),
    secret=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=6, max_size=20),
)
def test_no_value_of_a_sensitive_key_survives(keys, secret):
    query = "&".join(f"{k.upper() if i % 2 else k}={secret}{i}" for i, k in enumerate(keys))
    redacted = Redactor().redact_query("x=1&" + query)
    assert secret not in redacted
    assert redacted.startswith("x=1&")


@pytest.mark.parametrize(
    "name",
    [
        "Authorization",
        "proxy-authorization",
        "Cookie",
        "set-cookie",
        "X-Api-Key",
        "api-key",
        "x-auth-token",
        "X-CSRF-Token",
        "x-client-secret",
        "x-db-password",
        "x-apikey",
        "x-session-id",
        "my_api_key",
    ],
)
def test_secret_headers(name):
    assert is_secret_header(name)


@pytest.mark.parametrize("name", ["content-type", "x-request-id", "user-agent", "accept", "traceparent"])
def test_ordinary_headers(name):
    assert not is_secret_header(name)


def test_luhn():
    assert luhn_valid("4111111111111111")
    assert luhn_valid("378282246310005")  # Amex, 15 digits
    assert not luhn_valid("4111111111111112")


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b'{"user":"bob","password":"hunter2"}', "application/json", '{"user":"bob","password":"REDACTED"}'),
        (
            b'{"Auth_Token": "t", "nested": {"client-secret": "s"}}',
            None,
            '{"Auth_Token": "REDACTED", "nested": {"client-secret": "REDACTED"}}',
        ),
        (
            b'{"cvv": 123, "ssn": "078-05-1120", "qty": 2}',
            "application/json",
            '{"cvv": "REDACTED", "ssn": "REDACTED", "qty": 2}',
        ),
        (b'{"cardNumber": "4111-1111-1111-1111"}', None, '{"cardNumber": "REDACTED"}'),
        (b"pay with 4111 1111 1111 1111 today", "text/plain", "pay with REDACTED today"),
        (b"order 4111111111111112 total", "text/plain", "order 4111111111111112 total"),  # not Luhn-valid
        (b"id 1234567890123 ok", "text/plain", "id 1234567890123 ok"),
        (
            b"user=bob&password=x&cc_token=y",
            "application/x-www-form-urlencoded",
            "user=bob&password=REDACTED&cc_token=REDACTED",
        ),
        (b'{"password": "cut-off at the capture lim', "application/json", '{"password": "REDACTED"'),
    ],
)
def test_redact_body(body, content_type, expected):
    assert Redactor(capture_body=True).redact_body(body, content_type) == expected


def test_body_is_cut_to_max_length_and_bad_utf8_replaced():
    out = Redactor(capture_body=True, max_body_length=5).redact_body(b"\xffabcdefgh")
    assert out == "\ufffdabcd"


def test_from_config():
    redactor = Redactor.from_config(
        {
            "capture_headers": {"request": ["Content-Type", "content-type", "Authorization"], "response": []},
            "capture_body": True,
            "sensitive_query_params": ["ref"],
            "max_body_length": 100,
        }
    )
    assert redactor.capture_request_headers == ("content-type", "authorization")
    assert redactor.request_capture == (
        ("http.request.header.content-type", "content-type", False),
        ("http.request.header.authorization", "authorization", True),
    )
    assert redactor.capture_body and redactor.max_body_length == 100
    assert redactor.redact_query("ref=1") == f"ref={REDACTED}"
    default = Redactor.from_config(None)
    assert default.request_capture == () and not default.capture_body
    # the constructor takes the same shape as the config section
    direct = Redactor(capture_headers={"request": ["X-Id"]}, sensitive_query_params=["ref"])
    assert direct.request_capture == (("http.request.header.x-id", "x-id", False),)
    assert direct.response_capture == ()
    assert direct.redact_query("ref=1") == f"ref={REDACTED}"
    with pytest.raises(ValueError, match="capture_headers"):
        Redactor(capture_headers={"req": ["a"]})


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"capture_headers": ["authorization"]}, "capture_headers"),
        ({"capture_headers": {"requests": ["a"]}}, "capture_headers"),
        ({"capture_headers": {"request": "authorization"}}, "capture_headers.request"),
        ({"capture_headers": {"request": [""]}}, "capture_headers.request"),
        ({"capture_body": "yes"}, "capture_body"),
        ({"sensitive_query_params": "token"}, "sensitive_query_params"),
        ({"max_body_length": 0}, "max_body_length"),
        ({"capture_bodies": True}, "capture_bodies"),
    ],
)
def test_from_config_names_the_bad_field(config, field):
    with pytest.raises(ValueError, match=field.replace(".", r"\.")):
        Redactor.from_config(config)
