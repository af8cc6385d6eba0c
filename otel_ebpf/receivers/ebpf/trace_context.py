"""Trace identity of captured exchanges: W3C traceparent in, span ids out.

A server span joins the trace of the `traceparent` header it received.  A client
span whose request carries a `traceparent` header (the process propagated the
context) belongs to that trace, and its parent is the server span the same process
is serving in that trace.  That server span is only complete after the client call
returns, so client spans wait here (briefly, bounded) for their parent to appear;
if it never does they fall back to the header's parent id.  Without a header a
client span starts a new trace.
"""

from __future__ import annotations

from collections import OrderedDict

from otel_ebpf.model import HttpExchange, Role
from otel_ebpf.protocols.traceparent import new_span_id, new_trace_id, parse_traceparent

# How long a client span waits for the server span it was made for.
PARENT_WAIT_NS = 2_000_000_000
MAX_REMEMBERED_SERVER_SPANS = 10_000
MAX_WAITING_CLIENT_SPANS = 10_000


class TraceContextAssigner:
    def __init__(self) -> None:
        # (pid, trace_id) -> span_id of the latest server span of that trace in that process
        self._server_spans: OrderedDict[tuple[int, bytes], bytes] = OrderedDict()
        # (pid, trace_id) -> client exchanges waiting for their server span, with their deadline
        self._waiting: dict[tuple[int, bytes], list[tuple[int, HttpExchange]]] = {}
        self._waiting_count = 0
        self.waiting_overflow = 0  # client spans released early because too many were waiting

    def assign(self, exchange: HttpExchange, now_ns: int, out: list[HttpExchange]) -> None:
        """Gives the exchange its ids and appends it to `out` (now, or later from `release_expired`)."""
        exchange.span_id = new_span_id()
        header = exchange.request_headers.get("traceparent")
        context = parse_traceparent(header) if header else None
        if context is None:
            exchange.trace_id = new_trace_id()
            out.append(exchange)
            return
        trace_id, parent_id, flags = context
        exchange.trace_id = trace_id
        exchange.parent_span_id = parent_id
        exchange.sampled = bool(flags & 1)
        key = (exchange.pid, trace_id)
        if exchange.role == Role.SERVER:
            self._remember_server(key, exchange.span_id)
            out.append(exchange)
            waiting = self._waiting.pop(key, None)
            if waiting:
                self._waiting_count -= len(waiting)
                for _deadline, client in waiting:
                    client.parent_span_id = exchange.span_id
                    out.append(client)
            return
        server_span = self._server_spans.get(key)
        if server_span is not None:
            exchange.parent_span_id = server_span
            out.append(exchange)
            return
        if self._waiting_count >= MAX_WAITING_CLIENT_SPANS:
            self.waiting_overflow += 1
            out.append(exchange)
            return
        self._waiting.setdefault(key, []).append((now_ns + PARENT_WAIT_NS, exchange))
        self._waiting_count += 1

    def _remember_server(self, key: tuple[int, bytes], span_id: bytes) -> None:
        spans = self._server_spans
        spans[key] = span_id
        spans.move_to_end(key)
        if len(spans) > MAX_REMEMBERED_SERVER_SPANS:
            spans.popitem(last=False)

    def release_expired(self, now_ns: int, out: list[HttpExchange], everything: bool = False) -> None:
        """Client spans whose server span never came keep the header's parent id."""
        if not self._waiting:
            return
        for key in list(self._waiting):
            entries = self._waiting[key]
            keep = []
            for deadline, exchange in entries:
                if everything or deadline <= now_ns:
                    out.append(exchange)
                else:
                    keep.append((deadline, exchange))
            self._waiting_count -= len(entries) - len(keep)
            if keep:
                self._waiting[key] = keep
            else:
                del self._waiting[key]

    @property
    def waiting(self) -> int:
        return self._waiting_count
