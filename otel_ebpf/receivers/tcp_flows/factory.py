"""Factory of the ``tcp_flows`` receiver; the schema is in :mod:`.config`, the implementation in :mod:`.receiver`."""

from __future__ import annotations

from otel_ebpf.component import METRICS, RECEIVERS, Claim, Factory
from otel_ebpf.receivers.tcp_flows.config import SCHEMA


def _claims(config: dict) -> list[Claim]:
    # Two receivers resuming one set of pins would each take the other's programs over.
    return [Claim(f"bpffs directory {config['pin_path']}")] if config["pin"] else []


def _create(settings, config, next_consumer):
    from otel_ebpf.receivers.helper.processes import shared_resolver
    from otel_ebpf.receivers.tcp_flows.receiver import TcpFlowReceiver

    receiver = TcpFlowReceiver(config, shared_resolver())
    settings.telemetry.register(receiver.counters)
    return receiver


factory = Factory(
    RECEIVERS,
    "tcp_flows",
    (METRICS,),
    "TCP flow metrics (connects, closes, bytes, retransmits, resets, RTT) via tracepoints",
    _create,
    schema=SCHEMA,
    claims=_claims,
    needs_bpf=True,
)
