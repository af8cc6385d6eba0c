"""``otel-ebpf breaker``: a circuit-breaking reverse proxy in front of one backend.

It reads the agent's health score (``GET /health`` on its status endpoint), opens an endpoint's
breaker when the score says it is degraded or when it sees consecutive failures itself, and
answers for the backend while the breaker is open (503 or 429 with ``Retry-After``).  It needs
no privilege: it is an ordinary proxy.  docs/breaker.md tells how it decides and how to deploy it.

Wiring only: the decisions are :mod:`otel_ebpf.breaker`'s; probes' bodies are judged with the
``semantic_errors`` processor's rules, so a proxy and an agent call the same response a failure.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

import yaml

from otel_ebpf.breaker.board import ANY_SERVICE, BreakerBoard
from otel_ebpf.breaker.config import PROXY_SCHEMA
from otel_ebpf.breaker.gate import BreakerGate
from otel_ebpf.breaker.health_source import HealthSource
from otel_ebpf.breaker.matcher import RouteMatcher
from otel_ebpf.breaker.proxy import BreakerProxy, Outcome
from otel_ebpf.breaker.state import GOOD, silent_failure
from otel_ebpf.component.listener import HttpListener, ListenError, Request, Response
from otel_ebpf.config.expand import expand
from otel_ebpf.config.schema import resolve
from otel_ebpf.model import HttpExchange, Role
from otel_ebpf.telemetry import outcome as outcomes

log = logging.getLogger("otel_ebpf.breaker")

EPILOG = """\
examples:
  otel-ebpf breaker --backend http://127.0.0.1:8000 --service shop
                                  # listen on 127.0.0.1:8080, read the agent at 127.0.0.1:13134
  otel-ebpf breaker --backend http://127.0.0.1:8000 --listen 0.0.0.0:8080 --config breaker.yaml
  otel-ebpf breaker --backend http://127.0.0.1:8000 --dry-run
                                  # decide and count, never reject (GET :9466/metrics)

exit codes: 0 stopped by a signal; 1 cannot run (port taken); 2 usage or configuration error.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="otel-ebpf breaker",
        description="A circuit-breaking reverse proxy driven by the agent's health score.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--backend", metavar="URL", help="the backend, http://host:port (or `backend:` in the file)")
    parser.add_argument("--listen", metavar="HOST:PORT", help="where to listen (default 127.0.0.1:8080)")
    parser.add_argument(
        "--status-url", metavar="URL", help="the agent's status endpoint (default http://127.0.0.1:13134)"
    )
    parser.add_argument("--service", metavar="NAME", help="the backend's service.name in the agent's data")
    parser.add_argument("--config", metavar="FILE", help="settings (docs/breaker.md); flags win over the file")
    parser.add_argument("--dry-run", action="store_true", default=None, help="decide and count, never reject")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    return parser


def load_settings(args: argparse.Namespace, environ=None) -> tuple[dict, list[str]]:
    """The resolved settings: the file (``${env:VAR}`` expanded), then the flags; and the errors."""
    import os

    raw: dict = {}
    if args.config:
        try:
            raw = yaml.safe_load(Path(args.config).read_text()) or {}
        except (OSError, yaml.YAMLError) as exc:
            return {}, [f"{args.config}: {exc}"]
        if not isinstance(raw, dict):
            return {}, [f"{args.config}: expected a mapping of settings"]
        errors: list[str] = []
        warnings: list[str] = []
        raw = expand(raw, os.environ if environ is None else environ, "breaker", errors, warnings)
        for warning in warnings:
            log.warning("breaker: %s", warning)
        if errors:
            return {}, errors
    for key, value in (
        ("backend", args.backend),
        ("listen", args.listen),
        ("status_url", args.status_url),
        ("service", args.service),
        ("dry_run", args.dry_run),
    ):
        if value is not None:
            raw[key] = value
    settings, errors = resolve(PROXY_SCHEMA, raw, "breaker")
    if not errors and not settings["backend"]:
        errors.append("breaker: say which backend: --backend http://host:port")
    return settings, errors


def make_judge(semantic_errors: dict):
    """``(method, target, route, outcome) -> (kind, why)`` with the semantic error rules."""
    from otel_ebpf.processors.semantic_errors.processor import SemanticErrorsProcessor  # noqa: PLC0415

    processor = SemanticErrorsProcessor(semantic_errors)

    def judge(method: str, target: str, route: str, outcome: Outcome) -> tuple[int, str]:
        x = HttpExchange()
        x.role = Role.SERVER
        x.method = method
        x.target = target
        x.path = target.split("?", 1)[0]
        x.route = route
        x.status_code = outcome.status
        x.response_headers = {"content-type": outcome.content_type} if outcome.content_type else {}
        x.response_body = outcome.body
        x.response_body_size = len(outcome.body)
        processor.process([x])
        kind, _ = outcomes.outcome(x)
        if kind == GOOD:
            return GOOD, ""
        return kind, silent_failure(outcome.status, (x.attributes or {}).get("error.type"))

    return judge


