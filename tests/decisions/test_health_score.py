"""The health-score processor on exchanges with a clock the test moves (no kernel needed)."""

from __future__ import annotations

import json
import socket
import urllib.request
import uuid

import pytest

from otel_ebpf.processors.health_score.factory import factory as health_factory
from otel_ebpf.processors.health_score.processor import HealthScoreProcessor
from otel_ebpf.processors.health_score.scoring import ScoreWeights, WindowStats, penalties, score
from otel_ebpf.processors.health_score.state import HealthState
from otel_ebpf.telemetry.resource import INSTANCE_ID_NAMESPACE
from tests.decisions.helpers import Clock, batch, exchange

T = 1_700_000_000 * 10**9


def processor(**overrides) -> tuple[HealthScoreProcessor, Clock]:
    clock = Clock(1000.0)
    config = {"endpoint": "", **overrides}
    p = HealthScoreProcessor(config, clock=clock)
    p.start()  # no host: evaluations are run by hand
    assert (p.status_port is None) == (config["endpoint"] == "")  # "" turns the JSON endpoint off
    return p, clock


def run_interval(p: HealthScoreProcessor, clock: Clock, exchanges) -> dict:
    p.process(exchanges)
    clock.advance(p.interval_s)
    p.evaluate()
    (row,) = p.snapshot()["endpoints"]
    return row


def default_score(total: int, critical=0, medium=0, system=0, p99=0.05) -> float:
    weights = ScoreWeights.from_config(health_factory.default_config())
    stats = WindowStats(total, system, {"critical": critical, "high": 0, "medium": medium, "low": 0}, p99, 1.0)
    return score(penalties(stats, weights))


def test_defaults_read_as_an_operator_expects():
    assert default_score(1000) == 100
    assert default_score(1000, medium=10) >= 90  # 1% medium business errors: healthy
    assert default_score(1000, critical=250) < 70  # 25% critical: below degraded
    assert default_score(1000, critical=250) < default_score(1000, system=250)  # business weighs more
    assert default_score(1000, p99=2.0) == pytest.approx(60)  # p99 twice the threshold


def test_penalties_are_capped_and_the_score_clamped():
    weights = ScoreWeights.from_config(health_factory.default_config())
    stats = WindowStats(100, 100, {"critical": 100, "high": 0, "medium": 0, "low": 0}, 100.0, 1.0)
    pen = penalties(stats, weights)
    assert pen == {"business": 80.0, "system": 60.0, "latency": 40.0}
    assert score(pen) == 0.0


def test_no_score_below_the_minimum_request_count():
    p, clock = processor()
    row = run_interval(p, clock, [exchange(), exchange(business="critical")])  # 2 requests, 1 "broken"
    assert row["score"] is None and row["state"] == "unknown"
    assert p.collect_metrics(T) == []


def test_twenty_percent_critical_failures_degrade_within_two_intervals_and_recover():
    p, clock = processor(interval="10s", window="20s", hysteresis={"period": "30s"})
    states = [run_interval(p, clock, batch(100))["state"] for _ in range(3)]
    assert states == ["healthy"] * 3
    # Failures start just after an evaluation: the worst case for detection.
    first = run_interval(p, clock, batch(100, bad=20, business="critical"))
    second = run_interval(p, clock, batch(100, bad=20, business="critical"))
    assert second["state"] in ("degraded", "critical") and second["score"] < 70, (first, second)
    # Failures stop: the state comes back, once, after the hysteresis period.
    timeline = [run_interval(p, clock, batch(100)) for _ in range(6)]
    assert [r["state"] for r in timeline][-1] == "healthy"
    changes = [t for t in p.snapshot()["transitions"]]
    assert [(c["from"], c["to"]) for c in changes] == [
        ("unknown", "healthy"),
        ("healthy", second["state"]),
        (second["state"], "healthy"),
    ]


def test_sawtooth_around_the_threshold_changes_state_at_most_once_per_period():
    period = 60.0
    p, clock = processor(interval="10s", window="10s", hysteresis={"period": f"{period}s", "margin": 5})
    states = []
    for i in range(60):  # 10 minutes: 7.2% then 7.7% critical errors, scores 71.2 / 69.2 around 70
        bad = 72 if i % 2 == 0 else 77
        states.append(run_interval(p, clock, batch(1000, bad=bad, business="critical"))["state"])
    changes = [t for t in p.snapshot()["transitions"] if t["from"] != "unknown"]
    assert len(changes) <= 600 / period
    times = [t["monotonic_s"] for t in changes]
    assert all(b - a >= period for a, b in zip(times, times[1:], strict=False))
    # With the margin the score must reach 75 to be healthy again: this sawtooth never does.
    assert len(changes) == 1 and changes[0]["to"] == "degraded"


