"""Median cost per response of the semantic error classifier (prints figures; not a test).

Usage: .venv/bin/python bench/bench_classifier.py [--rounds N]

Each case classifies the same response many times in a tight loop and reports the
median over rounds of the per-response time, the way the processor calls it on the hot
path: ``Classifier.classify(status, headers, body, truncated)``.  The target from the
issue is ≤ 20 µs for a 1 KiB JSON body.
"""

from __future__ import annotations

import argparse
import gzip
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
    ("2xx HTML (fast path)", 200, {"content-type": "text/html"}, b"<html>" + b"x" * 1018, False),
    ("2xx JSON array (fast path)", 200, JSON, b"[" + b"1," * 500 + b"1]", False),
    ("2xx empty body", 204, {}, b"", False),
    ("4xx no body", 404, {}, b"", False),
    ("4xx JSON body", 400, JSON, b'{"error": {"code": "insufficient_funds", "message": "Insufficient funds"}}', False),
    ("5xx", 503, JSON, b'{"error": "unavailable"}', False),
]


def bench_case(classify, status, headers, body, truncated, rounds: int, loops: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(loops):
            classify(status, headers, body, truncated)
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
    for _name, status, headers, body, truncated in CASES:
        assert classify(status, headers, body, truncated) is not None
    print(f"{'case':45} {'bytes':>6} {'verdict':>26} {'median µs':>10}")
    for name, status, headers, body, truncated in CASES:
        verdict = classify(status, headers, body, truncated)
        label = f"{verdict.kind}/{verdict.type}" if verdict.type else verdict.kind
        median = bench_case(classify, status, headers, body, truncated, args.rounds, args.loops)
        print(f"{name:45} {len(body):>6} {label:>26} {median:>10.2f}")
    print(
        f"{'processor.process, 1 KiB JSON, 10% failures':45} {1024:>6} {'':>26} {bench_processor(args.rounds):>10.2f}"
    )
    print("target: <= 20 µs per 1 KiB JSON response")


if __name__ == "__main__":
    main()
