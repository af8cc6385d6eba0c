"""The rule: when an endpoint is degraded, and whether the network or the application explains it.

Pure functions over one endpoint's window, its baseline and the network figures of its peers,
so the rule can be read (and tested) on its own.  ``docs/decisions.md`` states it for operators.

* **degraded** (:func:`degradation`): failed requests ≥ ``error_ratio`` and ≥ ``error_factor`` ×
  the baseline's ratio; or the latency percentile ≥ ``latency_factor`` × the baseline's and at
  least ``latency_min_increase`` above it.  (The processor adds the health and SLO triggers.)
* **network evidence** (:func:`network_signals`), per peer and for all peers together:
  retransmitted/sent segments ≥ ``retransmit_ratio`` (with ≥ ``min_segments``); unanswered
  connects / attempts ≥ ``connect_failure_ratio`` (≥ ``min_connects`` attempts); mean handshake
  ≥ ``connect_latency`` (≥ ``min_connects`` handshakes); ≥ ``min_resets`` resets received on
  established connections while requests went unanswered and no connect was refused.
* **application evidence** (:func:`application_signals`): answered errors (business, 5xx) ≥
  ``error_ratio`` and ≥ ``error_factor`` × baseline; connects refused (nothing listens); the
  handler time of the servers that answered explains ≥ ``handler_share`` of the latency rise;
  for a server endpoint with HTTP calls upstream, its own time (latency minus its calls) does.
* **the endpoint's own evidence** (:func:`own_evidence`): failed requests in the window above the
  baseline's ratio (× ``error_factor``), or its latency percentile ≥ ``latency_min_increase``
  above the baseline's.  Weaker than *degraded* on purpose: it only says that something in the
  window is there to be explained.
* **verdict** (:func:`judge`): no network evidence at all → ``unknown``; network evidence only →
  ``network``; both → ``unknown``; neither, with ≥ ``min_segments`` segments seen →
  ``application`` when there is application evidence or the endpoint's own evidence (the network
  was clean, the trouble is in the requests), else ``unknown`` (nothing to attribute: a verdict
  needs evidence); fewer segments → ``unknown``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from otel_ebpf.processors.cause_attribution.flows import PeerFigures, total
from otel_ebpf.processors.cause_attribution.series import Totals

NETWORK = "network"
APPLICATION = "application"
UNKNOWN = "unknown"
VERDICTS = (NETWORK, APPLICATION, UNKNOWN)
NO_NETWORK_EVIDENCE = "no network evidence"


@dataclass(frozen=True)
class Thresholds:
    """The numbers of the rule, from the configuration."""

    min_requests: int = 20
    percentile: float = 90.0
    error_ratio: float = 0.05
    error_factor: float = 2.0
    latency_factor: float = 2.0
    latency_min_increase_s: float = 0.02
    min_segments: int = 100
    retransmit_ratio: float = 0.02
    min_connects: int = 5
    connect_failure_ratio: float = 0.05
    connect_latency_s: float = 0.2
    min_resets: int = 3
    handler_share: float = 0.5

    @classmethod
    def from_config(cls, config: Mapping) -> Thresholds:
        d, n = config["degraded"], config["network"]
        return cls(
            min_requests=config["min_requests"],
            percentile=config["latency_percentile"],
            error_ratio=d["error_ratio"],
            error_factor=d["error_factor"],
            latency_factor=d["latency_factor"],
            latency_min_increase_s=d["latency_min_increase"],
            min_segments=n["min_segments"],
            retransmit_ratio=n["retransmit_ratio"],
            min_connects=n["min_connects"],
            connect_failure_ratio=n["connect_failure_ratio"],
            connect_latency_s=n["connect_latency"],
            min_resets=n["min_resets"],
            handler_share=config["application"]["handler_share"],
        )


@dataclass
class Related:
    """Latency of related requests (the servers that answered, or the endpoint's own HTTP calls).

    Attributes:
        window_s: Their latency percentile over the window.
        baseline_s: Over the baseline.
        per_request: How many of them one request of the endpoint makes (1 for a client endpoint).
        label: What they are, for the reason.
    """

    window_s: float
    baseline_s: float
    per_request: float = 1.0
    label: str = ""

    @property
    def rise_s(self) -> float:
        return (self.window_s - self.baseline_s) * self.per_request


@dataclass
class Inputs:
    """Everything the rule looks at for one endpoint.

    Attributes:
        role: ``server`` or ``client``.
        window: The endpoint's requests over the window.
        baseline: Over the baseline; None when it has fewer than ``min_requests``.
        network: Figures per peer over the window; None when there is no network evidence.
        network_note: Why there is none (ends the ``unknown`` reason).
        handlers: The servers that answered the endpoint's calls (client endpoints) or its
            upstream calls (server endpoints), when the agent sees them and they have a baseline.
        upstream: A server endpoint's own HTTP calls, when it makes any and they have a baseline.
    """

    role: str
    window: Totals
    baseline: Totals | None
    network: list[PeerFigures] | None = None
    network_note: str = ""
    handlers: Related | None = None
    upstream: Related | None = None


@dataclass
class Verdict:
    """What the rule concluded, why, and the figures behind it."""

    verdict: str
    reason: str
    network_signals: list[str] = field(default_factory=list)
    application_signals: list[str] = field(default_factory=list)
    figures: dict[str, float] = field(default_factory=dict)


def pct(ratio: float) -> str:
    return f"{100 * ratio:.1f}%"


def ms(seconds: float | None) -> str:
    return "?" if seconds is None else f"{1000 * seconds:.1f} ms"


def degradation(window: Totals, baseline: Totals | None, t: Thresholds) -> list[str]:
    """Why the endpoint's own requests say it is degraded (empty: they do not)."""
    if window.requests < t.min_requests:
        return []
    out = []
    ratio = window.error_ratio
    base = baseline.error_ratio if baseline else 0.0
    if ratio > 0 and ratio >= t.error_ratio and ratio >= t.error_factor * base:
        out.append(f"errors {pct(ratio)} of {window.requests} requests (baseline {pct(base)})")
    if baseline:
        p, pb = window.percentile(t.percentile), baseline.percentile(t.percentile)
        if p is not None and pb is not None and p >= t.latency_factor * pb and p - pb >= t.latency_min_increase_s:
            out.append(f"p{t.percentile:g} {ms(p)} (baseline {ms(pb)})")
    return out


def own_evidence(window: Totals, baseline: Totals | None, t: Thresholds) -> list[str]:
    """What the endpoint's own requests show in the window, however little (empty: nothing).

    Failures above the baseline's ratio (× ``error_factor``; any failure without a baseline), or
    the latency percentile at least ``latency_min_increase`` above the baseline's.  A
    ``health_score`` state held by hysteresis, or an SLO burn over minutes, may still say
    "degraded" when the window shows neither: then the cause is gone, and there is nothing for
    a verdict to explain.
    """
    out = []
    ratio = window.error_ratio
    base = baseline.error_ratio if baseline else 0.0
    if ratio > 0 and ratio >= t.error_factor * base:
        out.append(f"failures {pct(ratio)} of {window.requests} requests (baseline {pct(base)})")
    if baseline:
        p, pb = window.percentile(t.percentile), baseline.percentile(t.percentile)
        if p is not None and pb is not None and p - pb >= t.latency_min_increase_s:
            out.append(f"p{t.percentile:g} {ms(p)} (baseline {ms(pb)})")
    return out


def _worst(groups: list[PeerFigures], qualifies, measure) -> PeerFigures | None:
    """The highest ``measure`` among the peers that have the volume and all peers together (if it has).

    All peers together catches a lossy peer too small to be judged alone next to a busy clean one.
    """
    candidates = [g for g in groups if qualifies(g)]
    if len(groups) > 1:
        together = total(groups)
        if qualifies(together):
            candidates.append(together)
    return max(candidates, key=measure) if candidates else None


def network_signals(groups: list[PeerFigures], window: Totals, t: Thresholds) -> list[str]:
    """The network's part: each item names a peer and its figures."""
    out = []
    g = _worst(groups, lambda g: g.segments >= t.min_segments, lambda g: g.retransmit_ratio)
    if g is not None and g.retransmits and g.retransmit_ratio >= t.retransmit_ratio:
        out.append(f"retransmits {pct(g.retransmit_ratio)} of {g.segments_sent} segments sent to {g.label}")
    g = _worst(groups, lambda g: g.attempts >= t.min_connects, lambda g: g.unanswered_connects / g.attempts)
    if g is not None and g.unanswered_connects and g.unanswered_connects / g.attempts >= t.connect_failure_ratio:
        out.append(f"{g.unanswered_connects} of {g.attempts} connects to {g.label} unanswered")
    g = _worst(groups, lambda g: g.connect_latency_count >= t.min_connects, lambda g: g.connect_latency_s or 0.0)
    if g is not None and (g.connect_latency_s or 0.0) >= t.connect_latency_s:
        out.append(f"handshakes with {g.label} take {ms(g.connect_latency_s)} on average")
    refused = sum(g.refused for g in groups)
    if window.unanswered and not refused:
        g = _worst(groups, lambda g: g.established_resets >= t.min_resets, lambda g: g.established_resets)
        if g is not None:
            out.append(
                f"{g.established_resets} resets received from {g.label} while {window.unanswered} requests "
                "went unanswered"
            )
    return out


def application_signals(inp: Inputs, t: Thresholds) -> list[str]:
    """The application's part: failures it answered, refusals, handler time."""
    out = []
    w, b = inp.window, inp.baseline
    ratio, base = w.answered_ratio, (b.answered_ratio if b else 0.0)
    if w.requests >= t.min_requests and ratio > 0 and ratio >= t.error_ratio and ratio >= t.error_factor * base:
        out.append(f"answered errors (business, 5xx) {pct(ratio)} (baseline {pct(base)})")
    refused = [g for g in inp.network or () if g.refused]
    if refused:
        n = sum(g.refused for g in refused)
        out.append(f"{n} connects refused by {', '.join(g.label for g in refused[:3])}: nothing listening")
    rise = latency_rise(inp, t.percentile)
    if rise is not None and rise >= t.latency_min_increase_s:
        h = inp.handlers
        if h is not None and h.rise_s >= t.handler_share * rise:
            out.append(
                f"handler p{t.percentile:g} of {h.label} rose {ms(h.baseline_s)} -> {ms(h.window_s)} "
                f"({pct(min(1.0, h.rise_s / rise))} of the endpoint's +{ms(rise)})"
            )
        u = inp.upstream
        if u is not None and rise - u.rise_s >= t.handler_share * rise:
            out.append(
                f"own handler time: +{ms(rise - u.rise_s)} of the p{t.percentile:g}'s +{ms(rise)} "
                f"(its HTTP calls {ms(u.baseline_s)} -> {ms(u.window_s)})"
            )
    return out


def latency_rise(inp: Inputs, q: float) -> float | None:
    """The endpoint's latency percentile over the window minus the baseline's (None without a baseline).

    Percentiles, not means: a lost segment delays a request by a retransmission timeout (200 ms
    or more), so loss moves the caller's tail far more than its mean, while the server that
    answers sees only the segments lost *inside* a request (a body sent after its headers), in
    fewer requests.  Comparing the same percentile on both sides keeps that difference.
    """
    if inp.baseline is None:
        return None
    w, b = inp.window.percentile(q), inp.baseline.percentile(q)
    return None if w is None or b is None else w - b


def _handler_note(inp: Inputs, t: Thresholds) -> str:
    h = inp.handlers
    if h is None:
        return ""
    return f"handler p{t.percentile:g} of {h.label} {ms(h.baseline_s)} -> {ms(h.window_s)}"


def figures(inp: Inputs, t: Thresholds) -> dict[str, float]:
    """The numbers exported next to the verdict (see the processor's metrics)."""
    w, b = inp.window, inp.baseline
    out: dict[str, float] = {"requests": w.requests, "error_ratio": w.error_ratio}
    if b is not None:
        out["baseline.error_ratio"] = b.error_ratio
    p = w.percentile(t.percentile)
    if p is not None:
        out["latency"] = p
    if b is not None and b.percentile(t.percentile) is not None:
        out["baseline.latency"] = b.percentile(t.percentile)
    if inp.handlers is not None:
        out["handler.latency"] = inp.handlers.window_s
        out["baseline.handler.latency"] = inp.handlers.baseline_s
    if inp.network is not None:
        groups = inp.network
        together = total(groups)
        worst = _worst(groups, lambda g: g.segments >= t.min_segments, lambda g: g.retransmit_ratio) or together
        out["network.segments"] = together.segments
        out["network.retransmits"] = together.retransmits
        out["network.retransmit_ratio"] = worst.retransmit_ratio
        out["network.connect.failures.refused"] = together.refused
        out["network.connect.failures.timeout"] = together.timeouts
        out["network.connect.failures.aborted"] = together.aborted
        if together.connect_latency_s is not None:
            out["network.connect.duration"] = together.connect_latency_s
        out["network.resets"] = together.established_resets
    return out


def judge(inp: Inputs, t: Thresholds) -> Verdict:
    """The verdict for a degraded endpoint."""
    app = application_signals(inp, t)
    numbers = figures(inp, t)
    if inp.network is None:
        reason = NO_NETWORK_EVIDENCE + (f" ({inp.network_note})" if inp.network_note else "")
        return Verdict(UNKNOWN, reason, [], app, numbers)
    net = network_signals(inp.network, inp.window, t)
    if net and app:
        reason = "network and application evidence: " + "; ".join(net + app)
        return Verdict(UNKNOWN, reason, net, app, numbers)
    if net:
        note = _handler_note(inp, t)
        return Verdict(NETWORK, "; ".join(net + ([note + " (not the application)"] if note else [])), net, app, numbers)
    together = total(inp.network)
    if together.segments < t.min_segments:
        reason = (
            f"too little network evidence ({together.segments} segments with the endpoint's peers, "
            f"{t.min_segments} needed to call it clean)"
        )
        return Verdict(UNKNOWN, reason, net, app, numbers)
    clean = (
        f"clean network ({pct(together.retransmit_ratio)} retransmits of {together.segments_sent} segments sent, "
        f"{together.unanswered_connects} unanswered connects)"
    )
    # A clean network does not make the application guilty by default: it needs evidence.
    evidence = app or own_evidence(inp.window, inp.baseline, t)
    if not evidence:
        reason = f"no application evidence (no failures above the baseline, no latency rise) on a {clean}"
        return Verdict(UNKNOWN, reason, net, app, numbers)
    return Verdict(APPLICATION, "; ".join(evidence + [clean]), net, evidence, numbers)
