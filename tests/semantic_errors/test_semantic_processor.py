"""The processor: annotations, span status, the business error counter, routes and plug-in classifiers."""

from __future__ import annotations

import sys
import textwrap

import pytest

from otel_ebpf.model import STATUS_ERROR, HttpExchange, ProcessInfo, Role
from otel_ebpf.processors.semantic_errors.processor import SemanticErrorsProcessor
from otel_ebpf.processors.semantic_errors.rules import default_config, validate_config

JSON = {"content-type": "application/json"}
SHOP = ProcessInfo(10, "shop", "python3", {"service.name": "shop", "process.pid": 10})
BILLING = ProcessInfo(11, "billing", "node", {"service.name": "billing", "process.pid": 11})


def exchange(status, body=b"", headers=JSON, route="/orders", method="POST", process=SHOP, role=Role.SERVER,
             error_type=None, path=None) -> HttpExchange:  # fmt: skip
    x = HttpExchange()
    x.role = role
    x.process = process
    x.method = method
    x.route = route
    x.path = path if path is not None else (route or "/")
    x.status_code = status
    x.response_headers = headers
    x.response_body = body
    x.error_type = error_type
    return x


DECLINED = b'{"success": false, "error": {"code": "card_declined", "message": "Your card was declined."}}'


def test_silent_2xx_failure_gets_error_status_and_error_type():
    x = exchange(200, DECLINED)
    SemanticErrorsProcessor({}).process([x])
    assert x.attributes == {
        "otel_ebpf.error.kind": "business",
        "otel_ebpf.error.type": "payment",
        "otel_ebpf.error.severity": "critical",
        "otel_ebpf.error.rule": "json.success_flag",
        "error.type": "payment",
    }
    assert x.status_override == STATUS_ERROR
    # The type and the rule, never the body's words (bodies are not exported by default).
    assert x.status_message == "business error: payment (rule: json.success_flag)"


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        (b'{"success": "false", "message": "card 4111111111111111 declined"}', "json.success_flag"),
        (b'{"status": "error", "message": "invalid token SECRET12 for user"}', "json.status_word"),
        (b'{"error": "wrong password SECRET27"}', "json.error_member"),
        (b'{"code": "AUTH_FAILED_SECRET12", "data": null}', "json.error_code"),
        (b'{"code": 4111111111111111, "message": "x"}', "json.error_code"),
    ],
)
def test_status_message_names_the_rule_never_the_body(body, rule):
    x = exchange(200, body)
    SemanticErrorsProcessor({}).process([x])
    assert x.status_override == STATUS_ERROR
    assert x.status_message.endswith(f"(rule: {rule})")
    assert x.attributes["otel_ebpf.error.rule"] == rule
    for secret in ("4111", "SECRET", "declined", "wrong", "invalid"):
        assert secret not in x.status_message


def test_status_message_adds_the_redacted_detail_only_when_bodies_are_exported():
    from otel_ebpf.model import ExchangeSource
    from otel_ebpf.telemetry.redaction import Redactor

    body = b'{"success": false, "message": "card 4111111111111111 declined"}'
    quiet, capture = exchange(200, body), exchange(200, body)
    quiet.source = ExchangeSource("ebpf", Redactor())
    capture.source = ExchangeSource("ebpf", Redactor(capture_body=True))
    SemanticErrorsProcessor({}).process([quiet, capture])
    assert quiet.status_message == "business error: payment (rule: json.success_flag)"
    assert capture.status_message == (
        "business error: payment (rule: json.success_flag, detail: card REDACTED declined)"
    )


def test_client_spans_are_classified_too():
    x = exchange(200, b'{"ok": false, "error": "ratelimited"}', role=Role.CLIENT)
    SemanticErrorsProcessor({}).process([x])
    assert x.attributes["otel_ebpf.error.type"] == "rate_limit" and x.status_override == STATUS_ERROR


def test_4xx_5xx_and_missing_responses_keep_the_semconv_status():
    xs = [exchange(402, b""), exchange(503, b"oops"), exchange(None, error_type="timeout")]
    SemanticErrorsProcessor({}).process(xs)
    assert [(x.attributes["otel_ebpf.error.kind"], x.attributes["otel_ebpf.error.type"]) for x in xs] == [
        ("business", "payment"),
        ("system", "server_error"),
        ("system", "timeout"),
    ]
    for x in xs:
        assert "error.type" not in x.attributes
        assert x.status_override is None and x.status_message == ""


