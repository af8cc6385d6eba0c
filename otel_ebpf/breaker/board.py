"""Every endpoint's breaker, its settings, its decisions and its telemetry.

The board is what the agent's ``circuit_breaker`` processor and the ``otel-ebpf breaker`` proxy
share: they differ in where health and outcomes come from (in process, or ``GET /health`` and
the proxied responses), not in how they decide.

* :meth:`admit` decides one request and says what to answer when it is refused;
* :meth:`settle` feeds its outcome;
* :meth:`observe_health` feeds an evaluation of the health score, or its absence (fail open);
* :meth:`snapshot` is the JSON of ``GET /breaker``; :meth:`rows` the metrics'
  ``otel_ebpf.breaker.state``, ``.transitions`` and ``.requests``.

Every transition is logged once, as one line of ``key=value`` fields (score and reason
included), and kept (the last 200) for the snapshot.
"""

from __future__ import annotations

import fnmatch
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from otel_ebpf.breaker.state import (
    ALLOWED,
    CLOSED,
    DECISIONS,
    GOOD,
    OPEN,
    PROBE,
    REJECTED,
    STATE_NAMES,
    SYSTEM,
    Breaker,
    Policy,
    Transition,
)
from otel_ebpf.model import EndpointHealth

log = logging.getLogger("otel_ebpf.breaker")

ANY_SERVICE = "*"
_UNKNOWN = "unknown"


@dataclass(slots=True)
class Decision:
    """What to do with one request.

    Attributes:
        decision: ``allowed``, ``probe`` or ``rejected`` (what the breaker decided, also in dry run).
        enforce: Answer locally with ``status``, ``headers`` and ``body`` (False in dry run).
        endpoint: The endpoint's breaker, handed back to :meth:`BreakerBoard.settle` (None: not
            tracked yet: its first failure makes it tracked, from ``key``).
        probe_round: The half-open round a probe belongs to.
    """

    decision: str
    enforce: bool = False
    status: int = 0
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    endpoint: _Endpoint | None = None
    key: tuple[str, str, str] | None = None
    probe_round: int = 0


class _Endpoint:
    __slots__ = ("key", "breaker", "requests", "transitions")

    def __init__(self, key: tuple[str, str, str], breaker: Breaker) -> None:
        self.key = key
        self.breaker = breaker
        self.requests = dict.fromkeys(DECISIONS, 0)
        self.transitions = 0


def policy_from(config: Mapping, entry: Mapping | None = None, probe_timeout_s: float | None = None) -> Policy:
    """The :class:`Policy` of the resolved settings, with a route entry's overrides.

    ``probe_timeout_s``: how long a probe may take (the proxy's response timeout); None: the
    open interval, at least 10 s."""

    def value(key: str):
        if entry is not None and entry.get(key) is not None:
            return entry[key]
        return config[key]

    return Policy(
        open_on=value("open_on"),
        open_below=value("open_below"),
        failures=value("failures"),
        open_interval_s=value("open_interval"),
        max_open_interval_s=max(value("max_open_interval"), value("open_interval")),
        probes=value("probes"),
        status_code=value("status_code"),
        hysteresis_s=value("hysteresis"),
        never=bool(entry and entry.get("never")),
        probe_timeout_s=probe_timeout_s if probe_timeout_s is not None else max(value("open_interval"), 10.0),
    )


