"""Cost per exchange of the userspace path from ring-buffer records to `HttpExchange` (prints figures).

Usage: .venv/bin/python bench/bench_parse.py [--connections 64] [--exchanges 200] [--batch 256]
       [--traceparent] [--unique] [--wrk] [--close] [--receive] [--profile]

No kernel: the records the kernel would write (struct event_header of
otel_ebpf/kernel/records.py, then the payload) are built up front for a server (nginx)
answering keep-alive GETs with a small JSON body, on many connections at once, with the
stream positions and phases the kernel counts; each exchange is one inbound and one outbound
DATA event (--close: a new connection per exchange, answered in two writes and closed, as
gunicorn's sync worker does under bench/bench_flask.py).  They are fed through
``ConnectionTracker.process`` in drain-sized batches, from a fresh tracker each run, and the
figure is the best of 5 runs (µs per exchange).
"""

from __future__ import annotations

import argparse
import cProfile
import mmap
import pstats
import socket
import struct
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from otel_ebpf.kernel.ringbuf import RINGBUF_HDR_SZ, RingBufferReader  # noqa: E402
from otel_ebpf.model import HttpExchange, ProcessInfo  # noqa: E402
from otel_ebpf.receivers.ebpf import events as ev  # noqa: E402
from otel_ebpf.receivers.ebpf.connections import ConnectionTracker  # noqa: E402
from otel_ebpf.telemetry.routes import RouteResolver  # noqa: E402

# What wrk sends, with the headers a browser-like client or an instrumented caller adds.
REQUEST = (
    b"GET /api/v1/items/%d?fields=name,price HTTP/1.1\r\n"
    b"Host: 127.0.0.1:8080\r\n"
    b"User-Agent: wrk/4.2.0\r\n"
    b"Accept: application/json\r\n"
    b"Accept-Encoding: gzip, deflate\r\n"
    b"Connection: keep-alive\r\n"
    b"%s"
    b"\r\n"
)
TRACEPARENT = b"traceparent: 00-4bf92f3577b34da6a3ce929d0e0e%04x-00f067aa0ba902b7-01\r\n"
WRK_REQUEST = b"GET /json HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"  # --wrk: what wrk sends, every time
REQUEST_ID = b"X-Request-Id: %08x\r\n"  # --unique: no two heads alike (the parser's caches miss)
BODY = b'{"id":%d,"name":"widget","price":19.99,"tags":["a","b"],"stock":true}'
RESPONSE = (
    b"HTTP/1.1 200 OK\r\n"
    b"%s"
    b"Server: nginx/1.22.1\r\n"
    b"Date: Sat, 05 Dec 2026 06:00:00 GMT\r\n"
    b"Content-Type: application/json\r\n"
    b"Content-Length: %d\r\n"
    b"Connection: keep-alive\r\n"
    b"\r\n"
    b"%s"
)
ADDR = socket.inet_pton(socket.AF_INET, "127.0.0.1") + bytes(12)
# --close: what gunicorn's sync worker answers (bench/bench_flask.py): `Connection: close`, the head and
# the body in two writes, then the worker closes the connection.
CLOSE_RESPONSE_HEAD = (
    b"HTTP/1.1 200 OK\r\n"
    b"Server: gunicorn\r\n"
    b"Date: Sat, 05 Dec 2026 06:00:00 GMT\r\n"
    b"Connection: close\r\n"
    b"Content-Type: application/json\r\n"
    b"Content-Length: %d\r\n"
    b"\r\n"
)


