"""A gRPC server and clients for the HTTP/2 capture tests and bench, without protoc.

The service ``demo.Inventory`` is registered with a generic handler; requests and answers are
small JSON documents carried as raw bytes (identity (de)serializers), so the wire is real gRPC
(HTTP/2, length-prefixed messages, ``grpc-status`` trailers) with no generated code:

- ``GetItem`` (unary): the request ``{"id": N, "want": "OK" | "NOT_FOUND" | "INTERNAL"}`` says how
  the call ends: an item, or ``context.abort`` with that status.
- ``ListItems`` (server streaming): ``{"count": M, "want": "OK" | "NOT_FOUND"}`` answers M messages,
  then ends with that status.

Modes (``python tests/apps/grpc_app.py MODE ...``):

- ``serve --port P``: the server on 127.0.0.1:P (insecure); prints ``ready`` once it listens;
  SIGTERM stops it.
- ``call --port P --unary N --concurrency C --stream-calls S --stream-messages M [--traceparent K]``:
  every call over ONE channel (so they multiplex on one HTTP/2 connection), C unary calls in flight
  at a time (futures); prints a JSON summary (see :meth:`Client.run`).
- ``hold --port P``: one channel kept open; each line read on stdin is a JSON plan
  (``{"unary": N, "start": I, "concurrency": C, "stream_calls": S, "stream_messages": M, "traced": K,
  "stream_traced": L}``: the first K unary and L streaming calls send a ``traceparent``),
  run on that channel, and answered with one JSON summary line; end of stdin closes the channel.
  For a connection whose HPACK tables were filled before the agent started.
- ``load --port P --channels K --concurrency C --duration D [--rate R]``: the bench's load: K channels,
  up to C calls in flight on each, OK calls only, for D seconds, as fast as they complete or R a
  second; prints ``{"calls", "ok", "errors", "late", "seconds"}``.

Everything is deterministic: the status of unary call ``i`` is :func:`want_of` ``(i)``, that of
streaming call ``n`` :func:`stream_want_of` ``(n)``, and the trace context of a traced call is
:func:`traceparent_of` ``(i)``.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import signal
import sys
import threading
import time
from concurrent import futures

import grpc

SERVICE = "demo.Inventory"
GET_ITEM = f"{SERVICE}/GetItem"
LIST_ITEMS = f"{SERVICE}/ListItems"

# Unary call i ends with WANTS[i % 10]: 70% OK, 20% NOT_FOUND, 10% INTERNAL.
WANTS = ("OK",) * 7 + ("NOT_FOUND",) * 2 + ("INTERNAL",)


def want_of(i: int) -> str:
    return WANTS[i % len(WANTS)]


def stream_want_of(n: int) -> str:
    """Streaming call n: every fourth one ends NOT_FOUND after its messages, the others OK."""
    return "NOT_FOUND" if n % 4 == 3 else "OK"


def traceparent_of(key: int | str) -> tuple[str, str]:
    """The (trace id, parent span id) that a traced call sends: derived from its key (unary call i:
    i; streaming call n of a plan starting at unary index s: "stream-s-n"), no randomness."""
    digest = hashlib.sha256(f"otel-ebpf-grpc-{key}".encode()).hexdigest()
    return digest[:32], digest[32:48]


def _identity(data: bytes) -> bytes:
    return data


# -- the server --------------------------------------------------------------------------------


def _get_item(request: bytes, context: grpc.ServicerContext) -> bytes:
    ask = json.loads(request)
    want = ask.get("want", "OK")
    if want == "NOT_FOUND":
        context.abort(grpc.StatusCode.NOT_FOUND, f"item {ask.get('id')} not found")
    if want == "INTERNAL":
        context.abort(grpc.StatusCode.INTERNAL, "inventory database unavailable")
    return json.dumps({"id": ask.get("id"), "name": f"widget-{ask.get('id')}", "qty": 2}).encode()


def _list_items(request: bytes, context: grpc.ServicerContext):
    ask = json.loads(request)
    for n in range(int(ask.get("count", 1))):
        yield json.dumps({"id": n, "name": f"widget-{n}", "qty": n % 7}).encode()
    if ask.get("want") == "NOT_FOUND":
        context.abort(grpc.StatusCode.NOT_FOUND, "no more items in this aisle")


def make_server(port: int, workers: int = 32) -> grpc.Server:
    handler = grpc.method_handlers_generic_handler(
        SERVICE,
        {
            "GetItem": grpc.unary_unary_rpc_method_handler(
                _get_item, request_deserializer=_identity, response_serializer=_identity
            ),
            "ListItems": grpc.unary_stream_rpc_method_handler(
                _list_items, request_deserializer=_identity, response_serializer=_identity
            ),
        },
    )
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=workers), maximum_concurrent_rpcs=None)
    server.add_generic_rpc_handlers((handler,))
    if server.add_insecure_port(f"127.0.0.1:{port}") != port:
        raise SystemExit(f"grpc_app: cannot listen on 127.0.0.1:{port}")
    return server


def serve(port: int, workers: int) -> int:
    server = make_server(port, workers)
    server.start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    print("ready", flush=True)
    stopped.wait()
    server.stop(grace=1).wait()
    return 0


# -- the clients -------------------------------------------------------------------------------


class Client:
    """One channel to the server (one HTTP/2 connection) and the calls made on it."""

    def __init__(self, port: int):
        self.port = port
        # Its own subchannel pool: channels to the same target would otherwise share one connection.
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}", options=[("grpc.use_local_subchannel_pool", 1)])
        grpc.channel_ready_future(self.channel).result(timeout=10)
        self.get_item = self.channel.unary_unary(
            f"/{GET_ITEM}", request_serializer=_identity, response_deserializer=_identity
        )
        self.list_items = self.channel.unary_stream(
            f"/{LIST_ITEMS}", request_serializer=_identity, response_deserializer=_identity
        )

    def close(self) -> None:
        self.channel.close()

    def unary(self, start: int, count: int, concurrency: int, traced: int = 0) -> list[dict]:
        """Unary calls ``start`` .. ``start + count - 1``, ``concurrency`` in flight at a time;
        the first ``traced`` of them send a ``traceparent``.  One record per call, in index order."""
        slots = threading.Semaphore(concurrency)
        records: list[dict | None] = [None] * count
        done = threading.Event()
        remaining = [count]
        lock = threading.Lock()

        def finished(k: int, i: int, future: grpc.Future) -> None:
            code = future.code()
            records[k]["status"] = code.name if code is not None else "UNKNOWN"
            slots.release()
            with lock:
                remaining[0] -= 1
                if remaining[0] == 0:
                    done.set()

        if count == 0:
            return []
        for k in range(count):
            i = start + k
            want = want_of(i)
            metadata = None
            record = {"i": i, "method": GET_ITEM, "want": want}
            if k < traced:
                trace_id, parent_id = traceparent_of(i)
                metadata = (("traceparent", f"00-{trace_id}-{parent_id}-01"),)
                record.update(trace_id=trace_id, parent_id=parent_id)
            records[k] = record
            slots.acquire()
            request = json.dumps({"id": i, "want": want}).encode()
            future = self.get_item.future(request, timeout=30, metadata=metadata)
            future.add_done_callback(lambda f, k=k, i=i: finished(k, i, f))
        if not done.wait(120):
            raise TimeoutError(f"unary calls unfinished: {remaining[0]} of {count}")
        return records  # type: ignore[return-value]

    def stream(self, calls: int, messages: int, concurrency: int, traced: int = 0, start: int = 0) -> list[dict]:
        """``calls`` ListItems calls of ``messages`` answers each, ``concurrency`` at a time; call
        n ends with :func:`stream_want_of` ``(n)`` after its answers; the first ``traced`` send a
        ``traceparent`` (key ``stream-{start}-{n}``)."""

        def one(n: int) -> dict:
            want = stream_want_of(n)
            record = {"i": n, "method": LIST_ITEMS, "want": want}
            metadata = None
            if n < traced:
                trace_id, parent_id = traceparent_of(f"stream-{start}-{n}")
                metadata = (("traceparent", f"00-{trace_id}-{parent_id}-01"),)
                record.update(trace_id=trace_id, parent_id=parent_id)
            request = json.dumps({"count": messages, "want": want}).encode()
            answers = self.list_items(request, timeout=30, metadata=metadata)
            received = 0
            try:
                for _ in answers:
                    received += 1
            except grpc.RpcError:
                pass  # the status, read below
            return {**record, "status": answers.code().name, "messages": received}

        with futures.ThreadPoolExecutor(max_workers=max(1, min(concurrency, calls))) as pool:
            return list(pool.map(one, range(calls)))

    def run(
        self,
        unary: int,
        concurrency: int,
        stream_calls: int = 0,
        stream_messages: int = 0,
        traced: int = 0,
        start: int = 0,
        stream_traced: int = 0,
    ) -> dict:
        """The calls of one plan; the summary the tests read:

        ``pid``, ``unary`` and ``stream`` (calls made), ``counts`` ({"method status": calls}),
        ``stream_messages`` (answers received by each stream call, in order), ``traced``
        (the records of the calls that sent a traceparent), ``seconds``.
        """
        started = time.monotonic()
        records = self.unary(start, unary, concurrency, traced)
        streams = self.stream(stream_calls, stream_messages, concurrency, stream_traced, start)
        counts = collections.Counter(f"{r['method']} {r['status']}" for r in (*records, *streams))
        mismatched = [r for r in (*records, *streams) if r["status"] != r["want"]]
        return {
            "pid": os.getpid(),
            "unary": len(records),
            "stream": len(streams),
            "counts": dict(sorted(counts.items())),
            "stream_messages": [s["messages"] for s in streams],
            "traced": [r for r in (*records, *streams) if "trace_id" in r],
            "unexpected_statuses": mismatched[:10],
            "seconds": round(time.monotonic() - started, 3),
        }


def hold(port: int) -> int:
    client = Client(port)
    print(json.dumps({"pid": os.getpid(), "ready": True}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        plan = json.loads(line)
        summary = client.run(
            plan.get("unary", 0),
            plan.get("concurrency", 1),
            plan.get("stream_calls", 0),
            plan.get("stream_messages", 0),
            plan.get("traced", 0),
            plan.get("start", 0),
            plan.get("stream_traced", 0),
        )
        print(json.dumps(summary), flush=True)
    client.close()
    return 0


def load(port: int, channels: int, concurrency: int, duration: float, rate: float = 0.0) -> int:
    """OK unary calls for ``duration`` seconds, at most ``concurrency`` in flight on each of ``channels``
    (taken in turn): as fast as they complete, or with ``rate`` at that many calls a second on a fixed
    schedule (a call waits for its slot, not for the previous answer; when every call slot is busy
    the schedule falls behind, counted in ``late``).  Calls in flight at the end are waited for, so
    ``calls`` is every call the server answered."""
    request = json.dumps({"id": 7, "want": "OK"}).encode()
    clients = [Client(port) for _ in range(channels)]
    in_flight = channels * concurrency
    slots = threading.Semaphore(in_flight)
    lock = threading.Lock()
    tally = collections.Counter(calls=0, ok=0, errors=0, late=0)

    def finished(future: grpc.Future) -> None:
        ok = future.code() == grpc.StatusCode.OK
        with lock:
            tally["calls"] += 1
            tally["ok" if ok else "errors"] += 1
        slots.release()

    started = time.monotonic()
    deadline = started + duration
    interval = 1.0 / rate if rate else 0.0
    slot = started
    k = 0
    while True:
        now = time.monotonic()
        if now >= deadline:
            break
        if interval:
            if slot > now + 0.001:  # sleep only when ahead by more than a millisecond
                time.sleep(slot - now)
            slot += interval
        if not slots.acquire(blocking=False):
            if interval:
                tally["late"] += 1
            slots.acquire()
        future = clients[k % channels].get_item.future(request, timeout=30)
        k += 1
        future.add_done_callback(finished)
    for _ in range(in_flight):  # every call answered
        slots.acquire()
    elapsed = time.monotonic() - started
    for client in clients:
        client.close()
    print(json.dumps({"pid": os.getpid(), **tally, "seconds": round(elapsed, 3)}), flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    modes = parser.add_subparsers(dest="mode", required=True)
    p = modes.add_parser("serve", help="the demo.Inventory server")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--workers", type=int, default=32, help="handler threads (default 32)")
    p = modes.add_parser("call", help="one plan of calls on one channel, then a JSON summary")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--unary", type=int, default=100, help="GetItem calls (default 100)")
    p.add_argument("--concurrency", type=int, default=16, help="calls in flight (default 16)")
    p.add_argument("--stream-calls", type=int, default=0, help="ListItems calls (default 0)")
    p.add_argument("--stream-messages", type=int, default=20, help="answers per ListItems call (default 20)")
    p.add_argument("--traceparent", type=int, default=0, help="the first K unary calls send a traceparent")
    p.add_argument("--start", type=int, default=0, help="index of the first unary call (default 0)")
    p = modes.add_parser("hold", help="one channel kept open, plans read on stdin")
    p.add_argument("--port", type=int, required=True)
    p = modes.add_parser("load", help="OK calls for a fixed time (the bench)")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--channels", type=int, default=4)
    p.add_argument("--concurrency", type=int, default=16, help="calls in flight per channel (default 16)")
    p.add_argument("--duration", type=float, default=10.0, help="seconds (default 10)")
    p.add_argument("--rate", type=float, default=0.0, help="calls per second (default 0: as fast as they complete)")
    args = parser.parse_args(argv)
    if args.mode == "serve":
        return serve(args.port, args.workers)
    if args.mode == "hold":
        return hold(args.port)
    if args.mode == "load":
        return load(args.port, args.channels, args.concurrency, args.duration, args.rate)
    client = Client(args.port)
    try:
        summary = client.run(
            args.unary, args.concurrency, args.stream_calls, args.stream_messages, args.traceparent, args.start
        )
    finally:
        client.close()
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