class _Metrics:
    """``GET /metrics``: the breakers' and the proxy's own counters, in Prometheus text."""

    def __init__(self, board: BreakerBoard, proxy: BreakerProxy, source: HealthSource) -> None:
        from prometheus_client import CollectorRegistry  # noqa: PLC0415

        self._board, self._proxy, self._source = board, proxy, source
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(self)

    def collect(self):
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily  # noqa: PLC0415

        labels = ["service_name", "http_route", "http_request_method"]
        state = GaugeMetricFamily("otel_ebpf_breaker_state", "closed 0, half-open 1, open 2", labels=labels)
        transitions = CounterMetricFamily("otel_ebpf_breaker_transitions", "breaker state changes", labels=labels)
        requests = CounterMetricFamily(
            "otel_ebpf_breaker_requests",
            "requests decided, by decision",
            labels=[*labels, "otel_ebpf_breaker_decision"],
        )
        for service, route, method, st, n, by_decision in self._board.rows():
            state.add_metric([service, route, method], st)
            transitions.add_metric([service, route, method], n)
            for decision, count in by_decision.items():
                requests.add_metric([service, route, method, decision], count)
        yield from (state, transitions, requests)
        stale = GaugeMetricFamily("otel_ebpf_breaker_health_stale", "1 while failing open: no current health data")
        stale.add_metric([], int(self._board.health_stale))
        yield stale
        fetch_errors = CounterMetricFamily("otel_ebpf_breaker_health_fetch_errors", "failed reads of GET /health")
        fetch_errors.add_metric([], self._source.fetch_errors)
        yield fetch_errors
        for name, value in self._proxy.stats().items():
            metric = CounterMetricFamily(f"otel_ebpf_breaker_proxy_{name}", f"the proxy's {name.replace('_', ' ')}")
            metric.add_metric([], value)
            yield metric
        board = self._board.stats()
        for name in ("breaker.endpoints", "breaker.open"):  # levels: gauges
            metric = GaugeMetricFamily(f"otel_ebpf_{name.replace('.', '_')}", f"{name}: now")
            metric.add_metric([], board[name])
            yield metric
        for name in ("breaker.endpoints_overflow", "breaker.endpoints_evicted", "breaker.untracked_requests"):
            metric = CounterMetricFamily(f"otel_ebpf_{name.replace('.', '_')}", f"{name}: so far")
            metric.add_metric([], board[name])
            yield metric

    def answer(self, request: Request) -> Response:
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest  # noqa: PLC0415

        if request.path != "/metrics":
            return Response(404, b"GET /metrics\n")
        return Response(200, generate_latest(self.registry), CONTENT_TYPE_LATEST)


def breaker_main(argv: list[str] | None = None) -> int:
    """Runs the proxy until SIGTERM or SIGINT; returns the exit status."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    settings, errors = load_settings(args)
    if errors:
        for error in errors:
            print(f"otel-ebpf breaker: {error}", file=sys.stderr)
        return 2
    try:
        judge = make_judge(settings["semantic_errors"])
    except (ValueError, TypeError) as exc:
        print(f"otel-ebpf breaker: semantic_errors: {exc}", file=sys.stderr)
        return 2
    service = settings["service"] or ANY_SERVICE
    board = BreakerBoard(settings)
    matcher = RouteMatcher(settings["route_patterns"])

    def on_health(evaluations) -> None:
        if evaluations is not None:
            matcher.learn(h.route for h in evaluations if service in (ANY_SERVICE, h.service))
        board.observe_health(evaluations, service)

    source = HealthSource(settings["status_url"], on_health, stale_after_s=settings["stale_after"])
    try:
        proxy = BreakerProxy(
            settings["listen"],
            settings["backend"],
            BreakerGate(board, matcher, service, judge),
            connect_timeout_s=settings["connect_timeout"],
            response_timeout_s=settings["response_timeout"],
            idle_timeout_s=settings["idle_timeout"],
        )
    except ValueError as exc:
        print(f"otel-ebpf breaker: {exc}", file=sys.stderr)
        return 2
    metrics = _Metrics(board, proxy, source)
    listener = HttpListener(settings["metrics_endpoint"], metrics.answer, name="breaker-metrics", log=log)
    try:
        proxy.start()
        if settings["metrics_endpoint"]:
            listener.start()
    except (OSError, ListenError) as exc:
        print(f"otel-ebpf breaker: cannot run: {exc}", file=sys.stderr)
        proxy.stop()
        return 1
    source.start()
    if service == ANY_SERVICE:
        log.warning("breaker: no --service: an endpoint's health is the worst of every service with that route")
    log.info(
        "breaker: listening on %s (port %s), forwarding to %s, service %s, health from %s%s%s",
        settings["listen"],
        proxy.port,
        settings["backend"],
        service,
        source.url,
        f", metrics on http://{settings['metrics_endpoint']}/metrics" if settings["metrics_endpoint"] else "",
        ", DRY RUN (never rejects)" if settings["dry_run"] else "",
    )
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    log.info("breaker: stopping")
    source.stop()
    listener.stop()
    proxy.stop()
    return 0
