"""The circuit breaker's decisions (otel_ebpf.breaker), with an injected clock.

What the end-to-end tests (tests/test_breaker_e2e.py) measure against real processes, these
pin down rule by rule: when a breaker opens, how long, how probes close or reopen it, how the
health score's episodes and the hysteresis period keep a flapping score from tripping it again,
and how it fails open.
"""

from __future__ import annotations

import json
import logging

import pytest

from otel_ebpf.breaker.board import ANY_SERVICE, BreakerBoard
from otel_ebpf.breaker.config import BREAKER_SCHEMA, PROCESSOR_SCHEMA
from otel_ebpf.breaker.health_source import HealthDocumentError, parse_health
from otel_ebpf.breaker.matcher import RouteMatcher
from otel_ebpf.breaker.state import BUSINESS, GOOD, SYSTEM, breaker_kind
from otel_ebpf.component.listener import Request
from otel_ebpf.config.schema import resolve
from otel_ebpf.model import EndpointHealth, HttpExchange, ProcessInfo, Role
from otel_ebpf.processors.circuit_breaker.processor import CircuitBreakerProcessor

S = 1_000_000_000
KEY = ("shop", "/checkout", "POST")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def wall_ns(self) -> int:
        return int(self.now * S)


def board_with(clock: Clock, **settings) -> BreakerBoard:
    config, errors = resolve(BREAKER_SCHEMA, settings, "circuit_breaker")
    assert not errors, errors
    return BreakerBoard(config, clock, clock.wall_ns)


def health(clock: Clock, state="critical", score=20.0, since_s=None, window_s=2.0, route="/checkout", service="shop"):
    since = clock.now - 1 if since_s is None else since_s
    return EndpointHealth(service, route, "POST", state, score, int(since * S), clock.wall_ns(), window_s, 70, 50, 100)


def state_of(board: BreakerBoard, key=KEY) -> str:
    return next(e["state"] for e in board.snapshot()["endpoints"] if (e["service.name"], e["http.route"]) == key[:2])


def admit(board: BreakerBoard, key=KEY):
    return board.admit(*key)


def test_a_degraded_endpoint_opens_and_refusals_say_when_to_retry():
    clock = Clock()
    board = board_with(clock)
    assert admit(board).decision == "allowed"
    board.observe_health([health(clock, "healthy", 95)])
    assert admit(board).decision == "allowed"
    board.observe_health([health(clock, "degraded", 65)])
    refused = admit(board)
    assert (refused.decision, refused.enforce, refused.status) == ("rejected", True, 503)
    assert dict(refused.headers) == {"Retry-After": "5"}
    body = json.loads(refused.body)
    assert body["http.route"] == "/checkout" and body["state"] == "open" and "health degraded" in body["reason"]
    clock.now += 3.2
    assert dict(admit(board).headers) == {"Retry-After": "2"}  # rounded up, never 0


def test_open_on_critical_leaves_a_degraded_endpoint_alone_and_429_is_configurable():
    clock = Clock()
    board = board_with(clock, open_on="critical", status_code=429)
    board.observe_health([health(clock, "degraded", 65)])
    assert admit(board).decision == "allowed"
    board.observe_health([health(clock, "critical", 30, since_s=clock.now)])
    assert admit(board).status == 429


def test_half_open_lets_the_probes_through_and_their_success_closes_it():
    clock = Clock()
    board = board_with(clock, probes=3)
    board.observe_health([health(clock)])
    clock.now += 5.0
    probes = [admit(board) for _ in range(5)]
    assert [d.decision for d in probes] == ["probe", "probe", "probe", "rejected", "rejected"]
    assert dict(probes[3].headers) == {"Retry-After": "1"}
    for probe in probes[:3]:
        board.settle(probe, GOOD)
    assert state_of(board) == "closed"
    assert admit(board).decision == "allowed"


def test_a_failed_probe_reopens_it_for_twice_as_long_up_to_the_cap():
    clock = Clock()
    board = board_with(clock, open_interval="5s", max_open_interval="18s")
    board.observe_health([health(clock)])
    opened = []
    for _ in range(4):
        clock.now += 60.0
        probe = admit(board)
        assert probe.decision == "probe"
        board.settle(probe, BUSINESS, "200 silent failure")  # a silent failure fails a probe
        opened.append(int(dict(admit(board).headers)["Retry-After"]))
    assert opened == [10, 18, 18, 18]
    assert board.transitions[-1]["reason"] == "probe failed (200 silent failure)"


