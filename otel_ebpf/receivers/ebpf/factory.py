"""Factory of the ``ebpf`` receiver; the schema is in :mod:`.config`, the implementation in :mod:`.receiver`."""

from __future__ import annotations

from otel_ebpf.component import METRICS, RECEIVERS, TRACES, Claim, Factory
from otel_ebpf.receivers.ebpf.config import KERNEL_KEYS, SCHEMA


def _claims(config: dict) -> list[Claim]:
    # Every ebpf receiver is a view of one kernel program: loading one per receiver would double
    # the cost of every hooked syscall on the host.  So the program's settings are one set.
    return [Claim("the kernel's HTTP capture program", {key: config[key] for key in KERNEL_KEYS})]


def _create(settings, config, next_consumer):
    from otel_ebpf.receivers.ebpf.receiver import EbpfReceiver

    return EbpfReceiver(settings, config, next_consumer)


factory = Factory(
    RECEIVERS,
    "ebpf",
    (TRACES, METRICS),
    "HTTP/1.x of unmodified processes, via eBPF",
    _create,
    schema=SCHEMA,
    claims=_claims,
    needs_bpf=True,
)
