"""The component model: factories, the lifecycle, consumers, the host, declared interfaces.

See docs/components.md.  A component type is a folder with a ``factory.py`` declaring a
:class:`Factory`, listed in ``otel_ebpf/components.py`` (or registered by a plugin through the
``otel_ebpf.components`` entry-point group).
"""

from otel_ebpf.component.consumer import (
    DISCARD,
    Consumer,
    ExchangeProcessor,
    Exporter,
    Processor,
    Refused,
    first_refusal,
)
from otel_ebpf.component.factory import (
    EXPORTERS,
    EXTENSIONS,
    KINDS,
    METRICS,
    PROCESSORS,
    RECEIVERS,
    TRACES,
    Claim,
    CreateSettings,
    Factory,
)
from otel_ebpf.component.host import AgentStatus, ComponentStatus, Host, Status
from otel_ebpf.component.interfaces import (
    BurnRates,
    EndpointStates,
    ExportDestinations,
    FlowTotals,
    MetricsProducer,
    SocketStates,
)
from otel_ebpf.component.lifecycle import Component
from otel_ebpf.component.telemetry import NoTelemetry, Telemetry

__all__ = [
    "DISCARD",
    "EXPORTERS",
    "EXTENSIONS",
    "KINDS",
    "METRICS",
    "PROCESSORS",
    "RECEIVERS",
    "TRACES",
    "AgentStatus",
    "BurnRates",
    "Claim",
    "Component",
    "ComponentStatus",
    "Consumer",
    "CreateSettings",
    "EndpointStates",
    "ExchangeProcessor",
    "Exporter",
    "Factory",
    "ExportDestinations",
    "FlowTotals",
    "Host",
    "MetricsProducer",
    "NoTelemetry",
    "Processor",
    "Refused",
    "first_refusal",
    "SocketStates",
    "Status",
    "Telemetry",
]