def test_successes_get_no_attributes():
    x = exchange(200, b'{"id": 1, "status": "paid"}')
    batch = [x]
    assert SemanticErrorsProcessor({}).process(batch) is batch
    assert x.attributes == {} and x.status_override is None


def test_counts_and_metric_from_every_request():
    p = SemanticErrorsProcessor({})
    batch = [exchange(200, DECLINED) for _ in range(3)]
    batch += [exchange(200, b'{"ok": true}'), exchange(404, route="/users/{id}", method="GET")]
    batch += [exchange(429, process=BILLING, route=None, method="FROB")]
    p.process(batch)
    p.process([exchange(200, DECLINED)])
    assert p.counts == {
        (SHOP.key, "/orders", "POST", "payment", "critical", "business"): 4,
        (SHOP.key, "/users/{id}", "GET", "not_found", "low", "business"): 1,
        (BILLING.key, None, "_OTHER", "rate_limit", "high", "business"): 1,
    }
    collected = p.collect_metrics(now_ns=2_000)
    assert {process.service_name for process, _ in collected} == {"shop", "billing"}
    for _process, metric in collected:
        assert metric.name == "otel_ebpf.http.business_errors" and metric.unit == "{error}"
        assert metric.sum.is_monotonic and metric.sum.aggregation_temporality == 2  # CUMULATIVE
        for point in metric.sum.data_points:
            assert point.time_unix_nano == 2_000 and 0 < point.start_time_unix_nano
    shop = next(m for proc, m in collected if proc is SHOP)
    points = {
        tuple((kv.key, kv.value.string_value) for kv in point.attributes): point.as_int
        for point in shop.sum.data_points
    }
    assert points == {
        (("http.route", "/orders"), ("http.request.method", "POST"), ("otel_ebpf.error.type", "payment"),
         ("otel_ebpf.error.severity", "critical"), ("otel_ebpf.error.kind", "business")): 4,
        (("http.route", "/users/{id}"), ("http.request.method", "GET"), ("otel_ebpf.error.type", "not_found"),
         ("otel_ebpf.error.severity", "low"), ("otel_ebpf.error.kind", "business")): 1,
    }  # fmt: skip
    billing = next(m for proc, m in collected if proc is BILLING)
    assert [kv.key for kv in billing.sum.data_points[0].attributes][0] == "http.request.method"  # no route: omitted
    # Cumulative: a later collection keeps the start time and adds up.
    p.process([exchange(200, DECLINED)])
    again = {proc.service_name: m for proc, m in p.collect_metrics(3_000)}
    assert max(pt.as_int for pt in again["shop"].sum.data_points) == 5
    assert again["shop"].sum.data_points[0].start_time_unix_nano == shop.sum.data_points[0].start_time_unix_nano


def test_series_beyond_max_series_go_to_an_overflow_series():
    p = SemanticErrorsProcessor({"max_series": 2})
    p.process([exchange(404, route=f"/r{i}") for i in range(5)])
    assert p.series_overflow == 3
    [(_, metric)] = p.collect_metrics(1)
    overflow = [pt for pt in metric.sum.data_points if pt.attributes[0].key == "otel.metric.overflow"]
    assert len(overflow) == 1 and overflow[0].as_int == 3 and overflow[0].attributes[0].value.bool_value
    assert sum(pt.as_int for pt in metric.sum.data_points) == 5


def test_route_rules_disable_ignore_and_extend():
    p = SemanticErrorsProcessor(
        {
            "routes": [
                {"match": "/health*", "enabled": False},
                {"match": "/jobs/*", "methods": ["GET"], "ignore_fields": ["status"]},
                {"match": "/legacy/*", "status_words": ["bounced"], "severities": {"generic_business_error": "high"}},
            ]
        }
    )
    failed_job = b'{"id": 7, "status": "failed"}'
    xs = [
        exchange(503, route="/healthz", method="GET"),
        exchange(200, failed_job, route="/jobs/{id}", method="GET"),
        exchange(200, failed_job, route="/jobs/{id}", method="POST"),  # other method: default rules
        exchange(200, failed_job, route="/orders"),
        exchange(200, b'{"status": "BOUNCED"}', route=None, path="/legacy/ship"),  # no route: matched on the path
        exchange(200, b'{"status": "BOUNCED"}', route="/orders"),
    ]
    p.process(xs)
    kinds = [(x.attributes.get("otel_ebpf.error.type"), x.attributes.get("otel_ebpf.error.severity")) for x in xs]
    assert kinds == [
        (None, None),
        (None, None),
        ("generic_business_error", "medium"),
        ("generic_business_error", "medium"),
        ("generic_business_error", "high"),
        (None, None),
    ]


