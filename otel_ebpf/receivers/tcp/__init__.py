"""TCP flow observability from tracepoints: connects, closes, bytes, retransmits, resets, RTT per flow.

Public API: :class:`TcpFlowReceiver`, its config schema :data:`TCP_FLOWS_SCHEMA`,
:class:`FlowWindow` (what :meth:`TcpFlowReceiver.peer_window` returns) and
:func:`remove_pins`.  See docs/tcp-flows.md.
"""

from otel_ebpf.receivers.tcp.config import TCP_FLOWS_SCHEMA
from otel_ebpf.receivers.tcp.loader import DEFAULT_PIN_PATH, TcpFlowOptions, remove_pins
from otel_ebpf.receivers.tcp.reader import FlowWindow
from otel_ebpf.receivers.tcp.receiver import TcpFlowReceiver

__all__ = ["DEFAULT_PIN_PATH", "TCP_FLOWS_SCHEMA", "FlowWindow", "TcpFlowOptions", "TcpFlowReceiver", "remove_pins"]
