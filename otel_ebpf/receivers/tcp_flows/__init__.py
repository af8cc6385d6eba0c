"""TCP flow observability from tracepoints: connects, closes, bytes, retransmits, resets, RTT per flow.

The factory (config schema) is in :mod:`.factory`, the component in :mod:`.receiver`
(:class:`~.receiver.TcpFlowReceiver`); :func:`.loader.remove_pins` removes what an agent
left pinned.  See docs/tcp-flows.md.
"""