def test_hysteresis_period_suppresses_and_counts_early_changes():
    state = HealthState(degraded=70, critical=50, margin=5, period_s=60)
    assert state.update(95, now=0) == ("unknown", "healthy")
    assert state.update(60, now=10) == ("healthy", "degraded")  # the first state starts no period
    assert state.update(95, now=20) is None  # too soon after the last change
    assert state.suppressed == 1
    assert state.update(45, now=69) is None
    assert state.update(45, now=71) == ("degraded", "critical")
    assert state.update(53, now=140) is None  # inside the margin: 55 is needed to improve
    assert state.update(56, now=141) == ("critical", "degraded")
    assert state.update(73, now=300) is None  # inside the margin
    assert state.update(76, now=301) == ("degraded", "healthy")


def test_slow_requests_count_against_latency_and_are_kept_for_exemplars():
    p, clock = processor(routes=[{"match": "/checkout", "latency_threshold": "100ms"}])
    slow = [exchange(duration_s=0.3) for _ in range(30)]
    row = run_interval(p, clock, slow)
    assert row["latency_threshold_s"] == 0.1
    assert row["penalty"]["latency"] == 40.0  # p99 ~0.3 s = 3x the threshold: capped
    assert all(x.keep for x in slow)


def test_endpoints_aggregate_across_processes_of_one_service_and_are_bounded():
    from otel_ebpf.model import ProcessInfo

    other = ProcessInfo(11, "shop", "python3", {"service.name": "shop", "process.pid": 11})
    p, clock = processor(max_endpoints=2)
    p.process(batch(15) + [exchange(process=other) for _ in range(15)])
    p.process([exchange(route="/a"), exchange(route="/b"), exchange(route="/c")])
    clock.advance(10)
    p.evaluate()
    rows = {r["http.route"]: r for r in p.snapshot()["endpoints"]}
    assert rows["/checkout"]["requests"] == 30
    assert len(rows) == 2 and p.stats()["health.endpoints_overflow"] == 2


def test_metrics_explain_the_score():
    p, clock = processor()
    run_interval(p, clock, batch(100, bad=10, business="critical"))
    metrics = {m.name: m for _info, m in p.collect_metrics(T)}
    (score_point,) = metrics["otel_ebpf.health.score"].gauge.data_points
    assert score_point.as_double == pytest.approx(60.0)
    factors = {
        kv.value.string_value: pt.as_double
        for pt in metrics["otel_ebpf.health.penalty"].gauge.data_points
        for kv in pt.attributes
        if kv.key == "otel_ebpf.health.factor"
    }
    assert factors == {"business": pytest.approx(40.0), "system": 0.0, "latency": 0.0}
    states = {
        kv.value.string_value: pt.as_int
        for pt in metrics["otel_ebpf.health.state"].gauge.data_points
        for kv in pt.attributes
        if kv.key == "otel_ebpf.health.state"
    }
    assert states == {"healthy": 0, "degraded": 1, "critical": 0}
    (info, _), *_ = p.collect_metrics(T)
    host = socket.gethostname()  # the node's: agents on different nodes send distinct series
    assert info.resource_attributes == {
        "service.name": "shop",
        "host.name": host,
        "service.instance.id": str(uuid.uuid5(INSTANCE_ID_NAMESPACE, f"{host}/shop")),
    }


def test_status_endpoint_serves_scores_as_json():
    p, clock = processor(endpoint="127.0.0.1:0")
    try:
        run_interval(p, clock, batch(50, bad=5, system=True))
        with urllib.request.urlopen(f"http://127.0.0.1:{p.status_port}/health?service=shop", timeout=5) as resp:
            body = json.load(resp)
        (row,) = body["endpoints"]
        assert row["service.name"] == "shop" and row["requests"] == 50
        assert row["penalty"]["system"] == pytest.approx(20.0)
        with urllib.request.urlopen(f"http://127.0.0.1:{p.status_port}/", timeout=5) as resp:
            assert json.load(resp) == {"paths": ["/health"]}
    finally:
        p.shutdown()
    p.shutdown()  # twice is fine


def test_invalid_config_names_the_key():
    with pytest.raises(ValueError, match="thresholds.critical"):
        HealthScoreProcessor({"thresholds": {"degraded": 40, "critical": 60}, "endpoint": ""})


def test_wild_sawtooth_changes_at_most_once_per_period():
    period = 60.0
    p, clock = processor(interval="10s", window="10s", hysteresis={"period": f"{period}s"})
    for i in range(60):  # scores alternate 100 / 40 every evaluation for 10 minutes
        run_interval(p, clock, batch(100, bad=15 if i % 2 else 0, business="critical"))
    changes = [t for t in p.snapshot()["transitions"] if t["from"] != "unknown"]
    times = [t["monotonic_s"] for t in changes]
    assert 2 <= len(changes) <= 600 / period
    assert all(b - a >= period for a, b in zip(times, times[1:], strict=False))
