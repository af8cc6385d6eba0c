"""TCP flow observability against real kernels and real faults (network namespaces + nftables).

No mocks: every test loads bpf/tcp_flows.c, makes real connections between two namespaces
joined by a veth pair, injects faults with nftables, and compares what the receiver exports
with what the test did and with the kernel's own counters.  Figures are printed (pytest -s).
"""

from __future__ import annotations

import os
import socket
import struct
import threading
import time
import uuid

import pytest

from otel_ebpf.kernel.bpf import map_exists, map_info, map_items
from otel_ebpf.receivers.tcp_flows import layout
from otel_ebpf.receivers.tcp_flows.loader import attached_programs, remove_pins
from otel_ebpf.receivers.tcp_flows.receiver import TcpFlowReceiver
from tests.harness import require_bpf
from tests.netns import NetPair

pytestmark = pytest.mark.bpf


def _value(kv) -> object:
    v = kv.value
    return getattr(v, v.WhichOneof("value"))


def points(resource_metrics) -> list[dict]:
    """Flattened data points: {name, attrs, value (int/float or histogram point), resource}."""
    out = []
    for rm in resource_metrics:
        resource = {kv.key: _value(kv) for kv in rm.resource.attributes}
        for sm in rm.scope_metrics:
            for m in sm.metrics:
                kind = m.WhichOneof("data")
                for dp in getattr(m, kind).data_points:
                    attrs = {kv.key: _value(kv) for kv in dp.attributes}
                    if kind == "histogram":
                        value = dp
                    else:
                        value = dp.as_int if dp.WhichOneof("value") == "as_int" else dp.as_double
                    out.append(
                        {
                            "name": m.name,
                            "attrs": attrs,
                            "value": value,
                            "resource": resource,
                            "unit": m.unit,
                            "point_start": getattr(dp, "start_time_unix_nano", 0),
                        }
                    )
    return out


def total(pts: list[dict], name: str, **attrs) -> int | float:
    """Sum of the data points of `name` whose attributes include `attrs` (dots spelled as __)."""
    want = {k.replace("__", "."): v for k, v in attrs.items()}
    return sum(p["value"] for p in pts if p["name"] == name and all(p["attrs"].get(k) == v for k, v in want.items()))


@pytest.fixture
def receiver():
    require_bpf()
    r = TcpFlowReceiver({"pin": False, "idle_timeout": 3600}, resolver=None)
    r.start()
    yield r
    r.shutdown()


@pytest.fixture
def net():
    require_bpf()
    with NetPair() as pair:
        yield pair


