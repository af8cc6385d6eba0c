"""Secrets never leave the host: the real agent, real traffic full of secrets, every exported byte searched.

A real server (tests/apps/secrets_server.py) answers silent 200 failures, 4xx and 5xx whose
bodies and headers carry card numbers, tokens, passwords, JWTs, URL credentials, AWS keys and
e-mail addresses; clients (this process and curl, both captured as CLIENT spans) send them in
query strings, headers (Bearer, Basic from ``user:pass@host``, cookies, API keys) and a form
body sent as text/plain; a sidecar sender posts an OTLP span whose status message and URL
carry them.  The agent runs with every exporter at once: ``file`` (OTLP JSON), ``otlp`` and
``otlp_http`` to rotel, ``debug`` at detailed verbosity and ``prometheus``, with ``-v`` logs; once with the
default settings, once with bodies and headers captured.  Then every byte that left (the file,
what rotel received, the agent's stdout/stderr, a scrape) is searched for every secret.

With the default settings the words of bodies must not appear at all (not only the secrets):
the status message of a silent failure names the type and the rule.
"""

from __future__ import annotations

import base64
import http.client
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import grpc
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2_grpc import TraceServiceStub
from opentelemetry.proto.trace.v1 import trace_pb2

from tests.conftest_rotel import Rotel
from tests.harness import AgentProcess, free_port, require_binary, require_bpf, stop_process, wait_port
from tests.otlp_requests import _set, trace_request

pytestmark = pytest.mark.bpf

APP = Path(__file__).resolve().parent / "apps" / "secrets_server.py"
sys.path.insert(0, str(APP.parent))
import secrets_server  # noqa: E402 - the server's own markers

JWT, HEX_KEY, AWS_KEY = secrets_server.JWT, secrets_server.HEX_KEY, secrets_server.AWS_KEY
BASIC = base64.b64encode(b"alice:SECRETUP88").decode()

# Every secret the traffic carries; none may be found in any exported byte.
SECRETS = (
    "4111111111111111",
    "4111 1111 1111 1111",
    "5500-0000-0000-0004",
    "5500000000000004",
    "SECRET12",
    "SECRET27",
    "SECRETQTOKEN31",  # ?access-token=
    "SECRETPHRASE42",  # passphrase
    "48213579",  # pin
    "SECRETNESTED5",
    "SECRETBEARER77",
    "SECRETCOOKIE66",
    "SECRETSETCOOKIE4",
    "SECRETAPIKEY3",
    "SECRETNOTE19",
    "SECRETDBG9",
    "SECRETUP88",
    BASIC,
    "SECRETUP89",
    "SECRETRECV1",
    JWT,
    JWT.split(".")[1],  # the claims part alone
    HEX_KEY,
    AWS_KEY,
    "bob.secret@example.com",
)
# Words found only in bodies: with the default settings (no body captured) none may leave either.
BODY_WORDS = ("declined", "wrong password", "invalid token", "SECRETCODE_72_FAILED", "rejected", "hello")

QUERY = f"access-token=SECRETQTOKEN31&pin=48213579&q=4111111111111111&email=bob.secret@example.com&ref={JWT}&page=2"
HEADERS = {
    "Authorization": "Bearer SECRETBEARER77abc",
    "Cookie": "sid=SECRETCOOKIE66; theme=dark",
    "X-Api-Key": "SECRETAPIKEY3",
    "X-Note": "password=SECRETNOTE19",
    "X-Passphrase": "SECRETPHRASE42",
}
FORM = b"card=4111111111111111&pin=48213579&passphrase=SECRETPHRASE42&cvv=737&email=bob.secret@example.com"
GETS = tuple(secrets_server.JSON_ROUTES) + tuple(secrets_server.TEXT_ROUTES)
SILENT = ("/pay", "/login", "/account", "/sso", "/code", "/form")  # 200s the rules call failures
SILENT_TEXT = ("/form",)  # text/plain: not JSON, so no verdict

CAPTURE = """
    http:
      capture_body: true
      capture_headers:
        request: [authorization, cookie, x-api-key, x-note, x-passphrase, content-type, user-agent]
        response: [set-cookie, x-request-id, x-debug, content-type]
"""