def test_consecutive_failures_seen_directly_open_it_and_a_success_resets_the_count():
    clock = Clock()
    board = board_with(clock, failures=3)
    for kind in (SYSTEM, SYSTEM, GOOD, SYSTEM, SYSTEM, BUSINESS, SYSTEM, SYSTEM):
        board.settle(admit(board), kind, "502")
    assert state_of(board) == "closed"  # never three in a row: a success or a response breaks the run
    board.settle(admit(board), SYSTEM, "502")
    assert state_of(board) == "open"
    assert board.transitions[-1]["reason"] == "3 consecutive failures (502)"


def test_a_probe_whose_client_left_gives_its_turn_to_another_request():
    clock = Clock()
    board = board_with(clock, probes=1)
    board.observe_health([health(clock)])
    clock.now += 5.0
    board.forget(admit(board))
    probe = admit(board)
    assert probe.decision == "probe"
    board.settle(probe, GOOD)
    assert state_of(board) == "closed"


def test_a_probe_of_an_earlier_round_settles_nothing():
    clock = Clock()
    board = board_with(clock, probes=2, open_interval="2s", max_open_interval="2s")
    board.observe_health([health(clock)])
    clock.now += 2.0
    old = [admit(board), admit(board)]
    clock.now += 11.0  # the probes never answered: a new round
    new = admit(board)
    assert [d.probe_round for d in old] == [1, 1] and new.probe_round == 2
    for d in old:
        board.settle(d, GOOD)  # late successes of the round that timed out
    board.forget(old[0])
    assert state_of(board) == "half_open"
    assert admit(board).decision == "probe"  # the second of this round's two, not a freed one
    assert admit(board).decision == "rejected"


def test_paths_nobody_scores_take_no_place_on_the_board_until_they_fail():
    clock = Clock()
    board = board_with(clock, failures=1, max_endpoints=3)
    board.observe_health([health(clock, "healthy", 99, route=f"/r{i}") for i in range(2)])
    for i in range(1000):  # a scanner
        assert admit(board, ("shop", f"/wp-admin{i}.php", "GET")).decision == "allowed"
    assert len(board.rows()) == 2 and board.stats()["breaker.untracked_requests"] == 1000
    board.settle(admit(board, ("shop", "/boom", "GET")), SYSTEM, "500")  # a failure: tracked, and open
    assert state_of(board, ("shop", "/boom", "GET")) == "open"
    board.settle(admit(board, ("shop", "/boom2", "GET")), SYSTEM, "500")  # full: a closed one makes room
    assert board.stats()["breaker.endpoints_evicted"] == 1
    assert {row[1] for row in board.rows()} == {"/r1", "/boom", "/boom2"}


def test_a_late_answer_to_a_request_admitted_before_the_trip_is_no_probe():
    clock = Clock()
    board = board_with(clock, probes=1)
    early = admit(board)
    board.observe_health([health(clock)])
    clock.now += 5.0
    probe = admit(board)
    board.settle(early, SYSTEM)  # admitted while closed: not the probe's outcome
    assert state_of(board) == "half_open"
    board.settle(probe, GOOD)
    assert state_of(board) == "closed"


def test_one_health_episode_trips_once_and_again_only_on_fresh_evidence():
    clock = Clock()
    board = board_with(clock, hysteresis="10s", probes=1)
    episode = clock.now - 1
    board.observe_health([health(clock, since_s=episode)])
    clock.now += 5.0
    board.settle(admit(board), GOOD)
    assert state_of(board) == "closed"
    closed_at = clock.now
    # The same episode, scored over a window that still holds requests from before the close.
    for _ in range(20):
        clock.now += 1.0
        window = 30.0 if clock.now - closed_at < 12 else 2.0
        board.observe_health([health(clock, "critical", 20.0, since_s=episode, window_s=window)])
        if clock.now - closed_at < 12:
            assert state_of(board) == "closed", clock.now - closed_at
    # ... until the window holds only requests after the close and it still scores critical.
    assert state_of(board) == "open"


