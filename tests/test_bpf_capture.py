"""The BPF program itself, loaded for real: event layout, filtering in the kernel, drop accounting."""

from __future__ import annotations

import ctypes
import http.client
import os
import socket
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from otel_ebpf.kernel.btf import Btf, BtfError
from otel_ebpf.kernel.records import EVENT_HEADER, EVENT_POS_VALID
from otel_ebpf.model import Role
from otel_ebpf.receivers.ebpf import events as ev
from otel_ebpf.receivers.ebpf.connections import ConnectionTracker
from otel_ebpf.receivers.ebpf.loader import CaptureOptions, HttpCaptureProgram, per_cpu_rate
from otel_ebpf.receivers.helper.processes import ProcessResolver
from tests.harness import Server, require_binary, require_bpf

pytestmark = pytest.mark.bpf

AT = {f.name: f.index for f in EVENT_HEADER.fields}  # a header field's place in a decoded event


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    body = b"x" * 2000

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)


@pytest.fixture
def server():
    """A server thread in this process on IPv6 (dual stack): the program sees both sides."""
    ThreadingHTTPServer.address_family = socket.AF_INET6
    srv = ThreadingHTTPServer(("::", 0), _Handler)
    ThreadingHTTPServer.address_family = socket.AF_INET
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()


def _load(**kwargs) -> tuple[HttpCaptureProgram, list[bytes]]:
    require_bpf()
    # self_pid=0: this test process is the one being observed.
    program = HttpCaptureProgram(CaptureOptions(self_pid=0, pids=[os.getpid()], **kwargs))
    program.load()
    return program, []


def _get(host: str, port: int, n: int = 1) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=5)
    for _ in range(n):
        conn.request("GET", "/x")
        conn.getresponse().read()
    conn.close()


def test_the_program_takes_the_capture_path_asked_for(server):
    """`auto` takes the sock path where the kernel has sock:sock_*_length, else the syscall path;
    OTEL_EBPF_CAPTURE_PATH forces one (tests/test_capture_syscall_path.py reruns this file so)."""
    forced = os.environ.get("OTEL_EBPF_CAPTURE_PATH", "").replace("auto", "")
    try:
        Btf().tracepoint_arity("sock_send_length")
        auto = "sock_tracepoints"
    except BtfError:
        auto = "syscall_tracepoints"
    program, _ = _load()
    try:
        path = program.capture_path
        print(f"\ncapture path: {path.name}, {path.reason}")
        assert path.name == (forced or auto)
        assert ("sys_exit" in program.tracepoints) == (path.name == "syscall_tracepoints")
        assert ("sock_send_length" in program.tracepoints) == (path.name == "sock_tracepoints")
        assert path.reason == ("forced by OTEL_EBPF_CAPTURE_PATH" if forced else path.reason)
        assert forced or "Linux" in path.reason
    finally:
        program.close()


def test_event_layout_matches_the_kernel_struct_and_roles_addresses_are_right(server):
    program, events = _load()
    try:
        _get("127.0.0.1", server)  # IPv4 client to a dual-stack server: IPv4-mapped on the server side
        _get("::1", server)
        time.sleep(0.1)
        events += program.drain()
    finally:
        program.close()
    decoded = [ev.HEADER.unpack_from(raw) for raw in events]
    closes = [raw for raw, d in zip(events, decoded, strict=True) if d[0] == ev.EVENT_CLOSE]
    assert closes, "no close events"
    # A close event carries no payload: its size is sizeof(struct event_header) in the kernel.
    assert {len(raw) for raw in closes} == {ev.HEADER_SIZE}
    data = [d for d in decoded if d[0] == ev.EVENT_DATA]
    positions: dict[tuple, int] = {}
    for d in decoded:
        if d[0] == ev.EVENT_CLOSE:
            # The fd, and even the struct sock's address, may be reused by the next connection
            # (both servers' sockets are TCPv6): its positions start again at 0.
            for direction in (0, 1):
                positions.pop((d[AT["pid"]], d[AT["fd"]], d[AT["sk"]], direction), None)
            continue
        if d[0] != ev.EVENT_DATA:
            continue
        captured = d[AT["captured"]]
        assert 0 < captured <= d[AT["ret"]]  # payload never exceeds what the syscall moved
        # Nothing was lost: each event starts where the previous one of its direction ended.
        assert d[AT["flags"]] & EVENT_POS_VALID
        stream = (d[AT["pid"]], d[AT["fd"]], d[AT["sk"]], d[AT["direction"]])
        assert d[AT["stream_pos"]] == positions.get(stream, 0)
        positions[stream] = d[AT["stream_pos"]] + d[AT["ret"]]
    # client side (role 2) and server side (role 1), IPv4-mapped shown as IPv4, and IPv6
    peers = {(d[AT["role"]], ev.format_address(d[AT["family"]], d[AT["peer_addr"]])) for d in data}
    assert (Role.CLIENT, "127.0.0.1") in peers
    assert (Role.SERVER, "127.0.0.1") in peers
    assert (Role.CLIENT, "::1") in peers and (Role.SERVER, "::1") in peers
    assert {d[0] for d in decoded} <= {ev.EVENT_DATA, ev.EVENT_DATA_MORE, ev.EVENT_EOF, ev.EVENT_CLOSE}