CONFIG = """
receivers:
  ebpf:
    capture_bytes: 2048
    filter:
      ports: [{port}]
{capture}
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:{otlp_port}
processors:
  semantic_errors: {{}}
  batch:
    timeout: 100ms
exporters:
  file:
    path: {out}
  otlp:
    endpoint: http://{rotel}
    tls:
      insecure: true
  otlp_http:
    endpoint: http://{rotel_http}
  debug:
    verbosity: detailed
  prometheus:
    endpoint: 127.0.0.1:{prom_port}
service:
  pipelines:
    traces:
      receivers: [ebpf, otlp]
      processors: [semantic_errors, batch]
      exporters: [file, otlp, otlp_http, debug]
    metrics:
      receivers: [ebpf]
      processors: [semantic_errors]
      exporters: [file, otlp, otlp_http, debug, prometheus]
"""


def received_span_request():
    """What a sidecar's sender posts: an HTTP server span whose status message and URLs carry secrets."""
    request = trace_request(1, service="sidecar-app", tag="s", status=trace_pb2.Status.STATUS_CODE_ERROR)
    span = request.resource_spans[0].scope_spans[0].spans[0]
    span.status.message = "grpc-message: bad credential SECRET12, card 4111111111111111"
    _set(span.attributes, "url.query", "access-token=SECRETRECV1&pin=48213579")
    _set(span.attributes, "url.full", "https://alice:SECRETUP88@shop.example/recv?access-token=SECRETRECV1")
    return request


