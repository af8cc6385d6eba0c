"""The SLO processor with a clock the test moves: budgets, burn rates, alerts, persistence."""

from __future__ import annotations

import json
import logging
import random
import urllib.request

import pytest

from otel_ebpf.processors.slo.processor import SloProcessor
from tests.decisions.helpers import Clock, batch, exchange

T = 1_700_000_000 * 10**9
AVAILABILITY = {"name": "checkout", "service": "shop", "route": "/checkout*", "target": 99.0, "window": "1d"}


def slo(tmp_path, clock=None, **overrides) -> tuple[SloProcessor, Clock]:
    clock = clock or Clock(1_700_000_000.0)
    config = {
        "endpoint": "",
        "state_file": str(tmp_path / "slo.json"),
        "objectives": [AVAILABILITY],
        **overrides,
    }
    processor = SloProcessor(config, clock=clock)
    processor.start()  # no host: evaluations are run by hand
    return processor, clock


def points(processor: SloProcessor, name: str) -> list:
    out = []
    for _info, metric in processor.collect_metrics(T):
        if metric.name == name:
            data = metric.sum if metric.HasField("sum") else metric.gauge
            out.extend(data.data_points)
    return out


def attrs(point) -> dict:
    return {kv.key: getattr(kv.value, kv.value.WhichOneof("value")) for kv in point.attributes}


def value(point) -> float:
    return point.as_int if point.HasField("as_int") else point.as_double


def burn_rates(processor: SloProcessor) -> dict[str, float]:
    return {attrs(p)["otel_ebpf.slo.window"]: value(p) for p in points(processor, "otel_ebpf.slo.burn_rate")}


def test_good_bad_and_what_counts_as_bad(tmp_path):
    p, _ = slo(tmp_path)
    p.process(
        [
            exchange(),  # good
            exchange(business="critical"),  # silent payment failure: bad
            exchange(business="high"),  # bad by default
            exchange(business="low"),  # a 404-like low-severity error: still good for availability
            exchange(system=True),  # 5xx: bad
            exchange(route="/other", system=True),  # not covered
        ]
    )
    by_name = {name: value(points(p, name)[0]) for name in ("otel_ebpf.slo.events.good", "otel_ebpf.slo.events.bad")}
    assert by_name == {"otel_ebpf.slo.events.good": 2, "otel_ebpf.slo.events.bad": 3}


def test_burn_rates_and_budget_match_the_raw_events(tmp_path):
    rng = random.Random(7)
    p, clock = slo(tmp_path)
    events = []  # (time, good)
    for _ in range(7 * 360):  # 7 hours in 10 s steps, error ratio drifting between 0% and 6%
        clock.advance(10)
        ratio = rng.uniform(0, 0.06)
        n = rng.randint(5, 40)
        bad = sum(rng.random() < ratio for _ in range(n))
        p.process(batch(n, bad=bad, system=True))
        events.append((clock.now, n - bad, n))
    now = clock.now
    rates = burn_rates(p)
    for label, window in (("5m", 300), ("30m", 1800), ("1h", 3600), ("6h", 21600)):
        good = sum(g for t, g, n in events if t > now - window)
        total = sum(n for t, g, n in events if t > now - window)
        expected = (1 - good / total) / 0.01
        assert rates[label] == pytest.approx(expected, rel=0.01), label
    good = sum(g for _t, g, _n in events)
    total = sum(n for _t, _g, n in events)
    (budget,) = points(p, "otel_ebpf.slo.error_budget.remaining")
    assert value(budget) == pytest.approx(1 - (total - good) / (0.01 * total), rel=0.01)
    assert attrs(budget)["otel_ebpf.slo.window.partial"] is True  # 7 h of a 1 d window


def test_windows_shorter_than_the_uptime_say_partial(tmp_path):
    p, clock = slo(tmp_path)
    clock.advance(600)
    partial = {
        attrs(pt)["otel_ebpf.slo.window"]: attrs(pt)["otel_ebpf.slo.window.partial"]
        for pt in points(p, "otel_ebpf.slo.burn_rate")
    }
    assert partial == {"5m": False, "30m": True, "1h": True, "6h": True}