class BreakerBoard:
    """The breakers of every endpoint seen (thread-safe).

    Args:
        config: The resolved ``circuit_breaker`` settings (:data:`~otel_ebpf.breaker.config.BREAKER_SCHEMA`).
        clock: Monotonic seconds. wall_ns: Wall-clock ns (health records use it). Both injectable.
    """

    def __init__(
        self,
        config: Mapping,
        clock: Callable[[], float] = time.monotonic,
        wall_ns: Callable[[], int] = time.time_ns,
        probe_timeout_s: float | None = None,
    ) -> None:
        self.config = config
        self._probe_timeout_s = probe_timeout_s
        self.dry_run: bool = config["dry_run"]
        self.max_endpoints: int = config["max_endpoints"]
        self._default = policy_from(config, probe_timeout_s=probe_timeout_s)
        self._routes = list(config["routes"])
        self._clock = clock
        self._wall_ns = wall_ns
        self._lock = threading.Lock()
        self._endpoints: dict[tuple[str, str, str], _Endpoint] = {}
        self.transitions: deque[dict] = deque(maxlen=200)
        self.endpoints_overflow = 0
        self.evicted = 0
        self.untracked = 0  # requests allowed to endpoints not on the board
        self.health_stale = False  # the last observe_health() had no data: failing open
        self.health_stale_since: float | None = None
        # Endpoints not closed, or counting failures: a good outcome matters to them only.
        self._attention: set[tuple[str, str, str]] = set()
        self._services: dict[tuple[str, str], list[str]] = {}  # (route, method) -> services, for service_of()

    # ------------------------------------------------------------------ requests

    def admit(self, service: str, route: str, method: str) -> Decision:
        """Decides one request of the endpoint (service, route, method).

        An endpoint is tracked once the health data names it or it failed: a request to any other
        path (a scanner's) passes without taking a place on the board."""
        key = (service, route, method)
        with self._lock:
            endpoint = self._endpoints.get(key)
            if endpoint is None:
                self.untracked += 1
                return Decision(ALLOWED, key=key)
            breaker = endpoint.breaker
            if breaker.state == CLOSED:  # the common case, kept short
                endpoint.requests[ALLOWED] += 1
                return Decision(ALLOWED, endpoint=endpoint)
            now = self._clock()
            decision, transition = breaker.admit(now)
            endpoint.requests[decision] += 1
            if transition is not None:
                self._record(endpoint, transition)
            if decision == PROBE:
                return Decision(PROBE, endpoint=endpoint, probe_round=breaker.round)
            if decision != REJECTED:
                return Decision(decision, endpoint=endpoint)
            if self.dry_run:
                return Decision(REJECTED, endpoint=endpoint)
            retry = breaker.retry_after_s(now)
            return Decision(
                REJECTED,
                True,
                breaker.policy.status_code,
                (("Retry-After", str(retry)),),
                self._refusal(endpoint.key, breaker, retry),
                endpoint,
            )

    def settle(self, decision: Decision, kind: int, why: str = "") -> None:
        """Feeds the outcome (GOOD, SYSTEM or BUSINESS) of a request :meth:`admit` let through."""
        if decision.decision == REJECTED and not self.dry_run:
            return
        endpoint = decision.endpoint
        if endpoint is not None and _nothing_to_learn(endpoint.breaker, kind):
            return  # the common case, without the lock
        probe_round = decision.probe_round if decision.decision == PROBE else None
        with self._lock:
            self._feed(endpoint, decision.key, kind, probe_round, why)

    def forget(self, decision: Decision) -> None:
        """A request :meth:`admit` let through ended without an outcome (its client left): a
        probe's turn goes to another request."""
        endpoint = decision.endpoint
        if endpoint is not None and decision.decision == PROBE:
            with self._lock:
                endpoint.breaker.forget_probe(decision.probe_round)

    def outcome(self, service: str, route: str, method: str, kind: int, why: str = "") -> None:
        """Feeds an outcome seen without an admission (the agent sees the backend's answers): in
        half-open, every one counts as a probe's."""
        key = (service, route, method)
        with self._lock:
            endpoint = self._endpoints.get(key)
            self._feed(endpoint, key, kind, endpoint.breaker.round if endpoint is not None else None, why)

    def _feed(
        self, endpoint: _Endpoint | None, key: tuple | None, kind: int, probe_round: int | None, why: str
    ) -> None:
        """One outcome to its breaker (the lock held); a failure makes an untracked endpoint tracked."""
        if endpoint is None:
            if kind != SYSTEM or key is None:
                return  # untracked, and nothing worth tracking it for
            endpoint = self._endpoint(key)
            if endpoint is None:
                return
        breaker = endpoint.breaker
        if _nothing_to_learn(breaker, kind):
            return
        transition = breaker.settle(kind, probe_round, self._clock(), self._wall_ns(), why)
        if transition is not None:
            self._record(endpoint, transition)
        self._watch(endpoint)

    @property
    def attention(self) -> set[tuple[str, str, str]]:
        """The endpoints whose breaker is not closed or counts failures: their good outcomes must
        be fed too.  Read without the lock (a membership test on a set is atomic)."""
        return self._attention

    def _watch(self, endpoint: _Endpoint) -> None:
        breaker = endpoint.breaker
        if breaker.state != CLOSED or breaker.failures_in_row:
            self._attention.add(endpoint.key)
        else:
            self._attention.discard(endpoint.key)

    def service_of(self, route: str, method: str) -> str | None:
        """The service of an endpoint with this route and method (one not closed first), or None."""
        with self._lock:
            services = self._services.get((route, method))
            if not services:
                return None
            for service in services:
                if self._endpoints[(service, route, method)].breaker.state != CLOSED:
                    return service
            return services[0]

    # ------------------------------------------------------------------ health

    def observe_health(self, evaluations: Iterable[EndpointHealth] | None, service: str | None = None) -> None:
        """Feeds the health score's latest evaluation of every endpoint; None when there is none
        (the agent is down, the data is stale): then breakers the health score opened close and
        everything is forwarded until health data comes back (fail open).

        ``service``: the name this board's endpoints use for the evaluations' service
        (:data:`ANY_SERVICE`: one board for a backend whose service name is not known: the
        worst evaluation of a route and method, across services, counts).
        """
        now = self._clock()
        with self._lock:
            if evaluations is None:
                if not self.health_stale:
                    self.health_stale = True
                    self.health_stale_since = now
                    log.warning("breaker: no current health data: failing open (forwarding every request)")
                now_ns = self._wall_ns()
                for endpoint in self._endpoints.values():
                    transition = endpoint.breaker.release("health data missing or stale: failing open", now, now_ns)
                    if transition is not None:
                        self._record(endpoint, transition)
                return
            if self.health_stale:
                log.warning("breaker: health data is back after %.0f s", now - (self.health_stale_since or now))
                self.health_stale = False
                self.health_stale_since = None
            for health in _relevant(evaluations, service):
                endpoint = self._endpoint((service or health.service, health.route, health.method))
                if endpoint is None:
                    continue
                transition = endpoint.breaker.observe_health(health, now)
                if transition is not None:
                    self._record(endpoint, transition)

    # ------------------------------------------------------------------ state

    def _endpoint(self, key: tuple[str, str, str]) -> _Endpoint | None:
        """The endpoint of ``key``, tracked from now on (None: the board is full of busy ones)."""
        endpoint = self._endpoints.get(key)
        if endpoint is None:
            if len(self._endpoints) >= self.max_endpoints and not self._evict():
                self.endpoints_overflow += 1
                return None
            endpoint = self._endpoints[key] = _Endpoint(key, Breaker(self._policy_for(key)))
            self._services.setdefault(key[1:], []).append(key[0])
        return endpoint

    def _evict(self) -> bool:
        """Forgets the oldest endpoint whose breaker is closed and counts no failure (its counts
        go with it): the board stays bounded whatever services and paths come and go."""
        for key, endpoint in self._endpoints.items():
            if endpoint.breaker.state == CLOSED and key not in self._attention:
                del self._endpoints[key]
                services = self._services.get(key[1:])
                if services is not None:
                    services.remove(key[0])
                    if not services:
                        del self._services[key[1:]]
                self.evicted += 1
                return True
        return False

    def _policy_for(self, key: tuple[str, str, str]) -> Policy:
        service, route, method = key
        for entry in self._routes:
            if entry["methods"] and method not in entry["methods"]:
                continue
            if fnmatch.fnmatchcase(service, entry["service"]) and fnmatch.fnmatchcase(route, entry["match"]):
                return policy_from(self.config, entry, self._probe_timeout_s)
        return self._default

    def _refusal(self, key: tuple[str, str, str], breaker: Breaker, retry_after: int) -> bytes:
        service, route, method = key
        body = {
            "error": "circuit breaker open",
            "service.name": service,
            "http.route": route,
            "http.request.method": method,
            "state": STATE_NAMES[breaker.state],
            "reason": breaker.reason,
            "retry_after_s": retry_after,
        }
        return json.dumps(body, separators=(",", ":")).encode() + b"\n"

    def _record(self, endpoint: _Endpoint, transition: Transition) -> None:
        endpoint.transitions += 1
        self._watch(endpoint)
        service, route, method = endpoint.key
        old, new = STATE_NAMES[transition.old], STATE_NAMES[transition.new]
        record = {
            "time_unix_nano": self._wall_ns(),
            "service.name": service,
            "http.route": route,
            "http.request.method": method,
            "from": old,
            "to": new,
            "reason": transition.reason,
            "score": None if transition.score is None else round(transition.score, 2),
            "open_for_s": round(transition.open_for_s, 3),
            "dry_run": self.dry_run,
        }
        self.transitions.append(record)
        level = logging.WARNING if transition.new == OPEN else logging.INFO
        log.log(
            level,
            "breaker transition service=%s method=%s route=%s from=%s to=%s score=%s open_for_s=%s dry_run=%s "
            "reason=%s",
            json.dumps(service),
            method,
            json.dumps(route),
            old,
            new,
            record["score"],
            record["open_for_s"],
            str(self.dry_run).lower(),
            json.dumps(transition.reason),
        )

    # ------------------------------------------------------------------ output

    def rows(self) -> list[tuple[str, str, str, int, int, dict[str, int]]]:
        """``(service, route, method, state, transitions, requests by decision)`` of every endpoint."""
        with self._lock:
            return [(*ep.key, ep.breaker.state, ep.transitions, dict(ep.requests)) for ep in self._endpoints.values()]

    def snapshot(self, service: str | None = None) -> dict:
        """The JSON document of ``GET /breaker``: every endpoint's breaker and recent transitions."""
        now = self._clock()
        with self._lock:
            endpoints = []
            for ep in self._endpoints.values():
                if service is not None and ep.key[0] != service:
                    continue
                b = ep.breaker
                endpoints.append(
                    {
                        "service.name": ep.key[0],
                        "http.route": ep.key[1],
                        "http.request.method": ep.key[2],
                        "state": STATE_NAMES[b.state],
                        "reason": b.reason,
                        "retry_after_s": b.retry_after_s(now) if b.state != CLOSED else 0,
                        "never": b.policy.never,
                        "requests": dict(ep.requests),
                        "transitions": ep.transitions,
                        "suppressed_trips": b.suppressed,
                    }
                )
            transitions = [t for t in self.transitions if service is None or t["service.name"] == service]
        return {
            "dry_run": self.dry_run,
            "health_stale": self.health_stale,
            "endpoints": sorted(
                endpoints, key=lambda e: (e["service.name"], e["http.route"], e["http.request.method"])
            ),
            "transitions": transitions,
        }

    def stats(self) -> dict[str, int]:
        """Own counters: endpoints tracked, refused for the cap, breakers open now."""
        with self._lock:
            open_now = sum(1 for ep in self._endpoints.values() if ep.breaker.state != CLOSED)
            return {
                "breaker.endpoints": len(self._endpoints),
                "breaker.endpoints_overflow": self.endpoints_overflow,
                "breaker.endpoints_evicted": self.evicted,
                "breaker.untracked_requests": self.untracked,
                "breaker.open": open_now,
                "breaker.health_stale": int(self.health_stale),
            }


def _nothing_to_learn(breaker: Breaker, kind: int) -> bool:
    """A success on a closed breaker that counts no failure changes nothing."""
    return breaker.state == CLOSED and kind == GOOD and not breaker.failures_in_row


_RANK = {"critical": 3, "degraded": 2, "healthy": 1, _UNKNOWN: 0}


def _relevant(evaluations: Iterable[EndpointHealth], service: str | None) -> list[EndpointHealth]:
    """The evaluations of ``service`` (None: all); with ANY_SERVICE the worst per (route, method)."""
    if service is None:
        return list(evaluations)
    if service != ANY_SERVICE:
        return [health for health in evaluations if health.service == service]
    worst: dict[tuple[str, str], EndpointHealth] = {}
    for health in evaluations:
        key = (health.route, health.method)
        known = worst.get(key)
        if known is None or _RANK.get(health.state, 0) > _RANK.get(known.state, 0):
            worst[key] = health
    return list(worst.values())
