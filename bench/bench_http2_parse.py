"""Benchmark: the HTTP/2 decoder's CPU per gRPC unary call, and per HPACK header block.

Traffic is written by the ``h2`` library (a test dependency): a client and a server in memory,
gRPC unary calls as real ones go (the client writes HEADERS + DATA in one syscall, the server
HEADERS + DATA + trailers in one), in steady state (the HPACK tables hold the repeated
fields).  Two request shapes: without and with a ``traceparent`` (a new value per call, so a
new Huffman-coded literal inserted into the table each time, as an instrumented client sends).

Reported (minimum over repeats, the least disturbed run):
  - µs per unary call through Http2Connection.on_data (both syscalls, the pair made);
  - µs per header block: ``hpack.Decoder.decode`` against our HpackDecoder, for the request
    block and for the response head + trailers.

    .venv/bin/python bench/bench_http2_parse.py [--calls 4000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import sys
import timeit
from pathlib import Path

import h2.config
import h2.connection
import h2.events
import hpack

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from otel_ebpf.model import Role  # noqa: E402
from otel_ebpf.protocols.http2 import Http2Connection, Http2Stats  # noqa: E402
from otel_ebpf.protocols.http2_hpack import HpackDecoder  # noqa: E402

REQUEST = [
    (":method", "POST"),
    (":scheme", "http"),
    (":path", "/helloworld.Greeter/SayHello"),
    (":authority", "localhost:50051"),
    ("content-type", "application/grpc"),
    ("user-agent", "grpc-python/1.60.0 grpc-c/37.0.0 (linux; chttp2)"),
    ("te", "trailers"),
    ("grpc-accept-encoding", "identity,deflate,gzip"),
    ("accept-encoding", "identity,gzip"),
    ("grpc-timeout", "4999915u"),
]
RESPONSE = [(":status", "200"), ("content-type", "application/grpc"), ("grpc-accept-encoding", "identity,deflate,gzip")]
TRAILERS = [("grpc-status", "0"), ("grpc-message", "")]


def traffic(calls: int, traceparent: bool) -> tuple[list[tuple[bool, bytes]], list[list[tuple[bool, bytes]]]]:
    """(connection setup writes, each call's writes), as (written by the client, bytes)."""
    client = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    server = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
    client.initiate_connection()
    server.initiate_connection()

    def move(sender, receiver, by_client, out) -> bool:
        data = sender.data_to_send()
        if data:
            out.append((by_client, data))
            for event in receiver.receive_data(data):
                if isinstance(event, h2.events.DataReceived) and event.flow_controlled_length:
                    receiver.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        return bool(data)

    def pump(out) -> None:
        while move(client, server, True, out) | move(server, client, False, out):
            pass

    setup: list[tuple[bool, bytes]] = []
    pump(setup)
    result = []
    for _ in range(calls):
        writes: list[tuple[bool, bytes]] = []
        sid = client.get_next_available_stream_id()
        headers = list(REQUEST)
        if traceparent:
            headers.append(("traceparent", f"00-{os.urandom(16).hex()}-{os.urandom(8).hex()}-01"))
        client.send_headers(sid, headers)
        client.send_data(sid, b"\x00\x00\x00\x00\x07\n\x05world", end_stream=True)
        move(client, server, True, writes)
        server.send_headers(sid, RESPONSE)
        server.send_data(sid, b"\x00\x00\x00\x00\x0d\n\x0bHello world")
        server.send_headers(sid, TRAILERS, end_stream=True)
        move(server, client, False, writes)
        pump([])  # acknowledgements: not part of a call's syscalls here
        result.append(writes)
    return setup, result


def per_call(calls: int, repeat: int, traceparent: bool) -> float:
    warm = 200
    setup, writes = traffic(warm + calls * repeat, traceparent)
    conn = Http2Connection(Role.CLIENT, stats=Http2Stats())
    for by_client, data in setup:
        conn.on_data(by_client, data, len(data), 1, 2)
    for call in writes[:warm]:
        for by_client, data in call:
            conn.on_data(by_client, data, len(data), 1, 2)
    it = iter(writes[warm:])

    def one() -> None:
        for by_client, data in next(it):
            conn.on_data(by_client, data, len(data), 1, 2)

    return min(timeit.repeat(one, number=calls, repeat=repeat)) / calls * 1e6


def per_block(blocks: list[bytes], make, decode, repeat: int) -> float:
    best = float("inf")
    warm = 200
    for _ in range(repeat):
        decoder = make()
        for block in blocks[:warm]:
            decode(decoder, block)
        it = iter(blocks[warm:])
        n = len(blocks) - warm
        best = min(best, timeit.timeit(lambda d=decoder, it=it: decode(d, next(it)), number=n) / n * 1e6)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    for traceparent in (False, True):
        label = "with a traceparent" if traceparent else "no traceparent"
        print(f"unary call, {label}: {per_call(args.calls, args.repeat, traceparent):.1f} µs")
    ours = (lambda: HpackDecoder(strict=True), lambda d, b: d.decode(b))
    theirs = (hpack.Decoder, lambda d, b: d.decode(b, raw=True))
    for traceparent in (False, True):
        encoder = hpack.Encoder()
        blocks = []
        for _ in range(200 + args.calls):
            headers = list(REQUEST)
            if traceparent:
                headers.append(("traceparent", f"00-{os.urandom(16).hex()}-{os.urandom(8).hex()}-01"))
            blocks.append(encoder.encode(headers))
        label = "with a traceparent" if traceparent else "no traceparent"
        a, b = (per_block(blocks, *impl, args.repeat) for impl in (theirs, ours))
        print(f"request block, {label}: hpack.Decoder {a:.1f} µs, HpackDecoder {b:.1f} µs")
    encoder = hpack.Encoder()
    blocks = [encoder.encode(RESPONSE if i % 2 == 0 else TRAILERS) for i in range(200 + 2 * args.calls)]
    a, b = (2 * per_block(blocks, *impl, args.repeat) for impl in (theirs, ours))
    print(f"response head + trailers: hpack.Decoder {a:.1f} µs, HpackDecoder {b:.1f} µs")


if __name__ == "__main__":
    main()
