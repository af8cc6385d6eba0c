"""One endpoint's circuit breaker: closed, open or half-open, and why.

* **closed**: every request passes.  It opens when the health score says the endpoint is
  ``degraded`` (or ``critical``, per ``open_on``), or after ``failures`` consecutive failures
  seen directly (a 5xx, no response, a timeout).
* **open**: requests are answered without the backend, with ``Retry-After``.  After the open
  interval it turns half-open.  The interval doubles on every failed probe round and on a trip
  soon after the last close (``open_interval`` · 2^streak, capped by ``max_open_interval``).
* **half-open**: ``probes`` requests pass, the rest are still refused.  Every probe succeeding
  closes it; one failing reopens it.  A probe is judged by what the backend answered, silent
  failures included (the proxy classifies its body; the agent has its verdict).

The health state is a level, held by its own hysteresis, and it still says ``degraded`` long
after probes found the backend well again (the window of the score keeps the failures, and
while the breaker was open too few requests reached the backend to score).  So a breaker acts
on a health episode (a state entered at ``state_since_ns``) once; the same episode trips it again
only on fresh evidence: a score below the threshold computed from requests that all came after
the breaker closed.  And a health-driven trip comes at most once per ``hysteresis`` period, so a
flapping score cannot make a storm of transitions.

Times are monotonic seconds (``now``), except the health records' wall-clock ns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from otel_ebpf.model import EndpointHealth
from otel_ebpf.telemetry.outcome import BUSINESS, GOOD, SYSTEM

__all__ = ["BUSINESS", "GOOD", "SYSTEM", "Breaker", "Policy", "Transition", "breaker_kind", "silent_failure"]

CLOSED = 0
HALF_OPEN = 1
OPEN = 2
STATE_NAMES = ("closed", "half_open", "open")

ALLOWED = "allowed"
REJECTED = "rejected"
PROBE = "probe"
DECISIONS = (ALLOWED, REJECTED, PROBE)

# What a request's outcome means for its endpoint: health_score's three (telemetry/outcome.py).
# SYSTEM (5xx, no response, timeout) counts towards `failures`; BUSINESS (a silent failure) fails
# a probe without counting towards them.


def silent_failure(status: int | None, error_type: str | None) -> str:
    """How a transition names a failure the semantic error rules found: ``200 silent failure: payment``."""
    return f"{status} silent failure" + (f": {error_type}" if error_type else "")


def breaker_kind(kind: int, status: int | None) -> int:
    """What an outcome means for a breaker: a business error answered 4xx (a wrong password, an
    unknown item) is the client's, and normal traffic: it must not fail a probe.  A silent
    failure (2xx/3xx) or a 429 (the backend sheds load) does."""
    if kind == BUSINESS and status is not None and 400 <= status < 500 and status != 429:
        return GOOD
    return kind


_BAD_STATES = {"degraded": ("degraded", "critical"), "critical": ("critical",)}


@dataclass(frozen=True, slots=True)
class Policy:
    """The resolved settings of one endpoint's breaker (see :mod:`otel_ebpf.breaker.config`)."""

    open_on: str = "degraded"
    open_below: float | None = None  # a score threshold instead of the state (None: open_on)
    failures: int = 5
    open_interval_s: float = 5.0
    max_open_interval_s: float = 60.0
    probes: int = 3
    status_code: int = 503
    hysteresis_s: float = 60.0
    never: bool = False
    # Half-open this long without every probe's outcome: a new round of probes (a probe whose
    # answer never came must not hold the breaker half-open for ever).  The proxy makes it its
    # response timeout: a probe still waiting for the backend is not given up on earlier.
    probe_timeout_s: float = 10.0


@dataclass(frozen=True, slots=True)
class Transition:
    old: int
    new: int
    reason: str
    score: float | None
    open_for_s: float