def test_invalid_config_raises_with_every_problem():
    with pytest.raises(ValueError, match=r"bogus: unknown key.*routes\[0\]\.match: required"):
        SemanticErrorsProcessor({"bogus": 1, "routes": [{}]})


def test_disabled_processor_passes_through():
    x = exchange(200, DECLINED)
    SemanticErrorsProcessor({"enabled": False}).process([x])
    assert x.attributes == {}


def test_bad_input_is_counted_and_skipped():
    p = SemanticErrorsProcessor({})
    broken = exchange(200, DECLINED)
    broken.response_headers = None  # not a dict: the classifier cannot read it
    good = exchange(200, DECLINED)
    p.process([broken, good])
    assert p.classify_errors == 1
    assert broken.attributes == {} and good.attributes["otel_ebpf.error.type"] == "payment"
    assert p.stats()["classify_errors"] == 1 and p.stats()["exchanges"] == 2


def test_shutdown_is_safe_without_use_and_twice():
    p = SemanticErrorsProcessor({})
    p.shutdown()
    p.shutdown()
    x = exchange(200, DECLINED)
    p.process([x])
    assert x.attributes == {}
    assert p.collect_metrics(1) == []


# ---------------------------------------------------------------- plug-in classifiers (real entry points)


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    """Installs a tiny distribution with an `otel_ebpf.classifiers` entry point on sys.path."""
    (tmp_path / "legacy_rules.py").write_text(
        textwrap.dedent(
            """
            CALLS = []

            def classify(status, headers, body, truncated):
                CALLS.append((status, body, truncated))
                if body.startswith(b"<soap:Fault>"):
                    return {"kind": "business", "type": "soap_fault", "severity": "high", "message": "Fault"}
                if body == b"boom":
                    raise RuntimeError("plug-in bug")
                if body == b"junk":
                    return {"kind": "catastrophic"}
                return None  # fall through to the default rules

            not_callable = 42
            """
        )
    )
    dist = tmp_path / "legacy_rules-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: legacy-rules\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[otel_ebpf.classifiers]\nlegacy = legacy_rules:classify\nbroken = legacy_rules:not_callable\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "legacy_rules", raising=False)
    yield
    sys.modules.pop("legacy_rules", None)


def test_entry_point_classifier_for_a_route(plugin):
    p = SemanticErrorsProcessor({"routes": [{"match": "/legacy/*", "classifier": "legacy"}]})
    import legacy_rules

    fault = b"<soap:Fault>card</soap:Fault>"
    xs = [
        exchange(200, fault, headers={"content-type": "text/xml"}, route="/legacy/pay"),
        exchange(200, b'{"ok": false, "error": "invalid_auth"}', route="/legacy/login"),  # None: default rules
        exchange(200, b"boom", route="/legacy/x"),
        exchange(200, b"junk", route="/legacy/y"),
        exchange(200, fault, headers={"content-type": "text/xml"}, route="/orders"),  # not its route
    ]
    p.process(xs)
    assert xs[0].attributes["otel_ebpf.error.type"] == "soap_fault"
    assert xs[0].attributes["otel_ebpf.error.severity"] == "high"
    # The classifier's message is read from the body: only its name says where the verdict came from.
    assert xs[0].status_message == "business error: soap_fault (rule: classifier legacy)"
    assert xs[1].attributes["otel_ebpf.error.type"] == "auth_failure"
    assert xs[2].attributes == {} and xs[3].attributes == {}
    assert xs[4].attributes["otel_ebpf.error.rule"] == "xml.fault"  # not its route: the built-in rules
    assert p.custom_errors == 2
    assert [c[1] for c in legacy_rules.CALLS] == [fault, b'{"ok": false, "error": "invalid_auth"}', b"boom", b"junk"]


