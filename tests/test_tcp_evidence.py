"""TCP evidence on spans without a kernel: the per-connection delta bookkeeping and the sk plumbing.

The real thing (lossy and clean connections between network namespaces, compared with the kernel's
own per-socket counts) is tests/test_tcp_span_evidence.py.
"""

from __future__ import annotations

import socket

from otel_ebpf.model import HttpExchange, ProcessInfo, Role
from otel_ebpf.receivers.ebpf import events as ev
from otel_ebpf.receivers.ebpf.connections import ConnectionTracker
from otel_ebpf.telemetry.redaction import Redactor
from otel_ebpf.telemetry.spans import build_trace_request
from otel_ebpf.telemetry.tcp_evidence import RETRANSMITS, RTT, TcpSpanEvidence

SK1 = 0xFFFF888100000100
SK2 = 0xFFFF888100000200
SK3 = 0xFFFF888100000300


class FakeKernel:
    """sk -> (start_ns, retransmits, srtt_us), as TcpFlowReceiver.socket_state returns it."""

    def __init__(self) -> None:
        self.socks: dict[int, tuple[int, int, int]] = {}
        self.lookups = 0

    def __call__(self, sk: int):
        self.lookups += 1
        return self.socks.get(sk)


def exchange(sk: int) -> HttpExchange:
    x = HttpExchange()
    x.role = Role.SERVER
    x.method, x.path, x.target, x.status_code = "GET", "/", "/", 200
    x.sk = sk
    return x


def annotate(evidence: TcpSpanEvidence, *sks: int) -> list[dict]:
    batch = [exchange(sk) for sk in sks]
    evidence.annotate(batch)
    return [x.attributes for x in batch]


def test_retransmits_are_the_delta_since_the_previous_span_of_the_connection():
    kernel = FakeKernel()
    evidence = TcpSpanEvidence(kernel)
    kernel.socks[SK1] = (1000, 3, 250)  # 3 retransmits so far (the SYN's, say), srtt 250 µs
    assert annotate(evidence, SK1) == [{RETRANSMITS: 3, RTT: 0.00025}]  # first span: since it opened
    kernel.socks[SK1] = (1000, 7, 400)
    assert annotate(evidence, SK1) == [{RETRANSMITS: 4, RTT: 0.0004}]
    assert annotate(evidence, SK1) == [{RETRANSMITS: 0, RTT: 0.0004}]  # nothing new: 0, not absent
    # Two connections interleaved in one batch keep their own baselines.
    kernel.socks[SK2] = (2000, 0, 0)  # no segment received yet: no RTT
    kernel.socks[SK1] = (1000, 9, 400)
    assert annotate(evidence, SK2, SK1, SK2) == [{RETRANSMITS: 0}, {RETRANSMITS: 2, RTT: 0.0004}, {RETRANSMITS: 0}]
    assert (evidence.found, evidence.missing, evidence.evicted) == (6, 0, 0)
    assert kernel.lookups == 6  # one lookup per span


def test_untracked_or_closed_sockets_get_no_attributes_and_are_forgotten():
    kernel = FakeKernel()
    evidence = TcpSpanEvidence(kernel)
    assert annotate(evidence, SK1, 0) == [{}, {}]  # not tracked by the kernel program; no sk at all
    kernel.socks[SK1] = (1000, 5, 100)
    annotate(evidence, SK1)
    del kernel.socks[SK1]  # closed: tcp_destroy_sock removed the state
    assert annotate(evidence, SK1) == [{}]
    assert len(evidence) == 0
    # The kernel hands the same address to a new connection: it starts from its own zero.
    kernel.socks[SK1] = (5000, 2, 100)
    assert annotate(evidence, SK1) == [{RETRANSMITS: 2, RTT: 0.0001}]
    assert (evidence.found, evidence.missing) == (2, 3)


def test_a_reused_socket_address_is_told_apart_by_its_start_time():
    kernel = FakeKernel()
    evidence = TcpSpanEvidence(kernel)
    kernel.socks[SK1] = (1000, 5, 100)
    annotate(evidence, SK1)
    # Closed and reallocated between two lookups (never seen missing); more retransmits than the
    # old one had: a delta against the old count would say 2, the new connection's count is 7.
    kernel.socks[SK1] = (9000, 7, 100)
    assert annotate(evidence, SK1)[0][RETRANSMITS] == 7
    kernel.socks[SK1] = (9001, 1, 100)  # fewer: never a negative delta
    assert annotate(evidence, SK1)[0][RETRANSMITS] == 1


