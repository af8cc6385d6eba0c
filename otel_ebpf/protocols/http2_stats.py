"""The HTTP/2 decoder's counters: what it read, skipped, and could not report.

Apart from the connection so that both its layers (each direction's framing, :mod:`.http2_framing`,
and the streams, :mod:`.http2`) count into the same set without importing each other.
"""

from __future__ import annotations


class Http2Stats:
    """Plain counters, shared by all connections of a tracker and exported as metrics."""

    __slots__ = (
        "connections",
        "midstream_connections",
        "streams",
        "pairs",
        "frames",
        "bad_frames",
        "framing_lost",
        "resyncs",
        "skipped_bytes",
        "gap_bytes",
        "hpack_errors",
        "table_resets",
        "undecodable_fields",
        "undecodable_messages",
        "bad_messages",
        "ignored_header_blocks",
        "truncated_header_blocks",
        "streams_reset",
        "streams_refused",
        "streams_overflow",
        "lost_streams",
        "unseen_streams",
        "push_promises",
        "goaways",
        "given_up",
        "internal_errors",
    )

    def __init__(self) -> None:
        self.connections = 0  # HTTP/2 connections decoded
        # ... whose header blocks were decoded without their start (the agent joined them mid-way)
        self.midstream_connections = 0
        self.streams = 0  # streams whose request head was read
        self.pairs = 0  # pairs reported, failures (resets, refused, cut by close) included
        self.frames = 0  # frames read
        self.bad_frames = 0  # frames breaking RFC 9113 (headers, padding, CONTINUATION order): skipped
        self.framing_lost = 0  # times a direction lost its frame boundaries (gap over a header, bad header)
        self.resyncs = 0  # times a direction found frame boundaries again after losing them
        self.skipped_bytes = 0  # bytes passed over while looking for a frame boundary
        self.gap_bytes = 0  # bytes moved that no capture carried (skipped within frames, or lost)
        self.hpack_errors = 0  # header blocks the HPACK decoder rejected
        self.table_resets = 0  # times a direction's HPACK table became unknown (a block lost or cut)
        self.undecodable_fields = 0  # fields dropped: they named table entries we never saw
        self.undecodable_messages = 0  # heads whose pseudo-headers were such fields: stream not followed
        self.bad_messages = 0  # heads without valid pseudo-headers (:method, :path, :status): not followed
        # Header blocks of streams not followed (opened before we joined, pushed, already ended)
        self.ignored_header_blocks = 0
        self.truncated_header_blocks = 0  # blocks cut by the capture, MAX_HEADER_BLOCK or the field bounds
        self.streams_reset = 0  # followed streams ended by RST_STREAM
        self.streams_refused = 0  # followed streams a GOAWAY said were never processed
        self.streams_overflow = 0  # streams forgotten because max_streams were open
        self.lost_streams = 0  # streams not reported: frames of them may have been lost, or decoding stopped
        # Streams not reported whose request head was never read (sent before the agent joined, or in
        # bytes not captured), known from a later header block or DATA frame of theirs
        self.unseen_streams = 0
        self.push_promises = 0  # PUSH_PROMISE blocks (decoded for the table, otherwise ignored)
        self.goaways = 0  # GOAWAY frames
        self.given_up = 0  # connections whose decoding stopped (strict HPACK error, internal error)
        self.internal_errors = 0  # bugs caught at the boundary (the connection is given up)

    def as_dict(self) -> dict[str, int]:
        """Every counter, name -> value."""
        return {name: getattr(self, name) for name in self.__slots__}