class _Socket:
    """The kernel's counting for one accepted socket: stream positions and phases (turns)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.sk = 0xFFFF_8880_0000_0000 + fd * 4096
        self.pos = [0, 0]
        self.turn = 0
        self.last = -1

    def data(self, direction: int, payload: bytes, ts: int) -> bytes:
        if direction != self.last:
            self.last = direction
            self.turn += 1
        pos = self.pos[direction]
        self.pos[direction] += len(payload)
        header = ev.HEADER.pack(
            ev.EVENT_DATA, direction, ev.ROLE_SERVER, socket.AF_INET, 4242, 4242 + self.fd % 2, self.fd, self.sk,
            ts, ts + 3_000, len(payload), pos, self.pos[direction ^ 1], self.turn, len(payload), 0, 0,
            ev.EVENT_POS_VALID, 8080, 40000 + self.fd, ADDR, ADDR, b"nginx",
        )  # fmt: skip
        return header + payload

    def close(self, ts: int) -> bytes:
        return ev.HEADER.pack(
            ev.EVENT_CLOSE, 0, ev.ROLE_SERVER, 0, 4242, 4242, self.fd, self.sk,
            ts, ts, 0, 0, 0, self.turn, 0, 0, 0, 0, 0, 0, bytes(16), bytes(16), b"",
        )  # fmt: skip


def build_close_events(exchanges: int) -> list[bytes]:
    """--close: every exchange on a new connection, as gunicorn's sync worker serves wrk: the request,
    the response head, its body, then the close (`connections` accepted sockets reused in turn: their
    fds and socket addresses repeat, as the kernel's do)."""
    events = []
    ts = 1_000_000_000
    for i in range(exchanges):
        s = _Socket(10 + i % 4)
        s.sk += (i // 4 % 64) * 64  # the kernel reuses struct sock addresses, not always the same one
        body = BODY % (i % 20)
        request = REQUEST % (i % 20, b"")  # 20 paths in turn, as bench_flask.py's wrk script
        events.append(s.data(ev.DIR_INBOUND, request, ts))
        ts += 80_000
        events.append(s.data(ev.DIR_OUTBOUND, CLOSE_RESPONSE_HEAD % len(body), ts))
        events.append(s.data(ev.DIR_OUTBOUND, body, ts + 5_000))
        events.append(s.close(ts + 10_000))
        ts += 200_000
    return events


def build_events(
    connections: int, exchanges: int, traceparent: bool, unique: bool = False, wrk: bool = False
) -> list[bytes]:
    """Every connection's exchanges interleaved in time, as the ring buffer would hold them."""
    sockets = [_Socket(10 + i) for i in range(connections)]
    events = []
    ts = 1_000_000_000
    for n in range(exchanges):
        for s in sockets:
            i = n * connections + s.fd
            extra = TRACEPARENT % (i & 0xFFFF) if traceparent else b""
            request_id = REQUEST_ID % i if unique else b""
            body = BODY % i
            ts += 20_000
            request = WRK_REQUEST if wrk else REQUEST % (i, extra + request_id)
            events.append(s.data(ev.DIR_INBOUND, request, ts))
            ts += 80_000
            events.append(s.data(ev.DIR_OUTBOUND, RESPONSE % (request_id, len(body), body), ts))
    return events


def run(events: list[bytes], batch: int) -> tuple[float, int]:
    process = ProcessInfo(4242, "nginx", "nginx", {"service.name": "nginx"})
    tracker = ConnectionTracker(lambda pid, comm: process, body_limit=1024)
    batches = [events[i : i + batch] for i in range(0, len(events), batch)]
    out: list[HttpExchange] = []
    count = 0
    # CPU time of this thread: what the agent pays, and less disturbed by other processes on a
    # shared machine than the wall clock.
    started = time.thread_time()
    for b in batches:
        tracker.process(b, out)
        count += len(out)
        out.clear()  # delivered: the pipeline now owns them
    return time.thread_time() - started, count


class _Ring:
    """A ring buffer as the kernel lays it out (consumer page, producer page, data), on anonymous
    memory: the bench writes a batch of records as the kernel would, and the reader reads them.
    Each batch starts at the beginning of the data area (no wrap-around: the reader's mapping of
    the data twice in a row is not needed)."""

    def __init__(self, size: int) -> None:
        page = mmap.PAGESIZE
        self.reader = reader = object.__new__(RingBufferReader)
        reader._mask = size - 1
        reader._consumer = mmap.mmap(-1, page)
        reader._producer = mmap.mmap(-1, page + 2 * size)
        reader._data = memoryview(reader._producer)[page:]
        reader._producer_view = memoryview(reader._producer)[:8]
        self.page = page
        self.size = size

    def write(self, records: list[bytes]) -> None:
        producer = self.reader._producer
        pos = 0
        for r in records:
            at = self.page + pos
            struct.pack_into("=II", producer, at, len(r), 0)
            producer[at + RINGBUF_HDR_SZ : at + RINGBUF_HDR_SZ + len(r)] = r
            pos += (len(r) + RINGBUF_HDR_SZ + 7) & ~7
        assert pos <= self.size
        struct.pack_into("=Q", self.reader._consumer, 0, 0)
        struct.pack_into("=Q", producer, 0, pos)


def run_receive(events: list[bytes], batch: int) -> tuple[float, int]:
    """run() from the ring buffer to annotated exchanges; only the reading, tracking and
    annotating is timed."""
    process = ProcessInfo(4242, "nginx", "nginx", {"service.name": "nginx"})
    tracker = ConnectionTracker(lambda pid, comm: process, body_limit=1024)
    routes = RouteResolver()
    ring = _Ring(1 << 20)
    batches = [events[i : i + batch] for i in range(0, len(events), batch)]
    count = 0
    elapsed = 0.0
    for b in batches:
        ring.write(b)
        started = time.thread_time()
        raw: list[bytes] = []
        ring.reader.read(raw)
        out: list[HttpExchange] = []
        tracker.process(raw, out)
        routes.annotate(out)
        elapsed += time.thread_time() - started
        count += len(out)
    return elapsed, count


def check(events: list[bytes], expected: int, wrk: bool = False) -> None:
    """What the bench measures must be the real thing: every exchange, complete and paired."""
    process = ProcessInfo(4242, "nginx", "nginx", {"service.name": "nginx"})
    tracker = ConnectionTracker(lambda pid, comm: process, body_limit=1024)
    out: list[HttpExchange] = []
    tracker.process(events, out)
    assert len(out) == expected, len(out)
    for x in out[:: max(1, len(out) // 100)]:
        if not wrk:
            assert x.response_body.decode().startswith('{"id":' + x.path.rsplit("/", 1)[1] + ","), x
            assert x.query == "fields=name,price"
        assert x.status_code == 200 and x.method == "GET"
        assert x.request_headers["host"] == "127.0.0.1:8080" and x.response_headers["content-type"]
        assert x.end_time_ns > x.start_time_ns and len(x.trace_id) == 16 and len(x.span_id) == 8
    assert tracker.http_stats.dropped_requests == 0 and tracker.http_stats.parse_errors == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--exchanges", type=int, default=200, help="per connection")
    parser.add_argument("--batch", type=int, default=256, help="events per drain")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--traceparent", action="store_true", help="requests carry a traceparent header")
    parser.add_argument("--wrk", action="store_true", help="wrk's request: GET /json with a Host header only")
    parser.add_argument("--unique", action="store_true", help="every head different (an X-Request-Id)")
    parser.add_argument(
        "--close", action="store_true", help="a new connection per exchange, answered as gunicorn's sync worker"
    )
    parser.add_argument(
        "--receive", action="store_true", help="the whole receive path: ring buffer read, tracker, routes"
    )
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions of one run")
    args = parser.parse_args()
    if args.close:
        events = build_close_events(args.connections * args.exchanges)
    else:
        events = build_events(args.connections, args.exchanges, args.traceparent, args.unique, args.wrk)
    check(events, args.connections * args.exchanges, args.wrk)
    measure = run_receive if args.receive else run
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        measure(events, args.batch)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
    best = float("inf")
    for _ in range(args.runs):
        elapsed, count = measure(events, args.batch)
        best = min(best, elapsed / count)
    kind = "with traceparent" if args.traceparent else "no traceparent"
    if args.unique:
        kind += ", every head unique"
    if args.wrk:
        kind += ", wrk's request"
    if args.close:
        kind += ", a connection each (Connection: close)"
    if args.receive:
        kind += ", ring buffer to routes"
    print(
        f"{best * 1e6:.2f} µs of CPU per exchange (best of {args.runs}; {args.connections} connections x "
        f"{args.exchanges} keep-alive GETs, {kind}, batches of {args.batch} events)"
    )


if __name__ == "__main__":
    main()