def test_files_pipes_and_unix_sockets_are_filtered_in_the_kernel(server):
    program, events = _load()
    try:
        with tempfile.TemporaryFile() as f:
            for _ in range(100):
                f.write(b"GET / HTTP/1.1\r\n\r\n")
                f.flush()
        r, w = os.pipe()
        os.write(w, b"GET / HTTP/1.1\r\n\r\n")
        os.read(r, 100)
        os.close(r)
        os.close(w)
        a, b = socket.socketpair()
        a.sendall(b"GET / HTTP/1.1\r\n\r\n")
        b.recv(100)
        a.close()
        b.close()
        time.sleep(0.05)
        events += program.drain()
    finally:
        program.close()
    assert events == []


def _set_thread_name(name: bytes) -> None:
    """The calling thread's name, as /proc/PID/task/TID/comm shows it (prctl PR_SET_NAME)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(15, ctypes.c_char_p(name), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NAME)")


def test_the_process_filter_is_decided_per_thread_of_a_socket(server):
    """`executables` matches the name of the thread moving the data, decided once per thread of a
    socket (the socket's entry keeps it): a connection one thread uses unobserved, then an observed
    thread, is reported from the observed thread's first bytes on, as a client with its addresses,
    and its end is told."""
    require_bpf()
    program = HttpCaptureProgram(CaptureOptions(self_pid=0, executables=["otel-watched"]))
    program.load()
    conn = http.client.HTTPConnection("127.0.0.1", server, timeout=5)
    tids: dict[str, int] = {}

    def use(name: bytes, n: int) -> None:
        _set_thread_name(name)
        tids[name.decode()] = threading.get_native_id()
        for _ in range(n):
            conn.request("GET", "/x")
            conn.getresponse().read()

    try:
        for name, n in ((b"otel-other", 2), (b"otel-watched", 3)):
            thread = threading.Thread(target=use, args=(name, n))
            thread.start()
            thread.join()
        sk_fd = conn.sock.fileno()
        conn.close()
        time.sleep(0.05)
        events = program.drain()
    finally:
        program.close()
    decoded = [ev.HEADER.unpack_from(raw) for raw in events]
    data = [d for d in decoded if d[0] == ev.EVENT_DATA]
    assert {d[AT["tid"]] for d in data} == {tids["otel-watched"]}  # not the other thread, not the server
    # Its three requests, from the observed thread's first byte: positions count from there.
    assert [d[AT["ret"]] for d in data if d[AT["direction"]] == ev.DIR_OUTBOUND] == [data[0][AT["ret"]]] * 3
    assert (data[0][AT["direction"]], data[0][AT["stream_pos"]], data[0][AT["other_pos"]]) == (ev.DIR_OUTBOUND, 0, 0)
    assert {d[AT["comm"]].rstrip(b"\0") for d in data} == {b"otel-watched"}
    assert {(d[AT["role"]], d[AT["peer_port"]], d[AT["fd"]]) for d in data} == {(Role.CLIENT, server, sk_fd)}
    assert {ev.format_address(d[AT["family"]], d[AT["peer_addr"]]) for d in data} == {"127.0.0.1"}
    sk = data[0][AT["sk"]]
    assert [d[0] for d in decoded if d[AT["sk"]] == sk][-1] == ev.EVENT_CLOSE


def test_a_bounded_drain_takes_the_oldest_events_and_leaves_the_rest_in_order(server):
    program, events = _load()
    try:
        _get("127.0.0.1", server, n=20)
        time.sleep(0.05)
        first = program.drain(7)
        rest = program.drain()
    finally:
        program.close()
    assert len(first) == 7 and len(rest) >= 4 * 20 - 7  # a request and a response each side, at least
    positions: dict[tuple, int] = {}
    for d in map(ev.HEADER.unpack_from, first + rest):
        if d[0] != ev.EVENT_DATA:
            continue
        stream = (d[AT["pid"]], d[AT["fd"]], d[AT["sk"]], d[AT["direction"]])
        assert d[AT["stream_pos"]] == positions.get(stream, 0)  # nothing skipped, nothing twice
        positions[stream] = d[AT["stream_pos"]] + d[AT["ret"]]


def _events_of(events: list[bytes], sk: int) -> list[tuple]:
    return [d for d in (ev.HEADER.unpack_from(raw) for raw in events) if d[AT["sk"]] == sk]


def test_the_end_of_a_connection_is_told_when_its_process_closes_it_and_never_before_its_last_data():
    """EVENT_CLOSE comes from the TCP state machine, not from close(2) (no syscall hook): at the
    process's own close, even while TCP keeps the socket (FIN_WAIT2, up to a minute); after
    shutdown(2) only once the process has read what was queued and closed."""
    program, events = _load()
    try:
        with socket.create_server(("127.0.0.1", 0)) as listener:
            # 1. A server that never closes: the client's close is told at once, with its fd.
            client = socket.create_connection(listener.getsockname())
            hung, _ = listener.accept()
            client.sendall(b"GET /hung HTTP/1.1\r\nHost: x\r\n\r\n")
            hung.recv(100)
            client_fd = client.fileno()
            time.sleep(0.02)
            events += program.drain()
            client_sk = next(d[AT["sk"]] for d in map(ev.HEADER.unpack_from, events) if d[AT["fd"]] == client_fd)
            client.close()  # its socket waits in FIN_WAIT2: the hung server never closes its side
            time.sleep(0.05)
            events += program.drain()
            assert [(d[0], d[AT["fd"]], d[AT["pid"]]) for d in _events_of(events, client_sk)][-1] == (
                ev.EVENT_CLOSE,
                client_fd,
                os.getpid(),
            )
            hung_fd = hung.fileno()
            assert not [
                d for d in map(ev.HEADER.unpack_from, events) if d[0] == ev.EVENT_CLOSE and d[AT["fd"]] == hung_fd
            ]

            # 2. A server that shuts down its side, then reads what the client sent meanwhile, and
            # its EOF (the client's FIN ends its socket's TCP life in softirq, inside the client's
            # close in this very process): every read comes before its close.
            client = socket.create_connection(listener.getsockname())
            lingering, _ = listener.accept()
            first = b"GET /first HTTP/1.1\r\nHost: x\r\n\r\n"
            answer = b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
            late = b"GET /late HTTP/1.1\r\nHost: x\r\n\r\n"
            client.sendall(first)
            lingering.recv(100)
            lingering.sendall(answer)
            lingering.shutdown(socket.SHUT_WR)
            client.recv(100)
            client.sendall(late)
            client.close()
            time.sleep(0.05)
            assert lingering.recv(100).startswith(b"GET /late")
            assert lingering.recv(100) == b""
            lingering_fd = lingering.fileno()
            lingering.close()
            hung.close()
        time.sleep(0.05)
        events += program.drain()
    finally:
        program.close()
    lingering_sk = next(
        d[AT["sk"]]
        for d in map(ev.HEADER.unpack_from, events)
        if d[AT["fd"]] == lingering_fd and d[AT["role"]] == Role.SERVER
    )
    kinds = [(d[0], d[AT["direction"]], d[AT["ret"]]) for d in _events_of(events, lingering_sk)]
    assert kinds == [
        (ev.EVENT_DATA, ev.DIR_INBOUND, len(first)),
        (ev.EVENT_DATA, ev.DIR_OUTBOUND, len(answer)),
        (ev.EVENT_DATA, ev.DIR_INBOUND, len(late)),
        (ev.EVENT_EOF, ev.DIR_INBOUND, 0),
        (ev.EVENT_CLOSE, 0, 0),
    ], kinds


def test_a_full_ring_buffer_sheds_exchanges_and_counts_in_the_kernel(server):
    # The smallest ring (8 pages) and no draining during the burst: most events cannot fit.  Past
    # half the ring the kernel sheds whole exchanges before copying them (docs/cost.md), counted.
    program, events = _load(ring_buffer_size=8 * 4096)
    try:
        _get("127.0.0.1", server, n=300)
        time.sleep(0.05)
        events += program.drain()
        stats = program.kernel_stats()
    finally:
        program.close()
    assert stats["shed_ring_pressure"] > 0
    # Every event the kernel tried to send was either received or counted as dropped.
    assert stats["events"] == len(events) + stats["ringbuf_full"]


def test_large_reads_arrive_whole_up_to_the_configured_pieces(server):
    program, events = _load(capture_bytes=256, read_chunks=4)
    tracker = ConnectionTracker(ProcessResolver().get, body_limit=256)
    try:
        # 20 pipelined requests in one write (~700 bytes): the server reads them in one call.
        sock = socket.create_connection(("127.0.0.1", server))
        sock.sendall(b"".join(b"GET /p%d HTTP/1.1\r\nHost: x\r\n\r\n" % i for i in range(20)))
        received = b""
        while received.count(b"HTTP/1.1 200") < 20 or not received.endswith(_Handler.body):
            received += sock.recv(65536)
        sock.close()
        time.sleep(0.05)
        events += program.drain()
    finally:
        program.close()
    out = []
    tracker.process(events, out)
    server_paths = [x.path for x in out if x.role == Role.SERVER]
    assert server_paths == [f"/p{i}" for i in range(20)]
    assert any(ev.HEADER.unpack_from(raw)[0] == ev.EVENT_DATA_MORE for raw in events)


def test_an_http2_call_on_many_iovecs_arrives_whole_up_to_8_pieces():
    """A gRPC client writes its calls in flight in one sendmsg of up to 260 iovecs.  On a socket that
    began with the HTTP/2 preface, the kernel walks them all (h2_iov_walk, tail calls) and ships the
    call in full 8 KiB pieces, up to 8 of them: nothing of a header block among them is lost."""
    program, events = _load()
    # 300 iovecs, small ones (frame headers) between larger ones (messages), 100 kB in all: every
    # byte tells its place, so a piece out of place or a byte lost shows.
    sizes = [9 if i % 2 == 0 else 1 + (i * 97) % 700 for i in range(300)]
    sizes[-1] += 100_000 - sum(sizes)
    data = bytes((i * 7 + i // 251) % 256 for i in range(100_000))
    buffers, at = [], 0
    for size in sizes:
        buffers.append(data[at : at + size])
        at += size
    small = [bytes([i % 256]) * 9 for i in range(200)]  # 1,800 bytes on 200 iovecs: one event
    try:
        with socket.create_server(("127.0.0.1", 0)) as listener:
            client = socket.create_connection(listener.getsockname())
            server, _ = listener.accept()
            received = bytearray()
            expected = 24 + len(data) + 1800

            def read_all() -> None:
                while len(received) < expected and (chunk := server.recv(1 << 20)):
                    received.extend(chunk)

            reader = threading.Thread(target=read_all)
            reader.start()
            client.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
            assert client.sendmsg(buffers) == len(data)
            assert client.sendmsg(small) == 1800
            reader.join(10)
            assert len(received) == expected
            time.sleep(0.05)
            events += program.drain()
            fd = client.fileno()
            walk_cut = program.kernel_stat("walk_cut")
            client.close()
            server.close()
    finally:
        program.close()
    writes = [
        (d, raw)
        for d, raw in ((ev.HEADER.unpack_from(raw), raw) for raw in events)
        if d[AT["pid"]] == os.getpid()
        and d[AT["fd"]] == fd
        and d[AT["direction"]] == ev.DIR_OUTBOUND
        and d[AT["type"]] in (ev.EVENT_DATA, ev.EVENT_DATA_MORE)
    ]
    shapes = [(d[AT["type"]], d[AT["ret"]], d[AT["offset"]], d[AT["captured"]], d[AT["more"]]) for d, _ in writes]
    piece = 8192
    assert shapes == [
        (ev.EVENT_DATA, 24, 0, 24, 0),
        (ev.EVENT_DATA, len(data), 0, piece, 7),
        *[(ev.EVENT_DATA_MORE, len(data), k * piece, piece, 0) for k in range(1, 8)],
        (ev.EVENT_DATA, 1800, 0, 1800, 0),
    ], shapes
    payload = lambda d, raw: raw[ev.HEADER_SIZE : ev.HEADER_SIZE + d[AT["captured"]]]  # noqa: E731
    assert b"".join(payload(d, raw) for d, raw in writes[1:9]) == data[: 8 * piece]
    assert payload(*writes[9]) == b"".join(small)
    assert walk_cut == 0


def test_a_connection_userspace_marks_as_http2_is_captured_as_http2_from_its_next_phase():
    """A connection older than the agent shows no preface: userspace finds HTTP/2 from its frames
    and marks its socket (HttpCaptureProgram.mark_http2); from its next phase the kernel captures it
    as HTTP/2 (8 KiB pieces, every iovec) instead of capture_bytes.  Unmarked, the same call ships
    capture_bytes."""
    data = bytes(range(256)) * 80  # 20,480 bytes on 40 iovecs
    buffers = [data[i : i + 512] for i in range(0, len(data), 512)]
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname())
        server, _ = listener.accept()
        client.sendall(b"\x00\x00\x00\x04\x01\x00\x00\x00\x00")  # before the agent
        server.recv(64)
        program, events = _load()
        try:
            shapes = []
            for mark in (False, True):
                client.sendall(b"\x00\x00\x08\x06\x00\x00\x00\x00\x00" + bytes(8))  # a PING
                server.recv(64)
                time.sleep(0.05)
                sent = [ev.HEADER.unpack_from(raw) for raw in program.drain()]
                sk = next(d[AT["sk"]] for d in sent if d[AT["fd"]] == client.fileno())
                if mark:
                    program.mark_http2(sk)
                server.sendall(b"\x00\x00\x08\x06\x01\x00\x00\x00\x00" + bytes(8))  # its ACK: a new phase
                client.recv(64)
                assert client.sendmsg(buffers) == len(data)
                received = 0
                while received < len(data):
                    received += len(server.recv(1 << 20))
                time.sleep(0.05)
                raws = program.drain()
                writes = [
                    (d, raw)
                    for d, raw in ((ev.HEADER.unpack_from(raw), raw) for raw in raws)
                    if d[AT["fd"]] == client.fileno() and d[AT["direction"]] == ev.DIR_OUTBOUND
                ]
                shapes.append([(d[AT["type"]], d[AT["offset"]], d[AT["captured"]], d[AT["more"]]) for d, _ in writes])
                if mark:
                    joined = b"".join(raw[ev.HEADER_SIZE : ev.HEADER_SIZE + d[AT["captured"]]] for d, raw in writes)
                    assert joined == data
        finally:
            program.close()
            client.close()
            server.close()
    assert shapes[0] == [(ev.EVENT_DATA, 0, 1024, 0)], shapes[0]  # capture_bytes (the default)
    assert shapes[1] == [
        (ev.EVENT_DATA, 0, 8192, 2),
        (ev.EVENT_DATA_MORE, 8192, 8192, 0),
        (ev.EVENT_DATA_MORE, 16384, len(data) - 16384, 0),
    ], shapes[1]


def _thread_cpu_s(native_id: int) -> float:
    fields = open(f"/proc/self/task/{native_id}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _capture(receiver_config: dict, options: CaptureOptions):
    """A `Capture` (not started) for an `ebpf` receiver's config, with the real program built from
    `options`, and its one member, whose exchanges go to the list returned."""
    from otel_ebpf.model import ExchangeSource
    from otel_ebpf.receivers.ebpf.capture import Capture, Member, TrafficFilter
    from otel_ebpf.receivers.ebpf.factory import factory

    config, errors = factory.resolve(receiver_config, "receivers.ebpf")
    assert not errors
    program = HttpCaptureProgram(options)
    receiver = Capture(config, key=("test",), program=program)
    received: list = []
    member = Member(ExchangeSource("ebpf"), TrafficFilter.from_config(config["filter"]), received.extend)
    receiver.members.append(member)
    return receiver, member, program, received


def test_cpu_budget_sheds_load_in_the_kernel_and_counts_it(server):
    require_bpf()
    wrk = require_binary("wrk")
    # This process is the server: the program must not leave it out as it leaves the agent out.
    receiver, member, _, received = _capture(
        {"drain_interval": "10ms", "max_cpu": 0.002, "ring_buffer_size": 8 * 4096, "filter": {"pids": [os.getpid()]}},
        CaptureOptions(self_pid=0, pids=[os.getpid()], ring_buffer_size=8 * 4096),
    )
    receiver.start(member)
    try:
        cpu0 = _thread_cpu_s(receiver._thread.native_id)
        started = time.monotonic()
        # Load from another process: this one's GIL is shared with the server and the receiver.
        subprocess.run([wrk, "-t1", "-c16", "-d3s", f"http://127.0.0.1:{server}/x"], check=True, capture_output=True)
        elapsed = time.monotonic() - started
        used = _thread_cpu_s(receiver._thread.native_id) - cpu0
        counters = receiver.counters()
    finally:
        receiver.stop(member)
    # Within budget (0.2% of a core, plus a few clock ticks of measurement granularity)...
    assert used <= 0.002 * elapsed + 0.05, used
    assert receiver.throttled_s > 0
    # ...and what could not be taken is shed (or dropped) and counted by the kernel, never silently lost.
    kernel_dropped = counters[("otel_ebpf.ebpf.dropped", (("reason", "ringbuf_full"),))]
    kernel_dropped += counters[("otel_ebpf.ebpf.shed_exchanges", (("reason", "ring_pressure"),))]
    assert kernel_dropped > 0, (counters, len(received), receiver.throttled_s, used)
    # Runs the kernel skipped are reported too (none are expected from syscalls in process context).
    skipped = counters[("otel_ebpf.ebpf.dropped", (("reason", "program_skipped"),))]
    print(f"\nkernel drops: ringbuf_full {kernel_dropped}, program_skipped {skipped}")
    assert received, "some exchanges still came through"


def test_max_cpu_steers_the_kernels_span_rate_from_the_agents_cpu(tmp_path):
    """The kernel's span rate follows what the agent's process uses: nginx under wrk sends the capture
    more exchanges than a budget of 1 % of a core pays for, so the rate goes down once a second, the
    exchanges beyond it are shed and counted (still in the metrics), and some still come through."""
    require_bpf()
    wrk = require_binary("wrk")
    nginx = Server("nginx", tmp_path)
    receiver, member, program, received = _capture(
        {"max_cpu": 0.01, "max_spans_per_second": 4000, "filter": {"executables": ["nginx"]}},
        CaptureOptions(executables=["nginx"], max_spans_per_second=4000),
    )
    try:
        receiver.start(member)
        url = f"http://127.0.0.1:{nginx.port}/json"
        subprocess.run([wrk, "-t1", "-c4", "-d4s", url], check=True, capture_output=True)
        counters = receiver.counters()
        kernel_rate = program.per_cpu_span_rate()
    finally:
        receiver.stop(member)
        nginx.stop()
    budget = receiver.budget
    assert budget is not None and budget.changes >= 1 and budget.rate < 4000, budget and budget.rate
    assert counters[("otel_ebpf.ebpf.span_rate_limit", ())] == budget.rate
    assert kernel_rate == per_cpu_rate(budget.rate)  # what the kernel applies
    assert counters[("otel_ebpf.ebpf.shed_exchanges", (("reason", "rate"),))] > 0
    assert received, "some exchanges still came through"
