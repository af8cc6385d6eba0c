"""Configuration of ``processors: cause_attribution:`` (a declarative schema, defaults documented here).

The defaults are chosen so that:

* an endpoint is *degraded* when at least 5% of its requests fail and that is at least twice
  its baseline ratio, or when its p90 latency doubled and grew by at least 20 ms (a 1 ms
  endpoint going to 3 ms is not news);
* the network is *to blame* when a peer loses at least 2% of what the process sends (RFC 6349
  calls 1% bad for TCP; a healthy LAN or data centre link retransmits well under 0.1%), when 5%
  of connection attempts go unanswered, when handshakes take 200 ms on average (a lost SYN
  costs 1 s), or when connections are reset under the requests;
* the network is *clean* only with enough traffic to say so: 100 segments in the window.
"""

from __future__ import annotations

from otel_ebpf.config.checks import check_listen_endpoint
from otel_ebpf.config.schema import Bool, Duration, Int, Number, Section, Str


def _check(config: dict) -> list[tuple[str, str]]:
    if config.get("window", 0) < config.get("interval", 0):
        return [("window", "must be at least one interval")]
    if config.get("baseline", 0) < config.get("interval", 0):
        return [("baseline", "must be at least one interval")]
    return []


# The path its JSON answers on, under the status endpoint.
STATUS_PATH = "/cause"

CAUSE_ATTRIBUTION_SCHEMA = Section(
    {
        # How often endpoints are judged (and the TCP flow map is read).
        "interval": Duration("10s", min=0.05, max=3600),
        # Requests and network evidence in this trailing window are compared (whole intervals; rounded).
        "window": Duration("20s", min=0.05, max=3600),
        # How much history, taken while the endpoint was not degraded, makes its "normal".
        "baseline": Duration("5m", min=0.05, max=86400),
        # A verdict stays until the endpoint has not been degraded for this long (no flapping around a threshold).
        "clear_after": Duration("30s", min=0.0, max=86400),
        # A degradation lasting this long becomes the new normal (the baseline is learnt again); 0: never.
        "relearn_after": Duration("30m", min=0.0, max=7 * 86400),
        # Below this many requests in the window (or in the baseline) an endpoint is not judged on them.
        "min_requests": Int(20, min=1),
        # The latency percentile compared with the baseline.
        "latency_percentile": Number(90.0, min=50.0, max=100.0),
        # When an endpoint is degraded (any one suffices).
        "degraded": {
            # Failed requests (answered errors and requests without answer) / requests, at least this ...
            "error_ratio": Number(0.05, min=0.0, max=1.0),
            # ... and at least this many times the baseline's ratio.
            "error_factor": Number(2.0, min=1.0),
            # The window's latency percentile at least this many times the baseline's ...
            "latency_factor": Number(2.0, min=1.0),
            # ... and at least this much above it.
            "latency_min_increase": Duration("20ms", min=0.0),
            # The health_score processor of the same pipeline says degraded or critical.
            "health": Bool(True),
            # An slo objective covering the endpoint burns its budget this fast over its shortest
            # window (5m with the default alerts); 0: ignore SLOs.
            "slo_burn_rate": Number(6.0, min=0.0),
        },
        # Network evidence over the same window, per peer (address, server port, direction).
        "network": {
            # Segments sent + received with the endpoint's peers: less, and the network is not judged clean;
            # a peer is judged on retransmits only with at least this many.
            "min_segments": Int(100, min=1),
            # Retransmitted / sent segments at or above this blame the network.
            "retransmit_ratio": Number(0.02, min=0.0, max=1.0),
            # Connection attempts (or handshakes) needed before connects are judged.
            "min_connects": Int(5, min=1),
            # Unanswered connects (SYN timed out, or given up by the caller) / attempts at or above this.
            "connect_failure_ratio": Number(0.05, min=0.0, max=1.0),
            # Mean handshake duration at or above this.
            "connect_latency": Duration("200ms", min=0.0),
            # Resets received on established connections (not refusals), while requests went unanswered.
            "min_resets": Int(3, min=1),
        },
        "application": {
            # The servers that answered (as the agent sees them) got slower by at least this share of
            # the endpoint's own latency increase: their handler time explains it.  For a server
            # endpoint with HTTP calls upstream: its own time (latency minus its calls) explains at
            # least this share.
            "handler_share": Number(0.5, min=0.0, max=1.0),
        },
        # Endpoints (service, route, role) tracked at once; more are counted, not judged.
        "max_endpoints": Int(10000, min=1),
        # Idle endpoints are forgotten after this long without requests.
        "expire_after": Duration("10m", min=0.0),
        # host:port of the JSON status endpoint (GET /cause), shared with health_score/slo when equal; empty: off.
        "endpoint": Str("127.0.0.1:13134", check=check_listen_endpoint, allow_empty=True),
    },
    check=_check,
)