def send_traffic(port: int, curl: str) -> None:
    """Every request once; each answer is checked to carry its secrets (else the test proves nothing)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    for path in GETS:
        conn.request("GET", f"{path}?{QUERY}", headers=HEADERS)
        response = conn.getresponse()
        body = response.read()
        assert b"SECRET" in body or b"4111" in body, (path, body)
        assert "SECRETSETCOOKIE4" in response.getheader("Set-Cookie")
    conn.request("POST", "/submit", body=FORM, headers={**HEADERS, "Content-Type": "text/plain"})
    response = conn.getresponse()
    assert response.status == 422 and b"SECRETPHRASE42" in response.read()
    conn.close()
    # user:pass@host: curl sends it as Authorization: Basic.
    done = subprocess.run(
        [
            curl,
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            f"http://alice:SECRETUP88@127.0.0.1:{port}/login?{QUERY}",
        ],
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert done.stdout == "200", done


def run_agent(tmp: Path, capture: bool) -> tuple[int, list[dict], dict[str, bytes]]:
    """Runs server, rotel and agent, sends everything; returns the server's port, the spans the
    file exporter wrote, and every exported output by name."""
    curl = require_binary("curl")
    port, otlp_port, prom_port = free_port(), free_port(), free_port()
    rotel, rotel_http = Rotel(tmp / "rotel"), Rotel(tmp / "rotel-http")  # the second over OTLP/HTTP
    server = subprocess.Popen([sys.executable, str(APP), str(port)], stderr=subprocess.PIPE)
    agent = None
    try:
        rotel.start()
        rotel_http.start()
        wait_port(port)
        out = tmp / "agent-out.jsonl"
        config = CONFIG.format(
            port=port,
            capture=CAPTURE if capture else "",
            otlp_port=otlp_port,
            out=out,
            rotel=rotel.endpoint,
            rotel_http=f"127.0.0.1:{rotel_http.http_port}",
            prom_port=prom_port,
        )
        agent = AgentProcess(tmp, config, out=out, verbose=True)
        send_traffic(port, curl)
        with grpc.insecure_channel(f"127.0.0.1:{otlp_port}") as channel:
            TraceServiceStub(channel).Export(received_span_request(), timeout=5)

        # Server and client spans of every request, and the received span, must have been exported:
        # an empty output would pass the search below without proving anything.
        n = len(GETS) + 2  # the GETs, the POST, curl's GET
        ours = agent.wait_for_spans(lambda s: s["attributes"].get("server.port") == port, 2 * n, timeout=30)
        assert len(ours) == 2 * n, [s["name"] for s in ours]
        received = agent.wait_for_spans(lambda s: s["resource"].get("service.name") == "sidecar-app", 1)
        assert len(received) == 1
        for receiver in (rotel, rotel_http):
            assert receiver.wait_until(lambda r: len(r.spans()) >= 2 * n + 1, 20), len(receiver.spans())
        time.sleep(1.5)  # a metric export after the last request
        scrape = urllib.request.urlopen(f"http://127.0.0.1:{prom_port}/metrics", timeout=5).read()
        assert b"business_errors" in scrape
    finally:
        if agent is not None:
            assert agent.stop() == 0, agent.log()
        rotel.stop()
        rotel_http.stop()
        stop_process(server)
    return (
        port,
        agent.spans(),
        {
            "file exporter": out.read_bytes(),
            "otlp to rotel": rotel.output_path.read_bytes(),
            "otlp_http to rotel": rotel_http.output_path.read_bytes(),
            "agent stdout/stderr (-v, debug exporter detailed)": agent.log_path.read_bytes(),
            "prometheus scrape": scrape,
        },
    )


def check_spans(spans: list[dict], port: int, capture: bool) -> None:
    """What did leave is what should: typed failures with their rule, redacted captures."""
    server = {
        s["attributes"]["url.path"]: s
        for s in spans
        if s["kind"] == "SERVER" and s["attributes"].get("server.port") == port
    }
    for path in SILENT:
        if path in SILENT_TEXT:
            continue
        status = server[path]["status"]
        assert server[path]["status_code"] == "ERROR", (path, status)
        assert status["message"].startswith("business error: ") and "(rule: json." in status["message"], status
        if not capture:
            assert ", detail:" not in status["message"]
    assert server["/broken"]["status_code"] == "ERROR"
    (received,) = [s for s in spans if s["resource"].get("service.name") == "sidecar-app"]
    assert "REDACTED" in received["status"]["message"]
    assert received["attributes"]["url.query"] == "access-token=REDACTED&pin=REDACTED"
    assert received["attributes"]["url.full"] == "https://REDACTED:REDACTED@shop.example/recv?access-token=REDACTED"
    exported = [a for s in spans for a in s["attributes"]]
    if not capture:
        assert not [
            a for a in exported if a.startswith(("http.request.header.", "http.response.header.", "otel_ebpf.http."))
        ]
        return
    # Captured: bodies and headers are there, with their secrets replaced.
    pay = server["/pay"]["attributes"]
    assert '"success": false' in pay["otel_ebpf.http.response.body"]
    assert "REDACTED" in pay["otel_ebpf.http.response.body"]
    assert pay["http.request.header.authorization"] == ["REDACTED"]
    assert pay["http.request.header.cookie"] == ["REDACTED"]
    assert pay["http.response.header.set-cookie"] == ["REDACTED"]
    assert pay["http.response.header.x-request-id"] == ["REDACTED"]
    assert pay["http.response.header.x-debug"] == ["token REDACTED"]
    assert pay["http.response.header.content-type"] == ["application/json"]
    assert server["/form"]["attributes"]["otel_ebpf.http.response.body"] == (
        "card=REDACTED&pin=REDACTED&passphrase=REDACTED&note=hello"
    )
    submit = server["/submit"]["attributes"]["otel_ebpf.http.request.body"]
    assert submit.startswith("card=REDACTED&pin=REDACTED&passphrase=REDACTED&cvv=REDACTED&email=REDACTED"), submit


def leaks(outputs: dict[str, bytes], words) -> list[str]:
    found = []
    for name, data in outputs.items():
        for word in words:
            at = data.find(word.encode())
            if at >= 0:
                found.append(f"{word!r} in {name}: …{data[max(0, at - 120) : at + 60].decode(errors='replace')}…")
    return found


@pytest.mark.parametrize("capture", [False, True], ids=["default", "capture"])
def test_no_secret_in_any_exported_byte(tmp_path, capture):
    require_bpf()
    port, spans, outputs = run_agent(tmp_path, capture)
    assert all(outputs.values()), {k: len(v) for k, v in outputs.items()}
    found = leaks(outputs, SECRETS)
    if not capture:
        found += leaks(outputs, BODY_WORDS)
    assert not found, "\n".join(found)
    check_spans(spans, port, capture)


def test_the_search_finds_what_is_there():
    """The search itself: a secret in any output is reported with where it was."""
    found = leaks({"file": json.dumps({"message": "card 4111111111111111"}).encode(), "log": b"ok"}, SECRETS)
    assert len(found) == 1 and found[0].startswith("'4111111111111111' in file")