class Breaker:
    """The state machine of one endpoint (not thread-safe: the board holds the lock)."""

    __slots__ = (
        "policy",
        "state",
        "reason",
        "by_health",
        "score",
        "opened_at",
        "open_for_s",
        "streak",
        "failures_in_row",
        "probes_sent",
        "probes_ok",
        "round",
        "half_open_at",
        "last_trip_at",
        "closed_at",
        "closed_at_ns",
        "tripped_episode",
        "suppressed",
    )

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.state = CLOSED
        self.reason = ""
        self.by_health = False  # the current trip came from the health score (fail-open releases it)
        self.score: float | None = None  # the score behind the last health-driven decision
        self.opened_at = 0.0
        self.open_for_s = 0.0
        self.streak = 0  # opens since the breaker last stayed closed a hysteresis period
        self.failures_in_row = 0
        self.probes_sent = 0
        self.probes_ok = 0
        self.round = 0  # half-open rounds so far: a probe's outcome counts in its own round only
        self.half_open_at = 0.0
        self.last_trip_at: float | None = None
        self.closed_at: float | None = None
        self.closed_at_ns = 0
        self.tripped_episode: int | None = None
        self.suppressed = 0  # health-driven trips held back by the hysteresis period

    # ------------------------------------------------------------------ requests

    def admit(self, now: float) -> tuple[str, Transition | None]:
        """The decision for one request (``allowed``, ``probe`` or ``rejected``) and the
        transition it caused (open -> half-open), if any."""
        state = self.state
        if state == CLOSED:
            return ALLOWED, None
        transition = None
        if state == OPEN:
            if now < self.opened_at + self.open_for_s:
                return REJECTED, None
            transition = self._move(HALF_OPEN, "open interval over: probing", now)
            self._new_round(now)
        elif now - self.half_open_at > self.policy.probe_timeout_s:
            self._new_round(now)  # the probes' outcomes never came: try again
        if self.probes_sent < self.policy.probes:
            self.probes_sent += 1
            return PROBE, transition
        return REJECTED, transition

    def _new_round(self, now: float) -> None:
        self.half_open_at = now
        self.probes_sent = self.probes_ok = 0
        self.round += 1

    def retry_after_s(self, now: float) -> int:
        """Whole seconds a rejected client should wait (at least 1)."""
        if self.state == OPEN:
            return max(1, math.ceil(self.opened_at + self.open_for_s - now))
        return 1  # half-open: the probes' answers are due any moment

    def settle(self, kind: int, probe_round: int | None, now: float, now_ns: int, why: str = "") -> Transition | None:
        """Feeds one request's outcome (GOOD, SYSTEM or BUSINESS); ``probe_round``: the half-open
        round that let it through as a probe (None: not a probe; ``self.round``: any).  Returns the
        transition it caused, if any."""
        if self.policy.never:
            return None
        state = self.state
        if state == HALF_OPEN:
            if probe_round != self.round:
                return None  # admitted before the trip, or a probe of an earlier round, answered late
            if kind == GOOD:
                self.probes_ok += 1
                if self.probes_ok >= self.policy.probes:
                    self.failures_in_row = 0
                    return self._close(f"{self.probes_ok} probes succeeded", now, now_ns)
                return None
            return self._open(f"probe failed ({why or _KIND_NAMES[kind]})", now, by_health=self.by_health)
        if state == CLOSED:
            if kind == SYSTEM:
                self.failures_in_row += 1
                if self.policy.failures and self.failures_in_row >= self.policy.failures:
                    reason = f"{self.failures_in_row} consecutive failures ({why or 'server error'})"
                    self.failures_in_row = 0
                    return self._trip(reason, now, by_health=False)
            else:
                self.failures_in_row = 0
        return None  # open: a request admitted before the trip, answered late

    def forget_probe(self, probe_round: int) -> None:
        """A probe of ``probe_round`` ended without an outcome: another request may take its turn."""
        if self.state == HALF_OPEN and probe_round == self.round and self.probes_sent > self.probes_ok:
            self.probes_sent -= 1

    # ------------------------------------------------------------------ health

    def observe_health(self, health: EndpointHealth, now: float) -> Transition | None:
        """Feeds the endpoint's latest health evaluation; returns the trip it caused, if any."""
        if self.state != CLOSED or self.policy.never:
            return None
        policy = self.policy
        if policy.open_below is None:
            threshold = health.critical_below if policy.open_on == "critical" else health.degraded_below
            if health.state not in _BAD_STATES[policy.open_on]:
                return None
            episode = health.state_since_ns
        else:  # a score threshold: one long episode, every trip after the first on fresh evidence
            threshold = policy.open_below
            if health.score is None or health.score >= threshold:
                return None
            episode = 0
        if episode == self.tripped_episode:
            # This episode already tripped it and probes closed it since: trip again only on a
            # score made of requests that all came after the close.
            fresh = health.window_start_ns >= self.closed_at_ns
            if not fresh or health.score is None or health.score >= threshold:
                return None
        if self.last_trip_at is not None and now - self.last_trip_at < policy.hysteresis_s:
            self.suppressed += 1
            return None
        self.tripped_episode = episode
        self.score = health.score
        score = "no score" if health.score is None else f"score {health.score:.1f}"
        return self._trip(f"health {health.state} ({score}, {health.requests} requests)", now, by_health=True)

    def release(self, reason: str, now: float, now_ns: int) -> Transition | None:
        """Closes a breaker the health score opened (its data went missing: fail open)."""
        if self.state == CLOSED or not self.by_health:
            return None
        return self._close(reason, now, now_ns)

    # ------------------------------------------------------------------ moves

    def _trip(self, reason: str, now: float, by_health: bool) -> Transition:
        if self.closed_at is not None and now - self.closed_at >= self.policy.hysteresis_s:
            self.streak = 0  # it stayed closed long enough: start the backoff over
        self.last_trip_at = now
        return self._open(reason, now, by_health)

    def _open(self, reason: str, now: float, by_health: bool) -> Transition:
        policy = self.policy
        self.open_for_s = min(policy.open_interval_s * (2**self.streak), policy.max_open_interval_s)
        self.streak = min(self.streak + 1, 32)
        self.opened_at = now
        self.by_health = by_health
        self.probes_sent = self.probes_ok = 0
        return self._move(OPEN, reason, now)

    def _close(self, reason: str, now: float, now_ns: int) -> Transition:
        self.closed_at = now
        self.closed_at_ns = now_ns
        self.by_health = False
        return self._move(CLOSED, reason, now)

    def _move(self, new: int, reason: str, now: float) -> Transition:
        old, self.state, self.reason = self.state, new, reason
        return Transition(old, new, reason, self.score, self.open_for_s if new == OPEN else 0.0)


_KIND_NAMES = {GOOD: "ok", SYSTEM: "server error", BUSINESS: "silent failure"}