def test_entry_point_gets_the_decoded_body(plugin):
    import gzip

    p = SemanticErrorsProcessor({"routes": [{"match": "/legacy/*", "classifier": "legacy"}]})
    import legacy_rules

    body = gzip.compress(b"<soap:Fault>x</soap:Fault>")
    x = exchange(200, b"%x\r\n%s\r\n" % (len(body), body), route="/legacy/pay",
                 headers={"transfer-encoding": "chunked", "content-encoding": "gzip"})  # fmt: skip
    p.process([x])
    assert legacy_rules.CALLS[-1] == (200, b"<soap:Fault>x</soap:Fault>", True)  # no last chunk: cut
    assert x.attributes["otel_ebpf.error.type"] == "soap_fault"


def test_validate_config_checks_entry_point_names(plugin):
    config = default_config()
    config["routes"] = [{"match": "/a", "classifier": "legacy"}, {"match": "/b", "classifier": "missing"}]
    errors = validate_config(config)
    assert errors == [
        "routes[1].classifier: no entry point 'missing' in group otel_ebpf.classifiers (known: broken, legacy)"
    ]
    with pytest.raises(ValueError, match="not callable"):
        SemanticErrorsProcessor({"routes": [{"match": "/a", "classifier": "broken"}]})


# -- the verdict cache ---------------------------------------------------------------------------


def test_repeated_bodies_are_judged_once_and_a_fork_reuses_the_verdict(monkeypatch):
    from otel_ebpf.processors.semantic_errors import classifier as classifier_module

    traces, metrics = (
        SemanticErrorsProcessor({"success_codes": [7001]}),
        SemanticErrorsProcessor({"success_codes": [7001]}),
    )
    assert traces.classifier is metrics.classifier  # same rules: one classifier, one cache
    assert SemanticErrorsProcessor({}).classifier is not traces.classifier
    parsed: list[bytes] = []  # the bodies judged (read and ruled on), not answered by the cache
    real = classifier_module.Classifier._classify_body
    monkeypatch.setattr(
        classifier_module.Classifier,
        "_classify_body",
        lambda self, status, headers, body, *args: parsed.append(body) or real(self, status, headers, body, *args),
    )
    batch = [exchange(200, bytes(DECLINED)) for _ in range(5)]  # equal bodies, distinct objects
    forks = [x.fork() for x in batch]
    metrics.process(forks)
    traces.process(batch)
    assert parsed == [DECLINED]
    for x in batch + forks:
        assert x.attributes["otel_ebpf.error.type"] == "payment" and x.status_override == STATUS_ERROR
    # What is in the key matters: another status class, a cut, another content type are judged anew.
    traces.process([exchange(200, DECLINED, headers={"content-type": "application/problem+json"})])
    traces.process([exchange(422, DECLINED)])
    cut = exchange(200, DECLINED)
    cut.response_body_truncated = True
    traces.process([cut])
    assert len(parsed) == 4
    assert sum(metrics.counts.values()) == 5 and sum(traces.counts.values()) == 8


def test_the_verdict_cache_is_bounded_in_bytes_and_counts_what_it_drops(monkeypatch):
    from otel_ebpf.processors.semantic_errors import classifier as classifier_module

    monkeypatch.setattr(classifier_module, "VERDICT_CACHE_BYTES", 1000)
    p = SemanticErrorsProcessor({"success_codes": [7002]})
    bodies = [b'{"ok": true, "n": %d, "pad": "%s"}' % (i, b"x" * 200) for i in range(12)]
    p.process([exchange(200, body) for body in bodies])
    cache = p.classifier._verdicts
    assert 0 < len(cache) <= 4 and p.classifier._verdict_bytes <= 1000
    assert p.stats()["verdict_cache_evicted"] == 12 - len(cache)
    monkeypatch.setattr(classifier_module, "VERDICT_BODY_MAX", 100)
    p.process([exchange(200, bodies[0] + b" ")])  # longer than a cached body may be: not kept
    assert len(cache) <= 4 and (200, bodies[0] + b" ", False, "application/json", None, None) not in cache


def test_a_body_that_is_not_bytes_is_judged_and_cached_as_bytes():
    p = SemanticErrorsProcessor({"success_codes": [7003]})
    for body in (bytearray(DECLINED), memoryview(DECLINED)):
        x = exchange(200, body)
        p.process([x])
        assert x.attributes["otel_ebpf.error.type"] == "payment"
    assert p.classify_errors == 0
    assert [key[1].__class__ for key in p.classifier._verdicts] == [bytes]
