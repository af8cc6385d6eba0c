"""Median cost per response of the semantic error classifier (prints figures; not a test).

Usage: .venv/bin/python bench/bench_classifier.py [--rounds N]

Each case is classified the way the processor calls it on the hot path
(``Classifier.classify(status, headers, body, truncated)``), two ways:

* ``seen``: the same response again and again (a service answers the same few bodies over and
  over: the verdict cache answers);
* ``first``: every response different (an id in the body changes), so each one is read and
  judged in full: the cost of a response never seen before.

Reported: the median over rounds of the per-response time.  Targets (issue 12): a success
≤ 5 µs, a full classification ≤ 30 µs at 1 KiB (JSON failure, XML fault, HTML page, gzip
body in a non-UTF-8 charset).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import statistics
import time

from otel_ebpf.model import HttpExchange
from otel_ebpf.processors.semantic_errors.classifier import Classifier
from otel_ebpf.processors.semantic_errors.processor import SemanticErrorsProcessor
from otel_ebpf.processors.semantic_errors.rules import RuleSet, default_config

JSON = {"content-type": "application/json; charset=utf-8", "content-length": "1024"}


def _kib_json(extra: dict) -> bytes:
    """A realistic ~1 KiB JSON object body (an order with line items) plus `extra` members first."""
    doc = dict(extra)
    doc.update(
        {
            "id": "ord_1MtHbELkdIwHu7ixl4ORuEks",
            "object": "order",
            "created": 1680000000,
            "currency": "usd",
            "customer": {"id": "cus_NffrFeUfNV2Hib", "email": "jenny.rosen@example.com", "name": "Jenny Rosen"},
            "shipping": {"city": "San Francisco", "country": "US", "line1": "510 Townsend St", "postal_code": "94103"},
            "metadata": {"campaign": "spring-sale", "channel": "web"},
        }
    )
    items = []
    while len(json.dumps(doc)) < 1024 - 120:
        n = len(items)
        items.append(
            {"sku": f"sku_{n:04d}", "description": f"Widget model {n}", "quantity": n % 3 + 1, "amount": 1999 + n}
        )
        doc["items"] = items
    body = json.dumps(doc).encode()
    return body + b" " * max(0, 1024 - len(body))


CASES = [
    ("2xx 1 KiB JSON success", 200, JSON, _kib_json({"status": "paid"}), False),
    (
        "2xx 1 KiB JSON silent failure",
        200,
        JSON,
        _kib_json({"success": False, "error": {"code": "card_declined", "message": "Your card was declined."}}),
        False,
    ),
    (
        "2xx 1 KiB JSON cut at the capture limit",
        200,
        JSON,
        _kib_json({"success": False, "error": {"code": "insufficient_funds"}})[:1000],
        True,
    ),
    (
        "2xx 1 KiB gzip JSON success",
        200,
        {**JSON, "content-encoding": "gzip"},
        gzip.compress(_kib_json({"status": "paid"}), mtime=0),
        False,
    ),
    ("2xx small JSON success", 200, JSON, b'{"id": 7, "name": "widget", "price": 9.99}', False),
    ("2xx HTML, no markup inside", 200, {"content-type": "text/html"}, b"<html>" + b"x" * 1018, False),
    ("2xx JSON array of numbers", 200, JSON, b"[" + b"1," * 500 + b"1]", False),
    ("2xx empty body", 204, {}, b"", False),
    ("4xx no body", 404, {}, b"", False),
    ("4xx JSON body", 400, JSON, b'{"error": {"code": "insufficient_funds", "message": "Insufficient funds"}}', False),
    ("5xx", 503, JSON, b'{"error": "unavailable"}', False),
]


def _soap_fault(n: int) -> bytes:
    detail = "".join(f"<Line><Sku>sku_{i:04d}</Sku><Qty>{i % 3 + 1}</Qty></Line>" for i in range(12))
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>'
        "<faultcode>soap:Client</faultcode><faultstring>Session token has expired</faultstring>"
        f"<detail><RequestId>req-{n:08d}</RequestId><Order>{detail}</Order></detail>"
        "</soap:Fault></soap:Body></soap:Envelope>"
    ).encode()


def _html_page(n: int) -> bytes:
    items = "".join(
        f'<li><a href="/products/{i}">Widget model {i}</a> <span>$19.{i:02d}</span></li>' for i in range(14)
    )
    return (
        f"<!doctype html><html><head><title>Widgets, page {n} | Acme</title>"
        '<meta charset="utf-8"><link rel="stylesheet" href="/s.css"></head>'
        f"<body><h1>Widgets</h1><ul>{items}</ul></body></html>"
    ).encode()


def _sjis_gzip(n: int) -> bytes:
    doc = {"結果": "失敗", "メッセージ": "残高不足です", "取引番号": f"T{n:010d}", "明細": ["商品"] * 60}
    return gzip.compress(json.dumps(doc, ensure_ascii=False).encode("shift_jis"), mtime=0)


SJIS = {"content-type": "application/json", "content-encoding": "gzip"}  # no charset: sniffed
SJIS_DECLARED = {"content-type": "application/json; charset=Shift_JIS", "content-encoding": "gzip"}

# (name, status, headers, body for variant n): the five cases first.
FIRST_SIGHT = [
    ("2xx 1 KiB JSON success", 200, JSON, lambda n: _kib_json({"status": "paid", "n": n})),
    (
        "2xx 1 KiB JSON failure",
        200,
        JSON,
        lambda n: _kib_json({"success": False, "error": {"code": "card_declined", "message": "declined"}, "n": n}),
    ),
    ("2xx 1 KiB SOAP fault", 200, {"content-type": "text/xml; charset=utf-8"}, _soap_fault),
    ("2xx 1 KiB HTML page", 200, {"content-type": "text/html; charset=utf-8"}, _html_page),
    ("2xx gzip Shift_JIS JSON failure", 200, SJIS_DECLARED, _sjis_gzip),
    ("2xx gzip Shift_JIS JSON failure, no charset", 200, SJIS, _sjis_gzip),
]


def bench_case(classify, status, headers, body, truncated, rounds: int, loops: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(loops):
            classify(status, headers, body, truncated)
        samples.append((time.perf_counter_ns() - start) / loops / 1000)
    return statistics.median(samples)


def bench_first_sight(make_body, status, headers, rounds: int, loops: int) -> float:
    """µs per response when every response is new: the verdict cache never answers."""
    counter = itertools.count()
    samples = []
    for _ in range(rounds):
        classify = Classifier(RuleSet(default_config())).classify
        bodies = [make_body(next(counter)) for _ in range(loops)]
        start = time.perf_counter_ns()
        for body in bodies:
            classify(status, headers, body, False)
        samples.append((time.perf_counter_ns() - start) / loops / 1000)
    return statistics.median(samples)


def bench_processor(rounds: int) -> float:
    """µs per exchange through SemanticErrorsProcessor.process (annotation and counting included)."""
    processor = SemanticErrorsProcessor({})
    batch = []
    for i in range(1000):
        x = HttpExchange()
        x.method = "POST"
        x.route = "/orders"
        x.status_code = 200
        x.response_headers = JSON
        failed = i % 10 == 0
        x.response_body = CASES[1][3] if failed else CASES[0][3]
        batch.append(x)
    samples = []
    for _ in range(rounds):
        for x in batch:
            x.attributes = {}
        start = time.perf_counter_ns()
        processor.process(batch)
        samples.append((time.perf_counter_ns() - start) / len(batch) / 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--loops", type=int, default=2000)
    args = parser.parse_args()
    classify = Classifier(RuleSet(default_config())).classify
    print(f"{'case':45} {'bytes':>6} {'verdict':>30} {'first µs':>9} {'seen µs':>8}")
    for name, status, headers, make_body in FIRST_SIGHT:
        body = make_body(0)
        verdict = classify(status, headers, body, False)
        label = f"{verdict.kind}/{verdict.type} {verdict.rule}" if verdict.type else verdict.kind
        first = bench_first_sight(make_body, status, headers, args.rounds, min(args.loops, 500))
        seen = bench_case(classify, status, headers, body, False, args.rounds, args.loops)
        print(f"{name:45} {len(body):>6} {label:>30} {first:>9.2f} {seen:>8.2f}")
    for name, status, headers, body, truncated in CASES:
        verdict = classify(status, headers, body, truncated)
        label = f"{verdict.kind}/{verdict.type} {verdict.rule}" if verdict.type else verdict.kind
        seen = bench_case(classify, status, headers, body, truncated, args.rounds, args.loops)
        print(f"{name:45} {len(body):>6} {label:>30} {'':>9} {seen:>8.2f}")
    processor = bench_processor(args.rounds)
    print(f"{'processor.process, 1 KiB JSON, 10% failures':45} {1024:>6} {'':>30} {'':>9} {processor:>8.2f}")
    print("targets: a success <= 5 µs; a full classification <= 30 µs at 1 KiB")


if __name__ == "__main__":
    main()