def test_the_same_episode_scoring_well_after_the_close_never_trips_again():
    clock = Clock()
    board = board_with(clock, hysteresis="0s", probes=1)
    episode = clock.now - 1
    board.observe_health([health(clock, since_s=episode)])
    clock.now += 5.0
    board.settle(admit(board), GOOD)
    for _ in range(10):
        clock.now += 1.0  # the state is held at critical by the health score's hysteresis; the score is fine
        board.observe_health([health(clock, "critical", 92.0, since_s=episode, window_s=2.0)])
    assert state_of(board) == "closed"


def test_a_flapping_score_trips_at_most_once_per_hysteresis_period():
    clock = Clock()
    board = board_with(clock, hysteresis="10s", open_interval="1s", probes=1)
    trips = []
    for second in range(60):
        clock.now += 1.0
        bad = second % 2 == 0  # a new episode every other second
        board.observe_health([health(clock, "critical" if bad else "healthy", 20 if bad else 95, since_s=clock.now)])
        decision = admit(board)
        if decision.decision == "probe":
            board.settle(decision, GOOD)
    trips = [t for t in board.transitions if t["from"] == "closed" and t["to"] == "open"]
    times = [t["time_unix_nano"] / S for t in trips]
    assert len(trips) >= 5
    assert all(b - a >= 10 for a, b in zip(times, times[1:], strict=False)), times
    assert board.snapshot()["endpoints"][0]["suppressed_trips"] > 0


def test_missing_health_data_fails_open_but_keeps_the_breakers_opened_by_failures():
    clock = Clock()
    board = board_with(clock, failures=2)
    board.observe_health([health(clock)])
    other = ("shop", "/pay", "POST")
    for _ in range(2):
        board.settle(admit(board, other), SYSTEM, "503")
    assert state_of(board) == "open" and state_of(board, other) == "open"
    board.observe_health(None)
    assert state_of(board) == "closed"  # opened by the health score: released
    assert state_of(board, other) == "open"  # opened by what the proxy saw itself: kept
    assert board.snapshot()["health_stale"] is True
    assert board.transitions[-1]["reason"] == "health data missing or stale: failing open"


def test_never_routes_pass_and_dry_run_counts_without_refusing():
    clock = Clock()
    board = board_with(clock, failures=1, routes=[{"match": "/health*", "never": True}])
    board.observe_health([health(clock, route="/healthz")])
    board.settle(admit(board, ("shop", "/healthz", "POST")), SYSTEM)
    assert admit(board, ("shop", "/healthz", "POST")).decision == "allowed"
    assert state_of(board, ("shop", "/healthz", "POST")) == "closed"
    dry = board_with(clock, dry_run=True)
    dry.observe_health([health(clock)])
    decision = admit(dry)
    assert (decision.decision, decision.enforce) == ("rejected", False)
    assert dry.rows()[0][5]["rejected"] == 1


def test_a_score_threshold_opens_instead_of_the_state():
    clock = Clock()
    board = board_with(clock, routes=[{"match": "/checkout", "open_below": 90}], hysteresis="0s", probes=1)
    board.observe_health([health(clock, "healthy", 92.0)])
    assert state_of(board) == "closed"
    board.observe_health([health(clock, "healthy", 85.0)])  # healthy by the state, below 90
    assert state_of(board) == "open"
    clock.now += 5.0
    board.settle(admit(board), GOOD)
    clock.now += 1.0
    board.observe_health([health(clock, "healthy", 85.0, window_s=30.0)])  # the old requests still count
    assert state_of(board) == "closed"
    board.observe_health([health(clock, "healthy", 85.0, window_s=0.5)])  # made after the close
    assert state_of(board) == "open"


def test_per_route_settings_override_the_defaults():
    clock = Clock()
    board = board_with(clock, routes=[{"service": "shop", "match": "/checkout", "methods": ["post"], "probes": 1}])
    board.observe_health([health(clock)])
    clock.now += 5.0
    assert [admit(board).decision for _ in range(2)] == ["probe", "rejected"]