def test_the_table_is_bounded_lru_and_counts_what_it_drops():
    kernel = FakeKernel()
    evidence = TcpSpanEvidence(kernel, max_connections=2)
    for sk in (SK1, SK2, SK3):
        kernel.socks[sk] = (sk, 10, 100)
    annotate(evidence, SK1, SK2)
    annotate(evidence, SK1)  # SK1 read last: SK2 is now the least recently read
    annotate(evidence, SK3)
    assert (len(evidence), evidence.evicted) == (2, 1)
    for sk in (SK1, SK2, SK3):
        kernel.socks[sk] = (sk, 12, 100)
    # SK1 and SK3 still know their last count; SK2 was dropped and counts since its start again.
    assert [a[RETRANSMITS] for a in annotate(evidence, SK1, SK3, SK2)] == [2, 2, 12]
    assert evidence.evicted == 2 and len(evidence) == 2
    assert evidence.counters() == {
        ("otel_ebpf.spans.tcp_evidence", (("result", "found"),)): 7,
        ("otel_ebpf.spans.tcp_evidence", (("result", "missing"),)): 0,
        ("otel_ebpf.connections.tcp_evidence_evicted", ()): 2,
    }


def test_the_kernel_u32_count_wrapping_gives_the_right_delta():
    kernel = FakeKernel()
    evidence = TcpSpanEvidence(kernel)
    kernel.socks[SK1] = (1000, 0xFFFFFFFE, 100)
    annotate(evidence, SK1)
    kernel.socks[SK1] = (1000, 3, 100)
    assert annotate(evidence, SK1)[0][RETRANSMITS] == 5


def test_span_attributes_are_an_int_and_a_double_in_seconds():
    kernel = FakeKernel()
    kernel.socks[SK1] = (1000, 4, 1500)
    x = exchange(SK1)
    x.attributes["otel_ebpf.error.kind"] = "business"  # a processor's attribute stays
    TcpSpanEvidence(kernel).annotate([x])
    request = build_trace_request([x], Redactor(), "0")
    (span,) = [s for rs in request.resource_spans for ss in rs.scope_spans for s in ss.spans]
    attrs = {kv.key: kv.value for kv in span.attributes}
    assert attrs[RETRANSMITS].WhichOneof("value") == "int_value" and attrs[RETRANSMITS].int_value == 4
    assert attrs[RTT].WhichOneof("value") == "double_value" and attrs[RTT].double_value == 0.0015
    assert attrs["otel_ebpf.error.kind"].string_value == "business"


def _event(etype: int, direction: int, sk: int, payload: bytes = b"", fd: int = 7, ts: int = 1_000_000) -> bytes:
    laddr = socket.inet_pton(socket.AF_INET, "10.0.0.2") + bytes(12)
    paddr = socket.inet_pton(socket.AF_INET, "10.0.0.9") + bytes(12)
    header = ev.HEADER.pack(
        etype, direction, int(Role.SERVER), socket.AF_INET, 4242, 4242, fd, sk, ts, ts + 10, len(payload),
        0, 0, 0, len(payload), 0, 0, 0, 8080, 51234, laddr, paddr, b"server",
    )  # fmt: skip
    return header + payload


def test_the_tracker_carries_the_events_sk_into_the_exchange():
    process = ProcessInfo(4242, "server", "server", {"service.name": "server"})
    tracker = ConnectionTracker(lambda pid, comm: process)
    out: list[HttpExchange] = []
    tracker.process(
        [
            _event(ev.EVENT_DATA, ev.DIR_INBOUND, SK1, b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n"),
            _event(ev.EVENT_DATA, ev.DIR_OUTBOUND, SK1, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
            # the same fd number, another socket: another connection
            _event(ev.EVENT_DATA, ev.DIR_INBOUND, SK2, b"GET /b HTTP/1.1\r\nHost: x\r\n\r\n"),
            _event(ev.EVENT_DATA, ev.DIR_OUTBOUND, SK2, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        ],
        out,
    )
    assert [(x.path, x.sk) for x in out] == [("/a", SK1), ("/b", SK2)]
    assert HttpExchange().sk == 0