def serve(net: NetPair, side: str, family=socket.AF_INET, handler=None) -> tuple[socket.socket, int]:
    """A listener in `side` whose accepted connections run `handler(conn)` (default: read all) in threads."""
    host = net.addr4[side] if family == socket.AF_INET else "::"
    with net.inside(side):
        ls = socket.socket(family, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((host, 0))
        ls.listen(4096)

    def read_all(conn: socket.socket) -> None:
        with conn:
            while conn.recv(1 << 16):
                pass

    def loop() -> None:
        while True:
            try:
                conn, _ = ls.accept()
            except OSError:
                return
            threading.Thread(target=handler or read_all, args=(conn,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    return ls, ls.getsockname()[1]


def connect(net: NetPair, side: str, address: tuple, family=socket.AF_INET, timeout=30.0) -> socket.socket:
    with net.inside(side):
        s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(address)
    return s


# --- 1. retransmits match the kernel's own count under 20% loss --------------------------------


def test_retransmits_match_kernel_count_under_loss(receiver, net):
    ls, port = serve(net, "b")
    net.nft("b", f"add rule inet t input tcp dport {port} numgen random mod 100 < 20 drop")
    before = net.snmp("a")["RetransSegs"]
    ext_before = net.netstat("a")
    payload = os.urandom(4096)
    sent = 0
    c = connect(net, "a", (net.addr4["b"], port))
    deadline = time.monotonic() + 6
    while time.monotonic() < deadline:
        c.sendall(payload)
        sent += len(payload)
    c.shutdown(socket.SHUT_WR)
    c.settimeout(60)
    c.recv(1)  # the server closes when it has read everything: every retransmission is done
    c.close()
    ls.close()
    time.sleep(0.2)
    kernel = net.snmp("a")["RetransSegs"] - before
    ext = {k: v - ext_before[k] for k, v in net.netstat("a").items() if "Probe" in k or "Retrans" in k}
    pts = points(receiver.collect())
    exported = total(
        pts,
        "otel_ebpf.tcp.retransmits",
        network__peer__address=net.addr4["b"],
        server__port=port,
        otel_ebpf__tcp__direction="client",
    )
    error = abs(exported - kernel) / max(1, kernel)
    missed = {
        attrs[0][1]: n for (name, attrs), n in receiver.counters().items() if name == "otel_ebpf.tcp.events.missed"
    }
    print(
        f"\n[1] 20% loss, {sent} bytes: exported retransmits {exported}, kernel RetransSegs delta {kernel}, "
        f"error {error:.2%}; TcpExt deltas {ext}; runs the kernel skipped {missed}"
    )
    # Every program's skipped runs are exported (raw tracepoints: only self-interruptions).
    assert set(missed) == {tracepoint for tracepoint, _ in attached_programs().values()}
    assert kernel > 50
    assert error <= 0.05


# --- 2. resets on the right side with the right reason ------------------------------------------


def test_refused_connection(receiver, net):
    # Nothing listens there in the fresh namespace, and no other test's flow uses it (theirs are
    # ephemeral, from 32768): the same port every run, no unseeded random.
    closed_port = 29_999
    with pytest.raises(ConnectionRefusedError):
        connect(net, "a", (net.addr4["b"], closed_port))
    time.sleep(0.1)
    pts = points(receiver.collect())
    flow = {"server__port": closed_port}
    refused = total(
        pts,
        "otel_ebpf.tcp.connection.failures",
        otel_ebpf__tcp__failure__reason="refused",
        otel_ebpf__tcp__direction="client",
        network__peer__address=net.addr4["b"],
        **flow,
    )
    received = total(
        pts, "otel_ebpf.tcp.resets", network__io__direction="receive", otel_ebpf__tcp__direction="client", **flow
    )
    # The refusing side has no socket: the kernel's reset is counted for the server port, owner unknown.
    sent = total(
        pts,
        "otel_ebpf.tcp.resets",
        network__io__direction="transmit",
        otel_ebpf__tcp__direction="server",
        network__peer__address=net.addr4["a"],
        **flow,
    )
    print(
        f"\n[2a] refused connect: client failures{{refused}}={refused} resets received={received}; "
        f"server-side resets sent={sent}"
    )
    assert (refused, received, sent) == (1, 1, 1)


def test_reset_mid_stream_by_abortive_close(receiver, net):
    accepted: list[socket.socket] = []
    ls, port = serve(net, "b", handler=accepted.append)
    c = connect(net, "a", (net.addr4["b"], port))
    c.sendall(b"hello")
    deadline = time.monotonic() + 5
    while not accepted and time.monotonic() < deadline:
        time.sleep(0.01)
    server_side = accepted[0]
    server_side.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    server_side.close()  # RST instead of FIN
    with pytest.raises(ConnectionResetError):
        for _ in range(100):
            c.sendall(b"x")
            c.recv(1)
    c.close()
    ls.close()
    time.sleep(0.1)
    pts = points(receiver.collect())
    server = {"server__port": port, "otel_ebpf__tcp__direction": "server"}
    client = {"server__port": port, "otel_ebpf__tcp__direction": "client"}
    got = {
        "server resets sent": total(pts, "otel_ebpf.tcp.resets", network__io__direction="transmit", **server),
        "server closes reset_sent": total(
            pts, "otel_ebpf.tcp.connection.closes", otel_ebpf__tcp__close__reason="reset_sent", **server
        ),
        "client resets received": total(pts, "otel_ebpf.tcp.resets", network__io__direction="receive", **client),
        "client closes reset_received": total(
            pts, "otel_ebpf.tcp.connection.closes", otel_ebpf__tcp__close__reason="reset_received", **client
        ),
        "client resets sent": total(pts, "otel_ebpf.tcp.resets", network__io__direction="transmit", **client),
    }
    print(f"\n[2b] abortive close: {got}")
    assert got == {
        "server resets sent": 1,
        "server closes reset_sent": 1,
        "client resets received": 1,
        "client closes reset_received": 1,
        "client resets sent": 0,
    }


def test_reset_injected_by_firewall_mid_stream(receiver, net):
    ls, port = serve(net, "b")
    c = connect(net, "a", (net.addr4["b"], port))
    c.sendall(b"before")
    time.sleep(0.1)
    net.nft("b", f"add rule inet t input tcp dport {port} reject with tcp reset")
    with pytest.raises(ConnectionResetError):
        for _ in range(100):
            c.sendall(b"x" * 100)
            time.sleep(0.01)
    c.close()
    ls.close()
    time.sleep(0.1)
    pts = points(receiver.collect())
    client = {"server__port": port, "otel_ebpf__tcp__direction": "client"}
    closes = total(pts, "otel_ebpf.tcp.connection.closes", otel_ebpf__tcp__close__reason="reset_received", **client)
    received = total(pts, "otel_ebpf.tcp.resets", network__io__direction="receive", **client)
    print(f"\n[2c] nft reject mid-stream: client closes{{reset_received}}={closes} resets received={received}")
    assert closes == 1 and received == 1


# --- 3. connect latency with a dropped SYN; connect timeout --------------------------------------


def connect_through_fault(net: NetPair, port: int, side: str, rule: str, lift_after_s: float) -> float:
    """Connects from a to b:port while `rule` filters `side`'s input, lifted after `lift_after_s`;
    returns the client's measured connect time (the connection is closed)."""
    net.nft(side, rule)
    result = {}

    def client() -> None:
        with net.inside("a"):
            s = socket.socket()
        start = time.monotonic()
        s.connect((net.addr4["b"], port))
        result["elapsed"] = time.monotonic() - start
        s.close()

    t = threading.Thread(target=client)
    t.start()
    time.sleep(lift_after_s)
    net.nft(side, "flush chain inet t input")
    t.join(10)
    return result["elapsed"]


def skipped_runs(receiver) -> int:
    """Runs of the receiver's programs the kernel skipped so far (otel_ebpf.tcp.events.missed)."""
    return sum(n for (name, _), n in receiver.counters().items() if name == "otel_ebpf.tcp.events.missed")


def handshake_through_fault(receiver, net, side: str, rule: str, lift_after_s: float):
    """A connection from a to a new listener in b while `rule` (its `{port}` filled in) filters `side`'s
    input (see connect_through_fault); returns (port, the client's measured connect time, the points
    collected after it, its handshake histograms, b's RetransSegs before it).

    The kernel skips a raw tracepoint's program when it would interrupt itself on its CPU (counted as
    otel_ebpf.tcp.events.missed; on a busy machine a handshake's state change or a SYN-ACK retransmit can
    be one: CI once exported 1 of 3 SYN-ACK retransmits): an attempt during which the kernel skipped
    runs measures the kernel's skips, not the agent's accounting, and is tried again on a new port.
    """
    for _ in range(3):
        skipped = skipped_runs(receiver)
        ls, port = serve(net, "b")
        before = net.snmp("b")["RetransSegs"]
        elapsed = connect_through_fault(net, port, side, rule.format(port=port), lift_after_s)
        ls.close()
        time.sleep(0.1)
        pts = points(receiver.collect())
        hist = handshake_histograms(pts, port)
        skipped = skipped_runs(receiver) - skipped
        if not skipped:
            break
    assert set(hist) == {"client", "server"}, f"handshake histograms {sorted(hist)}; runs skipped meanwhile {skipped}"
    return port, elapsed, pts, hist, before


def test_connect_latency_with_dropped_syn(receiver, net):
    # The first SYN is dropped; the retransmission (after 1 s) goes through.
    port, elapsed, pts, hist, _ = handshake_through_fault(
        receiver, net, "b", "add rule inet t input tcp dport {port} tcp flags & (syn | ack) == syn drop", 0.5
    )
    result = {"elapsed": elapsed}
    exported = hist["client"].sum / hist["client"].count
    server_side = hist["server"].sum / hist["server"].count
    retrans = total(pts, "otel_ebpf.tcp.retransmits", server__port=port, otel_ebpf__tcp__direction="client")
    diff_ms = abs(exported - result["elapsed"]) * 1000
    print(
        f"\n[3] dropped SYN: exported connect {exported:.4f}s, client measured {result['elapsed']:.4f}s, "
        f"diff {diff_ms:.2f} ms, SYN retransmits {retrans}, bucket counts {list(hist['client'].bucket_counts)}; "
        f"server side {server_side * 1000:.3f} ms (the lost SYN never reached it)"
    )
    assert hist["client"].count == 1
    assert exported >= 1.0
    assert diff_ms <= 5
    assert retrans == 1
    assert hist["server"].count == 1
    assert server_side < 0.005


def handshake_histograms(pts: list[dict], port: int) -> dict[str, object]:
    """The connect.duration histogram point of each side (client, server) of `port`."""
    out = {}
    for p in pts:
        if p["name"] == "otel_ebpf.tcp.connect.duration" and p["attrs"].get("server.port") == port:
            side = p["attrs"]["otel_ebpf.tcp.direction"]
            assert side not in out, f"two {side} histograms"
            out[side] = p["value"]
    return out


def test_server_handshake_latency_with_dropped_syn_ack(receiver, net):
    # The client's side drops SYN-ACKs for 1.5 s: the server retransmits its SYN-ACK (1 s, 3 s).
    port, elapsed, pts, hist, before = handshake_through_fault(
        receiver, net, "a", "add rule inet t input tcp sport {port} tcp flags & (syn | ack) == syn | ack drop", 1.5
    )
    result = {"elapsed": elapsed}
    server_side = hist["server"].sum / hist["server"].count
    syn_acks = total(pts, "otel_ebpf.tcp.retransmits", server__port=port, otel_ebpf__tcp__direction="server")
    kernel = net.snmp("b")["RetransSegs"] - before
    client_side = hist["client"].sum / hist["client"].count
    diff_ms = abs(server_side - result["elapsed"]) * 1000
    print(
        f"\n[3c] dropped SYN-ACKs: server-side handshake {server_side:.4f}s, client-side {client_side:.4f}s, "
        f"client measured {result['elapsed']:.4f}s, server vs measured {diff_ms:.2f} ms; "
        f"SYN-ACK retransmits exported {syn_acks}, kernel RetransSegs delta {kernel}"
    )
    # CI failed here once (exported 1 of 3): the counters and every SYN-ACK flow of the port say why next time.
    flows = [
        (p["attrs"], p["resource"], p["value"])
        for p in pts
        if p["name"] == "otel_ebpf.tcp.retransmits" and p["attrs"].get("server.port") == port
    ]
    assert syn_acks == kernel > 0, (syn_acks, kernel, receiver.counters(), flows)
    assert hist["server"].count == 1
    assert server_side >= 1.0
    # The server's figure has ms resolution and starts at its first SYN-ACK, just after the SYN.
    assert diff_ms <= 5


def test_connect_timeout_reason(receiver, net):
    ls, port = serve(net, "b")
    net.nft("b", f"add rule inet t input tcp dport {port} drop")
    net.sysctl("a", "net.ipv4.tcp_syn_retries", "1")  # give up after ~3 s
    start = time.monotonic()
    with pytest.raises((TimeoutError, OSError)):
        connect(net, "a", (net.addr4["b"], port), timeout=30)
    elapsed = time.monotonic() - start
    ls.close()
    time.sleep(0.1)
    pts = points(receiver.collect())
    timeouts = total(
        pts, "otel_ebpf.tcp.connection.failures", server__port=port, otel_ebpf__tcp__failure__reason="timeout"
    )
    print(f"\n[3b] SYNs dropped, kernel gave up after {elapsed:.2f}s: failures{{timeout}}={timeouts}")
    assert timeouts == 1


# --- 4. bytes per flow, IPv4, IPv6 and IPv4-mapped ----------------------------------------------


def _echo_count(conn: socket.socket) -> None:
    """Reads everything, then answers with half as many bytes."""
    got = 0
    with conn:
        while chunk := conn.recv(1 << 16):
            got += len(chunk)
        conn.sendall(b"r" * (got // 2))


@pytest.mark.parametrize("variant", ["ipv4", "ipv6", "ipv4-mapped"])
def test_bytes_per_flow(receiver, net, variant):
    if variant == "ipv4":
        family, server_family, dest, peer_text = socket.AF_INET, socket.AF_INET, net.addr4["b"], net.addr4["b"]
    elif variant == "ipv6":
        family, server_family, dest, peer_text = socket.AF_INET6, socket.AF_INET6, net.addr6["b"], net.addr6["b"]
    else:  # an IPv6 client socket talking IPv4 to a dual-stack server
        family, server_family, dest, peer_text = (
            socket.AF_INET6,
            socket.AF_INET6,
            "::ffff:" + net.addr4["b"],
            net.addr4["b"],
        )
    ls, port = serve(net, "b", family=server_family, handler=_echo_count)
    snmp_before = {side: net.snmp(side) for side in ("a", "b")}
    sent = 0
    received = 0
    for n in range(3):  # three connections of the same flow
        c = connect(net, "a", (dest, port), family=family)
        size = 400_000 + n * 123_457
        data = os.urandom(size)
        c.sendall(data)
        sent += size
        c.shutdown(socket.SHUT_WR)
        while chunk := c.recv(1 << 16):
            received += len(chunk)
        c.close()
    ls.close()
    time.sleep(0.1)
    pts = points(receiver.collect())
    client = {"server__port": port, "otel_ebpf__tcp__direction": "client", "network__peer__address": peer_text}
    server = {"server__port": port, "otel_ebpf__tcp__direction": "server"}
    got = {
        "client transmit": total(pts, "otel_ebpf.tcp.bytes", network__io__direction="transmit", **client),
        "client receive": total(pts, "otel_ebpf.tcp.bytes", network__io__direction="receive", **client),
        "server receive": total(pts, "otel_ebpf.tcp.bytes", network__io__direction="receive", **server),
        "server transmit": total(pts, "otel_ebpf.tcp.bytes", network__io__direction="transmit", **server),
    }
    connects = total(pts, "otel_ebpf.tcp.connections", **client)
    types = {p["attrs"]["network.type"] for p in pts if p["attrs"].get("server.port") == port}
    print(f"\n[4] {variant}: sent {sent}, received {received}, exported {got}, connects {connects}, types {types}")
    for name, expected in (
        ("client transmit", sent),
        ("server receive", sent),
        ("client receive", received),
        ("server transmit", received),
    ):
        assert abs(got[name] - expected) <= 0.01 * expected, name
    assert connects == 3
    assert types == {"ipv6" if variant == "ipv6" else "ipv4"}

    # Segments: the kernel's namespace-wide counters (only this test's connections live there).
    # OutSegs leaves retransmissions out; a socket's segs_out counts them.  Received segments are
    # compared with what the other side sent (no loss here): InSegs counts a GRO aggregate once,
    # a socket's segs_in counts the segments in it.
    snmp = {side: {k: v - snmp_before[side][k] for k, v in net.snmp(side).items()} for side in ("a", "b")}
    segments = {
        "client transmit": (
            total(pts, "otel_ebpf.tcp.segments", network__io__direction="transmit", **client),
            snmp["a"]["OutSegs"] + snmp["a"]["RetransSegs"],
        ),
        "client receive": (
            total(pts, "otel_ebpf.tcp.segments", network__io__direction="receive", **client),
            snmp["b"]["OutSegs"] + snmp["b"]["RetransSegs"],
        ),
        "server transmit": (
            total(pts, "otel_ebpf.tcp.segments", network__io__direction="transmit", **server),
            snmp["b"]["OutSegs"] + snmp["b"]["RetransSegs"],
        ),
        "server receive": (
            total(pts, "otel_ebpf.tcp.segments", network__io__direction="receive", **server),
            snmp["a"]["OutSegs"] + snmp["a"]["RetransSegs"],
        ),
    }
    print(f"[4] {variant} segments (exported, kernel): {segments}")
    for name, (exported, kernel) in segments.items():
        # The server's handshake (SYN in, SYN-ACK out) belongs to the listener's request socket.
        assert abs(exported - kernel) <= 0.01 * kernel + 3, name


# --- 6. a flood of short connections: bounded cardinality, honest overflow ------------------------


def test_flood_bounded_cardinality_and_honest_overflow(net):
    require_bpf()
    max_flows = 32
    r = TcpFlowReceiver({"pin": False, "max_flows": max_flows, "idle_timeout": 3600})
    r.start()
    try:
        # 40 server addresses in b: 40 client flows and 40 server flows (peer a) cannot fit in 32.
        extra = [f"10.213.1.{i}" for i in range(1, 41)]
        for addr in extra:
            net.ip("b", "addr", "add", f"{addr}/32", "dev", "lo")
        net.ip("a", "route", "add", "10.213.1.0/24", "via", net.addr4["b"])
        listeners = []
        for addr in extra:
            with net.inside("b"):
                ls = socket.socket()
                ls.bind((addr, 8080))
                ls.listen(4096)
            listeners.append(ls)
            threading.Thread(target=_accept_close, args=(ls,), daemon=True).start()
        n = 10_000
        ports = set()
        start = time.monotonic()
        for i in range(n):
            with net.inside("a"):
                s = socket.socket()
            s.connect((extra[i % len(extra)], 8080))
            ports.add(s.getsockname()[1])
            s.close()
        elapsed = time.monotonic() - start
        time.sleep(0.5)
        for ls in listeners:
            ls.close()
        pts = points(r.collect())
        flows = map_items(r._program.fds["flows"], layout.FLOW_KEY.size, layout.FLOW_STATS.size)
        live_sockets = len(map_items(r._program.fds["socks"], 8, layout.SOCK_STATE.size))
        counters = r.counters()
        overflow_counted = counters[("otel_ebpf.tcp.flows.overflow", ())]
        in_overflow = sum(
            p["value"]
            for p in pts
            if p["name"] == "otel_ebpf.tcp.connections" and p["attrs"].get("otel.metric.overflow")
        )
        failures_in_overflow = sum(
            p["value"]
            for p in pts
            if p["name"] == "otel_ebpf.tcp.connection.failures" and p["attrs"].get("otel.metric.overflow")
        )
        open_in_overflow = sum(
            p["value"]
            for p in pts
            if p["name"] == "otel_ebpf.tcp.connections.open" and p["attrs"].get("otel.metric.overflow")
        )
        resets_overflowed = counters[("otel_ebpf.tcp.flows.overflow_resets", ())]
        ours = sum(
            p["value"]
            for p in pts
            if p["name"] == "otel_ebpf.tcp.connections"
            and p["attrs"].get("server.port") == 8080
            and p["attrs"]["network.peer.address"].startswith("10.213.")
        )
        print(
            f"\n[6] {n} connections from {len(ports)} distinct ports in {elapsed:.1f}s; map holds {len(flows)} flows "
            f"(max_flows {max_flows} + overflow); overflow counter {overflow_counted}; connections counted in the "
            f"overflow series {in_overflow} (+{failures_in_overflow} failed; {open_in_overflow} still open); "
            f"socketless resets in overflow {resets_overflowed}; connections in regular 10.213.* flows {ours}; "
            f"sum {ours + in_overflow} of {2 * n} "
            f"(client+server sides); live socket states after the flood {live_sockets}"
        )
        assert len(flows) <= max_flows + 1
        # Every socket whose flow did not fit was counted once, and its counts went to the overflow series.
        # (A connection still opening is counted by the kernel but not yet established: none here.)
        assert overflow_counted == in_overflow + failures_in_overflow
        assert overflow_counted > 0
        assert ours + in_overflow >= 2 * n  # nothing lost (other host traffic may add to the overflow)
        assert live_sockets < 100  # per-socket state is released at tcp_destroy_sock
    finally:
        r.shutdown()


def _accept_close(ls: socket.socket) -> None:
    while True:
        try:
            conn, _ = ls.accept()
        except OSError:
            return
        conn.close()


# --- restart continuity, clean shutdown, evidence, window ------------------------------------------


def test_restart_with_pinned_maps_keeps_counting(net):
    require_bpf()
    pin = f"/sys/fs/bpf/otel_ebpf_test_{uuid.uuid4().hex[:6]}/tcp_flows"
    options = {"pin": True, "pin_path": pin, "idle_timeout": 3600}
    first = TcpFlowReceiver(options)
    second = None
    stop = threading.Event()
    try:
        first.start()
        assert not first.resumed
        ls, port = serve(net, "b")
        c = connect(net, "a", (net.addr4["b"], port))
        sent = [0]

        def pump() -> None:
            chunk = b"z" * 1000
            while not stop.is_set():
                c.sendall(chunk)
                sent[0] += len(chunk)
                time.sleep(0.001)

        pumper = threading.Thread(target=pump)
        pumper.start()
        time.sleep(0.5)
        flow = {"server__port": port, "otel_ebpf__tcp__direction": "client", "network__io__direction": "transmit"}
        first_pts = points(first.collect())
        before = total(first_pts, "otel_ebpf.tcp.bytes", **flow)
        start_before = _start_times(first_pts, port)
        first.shutdown()  # the "agent" stops; the pinned programs keep counting
        time.sleep(1.0)
        second = TcpFlowReceiver(options)
        second.start()
        resumed = second.resumed
        stop.set()
        pumper.join()
        c.close()
        ls.close()
        time.sleep(0.1)
        pts = points(second.collect())
        after = total(pts, "otel_ebpf.tcp.bytes", **flow)
        same_start = _start_times(pts, port) == start_before
        print(
            f"\n[restart] bytes before restart {before}, after restart {after}, sent by the client {sent[0]}; "
            f"resumed={resumed}; series start times unchanged: {same_start}"
        )
        assert resumed
        assert after == sent[0] > before > 0
        assert same_start
    finally:
        stop.set()
        first.shutdown()
        if second is not None:
            second.shutdown(unpin=True)
        remove_pins(pin)
        os.rmdir(os.path.dirname(pin)) if os.path.isdir(os.path.dirname(pin)) else None
    assert not os.path.exists(pin)


def _start_times(pts: list[dict], port: int) -> set[int]:
    return {p["point_start"] for p in pts if p["attrs"].get("server.port") == port and p["point_start"]}


def test_shutdown_leaves_no_maps_or_programs():
    require_bpf()
    r = TcpFlowReceiver({"pin": False})
    r.start()
    ids = [map_info(fd).id for fd in r._program.fds.values()]
    r.shutdown()
    deadline = time.monotonic() + 5
    while any(map_exists(i) for i in ids) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [i for i in ids if map_exists(i)]
    print(f"\n[shutdown] maps {ids} still present after shutdown: {alive}")
    # A map outlives its last program reference, so no map left also means no program left.
    assert alive == []
    r.shutdown()  # idempotent


def test_socket_evidence_and_peer_window(receiver, net):
    ls, port = serve(net, "b")
    net.nft("b", f"add rule inet t input tcp dport {port} numgen random mod 100 < 20 drop")
    since = time.time_ns()
    c = connect(net, "a", (net.addr4["b"], port))
    # Find the kernel socket address of our connection among the tracked sockets.
    sk = None
    for raw_key, raw_value in map_items(receiver._program.fds["socks"], 8, layout.SOCK_STATE.size):
        key, *_ = layout.decode_sock_state(raw_value)
        if key.server_port == port and key.direction == "client":
            sk = struct.unpack("<Q", raw_key)[0]
    assert sk
    for _ in range(200):
        c.sendall(os.urandom(4096))
    time.sleep(0.5)
    evidence = receiver.socket_evidence(sk)
    receiver.collect()
    window = receiver.peer_window(net.addr4["b"], port, since)
    c.close()
    ls.close()
    print(f"\n[evidence] sk={sk:#x}: (retransmits, srtt_s)={evidence}; window={window}")
    assert evidence is not None and evidence[0] > 0 and evidence[1] > 0
    assert window.retransmits >= evidence[0] and window.connects == 1
    # Removed at tcp_destroy_sock, once the lossy link has delivered what was queued and FIN is done.
    deadline = time.monotonic() + 30
    while receiver.socket_evidence(sk) is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert receiver.socket_evidence(sk) is None


def test_idle_flow_exported_once_more_then_evicted(net):
    require_bpf()
    r = TcpFlowReceiver({"pin": False, "idle_timeout": 1})
    r.start()
    try:
        ls, port = serve(net, "b")
        c = connect(net, "a", (net.addr4["b"], port))
        c.sendall(b"x" * 1000)
        c.close()
        ls.close()
        time.sleep(1.5)
        last = total(points(r.collect()), "otel_ebpf.tcp.bytes", server__port=port, network__io__direction="transmit")
        gone = [p for p in points(r.collect()) if p["attrs"].get("server.port") == port]
        evicted = r.counters()[("otel_ebpf.tcp.flows.evicted", ())]
        print(f"\n[evict] last export {last} bytes, points after eviction {len(gone)}, evictions {evicted}")
        assert last == 1000 and gone == [] and evicted >= 2  # both sides
    finally:
        r.shutdown()


def test_config_schema_defaults_and_errors():
    from otel_ebpf.config.schema import resolve
    from otel_ebpf.receivers.tcp_flows.config import SCHEMA as TCP_FLOWS_SCHEMA

    value, errors = resolve(TCP_FLOWS_SCHEMA, {}, "receivers.tcp_flows")
    assert errors == [] and value["max_flows"] == 16384 and value["idle_timeout"] == 300.0 and value["pin"] is True
    _, errors = resolve(TCP_FLOWS_SCHEMA, {"max_flows": 1, "pin_path": "/tmp/x"}, "receivers.tcp_flows")
    assert len(errors) == 2, errors