def test_any_service_takes_the_worst_evaluation_of_a_route():
    clock = Clock()
    board = board_with(clock)
    board.observe_health(
        [health(clock, "healthy", 99, service="a"), health(clock, "critical", 10, service="b")], ANY_SERVICE
    )
    assert admit(board, (ANY_SERVICE, "/checkout", "POST")).decision == "rejected"


def test_each_transition_is_one_structured_log_line(caplog):
    clock = Clock()
    board = board_with(clock)
    with caplog.at_level(logging.INFO, "otel_ebpf.breaker"):
        board.observe_health([health(clock, "critical", 20.0)])
    (line,) = [r.getMessage() for r in caplog.records]
    assert line.startswith(
        'breaker transition service="shop" method=POST route="/checkout" from=closed to=open score=20.0'
    )
    assert 'reason="health critical (score 20.0, 100 requests)"' in line


def test_settings_are_checked():
    _, errors = resolve(PROCESSOR_SCHEMA, {"status_code": 500, "open_interval": "10s", "max_open_interval": "5s"}, "cb")
    assert any("status_code: must be 503 or 429" in e for e in errors)
    _, errors = resolve(PROCESSOR_SCHEMA, {"open_interval": "10s", "max_open_interval": "5s"}, "cb")
    assert errors == ["cb.max_open_interval: must be at least open_interval"]


# -- routes --------------------------------------------------------------------------------


def test_a_request_finds_the_route_the_agent_gave_its_endpoint():
    matcher = RouteMatcher(["/orders/{order}/lines"])
    assert matcher.route("/orders/A1/lines?x=1") == "/orders/{order}/lines"  # the user's pattern first
    assert matcher.route("/items/42") == "/items/{id}"  # the heuristic
    matcher.learn(["/api/*/things/{thing}", "/items/new", "/items/{id}"])
    assert matcher.route("/api/v2/things/abc") == "/api/*/things/{thing}"  # a route known from the health data
    assert matcher.route("/items/new") == "/items/new"  # a literal before a template
    assert matcher.route("/checkout/") == "/checkout"
    assert matcher.route("http://shop.example/items/7") == "/items/{id}"


def test_health_documents_are_read_and_anything_else_refused():
    document = {
        "evaluated_at_unix_nano": 5 * S,
        "interval_s": 1.0,
        "window_s": 2.0,
        "thresholds": {"degraded": 70.0, "critical": 50.0},
        "endpoints": [
            {
                "service.name": "shop",
                "http.route": "/checkout",
                "http.request.method": "POST",
                "state": "critical",
                "score": 20.0,
                "state_since_unix_nano": 4 * S,
                "requests": 40,
            }
        ],
    }
    (evaluation,), evaluated, interval = parse_health(document)
    assert (evaluation.state, evaluation.score, evaluation.window_start_ns, interval) == ("critical", 20.0, 3 * S, 1.0)
    for bad in ({}, [], {"endpoints": "x"}, {**document, "endpoints": [{"state": 1}]}):
        with pytest.raises(HealthDocumentError):
            parse_health(bad)


def test_the_health_source_fails_open_when_the_agent_is_gone_or_its_score_is_stuck():
    from otel_ebpf.breaker.health_source import HealthSource
    from otel_ebpf.component.listener import HttpListener, Response

    evaluated = {"ns": 0}

    def answer(request):
        document = {
            "evaluated_at_unix_nano": evaluated["ns"],
            "interval_s": 1.0,
            "window_s": 2.0,
            "thresholds": {"degraded": 70.0, "critical": 50.0},
            "endpoints": [],
        }
        return Response(200, json.dumps(document).encode(), "application/json")

    listener = HttpListener("127.0.0.1:0", answer, name="fake-agent")
    listener.start()
    seen = []
    now = {"ns": 100 * S}
    source = HealthSource(f"http://127.0.0.1:{listener.port}", seen.append, wall_ns=lambda: now["ns"])
    try:
        source.poll()
        assert seen == [None]  # never evaluated: no data yet
        evaluated["ns"] = now["ns"] - S
        source.poll()
        source.poll()  # the same evaluation: acted on once
        assert seen == [None, []] and not source.stale
        now["ns"] += 10 * S  # still answering, but the evaluation is 11 s old (stale after 3 s)
        source.poll()
        assert seen == [None, [], None] and source.stale
    finally:
        listener.stop()
    evaluated["ns"] = now["ns"]
    source._last_good -= 10  # the agent is gone, and has been for longer than stale_after
    source.stale = False
    source.poll()
    assert seen[-1] is None and source.fetch_errors == 1