def test_page_alert_needs_both_windows_and_is_logged(tmp_path, caplog):
    p, clock = slo(tmp_path)
    for _ in range(360):  # an hour of 0.5% errors: burn 0.5, no alert
        clock.advance(10)
        p.process(batch(200, bad=1, system=True))
    assert p.evaluate() == []
    with caplog.at_level(logging.WARNING, logger="otel_ebpf.slo"):
        fired = []
        for _ in range(120):  # then 20 minutes at 50% errors: burn ~17 over 1 h, 50 over 5 m
            clock.advance(10)
            p.process(batch(200, bad=100, system=True))
            fired += p.evaluate()
    assert ("checkout", "page", True) in fired
    assert any("page alert FIRING" in r.getMessage() for r in caplog.records)
    alert = {attrs(pt)["otel_ebpf.slo.alert"]: value(pt) for pt in points(p, "otel_ebpf.slo.alert")}
    assert alert["page"] == 1
    resolved = []
    for _ in range(40):  # errors stop: the 5 m window clears first, the page resolves
        clock.advance(10)
        p.process(batch(200))
        resolved += p.evaluate()
    assert ("checkout", "page", False) in resolved


def test_restart_keeps_the_budget(tmp_path):
    p, clock = slo(tmp_path)
    p.process(batch(1000, bad=5, system=True))
    (before,) = points(p, "otel_ebpf.slo.error_budget.remaining")
    p.shutdown()
    clock.advance(30)
    again, _ = slo(tmp_path, clock=clock)
    assert again.restored == 1
    (after,) = points(again, "otel_ebpf.slo.error_budget.remaining")
    assert value(after) == pytest.approx(value(before)) == pytest.approx(0.5)
    assert value(points(again, "otel_ebpf.slo.events.bad")[0]) == 5
    again.process(batch(1000, bad=5, system=True))
    assert value(points(again, "otel_ebpf.slo.error_budget.remaining")[0]) == pytest.approx(0.5)
    assert value(points(again, "otel_ebpf.slo.events.total")[0]) == 2000


def test_changed_definition_starts_fresh_and_corrupt_file_is_survived(tmp_path):
    p, clock = slo(tmp_path)
    p.process(batch(100, bad=50, system=True))
    p.shutdown()
    changed, _ = slo(tmp_path, clock=clock, objectives=[{**AVAILABILITY, "route": "/pay"}])
    assert changed.restored == 0
    (tmp_path / "slo.json").write_text("{not json")
    broken, _ = slo(tmp_path, clock=clock)
    assert broken.restored == 0 and value(points(broken, "otel_ebpf.slo.error_budget.remaining")[0]) == 1.0


def test_unwritable_state_file_is_counted_not_raised(tmp_path):
    (tmp_path / "file").write_text("")
    p, _ = slo(tmp_path, state_file=str(tmp_path / "file" / "slo.json"))
    p.process(batch(10))
    p.persist()
    assert p.stats()["slo.persist_errors"] == 1


def test_latency_objective_and_exemplars_of_bad_events(tmp_path):
    objective = {"name": "fast", "sli": "latency", "latency_threshold": "100ms", "target": 99}
    p, _ = slo(tmp_path, objectives=[objective])
    slow = exchange(duration_s=0.25)
    fast = exchange(duration_s=0.05)
    p.process([slow, fast])
    assert slow.keep and not fast.keep  # the violating span will be exported whatever the sampling
    (bad,) = points(p, "otel_ebpf.slo.events.bad")
    (ex,) = bad.exemplars
    assert (ex.trace_id, ex.span_id) == (slow.trace_id, slow.span_id)
    (bad_again,) = points(p, "otel_ebpf.slo.events.bad")
    assert not bad_again.exemplars  # exported once


def test_status_endpoint_lists_objectives(tmp_path):
    p, _ = slo(tmp_path, endpoint="127.0.0.1:0")
    try:
        p.process(batch(100, bad=2, system=True))
        with urllib.request.urlopen(f"http://127.0.0.1:{p.status_port}/slo", timeout=5) as resp:
            (row,) = json.load(resp)["objectives"]
        assert row["name"] == "checkout" and row["bad_total"] == 2
        assert row["error_budget_remaining"] == pytest.approx(-1.0)
        assert row["burn_rate"]["5m"] == pytest.approx(2.0)
    finally:
        p.shutdown()


def test_invalid_objectives_are_named():
    with pytest.raises(ValueError, match="latency_threshold: required"):
        SloProcessor({"endpoint": "", "state_file": "", "objectives": [{"name": "x", "sli": "latency"}]})
    with pytest.raises(ValueError, match="names must be unique"):
        SloProcessor({"endpoint": "", "state_file": "", "objectives": [{"name": "x"}, {"name": "x"}]})