# -- the agent's processor: GET /breaker/check ------------------------------------------------------


def server_exchange(path: str, route: str, status: int, attributes=None) -> HttpExchange:
    x = HttpExchange()
    x.role = Role.SERVER
    x.process = ProcessInfo(1, "shop", "python3", {})
    x.method, x.path, x.route, x.status_code = "POST", path, route, status
    x.attributes = attributes or {}
    return x


def test_the_check_answers_gateways_by_query_or_by_nginx_headers():
    clock = Clock()
    processor = CircuitBreakerProcessor({"endpoint": ""}, clock, clock.wall_ns)
    processor.observe([health(clock), health(clock, "healthy", 99, route="/items/{id}")])

    def check(query=None, headers=None):
        return processor.answer_check(Request("GET", "/breaker/check", query or {}, headers or {}))

    refused = check({"service": "shop", "method": "POST", "path": "/checkout?promo=1"})
    assert refused.status == 503 and refused.headers == {"Retry-After": "5"}
    assert json.loads(refused.body)["http.route"] == "/checkout"
    assert check({"method": "POST", "path": "/items/42", "service": "shop"}).status == 204
    # nginx auth_request: no query, the original request in headers; 403 for nginx to refuse
    nginx = check({"deny_status": "403"}, {"x-original-method": "POST", "x-original-uri": "/checkout"})
    assert nginx.status == 403 and nginx.headers == {"Retry-After": "5"}
    assert check({}, {"x-original-uri": "/checkout"}).status == 400
    assert processor.stats()["breaker.bad_checks"] == 1
    # Envoy ext_authz: the original method, path and query appended; the service in a header
    # (Envoy lets a request through on 200 only, and takes a 5xx for its own failure: 429 refuses)
    envoy = processor.answer_check(
        Request("POST", "/breaker/check/checkout", {"service": "x"}, {"x-breaker-service": "shop"}, "service=x")
    )
    assert envoy.status == 429 and envoy.headers == {"Retry-After": "5"}
    items = Request("GET", "/breaker/check/items/7", {}, {"x-breaker-service": "shop"})
    assert processor.answer_check(items).status == 200
    # a service name no health data knows uses every service's routes, and makes no matcher
    assert check({"service": "nope", "method": "POST", "path": "/checkout"}).status == 204
    assert "nope" not in processor._matchers


def test_a_client_error_is_no_failed_probe_but_a_429_is():
    assert breaker_kind(BUSINESS, 404) == GOOD and breaker_kind(BUSINESS, 401) == GOOD
    assert breaker_kind(BUSINESS, 200) == BUSINESS and breaker_kind(BUSINESS, 429) == BUSINESS
    assert breaker_kind(SYSTEM, 503) == SYSTEM and breaker_kind(GOOD, 200) == GOOD


def test_the_agent_judges_probes_by_the_exchanges_it_sees():
    clock = Clock()
    processor = CircuitBreakerProcessor({"endpoint": "", "probes": 2}, clock, clock.wall_ns)
    processor.observe([health(clock)])
    clock.now += 5.0
    assert processor.board.admit(*KEY).decision == "probe"
    silent = {"otel_ebpf.error.kind": "business", "otel_ebpf.error.severity": "critical", "error.type": "payment"}
    processor.process([server_exchange("/checkout", "/checkout", 200, silent)])
    assert state_of(processor.board) == "open"
    assert processor.board.transitions[-1]["reason"] == "probe failed (200 silent failure: payment)"
    clock.now += 10.0
    processor.board.admit(*KEY)
    processor.process([server_exchange("/checkout", "/checkout", 200)] * 2)
    assert state_of(processor.board) == "closed"


def test_the_processor_exports_state_transitions_and_decisions():
    clock = Clock()
    processor = CircuitBreakerProcessor({"endpoint": ""}, clock, clock.wall_ns)
    processor.observe([health(clock)])
    processor.board.admit(*KEY)
    (resource,) = processor.produce_metrics(clock.wall_ns())
    metrics = {m.name: m for m in resource.scope_metrics[0].metrics}
    assert metrics["otel_ebpf.breaker.state"].gauge.data_points[0].as_int == 2
    assert metrics["otel_ebpf.breaker.transitions"].sum.data_points[0].as_int == 1
    decisions = {
        next(a.value.string_value for a in p.attributes if a.key == "otel_ebpf.breaker.decision"): p.as_int
        for p in metrics["otel_ebpf.breaker.requests"].sum.data_points
    }
    assert decisions == {"allowed": 0, "rejected": 1, "probe": 0}


# -- the proxy's gate, with the semantic error rules: no agent needed --------------------------------


def test_the_proxy_judges_probes_with_the_semantic_error_rules(tmp_path):
    """A silent 200 failure fails a probe; a 404 is the client's and does not; three good close it."""
    import http.client
    import subprocess
    import sys

    from otel_ebpf.breaker.gate import BreakerGate
    from otel_ebpf.breaker.proxy import BreakerProxy
    from otel_ebpf.breaker_cli import make_judge
    from tests.harness import APPS, free_port, stop_process, wait_port

    port, control = free_port(), free_port()
    backend = subprocess.Popen([sys.executable, str(APPS / "breaker_backend.py"), str(port), str(control)])
    clock = Clock()
    board = board_with(clock, probes=3, open_interval="5s", max_open_interval="5s")
    proxy = BreakerProxy(
        "127.0.0.1:0", f"http://127.0.0.1:{port}", BreakerGate(board, RouteMatcher(), "shop", make_judge({}))
    )
    try:
        wait_port(port)
        wait_port(control)
        proxy.start()
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)

        def post(path="/checkout"):
            conn.request("POST", path, body=b"{}")
            response = conn.getresponse()
            return response.status, response.read()

        def mode(name):
            c = http.client.HTTPConnection("127.0.0.1", control, timeout=10)
            c.request("GET", f"/mode/{name}")
            c.getresponse().read()
            c.close()

        board.observe_health([health(clock)])
        assert post()[0] == 503
        mode("fail")  # the 1st, 2nd and 3rd of every five checkouts fail silently
        clock.now += 5.0
        status, body = post()  # the 1st checkout the backend sees: a silent failure
        assert status == 200 and b'"success": false' in body
        assert wait_until_state(board, "open")
        assert board.transitions[-1]["reason"] == "probe failed (200 silent failure: payment)"
        mode("ok")
        clock.now += 10.0
        assert post("/checkout?cart=gone")[0] == 404  # a probe answered with the client's error: good
        for _ in range(2):
            assert post()[0] == 200
        assert wait_until_state(board, "closed")
        assert board.transitions[-1]["reason"] == "3 probes succeeded"
    finally:
        proxy.stop()
        stop_process(backend)


def wait_until_state(board: BreakerBoard, state: str) -> bool:
    from tests.harness import wait_until

    return wait_until(lambda: state_of(board) == state, 5.0)


# -- the command -------------------------------------------------------------------------------------


def test_the_command_says_what_is_wrong_and_exits_2_or_1(tmp_path):
    import socket
    import subprocess
    import sys

    from tests.harness import ROOT

    def run(*args):
        done = subprocess.run(
            [sys.executable, "-m", "otel_ebpf", "breaker", *args], capture_output=True, text=True, cwd=ROOT, timeout=60
        )
        return done.returncode, done.stderr

    code, err = run()
    assert code == 2 and "say which backend: --backend http://host:port" in err
    code, err = run("--backend", "ftp://x")
    assert code == 2 and "only http:// backends" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("probes: 0\nstatus_code: 500\nnope: 1\n")
    code, err = run("--backend", "http://127.0.0.1:1", "--config", str(bad))
    assert code == 2
    assert "breaker.probes: must be between 1 and 1000" in err and "breaker.status_code: must be 503 or 429" in err
    assert "breaker.nope" in err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, err = run("--backend", "http://127.0.0.1:1", "--listen", f"127.0.0.1:{port}")
    assert code == 1 and "cannot run" in err and str(port) in err
